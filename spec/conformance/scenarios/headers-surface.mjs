// Headers as Worker code reaches it: getAll() is a method of every Headers (its name, length,
// `in`, for-in, typeof; assigning it on the prototype replaces it, on one Headers shadows it),
// and a Proxy given as a headers init is first asked for its iterator (a revoked one fails
// there, in V8's words for `get`), a Proxy of a Headers being no Headers. The runtime's
// built-ins durasim stands in for read as native code: `String(Headers)`.
import { cls } from "../scenario.mjs";

export default [
  {
    name: "headers-surface: getAll() is a method every Headers has",
    backend: "sqlite",
    source: cls(`  go() {
    const t = (f) => outcomeSync(f);
    const h = new Headers([["set-cookie", "a=1"]]);
    const forIn = [];
    for (const key in h) forIn.push(key);
    const out = {
      typeof: typeof h.getAll, name: h.getAll.name, length: Headers.prototype.getAll.length, in: "getAll" in h, forIn: forIn.includes("getAll"),
      same: [h.getAll === Headers.prototype.getAll, new Headers().getAll === h.getAll, typeof new Request("http://x/").headers.getAll, typeof new Response(null).headers.getAll],
      construct: t(() => new h.getAll("set-cookie")),
    };
    h.getAll = () => "own";
    out.ownAssigned = [h.getAll(), Object.keys(h), typeof new Headers().getAll];
    const original = Headers.prototype.getAll;
    Headers.prototype.getAll = function () { return "replaced"; };
    out.protoAssigned = [new Headers().getAll(), new Request("http://x/").headers.getAll()];
    Headers.prototype.getAll = original;
    out.restored = t(() => new Headers([["set-cookie", "b"]]).getAll("set-cookie"));
    return out;
  }`),
    drive: async (env) => env.DO.getByName("a").go(),
  },
  {
    name: "headers-surface: a Proxy as a headers init is first asked for its iterator",
    backend: "sqlite",
    source: cls(`  go() {
    const t = (f) => outcomeSync(f);
    const revoked = (target) => { const r = Proxy.revocable(target, {}); r.revoke(); return r.proxy; };
    const log = [];
    const logged = new Proxy([["a", "1"]], { getPrototypeOf(target) { log.push("getPrototypeOf"); return Reflect.getPrototypeOf(target); } });
    return {
      revoked: [t(() => new Headers(revoked({}))), t(() => new Headers(revoked([]))), t(() => new Headers(revoked(function () {})))],
      revokedInit: [t(() => new Request("http://x/", { headers: revoked({}) })), t(() => new Response(null, { headers: revoked({}) }))],
      proxyOfHeaders: [t(() => [...new Headers(new Proxy(new Headers({ a: "1" }), {}))]), t(() => [...new Request("http://x/", { headers: new Proxy(new Headers({ a: "1" }), {}) }).headers])],
      notAskedForPrototype: [t(() => [...new Headers(logged)]), log],
    };
  }`),
    drive: async (env) => env.DO.getByName("a").go(),
  },
  {
    name: "headers-surface: the runtime's built-ins read as native code",
    backend: "sqlite",
    source: cls(`  go() {
    const h = new Headers();
    const fns = [Headers, Request, Response, URLSearchParams, CompressionStream, DecompressionStream, Headers.prototype.get, Headers.prototype.getAll,
      Headers.prototype.getSetCookie, Headers.prototype.entries, Headers.prototype[Symbol.iterator], Headers.prototype.forEach, h.keys().next, fetch,
      Response.prototype.json, Request.prototype.text, Request.prototype.clone, Response.redirect, Response.json, Response.error, Function.prototype.toString,
      crypto.subtle.digest, crypto.getRandomValues, URLSearchParams.prototype.append, structuredClone, queueMicrotask, atob, btoa, Map];
    return {
      texts: fns.map((f) => Function.prototype.toString.call(f)),
      names: fns.map((f) => f.name),
      own: [String(function foo() { return 1; }), String(() => 2), String(class A {})],
      notFunction: outcomeSync(() => Function.prototype.toString.call({})),
    };
  }`),
    drive: async (env) => env.DO.getByName("a").go(),
  },
];

// The Request an object's fetch() handler receives is Worker code's Request: none of the
// browser's members (mode, credentials: undefined), no "default" cache mode, a fetcher member,
// its class and tag, and clones of the same kind, where Node's class read "cors" and "default".
import { cls } from "../scenario.mjs";

export default [
  {
    name: "received requests: a fetch() handler's Request is Worker code's (no browser members, no default cache mode, its class), its clone too",
    backend: "sqlite",
    source: cls(`  async fetch(req) {
    const t = (f) => outcomeSync(f);
    const clone = req.clone();
    return Response.json({
      members: [req.method, req.url, req.redirect, req.integrity, req.keepalive, req.bodyUsed, req.cache ?? null, typeof req.fetcher, req.mode ?? null, req.credentials ?? null, req.destination ?? null, req.referrer ?? null, req.duplex ?? null],
      kind: [Object.prototype.toString.call(req), req instanceof Request, req.constructor === Request, Object.getPrototypeOf(req) === Request.prototype],
      clone: [clone.cache ?? null, clone.mode ?? null, clone instanceof Request, Object.getPrototypeOf(clone) === Request.prototype],
      copies: [new Request(req).cache ?? null, new Request(req, { cache: "no-cache" }).cache ?? null],
      headers: [t(() => req.headers.set("x", "1")), t(() => clone.headers.set("x", "1"))],
      text: await req.text(),
    });
  }
  async go() {
    const stub = this.env.DO.getByName("b");
    const init = await stub.fetch("http://h/p?q", { method: "POST", body: "abc", headers: { "X-A": "1" }, redirect: "manual" });
    const request = await stub.fetch(new Request("http://h/p", { method: "PUT", body: "x", cache: "no-store" }));
    return { init: await init.json(), request: await request.json() };
  }`),
    drive: async (env) => env.DO.getByName("a").go(),
  },
];

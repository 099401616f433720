// What the runtime takes for a Headers, and how it reads a header's value. An object that only
// has Headers.prototype (Object.create) holds none of a Headers' state: as a Headers init, a
// Request's or a Response's headers, or a fetch()'s, it is refused as an illegal invocation (an
// object with another host class's prototype is read as a record). A response carrying a
// WebSocket needs a request whose Upgrade is "websocket" in any ASCII case: no other letter
// folds into an ASCII one (the Kelvin sign is no "k"), and only the spaces Headers trim are
// ignored. getAll() answers for Set-Cookie alone. A value's leading byte-order mark is part of
// it, locally and across a fetch().
import { cls } from "../scenario.mjs";

const HELPERS = `const fake = () => Object.assign(Object.create(Headers.prototype), { "x-a": "1" });
const codes = (text) => [...text].map((c) => c.codePointAt(0));
const entries = (headers) => [...headers].map(([name, value]) => [name, codes(value)]);`;
/** Upgrade values, each sent to an object that answers with a WebSocket. */
const UPGRADES = ["websocket", "WebSocket", "WEBSOCKET", "WEB\u017fOCKET", "websoc\u212aet", "\u00a0websocket", "websocket\u00a0", " websocket\t", "\ufeffwebsocket", "websocket, foo", "web socket"];

export default [
  {
    name: "headers-kinds: an object with only Headers.prototype is refused wherever headers are taken",
    backend: "sqlite",
    workers: { echo: { source: "", entry: `{ fetch(request) { return new Response(JSON.stringify([...request.headers])); } }` } },
    services: { ECHO: "echo" },
    source: `${cls(`  fetch(request) { return new Response(JSON.stringify([...request.headers])); }
  local() {
    class Sub extends Headers {}
    return {
      headers: outcomeSync(() => entries(new Headers(fake()))),
      empty: outcomeSync(() => entries(new Headers(Object.create(Headers.prototype)))),
      deeper: outcomeSync(() => entries(new Headers(Object.create(fake())))),
      request: outcomeSync(() => entries(new Request("http://x/", { headers: fake() }).headers)),
      response: outcomeSync(() => entries(new Response(null, { headers: fake() }).headers)),
      otherPrototype: outcomeSync(() => entries(new Headers(Object.assign(Object.create(Request.prototype), { "x-b": "2" })))),
      subclass: outcomeSync(() => entries(new Headers(new Sub({ "x-c": "3" })))),
      fetch: outcomeSync(() => { fetch("http://x/", { headers: fake() }).catch(() => undefined); return "no throw"; }),
    };
  }`, { extra: HELPERS })}`,
    drive: async (env) => ({
      local: await env.DO.getByName("x").local(),
      stubFetch: await outcome(async () => (await env.DO.getByName("x").fetch("http://x/", { headers: fake() })).text()),
      bindingFetch: await outcome(async () => (await env.ECHO.fetch("http://x/", { headers: fake() })).text()),
    }),
  },
  {
    name: "headers-kinds: a WebSocket answers only an Upgrade of websocket in ASCII case",
    backend: "sqlite",
    source: `${cls(`  fetch(request) {
    const pair = new WebSocketPair();
    pair[1].accept();
    return new Response(null, { status: 101, webSocket: pair[0] });
  }`)}`,
    drive: `async (env) => {
      const out = {};
      for (const upgrade of ${JSON.stringify(UPGRADES)}) {
        out[JSON.stringify(upgrade)] = await outcome(async () => {
          const response = await env.DO.getByName("x").fetch("http://x/", { headers: { Upgrade: upgrade } });
          response.webSocket?.accept();
          response.webSocket?.close();
          return [response.status, response.webSocket === null];
        });
      }
      return out;
    }`,
  },
  {
    name: "headers-kinds: getAll() gives each Set-Cookie value and refuses any other name",
    backend: "sqlite",
    source: `${cls(`  local() {
    const headers = new Headers([["set-cookie", "a=1"], ["Set-Cookie", "b=2, c=3"], ["x-a", "1"], ["x-a", "2"]]);
    return {
      kind: typeof headers.getAll, name: headers.getAll.name, length: headers.getAll.length,
      setCookie: outcomeSync(() => headers.getAll("set-cookie")), upper: outcomeSync(() => headers.getAll("SET-COOKIE")),
      fresh: outcomeSync(() => headers.getAll("set-cookie") !== headers.getAll("set-cookie")), none: outcomeSync(() => new Headers().getAll("set-cookie")),
      utf8: outcomeSync(() => entries(new Headers({ "set-cookie": "\u00e9\u20ac=1" })).concat([new Headers({ "set-cookie": "\u00e9\u20ac=1" }).getAll("set-cookie")])),
      responseHeaders: outcomeSync(() => new Response("", { headers: [["set-cookie", "r=1"], ["set-cookie", "s=2"]] }).headers.getAll("Set-Cookie")),
      otherName: outcomeSync(() => headers.getAll("x-a")), absentName: outcomeSync(() => headers.getAll("x-none")), badName: outcomeSync(() => headers.getAll("a b")),
      kelvin: outcomeSync(() => headers.getAll("set-coo\u212Aie")), noArgument: outcomeSync(() => headers.getAll()), symbol: outcomeSync(() => headers.getAll(Symbol("s"))),
      receiver: outcomeSync(() => headers.getAll.call({}, "set-cookie")), receiverNoArgument: outcomeSync(() => headers.getAll.call({})),
    };
  }`, { extra: HELPERS })}`,
    drive: async (env) => env.DO.getByName("x").local(),
  },
  {
    name: "headers-kinds: a leading byte-order mark stays part of a header's value",
    backend: "sqlite",
    source: `${cls(`  fetch(request) { return new Response(JSON.stringify(entries(request.headers))); }
  local() {
    const headers = new Headers({ a: "\\ufeffx", b: "\\ufeff", c: "x\\ufeffy" });
    return [entries(headers), headers.get("a").length, codes(new Response("", { headers: { a: "\\ufeffz" } }).headers.get("a"))];
  }`, { extra: HELPERS })}`,
    drive: async (env) => ({
      local: await env.DO.getByName("x").local(),
      fetched: JSON.parse(await (await env.DO.getByName("x").fetch("http://x/", { headers: { a: "\ufeffx" } })).text()),
    }),
  },
];

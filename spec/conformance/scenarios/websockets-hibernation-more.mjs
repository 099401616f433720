// The hibernation API with values and calls around it: an attachment of every structured-clone
// kind read back (Maps, Dates, RegExps, Errors with properties, BigInts, holes, views), the
// runtime's objects an attachment refuses (the socket itself, a stub, an RpcTarget, a function, a
// stream, a symbol; a body-less Request and Headers are kept), an RPC call to another object
// from webSocketMessage, and a handler that closes its socket without a code or with 1000 and an
// empty reason (the client's close event, then its lost connection; webSocketClose on the echo).
import { cls } from "../scenario.mjs";
import { CLIENT } from "./websockets-client.mjs";

const ROOM = `  log = [];
  async fetch(req) {
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server, new URL(req.url).searchParams.getAll("tag"));
    return new Response(null, { status: 101, webSocket: client });
  }
  async webSocketMessage(ws, message) {
    const r = {};
    try {
      if (message === "attach") {
        const kept = { map: new Map([[1, { a: 2n }]]), date: new Date(5), re: /x/gi, err: Object.assign(new RangeError("r"), { code: 7 }), big: 2n ** 70n, undef: undefined, arr: [1, , 3], u8: new Uint8Array([1, 2]), request: new Request("http://x/", { method: "PUT" }), headers: new Headers({ a: "1" }) };
        for (const [k, v] of Object.entries(kept)) { ws.serializeAttachment(v); const back = ws.deserializeAttachment(); r[k] = back instanceof Request ? ["Request", back.method, back.url] : back instanceof Headers ? ["Headers", [...back]] : show(back); }
        const refused = { self: ws, stub: this.env.DO.getByName("x"), target: new (class extends RpcTarget {})(), fn: () => 1, stream: new ReadableStream(), sym: Symbol("s"), pair: new WebSocketPair() };
        for (const [k, v] of Object.entries(refused)) r["refused " + k] = outcomeSync(() => ws.serializeAttachment({ v }));
        r.keptAfterRefusals = ["Headers", [...ws.deserializeAttachment()]];
      } else if (message === "rpc") {
        r.other = await this.env.DO.getByName("other").ping();
        r.listed = this.ctx.getWebSockets().length;
      } else if (message === "close without code") {
        ws.close();
      } else if (message === "close 1000 empty") {
        ws.close(1000, "");
      }
    } catch (e) { r.threw = err(e); }
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(r));
  }
  async webSocketClose(ws, code, reason, wasClean) {
    this.log.push(["close", code, reason, wasClean, ws.readyState, outcomeSync(() => ws.deserializeAttachment())]);
    // Answers a client's Close frame (a hibernatable end does not on its own), so no end is left open.
    if (ws.readyState === WebSocket.CLOSING) ws.close(1000, "bye");
  }
  async webSocketError(ws, error) { this.log.push(["error", err(error)]); }
  async ping() { return "pong"; }
  async takeLog() { const log = this.log; this.log = []; return log; }
  async listed() { return this.ctx.getWebSockets().length; }`;

export default [
  {
    name: "websockets hibernation more: attachments of every kind and what they refuse, an RPC call from a handler, a handler closing without a code",
    backend: "sqlite",
    source: cls(ROOM, { extra: CLIENT }),
    drive: async (env) => {
      const stub = env.DO.getByName("room");
      const a = await connect(stub, "/?tag=a");
      a.ws.send("attach");
      a.ws.send("rpc");
      await settle();
      const r = { otherListed: await env.DO.getByName("other").listed() };
      const d = await connect(stub, "/");
      d.ws.send("close without code");
      await settle();
      const e = await connect(stub, "/");
      e.ws.send("close 1000 empty");
      await settle();
      return hangUp({ r, a: a.seen, d: d.seen, e: e.seen, log: await stub.takeLog() });
    },
  },
  {
    // Every tag is converted to a string before any is checked: a conversion that throws (a
    // toString(), a Symbol, an index getter) fails acceptWebSocket() even after a tag that is too
    // long or an eleventh one, and leaves the socket unaccepted.
    name: "websockets hibernation more: tags whose conversion throws, before the length and count checks; getWebSockets' tag converted",
    backend: "sqlite",
    source: cls(`  async go() {
    const r = {};
    const tryTags = (label, tags) => {
      const [, s] = Object.values(new WebSocketPair());
      r[label] = { accept: outcomeSync(() => this.ctx.acceptWebSocket(s, tags)), tags: outcomeSync(() => this.ctx.getTags(s)), readyState: s.readyState, listed: this.ctx.getWebSockets().includes(s) };
    };
    const throwing = (message) => ({ toString() { throw new RangeError(message); } });
    tryTags("a toString() that throws", ["a", throwing("no string")]);
    tryTags("a Symbol", ["a", Symbol("s")]);
    tryTags("an object with a toString()", [{ toString() { return "obj"; } }]);
    tryTags("an index getter that throws", Object.defineProperty(["a"], 0, { get() { throw new TypeError("index getter"); } }));
    tryTags("too long, then one that throws", ["x".repeat(300), throwing("later")]);
    tryTags("ten, then an eleventh that throws", [...Array.from({ length: 10 }, (_, i) => "t" + i), throwing("eleventh")]);
    r.getWebSocketsByAnObject = outcomeSync(() => this.ctx.getWebSockets({ toString() { return "obj"; } }).length);
    r.getWebSocketsByASymbol = outcomeSync(() => this.ctx.getWebSockets(Symbol("s")));
    r.getWebSocketsByAThrowingTag = outcomeSync(() => this.ctx.getWebSockets(throwing("get tag")));
    r.all = this.ctx.getWebSockets().length;
    return r;
  }`),
    drive: async (env) => env.DO.getByName("a").go(),
  },
];

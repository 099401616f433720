// WebSocket details beside the API itself (websockets-api.mjs): `protocol`, `url` and
// `extensions` of each end before and after an upgrade (with a Sec-WebSocket-Protocol header),
// what an end refuses once closed, and where a WebSocket cannot go (RPC, storage).
import { cls } from "../scenario.mjs";
import { CLIENT } from "./websockets-client.mjs";

/** The properties an end reports about its connection. */
const PROPS = `function props(w) { return { readyState: w.readyState, url: w.url, protocol: w.protocol, extensions: w.extensions }; }`;

const ws = (name, body, drive) => ({
  name: `websockets: ${name}`,
  backend: "sqlite",
  source: cls(body, { extra: `${CLIENT}\n${PROPS}` }),
  drive,
});

export default [
  ws(
    "protocol, url and extensions of each end, across an upgrade with Sec-WebSocket-Protocol",
    `  async fetch(req) {
    const [client, server] = Object.values(new WebSocketPair());
    this.seen = { server: props(server), client: props(client) };
    server.accept();
    this.seen.serverAccepted = props(server);
    const headers = req.headers.get("x-proto") ? { "Sec-WebSocket-Protocol": req.headers.get("x-proto") } : {};
    server.addEventListener("message", () => { server.close(1000, "done"); this.seen.closing = props(server); });
    return new Response(null, { status: 101, webSocket: client, headers });
  }
  async seenByObject() { return this.seen; }`,
    async (env) => {
      const stub = env.DO.getByName("p");
      const r = {};
      for (const proto of ["chat", ""]) {
        const res = await stub.fetch("http://ws/", { headers: { Upgrade: "websocket", "Sec-WebSocket-Protocol": "chat, other", "x-proto": proto } });
        const w = res.webSocket;
        const before = props(w);
        w.accept();
        const seen = [];
        record(w, seen);
        const accepted = props(w);
        w.send("bye");
        await new Promise((resolve) => w.addEventListener("close", resolve));
        // (Only the close: what the end reports after it is the connection's teardown.)
        r[proto || "none"] = { header: res.headers.get("sec-websocket-protocol"), before, accepted, closed: props(w), seen: seen[0], object: await stub.seenByObject() };
      }
      return r;
    },
  ),

  ws(
    "an end after close(): send, close again, accept",
    `  async go() {
    const [a, b] = Object.values(new WebSocketPair());
    a.accept();
    b.accept();
    const r = {};
    a.close(1000, "x");
    r.readyState = a.readyState;
    r.sendAfterClose = outcomeSync(() => a.send("late"));
    r.closeAgain = outcomeSync(() => a.close(1000, "again"));
    r.acceptAgain = outcomeSync(() => a.accept());
    await new Promise((resolve) => b.addEventListener("close", resolve));
    r.peerState = b.readyState;
    r.peerSend = outcomeSync(() => b.send("late"));
    await new Promise((resolve) => setTimeout(resolve, 10));
    r.finalStates = [a.readyState, b.readyState];
    r.sendClosed = outcomeSync(() => a.send("late"));
    r.closeClosed = outcomeSync(() => a.close());
    return r;
  }`,
    async (env) => env.DO.getByName("c").go(),
  ),

  ws(
    "a WebSocket cannot cross RPC or go into storage",
    `  async make() { return new WebSocketPair()[0]; }
  async take(w) { return typeof w; }
  async store() {
    const [a] = Object.values(new WebSocketPair());
    return { put: await outcome(() => this.ctx.storage.put("w", a)), inObject: await outcome(() => this.ctx.storage.put("w", { a })) };
  }
  async events() {
    const r = {};
    const kinds = { event: () => new Event("x"), target: () => new EventTarget(), message: () => new MessageEvent("message", { data: 1 }), close: () => new CloseEvent("close"), subclass: () => new (class Mine extends EventTarget {})(), eventSubclass: () => new (class MyEvent extends Event {})("x") };
    for (const [k, make] of Object.entries(kinds)) r[k] = await outcome(() => this.ctx.storage.put("e", make()));
    return r;
  }
  async responseWithSocket() { return new Response(null, { status: 101, webSocket: new WebSocketPair()[0] }); }`,
    async (env) => {
      const s = env.DO.getByName("x");
      return {
        result: await outcome(() => s.make()),
        argument: await outcome(() => s.take(new WebSocketPair()[0])),
        stored: await s.store(),
        events: await s.events(),
        response: await outcome(async () => { const res = await s.responseWithSocket(); return [res.status, res.webSocket === null]; }),
      };
    },
  ),
];

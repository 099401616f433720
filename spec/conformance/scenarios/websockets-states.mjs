// What an end allows once closing has begun (send and close after its own close(), after the
// peer's Close frame was answered, half-open with allowHalfOpen), how close() converts its
// arguments (codes as numbers the WebIDL way, 0 for NaN/Infinity/null, reasons as strings),
// what a hibernatable end allows after its close() and in webSocketClose, the hibernation API's
// argument conversions, and a hibernatable socket woken by an RPC call rather than by a message.
import { cls } from "../scenario.mjs";
import { ws } from "./websockets-api.mjs";
import { CLIENT } from "./websockets-client.mjs";

export default [
  ws("send() and close() after each end's part of the close handshake, and half-open", "", async () => {
    const r = {};
    {
      const [a, b] = new WebSocketPair();
      a.accept();
      b.accept();
      const atA = [];
      const atB = [];
      record(a, atA);
      record(b, atB);
      a.close(4000, "x");
      r.sendAfterClose = outcomeSync(() => a.send("y"));
      r.closeAgain = outcomeSync(() => a.close(4001));
      r.closeAgainBadCode = outcomeSync(() => a.close(1005));
      await settle();
      r.answeredState = b.readyState;
      r.answeredSend = outcomeSync(() => b.send("z"));
      r.answeredClose = outcomeSync(() => b.close(1000));
      r.answeredCloseBadCode = outcomeSync(() => b.close(99));
      await settle();
      r.handshake = { atA, atB, states: [a.readyState, b.readyState] };
    }
    {
      const [a, b] = new WebSocketPair();
      a.accept();
      b.accept({ allowHalfOpen: true });
      const atA = [];
      const atB = [];
      record(a, atA);
      record(b, atB);
      a.close(4000, "x");
      await settle();
      r.halfOpenState = b.readyState;
      r.halfOpenSend = outcomeSync(() => b.send("after close"));
      await settle();
      r.halfOpenClose = outcomeSync(() => b.close(4002, "late"));
      await settle();
      r.halfOpen = { atA, atB, states: [a.readyState, b.readyState] };
    }
    return r;
  }),

  ws("close() converts its code and reason as the runtime does", "", async () => {
    const cases = {
      string: ["4000"], fraction: [4000.9], nan: [NaN], null: [null], negative: [-1], above65535: [65536 + 1000], infinity: [Infinity],
      bigint: [4000n], reasonNull: [4000, null], reasonObject: [4000, { toString: () => "obj" }], reasonNumber: [4000, 12],
      reasonSymbol: [4000, Symbol("s")], c4999: [4999], c3000: [3000], c2999: [2999], c1011: [1011], c1014: [1014], c1015: [1015], c1016: [1016],
      noCode: [undefined], noCodeNoReason: [undefined, undefined], reasonWithoutCode: [undefined, "r"],
      reason123Bytes: [4000, "\u00e9".repeat(61) + "a"], reason124Bytes: [4000, "\u00e9".repeat(62)],
    };
    const ends = {};
    for (const [name, args] of Object.entries(cases)) {
      const [a, b] = new WebSocketPair();
      a.accept();
      b.accept();
      const seen = [];
      b.addEventListener("close", (e) => seen.push([e.code, e.reason]));
      ends[name] = { outcome: outcomeSync(() => a.close(...args)), seen, a };
    }
    await settle();
    const r = {};
    for (const [name, { outcome, seen, a }] of Object.entries(ends)) {
      r[name] = { outcome, seen };
      if (a.readyState === 1) openEnds.push(a);
    }
    return hangUp(r);
  }),

  {
    name: "websockets: a hibernatable end after its close() and in webSocketClose; the hibernation API's argument conversions",
    backend: "sqlite",
    source: cls(
      `  async fetch(req) {
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server, ["t1", "t2"]);
    this.first = { binaryType: server.binaryType };
    server.binaryType = "arraybuffer";
    this.first.set = server.binaryType;
    this.first.stamp = outcomeSync(() => this.ctx.getWebSocketAutoResponseTimestamp(server));
    return new Response(null, { status: 101, webSocket: client });
  }
  async webSocketMessage(ws, m) {
    log.push(["message", typeof m === "string" ? m : "binary", ws.binaryType]);
    if (m !== "close") return;
    ws.close(4000, "c");
    log.push(["afterClose", outcomeSync(() => ws.send("x")), outcomeSync(() => ws.close(4001)), ws.readyState, outcomeSync(() => this.ctx.getTags(ws)), this.ctx.getWebSockets("t1").length]);
  }
  async webSocketClose(ws, code, reason, clean) {
    log.push(["close", code, reason, clean, ws.readyState, outcomeSync(() => ws.send("in close")), outcomeSync(() => this.ctx.getTags(ws)), this.ctx.getWebSockets().length, outcomeSync(() => ws.deserializeAttachment()), outcomeSync(() => ws.serializeAttachment({ z: 1 }))]);
  }
  async take() { return { first: this.first, log }; }
  async conversions() {
    const [, s] = Object.values(new WebSocketPair());
    s.accept();
    const out = {
      stampOfAcceptedEnd: outcomeSync(() => this.ctx.getWebSocketAutoResponseTimestamp(s)),
      stampOfObject: outcomeSync(() => this.ctx.getWebSocketAutoResponseTimestamp({})),
      stampOfNothing: outcomeSync(() => this.ctx.getWebSocketAutoResponseTimestamp()),
      tagsOfAcceptedEnd: outcomeSync(() => this.ctx.getTags(s)),
      attachmentOfAcceptedEnd: outcomeSync(() => { s.serializeAttachment({ p: 1 }); return s.deserializeAttachment(); }),
      listNull: outcomeSync(() => this.ctx.getWebSockets(null).length),
      listEmpty: outcomeSync(() => this.ctx.getWebSockets("").length),
      listNumber: outcomeSync(() => this.ctx.getWebSockets(1).length),
      listClosedTag: outcomeSync(() => this.ctx.getWebSockets("t1").length),
      listSymbol: outcomeSync(() => this.ctx.getWebSockets(Symbol("x"))),
      autoResponseNull: outcomeSync(() => this.ctx.setWebSocketAutoResponse(null)),
      autoResponsePlainObject: outcomeSync(() => this.ctx.setWebSocketAutoResponse({ request: "a", response: "b" })),
      pairEmpty: outcomeSync(() => { const p = new WebSocketRequestResponsePair("", ""); return [p.request, p.response]; }),
      pairNumbers: outcomeSync(() => { const p = new WebSocketRequestResponsePair(1, 2); return [p.request, p.response]; }),
      pairOneArgument: outcomeSync(() => new WebSocketRequestResponsePair("a")),
      pairNoArgument: outcomeSync(() => new WebSocketRequestResponsePair()),
      pairWithoutNew: outcomeSync(() => WebSocketRequestResponsePair("a", "b")),
      autoResponseUnset: outcomeSync(() => this.ctx.getWebSocketAutoResponse()),
    };
    const accept = (tags) => {
      const [, y] = Object.values(new WebSocketPair());
      return outcomeSync(() => { this.ctx.acceptWebSocket(y, tags); return this.ctx.getTags(y); });
    };
    out.tagsString = accept("abc");
    out.tagsNull = accept(null);
    out.tagsSet = accept(new Set(["a"]));
    out.tagsArrayLike = accept({ length: 1, 0: "a" });
    out.tagsEmptyString = accept([""]);
    out.tags256Bytes = accept(["\u00e9".repeat(128)]);
    out.tags257Bytes = accept(["\u00e9".repeat(128) + "a"]);
    out.tagsConverted = accept([1, null, undefined]);
    return out;
  }`,
      { extra: `${CLIENT}\nconst log = [];` },
    ),
    drive: async (env) => {
      const stub = env.DO.getByName("x");
      const { seen, ws } = await connect(stub);
      ws.send("hi");
      ws.send(new Uint8Array([1]));
      await settle();
      ws.send("close");
      await settle();
      return { seen, took: await stub.take(), conversions: await stub.conversions() };
    },
  },

  {
    name: "websockets: a hibernatable socket woken by an RPC call: new objects, binaryType back to blob, attachment and tags kept, a close wakes it again",
    backend: "sqlite",
    source: cls(
      `  constructor(ctx, env) { super(ctx, env); constructed.push(ctx.id.name); }
  async fetch(req) {
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server, ["room"]);
    server.binaryType = "arraybuffer";
    server.serializeAttachment({ who: "a" });
    this.mem = "set";
    return new Response(null, { status: 101, webSocket: client });
  }
  async look() {
    const all = this.ctx.getWebSockets();
    return { constructed: constructed.length, mem: this.mem ?? null, n: all.length, sockets: all.map((w) => ({ binaryType: w.binaryType, readyState: w.readyState, attachment: w.deserializeAttachment(), tags: this.ctx.getTags(w), sameByTag: w === this.ctx.getWebSockets("room")[0], url: w.url, protocol: w.protocol, extensions: w.extensions })) };
  }
  async push() { for (const w of this.ctx.getWebSockets()) w.send("pushed"); return constructed.length; }
  async webSocketMessage(ws, m) { log.push(["message", Object.prototype.toString.call(m), ws.binaryType, constructed.length]); }
  async webSocketClose(ws, code, reason, clean) { log.push(["close", code, reason, clean, ws.readyState, constructed.length, ws.deserializeAttachment(), this.ctx.getWebSockets().length]); }
  async takeLog() { return log; }`,
      { extra: `${CLIENT}\nconst constructed = [];\nconst log = [];` },
    ),
    drive: async (env) => {
      const stub = env.DO.getByName("w");
      const { ws, seen } = await connect(stub);
      await settle(100);
      const before = await stub.look();
      await settle(11_500);
      const woken = await stub.look();
      const pushed = await stub.push();
      ws.send(new Uint8Array([1]));
      await settle(100);
      await settle(11_500);
      ws.close(4000, "bye");
      await settle(200);
      return hangUp({ before, woken, pushed, seen, log: await stub.takeLog() });
    },
    timeoutMs: 40_000,
  },
];

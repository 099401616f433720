// Edges of the WebSocket and hibernation API beside websockets-api/-hibernation.mjs: what send()
// converts, accept()'s options (allowHalfOpen), calls on another receiver, tag arrays and
// attachment values, message sizes, a socket's state and handles after it closed, handler
// arguments and exceptions, auto-responses among a handler's sends, ctx.abort() in odd places
// and ctx.waitUntil inside an object. Events are only compared per socket (see websockets-api.mjs).
import { cls } from "../scenario.mjs";
import { CLIENT } from "./websockets-client.mjs";

/** A scenario whose DO class has `body`; `extra` is module code before the class. */
const edge = (name, body, drive, { extra = "", ...rest } = {}) => ({
  name: `websockets: ${name}`,
  backend: "sqlite",
  source: cls(body, { extra: `${CLIENT}\n${extra}` }),
  drive,
  ...rest,
});

/** fetch() answers with a hibernatable server end; the handlers log what they see. */
const HIBERNATABLE_FETCH = `  log = [];
  async fetch(req) {
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server, ["t"]);
    return new Response(null, { status: 101, webSocket: client });
  }
  async takeLog() { const log = this.log; this.log = []; return log; }`;

export default [
  edge("number and string conversions: binaryType converts its value to a string first; the event timeout (and a socket's port) refuse a BigInt, FixedLengthStream takes one", `  async go() {
    const r = {};
    const binaryType = (v) => outcomeSync(() => { const [, s] = Object.values(new WebSocketPair()); s.binaryType = v; return s.binaryType; });
    r.binaryType = { object: binaryType({ toString() { return "arraybuffer"; } }), boxed: binaryType(new String("arraybuffer")),
      throwing: binaryType({ toString() { throw new RangeError("no"); } }), symbol: binaryType(Symbol()), other: binaryType("text") };
    r.timeoutBigint = outcomeSync(() => { this.ctx.setHibernatableWebSocketEventTimeout(5n); return this.ctx.getHibernatableWebSocketEventTimeout(); });
    r.timeoutSymbol = outcomeSync(() => this.ctx.setHibernatableWebSocketEventTimeout(Symbol()));
    r.timeoutString = outcomeSync(() => { this.ctx.setHibernatableWebSocketEventTimeout("7"); return this.ctx.getHibernatableWebSocketEventTimeout(); });
    r.portBigint = outcomeSync(() => { const socket = openSocket({ hostname: "127.0.0.1", port: 1n }); socket.close(); return "connected"; });
    r.fixedLengthBigint = outcomeSync(() => { new FixedLengthStream(3n); return "made"; });
    return r;
  }`, async (env) => env.DO.getByName("conversions").go(), { extra: `import { connect as openSocket } from "cloudflare:sockets";` }),

  edge("close() checks its code and reason before the end's state: pending, closed, hibernatable and released ends refuse bad ones", `  async go() {
    const pair = () => Object.values(new WebSocketPair());
    const ends = {
      pending: () => pair()[1],
      closed: () => { const [c, s] = pair(); s.accept(); s.close(); return s; },
      hibernatableClosed: () => { const [c, s] = pair(); this.ctx.acceptWebSocket(s); s.close(); return s; },
      peerClosedFirst: () => { const [c, s] = pair(); s.accept(); c.accept(); c.close(); s.close(); return s; },
    };
    const calls = { badCode: [999], nanCode: [NaN], reasonWithoutCode: [undefined, "r"], longReason: [1000, "x".repeat(200)],
      badCodeLongReason: [999, "x".repeat(200)], fine: [1000, "fine"], none: [] };
    const r = {};
    for (const [end, make] of Object.entries(ends)) for (const [call, args] of Object.entries(calls)) r[end + " " + call] = outcomeSync(() => make().close(...args));
    globalThis.keptEnd = (() => { const [c, s] = pair(); s.accept(); return s; })();
    return r;
  }
  async closeKeptEnd() { return { badCode: outcomeSync(() => globalThis.keptEnd.close(999)), fine: outcomeSync(() => globalThis.keptEnd.close(1000)) }; }
  async fetch() {
    const [client, server] = Object.values(new WebSocketPair());
    server.accept();
    this.released = client;
    return new Response(null, { status: 101, webSocket: client });
  }
  async closeReleasedEnd() {
    const r = {};
    for (const [call, args] of Object.entries({ badCode: [999], longReason: [1000, "x".repeat(200)], reasonWithoutCode: [undefined, "r"], fine: [1000] })) {
      r[call] = outcomeSync(() => this.released.close(...args));
    }
    return { ...r, send: outcomeSync(() => this.released.send("x")), readyState: this.released.readyState };
  }`,
    async (env) => {
      const out = { here: await env.DO.getByName("a").go(), fromAnotherObject: await env.DO.getByName("b").closeKeptEnd() };
      const stub = env.DO.getByName("c");
      const res = await stub.fetch("http://ws/", { headers: { Upgrade: "websocket" } });
      res.webSocket.accept();
      out.released = await stub.closeReleasedEnd();
      res.webSocket.close(1000, "done");
      return out;
    }),

  edge("send() converts every value but binary data to text; a missing argument alone is refused", "", async () => {
    const [a, b] = new WebSocketPair();
    a.accept();
    b.accept();
    const seen = [];
    b.addEventListener("message", (e) => {
      seen.push(typeof e.data === "string" ? e.data : Object.prototype.toString.call(e.data) + ":" + e.data.size);
    });
    const detached = new ArrayBuffer(4);
    const detachedView = new Uint8Array(detached, 1);
    structuredClone(detached, { transfer: [detached] });
    const values = {
      undefined: undefined, symbol: Symbol("s"), bigint: 10n, throwingToString: { toString() { throw new RangeError("no string"); } },
      detached, detachedView, fn: function f() {}, array: [1, 2], resizable: new ArrayBuffer(2, { maxByteLength: 8 }), float: new Float64Array([1]),
    };
    const sent = {};
    for (const [k, v] of Object.entries(values)) sent[k] = outcomeSync(() => a.send(v));
    sent.twoArguments = outcomeSync(() => a.send("x", "y"));
    sent.none = outcomeSync(() => a.send());
    await settle();
    openEnds.push(a, b);
    return hangUp({ sent, seen });
  }),

  edge("accept() options: allowHalfOpen leaves a Close frame unanswered; other values", "", async () => {
    const out = {};
    const options = [["halfOpen", { allowHalfOpen: true }], ["notHalfOpen", { allowHalfOpen: false }], ["truthy", { allowHalfOpen: 1 }], ["null", null], ["number", 5], ["string", "x"]];
    for (const [k, arg] of options) {
      const [x, y] = new WebSocketPair();
      const seen = [];
      out[k] = { accept: outcomeSync(() => y.accept(arg)), xAccept: outcomeSync(() => x.accept()) };
      for (const [name, end] of [["x", x], ["y", y]]) {
        end.addEventListener("close", (e) => { seen.push([name + " close", e.code, e.reason, e.wasClean, end.readyState]); });
        end.addEventListener("error", (e) => { seen.push([name + " error", e.message]); });
        end.addEventListener("message", (e) => { seen.push([name + " message", e.data]); });
      }
      out[k].xClose = outcomeSync(() => x.close(4000, "from x"));
      await settle();
      out[k].states = [x.readyState, y.readyState];
      out[k].ySend = outcomeSync(() => y.send("after"));
      out[k].xSend = outcomeSync(() => x.send("x after"));
      // (The send first: workerd's answering end reports no lost connection when its Close
      // follows a send still under way.)
      await settle();
      out[k].yClose = outcomeSync(() => y.close(4001, "y replies"));
      await settle();
      out[k].seen = seen;
      out[k].final = [x.readyState, y.readyState];
      // (hangUp closes what is open; an end whose accept() failed cannot close.)
      openEnds.push(...("ok" in out[k].accept ? [x, y] : [x]));
    }
    return hangUp(out);
  }),

  edge(
    "ctx's hibernation methods and WebSocket's members called on another receiver",
    `  async go() {
    const c = this.ctx;
    const [x, y] = Object.values(new WebSocketPair());
    c.acceptWebSocket(y, ["t"]);
    const r = {};
    for (const k of ["acceptWebSocket", "getWebSockets", "getTags", "setWebSocketAutoResponse", "getWebSocketAutoResponse", "getWebSocketAutoResponseTimestamp", "setHibernatableWebSocketEventTimeout", "getHibernatableWebSocketEventTimeout"]) {
      const f = c[k];
      const arg = k === "acceptWebSocket" ? Object.values(new WebSocketPair())[1] : y;
      r[k] = { detached: outcomeSync(() => f(arg)), foreign: outcomeSync(() => f.call({}, arg)), length: f.length, name: f.name };
    }
    const W = WebSocket.prototype;
    r.ws = {};
    for (const k of ["send", "close", "accept", "serializeAttachment", "deserializeAttachment", "addEventListener", "removeEventListener", "dispatchEvent"]) {
      r.ws[k] = { foreign: outcomeSync(() => W[k].call({}, "x")), fromPrototype: outcomeSync(() => W[k].call(Object.create(W), "x")), length: W[k].length };
    }
    for (const k of ["readyState", "binaryType", "url", "protocol", "extensions", "bufferedAmount"]) {
      const d = Object.getOwnPropertyDescriptor(W, k);
      r.ws[k] = { kind: d ? [typeof d.get, typeof d.set, d.enumerable, d.configurable] : "none", foreign: outcomeSync(() => d?.get?.call({})), onPrototype: outcomeSync(() => W[k]) };
    }
    r.setterForeign = outcomeSync(() => Object.getOwnPropertyDescriptor(W, "binaryType").set.call({}, "blob"));
    r.stillWorks = [x.readyState, c.getTags(y)];
    r.pairArguments = outcomeSync(() => Object.keys(new WebSocketPair(1, 2)));
    r.pairSubclass = outcomeSync(() => { class P extends WebSocketPair {} const p = new P(); return [p instanceof P, Object.keys(p)]; });
    r.constructorWithoutUrl = outcomeSync(() => new WebSocket());
    r.constructorUndefinedUrl = outcomeSync(() => new WebSocket(undefined));
    return r;
  }`,
    async (env) => env.DO.getByName("d").go(),
  ),

  edge(
    "acceptWebSocket tags must be an array (holes are \"undefined\"); getWebSockets' argument; what an attachment may hold",
    `  async go() {
    const pair = () => Object.values(new WebSocketPair());
    const r = {};
    const tagsOf = (tags) => { const [c, s] = pair(); return { accept: outcomeSync(() => this.ctx.acceptWebSocket(s, tags)), tags: outcomeSync(() => this.ctx.getTags(s)) }; };
    r.set = tagsOf(new Set(["a", "b"]));
    r.generator = tagsOf((function* () { yield "g1"; })());
    r.arrayLike = tagsOf({ length: 1, 0: "x" });
    r.holes = tagsOf(["h", , "i"]);
    r.symbolTag = tagsOf([Symbol("s")]);
    r.objectTag = tagsOf([{ toString: () => "obj" }]);
    r.nullTag = tagsOf([null]);
    r.byArgument = { undefined: this.ctx.getWebSockets(undefined).length, null: this.ctx.getWebSockets(null).length, empty: this.ctx.getWebSockets("").length, none: this.ctx.getWebSockets().length, hole: this.ctx.getWebSockets("undefined").length, object: this.ctx.getWebSockets({ toString: () => "obj" }).length, symbol: outcomeSync(() => this.ctx.getWebSockets(Symbol("s"))) };
    const [c, s] = pair();
    const kinds = { stub: this.env.DO.getByName("x"), id: this.ctx.id, socket: c, request: new Request("http://x/"), response: new Response("x"), headers: new Headers(), classInstance: new (class Foo { a = 1; })(), proxy: new Proxy({}, {}), weakMap: new WeakMap(), regexp: /x/g, bigint: 5n, nestedSocket: { inner: { c } }, url: new URL("http://a/"), errorWithCause: new Error("e", { cause: 1 }), promise: Promise.resolve(1) };
    r.attachments = {};
    for (const [k, v] of Object.entries(kinds)) r.attachments[k] = outcomeSync(() => { s.serializeAttachment(v); return show(s.deserializeAttachment()); });
    return r;
  }`,
    async (env) => env.DO.getByName("t").go(),
  ),

  edge(
    "messages over 1 MiB and 32 MiB reach a hibernatable handler and an accepted end",
    `  log = [];
  async fetch(req) {
    const [client, server] = Object.values(new WebSocketPair());
    if (new URL(req.url).pathname === "/plain") {
      server.accept();
      server.addEventListener("message", (e) => { this.log.push(["plain", e.data.length]); });
      server.addEventListener("close", (e) => { this.log.push(["plain close", e.code, e.reason, e.wasClean]); });
      server.addEventListener("error", (e) => { this.log.push(["plain error", e.message]); });
    } else this.ctx.acceptWebSocket(server);
    return new Response(null, { status: 101, webSocket: client });
  }
  async webSocketMessage(ws, m) {
    this.log.push(["message", m.length]);
    if (m.startsWith("big")) ws.send("y".repeat(Number(m.slice(3))));
  }
  async webSocketClose(ws, code, reason, wasClean) { this.log.push(["close", code, reason, wasClean]); }
  async webSocketError(ws, e) { this.log.push(["error", err(e)]); }
  async takeLog() { const l = this.log; this.log = []; return l; }`,
    async (env) => {
      const out = {};
      const lengths = (seen) => seen.map((e) => (e[0] === "message" ? ["message", e[1].length] : e));
      for (const path of ["/hibernatable", "/plain"]) {
        const stub = env.DO.getByName(path);
        for (const n of [(1 << 20) + 1, 32 * (1 << 20) + 1]) {
          const { ws, seen } = await connect(stub, path);
          const send = outcomeSync(() => ws.send("x".repeat(n)));
          const log = [];
          await waitFor(async () => log.push(...(await stub.takeLog())) > 0, 5000);
          await settle();
          out[path + " " + n] = { send, seen: lengths(seen), state: ws.readyState, log: [...log, ...(await stub.takeLog())] };
        }
      }
      const stub = env.DO.getByName("/hibernatable");
      const { ws, seen } = await connect(stub, "/hibernatable");
      ws.send("big" + ((1 << 20) + 1));
      for (let waited = 0; seen.length === 0 && waited < 5000; waited += 50) await settle(50);
      out.serverSendsOver1MiB = { seen: lengths(seen), state: ws.readyState, log: await stub.takeLog() };
      return hangUp(out);
    },
    { timeoutMs: 30_000 },
  ),

  edge(
    "a socket after it closed: listing, tags, attachment, timestamp, send, close, acceptWebSocket",
    `${HIBERNATABLE_FETCH}
  async webSocketMessage(ws, m) {
    ws.serializeAttachment({ a: 1 });
    if (m !== "close") return;
    ws.close(4000, "server");
    this.log.push(["after server close", ws.readyState, this.ctx.getWebSockets().length, this.ctx.getWebSockets("t").length, outcomeSync(() => this.ctx.getTags(ws)), outcomeSync(() => ws.deserializeAttachment()), outcomeSync(() => { ws.serializeAttachment({ b: 2 }); return ws.deserializeAttachment(); })]);
  }
  async webSocketClose(ws, code, reason, wasClean) {
    this.closed = ws;
    this.log.push(["close", code, reason, wasClean, ws.readyState, this.ctx.getWebSockets().length, outcomeSync(() => this.ctx.getTags(ws)), outcomeSync(() => ws.deserializeAttachment()), outcomeSync(() => this.ctx.getWebSocketAutoResponseTimestamp(ws))]);
  }
  async later() {
    const ws = this.closed;
    return [ws.readyState, this.ctx.getWebSockets().length, outcomeSync(() => this.ctx.getTags(ws)), outcomeSync(() => ws.deserializeAttachment()), outcomeSync(() => { ws.serializeAttachment("z"); return ws.deserializeAttachment(); }), outcomeSync(() => this.ctx.getWebSocketAutoResponseTimestamp(ws)), outcomeSync(() => this.ctx.acceptWebSocket(ws))];
  }
  async sendAndClose() { return [outcomeSync(() => this.closed.send("x")), outcomeSync(() => this.closed.close(1000))]; }`,
    async (env) => {
      const stub = env.DO.getByName("a");
      const a = await connect(stub);
      a.ws.send("close");
      await settle(100);
      const b = await connect(stub);
      b.ws.send("attach");
      await settle();
      b.ws.close(4001, "client");
      await settle(100);
      const later = await stub.later();
      const seenBefore = [...b.seen];
      const sendAndClose = await stub.sendAndClose();
      await settle(100);
      return hangUp({ a: a.seen, b: seenBefore, log: await stub.takeLog(), later, sendAndClose, bAfterServerClose: b.seen.slice(seenBefore.length), bState: b.ws.readyState });
    },
  ),

  edge(
    "handlers' arguments and this; a throwing webSocketMessage or webSocketClose changes nothing",
    `${HIBERNATABLE_FETCH}
  webSocketMessage(...args) {
    this.log.push(["message", args.length, this instanceof DO, args[0] === this.ctx.getWebSockets()[0], typeof args[1]]);
    if (args[1] === "sync") throw new TypeError("sync throw");
    if (args[1] === "async") return Promise.reject(new RangeError("async rejection"));
    args[0].send("ok " + args[1]);
  }
  async webSocketClose(...args) { this.log.push(["close", args.length, this instanceof DO, args.slice(1)]); throw new Error("close threw"); }
  async webSocketError(ws, e) { this.log.push(["error", err(e)]); }`,
    async (env) => {
      const stub = env.DO.getByName("a");
      const a = await connect(stub);
      a.ws.send("sync");
      a.ws.send("async");
      a.ws.send(new Uint8Array([1]));
      a.ws.send("after");
      await settle();
      a.ws.close();
      await settle();
      const b = await connect(stub);
      b.ws.send("still");
      await settle();
      return hangUp({ a: a.seen, b: b.seen, log: await outcome(() => stub.takeLog()) });
    },
  ),

  edge(
    "a hibernatable end: auto-responses among a handler's sends, send() conversions, close() checks, send after close",
    `${HIBERNATABLE_FETCH}
  async webSocketMessage(ws, m) {
    if (m === "slow") {
      await new Promise((r) => setTimeout(r, 50));
      ws.send("slow done");
    } else if (m === "types") {
      const out = {};
      for (const [k, v] of Object.entries({ number: 42, object: { a: 1 }, blob: new Blob(["b"]), undefined: undefined, bytes: new Uint8Array([1]), null: null })) out[k] = outcomeSync(() => ws.send(v));
      ws.send(JSON.stringify(out));
    } else if (m === "close-bad") {
      ws.send(JSON.stringify({ long: outcomeSync(() => ws.close(1000, "x".repeat(124))), reserved: outcomeSync(() => ws.close(1005)), code999: outcomeSync(() => ws.close(999)) }));
    } else if (m === "send-close") {
      ws.send("last");
      ws.close(4002, "bye");
      this.log.push(["after close", ws.readyState, outcomeSync(() => ws.send("x"))]);
    }
  }
  async webSocketClose(ws, code, reason, wasClean) { this.log.push(["close", code, reason, wasClean, ws.readyState]); }
  async arm() { this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong")); }`,
    async (env) => {
      const stub = env.DO.getByName("a");
      const a = await connect(stub);
      await stub.arm();
      a.ws.send("slow");
      a.ws.send("ping");
      await settle(150);
      for (const m of ["types", "close-bad", "send-close"]) {
        a.ws.send(m);
        await settle();
      }
      return hangUp({ seen: a.seen, state: a.ws.readyState, log: await stub.takeLog() });
    },
  ),

  edge(
    "webSocket* handlers are the ones the instance has when its constructor returns",
    `  log = [];
  webSocketClose = (ws, code) => { this.log.push(["class field close", code]); };
  constructor(ctx, env) {
    super(ctx, env);
    if (ctx.id.name === "constructor") this.webSocketMessage = (ws, m) => { this.log.push(["constructor's message", m]); };
  }
  async fetch(req) {
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server);
    const name = this.ctx.id.name;
    if (name === "later") this.webSocketMessage = (ws, m) => { this.log.push(["assigned later", m]); };
    if (name === "later-error") this.webSocketError = () => {};
    if (name === "prototype") DO.prototype.webSocketMessage = function (ws, m) { this.log.push(["replaced prototype's message", m]); };
    return new Response(null, { status: 101, webSocket: client });
  }
  webSocketMessage(ws, m) { this.log.push(["prototype's message", m]); }
  async takeLog() { return this.log; }`,
    async (env) => {
      const out = {};
      // "prototype" replaces DO.prototype's method after its instance was made; "after" is made after that.
      for (const name of ["constructor", "later", "prototype", "after"]) {
        const stub = env.DO.getByName(name);
        const a = await connect(stub);
        a.ws.send("hi");
        await settle();
        a.ws.close(4000, "bye");
        await settle();
        out[name] = await outcome(() => stub.takeLog());
      }
      return hangUp(out);
    },
  ),

  edge(
    "allowHalfOpen on either end of a stub.fetch upgrade: the end answering the Close reports the connection lost",
    `  log = [];
  async fetch(req) {
    const [client, server] = Object.values(new WebSocketPair());
    const path = new URL(req.url).pathname;
    this.server = server;
    server.accept(path === "/server-half-open" ? { allowHalfOpen: true } : undefined);
    server.addEventListener("message", () => { server.close(4000, "server"); this.log.push(["after server close", server.readyState]); });
    server.addEventListener("close", (e) => { this.log.push(["close", e.code, e.reason, e.wasClean, server.readyState]); });
    server.addEventListener("error", (e) => { this.log.push(["error", e.message, server.readyState]); });
    return new Response(null, { status: 101, webSocket: client });
  }
  async reply() { this.server.send("late"); this.server.close(4001, "server replies"); return this.server.readyState; }
  async takeLog() { const l = this.log; this.log = []; return l; }`,
    async (env) => {
      const out = {};
      {
        const stub = env.DO.getByName("server");
        const { ws, seen } = await connect(stub, "/server-half-open");
        ws.close(4000, "client");
        await settle(100);
        const mid = { state: ws.readyState, seen: [...seen], log: await stub.takeLog() };
        out.serverHalfOpen = { mid, reply: await stub.reply() };
        await settle(100);
        Object.assign(out.serverHalfOpen, { seen, state: ws.readyState, log: await stub.takeLog() });
      }
      {
        const stub = env.DO.getByName("client");
        const res = await stub.fetch("http://ws/client-half-open", { headers: { Upgrade: "websocket" } });
        const ws = res.webSocket;
        const seen = [];
        ws.accept({ allowHalfOpen: true });
        record(ws, seen);
        ws.send("close please");
        await settle(100);
        const mid = { state: ws.readyState, seen: [...seen], log: await stub.takeLog(), send: outcomeSync(() => ws.send("still")) };
        await settle(100);
        ws.close(4001, "client replies");
        await settle(100);
        out.clientHalfOpen = { mid, seen, state: ws.readyState, log: await stub.takeLog() };
      }
      return out;
    },
  ),

  edge(
    "blockConcurrencyWhile started by a hibernation handler holds the socket's next message and the auto-response behind it",
    `${HIBERNATABLE_FETCH}
  async webSocketMessage(ws, m) {
    this.log.push(["start", m]);
    if (m === "block") {
      this.ctx.blockConcurrencyWhile(async () => { await new Promise((r) => setTimeout(r, 80)); ws.send("in block"); this.log.push("block ends"); });
    }
    ws.send("got " + m);
  }
  async arm() { this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong")); }`,
    async (env) => {
      const stub = env.DO.getByName("b");
      const a = await connect(stub);
      await stub.arm();
      a.ws.send("block");
      a.ws.send("next");
      a.ws.send("ping");
      await settle(200);
      return hangUp({ seen: a.seen, log: await stub.takeLog() });
    },
  ),

  edge(
    "ctx.abort() in a constructor and in blockConcurrencyWhile; nested blockConcurrencyWhile; waitUntil then abort",
    `  log = [];
  constructor(ctx, env) {
    super(ctx, env);
    constructed++;
    if (ctx.id.name === "ctor" && constructed === 1) ctx.abort("abort in constructor");
  }
  async inBlock() { await this.ctx.blockConcurrencyWhile(async () => { this.ctx.abort("abort in bcw"); }); return "after"; }
  async caughtBlock() { try { await this.ctx.blockConcurrencyWhile(async () => { throw new RangeError("x"); }); } catch (e) { return "caught " + err(e).message; } }
  async nested() { return this.ctx.blockConcurrencyWhile(async () => "outer+" + (await this.ctx.blockConcurrencyWhile(async () => "inner"))); }
  async nestedNotAwaited() {
    return this.ctx.blockConcurrencyWhile(async () => {
      this.ctx.blockConcurrencyWhile(async () => { this.log.push("inner ran"); });
      this.log.push("outer done");
      return "outer";
    });
  }
  async waitUntilThenAbort() { this.ctx.waitUntil(new Promise((r) => setTimeout(r, 10))); this.ctx.abort(); }
  async hello() { return [constructed, this.log]; }`,
    async (env) => {
      const within = (f) => Promise.race([outcome(f), settle(2000).then(() => "still pending after 2 s")]);
      const out = {};
      out.constructor = await outcome(() => env.DO.getByName("ctor").hello());
      out.constructorAgain = await outcome(() => env.DO.getByName("ctor").hello());
      out.inBlock = await outcome(() => env.DO.getByName("bcw").inBlock());
      out.afterBlock = await outcome(() => env.DO.getByName("bcw").hello());
      out.caughtBlock = await outcome(() => env.DO.getByName("caught").caughtBlock());
      out.nested = await within(() => env.DO.getByName("n").nested());
      out.nestedNotAwaited = await within(() => env.DO.getByName("n2").nestedNotAwaited());
      await settle(50);
      out.nestedNotAwaitedLog = await outcome(() => env.DO.getByName("n2").hello());
      out.waitUntilThenAbort = await outcome(() => env.DO.getByName("wu").waitUntilThenAbort());
      return out;
    },
    { extra: "let constructed = 0;" },
  ),

  edge(
    "ctx.waitUntil in an object: the call returns at once, the promise runs on, a rejection is ignored",
    `  log = [];
  async go() {
    this.ctx.waitUntil(new Promise((r) => setTimeout(r, 50)).then(() => this.log.push("waited")));
    this.ctx.waitUntil(Promise.reject(new Error("rejected in waitUntil")));
    return "returned";
  }
  async takeLog() { return this.log; }`,
    async (env) => {
      const stub = env.DO.getByName("a");
      const returned = await outcome(() => stub.go());
      const early = await stub.takeLog();
      await settle(150);
      return { returned, early: [...early], late: await stub.takeLog() };
    },
  ),

  edge(
    "the hibernatable event timeout running out",
    `  log = [];
  constructor(ctx, env) {
    super(ctx, env);
    constructed++;
  }
  async fetch(req) {
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server);
    this.ctx.setHibernatableWebSocketEventTimeout(100);
    return new Response(null, { status: 101, webSocket: client });
  }
  async webSocketMessage(ws, m) {
    this.log.push(["start", m, constructed]);
    try {
      if (m === "timer") await new Promise((r) => setTimeout(r, 400));
      if (m === "gate") await new Promise((r) => { this.open = r; });
      this.log.push(["end", m, await outcome(() => this.ctx.storage.put("k", m))]);
      ws.send("done " + m);
    } finally {
      this.log.push(["finally", m]);
    }
  }
  async release() { this.open?.(); return "released"; }
  async takeLog() { const l = this.log; this.log = []; return [constructed, l]; }`,
    async (env) => {
      const within = (f) => Promise.race([outcome(f), settle(1500).then(() => "still pending after 1.5 s")]);
      const out = {};
      for (const m of ["timer", "gate"]) {
        const stub = env.DO.getByName(m);
        const a = await connect(stub);
        a.ws.send(m);
        await settle(250);
        if (m === "gate") out.release = await within(() => stub.release());
        await settle(400);
        out[m] = { seen: a.seen, state: a.ws.readyState, log: await within(() => stub.takeLog()) };
      }
      return hangUp(out);
    },
    {
      extra: "let constructed = 0;",
      differs:
        "workerd shuts the object down without resetting it: the same instance keeps its memory and receives the next calls and messages, its pending timers never fire, and its storage calls reject; durasim resets the object (README, Differences)",
    },
  ),
];

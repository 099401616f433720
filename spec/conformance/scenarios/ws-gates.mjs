// Differential probes of hibernatable WebSockets around the gates and the socket list, beside
// websockets-*.mjs and ws-more.mjs: the order getWebSockets(tag) keeps through closes and new
// accepts, the output gate holding send() and close() behind a storage write (in a handler, in
// a transaction that rolls back, in an RPC call or an alarm), the input gate holding a
// socket's next message behind a storage read and behind a blockConcurrencyWhile an RPC call
// started, what a handler sees of the client's close codes, when getTags refuses a released
// socket, send() of detached binary data, and the client end stub.fetch hands over before and
// after accept(). Events are only compared per socket (see websockets-api.mjs).
import { cls } from "../scenario.mjs";
import { CLIENT } from "./websockets-client.mjs";

/** A scenario whose DO class is ROOM plus `more` (members added to it). */
const wsg = (name, drive, { more = "", ...rest } = {}) => ({
  name: `ws-gates: ${name}`,
  backend: "sqlite",
  source: cls(ROOM + more, { extra: `${CLIENT}\n\n${sendAndSettle}` }),
  drive,
  ...rest,
});

/** Driver code: opens socket "a" to `stub`, sends `messages` (objects as JSON) and lets them run. */
async function sendAndSettle(stub, ...messages) {
  const a = await connect(stub, "/?name=a");
  for (const m of messages) a.ws.send(typeof m === "string" ? m : JSON.stringify(m));
  await settle(150);
  return a;
}

// A room of hibernatable sockets named by `?name=` (kept as the attachment) and tagged by
// `?tag=`. A message is a JSON command; the handler logs what it did and what it saw.
const ROOM = `  log = [];
  async fetch(req) {
    const url = new URL(req.url);
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server, url.searchParams.getAll("tag"));
    server.serializeAttachment(url.searchParams.get("name"));
    return new Response(null, { status: 101, webSocket: client });
  }
  async webSocketMessage(ws, message) { return this.command(ws, message); }
  async command(ws, message) {
    const c = JSON.parse(message);
    const me = ws.deserializeAttachment();
    if (c.op === "echo") ws.send(me + ":" + c.v);
    else if (c.op === "put-send") { this.ctx.storage.put("k", c.v); ws.send("after put " + c.v); }
    else if (c.op === "send-put-close") { ws.send("before put"); this.ctx.storage.put("k", c.v); ws.close(4001, "after put"); }
    else if (c.op === "slow") { this.log.push(me + " start " + c.v); const got = await this.ctx.storage.get("k"); this.log.push(me + " end " + c.v + " " + got); }
    else if (c.op === "fast") this.log.push(me + " fast " + c.v);
    else if (c.op === "count") { const n = (await this.ctx.storage.get("n")) ?? 0; await this.ctx.storage.put("n", n + 1); ws.send(String(n + 1)); }
    else if (c.op === "count-sync") { const n = (this.ctx.storage.kv.get("n") ?? 0) + 1; this.ctx.storage.kv.put("n", n); ws.send(String(n)); }
    else if (c.op === "rollback") {
      const r = await outcome(() => this.ctx.storage.transaction(async (txn) => { await txn.put("k", "in txn"); ws.send("sent in txn"); throw new Error("undo"); }));
      ws.send(JSON.stringify({ r, k: (await this.ctx.storage.get("k")) ?? null }));
    } else if (c.op === "txn-sync") {
      const r = outcomeSync(() => this.ctx.storage.transactionSync(() => { this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS t (v)"); this.ctx.storage.sql.exec("INSERT INTO t VALUES (?)", c.v); ws.send("sent in sync txn"); if (c.fail) throw new Error("undo sync"); return "done"; }));
      const rows = this.ctx.storage.sql.exec("SELECT count(*) AS n FROM t").one().n;
      ws.send(JSON.stringify({ r, rows }));
    } else if (c.op === "broadcast") { for (const s of this.ctx.getWebSockets(c.tag)) s.send(me + " says " + c.v); }
    else if (c.op === "close") ws.close(c.code, c.reason);
    else if (c.op === "list") ws.send(JSON.stringify(this.ctx.getWebSockets(c.tag).map((s) => s.deserializeAttachment())));
  }
  async webSocketClose(ws, code, reason, wasClean) {
    this.log.push(["close", ws.deserializeAttachment(), code, reason, wasClean, ws.readyState]);
    if (ws.readyState === WebSocket.CLOSING) ws.close(1000, "bye");
  }
  async webSocketError(ws, error) { this.log.push(["error", ws.deserializeAttachment(), err(error)]); }
  async takeLog() { const log = this.log; this.log = []; return log; }
  async names(tag) { return this.ctx.getWebSockets(tag).map((s) => s.deserializeAttachment()); }
  async read(key) { return (await this.ctx.storage.get(key)) ?? null; }`;

export default [
  wsg("getWebSockets(tag) keeps acceptance order through closes from either side and new accepts", async (env) => {
    const stub = env.DO.getByName("order");
    const t = (name, tags) => connect(stub, "/?name=" + name + tags.map((x) => "&tag=" + x).join(""));
    const a = await t("a", ["x"]);
    const b = await t("b", ["x", "y"]);
    const c = await t("c", ["y", "x"]);
    const d = await t("d", []);
    const r = { start: { all: await stub.names(), x: await stub.names("x"), y: await stub.names("y") } };
    b.ws.close(3000, "b leaves");
    await settle();
    r.afterClientClose = { all: await stub.names(), x: await stub.names("x"), y: await stub.names("y") };
    c.ws.send(JSON.stringify({ op: "close", code: 3001, reason: "c told to leave" }));
    await settle();
    r.afterServerClose = { all: await stub.names(), x: await stub.names("x"), y: await stub.names("y") };
    const e = await t("e", ["x"]);
    r.afterNew = { all: await stub.names(), x: await stub.names("x"), y: await stub.names("y"), none: await stub.names("") };
    r.log = await stub.takeLog();
    r.seen = { a: a.seen, b: b.seen, c: c.seen, d: d.seen, e: e.seen };
    return hangUp(r);
  }),

  wsg("a send() after a storage put in the handler reaches the client in order with the next handler's sends", async (env) => {
    const stub = env.DO.getByName("gate-order");
    const a = await connect(stub, "/?name=a");
    for (let i = 0; i < 5; i++) {
      a.ws.send(JSON.stringify({ op: "put-send", v: "p" + i }));
      a.ws.send(JSON.stringify({ op: "echo", v: "e" + i }));
    }
    await settle(150);
    return hangUp({ seen: a.seen, k: await stub.read("k") });
  }),

  wsg("send(), a put and close() in one handler: the client sees the message, then the close, and the value is stored", async (env) => {
    const stub = env.DO.getByName("gate-close");
    const a = await sendAndSettle(stub, { op: "send-put-close", v: "closing" });
    return hangUp({ seen: a.seen, k: await stub.read("k"), log: await stub.takeLog(), names: await stub.names() });
  }),

  wsg("a storage read in a handler holds the socket's next message until it completes", async (env) => {
    const stub = env.DO.getByName("input-gate");
    await sendAndSettle(stub, { op: "slow", v: 1 }, { op: "fast", v: 2 }, { op: "slow", v: 3 }, { op: "fast", v: 4 });
    return hangUp({ log: await stub.takeLog() });
  }),

  wsg("a burst of 100 messages whose handler awaits a read and a write: every count once, in order", async (env) => {
    const stub = env.DO.getByName("burst");
    const a = await connect(stub, "/?name=a");
    for (let i = 0; i < 100; i++) a.ws.send(JSON.stringify({ op: "count" }));
    let waited = 0;
    while (a.seen.length < 100 && waited++ < 100) await settle(20);
    const counts = a.seen.map((x) => x[1]);
    return hangUp({ n: await stub.read("n"), inOrder: counts.every((x, i) => x === String(i + 1)), length: counts.length, last: counts.at(-1) });
  }),

  wsg("a burst of 100 messages whose handler counts in synchronous KV: replies in order", async (env) => {
    const stub = env.DO.getByName("burst-sync");
    const a = await connect(stub, "/?name=a");
    for (let i = 0; i < 100; i++) a.ws.send(JSON.stringify({ op: "count-sync" }));
    let waited = 0;
    while (a.seen.length < 100 && waited++ < 100) await settle(20);
    const counts = a.seen.map((x) => x[1]);
    return hangUp({ n: await stub.read("n"), inOrder: counts.every((x, i) => x === String(i + 1)), length: counts.length });
  }),

  wsg("a send() inside a transaction that rolls back still reaches the client, before the handler's next send", async (env) => {
    const stub = env.DO.getByName("rollback");
    const a = await sendAndSettle(stub, { op: "rollback" });
    return hangUp({ seen: a.seen, k: await stub.read("k") });
  }),

  wsg("transactionSync in a handler: sends inside it are delivered whether it commits or rolls back", async (env) => {
    const stub = env.DO.getByName("txn-sync");
    const a = await sendAndSettle(stub, { op: "txn-sync", v: 1 }, { op: "txn-sync", v: 2, fail: true }, { op: "txn-sync", v: 3 });
    return hangUp({ seen: a.seen });
  }),

  wsg("a broadcast to a tag from one socket's handler reaches each tagged socket once, not the others", async (env) => {
    const stub = env.DO.getByName("broadcast");
    const t = (name, tags) => connect(stub, "/?name=" + name + tags.map((x) => "&tag=" + x).join(""));
    const a = await t("a", ["room"]);
    const b = await t("b", ["room"]);
    const c = await t("c", ["other"]);
    a.ws.send(JSON.stringify({ op: "broadcast", tag: "room", v: "hi" }));
    c.ws.send(JSON.stringify({ op: "broadcast", v: "all" }));
    await settle(150);
    return hangUp({ a: a.seen, b: b.seen, c: c.seen });
  }),

  wsg("the client's close codes and reasons as webSocketClose sees them: none, 1000, 3000-4999, a 123-byte reason", async (env) => {
    const stub = env.DO.getByName("codes");
    const cases = [[], [1000], [1000, "done"], [3000, "x"], [4999, "é".repeat(61) + "z"]];
    const r = [];
    for (const [i, args] of cases.entries()) {
      const s = await connect(stub, "/?name=c" + i);
      s.ws.close(...args);
      await settle();
      r.push({ seen: s.seen, readyState: s.ws.readyState });
    }
    return hangUp({ clients: r, log: await stub.takeLog(), names: await stub.names() });
  }),

  wsg("a handler's close(): codes and reasons the client's close event reports", async (env) => {
    const stub = env.DO.getByName("server-codes");
    const cases = [{}, { code: 1000 }, { code: 1011, reason: "oops" }, { code: 4000, reason: "" }, { code: 3999, reason: "x".repeat(123) }];
    const r = [];
    for (const [i, c] of cases.entries()) {
      const s = await connect(stub, "/?name=s" + i);
      s.ws.send(JSON.stringify({ op: "close", ...c }));
      await settle();
      r.push({ seen: s.seen, readyState: s.ws.readyState });
    }
    return hangUp({ clients: r, log: await stub.takeLog(), names: await stub.names() });
  }),

  wsg(
    "messages that arrive while an RPC call's blockConcurrencyWhile runs wait for it, then run in order",
    async (env) => {
      const stub = env.DO.getByName("bcw");
      const a = await connect(stub, "/?name=a");
      const held = stub.hold();
      await settle(20);
      for (let i = 0; i < 3; i++) a.ws.send(JSON.stringify({ op: "fast", v: i }));
      const r = { held: await held };
      await settle();
      r.log = await stub.takeLog();
      return hangUp(r);
    },
    {
      more: `
  async hold() {
    return this.ctx.blockConcurrencyWhile(async () => {
      this.log.push("hold start");
      await new Promise((resolve) => setTimeout(resolve, 100));
      this.log.push("hold end");
      return "held";
    });
  }`,
    },
  ),

  wsg(
    "sends from an RPC call and from an alarm to the hibernatable sockets, after a put, reach the clients in order",
    async (env) => {
      const stub = env.DO.getByName("from-rpc");
      const a = await connect(stub, "/?name=a");
      const b = await connect(stub, "/?name=b");
      const r = { rpc: await stub.sendAll("rpc") };
      await stub.armAlarm();
      let waited = 0;
      while (a.seen.length < 4 && waited++ < 100) await settle(20);
      await settle();
      r.a = a.seen;
      r.b = b.seen;
      r.k = await stub.read("k");
      return hangUp(r);
    },
    {
      more: `
  async sendAll(v) {
    const sockets = this.ctx.getWebSockets();
    for (const s of sockets) s.send(v + " 1 to " + s.deserializeAttachment());
    this.ctx.storage.put("k", v);
    for (const s of sockets) s.send(v + " 2 to " + s.deserializeAttachment());
    return sockets.length;
  }
  async armAlarm() { await this.ctx.storage.setAlarm(Date.now() + 20); }
  async alarm() { this.sendAll("alarm"); }`,
    },
  ),

  wsg(
    "an RPC call's exception after a put and a send(): the send still reaches the client",
    async (env) => {
      const stub = env.DO.getByName("rpc-throw");
      const a = await connect(stub, "/?name=a");
      const r = { call: await outcome(() => stub.sendThenThrow()) };
      await settle();
      r.seen = a.seen;
      r.k = await stub.read("k");
      return hangUp(r);
    },
    {
      more: `
  async sendThenThrow() {
    this.ctx.storage.put("k", "written");
    for (const s of this.ctx.getWebSockets()) s.send("before the throw");
    throw new TypeError("boom");
  }`,
    },
  ),

  wsg(
    "the client end from stub.fetch: readyState, binaryType, protocol and url before and after accept(); messages and a close sent before accept()",
    async (env) => {
      const stub = env.DO.getByName("client-end");
      const res = await stub.fetch("http://ws/", { headers: { Upgrade: "websocket" } });
      const ws = res.webSocket;
      const props = () => ({ readyState: ws.readyState, binaryType: ws.binaryType, protocol: ws.protocol, url: ws.url, extensions: ws.extensions });
      const r = { status: res.status, before: props() };
      await settle();
      const seen = [];
      ws.accept();
      r.afterAccept = props();
      record(ws, seen);
      r.acceptAgain = outcomeSync(() => ws.accept());
      await settle();
      r.seen = seen;
      r.end = props();
      return r;
    },
    {
      more: `
  async fetch(req) {
    const [client, server] = Object.values(new WebSocketPair());
    server.accept();
    server.send("one");
    server.send(new Uint8Array([1, 2]));
    server.close(4321, "early");
    return new Response(null, { status: 101, webSocket: client });
  }`,
    },
  ),

  wsg(
    "the client end's binaryType set before accept() governs the binary messages it delivers",
    async (env) => {
      const stub = env.DO.getByName("client-binary");
      const res = await stub.fetch("http://ws/", { headers: { Upgrade: "websocket" } });
      const ws = res.webSocket;
      ws.binaryType = "arraybuffer";
      const seen = [];
      ws.accept();
      record(ws, seen);
      openEnds.push(ws);
      ws.send(new Uint8Array([9]));
      await settle();
      const r = { seen, binaryType: ws.binaryType };
      ws.binaryType = "blob";
      ws.send(new Uint8Array([8]));
      await settle();
      return hangUp(r);
    },
    {
      more: `
  async fetch(req) {
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server);
    return new Response(null, { status: 101, webSocket: client });
  }
  async webSocketMessage(ws, m) { ws.send(m); }`,
    },
  ),

  wsg(
    "a handler that sends after its own close() in the same turn, and one that closes twice",
    async (env) => {
      const stub = env.DO.getByName("close-then");
      const a = await sendAndSettle(stub, "twice");
      return hangUp({ seen: a.seen, log: await stub.takeLog() });
    },
    {
      more: `
  async webSocketMessage(ws, m) {
    if (m !== "twice") return this.command(ws, m);
    ws.close(4002, "first");
    this.log.push(outcomeSync(() => ws.send("after close")));
    this.log.push(outcomeSync(() => ws.close(4003, "second")));
    this.log.push(ws.readyState);
  }`,
    },
  ),

  wsg(
    "tags read back with getTags after the client closed and in webSocketClose; getWebSockets(tag) there",
    async (env) => {
      const stub = env.DO.getByName("tags-close");
      const a = await connect(stub, "/?name=a&tag=t1&tag=t2");
      const b = await connect(stub, "/?name=b&tag=t2");
      a.ws.close(1000, "bye");
      await settle();
      return hangUp({ log: await stub.takeLog(), t2: await stub.names("t2"), t1: await stub.names("t1"), b: b.seen });
    },
    {
      more: `
  async webSocketClose(ws, code, reason) {
    this.log.push(["close", ws.deserializeAttachment(), code, reason, this.ctx.getTags(ws), this.ctx.getWebSockets("t2").map((s) => s.deserializeAttachment()), ws.readyState]);
    ws.close(1000, "bye");
    this.log.push(["after reply", this.ctx.getTags(ws), this.ctx.getWebSockets("t2").map((s) => s.deserializeAttachment()), ws.readyState]);
  }`,
    },
  ),

  wsg(
    "getWebSockets() in webSocketClose after the handler awaited storage, before and after its own close()",
    async (env) => {
      const stub = env.DO.getByName("roster-close");
      const a = await connect(stub, "/?name=a&tag=t2");
      const b = await connect(stub, "/?name=b&tag=t2");
      b.ws.close(1000, "bye");
      // The handler ends after a 5 ms timer: wait for its five entries (a loaded machine can take
      // longer than one settle() to get there), for at most two seconds.
      for (let i = 0; i < 40 && (await stub.logged()) < 5; i++) await settle(50);
      return hangUp({ log: await stub.takeLog(), all: await stub.names(undefined) });
    },
    {
      more: `
  async logged() { return this.log.length; }
  async webSocketClose(ws, code, reason) {
    const names = () => this.ctx.getWebSockets().map((s) => s.deserializeAttachment());
    this.log.push(["sync", names()]);
    await this.ctx.storage.deleteAlarm();
    this.log.push(["after await", names(), ws.readyState]);
    ws.close(code, reason);
    this.log.push(["after close", names(), ws.readyState]);
    await this.ctx.storage.get("x");
    this.log.push(["after a read", names()]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.log.push(["after a timer", names()]);
  }`,
    },
  ),

  wsg(
    "an auto-response pair set by the handler answers the very next message; the timestamp is set only for matched sockets",
    async (env) => {
      const stub = env.DO.getByName("auto");
      const a = await connect(stub, "/?name=a");
      const b = await connect(stub, "/?name=b");
      a.ws.send("arm");
      a.ws.send("ping");
      await settle();
      const r = { a: a.seen, b: [...b.seen], stamps: await stub.stamps() };
      b.ws.send("pin");
      b.ws.send("ping");
      await settle();
      r.b2 = b.seen;
      r.stamps2 = await stub.stamps();
      return hangUp(r);
    },
    {
      more: `
  async webSocketMessage(ws, m) {
    if (m === "arm") { this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong")); ws.send("armed"); }
    else ws.send("handler got " + m);
  }
  async stamps() { return this.ctx.getWebSockets().map((s) => [s.deserializeAttachment(), this.ctx.getWebSocketAutoResponseTimestamp(s) instanceof Date]); }`,
    },
  ),

  wsg(
    "a webSocketMessage handler that returns a rejected promise after a put: the client, the stored value and the next message",
    async (env) => {
      const stub = env.DO.getByName("reject");
      const a = await sendAndSettle(stub, "reject");
      a.ws.send(JSON.stringify({ op: "echo", v: "next" }));
      await settle();
      return hangUp({ seen: a.seen, k: await stub.read("k"), names: await stub.names(), log: await stub.takeLog() });
    },
    {
      more: `
  async webSocketMessage(ws, m) {
    if (m !== "reject") return this.command(ws, m);
    this.ctx.storage.put("k", "before reject");
    ws.send("sent before reject");
    return Promise.reject(new RangeError("handler rejected"));
  }`,
    },
  ),

  wsg(
    "an auto-response while the handler of the message before it awaits storage, and while a put holds the output gate",
    async (env) => {
      const stub = env.DO.getByName("auto-gate");
      const a = await sendAndSettle(stub, "arm");
      a.ws.send("slow");
      a.ws.send("ping");
      await settle();
      a.ws.send("put");
      a.ws.send("ping");
      await settle();
      return hangUp({ seen: a.seen, log: await stub.takeLog() });
    },
    {
      more: `
  async webSocketMessage(ws, m) {
    if (m === "arm") { this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong")); ws.send("armed"); }
    else if (m === "slow") { this.log.push("slow start"); await this.ctx.storage.get("k"); this.log.push("slow end"); ws.send("slow done"); }
    else if (m === "put") { this.ctx.storage.put("k", 1); ws.send("put done"); }
    else this.log.push("handler got " + m);
  }`,
    },
  ),

  wsg(
    "a binary frame with the auto-response request's bytes goes to the handler",
    async (env) => {
      const stub = env.DO.getByName("auto-binary");
      const a = await sendAndSettle(stub, "arm");
      a.ws.send(new TextEncoder().encode("ping"));
      a.ws.send("ping");
      a.ws.send("ping ");
      await settle();
      return hangUp({ seen: a.seen });
    },
    {
      more: `
  async webSocketMessage(ws, m) {
    if (m === "arm") { this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong")); ws.send("armed"); }
    else ws.send("handler got " + (typeof m === "string" ? JSON.stringify(m) : Object.prototype.toString.call(m) + " " + m.byteLength));
  }`,
    },
  ),

  wsg(
    "the client sends then closes at once: the handler's reply after a storage read, and webSocketClose after the message",
    async (env) => {
      const stub = env.DO.getByName("send-close");
      const a = await connect(stub, "/?name=a");
      a.ws.send(JSON.stringify({ op: "reply-late" }));
      a.ws.close(3005, "gone");
      const state = a.ws.readyState;
      await settle(150);
      return hangUp({ state, seen: a.seen, log: await stub.takeLog() });
    },
    {
      more: `
  async webSocketMessage(ws, m) {
    this.log.push(["message", m, ws.readyState]);
    await this.ctx.storage.get("k");
    this.log.push(["after read", ws.readyState, outcomeSync(() => ws.send("late reply"))]);
  }`,
    },
  ),

  wsg(
    "a socket's attachment and tags seen from another socket's handler, and after the other socket closed",
    async (env) => {
      const stub = env.DO.getByName("cross");
      const a = await connect(stub, "/?name=a&tag=ta");
      const b = await connect(stub, "/?name=b&tag=tb");
      a.ws.send("inspect");
      await settle();
      b.ws.close(1000, "b done");
      await settle();
      a.ws.send("inspect");
      await settle();
      return hangUp({ a: a.seen, log: await stub.takeLog() });
    },
    {
      more: `
  kept = null;
  async webSocketMessage(ws, m) {
    if (m !== "inspect") return this.command(ws, m);
    const others = this.ctx.getWebSockets("tb");
    if (others.length) this.kept = others[0];
    const o = this.kept;
    ws.send(JSON.stringify({ listed: others.length, att: outcomeSync(() => o.deserializeAttachment()), tags: outcomeSync(() => this.ctx.getTags(o)), state: o.readyState, set: outcomeSync(() => o.serializeAttachment("changed")), send: outcomeSync(() => o.send("from a")) }));
  }`,
    },
  ),

  wsg(
    "getTags on a socket whose webSocketClose ran: kept while the object has not closed it, refused once it has",
    async (env) => {
      const stub = env.DO.getByName("released");
      const a = await connect(stub, "/?name=a&tag=ta");
      a.ws.close(3000, "client first");
      await settle();
      const r = { closing: await stub.inspect() };
      r.afterClose = await stub.closeKept();
      await settle();
      r.seen = a.seen;
      r.log = await stub.takeLog();
      return hangUp(r);
    },
    {
      more: `
  keptSocket = null;
  async webSocketClose(ws, code, reason) {
    this.keptSocket = ws;
    await this.ctx.storage.get("k");
    this.log.push(["closed", code, reason, ws.readyState, outcomeSync(() => this.ctx.getTags(ws)), this.ctx.getWebSockets().length]);
  }
  inspect() { const ws = this.keptSocket; return [ws.readyState, outcomeSync(() => this.ctx.getTags(ws)), outcomeSync(() => ws.deserializeAttachment()), outcomeSync(() => this.ctx.getWebSocketAutoResponseTimestamp(ws))]; }
  closeKept() { this.keptSocket.close(1000, "now"); return this.inspect(); }`,
    },
  ),

  wsg(
    "a handler's close() does not stop the socket's next messages: they reach webSocketMessage; an auto-response after it is not sent but stamped",
    async (env) => {
      const stub = env.DO.getByName("close-then-more");
      const a = await connect(stub, "/?name=a");
      await stub.arm();
      a.ws.send(JSON.stringify({ op: "close", code: 4010, reason: "ping last" }));
      a.ws.send("ping");
      await settle(150);
      const r = { pingLast: { seen: a.seen, log: await stub.takeLog(), stamped: await stub.stamped() } };
      const b = await connect(stub, "/?name=b");
      b.ws.send(JSON.stringify({ op: "close", code: 4011, reason: "no ping" }));
      b.ws.send(JSON.stringify({ op: "fast", v: "after close" }));
      await settle(150);
      r.noPing = { seen: b.seen, log: await stub.takeLog() };
      const c = await connect(stub, "/?name=c");
      c.ws.send("ping");
      c.ws.send(JSON.stringify({ op: "close", code: 4012, reason: "ping first" }));
      c.ws.send(JSON.stringify({ op: "fast", v: "after close" }));
      await settle(150);
      r.pingFirst = { seen: c.seen, log: await stub.takeLog() };
      return hangUp(r);
    },
    {
      more: `
  kept = null;
  async arm() { this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong")); this.kept = this.ctx.getWebSockets()[0]; }
  async stamped() { return outcomeSync(() => this.ctx.getWebSocketAutoResponseTimestamp(this.kept) instanceof Date); }`,
    },
  ),

  wsg(
    "a webSocketClose handler that awaits storage before replying: what it sees, what the client gets",
    async (env) => {
      const stub = env.DO.getByName("close-await");
      const a = await connect(stub, "/?name=a&tag=t");
      a.ws.close(3333, "bye now");
      await settle(150);
      return hangUp({ seen: a.seen, log: await stub.takeLog(), names: await stub.names(), later: await stub.later() });
    },
    {
      more: `
  keptSocket = null;
  later() { return [this.keptSocket.readyState, outcomeSync(() => this.ctx.getTags(this.keptSocket))]; }
  async webSocketClose(ws, code, reason, wasClean) {
    this.keptSocket = ws;
    this.log.push(["start", code, reason, wasClean, ws.readyState, this.ctx.getWebSockets().length]);
    await this.ctx.storage.put("closed", code);
    this.log.push(["after put", ws.readyState, this.ctx.getWebSockets().length, outcomeSync(() => this.ctx.getTags(ws))]);
    ws.close(code, "echo " + reason);
    this.log.push(["after reply", ws.readyState, outcomeSync(() => this.ctx.getTags(ws)), outcomeSync(() => ws.send("late"))]);
  }`,
    },
  ),

  wsg(
    "send() of detached binary data from a handler and across a plain pair",
    async (env) => {
      const stub = env.DO.getByName("detached");
      const a = await sendAndSettle(stub, "detach");
      return hangUp({ seen: a.seen, plain: await stub.plain() });
    },
    {
      more: `
  detachedValues() {
    const whole = new ArrayBuffer(4);
    const view = new Uint8Array(whole, 1, 2);
    structuredClone(whole, { transfer: [whole] });
    return { buffer: whole, view, dataView: new DataView(new ArrayBuffer(0)) };
  }
  async webSocketMessage(ws, m) {
    if (m !== "detach") return this.command(ws, m);
    const r = {};
    for (const [k, v] of Object.entries(this.detachedValues())) r[k] = outcomeSync(() => ws.send(v));
    ws.send(JSON.stringify(r));
  }
  async plain() {
    const [x, y] = Object.values(new WebSocketPair());
    x.accept();
    y.accept();
    const got = [];
    y.addEventListener("message", (e) => got.push(shownData(e.data)));
    const r = {};
    for (const [k, v] of Object.entries(this.detachedValues())) r[k] = outcomeSync(() => x.send(v));
    await settle(30);
    return { r, got };
  }`,
    },
  ),

  wsg(
    "webSocketClose writes, sends and then closes: the client, CLOSING, gets the message before the reply",
    async (env) => {
      const stub = env.DO.getByName("last-words");
      const a = await connect(stub, "/?name=a");
      a.ws.close(3100, "leaving");
      const state = a.ws.readyState;
      await settle(150);
      return hangUp({ state, seen: a.seen, log: await stub.takeLog(), k: await stub.read("k") });
    },
    {
      more: `
  async webSocketClose(ws, code, reason) {
    this.ctx.storage.put("k", "closed " + code);
    this.log.push(outcomeSync(() => ws.send("last words")));
    ws.close(code, "echo " + reason);
  }`,
    },
  ),

  wsg(
    "an accept()ed end's async listener reading storage: the next message's listener waits for the read",
    async (env) => {
      const stub = env.DO.getByName("plain-gate");
      const res = await stub.fetch("http://ws/", { headers: { Upgrade: "websocket" } });
      const ws = res.webSocket;
      const seen = [];
      ws.accept();
      record(ws, seen);
      openEnds.push(ws);
      for (const m of ["slow1", "fast2", "slow3", "fast4"]) ws.send(m);
      await settle(150);
      return hangUp({ seen, log: await stub.takeLog() });
    },
    {
      more: `
  async fetch(req) {
    const [client, server] = Object.values(new WebSocketPair());
    server.accept();
    server.addEventListener("message", async (e) => {
      this.log.push("start " + e.data);
      if (e.data.startsWith("slow")) { await this.ctx.storage.get("k"); this.log.push("end " + e.data); }
      server.send("done " + e.data);
    });
    return new Response(null, { status: 101, webSocket: client });
  }`,
    },
  ),

  wsg(
    "the client's close while a message's handler awaits storage: webSocketClose runs after that handler",
    async (env) => {
      const stub = env.DO.getByName("close-behind");
      const a = await connect(stub, "/?name=a");
      a.ws.send(JSON.stringify({ op: "slow", v: 1 }));
      a.ws.close(3200, "done");
      await settle(150);
      return hangUp({ seen: a.seen, log: await stub.takeLog() });
    },
  ),

  wsg(
    "another socket's messages wait while one socket's handler holds blockConcurrencyWhile",
    async (env) => {
      const stub = env.DO.getByName("bcw-two");
      const a = await connect(stub, "/?name=a");
      const b = await connect(stub, "/?name=b");
      a.ws.send("block");
      await settle(20);
      b.ws.send(JSON.stringify({ op: "fast", v: 1 }));
      b.ws.send(JSON.stringify({ op: "echo", v: 2 }));
      await settle(200);
      return hangUp({ a: a.seen, b: b.seen, log: await stub.takeLog() });
    },
    {
      more: `
  async webSocketMessage(ws, m) {
    if (m !== "block") return this.command(ws, m);
    await this.ctx.blockConcurrencyWhile(async () => {
      this.log.push("block start");
      await new Promise((resolve) => setTimeout(resolve, 80));
      this.log.push("block end");
    });
    ws.send("unblocked");
  }`,
    },
  ),

  wsg(
    "an auto-response behind a handler awaiting a transaction, a call to another object or a timer, and during an RPC call's blockConcurrencyWhile",
    async (env) => {
      const stub = env.DO.getByName("auto-behind");
      await stub.arm();
      const r = {};
      for (const how of ["txn", "call", "timer"]) {
        const s = await connect(stub, "/?name=" + how);
        s.ws.send(how);
        s.ws.send("ping");
        await settle(150);
        r[how] = s.seen;
      }
      const s = await connect(stub, "/?name=bcw");
      const held = stub.hold();
      await settle(20);
      s.ws.send("ping");
      s.ws.send("after");
      r.held = await held;
      await settle(150);
      r.bcw = s.seen;
      r.log = await stub.takeLog();
      return hangUp(r);
    },
    {
      more: `
  async arm() { this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong")); }
  async ping() { return "other"; }
  async hold() {
    return this.ctx.blockConcurrencyWhile(async () => {
      await new Promise((resolve) => setTimeout(resolve, 80));
      this.log.push("hold end");
      return "held";
    });
  }
  async webSocketMessage(ws, m) {
    if (m === "txn") await this.ctx.storage.transaction(async (txn) => { await txn.put("t", 1); await txn.get("t"); });
    else if (m === "call") await this.env.DO.getByName("elsewhere").ping();
    else if (m === "timer") await new Promise((resolve) => setTimeout(resolve, 30));
    else this.log.push("handler got " + m);
    ws.send(m + " done");
  }`,
    },
  ),

  wsg(
    "an auto-response behind a handler awaiting put(), sync(), setAlarm(), getAlarm(), list() or deleteAll()",
    async (env) => {
      const stub = env.DO.getByName("auto-storage");
      await stub.arm();
      const r = {};
      for (const how of ["put", "sync", "setAlarm", "getAlarm", "list", "deleteAll"]) {
        const s = await connect(stub, "/?name=" + how);
        s.ws.send(how);
        s.ws.send("ping");
        await settle(100);
        r[how] = s.seen;
      }
      return hangUp(r);
    },
    {
      more: `
  async arm() { this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong")); }
  async alarm() {}
  async webSocketMessage(ws, m) {
    const storage = this.ctx.storage;
    if (m === "put") await storage.put("p", 1);
    else if (m === "sync") { storage.put("p", 2); await storage.sync(); }
    else if (m === "setAlarm") await storage.setAlarm(Date.now() + 60_000);
    else if (m === "getAlarm") await storage.getAlarm();
    else if (m === "list") await storage.list();
    else if (m === "deleteAll") await storage.deleteAll();
    ws.send(m + " done");
  }`,
    },
  ),

  wsg(
    "the client's close while a handler awaits a timer: webSocketClose runs meanwhile; what the handler can do after",
    async (env) => {
      const stub = env.DO.getByName("close-during-timer");
      const a = await connect(stub, "/?name=a&tag=t");
      a.ws.send("wait");
      a.ws.close(3300, "not waiting");
      await settle(200);
      return hangUp({ seen: a.seen, log: await stub.takeLog() });
    },
    {
      more: `
  async webSocketMessage(ws, m) {
    this.log.push(["start", ws.readyState]);
    await new Promise((resolve) => setTimeout(resolve, 60));
    this.log.push(["after timer", ws.readyState, this.ctx.getWebSockets().length, outcomeSync(() => this.ctx.getTags(ws)), outcomeSync(() => ws.send("late"))]);
  }
  async webSocketClose(ws, code, reason) {
    this.log.push(["close", code, reason, ws.readyState]);
    ws.close(code, "echo");
  }`,
    },
  ),
];

// An end whose message listener throws drops its connection. The other end hears of it as a
// connection that failed (the `error` "Network connection lost." before close 1006, CLOSED)
// only when a frame it sent was left unread, or was sent before the news reached it: its send
// then fails, as over workerd's pipes. Otherwise it sees close 1006 alone (OPEN in the event,
// CLOSING after it) and drops its later sends without a word. Across an upgrade (the caller's
// end of a Response's WebSocket) a Close frame left unread alone fails after the close event.
// The same holds for an object's ends dropped by a reset (ctx.abort()), where an accept()ed
// end's read loop has taken the frame after the last message it dispatched, and a hibernatable
// end has taken every frame (an unanswered Close frame fails after the close event). The
// caller's end of an upgrade whose listener throws fails the connection outright: the object's
// end hears of it as lost whatever it sent (a hibernatable one reads CLOSED in webSocketClose).
import { cls } from "../scenario.mjs";
import { ws } from "./websockets-api.mjs";
import { CLIENT } from "./websockets-client.mjs";

/**
 * A pair in the driver whose end `b` throws at "boom" (after sending "reply" first, with
 * `replyFirst`); `then` is driver code run right after a sends "boom".
 */
const pairThrows = (name, then, replyFirst = false) =>
  ws(
    `a listener that throws at a message: the other end when ${name}`,
    "",
    `async () => {
  const [a, b] = new WebSocketPair();
  a.accept();
  b.accept();
  const atA = [];
  const atB = [];
  b.addEventListener("message", (e) => { atB.push(["message", e.data]); if (e.data === "boom") { ${replyFirst ? 'b.send("reply");' : ""} throw new Error("threw"); } });
  b.addEventListener("close", (e) => atB.push(["close", e.code, e.reason, e.wasClean]));
  b.addEventListener("error", (e) => atB.push(["error", e.message]));
  a.addEventListener("message", (e) => atA.push(["message", e.data]));
  a.addEventListener("close", (e) => atA.push(["close", e.code, e.reason, e.wasClean, a.readyState]));
  a.addEventListener("error", (e) => atA.push(["error", e.message, a.readyState]));
  a.send("boom");
  ${then}
  await settle();
  const states = [a.readyState, b.readyState];
  const aSend = outcomeSync(() => a.send("late"));
  await settle();
  const aClose = outcomeSync(() => a.close(1000, "over"));
  await settle();
  return { atA, atB, states, aSend, aClose, end: [a.readyState, b.readyState] };
}`,
  );

/** An object whose accepted server end throws at "boom" and echoes anything else. */
const SERVER = `  async fetch(req) {
    const [client, server] = Object.values(new WebSocketPair());
    server.accept();
    server.addEventListener("message", (e) => { if (e.data === "boom") throw new Error("server listener threw"); server.send("echo " + e.data); });
    return new Response(null, { status: 101, webSocket: client });
  }`;

const objectThrows = (name, then) =>
  ws(
    `a listener of an object's end that throws at a message: the client when ${name}`,
    SERVER,
    `async (env) => {
  const { ws, seen } = await connect(env.DO.getByName("x"));
  ws.send("a");
  await settle();
  ws.send("boom");
  ${then}
  await settle();
  const state = ws.readyState;
  const late = outcomeSync(() => ws.send("late"));
  await settle();
  return { seen, state, late, end: ws.readyState };
}`,
  );

/** An object that calls ctx.abort() at "abort" (its end accept()ed, or hibernatable with `hib`) and echoes anything else. */
const ABORTS = (hib) => `  async fetch(req) {
    const [client, server] = Object.values(new WebSocketPair());
    ${hib ? "this.ctx.acceptWebSocket(server);" : 'server.accept(); server.addEventListener("message", (e) => this.webSocketMessage(server, e.data));'}
    return new Response(null, { status: 101, webSocket: client });
  }
  webSocketMessage(ws, m) { if (m === "abort") this.ctx.abort("bye"); else ws.send("echo " + m); }`;

/** An object whose accept()ed end, at "block", blocks concurrency for 50 ms and then calls ctx.abort(). */
const BLOCKS = `  async fetch(req) {
    const [client, server] = Object.values(new WebSocketPair());
    server.accept();
    server.addEventListener("message", (e) => {
      if (e.data === "block") this.ctx.blockConcurrencyWhile(async () => { await new Promise((r) => setTimeout(r, 50)); this.ctx.abort("bye"); });
      else server.send("echo " + e.data);
    });
    return new Response(null, { status: 101, webSocket: client });
  }`;

/** The client of an object sends "a", then `trigger` and runs `then`; what it sees. */
const objectDrops = (name, body, trigger, then) =>
  ws(
    `an object's end dropped by a reset: the client when ${name}`,
    body,
    `async (env) => {
  const { ws, seen } = await connect(env.DO.getByName("x"));
  ws.send("a");
  await settle();
  ws.send("${trigger}");
  ${then}
  await settle(150);
  const late = outcomeSync(() => ws.send("late"));
  await settle();
  return { seen, late, end: ws.readyState };
}`,
  );

/** An object whose end (hibernatable with `hib`, else accept()ed) runs `sends` at "go"; what its handlers or listeners saw. */
const SENDER = (hib, sends) => `  async fetch(req) {
    const [client, server] = Object.values(new WebSocketPair());
    ${hib ? "this.ctx.acceptWebSocket(server);" : `server.accept();
    server.addEventListener("message", (e) => this.webSocketMessage(server, e.data));
    server.addEventListener("close", (e) => log.push(["close", e.code, e.reason, e.wasClean, server.readyState]));
    server.addEventListener("error", (e) => log.push(["error", e.message, server.readyState]));`}
    return new Response(null, { status: 101, webSocket: client });
  }
  webSocketMessage(ws, m) { if (m === "go") { ${sends} } }
  webSocketClose(ws, code, reason, clean) { log.push(["close", code, reason, clean, ws.readyState]); }
  webSocketError(ws, e) { log.push(["webSocketError", String(e), ws.readyState]); }
  async takeLog() { return log; }`;

/** The client's listener throws at "boom", which the object's end sends at "go" (then `sends` more). */
const clientThrows = (name, hib, sends) => ({
  name: `websockets: a listener of the client that throws at a message: the object's ${hib ? "hibernatable" : "accept()ed"} end when ${name}`,
  backend: "sqlite",
  source: cls(SENDER(hib, `ws.send("boom"); ${sends}`), { extra: `${CLIENT}\nconst log = [];` }),
  drive: async (env) => {
    const stub = env.DO.getByName("x");
    const res = await stub.fetch("http://ws/", { headers: { Upgrade: "websocket" } });
    const c = res.webSocket;
    c.accept();
    const seen = [];
    c.addEventListener("message", (e) => {
      seen.push(e.data);
      if (e.data === "boom") throw new Error("client threw");
    });
    c.addEventListener("error", (e) => seen.push(["error", e.message]));
    c.send("go");
    await settle(150);
    return { seen, log: await stub.takeLog() };
  },
});

export default [
  clientThrows("it sent nothing more", false, ""),
  clientThrows("a frame it sent after is unread", false, 'ws.send("after");'),
  clientThrows("its Close frame is unread", false, 'ws.close(4000, "bye");'),
  clientThrows("it sent nothing more", true, ""),
  clientThrows("a frame it sent after is unread", true, 'ws.send("after");'),
  clientThrows("its Close frame is unread", true, 'ws.close(4000, "bye");'),
  objectDrops("the accept()ed end read every frame", ABORTS(false), "abort", ""),
  objectDrops("a frame is unread by the accept()ed end", ABORTS(false), "abort", 'ws.send("b");'),
  objectDrops("its Close frame is unread by the accept()ed end", ABORTS(false), "abort", 'ws.close(4000, "bye");'),
  objectDrops("the hibernatable end read every frame", ABORTS(true), "abort", ""),
  objectDrops("a frame followed the abort to the hibernatable end", ABORTS(true), "abort", 'ws.send("b");'),
  objectDrops("its Close frame followed the abort to the hibernatable end", ABORTS(true), "abort", 'ws.close(4000, "bye");'),
  objectDrops("one frame waits for the object's turn (taken off the connection)", BLOCKS, "block", 'ws.send("b");'),
  objectDrops("two frames wait for the object's turn", BLOCKS, "block", 'ws.send("b"); ws.send("c");'),
  objectDrops("its Close frame waits for the object's turn", BLOCKS, "block", 'ws.close(4000, "bye");'),
  objectDrops("a frame and its Close frame wait for the object's turn", BLOCKS, "block", 'ws.send("b"); ws.close(4000, "bye");'),
  pairThrows("it had read every frame", ""),
  pairThrows("a frame it sent after is unread", 'a.send("after");'),
  pairThrows("its Close frame is unread", 'a.close(1000, "bye");'),
  pairThrows("the thrower replied first", "", true),
  pairThrows("the thrower replied first and a frame is unread", 'a.send("after");', true),
  pairThrows("it sends once the connection is gone, before it hears so", 'b.addEventListener("message", () => queueMicrotask(() => a.send("too late")));'),
  pairThrows("it sends once it heard (a timer set by the throwing end's listener)", 'b.addEventListener("message", () => setTimeout(() => a.send("too late"), 0));'),
  pairThrows("it sends once it heard (after a pause)", 'await settle(); a.send("after");'),
  objectThrows("it had read every frame", ""),
  objectThrows("a frame it sent after is unread", 'ws.send("b");'),
  objectThrows("its Close frame is unread", 'ws.close(4000, "bye");'),
  objectThrows("a frame and its Close frame are unread", 'ws.send("b"); ws.close(4000, "bye");'),
  objectThrows("it closes in a microtask", 'queueMicrotask(() => ws.close(4000, "bye"));'),
  objectThrows("it closes once it heard", 'await settle(0); ws.close(4000, "bye");'),
  ws(
    "a listener of an object's end that throws at a message: its caller in another object when its Close frame is unread",
    `${SERVER}
  async call() {
    const res = await this.env.DO.getByName("server").fetch("http://x/", { headers: { Upgrade: "websocket" } });
    const a = res.webSocket;
    a.accept();
    const seen = [];
    a.addEventListener("close", (e) => seen.push(["close", e.code, e.reason, e.wasClean, a.readyState]));
    a.addEventListener("error", (e) => seen.push(["error", e.message, a.readyState]));
    a.send("boom");
    a.close(4000, "bye");
    await new Promise((r) => setTimeout(r, 60));
    return seen;
  }`,
    async (env) => env.DO.getByName("caller").call(),
  ),
  ws(
    "a listener that throws at a message: the other end in the same object when its Close frame is unread",
    `  async go() {
    const [a, b] = new WebSocketPair();
    a.accept();
    b.accept();
    const seen = [];
    b.addEventListener("message", () => { throw new Error("threw"); });
    a.addEventListener("close", (e) => seen.push(["close", e.code, e.reason, e.wasClean, a.readyState]));
    a.addEventListener("error", (e) => seen.push(["error", e.message, a.readyState]));
    a.send("boom");
    a.close(4000, "bye");
    await new Promise((r) => setTimeout(r, 60));
    return seen;
  }`,
    async (env) => env.DO.getByName("x").go(),
  ),
];

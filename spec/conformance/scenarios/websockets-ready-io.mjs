// workerd runs every event that is ready before it looks at the clock: a timer that falls due
// while frames cross to, from or within a Durable Object (ends accepted with accept() or
// ctx.acceptWebSocket(), a handler that writes storage first) fires only after the whole
// exchange. websockets-events.mjs has the pair in a Worker.
import { ws } from "./websockets-api.mjs";

/** Listeners on `end` that record each message and answer it with the next number, up to 20. */
const VOLLEY = `const volley = (end, name, seen, each = () => undefined) => end.addEventListener("message", (e) => { seen.push(name + e.data); each(e.data); if (Number(e.data) < 20) end.send(String(Number(e.data) + 1)); });`;

/** The driver: a client of the object volleys with it, and the driver's timer falls due at once. */
const CLIENT_VOLLEY = async (env) => {
  const { ws } = await connect(env.DO.getByName("x"));
  const seen = [];
  ws.addEventListener("message", (e) => {
    seen.push(e.data);
    if (Number(e.data) < 20) ws.send(String(Number(e.data) + 1));
  });
  await settle();
  setTimeout(() => seen.push("timer"), 1);
  ws.send("0");
  // The timer is due before the first frame arrives.
  for (const until = Date.now() + 30; Date.now() < until; );
  await settle(150);
  return hangUp(seen);
};

/** Upgrades with a hibernatable server end. */
const HIBERNATABLE = `  async fetch(req) {
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server);
    return new Response(null, { status: 101, webSocket: client });
  }`;

/** A pair made in the object, its timer due at once; `each` runs at each message. */
const objectPair = (each) => `  async go() {
    ${VOLLEY}
    const [a, b] = new WebSocketPair();
    a.accept();
    b.accept();
    const seen = [];
    const each = ${each};
    volley(a, "a", seen, each);
    volley(b, "b", seen, each);
    setTimeout(() => seen.push("timer"), 1);
    a.send("0");
    for (const until = Date.now() + 30; Date.now() < until; );
    await new Promise((r) => setTimeout(r, 100));
    return seen;
  }`;

export default [
  ws("a timer of an object falls due during a back-and-forth across its own pair", objectPair("() => undefined"), async (env) => env.DO.getByName("x").go()),
  ws(
    "a timer of an object falls due during a back-and-forth across its own pair whose listeners write storage",
    objectPair("(m) => this.ctx.storage.put(\"k\", m)"),
    async (env) => env.DO.getByName("x").go(),
  ),
  ws(
    "a timer of the client falls due during a back-and-forth with an object's accept()ed end",
    `  async fetch(req) {
    const [client, server] = Object.values(new WebSocketPair());
    server.accept();
    server.addEventListener("message", (e) => { if (Number(e.data) < 20) server.send(String(Number(e.data) + 1)); });
    return new Response(null, { status: 101, webSocket: client });
  }`,
    CLIENT_VOLLEY,
  ),
  ws(
    "a timer of the client falls due during a back-and-forth with an object's hibernatable end",
    `${HIBERNATABLE}
  webSocketMessage(ws, m) { if (Number(m) < 20) ws.send(String(Number(m) + 1)); }`,
    CLIENT_VOLLEY,
  ),
  ws(
    "a timer of the client falls due during a back-and-forth with a hibernatable end whose handler writes and reads storage",
    `${HIBERNATABLE}
  async webSocketMessage(ws, m) { this.ctx.storage.put("k", m); await this.ctx.storage.get("k"); if (Number(m) < 20) ws.send(String(Number(m) + 1)); }`,
    CLIENT_VOLLEY,
  ),
  ws(
    "a timer of an object's handler falls due during a back-and-forth with its hibernatable end",
    `  seen = [];
${HIBERNATABLE}
  webSocketMessage(ws, m) {
    this.seen.push(m);
    if (m === "0") { setTimeout(() => this.seen.push("timer"), 1); for (const until = Date.now() + 30; Date.now() < until; ); }
    if (Number(m) < 20) ws.send(String(Number(m) + 1));
  }
  async take() { return this.seen; }`,
    async (env) => {
      const stub = env.DO.getByName("x");
      const { ws } = await connect(stub);
      ws.addEventListener("message", (e) => {
        if (Number(e.data) < 20) ws.send(String(Number(e.data) + 1));
      });
      await settle();
      ws.send("0");
      await settle(150);
      return hangUp(await stub.take());
    },
  ),
];

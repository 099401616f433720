// Realistic apps, part 2: a chat room on the WebSocket hibernation API. Members join over
// fetch with tags (the channel and a role), carry their profile in the socket's attachment,
// talk in JSON, and the room keeps its history in SQLite; an admin kicks members over RPC and
// an alarm posts a reminder to everyone still connected. Per-socket records (what each client
// saw, in order) plus the room's own log are compared, as in websockets-hibernation.mjs.
import { cls } from "../scenario.mjs";
import { CLIENT } from "./websockets-client.mjs";

const ROOM = cls(`  log = [];
  constructor(ctx, env) {
    super(ctx, env);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
    ctx.blockConcurrencyWhile(async () => {
      ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY AUTOINCREMENT, channel TEXT NOT NULL, author TEXT NOT NULL, body TEXT NOT NULL)");
    });
  }
  async fetch(req) {
    const url = new URL(req.url);
    const name = url.searchParams.get("name");
    const channel = url.searchParams.get("channel");
    if (this.ctx.getWebSockets("user:" + name).length > 0) return new Response("name taken: " + name, { status: 409 });
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server, ["channel:" + channel, "user:" + name, ...url.searchParams.getAll("role")]);
    server.serializeAttachment({ name, channel, said: 0 });
    this.broadcast(channel, { type: "joined", name }, server);
    return new Response(null, { status: 101, webSocket: client });
  }
  broadcast(channel, event, except) {
    const text = JSON.stringify(event);
    let sent = 0;
    for (const ws of this.ctx.getWebSockets("channel:" + channel)) {
      if (ws === except) continue;
      try { ws.send(text); sent++; } catch (e) { this.log.push(["sendFailed", ws.deserializeAttachment().name, err(e)]); }
    }
    return sent;
  }
  async webSocketMessage(ws, raw) {
    const me = ws.deserializeAttachment();
    let msg;
    try { msg = JSON.parse(raw); } catch (e) { ws.send(JSON.stringify({ type: "error", error: e.name })); return; }
    this.log.push(["message", me.name, msg.type]);
    switch (msg.type) {
      case "say": {
        const row = this.ctx.storage.sql.exec("INSERT INTO messages (channel, author, body) VALUES (?, ?, ?) RETURNING id", me.channel, me.name, msg.text).one();
        ws.serializeAttachment({ ...me, said: me.said + 1 });
        const sent = this.broadcast(me.channel, { type: "said", id: row.id, from: me.name, text: msg.text });
        this.log.push(["broadcast", me.name, sent]);
        break;
      }
      case "history": {
        const cursor = this.ctx.storage.sql.exec("SELECT id, author, body FROM messages WHERE channel = ? ORDER BY id DESC LIMIT ?", me.channel, msg.limit);
        ws.send(JSON.stringify({ type: "history", columns: cursor.columnNames, rows: cursor.raw().toArray(), rowsRead: cursor.rowsRead }));
        break;
      }
      case "who": {
        const names = (tag) => this.ctx.getWebSockets(tag).map((w) => w.deserializeAttachment().name).sort();
        ws.send(JSON.stringify({ type: "who", channel: names("channel:" + me.channel), admins: names("admin"), everyone: names(), myTags: this.ctx.getTags(ws) }));
        break;
      }
      case "stats":
        ws.send(JSON.stringify({ type: "stats", me: ws.deserializeAttachment(), pinged: this.ctx.getWebSocketAutoResponseTimestamp(ws) !== null }));
        break;
      case "remind":
        await this.ctx.storage.setAlarm(Date.now() + 50);
        break;
      default:
        throw new Error("unknown type " + msg.type);
    }
  }
  async webSocketClose(ws, code, reason, wasClean) {
    const me = ws.deserializeAttachment();
    this.log.push(["close", me.name, code, reason, wasClean]);
    this.broadcast(me.channel, { type: "left", name: me.name, code }, ws);
  }
  async webSocketError(ws, error) { this.log.push(["error", ws.deserializeAttachment().name, err(error)]); }
  async alarm() {
    const count = this.ctx.storage.sql.exec("SELECT count(*) AS n FROM messages").one().n;
    for (const ws of this.ctx.getWebSockets()) ws.send(JSON.stringify({ type: "reminder", messages: count }));
    this.log.push(["alarm", this.ctx.getWebSockets().length]);
  }
  async kick(name, why) {
    const sockets = this.ctx.getWebSockets("user:" + name);
    for (const ws of sockets) ws.close(4000, why);
    return { kicked: sockets.length, left: this.ctx.getWebSockets().map((w) => w.deserializeAttachment().name).sort() };
  }
  async takeLog() { const log = this.log; this.log = []; return log; }
  async messages() { return this.ctx.storage.sql.exec("SELECT * FROM messages ORDER BY id").toArray(); }`, {
  extra: `${CLIENT}
async function join(stub, name, channel, roles = []) {
  const q = new URLSearchParams([["name", name], ["channel", channel], ...roles.map((r) => ["role", r])]);
  return connect(stub, "/?" + q);
}
const say = (c, text) => c.ws.send(JSON.stringify({ type: "say", text }));
const ask = (c, type, extra = {}) => c.ws.send(JSON.stringify({ type, ...extra }));`,
});

export default [
  {
    name: "apps: chat room, channels by tag, history from SQLite, auto-response pings, attachments updated per message",
    backend: "sqlite",
    source: ROOM,
    drive: async (env) => {
      const room = env.DO.getByName("lobby");
      const alice = await join(room, "alice", "general", ["admin"]);
      const bob = await join(room, "bob", "general");
      const carol = await join(room, "carol", "random");
      const taken = await room.fetch("http://ws/?name=bob&channel=general", { headers: { Upgrade: "websocket" } });
      const takenRecord = { status: taken.status, body: await taken.text(), webSocket: taken.webSocket };
      say(alice, "hello all");
      await settle();
      say(bob, "hi alice");
      bob.ws.send("ping");
      say(carol, "anyone here?");
      await settle();
      ask(bob, "stats");
      ask(alice, "stats");
      ask(alice, "who");
      ask(carol, "history", { limit: 5 });
      ask(bob, "history", { limit: 1 });
      alice.ws.send("not json");
      await settle();
      return hangUp({ taken: takenRecord, alice: alice.seen, bob: bob.seen, carol: carol.seen, log: await room.takeLog(), messages: await room.messages() });
    },
  },

  {
    name: "apps: chat room, a member leaves while others talk, an admin kicks over RPC, an alarm reminds who is left",
    backend: "sqlite",
    source: ROOM,
    drive: async (env) => {
      const room = env.DO.getByName("leaving");
      const alice = await join(room, "alice", "general", ["admin"]);
      const bob = await join(room, "bob", "general");
      const dave = await join(room, "dave", "general");
      bob.ws.close(1000, "bye");
      say(alice, "bob, wait");
      await settle(120);
      const kicked = await room.kick("dave", "spam");
      const kickedAgain = await room.kick("dave", "again");
      await settle();
      ask(alice, "unknown");
      await settle();
      const afterThrow = await room.takeLog();
      ask(alice, "remind");
      await settle(300);
      ask(alice, "who");
      await settle();
      return hangUp({ kicked, kickedAgain, afterThrow, alice: alice.seen, bob: bob.seen, dave: dave.seen, log: await room.takeLog(), messages: await room.messages() });
    },
  },
];

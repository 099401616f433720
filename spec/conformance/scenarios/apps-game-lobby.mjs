// Realistic apps, part 14: a turn-based game lobby on hibernatable WebSockets. Players join with
// tags (the table and their seat), keep their score in the socket's attachment, send binary
// moves (one byte per move), and an alarm a player starts scores each round and tells every
// seat the result; after the second round it closes every socket with an application close code. A
// player that leaves with no code, one that leaves with a code and reason, and a spectator
// kicked for sending text are recorded with what each client saw, in order, and what the
// object's handlers saw (codes, reasons, wasClean, tags, attachments, readyState).
import { cls } from "../scenario.mjs";
import { CLIENT } from "./websockets-client.mjs";

const LOBBY = cls(`  events = [];
  constructor(ctx, env) {
    super(ctx, env);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("heartbeat", "alive"));
  }
  async fetch(req) {
    const url = new URL(req.url);
    const seat = url.searchParams.get("seat");
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server, ["table:1", seat === "spectator" ? "spectator" : "seat:" + seat]);
    server.serializeAttachment({ seat, score: 0, moves: [] });
    this.events.push(["joined", seat, this.ctx.getWebSockets().length]);
    return new Response(null, { status: 101, webSocket: client });
  }
  async webSocketMessage(ws, msg) {
    const me = ws.deserializeAttachment();
    if (typeof msg === "string") {
      this.events.push(["text", me.seat, msg]);
      if (me.seat === "spectator") ws.close(4003, "spectators may not talk");
      else if (msg === "start") await this.ctx.storage.setAlarm(Date.now() + 30);
      return;
    }
    const move = new Uint8Array(msg)[0];
    ws.serializeAttachment({ ...me, moves: [...me.moves, move] });
    this.events.push(["move", me.seat, move, msg.byteLength]);
    ws.send(new Uint8Array([move, me.moves.length + 1]));
  }
  async webSocketClose(ws, code, reason, wasClean) {
    const me = ws.deserializeAttachment();
    this.events.push(["close", me.seat, code, reason, wasClean, ws.readyState, this.ctx.getTags(ws)]);
  }
  async webSocketError(ws, error) { this.events.push(["error", ws.deserializeAttachment().seat, err(error)]); }
  async alarm() {
    const round = ((await this.ctx.storage.get("round")) ?? 0) + 1;
    await this.ctx.storage.put("round", round);
    const seats = this.ctx.getWebSockets("table:1").filter((ws) => !this.ctx.getTags(ws).includes("spectator"));
    const scores = {};
    for (const ws of seats) {
      const me = ws.deserializeAttachment();
      const points = me.moves.reduce((a, b) => a + b, 0);
      ws.serializeAttachment({ ...me, score: me.score + points, moves: [] });
      scores[me.seat] = me.score + points;
    }
    this.events.push(["round", round, seats.length, scores]);
    for (const ws of this.ctx.getWebSockets("table:1")) {
      try { ws.send(JSON.stringify({ round, scores })); } catch (e) { this.events.push(["sendFailed", err(e)]); }
    }
    if (round === 2) for (const ws of this.ctx.getWebSockets()) ws.close(4000, "game over after round " + round);
  }
  async report() {
    return {
      events: this.events,
      sockets: this.ctx.getWebSockets().map((ws) => [ws.deserializeAttachment().seat, ws.readyState, this.ctx.getTags(ws)]).sort(),
      seats: this.ctx.getWebSockets("seat:north").length + this.ctx.getWebSockets("seat:south").length,
      alarm: (await this.ctx.storage.getAlarm()) === null ? null : "pending",
    };
  }`, { name: "Lobby", extra: CLIENT });

export default [
  {
    name: "apps: game lobby, binary moves, heartbeats answered by auto-response, rounds scored by an alarm, players leaving with and without codes",
    backend: "sqlite",
    source: LOBBY,
    classes: { DO: "Lobby" },
    timeoutMs: 15000,
    drive: async (env) => {
      const lobby = env.DO.getByName("table");
      const north = await connect(lobby, "/?seat=north");
      const south = await connect(lobby, "/?seat=south");
      const east = await connect(lobby, "/?seat=east");
      const spectator = await connect(lobby, "/?seat=spectator");
      north.ws.send(new Uint8Array([3]));
      south.ws.send(new Uint8Array([5, 9]).buffer);
      north.ws.send("heartbeat");
      spectator.ws.send("heartbeat");
      await settle();
      spectator.ws.send("go north!");
      east.ws.close();
      await settle();
      const midway = await lobby.report();
      north.ws.send("start");
      await waitFor(async () => (await lobby.report()).events.some((e) => e[0] === "round" && e[1] === 1), 3000);
      north.ws.send(new Uint8Array([7]));
      south.ws.close(1001, "going away");
      await settle();
      north.ws.send("start");
      await waitFor(async () => (await lobby.report()).sockets.length === 0, 3000);
      await settle();
      return hangUp({ midway, end: await lobby.report(), north: north.seen, south: south.seen, east: east.seen, spectator: spectator.seen });
    },
  },
];

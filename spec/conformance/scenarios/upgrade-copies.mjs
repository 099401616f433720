// A 101 upgrade Response copied the way CORS helpers copy every answer (itty-router's corsify,
// hono's cors middleware): `new Response(response.body, response)` keeps the status and the
// WebSocket, and the client still talks to the object through the copy.
import { cls } from "../scenario.mjs";

export default [
  {
    name: "upgrade copies: a 101 Response copied with new Response(body, response) keeps its WebSocket",
    backend: "sqlite",
    source: cls(`  async fetch(req) {
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1]);
    return new Response(null, { status: 101, webSocket: pair[0], headers: { "x-room": "r" } });
  }
  webSocketMessage(ws, message) { ws.send("echo " + message); }`),
    drive: async (env) => {
      const upgrade = await env.DO.getByName("a").fetch("http://do/ws", { headers: { Upgrade: "websocket" } });
      const record = {};
      let copy;
      try {
        copy = new Response(upgrade.body, upgrade);
        copy.headers.set("access-control-allow-origin", "*");
        record.copy = [copy.status, copy.webSocket === upgrade.webSocket, [...copy.headers]];
      } catch (error) {
        record.copy = { threw: error.name, message: error.message };
      }
      record.spread = outcomeSync(() => new Response(upgrade.body, { status: upgrade.status, headers: upgrade.headers }).status);
      const ws = (copy ?? upgrade).webSocket;
      ws.accept();
      const reply = new Promise((resolve) => ws.addEventListener("message", (event) => resolve(event.data)));
      ws.send("hi");
      record.reply = await reply;
      ws.close(1000, "done");
      return record;
    },
  },
];

/**
 * WebSockets in usage: incoming messages are requests billed at 20:1 (the upgrade is one HTTP
 * request; outgoing messages, closes and auto-responses are free), and an accepted
 * (non-hibernatable) WebSocket keeps the object from hibernating for as long as it is open,
 * while a hibernatable one does not.
 */
import { describe, expect, it } from "vitest";
import { Response, WebSocketPair, WebSocketRequestResponsePair } from "../../../lib/modules/worker-globals.js";
import { DurableObject } from "../../../lib/modules/workers.js";
import type { WebSocket } from "../../../lib/runtime/websockets/web-socket.js";
import { type AnyStub, emulator } from "../../helpers.js";
import { settle } from "../websockets/helpers.js";

class Chat extends DurableObject {
  declare ctx: AnyStub;
  async fetch(request: Request): Promise<Response> {
    const [client, server] = new WebSocketPair();
    if (new URL(request.url).pathname === "/plain") {
      server.accept();
      server.addEventListener("message", () => server.send("ack"));
    } else {
      this.ctx.acceptWebSocket(server);
      this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
    }
    return new Response(null, { status: 101, webSocket: client });
  }
  webSocketMessage(ws: WebSocket): void {
    ws.send("ack");
  }
}

async function connect(path: string) {
  const emu = emulator({ module: { Chat }, durableObjects: { NS: { className: "Chat", sqlite: true } }, clock: "manual" });
  const stub = (emu.env.NS as AnyStub).getByName("room");
  const res = (await stub.fetch(`http://chat${path}`, { headers: { Upgrade: "websocket" } })) as Response;
  const ws = res.webSocket!;
  ws.accept();
  const replies: string[] = [];
  ws.addEventListener("message", (event) => replies.push((event as MessageEvent).data as string));
  return { emu, stub, ws, replies };
}

describe("usage: WebSockets", () => {
  it("bills an accepted socket's 40 incoming messages as 2 requests, and its open time as duration", async () => {
    const { emu, stub, ws, replies } = await connect("/plain");
    for (let i = 0; i < 40; i++) ws.send(`m${i}`);
    await settle();
    expect(replies).toHaveLength(40);
    await emu.advanceTime(5_000); // open and idle: it cannot hibernate
    ws.close(1000, "bye");
    await settle();
    await emu.advanceTime(5_000);
    const usage = emu.usage(stub);
    expect(usage.requests).toEqual({ billed: 3, http: 1, rpc: 0, alarms: 0, webSocketMessages: 40 });
    expect(usage.duration.heldBy).toEqual({ requests: 0, webSockets: 5_000, timers: 0 });
  });

  it("bills a hibernatable socket's messages, not its auto-responses, and no duration while idle", async () => {
    const { emu, stub, ws, replies } = await connect("/");
    for (let i = 0; i < 20; i++) ws.send(`m${i}`);
    for (let i = 0; i < 5; i++) ws.send("ping"); // answered by the auto-response: free
    await settle();
    expect(replies.filter((reply) => reply === "ack")).toHaveLength(20);
    expect(replies.filter((reply) => reply === "pong")).toHaveLength(5);
    await emu.advanceTime(5_000);
    const usage = emu.usage(stub);
    expect(usage.requests).toEqual({ billed: 2, http: 1, rpc: 0, alarms: 0, webSocketMessages: 20 });
    expect(usage.duration.ms).toBe(0);
  });
});

import { DurableObject } from "cloudflare:workers";

/**
 * A chat room per name: every member holds one hibernatable WebSocket (tagged with the member's
 * name, which its attachment keeps too), messages are stored in SQLite and broadcast, and the
 * runtime answers "ping" with "pong" itself, so keep-alives never wake a hibernating room.
 */

export interface Env {
  ROOMS: DurableObjectNamespace<ChatRoom>;
}

/** What a client sends, as JSON text frames (besides "ping"). */
export type ClientMessage =
  | { type: "say"; text: string }
  | { type: "whisper"; to: string; text: string }
  | { type: "history" }
  | { type: "whoami" };

/** What the room sends. */
export type RoomMessage =
  | { type: "joined"; user: string }
  | { type: "left"; user: string }
  | { type: "message"; id: number; from: string; text: string }
  | { type: "whisper"; from: string; text: string }
  | { type: "history"; messages: { id: number; from: string; text: string }[] }
  | { type: "whoami"; user: string; instance: string; members: string[] }
  | { type: "error"; error: string };

/** What each socket's attachment holds; it survives hibernation with the socket. */
interface Member {
  user: string;
}

export class ChatRoom extends DurableObject<Env> {
  /** Which instance this is: the constructor runs again whenever the room wakes up. */
  readonly instance = crypto.randomUUID();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(`
      CREATE TABLE IF NOT EXISTS messages (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        sender TEXT NOT NULL,
        text TEXT NOT NULL
      )
    `);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
      return new Response("Expected a WebSocket upgrade", { status: 426 });
    }
    const user = new URL(request.url).searchParams.get("user");
    if (!user) return new Response("Missing ?user=", { status: 400 });

    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server, [user]);
    server.serializeAttachment({ user } satisfies Member);
    this.broadcast({ type: "joined", user });
    return new Response(null, { status: 101, webSocket: client });
  }

  async webSocketMessage(ws: WebSocket, data: string | ArrayBuffer): Promise<void> {
    if (typeof data !== "string") {
      ws.close(1003, "Text frames only");
      return;
    }
    let message: ClientMessage;
    try {
      message = JSON.parse(data);
    } catch {
      send(ws, { type: "error", error: "Messages are JSON" });
      return;
    }
    const { user } = ws.deserializeAttachment() as Member;
    switch (message.type) {
      case "say": {
        const { id } = this.ctx.storage.sql
          .exec<{ id: number }>("INSERT INTO messages (sender, text) VALUES (?, ?) RETURNING id", user, message.text)
          .one();
        // The frames leave once the insert is committed (the output gate), in send order.
        this.broadcast({ type: "message", id, from: user, text: message.text });
        return;
      }
      case "whisper":
        for (const peer of this.ctx.getWebSockets(message.to)) send(peer, { type: "whisper", from: user, text: message.text });
        return;
      case "history": {
        const rows = this.ctx.storage.sql.exec<{ id: number; sender: string; text: string }>("SELECT id, sender, text FROM messages ORDER BY id");
        send(ws, { type: "history", messages: rows.toArray().map(({ id, sender, text }) => ({ id, from: sender, text })) });
        return;
      }
      case "whoami":
        send(ws, { type: "whoami", user, instance: this.instance, members: await this.members() });
        return;
      default:
        send(ws, { type: "error", error: "Unknown message type" });
    }
  }

  async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    // Complete the closing handshake; the socket leaves getWebSockets() after this handler.
    ws.close(code, reason);
    const { user } = ws.deserializeAttachment() as Member;
    this.broadcast({ type: "left", user }, ws);
  }

  /** Who is in the room, newest first (also reachable over RPC). */
  async members(): Promise<string[]> {
    return this.ctx.getWebSockets().map((ws) => (ws.deserializeAttachment() as Member).user);
  }

  private broadcast(message: RoomMessage, except?: WebSocket): void {
    for (const ws of this.ctx.getWebSockets()) {
      if (ws !== except && ws.readyState === WebSocket.OPEN) send(ws, message);
    }
  }
}

function send(ws: WebSocket, message: RoomMessage): void {
  ws.send(JSON.stringify(message));
}

export default {
  /** GET /rooms/<name>/websocket?user=<name>, with Upgrade: websocket, joins the room. */
  async fetch(request: Request, env: Env): Promise<Response> {
    const match = /^\/rooms\/([^/]+)\/websocket$/.exec(new URL(request.url).pathname);
    if (match === null) return new Response("Not found", { status: 404 });
    return env.ROOMS.getByName(decodeURIComponent(match[1]!)).fetch(request);
  },
} satisfies ExportedHandler<Env>;

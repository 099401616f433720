import { SELF } from "cloudflare:test";
import type { ClientMessage, RoomMessage } from "../src/index";

/**
 * A member's end of the room, as a test holds it: what the room sends queues up until the test
 * takes it with `next()`, so a test reads messages in the order they arrived.
 */
export class Member {
  readonly #received: string[] = [];
  #wake: (() => void) | undefined;
  /** The close event, once the connection has ended. */
  readonly closed: Promise<{ code: number; reason: string; wasClean: boolean }>;

  constructor(readonly ws: WebSocket) {
    ws.accept();
    ws.addEventListener("message", (event) => {
      this.#received.push(event.data as string);
      this.#wake?.();
    });
    this.closed = new Promise((resolve) => {
      ws.addEventListener("close", ({ code, reason, wasClean }) => resolve({ code, reason, wasClean }));
    });
  }

  send(message: ClientMessage | "ping"): void {
    this.ws.send(typeof message === "string" ? message : JSON.stringify(message));
  }

  /** The next frame the room sent, as text. */
  async nextText(): Promise<string> {
    while (this.#received.length === 0) await new Promise<void>((resolve) => (this.#wake = resolve));
    return this.#received.shift()!;
  }

  async next(): Promise<RoomMessage> {
    return JSON.parse(await this.nextText());
  }

  /** Asks the room who this member is (and which instance of the room answers). */
  async whoami(): Promise<Extract<RoomMessage, { type: "whoami" }>> {
    this.send({ type: "whoami" });
    const reply = await this.next();
    if (reply.type !== "whoami") throw new Error(`expected whoami, got ${JSON.stringify(reply)}`);
    return reply;
  }
}

/** Joins `room` through the Worker's fetch handler, as a browser would (101, then the socket). */
export async function join(room: string, user: string): Promise<Member> {
  const response = await SELF.fetch(`https://chat.example/rooms/${room}/websocket?user=${user}`, {
    headers: { Upgrade: "websocket" },
  });
  if (response.status !== 101 || response.webSocket === null) throw new Error(`join failed: ${response.status}`);
  const member = new Member(response.webSocket);
  const joined = await member.next();
  if (joined.type !== "joined" || joined.user !== user) throw new Error(`expected own join, got ${JSON.stringify(joined)}`);
  return member;
}

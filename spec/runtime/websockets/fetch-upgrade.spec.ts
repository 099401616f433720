import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DurableObject } from "../../../lib/modules/workers.js";
import { nodeClientClass } from "../../../lib/runtime/websockets/outbound.js";
import { emulator } from "../../helpers.js";
import { startEchoServer, type EchoServer } from "./echo-server.js";

/**
 * `fetch(url, { headers: { Upgrade: "websocket" } })` from Durable Object code opens a real
 * connection (Node's client, as `new WebSocket(url)` does) to a server the spec starts, and
 * answers with a 101 Response whose webSocket the object accepts.
 */

const NODE_HAS_CLIENT = nodeClientClass() !== undefined;

let server: EchoServer;

/** Fetches WebSockets from the spec's server, and reports what its code saw. */
class Fetcher extends DurableObject {
  async handshake(url: string, protocols: string) {
    const response = await fetch(url, { headers: { Upgrade: "websocket", "Sec-WebSocket-Protocol": protocols, Authorization: "Bearer t" } });
    const ws = (response as Response & { webSocket: (WebSocket & { accept(): void }) | null }).webSocket!;
    let early: string;
    try {
      ws.send("early");
      early = "sent";
    } catch (error) {
      early = (error as Error).message;
    }
    ws.accept();
    ws.close();
    return [response.status, response.statusText, response.headers.get("upgrade"), response.headers.get("sec-websocket-protocol"), early];
  }

  async talk(url: string) {
    const response = (await fetch(url, { headers: { upgrade: "websocket" } })) as Response & { webSocket: (WebSocket & { accept(): void }) | null };
    const ws = response.webSocket!;
    const seen: unknown[] = [];
    const closed = new Promise<void>((resolve) => ws.addEventListener("close", (event) => {
      seen.push(["close", event.code, event.reason]);
      resolve();
    }));
    ws.addEventListener("message", (event) => seen.push(["message", event.data]));
    (ws as { binaryType: string }).binaryType = "arraybuffer";
    ws.accept();
    ws.send("hello");
    ws.send(new Uint8Array([1, 2]));
    ws.send("close 4001 bye");
    await closed;
    return seen;
  }

  async refused(url: string) {
    try {
      await fetch(url, { headers: { Upgrade: "websocket" } });
      return "connected";
    } catch (error) {
      return [(error as Error).name, (error as Error).message];
    }
  }
}

describe.skipIf(!NODE_HAS_CLIENT)("fetch() with Upgrade: websocket from Worker code (skipped where Node has no WebSocket client: Node 20 without --experimental-websocket)", () => {
  beforeAll(async () => {
    server = await startEchoServer();
  });
  afterAll(() => server.stop());

  it("answers 101 with the client's end, pending until accepted, after a handshake that carries the request's headers", async () => {
    const stub = emulator({ module: { Fetcher }, durableObjects: { F: "Fetcher" } }).env.F.getByName("a") as unknown as Fetcher;
    const httpUrl = server.url.replace("ws:", "http:");
    expect(await stub.handshake(httpUrl, "chat, other")).toEqual([
      101, "Switching Protocols", "websocket", "chat",
      "You must call one of accept() or state.acceptWebSocket() on this WebSocket before sending messages.",
    ]);
    const handshake = server.handshakes.at(-1)!;
    expect([handshake.authorization, handshake["sec-websocket-protocol"], handshake.upgrade]).toEqual(["Bearer t", "chat, other", "websocket"]);
  });

  it("exchanges messages once accepted, and ends on the server's Close frame", async () => {
    const stub = emulator({ module: { Fetcher }, durableObjects: { F: "Fetcher" } }).env.F.getByName("a") as unknown as Fetcher;
    // Over http: the runtime's fetch() refuses a ws: URL, Upgrade header or not.
    expect(await stub.talk(server.url.replace("ws:", "http:"))).toEqual([["message", "hello"], ["message", new Uint8Array([1, 2]).buffer], ["close", 4001, "bye"]]);
  });

  it("fails the fetch when the server does not complete the handshake", async () => {
    const stub = emulator({ module: { Fetcher }, durableObjects: { F: "Fetcher" } }).env.F.getByName("a") as unknown as Fetcher;
    // The echo server answers a plain request (no upgrade) with 426; a closed port refuses.
    expect(await stub.refused("http://127.0.0.1:1/")).toEqual(["TypeError", "fetch failed"]);
  });
});

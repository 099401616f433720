import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DurableObject } from "../../../lib/modules/workers.js";
import { nodeClientClass } from "../../../lib/runtime/websockets/outbound.js";
import { WebSocket } from "../../../lib/runtime/websockets/web-socket.js";
import { emulator } from "../../helpers.js";
import { startEchoServer, type EchoServer } from "./echo-server.js";
import { record, type Seen, settle, thrown } from "./helpers.js";

/**
 * `new WebSocket(url)` opens a real connection with Node's client (Node 22+; Node 20 only with
 * --experimental-websocket) to a server the spec starts, and shows it through the Workers API.
 */

const NODE_HAS_CLIENT = nodeClientClass() !== undefined;

/** Resolves with everything seen, in order, once the close event and what it set off have run. */
function closed(ws: WebSocket): Promise<Seen> {
  const seen: Seen = [];
  ws.addEventListener("open", () => seen.push(["open", ws.readyState, ws.protocol, ws.extensions]));
  record(ws, seen);
  return new Promise((resolve) => ws.addEventListener("close", () => void settle().then(() => resolve(seen))));
}

const NOT_ACCEPTED = "You must call one of accept() or state.acceptWebSocket() on this WebSocket before sending messages.";
const LOST = "Uncaught Error: Network connection lost.";
const FAILED: Seen = [["error", LOST], ["close", 1006, "Failed to establish websocket connection", false, 3]];

function opened(ws: WebSocket): Promise<void> {
  return new Promise((resolve) => ws.addEventListener("open", () => resolve()));
}

describe.skipIf(!NODE_HAS_CLIENT)("new WebSocket(url) over Node's client (skipped where Node has no global WebSocket: Node 20 without --experimental-websocket)", () => {
  let server: EchoServer;
  beforeAll(async () => {
    server = await startEchoServer();
  });
  afterAll(() => server.stop());

  it("connects (CONNECTING, then open with the chosen protocol), exchanges text and binary, and ends on the server's Close frame", async () => {
    const ws = new WebSocket(server.url, ["chat", "other"]);
    expect([ws.readyState, ws.url, ws.protocol, ws.extensions]).toEqual([0, server.url, "", ""]);
    expect(thrown(() => ws.send("early"))).toEqual({ name: "TypeError", message: NOT_ACCEPTED });
    expect(thrown(() => ws.accept())).toEqual({ name: "TypeError", message: "Websockets obtained from the 'new WebSocket()' constructor cannot call accept" });
    ws.binaryType = "arraybuffer";
    const done = closed(ws);
    await opened(ws);
    ws.send("hello");
    ws.send(new Uint8Array([1, 2, 3]).buffer);
    ws.send(new Uint8Array([9, 1, 2, 3, 9]).subarray(1, 4));
    ws.send("close 4001 bye");
    expect(await done).toEqual([
      ["open", 1, "chat", null],
      ["message", "hello"],
      ["message", "ArrayBuffer:010203"],
      ["message", "ArrayBuffer:010203"],
      ["close", 4001, "bye", true, 3],
      ["error", LOST],
    ]);
    // Node's client answered the server's Close frame with its code (without the reason).
    expect(server.closes.at(-1)?.[0]).toBe(4001);
  });

  it("delivers binary messages as Blobs by default", async () => {
    const url = server.url.replace("/echo", "");
    const ws = new WebSocket(url);
    expect(ws.url).toBe(url);
    const done = closed(ws);
    await opened(ws);
    ws.send(new Uint8Array([7, 7]));
    ws.send("close 1000");
    expect(await done).toEqual([["open", 1, null, null], ["message", "Blob:2"], ["close", 1000, "", true, 3], ["error", LOST]]);
  });

  it("close(code, reason) sends a Close frame; the close event comes with the server's answer", async () => {
    const ws = new WebSocket(server.url);
    const done = closed(ws);
    await opened(ws);
    ws.close(4321, "done here");
    expect(ws.readyState).toBe(2);
    expect(await done).toEqual([["open", 1, null, null], ["close", 4321, "done here", true, 3]]);
    expect(server.closes.at(-1)).toEqual([4321, "done here"]);
    const quiet = new WebSocket(server.url);
    const quietDone = closed(quiet);
    await opened(quiet);
    quiet.close();
    expect(await quietDone).toEqual([["open", 1, null, null], ["close", 1005, "", true, 3]]);
    expect(server.closes.at(-1)).toEqual([1005, ""]);
  });

  it("a connection that is cut shows as an unclean close (1006)", async () => {
    const ws = new WebSocket(server.url);
    const done = closed(ws);
    await opened(ws);
    ws.send("drop");
    expect(await done).toEqual([["open", 1, null, null], ["close", 1006, "WebSocket disconnected without sending Close frame.", false, 1]]);
  });

  it("a connection that cannot be made gives an error event, then an unclean close", async () => {
    const ws = new WebSocket(server.url.replace("/echo", "/nowhere").replace(/:\d+/, ":1"));
    expect(await closed(ws)).toEqual(FAILED);
  });

  it("close() before the handshake completes gives the connection up (readyState reads OPEN meanwhile, as in workerd)", async () => {
    const ws = new WebSocket(server.url);
    const done = closed(ws);
    ws.close(1000);
    expect(ws.readyState).toBe(1);
    expect(await done).toEqual(FAILED);
  });

  it("in a Durable Object, the socket's events run inside the object", async () => {
    const url = server.url;
    class Client extends DurableObject {
      async fetch(): Promise<Response> {
        const ws = new WebSocket(url);
        const reply = new Promise<string>((resolve) => ws.addEventListener("message", (e) => resolve(String((e as MessageEvent).data))));
        ws.addEventListener("open", () => ws.send("from the object"));
        const text = await reply;
        ws.close(1000);
        return new Response(text);
      }
    }
    const emu = emulator({ module: { Client }, durableObjects: { NS: "Client" } });
    const stub = emu.env.NS.get(emu.env.NS.idFromName("a"));
    expect(await (await stub.fetch("http://do/")).text()).toBe("from the object");
  });
});

describe.skipIf(NODE_HAS_CLIENT)("new WebSocket(url) where Node has no client", () => {
  it("refuses, naming the Node version and the fix", () => {
    expect(thrown(() => new WebSocket("ws://127.0.0.1:1/"))?.message).toBe(
      `durasim: new WebSocket(url) opens its connection with Node's WebSocket client, which Node ${process.version} only has behind a flag. ` +
        'Run on Node >= 22, or start Node with --experimental-websocket (NODE_OPTIONS="--experimental-websocket").',
    );
  });
});

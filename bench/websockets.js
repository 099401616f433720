// Waking a hibernated room: one message to a room whose object was evicted with its
// hibernatable WebSockets open, until the reply is back at the client. The wake-up must not
// depend on how many sockets the room holds (the socket objects are made lazily, one per
// socket an event or getWebSockets() needs), so the baseline is the same wake-up with one
// socket, in the same run; the message to a room that is awake shows what the wake-up adds.
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { Emulator } from "durasim";
import { median } from "./harness.js";

const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 10_000);
const WAKES = Number(process.env.BENCH_WAKES ?? 51);

const script = `
import { DurableObject } from "cloudflare:workers";
export class Room extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }
  async fetch() {
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server, ["member"]);
    server.serializeAttachment({ joined: Date.now() });
    return new Response(null, { status: 101, webSocket: client });
  }
  async webSocketMessage(ws, message) {
    ws.send(message);
  }
}
`;

/** A room with `sockets` open; returns the emulator, the room's stub and one client end. */
async function openRoom(sockets) {
  const emu = new Emulator({ script, durableObjects: { ROOMS: "Room" } });
  const stub = emu.env.ROOMS.getByName("room");
  let client;
  for (let i = 0; i < sockets; i++) {
    const response = await stub.fetch("http://room/", { headers: { Upgrade: "websocket" } });
    client = response.webSocket;
    client.accept();
  }
  return { emu, stub, client };
}

/** Milliseconds from send() to the echo's arrival at the client. */
function roundTrip(client, text) {
  return new Promise((resolve) => {
    const start = performance.now();
    client.addEventListener("message", () => resolve(performance.now() - start), { once: true });
    client.send(text);
  });
}

/** Median round trip over WAKES messages, each to a freshly hibernated room when `hibernate`. */
async function measure(sockets, hibernate) {
  const { emu, stub, client } = await openRoom(sockets);
  await roundTrip(client, "warm-up");
  const times = [];
  for (let i = 0; i < WAKES; i++) {
    if (hibernate) await emu.evict(stub, { webSockets: "hibernate" });
    times.push(await roundTrip(client, `message ${i}`));
  }
  await emu.dispose();
  return median(times);
}

export async function runWebSocketBenchmarks() {
  // A first pass warms the code paths up, so neither measured room pays for the compiler.
  await measure(1, true);
  const many = await measure(SOCKETS, true);
  const one = await measure(1, true);
  const awake = await measure(SOCKETS, false);
  const ms = (value) => `${value.toFixed(3)} ms`;
  console.log(`\n### WebSockets: one message to a hibernated room (median of ${WAKES})\n`);
  console.log("| workload | durasim | baseline (same run) | ratio | target |");
  console.log("|---|---|---|---|---|");
  console.log(
    `| wake a room holding ${SOCKETS.toLocaleString("en")} sockets for one message, reply back | ${ms(many)} | ${ms(one)} the same with 1 socket | ${(many / one).toFixed(2)}x | < 1 ms |`,
  );
  console.log(`| the same message, room awake (${SOCKETS.toLocaleString("en")} sockets) | ${ms(awake)} | — | — | — |`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runWebSocketBenchmarks();

/**
 * A rejection Worker code leaves unhandled is logged and the process goes on, as the runtime
 * goes on; one of code outside the emulator still ends Node as it always does, and a listener
 * (a test runner's) still sees both. Each case runs in a child process, as it is about the
 * process's fate.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { WEBSOCKET_CLIENT } from "../node-flags.js";
import { CHILD_PROCESS_TIMEOUT } from "../timeouts.js";

const dir = mkdtempSync(join(tmpdir(), "durasim-rejections-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const dist = pathToFileURL(resolve(import.meta.dirname, "../../dist/index.js")).href;

const WORKER = `
import { DurableObject, WorkerEntrypoint } from "cloudflare:workers";
let heard = 0;
addEventListener("unhandledrejection", () => { heard++; });
globalThis.heardSoFar = () => heard;
export class Leaky extends DurableObject {
  heard() { return heard; }
  leak() {
    Promise.reject(new RangeError("left unhandled by the object"));
    (async () => { await null; throw new TypeError("thrown in a forgotten async call"); })();
    return "answered";
  }
  async leaveRequests(target) {
    fetch(target + "left by the object");
    (await fetch(target + "body read by the object")).text();
  }
  reset() { this.ctx.abort("reset"); }
}
// Code that resumes once the test calls globalThis.startLate(), after its Worker event ended.
const late = [];
globalThis.startLate = () => { for (const start of late) start(); };
export default {
  async fetch(request) {
    if (request.url.endsWith("/hang")) return new Promise(() => {});
    const target = new URL(request.url).searchParams.get("target");
    if (request.url.includes("/leave?")) {
      fetch(target + "left by the Worker");
      (await fetch(target + "body read by the Worker")).text();
      new Promise((resolve) => late.push(resolve)).then(() => fetch(target + "started after the event"));
      return new Response("ok");
    }
    if (request.url.endsWith("/late")) return failLater();
    if (request.url.includes("/upgrade?")) {
      // Left unhandled; the event lasts until the test calls globalThis.endUpgrading().
      fetch(target, { headers: { Upgrade: "websocket" } });
      await new Promise((resolve) => (globalThis.endUpgrading = resolve));
      return new Response("ok");
    }
    fetchLater();
    return new Response("ok");
  },
};
async function fetchLater() { await null; throw new Error("left unhandled by the Worker's fetch handler"); }
// Fails once the test calls globalThis.failLate(), after the emulator ended the calls waiting on it.
const failing = [];
globalThis.failLate = (error) => { for (const reject of failing) reject(error); };
globalThis.lateWaiting = () => failing.length;
async function failLater() { await new Promise((_, reject) => failing.push(reject)); }
export class Late extends WorkerEntrypoint { call() { return failLater(); } }
`;

/**
 * Runs `body` (module code with `emu`, an Emulator of WORKER, made after `prelude`) in a child
 * Node (started with `nodeFlags`); its exit code and output.
 */
function run(name: string, body: string, prelude = "", nodeFlags: string[] = []) {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(
    file,
    `import { Emulator } from ${JSON.stringify(dist)};
${prelude}
const emu = new Emulator({ script: ${JSON.stringify(WORKER)}, durableObjects: { LEAKY: "Leaky" }, serviceBindings: { LATE: { name: "worker", entrypoint: "Late" } } });
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
${body}
await emu.dispose();
console.log("still running");`,
  );
  const child = spawnSync(process.execPath, [...nodeFlags, file], { encoding: "utf8" });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

describe("a rejection left unhandled", { timeout: CHILD_PROCESS_TIMEOUT }, () => {
  it("by Worker or object code is logged as the runtime's, and Node goes on", () => {
    const out = run("worker", `
console.log(await emu.env.LEAKY.getByName("a").leak());
console.log(await (await emu.dispatchFetch("http://x/")).text());
await settle();`);
    expect(out.stdout.split("\n").filter(Boolean)).toEqual(["answered", "ok", "still running"]);
    expect(out.status).toBe(0);
    expect(out.stderr).toContain("Uncaught (in promise) RangeError: left unhandled by the object");
    expect(out.stderr).toContain("Uncaught (in promise) TypeError: thrown in a forgotten async call");
    expect(out.stderr).toContain("Uncaught (in promise) Error: left unhandled by the Worker's fetch handler");
  });

  it("by Worker code, of a fetch() with Upgrade: websocket the server refused, is logged as the runtime's and heard by its listener, and Node goes on (the failure comes from Node's WebSocket client, which runs outside the Worker's code)", () => {
    const out = run("refused-upgrade", `
const { createServer } = await import("node:http");
const server = createServer((request, response) => response.end("no upgrade here"));
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const answer = emu.dispatchFetch("http://x/upgrade?target=http://127.0.0.1:" + server.address().port + "/");
while ((globalThis.heardSoFar?.() ?? 0) === 0) await settle();
globalThis.endUpgrading();
console.log(await (await answer).text(), globalThis.heardSoFar());
server.close();`, "", WEBSOCKET_CLIENT);
    expect(out.stdout.split("\n").filter(Boolean)).toEqual(["ok 1", "still running"]);
    expect(out.status).toBe(0);
    expect(out.stderr).toContain("Uncaught (in promise) TypeError: fetch failed");
  });

  it("by code outside the emulator still ends Node with it", () => {
    const out = run("outside", `
await emu.env.LEAKY.getByName("a").leak();
Promise.reject(new Error("the caller's own"));
await settle();`);
    expect(out.status).not.toBe(0);
    expect(out.stderr).toContain("Error: the caller's own");
    expect(out.stdout).not.toContain("still running");
  });

  it("reaches a listener unchanged, Worker code's included (as a test runner's listener sees them)", () => {
    const out = run("listener", `
const seen = [];
process.on("unhandledRejection", (reason) => seen.push(reason.message));
await emu.env.LEAKY.getByName("a").leak();
await settle();
console.log(JSON.stringify(seen.sort()));`);
    expect(out.status).toBe(0);
    expect(out.stdout).toContain(JSON.stringify(["left unhandled by the object", "thrown in a forgotten async call"]));
    expect(out.stderr).not.toContain("Uncaught (in promise)");
  });

  it("is still logged after a library put back the process.emit it saved before durasim wrapped it (signal-exit does, as its last handler goes)", () => {
    const out = run("restored-emit", `
process.emit = saved;
console.log(await emu.env.LEAKY.getByName("a").leak());
console.log(await (await emu.dispatchFetch("http://x/")).text());
await settle();
process.emit = saved;
void emu.dispatchFetch("http://x/hang");
await settle();`, "const saved = process.emit;");
    expect(out.stdout.split("\n").filter(Boolean)).toEqual(["answered", "ok", "still running"]);
    expect(out.status).toBe(0);
    expect(out.stderr).toContain("Uncaught (in promise) RangeError: left unhandled by the object");
    expect(out.stderr).toContain("Uncaught (in promise) Error: left unhandled by the Worker's fetch handler");
    expect(out.stderr).toContain("durasim: a call nothing awaited failed as its emulator ended it: Error: durasim: this Emulator has been disposed");
  });

  it("is none when Worker code fails after dispose() failed the calls waiting on it (dispatchFetch, a service binding's fetch, an entrypoint's RPC): they have the disposed error, Node goes on and nothing is logged", () => {
    const out = run("after-dispose", `
const calls = [emu.dispatchFetch("http://x/late"), emu.getService().fetch("http://x/late"), emu.env.LATE.call()];
// All three must be inside Worker code before dispose() (on a loaded machine loading takes longer than one settle()).
while ((globalThis.lateWaiting?.() ?? 0) < 3) await settle();
await emu.dispose();
for (const call of calls) console.log((await call.catch((error) => error)).message);
globalThis.failLate(new Error("failed after dispose"));
await settle();`);
    expect(out.stderr).toBe("");
    expect(out.status).toBe(0);
    expect(out.stdout.split("\n").filter(Boolean)).toEqual([...Array(3).fill("durasim: this Emulator has been disposed; create a new Emulator to run more Durable Object code."), "still running"]);
  });

  it("is none when a global fetch() or its body's read is cancelled because its I/O context ended (the Worker event answered, the object reset) or had ended when it was made: the code that made it never resumes, as in the runtime, so nothing is logged and no listener hears of it", () => {
    const out = run("context-ended", `
const { createServer } = await import("node:http");
const requested = [], closed = [];
// Answers no request; sends the head and a first chunk of the bodies.
const server = createServer((request, response) => {
  requested.push(request.url);
  request.socket.once("close", () => closed.push(request.url));
  if (request.url.startsWith("/body")) response.writeHead(200).write("a");
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const target = "http://127.0.0.1:" + server.address().port + "/";
const until = async (done) => { for (let i = 0; i < 300 && !done(); i++) await settle(); };
console.log(await (await emu.dispatchFetch("http://x/leave?target=" + target)).text());
await emu.env.LEAKY.getByName("a").leaveRequests(target);
await emu.env.LEAKY.getByName("a").reset().catch(() => {});
await until(() => closed.length === 4);
globalThis.startLate();
await settle();
console.log(JSON.stringify(closed.map(decodeURIComponent).sort()), requested.length, await emu.env.LEAKY.getByName("b").heard());
// Node's fetch may have opened connections it never used, which it keeps idle without holding Node.
server.closeAllConnections();
server.close();`);
    expect(out.stderr).toBe("");
    expect(out.status).toBe(0);
    expect(out.stdout.split("\n").filter(Boolean)).toEqual([
      "ok",
      JSON.stringify(["/body read by the Worker", "/body read by the object", "/left by the Worker", "/left by the object"]) + " 4 0",
      "still running",
    ]);
  });

  it("reaches Worker listeners once when another wrapper of process.emit sits between two of durasim's", () => {
    const out = run("wrapped-twice", `
const inner = process.emit;
process.emit = function (...args) { return inner.apply(this, args); };
let passedOn = 0;
process.on("unhandledRejection", () => { passedOn++; });
await emu.env.LEAKY.getByName("a").leak();
await settle();
console.log(await emu.env.LEAKY.getByName("a").heard(), passedOn);`);
    expect(out.status).toBe(0);
    expect(out.stdout.split("\n").filter(Boolean)).toEqual(["2 2", "still running"]);
  });
});

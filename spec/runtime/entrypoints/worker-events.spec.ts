// A stateless Worker event (a fetch handler, an entrypoint's method) lasts until it has answered,
// its waitUntil promises have settled and the streams it sent have ended; then its timers stop,
// as the runtime's do (conformance "worker timers: ..."). When the emulator is disposed first,
// its timers stop and its streams still flowing are cut, so nothing of it runs on or keeps Node
// alive. Timers are fake here (what is pending is counted, nothing waits on the real clock), but
// for one test whose timer must fall due on the real clock while its handler computes.
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { waitUntil, WorkerEntrypoint } from "../../../lib/modules/workers.js";
import { Response as WorkerResponse } from "../../../lib/runtime/websockets/response.js";
import { type AnyStub, emulator, nextTurn, rejection } from "../../helpers.js";
import { CHILD_PROCESS_TIMEOUT } from "../../timeouts.js";

const ticks: string[] = [];
let release: () => void = () => undefined;

class Timed extends WorkerEntrypoint {
  /** An interval and a timeout, then the answer. */
  arm(tag: string) {
    setInterval(() => ticks.push(`${tag} interval`), 10);
    setTimeout(() => ticks.push(`${tag} timeout`), 10);
    return "armed";
  }
  /** An interval kept going by a waitUntil promise the test settles (`release`). */
  armUntilReleased(viaGlobal: boolean) {
    setInterval(() => ticks.push("kept"), 10);
    const kept = new Promise<void>((resolve) => (release = resolve));
    if (viaGlobal) waitUntil(kept);
    else (this.ctx as unknown as { waitUntil(promise: unknown): void }).waitUntil(kept);
    return "armed";
  }
  /** A stream that never ends, beside an interval. */
  endless() {
    setInterval(() => ticks.push("endless"), 10);
    return new ReadableStream({ start: (controller) => controller.enqueue(new TextEncoder().encode("a")) });
  }
  /** A stream written whole, returned after computing past a timer it set. */
  busyStream() {
    return busyAnswer(true).body;
  }
  /** A body that never ends, beside an interval; `/node` answers with Node's own Response class. */
  fetch(request: Request) {
    if (new URL(request.url).pathname === "/busy") return busyAnswer();
    if (new URL(request.url).pathname === "/busy-stream") return busyAnswer(true);
    setInterval(() => ticks.push("fetch"), 10);
    if (new URL(request.url).pathname === "/node") return new Response("whole");
    return new WorkerResponse(new ReadableStream({ start: (controller) => controller.enqueue(new TextEncoder().encode("a")) }));
  }
}

/** A string body (or a stream written whole), answered after computing past a timer it set: the timer is due as it answers. */
function busyAnswer(streamed = false): Response {
  setTimeout(() => ticks.push("due before the answer"), 1);
  const start = performance.now();
  while (performance.now() - start < 5);
  if (!streamed) return new WorkerResponse("busy");
  const bytes = new TextEncoder().encode("busy");
  return new WorkerResponse(new ReadableStream({ start: (controller) => (controller.enqueue(bytes), controller.close()) }));
}

/** The main Worker's fetch: `/busy-stream` and `/busy-result` read the other Worker's busy stream, as Worker code. */
async function mainFetch(request: Request, env: AnyStub): Promise<Response> {
  const path = new URL(request.url).pathname;
  if (path === "/busy-stream") return new WorkerResponse(await (await env.SVC.fetch("http://w/busy-stream")).text());
  if (path === "/busy-result") return new WorkerResponse(await new WorkerResponse(await env.SVC.busyStream()).text());
  return new WorkerResponse("main");
}

function world() {
  return emulator({
    name: "main",
    module: { default: { fetch: mainFetch } },
    serviceBindings: { SVC: { name: "other", entrypoint: "Timed" } } as never,
    workers: [{ name: "other", module: { Timed } }],
  });
}

/** Lets an event that has answered see that nothing else keeps it (its waitUntil check and the
 * streams check each take a turn at most). */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await nextTurn();
}

beforeEach(() => {
  ticks.length = 0;
  vi.useFakeTimers({ toFake: ["setTimeout", "setInterval", "clearTimeout", "clearInterval"] });
});

afterEach(() => {
  vi.useRealTimers();
});

describe("a Worker event's timers", () => {
  it("stop once the event has answered", async () => {
    const env = world().env as AnyStub;
    const before = vi.getTimerCount();
    expect(await env.SVC.arm("a")).toBe("armed");
    await settle();
    expect(vi.getTimerCount()).toBe(before);
    vi.advanceTimersByTime(100);
    expect(ticks).toEqual([]);
  });

  it("that fell due while the handler computed do not fire once it has answered with a string body (workerd writes the body before it looks at the clock)", async () => {
    vi.useRealTimers();
    const env = world().env as AnyStub;
    expect(await (await env.SVC.fetch("http://w/busy")).text()).toBe("busy");
    // The timer was due before the answer: had it not been stopped, it would have fired by now.
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(ticks).toEqual([]);
  });

  it("that fell due while the handler computed do not fire once a stream it sent written whole has been read (workerd pumps it out before it looks at the clock)", async () => {
    vi.useRealTimers();
    const main = world();
    expect(await (await main.dispatchFetch("http://w/busy-stream")).text()).toBe("busy");
    expect(await (await main.dispatchFetch("http://w/busy-result")).text()).toBe("busy");
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(ticks).toEqual([]);
  });

  for (const viaGlobal of [false, true]) {
    it(`run until a promise given to ${viaGlobal ? "cloudflare:workers' waitUntil" : "ctx.waitUntil"} settles`, async () => {
      const env = world().env as AnyStub;
      const before = vi.getTimerCount();
      await env.SVC.armUntilReleased(viaGlobal);
      await settle();
      vi.advanceTimersByTime(25);
      expect(ticks).toEqual(["kept", "kept"]);
      release();
      await settle();
      expect(vi.getTimerCount()).toBe(before);
      vi.advanceTimersByTime(100);
      expect(ticks).toEqual(["kept", "kept"]);
    });
  }

  it("run while a stream the event sent flows, and stop (the stream cut) when the emulator is disposed", async () => {
    const emu = world();
    const env = emu.env as AnyStub;
    const before = vi.getTimerCount();
    const reader = ((await env.SVC.endless()) as ReadableStream).getReader();
    const response = (await env.SVC.fetch("http://other/")) as Response;
    await settle();
    vi.advanceTimersByTime(15);
    expect(ticks.sort()).toEqual(["endless", "fetch"]);
    expect(vi.getTimerCount()).toBe(before + 2);
    const body = response.text();
    await emu.dispose();
    expect(vi.getTimerCount()).toBe(before);
    vi.advanceTimersByTime(100);
    expect(ticks).toHaveLength(2);
    expect((await rejection(reader.read())).message).toBe("ReadableStream received over RPC disconnected prematurely.");
    expect((await rejection(body)).message).toMatch(/disposed/);
  });

  it("run, after a Response made by Node's own class (whose body's end is not seen), while it is held, until the emulator is disposed", async () => {
    const emu = world();
    const before = vi.getTimerCount();
    const response = (await (emu.env as AnyStub).SVC.fetch("http://other/node")) as Response;
    expect(await response.text()).toBe("whole");
    await settle();
    vi.advanceTimersByTime(15);
    expect(ticks).toEqual(["fetch"]);
    await emu.dispose();
    expect(vi.getTimerCount()).toBe(before);
    expect(response.status).toBe(200);
  });

  it("run, after a Response made by Node's own class, until that Response is garbage-collected", () => {
    const outcome = withGc(`
      const ticks = { fetch: 0 };
      const emu = new Emulator({ module: { default: { fetch() { setInterval(() => ticks.fetch++, 2); return new Response("x"); } } } });
      await (await emu.dispatchFetch("http://x/")).text();
      console.log(JSON.stringify(await tickingUntilCollected(ticks)));
      await emu.dispose();`);
    expect(outcome).toEqual({ ranWhileHeld: true, stoppedOnceCollected: true });
  }, CHILD_PROCESS_TIMEOUT);

  it("run, after a stream the event sent that its receiver dropped unread, until that stream is garbage-collected", () => {
    const outcome = withGc(`
      const ticks = { rpc: 0, fetch: 0 };
      const endless = () => new ReadableStream({ start: (controller) => controller.enqueue(new TextEncoder().encode("a")) });
      class Timed extends WorkerEntrypoint {
        stream() { setInterval(() => ticks.rpc++, 2); return endless(); }
        fetch() { setInterval(() => ticks.fetch++, 2); return new WorkerResponse(endless()); }
      }
      const emu = new Emulator({
        module: { default: { fetch: () => new Response("main") } },
        serviceBindings: { SVC: { name: "other", entrypoint: "Timed" } },
        workers: [{ name: "other", module: { Timed } }],
      });
      await emu.env.SVC.stream();
      await emu.env.SVC.fetch("http://other/");
      console.log(JSON.stringify(await tickingUntilCollected(ticks)));
      await emu.dispose();`);
    expect(outcome).toEqual({ ranWhileHeld: true, stoppedOnceCollected: true });
  }, CHILD_PROCESS_TIMEOUT);

  // Test code runs in no I/O context, which never ends: only collection releases what it received
  // (a receiving Worker event releases it as it ends: io-contexts.spec.ts).
  it("run, after a function or RpcTarget they returned to test code, until its stub is garbage-collected (never disposed)", () => {
    const outcome = withGc(`
      const ticks = { fn: 0, target: 0 };
      class Pinger extends RpcTarget { ping() { return "pong"; } }
      class B extends WorkerEntrypoint {
        getFn() { setInterval(() => ticks.fn++, 2); return () => "f"; }
        getTarget() { setInterval(() => ticks.target++, 2); return new Pinger(); }
      }
      const emu = new Emulator({
        module: { B, default: { fetch: () => new Response("main") } },
        serviceBindings: { B: { name: "main", entrypoint: "B" } },
        name: "main",
      });
      const useAndDrop = async () => { const f = await emu.env.B.getFn(); const t = await emu.env.B.getTarget(); return (await f()) + (await t.ping()); };
      const answer = await useAndDrop();
      console.log(JSON.stringify({ answer, ...(await tickingUntilCollected(ticks)) }));
      await emu.dispose();`);
    expect(outcome).toEqual({ answer: "fpong", ranWhileHeld: true, stoppedOnceCollected: true });
  }, CHILD_PROCESS_TIMEOUT);

  it("run, after answering with a WebSocket whose client end nobody accepts, until that end is garbage-collected", () => {
    const outcome = withGc(`
      const ticks = { fetch: 0 };
      let closed = false;
      const emu = new Emulator({ module: { default: { fetch() {
        const pair = new WebSocketPair();
        pair[1].accept();
        pair[1].addEventListener("close", () => { closed = true; });
        setInterval(() => ticks.fetch++, 2);
        return new WorkerResponse(null, { status: 101, webSocket: pair[0] });
      } } } });
      const status = (await emu.dispatchFetch("http://x/", { headers: { Upgrade: "websocket" } })).status;
      // The connection drops a turn after the collection; the event ends then.
      const ticking = await tickingUntilCollected(ticks, 10);
      console.log(JSON.stringify({ status, ...ticking, closed }));
      await emu.dispose();`);
    expect(outcome).toEqual({ status: 101, ranWhileHeld: true, stoppedOnceCollected: true, closed: true });
  }, CHILD_PROCESS_TIMEOUT);
});

/**
 * Runs `script` (module text) in a process of its own with gc() exposed, where collection is what
 * ends an event: it has durasim's Emulator, WorkerEntrypoint and Worker Response (from dist/),
 * `sleep(ms)` and `collect()` (a few collections, each given time for finalizers), and prints its
 * outcome as JSON.
 */
function withGc(script: string): unknown {
  const dist = (path: string) => JSON.stringify(pathToFileURL(resolve(import.meta.dirname, "../../../dist", path)).href);
  const prelude = `
    import { Emulator } from ${dist("index.js")};
    import { RpcTarget, WorkerEntrypoint } from ${dist("modules/workers.js")};
    import { WebSocketPair } from ${dist("modules/worker-globals.js")};
    import { Response as WorkerResponse } from ${dist("runtime/websockets/response.js")};
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    const collect = async () => { for (let i = 0; i < 3; i++) { globalThis.gc(); await sleep(10); } };
    // Whether every interval counted in ticks ran while its event's last holder lived, and none
    // ticked once the holder was collected (settleMs: how long what the collection ends takes).
    const tickingUntilCollected = async (ticks, settleMs = 0) => {
      await sleep(30);
      const held = { ...ticks };
      await collect();
      await sleep(settleMs);
      const collected = { ...ticks };
      await sleep(40);
      const counters = Object.keys(ticks);
      return {
        ranWhileHeld: counters.every((name) => held[name] > 0),
        stoppedOnceCollected: counters.every((name) => ticks[name] === collected[name]),
      };
    };`;
  const child = spawnSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", prelude + script], { encoding: "utf8" });
  expect(child.stderr).toBe("");
  return JSON.parse(child.stdout);
}

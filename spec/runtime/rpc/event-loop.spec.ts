import { performance } from "node:perf_hooks";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DurableObject, RpcTarget } from "../../../lib/modules/workers.js";
import { type AnyStub, emulator, namespaceOf, ticksBeforeSettling } from "../../helpers.js";
import { ScratchDirectories } from "../../scratch-directories.js";

// In the runtime every call to a Durable Object is I/O: its result comes back through the event
// loop, so timers and immediates keep firing while code polls a stub in a loop
// (`while (!(await stub.isDone())) {}`). Such a loop must never starve them here either. The
// cap is generous (a timer fires after a few thousand calls); a starved loop reaches it.
const CAP = 200_000;
/**
 * The bound durasim keeps (see README, Semantics notes): calls from outside are served without
 * a turn of the event loop for at most 1 ms, the clock being read every 64 calls.
 */
const CALLS_PER_CLOCK_READ = 64;
/** A call that takes this long (ms) makes 64 calls outlast that millisecond twice over. */
const SLOW_CALL_MS = 1 / 32;
// Captured before any test installs fake timers.
const realSetImmediate = setImmediate;
const realNow = performance.now.bind(performance);

class Flag extends DurableObject {
  flipped = false;
  flipAfterTimeout(ms: number) {
    setTimeout(() => (this.flipped = true), ms);
  }
  flipAfterImmediate() {
    setImmediate(() => (this.flipped = true));
  }
  flipAfterSchedulerWait() {
    void (globalThis as unknown as { scheduler: { wait(ms: number): Promise<void> } }).scheduler.wait(1).then(() => (this.flipped = true));
  }
  async flipByAlarm() {
    await (this.ctx as unknown as { storage: { setAlarm(at: number): Promise<void> } }).storage.setAlarm(Date.now() + 1);
  }
  alarm() {
    this.flipped = true;
  }
  flag() {
    return this.flipped;
  }
  /** The flag, after busy-waiting `ms` of real time. */
  slowFlag(ms: number) {
    const until = realNow() + ms;
    while (realNow() < until);
    return this.flipped;
  }
  ping() {
    return "pong";
  }
  /** Stubs that live outside the object once returned: a function and an RpcTarget. */
  reader() {
    return () => this.flipped;
  }
  readerTarget() {
    return new FlagReader(() => this.flipped);
  }
  async fetch() {
    return new Response(String(this.flipped));
  }
  /** Polls another object from inside this one, as a coordinator object might. */
  async pollOther(name: string) {
    const other = (this.env as { NS: { getByName(name: string): AnyStub } }).NS.getByName(name);
    await other.flipAfterTimeout(1);
    for (let calls = 1; calls <= CAP; calls++) if (await other.flag()) return calls;
    return -1;
  }
}

class FlagReader extends RpcTarget {
  #read: () => boolean;
  constructor(read: () => boolean) {
    super();
    this.#read = read;
  }
  flag() {
    return this.#read();
  }
  get flagged() {
    return this.#read();
  }
}

/** Calls `poll` until it answers true; the number of calls it took, or -1 at the cap. */
async function callsUntil(poll: () => Promise<boolean>): Promise<number> {
  for (let calls = 1; calls <= CAP; calls++) if (await poll()) return calls;
  return -1;
}

const directories = new ScratchDirectories("durasim-event-loop-");
afterEach(() => {
  directories.removeAll();
});

const storages = {
  "in memory": () => ({}),
  "on disk (SQLite-backed)": () => ({ persist: directories.make(), durableObjects: { NS: { className: "Flag", sqlite: true } } }),
};

describe.each(Object.entries(storages))("a loop of awaited stub calls lets the event loop turn (%s)", (_name, options) => {
  const stubOf = (): AnyStub => namespaceOf(Flag, options()).getByName("flag");

  it("RPC: sees a flag an object's setTimeout flips", async () => {
    const stub = stubOf();
    await stub.flipAfterTimeout(5);
    expect(await callsUntil(() => stub.flag())).toBeGreaterThan(0);
  });

  it("RPC: a timer falls due while a test polls; it fires within the bound (calls of 1/32 ms: within two clock reads, 128 calls)", async () => {
    const stub = stubOf();
    await stub.flipAfterTimeout(0);
    const calls = await callsUntil(() => stub.slowFlag(SLOW_CALL_MS));
    expect(calls).toBeGreaterThan(0);
    expect(calls).toBeLessThanOrEqual(2 * CALLS_PER_CLOCK_READ);
  });

  it("fetch: sees a flag an object's setTimeout flips", async () => {
    const stub = stubOf();
    await stub.flipAfterTimeout(0);
    expect(await callsUntil(async () => (await (await stub.fetch("http://do/")).text()) === "true")).toBeGreaterThan(0);
  });

  it("RPC: sees a flag an object's setImmediate flips", async () => {
    const stub = stubOf();
    await stub.flipAfterImmediate();
    expect(await callsUntil(() => stub.flag())).toBeGreaterThan(0);
  });

  it("RPC: sees a flag an alarm on the real clock flips, and one after scheduler.wait", async () => {
    const alarmed = stubOf();
    await alarmed.flipByAlarm();
    expect(await callsUntil(() => alarmed.flag())).toBeGreaterThan(0);
    const waited = namespaceOf(Flag, options()).getByName("waited");
    await waited.flipAfterSchedulerWait();
    expect(await callsUntil(() => waited.flag())).toBeGreaterThan(0);
  });

  it("lets the test's own setTimeout and setImmediate fire while it polls", async () => {
    const stub = stubOf();
    let timedOut = false;
    let immediate = false;
    setTimeout(() => (timedOut = true), 1);
    setImmediate(() => (immediate = true));
    expect(await callsUntil(async () => (await stub.ping()) === "pong" && timedOut && immediate)).toBeGreaterThan(0);
  });

  it("calls on a function or an RpcTarget an object returned let the object's timers fire too", async () => {
    const stub = stubOf();
    const read = await stub.reader();
    const target = await stub.readerTarget();
    await stub.flipAfterTimeout(1);
    expect(await callsUntil(() => read())).toBeGreaterThan(0);
    const other = namespaceOf(Flag, options()).getByName("other");
    const otherTarget = await other.readerTarget();
    await other.flipAfterImmediate();
    expect(await callsUntil(() => otherTarget.flag())).toBeGreaterThan(0);
    const third = namespaceOf(Flag, options()).getByName("third");
    const thirdTarget = await third.readerTarget();
    await third.flipAfterTimeout(1);
    expect(await callsUntil(async () => (await thirdTarget.flagged) as boolean)).toBeGreaterThan(0);
    expect(await target.flag()).toBe(true);
  });

  it("between objects: an object polling another sees its timer fire", async () => {
    const stub = stubOf();
    expect(await stub.pollOther("other")).toBeGreaterThan(0);
  });

  it("keeps to the real clock under fake timers that also fake performance.now, hrtime and Date", async () => {
    const stub = stubOf();
    vi.useFakeTimers({ toFake: ["setTimeout", "setImmediate", "Date", "performance", "hrtime"] });
    try {
      let turned = false;
      realSetImmediate(() => (turned = true));
      expect(await callsUntil(async () => (await stub.ping()) === "pong" && turned)).toBeGreaterThan(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

class Echo extends DurableObject {
  log: string[] = [];
  hello(x: number) {
    return x;
  }
  target() {
    return new FlagReader(() => true);
  }
  async a() {
    this.log.push("a");
    await (this.ctx as unknown as { storage: { sync(): Promise<void> } }).storage.sync();
    return this.log;
  }
  b() {
    this.log.push("b");
    return this.log;
  }
}

describe("where an awaited call settles among microtasks", () => {
  const world = (fetch: (env: Record<string, AnyStub>) => Promise<unknown>) =>
    emulator({
      module: { default: { fetch: async (_request: Request, env: Record<string, AnyStub>) => Response.json(await fetch(env)) }, Echo, Api: { hello: (x: number) => x, target: () => new FlagReader(() => true) } },
      durableObjects: { NS: "Echo", SQL: { className: "Echo", sqlite: true } },
      serviceBindings: { SVC: { name: "main", entrypoint: "Api" } } as never,
      name: "main",
    });

  it("made by Worker code (a fetch handler), a call to an object, a Worker or an RpcTarget either returned is I/O: it settles after the microtask queue drains", async () => {
    const emu = world(async (env) => {
      const stub = env.NS!.getByName("e");
      const target = await stub.target();
      const workersTarget = await env.SVC!.target(null);
      return [
        await ticksBeforeSettling(() => stub.hello(1)),
        await ticksBeforeSettling(() => target.flag()),
        await ticksBeforeSettling(() => env.SVC!.hello(1)),
        await ticksBeforeSettling(() => workersTarget.flag()),
      ];
    });
    expect(await (await emu.dispatchFetch("http://x/")).json()).toEqual([40, 40, 40, 40]);
  });

  it("made by test code, a call is served within the microtask queue (a difference from production)", async () => {
    const stub = world(async () => null).env.NS.getByName("e") as AnyStub;
    expect(await ticksBeforeSettling(() => stub.hello(1))).toBeLessThan(40);
  });

  it("calls Worker code makes in one turn arrive together, and each result is copied when the object returns it", async () => {
    const emu = world(async (env) => {
      const sql = env.SQL!.getByName("sql");
      const a = sql.a();
      const b = sql.b();
      const kv = env.NS!.getByName("kv");
      const first = kv.b();
      const second = kv.b();
      return { a: await a, b: await b, first: await first, second: await second };
    });
    // On SQLite, storage.sync() lets B in, which was sent in the same turn. The second call's
    // entry, made after the first call returned, is not in the first call's result.
    expect(await (await emu.dispatchFetch("http://x/")).json()).toEqual({ a: ["a", "b"], b: ["a", "b"], first: ["b"], second: ["b", "b"] });
  });
});

/**
 * A stream of 1-byte chunks that sets an immediate once its reader is well under way (its 100th
 * chunk: the first may be read ahead as the call is sent) and ends once that fired, or at CAP
 * chunks (where a starved loop ends it). Its source is Worker code's too.
 */
function untilImmediate(): ReadableStream<Uint8Array> {
  let chunks = 0;
  let immediate = false;
  return new ReadableStream({
    pull(controller) {
      if (++chunks === 100) setImmediate(() => (immediate = true));
      if (immediate || chunks > CAP) controller.close();
      else controller.enqueue(new Uint8Array(1));
    },
  });
}

/** Worker code: an object that reads a request body whole, or sends untilImmediate(). */
const BODIES = `import { DurableObject } from "cloudflare:workers";
const CAP = ${CAP};
${untilImmediate.toString()}
export class Bodies extends DurableObject {
  async fetch(request) {
    if (request.method === "GET") return new Response(untilImmediate());
    return new Response(String((await request.arrayBuffer()).byteLength));
  }
}`;

// In the runtime each chunk of a body crosses as I/O; pumped here in microtasks, a body that
// never ends starved every timer and immediate, so nothing could stop it (an abort among them).
describe("a body pumped between a caller and an object lets the event loop turn", () => {
  const stubOf = () => emulator({ script: BODIES, durableObjects: { NS: "Bodies" } }).env.NS.getByName("b") as AnyStub;

  it("a request body the object reads whole: the caller's immediate fires before the body's cap", async () => {
    const response = await stubOf().fetch("http://do/", { method: "POST", body: untilImmediate(), duplex: "half" });
    expect(Number(await response.text())).toBeLessThan(CAP);
  });

  it("a response body the caller reads whole: the object's immediate fires before the body's cap", async () => {
    expect((await (await stubOf().fetch("http://do/")).arrayBuffer()).byteLength).toBeLessThan(CAP);
  });
});

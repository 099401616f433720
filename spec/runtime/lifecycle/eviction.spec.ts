import { describe, expect, it, vi } from "vitest";
import { Response, WebSocketPair } from "../../../lib/modules/worker-globals.js";
import { DurableObject, RpcTarget } from "../../../lib/modules/workers.js";
import type { WebSocket } from "../../../lib/runtime/websockets/web-socket.js";
import { type AnyStub, emulator, rejection } from "../../helpers.js";
import type { DurableObjectStorage } from "../../../lib/storage/api/storage.js";
import type { Ctx } from "./fixtures.js";

const constructed: string[] = [];
/** The real setImmediate, for waiting while fake timers are installed. */
const immediate = setImmediate;

/** What slowWrite() waits for; `hold()` closes it and returns the function that opens it. */
let gate: Promise<void> = Promise.resolve();
/** Settles once a slowWrite() has reached the gate `hold()` closed last: a call surely running. */
let reachedGate: Promise<void> = Promise.resolve();
let reach = (): void => {};
function hold(): () => void {
  let release!: () => void;
  gate = new Promise<void>((resolve) => (release = resolve));
  reachedGate = new Promise<void>((resolve) => (reach = resolve));
  return release;
}

class Peeker extends RpcTarget {
  constructor(private readonly peeking: () => number) {
    super();
  }
  peek() {
    return this.peeking();
  }
}

/** Counts in memory and in storage, so a test can tell a new instance from the old one. */
class Counter extends DurableObject {
  memory = 0;

  constructor(ctx: unknown, env: unknown) {
    super(ctx, env);
    constructed.push((ctx as Ctx).id.name ?? "?");
  }

  async bump() {
    const storage = (this.ctx as Ctx).storage;
    const stored = ((await storage.get("n")) as number | undefined) ?? 0;
    await storage.put("n", stored + 1);
    return { memory: ++this.memory, stored: stored + 1 };
  }

  peek() {
    return ++this.memory;
  }

  /** An RpcTarget and a function over this instance's memory. */
  handles() {
    const peek = () => this.peek();
    return { target: new Peeker(peek), peek };
  }

  /** Waits on `gate` (like real I/O, it opens the input gate), then writes. */
  async slowWrite() {
    reach();
    await gate;
    await (this.ctx as Ctx).storage.put("late", true);
    return "finished";
  }
}

function counters(extra: Record<string, unknown> = {}, binding: Record<string, unknown> = {}) {
  constructed.length = 0;
  const emu = emulator({
    module: { Counter },
    durableObjects: { NS: { className: "Counter", ...binding } },
    clock: "manual",
    ...extra,
  });
  return { emu, ns: emu.env.NS as AnyStub };
}

describe("idle eviction (reference §6)", () => {
  it("evicts an object after 10 s with no event: the constructor runs again, memory is lost, storage survives", async () => {
    const { emu, ns } = counters();
    const stub = ns.getByName("idle");
    expect(await stub.bump()).toEqual({ memory: 1, stored: 1 });
    await emu.advanceTime(9_999);
    expect(await stub.bump()).toEqual({ memory: 2, stored: 2 });
    // The last event restarted the idle period.
    await emu.advanceTime(9_999);
    expect(constructed).toEqual(["idle"]);
    await emu.advanceTime(1);
    // The same stub reaches the new instance.
    expect(await stub.bump()).toEqual({ memory: 1, stored: 3 });
    expect(constructed).toEqual(["idle", "idle"]);
  });

  it("evicts each object 10 s after its own last event, whatever order the objects were used in", async () => {
    const { emu, ns } = counters();
    const [a, b] = [ns.getByName("a"), ns.getByName("b")];
    await a.peek();
    await emu.advanceTime(4_000);
    await b.peek();
    await emu.advanceTime(2_000);
    expect(await a.peek()).toBe(2);
    await emu.advanceTime(8_000);
    expect(constructed).toEqual(["a", "b"]);
    expect(await b.peek()).toBe(1);
    expect(constructed).toEqual(["a", "b", "b"]);
    await emu.advanceTime(1_999);
    expect(await a.peek()).toBe(3);
    await emu.advanceTime(10_000);
    expect(await a.peek()).toBe(1);
    expect(constructed).toEqual(["a", "b", "b", "a"]);
  });

  it("keeps the others' order when an object in the middle of the idle ones is used again", async () => {
    const { emu, ns } = counters();
    const [a, b, c] = [ns.getByName("a"), ns.getByName("b"), ns.getByName("c")];
    await a.peek();
    await emu.advanceTime(1_000);
    await b.peek();
    await emu.advanceTime(1_000);
    await c.peek();
    await emu.advanceTime(1_000);
    // b leaves the middle of the idle objects and goes idle again last, at 3 s.
    expect(await b.peek()).toBe(2);
    await emu.advanceTime(7_000);
    expect(constructed).toEqual(["a", "b", "c"]);
    expect(await a.peek()).toBe(1); // evicted at 10 s
    await emu.advanceTime(2_000); // 12 s: c's 10 s are up, b's are not
    expect(constructed).toEqual(["a", "b", "c", "a"]);
    expect(await b.peek()).toBe(3);
    expect(await c.peek()).toBe(1);
    expect(constructed).toEqual(["a", "b", "c", "a", "c"]);
  });

  it("keeps one idle timer for an object called again and again, not one per call", async () => {
    const { ns } = counters({ clock: "real" });
    const stub = ns.getByName("hot");
    // Fake timers (Date included) are what the real clock sets its timers with; counted below.
    vi.useFakeTimers();
    const installed = globalThis.setTimeout;
    let set = 0;
    try {
      await stub.peek();
      globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
        set++;
        return installed(...args);
      }) as typeof setTimeout;
      for (let i = 0; i < 20; i++) await stub.peek();
    } finally {
      globalThis.setTimeout = installed;
      vi.useRealTimers();
    }
    // Replacing setTimeout makes the pending timer stale once: it is set again, once.
    expect(set).toBe(1);
  });

  it("with the machine's clock, evicts every object that went idle in one turn, the first and the others alike", async () => {
    const { ns } = counters({ clock: "real", idleTimeout: 20 });
    const stubs = ["a", "b", "c"].map((name) => ns.getByName(name));
    // Called together, all three go idle in one turn, stamped at its end with one reading.
    expect(await Promise.all(stubs.map((stub) => stub.peek()))).toEqual([1, 1, 1]);
    // A timer due after theirs: the eviction timer set for the turn's stamp fires first.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await Promise.all(stubs.map((stub) => stub.peek()))).toEqual([1, 1, 1]);
    expect(constructed).toEqual(["a", "b", "c", "a", "b", "c"]);
  });

  it("does not evict an object with an event in flight", async () => {
    const { emu, ns } = counters();
    const stub = ns.getByName("busy");
    const release = hold();
    const call = stub.slowWrite();
    await emu.advanceTime(60_000);
    release();
    expect(await call).toBe("finished");
    expect(constructed).toEqual(["busy"]);
  });

  it("does not evict an object while a caller holds a stub to an RpcTarget or function it returned; once the last is disposed, it is evicted 10 s later (conformance eviction: ...)", async () => {
    const { emu, ns } = counters();
    const { target, peek } = await ns.getByName("held").handles();
    await emu.advanceTime(60_000);
    expect([await target.peek(), await peek(), constructed]).toEqual([1, 2, ["held"]]);
    target[Symbol.dispose]();
    await emu.advanceTime(60_000);
    expect(constructed).toEqual(["held"]);
    peek[Symbol.dispose]();
    await emu.advanceTime(9_999);
    expect(constructed).toEqual(["held"]);
    await emu.advanceTime(1);
    expect(await ns.getByName("held").peek()).toBe(1);
    expect(constructed).toEqual(["held", "held"]);
  });

  it("does not evict an object while a timer its code set is pending: a timeout until it fires, an interval until it is cleared (workerd's rule)", async () => {
    vi.useFakeTimers();
    try {
      class Waiter extends Counter {
        #interval: ReturnType<typeof setInterval> | undefined;
        later(ms: number) {
          setTimeout(() => {}, ms);
        }
        tick() {
          this.#interval = setInterval(() => {}, 1_000);
        }
        stop() {
          clearInterval(this.#interval);
        }
      }
      constructed.length = 0;
      const emu = emulator({ module: { Waiter }, durableObjects: { NS: "Waiter" } });
      const ns = emu.env.NS as AnyStub;
      await ns.getByName("timeout").later(15_000);
      await ns.getByName("interval").tick();
      await ns.getByName("plain").peek();
      await vi.advanceTimersByTimeAsync(14_000);
      // Only the object with nothing pending went at 10 s.
      for (const name of ["timeout", "interval", "plain"]) await ns.getByName(name).peek();
      expect(constructed).toEqual(["timeout", "interval", "plain", "plain"]);
      // The timeout fired at 15 s: idle from then, evicted 10 s later. The interval still ticks.
      await vi.advanceTimersByTimeAsync(12_000);
      for (const name of ["timeout", "interval"]) await ns.getByName(name).peek();
      expect(constructed.slice(4)).toEqual(["timeout"]);
      await ns.getByName("interval").stop();
      await vi.advanceTimersByTimeAsync(10_000);
      await ns.getByName("interval").peek();
      expect(constructed.slice(5)).toEqual(["interval"]);
      await emu.dispose();
    } finally {
      vi.useRealTimers();
    }
  });

  it("takes its delay from idleTimeout, and never evicts with preventEviction or idleTimeout: Infinity", async () => {
    const short = counters({ idleTimeout: 1_000 });
    await short.ns.getByName("a").bump();
    await short.emu.advanceTime(1_000);
    await short.ns.getByName("a").bump();
    expect(constructed).toEqual(["a", "a"]);

    for (const [extra, binding] of [
      [{}, { preventEviction: true }],
      [{ idleTimeout: Infinity }, {}],
    ]) {
      const never = counters(extra, binding);
      await never.ns.getByName("b").bump();
      await never.emu.advanceTime(3_600_000);
      expect(await never.ns.getByName("b").bump()).toEqual({ memory: 2, stored: 2 });
    }
  });

  it("rejects bad eviction options with a message naming the option", () => {
    expect(() => counters({ idleTimeout: 0 })).toThrow(/option "idleTimeout" is 0; use a number of milliseconds above 0/);
    expect(() => counters({ maxLiveObjects: 1.5 })).toThrow(/option "maxLiveObjects" is 1.5; use a whole number above 0/);
    expect(() => counters({}, { preventEviction: "yes" })).toThrow(/has "preventEviction": "yes"; use true or false/);
    expect(() => counters({ clock: "virtual" })).toThrow(/option "clock" is "virtual"; use "real" \(the default\) or "manual"/);
  });
});

describe("emu.evict()", () => {
  it("evicts one object, or all of them, now", async () => {
    const { emu, ns } = counters();
    await ns.getByName("x").bump();
    await ns.getByName("y").bump();
    await emu.evict(ns.getByName("x"));
    expect(await ns.getByName("x").bump()).toEqual({ memory: 1, stored: 2 });
    expect(await ns.getByName("y").bump()).toEqual({ memory: 2, stored: 2 });
    await emu.evict();
    expect(await ns.getByName("y").bump()).toEqual({ memory: 1, stored: 3 });
    expect(constructed).toEqual(["x", "y", "x", "y"]);
  });

  it("evicts preventEviction objects too: it is an explicit request", async () => {
    const { emu, ns } = counters({}, { preventEviction: true });
    await ns.getByName("p").bump();
    await emu.evict();
    expect(await ns.getByName("p").bump()).toEqual({ memory: 1, stored: 2 });
  });

  it("lets a running call finish without storage, and sends queued calls to the next instance", async () => {
    const { emu, ns } = counters();
    const stub = ns.getByName("mid");
    await stub.bump();
    const release = hold();
    const running = stub.slowWrite();
    await reachedGate;
    await emu.evict(stub);
    const next = stub.bump();
    release();
    const error = await rejection(running);
    expect([error.name, error.message]).toEqual(["Error", "Durable Object storage is no longer accessible."]);
    expect(await next).toEqual({ memory: 1, stored: 2 });
    expect(await stub.bump()).toEqual({ memory: 2, stored: 3 });
  });

  it("keeps the writes an object has already made", async () => {
    class Unconfirmed extends DurableObject {
      async write() {
        await (this.ctx as Ctx).storage.put("k", "v", { allowUnconfirmed: true });
      }
      read() {
        return (this.ctx as Ctx).storage.get("k");
      }
    }
    const emu = emulator({ module: { Unconfirmed }, durableObjects: { NS: "Unconfirmed" } });
    const stub = (emu.env.NS as AnyStub).getByName("u");
    await stub.write();
    await emu.evict(stub);
    expect(await stub.read()).toBe("v");
  });
});

describe("an evicted instance's timers", () => {
  it("are cleared, as a reset's are, once no event of the instance runs: one still running may wait on a timer", async () => {
    vi.useFakeTimers();
    try {
      const ticks: string[] = [];
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      class Ticker extends DurableObject {
        constructor(ctx: unknown, env: unknown) {
          super(ctx, env);
          setInterval(() => ticks.push("interval"), 1_000);
        }
        hello() {
          return "hi";
        }
        /** Still running when the object is evicted; then waits on a timer. */
        async late() {
          ticks.push("late started");
          await held;
          await new Promise((resolve) => setTimeout(resolve, 1_500));
          ticks.push("late done");
          return "finished";
        }
        /** Never ends. */
        hang() {
          ticks.push("hang started");
          return new Promise(() => {});
        }
      }
      const emu = emulator({ module: { Ticker }, durableObjects: { NS: "Ticker" }, idleTimeout: Infinity });
      const stub = (emu.env.NS as AnyStub).getByName("t");
      const before = vi.getTimerCount();
      await stub.hello();
      const running = stub.late();
      while (!ticks.includes("late started")) await new Promise((resolve) => immediate(resolve));
      await emu.evict(stub);
      release();
      // The running call's timer fires (and the interval, while the call runs), then both are gone.
      await vi.advanceTimersByTimeAsync(1_500);
      expect(await running).toBe("finished");
      expect(ticks).toEqual(["late started", "interval", "late done"]);
      expect(vi.getTimerCount()).toBe(before);
      // With nothing running, an eviction clears them at once.
      await stub.hello();
      expect(vi.getTimerCount()).toBe(before + 1);
      await emu.evict(stub);
      expect(vi.getTimerCount()).toBe(before);
      await vi.advanceTimersByTimeAsync(5_000);
      expect(ticks).toEqual(["late started", "interval", "late done"]);
      // A call that never ends keeps them going, until the emulator is disposed: that fails the
      // call, as it fails a live instance's.
      await stub.hello();
      const hung = stub.hang().catch((error: Error) => error.message);
      while (!ticks.includes("hang started")) await new Promise((resolve) => immediate(resolve));
      await emu.evict(stub);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(ticks.slice(3)).toEqual(["hang started", "interval"]);
      await emu.dispose();
      expect(await hung).toMatch(/this Emulator has been disposed/);
      await vi.advanceTimersByTimeAsync(5_000);
      expect(ticks.slice(3)).toEqual(["hang started", "interval"]);
      expect(vi.getTimerCount()).toBe(before);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("maxLiveObjects", () => {
  it("evicts the least recently used idle objects first", async () => {
    const { ns } = counters({ maxLiveObjects: 2 });
    await ns.getByName("a").bump();
    await ns.getByName("b").bump();
    await ns.getByName("a").bump();
    // "b" is now the least recently used: reaching "c" evicts it.
    await ns.getByName("c").bump();
    expect(await ns.getByName("a").bump()).toEqual({ memory: 3, stored: 3 });
    expect(await ns.getByName("b").bump()).toEqual({ memory: 1, stored: 2 });
    expect(constructed).toEqual(["a", "b", "c", "b"]);
  });

  it("evicts an object pushed out while busy as soon as its events finish", async () => {
    const { ns } = counters({ maxLiveObjects: 1 });
    const release = hold();
    const slow = ns.getByName("slow").slowWrite();
    await ns.getByName("other").bump();
    release();
    expect(await slow).toBe("finished");
    expect(await ns.getByName("slow").bump()).toEqual({ memory: 1, stored: 1 });
    expect(constructed).toEqual(["slow", "other", "slow"]);
  });

  it("evicts an object whose timers are pending, and clears them: the cap holds, and they never fire", async () => {
    vi.useFakeTimers();
    try {
      const fired: string[] = [];
      class Timed extends Counter {
        tick() {
          setInterval(() => fired.push("interval"), 1_000);
        }
        later() {
          setTimeout(() => fired.push("timeout"), 60_000);
        }
      }
      constructed.length = 0;
      const emu = emulator({ module: { Timed }, durableObjects: { NS: "Timed" }, maxLiveObjects: 1, idleTimeout: Infinity });
      const ns = emu.env.NS as AnyStub;
      const before = vi.getTimerCount();
      await ns.getByName("a").tick();
      await ns.getByName("b").later();
      await ns.getByName("c").peek();
      expect(vi.getTimerCount()).toBe(before);
      await vi.advanceTimersByTimeAsync(61_000);
      expect(fired).toEqual([]);
      // Each call constructs its object anew: the one before it was evicted.
      for (const name of ["a", "b", "c"]) await ns.getByName(name).peek();
      expect(constructed).toEqual(["a", "b", "c", "a", "b", "c"]);
      await emu.dispose();
    } finally {
      vi.useRealTimers();
    }
  });

  it("evicts an object pushed out while its WebSocket is open once it closes, though a timer of it is pending", async () => {
    const fired: string[] = [];
    let server: WebSocket | undefined;
    class Talker extends Counter {
      fetch() {
        setInterval(() => fired.push("interval"), 10);
        const pair = new WebSocketPair();
        server = pair[1];
        server.accept();
        return new Response(null, { status: 101, webSocket: pair[0] });
      }
    }
    constructed.length = 0;
    const emu = emulator({ module: { Talker }, durableObjects: { NS: "Talker" }, maxLiveObjects: 1 });
    const ns = emu.env.NS as AnyStub;
    const ws = ((await ns.getByName("a").fetch("http://a/", { headers: { Upgrade: "websocket" } })) as Response).webSocket!;
    ws.accept();
    ws.addEventListener("close", () => ws.close(1000, "bye"));
    await ns.getByName("b").peek();
    // The object's end closes first, and the client answers.
    server!.close(1000, "bye");
    await new Promise((resolve) => setTimeout(resolve, 20));
    const ticks = fired.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fired.length).toBe(ticks);
    for (const name of ["a", "b"]) await ns.getByName(name).peek();
    expect(constructed).toEqual(["a", "b", "a", "b"]);
    await emu.dispose();
  });

  it("forgets objects that hold no data, and brings them back on the next call", async () => {
    const { ns } = counters({ maxLiveObjects: 1 });
    for (const name of ["a", "b", "a", "b"]) expect(await ns.getByName(name).peek()).toBe(1);
    expect(constructed).toEqual(["a", "b", "a", "b"]);
  });

  it("does not count preventEviction objects", async () => {
    const { ns } = counters({ maxLiveObjects: 1 }, { preventEviction: true });
    await ns.getByName("a").bump();
    await ns.getByName("b").bump();
    expect(await ns.getByName("a").bump()).toEqual({ memory: 2, stored: 2 });
  });
});

/**
 * What an object's first instance leaves in its SQLite storage, and what its next instance finds
 * after an eviction: a storage left as a new one is (durasim then forgets the record and makes
 * the storage anew) must be found as production finds it after a restart (the conformance
 * scenario "sql state: what a new instance finds after the last one left its storage empty").
 */
class Emptied extends DurableObject {
  get storage(): DurableObjectStorage {
    return (this.ctx as { storage: DurableObjectStorage }).storage;
  }

  async empty(how: string) {
    const storage = this.storage;
    const sql = storage.sql;
    if (how === "sizeRead") void sql.databaseSize;
    if (how === "putDeleteAll") await storage.put("k", 1).then(() => storage.deleteAll());
    if (how === "putDelete") await storage.put("k", 1).then(() => storage.delete("k"));
    if (how === "alarmSetDeleted") await storage.setAlarm(Date.now() + 3_600_000).then(() => storage.deleteAlarm());
    if (how === "createDrop") sql.exec("CREATE TABLE t (a)").toArray(), sql.exec("DROP TABLE t").toArray();
    if (how === "threeCreatedDropped") sql.exec("CREATE TABLE a (x); CREATE TABLE b (x); CREATE TABLE c (x); DROP TABLE a; DROP TABLE b; DROP TABLE c").toArray();
    if (how === "foreignKeysOff") sql.exec("PRAGMA foreign_keys = OFF").toArray();
    if (how === "bookmark") return storage.getCurrentBookmark();
    return undefined;
  }

  alarm() {}

  async fill() {
    this.storage.sql.exec("CREATE TABLE kept (a)");
    await this.storage.put("k", 1);
  }

  async find() {
    const storage = this.storage;
    const sql = storage.sql;
    const found = { size: sql.databaseSize, tables: sql.exec("SELECT name FROM sqlite_master").toArray().map((row) => row.name), foreignKeys: sql.exec("PRAGMA foreign_keys").one().foreign_keys };
    sql.exec("CREATE TABLE n (a); CREATE TABLE m (a)");
    return { ...found, alarm: await storage.getAlarm(), roots: sql.exec("SELECT rootpage FROM sqlite_master WHERE name IN ('n', 'm') ORDER BY name DESC").toArray().map((row) => row.rootpage) };
  }

  restoreTo(bookmark: string) {
    return this.storage.onNextSessionRestoreBookmark(bookmark);
  }
}

describe("an evicted SQLite-backed object whose storage is as new", () => {
  const asNew = { size: 4096, tables: [], foreignKeys: 1, alarm: null, roots: [2, 3] };

  it("is found by its next instance as production finds it after a restart, whatever emptied it", async () => {
    const emu = emulator({ module: { Emptied }, durableObjects: { NS: { className: "Emptied", sqlite: true } } });
    const ns = emu.env.NS as AnyStub;
    const found: Record<string, unknown> = {};
    for (const how of ["untouched", "sizeRead", "putDeleteAll", "putDelete", "alarmSetDeleted", "createDrop", "threeCreatedDropped", "foreignKeysOff"]) {
      await ns.getByName(how).empty(how);
      await emu.evict(ns.getByName(how));
      found[how] = await ns.getByName(how).find();
    }
    const withTable = (table: string) => ({ ...asNew, size: 8192, tables: [table], roots: [3, 4] });
    expect(found).toEqual({
      untouched: asNew,
      sizeRead: asNew,
      putDeleteAll: asNew,
      putDelete: withTable("_cf_KV"),
      alarmSetDeleted: withTable("_cf_METADATA"),
      createDrop: asNew,
      // The free pages a new database lacks are reused first: the new tables' root pages tell.
      threeCreatedDropped: { ...asNew, roots: [3, 4] },
      foreignKeysOff: asNew,
    });
  });

  it("comes back with what a snapshot taken before it was emptied holds", async () => {
    const emu = emulator({ module: { Emptied }, durableObjects: { NS: { className: "Emptied", sqlite: true } } });
    const stub = (emu.env.NS as AnyStub).getByName("s");
    await stub.fill();
    const filled = await emu.snapshot();
    await stub.empty("putDeleteAll");
    await emu.evict(stub);
    expect(await stub.find()).toEqual(asNew);
    await emu.restore(filled);
    expect((await stub.find()).tables).toEqual(["kept", "_cf_KV"]);
  });

  it("keeps its usage, and its point-in-time history once it used it", async () => {
    const emu = emulator({ module: { Emptied }, durableObjects: { NS: { className: "Emptied", sqlite: true } } });
    const untouched = (emu.env.NS as AnyStub).getByName("u");
    await untouched.empty("untouched");
    await emu.evict(untouched);
    expect(emu.usage(untouched).requests.rpc).toBe(1);
    await untouched.find();
    expect(emu.usage(untouched).requests.rpc).toBe(2);
    const stub = (emu.env.NS as AnyStub).getByName("b");
    const bookmark = (await stub.empty("bookmark")) as string;
    await emu.evict(stub);
    await stub.restoreTo(bookmark);
    await emu.evict(stub);
    expect(await stub.find()).toEqual(asNew);
  });
});

/**
 * An explicit transaction that spans turns holds the object's batch open (and the output gate:
 * its event answers when it ends), and an eviction does not commit under it: the evicted
 * instance's PRAGMAs must still not reach its successor, which workerd gives a database opened
 * anew.
 */
let transactionBegun: () => void = () => undefined;

class Pragmas extends DurableObject {
  get storage(): DurableObjectStorage {
    return (this.ctx as { storage: DurableObjectStorage }).storage;
  }

  async turnOffAndHold() {
    const storage = this.storage;
    storage.sql.exec("PRAGMA foreign_keys = OFF").toArray();
    await storage.transaction(async () => {
      storage.sql.exec("CREATE TABLE IF NOT EXISTS t (a)").toArray();
      transactionBegun();
      await gate;
    });
  }

  found() {
    const sql = this.storage.sql;
    return { foreignKeys: sql.exec("PRAGMA foreign_keys").one().foreign_keys, tables: sql.exec("SELECT name FROM sqlite_master").toArray().length };
  }
}

describe("an evicted SQLite-backed object whose transaction is still open", () => {
  it("drops the transaction's writes and its PRAGMAs: the next instance finds the defaults, and keeps them", async () => {
    const emu = emulator({ module: { Pragmas }, durableObjects: { NS: { className: "Pragmas", sqlite: true } } });
    const stub = (emu.env.NS as AnyStub).getByName("p");
    const release = hold();
    const begun = new Promise<void>((resolve) => (transactionBegun = resolve));
    const held = stub.turnOffAndHold().then(() => "finished", (error: Error) => error.message);
    await begun;
    await emu.evict(stub);
    const next = await stub.found();
    release();
    const defaults = { foreignKeys: 1, tables: 0 };
    // The transaction's table was never committed: the evicted instance's transaction fails.
    expect([next, await held, await stub.found()]).toEqual([defaults, "Durable Object storage is no longer accessible.", defaults]);
  });
});

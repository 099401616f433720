// What a reset instance leaves behind: nothing that runs on. Its pending timers stop (the
// runtime's do not fire once their instance is broken; conformance "resets: a reset instance's
// timers never fire"), whether Node's or a test runner's fakes set them, and a failing
// blockConcurrencyWhile nobody awaited (the constructor pattern) is no unhandled rejection, nor
// is a write the reset instance's code makes afterwards (the runtime never runs that code); a
// write nobody awaited that fails on its own (an oversized value) is one, as in the runtime
// (conformance "events: unhandledrejection and rejectionhandled reach the global listeners").
import { afterEach, describe, expect, it, vi } from "vitest";
import { DurableObject } from "../../../lib/modules/workers.js";
import { type AnyStub, emulator, namespaceOf, nextTurn, rejection, sleep } from "../../helpers.js";

interface Ctx {
  blockConcurrencyWhile<T>(fn: () => Promise<T>): Promise<T>;
  abort(reason?: string): never;
}

const ticks = new Map<string, number>();

class Ticking extends DurableObject {
  /** An interval every ms and a timeout in 2 ms, each counting under `tag`. */
  arm(tag: string) {
    const tick = () => ticks.set(tag, (ticks.get(tag) ?? 0) + 1);
    setInterval(tick, 1);
    setTimeout(tick, 2);
    return "armed";
  }
  abort() {
    (this.ctx as Ctx).abort("reset on purpose");
  }
  /** Storage writes nobody awaits, which fail: an oversized value, then a write after a reset. */
  writeUnawaited() {
    const storage = (this.ctx as unknown as { storage: { put(key: string, value: unknown): Promise<void> } }).storage;
    void storage.put("big", "x".repeat(200 * 1024));
    try {
      (this.ctx as Ctx).abort("reset before the next write");
    } catch {
      // Production stops the code here; durasim cannot, and the write below fails.
    }
    void storage.put("after", 1);
  }
  failUnawaited() {
    void (this.ctx as Ctx).blockConcurrencyWhile(async () => {
      throw new Error("nobody awaits this");
    });
    return "returned";
  }
}

class FailingInit extends DurableObject {
  constructor(ctx: unknown, env: unknown) {
    super(ctx, env);
    // The documented constructor pattern, not awaited.
    void (ctx as Ctx).blockConcurrencyWhile(async () => {
      throw new RangeError("init failed");
    });
  }
  hello() {
    return "unreachable";
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe("a reset instance leaves nothing running", () => {
  it("its real timers stop: an interval of 1 ms never fires after the reset", async () => {
    const ns = namespaceOf(Ticking);
    const reset: AnyStub = ns.getByName("reset");
    await reset.arm("reset");
    await rejection(reset.abort());
    const counted = ticks.get("reset") ?? 0;
    await ns.getByName("kept").arm("kept");
    // Until the kept interval has ticked twice: the reset one, armed first with the same 1 ms,
    // would have fallen due and run by then if it were still armed (timers of one duration run in
    // the order they fell due). A fixed 20 ms sleep could end after a single kept tick when a
    // loaded machine ran the process late (both timers due at once, one tick each).
    while ((ticks.get("kept") ?? 0) < 2) await sleep(1);
    expect(ticks.get("reset") ?? 0).toBe(counted);
  });

  it("its fake timers stop too, cleared through the fakes' own clear functions", async () => {
    vi.useFakeTimers();
    const emu = emulator({ module: { Ticking }, durableObjects: { NS: "Ticking" }, idleTimeout: Infinity });
    const before = vi.getTimerCount();
    const stub: AnyStub = emu.env.NS.getByName("fake");
    await stub.arm("fake");
    expect(vi.getTimerCount()).toBe(before + 2);
    await rejection(stub.abort());
    expect(vi.getTimerCount()).toBe(before);
    vi.advanceTimersByTime(100);
    expect(ticks.get("fake")).toBeUndefined();
  });

  it("a failing blockConcurrencyWhile nobody awaited, or a write after the reset, is no unhandled rejection; an oversized write is", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const failing: AnyStub = namespaceOf(FailingInit).getByName("a");
      expect((await rejection(failing.hello())).message).toBe("init failed");
      const ticking: AnyStub = namespaceOf(Ticking).getByName("b");
      expect(await ticking.failUnawaited()).toBe("returned");
      expect((await rejection(ticking.arm("b"))).message).toBe("nobody awaits this");
      const writer: AnyStub = namespaceOf(Ticking).getByName("c");
      expect((await rejection(writer.writeUnawaited())).message).toBe("reset before the next write");
      for (let i = 0; i < 3; i++) await nextTurn();
      // Only the oversized put() made before the reset: the write after it stays silent.
      expect(unhandled).toEqual([expect.objectContaining({ message: "Values cannot be larger than 131072 bytes. A value of size 204806 was provided." })]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });
});

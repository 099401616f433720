// An alarm handler that writes SQL and then awaits a binding call (flush counts, upload them):
// advancing the clock starts it, so test code's next call sees its write, whatever clock drives
// the alarm. The object's constructor writes too (CREATE TABLE IF NOT EXISTS), as most do: an
// alarm that constructs the object must not wait for that write's confirmation to start.
import { afterEach, describe, expect, it, vi } from "vitest";
import { DurableObject } from "../../../lib/modules/workers.js";
import { type AnyStub, emulator } from "../../helpers.js";

interface Env {
  REPORTS: { put(key: string, value: string): Promise<unknown>; get(key: string): Promise<{ text(): Promise<string> } | null> };
}

class Counter extends DurableObject<Env> {
  sql = (this.ctx as unknown as { storage: { sql: { exec(query: string, ...bindings: unknown[]): { toArray(): Array<Record<string, number>> } } } }).storage.sql;

  constructor(ctx: unknown, env: Env) {
    super(ctx, env);
    this.sql.exec("CREATE TABLE IF NOT EXISTS hits (n INTEGER NOT NULL)");
  }

  /** Counts a hit; with `flushInMs`, (re)sets the alarm that flushes the counts. */
  async hit(flushInMs?: number): Promise<void> {
    this.sql.exec("INSERT INTO hits VALUES (1)");
    if (flushInMs !== undefined) await (this.ctx as unknown as { storage: { setAlarm(time: number): Promise<void> } }).storage.setAlarm(Date.now() + flushInMs);
  }

  count(): number {
    return this.sql.exec("SELECT count(*) AS n FROM hits").toArray()[0]!.n!;
  }

  async alarm(): Promise<void> {
    const count = this.count();
    this.sql.exec("DELETE FROM hits");
    await this.env.REPORTS.put("report", String(count));
  }
}

function counter(): { stub: AnyStub; reports: Env["REPORTS"] } {
  const emu = emulator({ module: { Counter }, durableObjects: { COUNTERS: { className: "Counter", sqlite: true } }, r2Buckets: ["REPORTS"] });
  return { stub: emu.env.COUNTERS.getByName("a") as AnyStub, reports: emu.env.REPORTS as Env["REPORTS"] };
}

async function reportOf(reports: Env["REPORTS"]): Promise<string> {
  const object = await reports.get("report");
  if (object === null) throw new Error("no report yet");
  return object.text();
}

afterEach(() => {
  vi.useRealTimers();
});

describe("an alarm that writes SQL, then awaits I/O", () => {
  it("under fake timers: advancing the clock starts it, and test code's next call sees its write before and after its I/O", async () => {
    vi.useFakeTimers();
    const { stub, reports } = counter();
    await stub.hit(5_000);
    await stub.hit(5_000);
    expect(await stub.count()).toBe(2);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await stub.count()).toBe(0);
    expect(await vi.waitFor(() => reportOf(reports))).toBe("2");
    expect(await stub.count()).toBe(0);
  });

  it("under fake timers, on an instance evicted before the alarm fell due: the one constructed for it runs it as the clock is advanced, though its constructor's write is still being confirmed", async () => {
    vi.useFakeTimers();
    const { stub, reports } = counter();
    await stub.hit(60_000);
    await stub.hit(60_000);
    // Idle for 10 s, the instance is evicted: the alarm constructs the object again.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await stub.count()).toBe(0);
    expect(await vi.waitFor(() => reportOf(reports))).toBe("2");
    expect(await stub.count()).toBe(0);
  });

  it("under real timers: once its report is uploaded, the write is there", async () => {
    const { stub, reports } = counter();
    await stub.hit();
    await stub.hit(20);
    // Real time: a loaded machine may take a while.
    expect(await vi.waitFor(() => reportOf(reports), { timeout: 10_000 })).toBe("2");
    expect(await stub.count()).toBe(0);
  });
});

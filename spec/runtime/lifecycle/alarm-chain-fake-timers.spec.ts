// An alarm whose handler sets the next one (holds that lapse one after another), on SQLite,
// where a commit's confirmation comes two turns after it. Fake timers' async steps turn the
// event loop once after each timer they fire before they look for the next, so the next alarm
// must be scheduled by then: the scheduler hears of a handler's outcome at the end of its turn,
// not once its writes are confirmed (README, "Time and alarms").
import { afterEach, describe, expect, it, vi } from "vitest";
import { DurableObject } from "../../../lib/modules/workers.js";
import { type AnyStub, emulator } from "../../helpers.js";

type Row = Record<string, number | null>;
interface Storage {
  sql: { exec(query: string, ...bindings: unknown[]): { one(): Row } };
  getAlarm(): Promise<number | null>;
  setAlarm(time: number): Promise<void>;
}

class Holds extends DurableObject {
  storage = (this.ctx as unknown as { storage: Storage }).storage;

  constructor(ctx: unknown, env: unknown) {
    super(ctx, env);
    this.storage.sql.exec("CREATE TABLE IF NOT EXISTS holds (expires_at INTEGER NOT NULL)");
  }

  async hold(forMs: number): Promise<void> {
    const expiresAt = Date.now() + forMs;
    this.storage.sql.exec("INSERT INTO holds VALUES (?)", expiresAt);
    const alarm = await this.storage.getAlarm();
    if (alarm === null || alarm > expiresAt) await this.storage.setAlarm(expiresAt);
  }

  left(): number {
    return this.storage.sql.exec("SELECT count(*) AS n FROM holds").one().n!;
  }

  /** Drops the lapsed holds and sets the alarm for the next one to lapse. */
  async alarm(): Promise<void> {
    this.storage.sql.exec("DELETE FROM holds WHERE expires_at <= ?", Date.now());
    const next = this.storage.sql.exec("SELECT MIN(expires_at) AS next FROM holds").one().next;
    if (next !== null) await this.storage.setAlarm(next);
  }
}

function holds(): AnyStub {
  const emu = emulator({ module: { Holds }, durableObjects: { HOLDS: { className: "Holds", sqlite: true } } });
  return emu.env.HOLDS.getByName("a") as AnyStub;
}

afterEach(() => {
  vi.useRealTimers();
});

describe("alarms that set the next one, under fake timers", () => {
  it("runAllTimersAsync runs them until none is left, a handler still running when it is called included", async () => {
    vi.useFakeTimers();
    const stub = holds();
    for (let i = 0; i < 3; i++) {
      await stub.hold(60_000);
      // Synchronous: the last step starts the first hold's alarm and returns as its handler runs.
      vi.advanceTimersByTime(30_000);
    }
    await vi.runAllTimersAsync();
    expect(await stub.left()).toBe(0);
  });

  it("runAllTimersAsync runs them until none is left", async () => {
    vi.useFakeTimers();
    const stub = holds();
    for (const forMs of [10_000, 20_000, 30_000, 40_000]) await stub.hold(forMs);
    await vi.runAllTimersAsync();
    expect(await stub.left()).toBe(0);
  });

  it("advanceTimersByTimeAsync runs each one that falls due in the time advanced", async () => {
    vi.useFakeTimers();
    const stub = holds();
    for (const forMs of [1_000, 2_000, 3_000, 4_000]) await stub.hold(forMs);
    await vi.advanceTimersByTimeAsync(3_500);
    expect(await stub.left()).toBe(1);
    await vi.advanceTimersByTimeAsync(500);
    expect(await stub.left()).toBe(0);
  });
});

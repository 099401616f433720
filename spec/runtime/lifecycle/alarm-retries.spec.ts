import { describe, expect, it } from "vitest";
import { DurableObject } from "../../../lib/modules/workers.js";
import { emulator } from "../../helpers.js";
import { advanceUntil, alarmWorld, type Ctx, world } from "./fixtures.js";

/** Retry n (1-based) comes 2 s · 2^(n-1) after the failure, plus up to 25 % jitter. */
const backoff = [2_000, 4_000, 8_000, 16_000, 32_000, 64_000];

describe("alarm retries (reference §3.8, checklist 24)", () => {
  it("retries a throwing handler with exponential backoff and jitter, at most 6 times, then drops it", async () => {
    const { emu, ns } = alarmWorld();
    const stub = ns.getByName("retry");
    await stub.arm(1_000, "throw");
    // The first run comes up to a few ms early: the time object code read with Date.now() before
    // calling setAlarm() counts as elapsed (README, "clock: manual"). Measure every gap from
    // the virtual moment the previous run fired, not from a fixed step.
    await advanceUntil(emu, () => world.runs.length > 0, 1);
    const gaps: number[] = [];
    for (let retry = 1; retry <= 6; retry++) {
      gaps.push(await advanceUntil(emu, () => world.runs.length > retry, 10));
    }
    for (const [i, gap] of gaps.entries()) {
      expect(gap).toBeGreaterThanOrEqual(backoff[i]!);
      expect(gap).toBeLessThanOrEqual(backoff[i]! * 1.25 + 10);
    }
    expect(world.runs.map((run) => [run.info.retryCount, run.info.isRetry])).toEqual([
      [0, false],
      [1, true],
      [2, true],
      [3, true],
      [4, true],
      [5, true],
      [6, true],
    ]);
    const scheduled = world.runs[0]!.info.scheduledTime;
    expect(world.runs.every((run) => run.info.scheduledTime === scheduled)).toBe(true);
    // Dropped after the sixth retry.
    expect(await stub.getAlarm()).toBeNull();
    await emu.advanceTime(3_600_000);
    expect(world.runs).toHaveLength(7);
  });

  it("draws the same jitter on every run, so a manual-clock test is reproducible", async () => {
    const timesOfRetries = async () => {
      const { emu, ns } = alarmWorld();
      await ns.getByName("same").arm(0, "throw");
      await emu.advanceTime(0);
      return [
        await advanceUntil(emu, () => world.runs.length > 1, 1),
        await advanceUntil(emu, () => world.runs.length > 2, 1),
      ];
    };
    const first = await timesOfRetries();
    expect(await timesOfRetries()).toEqual(first);
  });

  it("keeps writes made before the throw, and getAlarm() reports the alarm until the retry runs", async () => {
    const { emu, ns } = alarmWorld();
    const stub = ns.getByName("writes");
    await stub.arm(1_000, "throw");
    const scheduled = await stub.getAlarm();
    await emu.advanceTime(1_000);
    expect(await stub.get("run1")).toBe(0);
    expect(await stub.getAlarm()).toBe(scheduled);
    await emu.advanceTime(2_500);
    expect(await stub.keys()).toEqual(["mode", "run1", "run2"]);
  });

  it.each(["deleteThenThrow", "deleteAllThenThrow"])("does not retry a handler that deleted its alarm, then failed (%s)", async (mode) => {
    const { emu, ns } = alarmWorld();
    const stub = ns.getByName("deleted");
    await stub.arm(0, mode);
    await emu.advanceTime(0);
    expect(await stub.getAlarm()).toBeNull();
    await emu.advanceTime(600_000);
    expect(world.runs.map((run) => run.info.retryCount)).toEqual([0]);
  });

  it("retries a failed handler whose deleteAlarm() was rolled back", async () => {
    const { emu, ns } = alarmWorld();
    await ns.getByName("rolled-back").arm(0, "rolledBackDeleteThenThrow");
    await emu.advanceTime(0);
    await emu.advanceTime(2_500);
    expect(world.runs.map((run) => run.info.retryCount)).toEqual([0, 1]);
  });

  it("runs an alarm set by the failing handler instead of the retry", async () => {
    const { emu, ns } = alarmWorld();
    const stub = ns.getByName("replaced");
    await stub.arm(0, "throwAfterRearm");
    await emu.advanceTime(0);
    await emu.advanceTime(1_000);
    expect(world.runs.map((run) => run.info.retryCount)).toEqual([0, 0]);
    await emu.advanceTime(600_000);
    expect(world.runs).toHaveLength(2);
  });

  it.each([false, true])("setting an alarm for after a pending retry replaces the retry (sqlite: %s)", async (sqlite) => {
    const { emu, ns } = alarmWorld({ durableObjects: { NS: { className: "Alarmed", sqlite } } });
    const stub = ns.getByName("superseded");
    await stub.arm(0, "throw");
    await emu.advanceTime(0);
    await stub.arm(60_000, "ok");
    await emu.advanceTime(59_000);
    expect(world.runs).toHaveLength(1);
    await emu.advanceTime(1_000);
    expect(world.runs.map((run) => run.info.retryCount)).toEqual([0, 0]);
  });

  describe("on SQLite, a new alarm due before a pending retry waits behind it (workerd's scheduler queues it)", () => {
    const sqliteWorld = () => alarmWorld({ durableObjects: { NS: { className: "Alarmed", sqlite: true } } });

    it("one due before the retry is run by the retry, as the failed alarm's retry, and cleared", async () => {
      const { emu, ns } = sqliteWorld();
      const stub = ns.getByName("queued-due");
      await stub.arm(0, "throw");
      await emu.advanceTime(0);
      await stub.arm(500, "ok");
      const newAlarm = await stub.getAlarm();
      await emu.advanceTime(1_000);
      expect(world.runs).toHaveLength(1);
      await advanceUntil(emu, () => world.runs.length > 1, 10);
      const [first, retry] = world.runs;
      expect([retry!.info.retryCount, retry!.info.isRetry, retry!.info.scheduledTime === first!.info.scheduledTime, retry!.alarmInside]).toEqual([1, true, true, null]);
      expect(newAlarm).not.toBe(first!.info.scheduledTime);
      expect(await stub.getAlarm()).toBeNull();
      await emu.advanceTime(600_000);
      expect(world.runs).toHaveLength(2);
    });

    it("a retry standing in for the new alarm that fails again leaves that alarm to run next, not retried", async () => {
      const { emu, ns } = sqliteWorld();
      const stub = ns.getByName("queued-fails");
      await stub.arm(0, "throw");
      await emu.advanceTime(0);
      await stub.arm(500, "throw");
      const newAlarm = await stub.getAlarm();
      await advanceUntil(emu, () => world.runs.length > 2, 10);
      expect(world.runs.map((run) => [run.info.retryCount, run.info.scheduledTime === newAlarm])).toEqual([
        [0, false],
        [1, false],
        [0, true],
      ]);
    });
  });

  it("deleteAlarm() while a retry is pending cancels it", async () => {
    const { emu, ns } = alarmWorld();
    const stub = ns.getByName("cancelled");
    await stub.arm(0, "throw");
    await emu.advanceTime(0);
    await stub.deleteAlarm();
    await emu.advanceTime(600_000);
    expect(world.runs).toHaveLength(1);
  });

  it("emu.runAlarm() runs a pending retry now, with its retryCount", async () => {
    const { emu, ns } = alarmWorld();
    const stub = ns.getByName("retry-now");
    await stub.arm(0, "throw");
    await emu.advanceTime(0);
    expect(await emu.runAlarm(stub)).toBe(true);
    expect(world.runs.map((run) => run.info.retryCount)).toEqual([0, 1]);
  });
});

describe("ctx.abort() inside alarm() (reference §2.4)", () => {
  it("resets the object and retries the alarm on a new instance; uncommitted writes are discarded", async () => {
    const { emu, ns } = alarmWorld();
    const stub = ns.getByName("abort");
    await stub.arm(0, "abort");
    await emu.advanceTime(0);
    expect(world.constructed).toBe(1);
    // The alarm survives the reset (the handler's clearing of it was rolled back with the batch).
    expect(await ns.getByName("abort").getAlarm()).not.toBeNull();
    expect(await ns.getByName("abort").get("run1")).toBeUndefined();
    await emu.advanceTime(2_500);
    expect(world.runs.map((run) => run.info.retryCount)).toEqual([0, 1]);
    expect(world.constructed).toBe(2);
  });

  it("with { retryAlarm: false } drops the alarm", async () => {
    const { emu, ns } = alarmWorld();
    await ns.getByName("no-retry").arm(0, "abortNoRetry");
    await emu.advanceTime(0);
    expect(await ns.getByName("no-retry").getAlarm()).toBeNull();
    await emu.advanceTime(600_000);
    expect(world.runs).toHaveLength(1);
  });

  it("on SQLite, with { retryAlarm: false } amid uncommitted writes keeps the alarm stored but unscheduled, and later alarms wait for a deleteAlarm() (workerd)", async () => {
    const { emu, ns } = alarmWorld({ durableObjects: { NS: { className: "Alarmed", sqlite: true } } });
    await ns.getByName("kept").arm(0, "abortNoRetry");
    const scheduled = await ns.getByName("kept").getAlarm();
    await emu.advanceTime(0);
    // The handler's put() was still uncommitted: the alarm's clearing went with it.
    const stub = ns.getByName("kept");
    expect(await stub.keys()).toEqual(["mode"]);
    expect(await stub.getAlarm()).toBe(scheduled);
    // The scheduler hears only of alarms moving earlier: this one is stored and never runs.
    await stub.arm(1_000, "ok");
    await emu.advanceTime(600_000);
    expect(world.runs).toHaveLength(1);
    expect(await stub.getAlarm()).not.toBeNull();
    // A deletion reaches it, and the next alarm runs.
    await stub.deleteAlarm();
    await stub.arm(1_000, "ok");
    await emu.advanceTime(1_000);
    expect(world.runs.map((run) => run.info.retryCount)).toEqual([0, 0]);
    expect(await stub.getAlarm()).toBeNull();
  });

  it("on SQLite, with { retryAlarm: false } after its writes committed clears the alarm as on KV", async () => {
    const { emu, ns } = alarmWorld({ durableObjects: { NS: { className: "Alarmed", sqlite: true } } });
    await ns.getByName("cleared").arm(0, "syncThenAbortNoRetry");
    await emu.advanceTime(0);
    const stub = ns.getByName("cleared");
    expect(await stub.getAlarm()).toBeNull();
    await stub.arm(1_000, "ok");
    await emu.advanceTime(1_000);
    expect(world.runs).toHaveLength(2);
  });
});

/** How many more times the constructor of FailingConstructor throws, and how many times it did. */
const constructorFailures = { left: 0, thrown: 0 };

/** A class whose constructor throws while `constructorFailures.left` is positive. */
class FailingConstructor extends DurableObject {
  constructor(ctx: unknown, env: unknown) {
    super(ctx, env);
    if (constructorFailures.left > 0) {
      constructorFailures.left--;
      constructorFailures.thrown++;
      throw new Error("constructor fails");
    }
  }

  async alarm(info: { retryCount: number; isRetry: boolean; scheduledTime: number }) {
    world.runs.push({ name: undefined, info: { ...info }, alarmInside: null });
  }

  async arm(ms: number) {
    await (this.ctx as Ctx).storage.setAlarm(Date.now() + ms);
  }

  die() {
    (this.ctx as Ctx).abort("reset");
  }
}

describe("alarm retries that do not count (conformance alarms-retries)", () => {
  it("retries an alarm whose constructor throws without counting: past 6 failures, 2 s · 2^n apart up to 2^9, then runs with retryCount 0", async () => {
    world.runs = [];
    constructorFailures.thrown = 0;
    const emu = emulator({ module: { FailingConstructor }, durableObjects: { NS: "FailingConstructor" }, clock: "manual" });
    const ns = emu.env.NS as { getByName(name: string): { arm(ms: number): Promise<void>; die(): Promise<void> } };
    await ns.getByName("c").arm(1_000);
    await expect(ns.getByName("c").die()).rejects.toThrow("reset");
    constructorFailures.left = 11;
    // The virtual time of each failure, to the second.
    const thrownAt: number[] = [];
    let elapsed = 0;
    while (world.runs.length === 0 && elapsed < 4 * 3_600_000) {
      await emu.advanceTime(1_000);
      elapsed += 1_000;
      while (thrownAt.length < constructorFailures.thrown) thrownAt.push(elapsed);
    }
    const gaps = thrownAt.slice(1).map((t, i) => t - thrownAt[i]!);
    const steps = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    expect(gaps).toHaveLength(steps.length);
    for (const [i, step] of steps.entries()) {
      expect(gaps[i]).toBeGreaterThanOrEqual(2_000 * 2 ** step);
      expect(gaps[i]).toBeLessThanOrEqual(2_000 * 2 ** step * 1.25 + 1_000);
    }
    expect(world.runs.map((run) => [run.info.retryCount, run.info.isRetry])).toEqual([[0, false]]);
  });
});

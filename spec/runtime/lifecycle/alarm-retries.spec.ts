import { describe, expect, it } from "vitest";
import { advanceUntil, alarmWorld, world } from "./fixtures.js";

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

  it("setting a new alarm while a retry is pending replaces the retry", async () => {
    const { emu, ns } = alarmWorld();
    const stub = ns.getByName("superseded");
    await stub.arm(0, "throw");
    await emu.advanceTime(0);
    await stub.arm(60_000, "ok");
    await emu.advanceTime(59_000);
    expect(world.runs).toHaveLength(1);
    await emu.advanceTime(1_000);
    expect(world.runs.map((run) => run.info.retryCount)).toEqual([0, 0]);
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
});

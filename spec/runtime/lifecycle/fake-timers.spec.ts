// Alarms driven only through Vitest's fake timers, on the default (real) clock: no durasim
// time API is used here.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { alarmWorld, world } from "./fixtures.js";

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("alarms under vi.useFakeTimers()", () => {
  it("setAlarm(Date.now() + 60_000) fires when the fake clock is advanced 60 s, not before", async () => {
    const { ns } = alarmWorld({ clock: "real" });
    const stub = ns.getByName("fake");
    await stub.arm(60_000);
    const scheduled = await stub.getAlarm();
    expect(scheduled).toBe(Date.now() + 60_000);
    await vi.advanceTimersByTimeAsync(59_999);
    expect(world.runs).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(world.runs).toEqual([{ name: "fake", info: { retryCount: 0, isRetry: false, scheduledTime: scheduled }, alarmInside: null }]);
    expect(await stub.getAlarm()).toBeNull();
  });

  it("drives retries with their backoff", async () => {
    const { ns } = alarmWorld({ clock: "real" });
    await ns.getByName("retry").arm(0, "throw");
    await vi.advanceTimersByTimeAsync(0);
    expect(world.runs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(world.runs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2_000 * 0.25 + 1);
    expect(world.runs.map((run) => run.info.retryCount)).toEqual([0, 1]);
  });

  it("drives idle eviction: after 10 s the next call constructs a new instance", async () => {
    const { ns } = alarmWorld({ clock: "real" });
    const stub = ns.getByName("evicted");
    expect(await stub.bump()).toBe(1);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(await stub.bump()).toBe(2);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await stub.bump()).toBe(1);
    expect(world.constructed).toBe(2);
  });

  it("evicts on the fake clock even when an idle object's timer was set before fake timers were installed", async () => {
    vi.useRealTimers();
    const { ns } = alarmWorld({ clock: "real" });
    expect(await ns.getByName("before").bump()).toBe(1);
    vi.useFakeTimers();
    const stub = ns.getByName("after");
    expect(await stub.bump()).toBe(1);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await stub.bump()).toBe(1);
    expect(world.constructed).toBe(3);
  });

  it("never hangs a request: the gates do not use the faked timers", async () => {
    const { ns } = alarmWorld({ clock: "real" });
    const stub = ns.getByName("busy");
    expect(await Promise.all([stub.bump(), stub.bump(), stub.getAlarm()])).toEqual([1, 2, null]);
  });
});

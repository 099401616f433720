import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";

describe("Durable Object alarms", () => {
  it("can trigger alarms immediately", async () => {
    const stub = env.COUNTER.getByName("alarm-test");
    await stub.increment();
    await stub.increment();
    expect(await stub.getCount()).toBe(2);

    // Schedule an alarm (in a real app, this might be hours in the future)
    await runInDurableObject(stub, async (_instance, state) => {
      await state.storage.setAlarm(Date.now() + 60_000);
    });

    // Immediately execute the alarm without waiting: it resets every counter
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await stub.getCount()).toBe(0);

    // Running it again does nothing: no alarm is scheduled
    expect(await runDurableObjectAlarm(stub)).toBe(false);
  });

  it("runs an alarm when fake timers reach it", async () => {
    vi.useFakeTimers();
    try {
      const stub = env.COUNTER.getByName("fake-timers");
      await stub.increment();
      await stub.scheduleReset(60_000);
      await vi.advanceTimersByTimeAsync(59_999);
      expect(await stub.getCount()).toBe(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(await stub.getCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

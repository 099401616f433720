// Jest-only. Jest's legacy fake timers (`legacyFakeTimers: true`, or `timers: "legacy"` in the
// config) replace setTimeout but not Date, so they cannot move durasim's clock: an alarm runs
// when the machine's time reaches it, or through runDurableObjectAlarm, and the clock sets none
// of its timers through them. Jest's default (modern) fake timers do drive alarms: see the
// Vitest example's alarm.test.ts, which runs here too.
import { env, runDurableObjectAlarm } from "cloudflare:test";
import { afterEach, expect, it, jest } from "@jest/globals";

afterEach(() => {
  jest.useRealTimers();
});

it("legacy fake timers do not drive alarms: advancing past one leaves it pending", async () => {
  jest.useFakeTimers({ legacyFakeTimers: true });
  const stub = env.COUNTER.getByName("legacy");
  await stub.increment();
  await stub.scheduleReset(60_000);
  jest.advanceTimersByTime(60_000);
  // None of the clock's timers are Jest's: nothing of durasim's to run, and no endless re-arming.
  jest.runAllTimers();
  expect(await stub.getCount()).toBe(1);
  expect(await runDurableObjectAlarm(stub)).toBe(true);
  expect(await stub.getCount()).toBe(0);
});

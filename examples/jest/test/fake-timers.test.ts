// Jest-only. Jest's modern fake timers fake the test file's own global object; durasim's clock
// follows them there too when they fake Date alone, and when jest.clearAllTimers() drops every
// pending fake timer (the clock's among them) a scheduled alarm still runs at its time.
import { env } from "cloudflare:test";
import { afterEach, expect, it, jest } from "@jest/globals";

afterEach(() => {
  jest.useRealTimers();
});

it("fake timers that fake Date alone (doNotFake every timer) run an alarm when advanced to it", async () => {
  jest.useFakeTimers({
    doNotFake: ["hrtime", "nextTick", "performance", "queueMicrotask", "setImmediate", "clearImmediate", "setInterval", "clearInterval", "setTimeout", "clearTimeout"],
  });
  const stub = env.COUNTER.getByName("date-only");
  await stub.increment();
  await stub.scheduleReset(60_000);
  await jest.advanceTimersByTimeAsync(59_999);
  expect(await stub.getCount()).toBe(1);
  await jest.advanceTimersByTimeAsync(1);
  expect(await stub.getCount()).toBe(0);
});

it("jest.clearAllTimers() leaves a scheduled alarm to run at its time", async () => {
  jest.useFakeTimers();
  const stub = env.COUNTER.getByName("cleared");
  await stub.increment();
  await stub.scheduleReset(60_000);
  jest.clearAllTimers();
  await jest.advanceTimersByTimeAsync(59_999);
  expect(await stub.getCount()).toBe(1);
  await jest.advanceTimersByTimeAsync(1);
  expect(await stub.getCount()).toBe(0);
});

/**
 * Told what a fake clock (@sinonjs/fake-timers', under `vi.useFakeTimers()` and
 * `jest.useFakeTimers()`) does to the timers the real clock armed on it (clock.ts):
 * - `setSystemTime()` (`vi.setSystemTime()`, `jest.setSystemTime()`) moves the faked time. The
 *   jump keeps the fakes' own timers their remaining delays, as a `setTimeout` keeps its delay;
 *   an alarm is due at a time instead, so the clock arms its fake timers again from the new time.
 * - `reset()` (`vi.clearAllTimers()`, `jest.clearAllTimers()`) drops the clock's pending timers,
 *   the real clock's among them, and takes the faked time back to where the fakes started;
 *   alarms and idle eviction stay due at their times, so the clock arms them again, and object
 *   code's dropped timers stop counting, as if cleared (timers.ts).
 * - `uninstall()` (`vi.useRealTimers()`) drops the clock's pending timers. Fakes that replaced
 *   `setTimeout` are heard going as it is assigned back (timers.ts); fakes of `Date` alone
 *   replace no timer, so only their uninstall tells that the clock's timers must move.
 *
 * A fake clock is found on the functions it installs (`setTimeout.clock`, `Date.clock`); its
 * methods are wrapped once, the first time the clock arms a timer on it. The listeners live on
 * globalThis under registered symbols, so every loaded copy of durasim (the ES module and
 * CommonJS builds) hears the one wrapper.
 */
import { processShared } from "../../util/process-shared.js";

type Method = (...args: unknown[]) => unknown;

/** The parts of a fake clock the real clock uses. */
export interface FakeClock {
  setSystemTime?: Method;
  reset?: Method;
  uninstall?: Method;
  setTimeout?: Method;
  clearTimeout?: Method;
  /** Its faked time (what its own `Date.now()` returns). */
  now?: unknown;
}

/** The fake clock that `fake` (a fake timer function, or a fake Date) belongs to, if any. */
export function fakeClockOf(fake: unknown): FakeClock | undefined {
  const clock = (fake as { clock?: unknown } | undefined)?.clock;
  return typeof clock === "object" && clock !== null ? (clock as FakeClock) : undefined;
}

type Listener = (clock: FakeClock) => void;

interface Registry {
  listeners: Set<Listener>;
  wrapped: WeakSet<object>;
}

/** Listeners called after each call of one fake-clock method, on every clock heard. */
function callsOf(key: string, method: "setSystemTime" | "reset" | "uninstall") {
  const registry = processShared<Registry>(key, () => ({ listeners: new Set(), wrapped: new WeakSet() }));
  return {
    hear(clock: FakeClock): void {
      const original = clock[method];
      if (typeof original !== "function" || registry.wrapped.has(clock)) return;
      registry.wrapped.add(clock);
      clock[method] = function (this: unknown, ...args: unknown[]) {
        const result = Reflect.apply(original, this, args);
        for (const listener of [...registry.listeners]) listener(clock);
        return result;
      };
    },
    on(listener: Listener): () => void {
      registry.listeners.add(listener);
      return () => registry.listeners.delete(listener);
    },
  };
}

const systemTimeSet = callsOf("systemTimeSet", "setSystemTime");
const reset = callsOf("fakeClockReset", "reset");
const uninstalled = callsOf("fakeClockUninstalled", "uninstall");

/** Hears `clock`'s setSystemTime(), reset() and uninstall() from now on (nothing if it is undefined). */
export function hearFakeClock(clock: FakeClock | undefined): void {
  if (clock === undefined) return;
  systemTimeSet.hear(clock);
  reset.hear(clock);
  uninstalled.hear(clock);
}

/** Calls `listener` with the clock after each `setSystemTime` of a fake clock heard; the function returned unsubscribes. */
export const onSystemTimeSet = systemTimeSet.on;

/** Calls `listener` with the clock after each `reset` of a fake clock heard; the function returned unsubscribes. */
export const onFakeClockReset = reset.on;

/** Calls `listener` with the clock after each `uninstall` of a fake clock heard; the function returned unsubscribes. */
export const onFakeClockUninstalled = uninstalled.on;

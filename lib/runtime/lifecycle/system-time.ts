/**
 * Told when fake timers move the faked time by `setSystemTime()` (`vi.setSystemTime()`,
 * `jest.setSystemTime()`; both are @sinonjs/fake-timers' clock underneath). Such a jump keeps the
 * fakes' own timers their remaining delays, as a `setTimeout` keeps its delay; an alarm is due at
 * a time instead, so the clock arms its fake timers again from the new time (clock.ts).
 *
 * Fake timers mark each function they install with their clock (`setTimeout.clock`); its
 * `setSystemTime` is wrapped once, the first time the clock arms a timer on it. The listeners
 * live on globalThis under a registered symbol, so every loaded copy of durasim (the ES module
 * and CommonJS builds) hears the one wrapper.
 */

type FakeClock = { setSystemTime?: (...args: unknown[]) => unknown };

interface Registry {
  listeners: Set<() => void>;
  wrapped: WeakSet<object>;
}

const KEY = Symbol.for("durasim.systemTimeSet");
const registry: Registry = ((globalThis as Record<symbol, unknown>)[KEY] ??= { listeners: new Set(), wrapped: new WeakSet() }) as Registry;

/** Hears the `setSystemTime` of the fake clock behind `fakeSetTimeout` (nothing if it has none). */
export function hearSystemTimeOf(fakeSetTimeout: unknown): void {
  const clock = (fakeSetTimeout as { clock?: FakeClock } | undefined)?.clock;
  const original = clock?.setSystemTime;
  if (clock === undefined || typeof original !== "function" || registry.wrapped.has(clock)) return;
  registry.wrapped.add(clock);
  clock.setSystemTime = function (this: unknown, ...args: unknown[]) {
    const result = Reflect.apply(original, this, args);
    for (const listener of [...registry.listeners]) listener();
    return result;
  };
}

/** Calls `listener` after each `setSystemTime` of a fake clock heard; the function returned unsubscribes. */
export function onSystemTimeSet(listener: () => void): () => void {
  registry.listeners.add(listener);
  return () => registry.listeners.delete(listener);
}

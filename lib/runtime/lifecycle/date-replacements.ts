/**
 * Told when `Date` is assigned on a global object. `vi.setSystemTime()` with no fake timers
 * installed mocks `Date` alone: each call assigns a mock class whose time stands still
 * (`vi.useRealTimers()` assigns the machine's back), and there is no fake clock whose timers or
 * `setSystemTime()` the clock could hear (fake-clock-events.ts). An alarm armed on the machine's
 * timers meanwhile waits out the delay it had when set; hearing the assignment lets the clock
 * arm it again from the time then set.
 *
 * The accessor is put on a global only once the clock arms a timer under such a mock, so code
 * that never mocks Date alone reads a plain property. The listeners live on globalThis under a
 * registered symbol, so every loaded copy of durasim (the ES module and CommonJS builds) hears
 * the one accessor.
 */
import { processShared } from "../../util/process-shared.js";

interface Registry {
  listeners: Set<(global: object) => void>;
  watched: WeakSet<object>;
}

const registry = processShared<Registry>("dateReplacements", () => ({ listeners: new Set(), watched: new WeakSet() }));

/** Hears each assignment of `Date` on `global` from now on (nothing if it is not a plain, configurable property). */
export function watchDateOf(global: object): void {
  if (registry.watched.has(global)) return;
  const descriptor = Object.getOwnPropertyDescriptor(global, "Date");
  if (descriptor === undefined || !("value" in descriptor) || !descriptor.configurable) return;
  registry.watched.add(global);
  let current: unknown = descriptor.value;
  Object.defineProperty(global, "Date", {
    configurable: true,
    enumerable: descriptor.enumerable,
    get: () => current,
    set: (value: unknown) => {
      current = value;
      for (const listener of [...registry.listeners]) listener(global);
    },
  });
}

/** Calls `listener` with the global object after each `Date` assignment heard; the function returned unsubscribes. */
export function onDateReplaced(listener: (global: object) => void): () => void {
  registry.listeners.add(listener);
  return () => registry.listeners.delete(listener);
}

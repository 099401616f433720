import { callReportingUncaught } from "../uncaught.js";

/**
 * An exception thrown by an event listener is the runtime's to log, not the caller's (see
 * uncaught.ts), while Node's EventTarget would turn it into an uncaught exception of the whole
 * process. Listeners are therefore registered through a guard that reports instead. One guard
 * per listener, so that adding the same listener twice is still one registration and removing
 * it finds it.
 */
export type Listener = Parameters<EventTarget["addEventListener"]>[1];
type Guard = (this: unknown, event: Event) => void;

const guards = new WeakMap<object, Guard>();

export function guarded(listener: Listener): Listener {
  if (typeof listener !== "function" && (typeof listener !== "object" || listener === null)) return listener;
  let guard = guards.get(listener);
  if (guard === undefined) {
    guard = function (this: unknown, event: Event) {
      if (typeof listener === "function") callReportingUncaught(listener, this, [event]);
      else callReportingUncaught(() => listener.handleEvent(event), undefined, []);
    };
    guards.set(listener, guard);
  }
  return guard;
}

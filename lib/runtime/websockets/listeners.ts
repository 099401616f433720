import { types } from "node:util";
import { callReportingUncaught } from "../uncaught.js";

/**
 * An exception thrown by an event listener is the runtime's to log, not the caller's (see
 * uncaught.ts), while Node's EventTarget would turn it into an uncaught exception of the whole
 * process. Listeners are therefore registered through a guard that reports instead. One guard
 * per listener, so that adding the same listener twice is still one registration and removing
 * it finds it. A listener that returns `true` cancels the event (as `preventDefault()`), as the
 * runtime's do; one that returns another value (a promise too: an async listener; not a
 * boolean) gets the runtime's console warning, once per event target.
 */
export type Listener = Parameters<EventTarget["addEventListener"]>[1];
type Guard = (this: unknown, event: Event) => void;

const guards = new WeakMap<object, Guard>();

export function guarded(listener: Listener): Listener {
  if (typeof listener !== "function" && (typeof listener !== "object" || listener === null)) return listener;
  let guard = guards.get(listener);
  if (guard === undefined) {
    guard = function (this: unknown, event: Event) {
      const result =
        typeof listener === "function" ? callReportingUncaught(listener, this, [event]) : callReportingUncaught(() => listener.handleEvent(event), undefined, []);
      if (result === true) event.preventDefault();
      else if (result !== undefined && typeof result !== "boolean") warnReturned(this, result);
    };
    guards.set(listener, guard);
  }
  return guard;
}

/** Targets whose listeners' return values were warned about already. */
const warned = new WeakSet<object>();

function warnReturned(target: unknown, result: unknown): void {
  if (typeof target === "object" && target !== null) {
    if (warned.has(target)) return;
    warned.add(target);
  }
  console.warn(
    types.isPromise(result)
      ? "An event handler returned a promise that will be ignored. Event handlers should not have a return value and should not be async functions."
      : `An event handler returned a value of type "${typeof result}" that will be ignored. Event handlers should not have a return value.`,
  );
}

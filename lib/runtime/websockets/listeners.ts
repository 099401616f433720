import { types } from "node:util";
import { isResetError } from "../errors.js";
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
      const result = typeof listener === "function" ? callListener(listener, this, event) : callListener(() => listener.handleEvent(event), undefined, event);
      if (result === true) event.preventDefault();
      else if (result !== undefined && typeof result !== "boolean") warnReturned(this, result);
    };
    guards.set(listener, guard);
  }
  return guard;
}

type ThrowWatcher = (error: unknown, event: Event) => void;

/** Told of what a listener throws during the dispatch `withListenerThrows` runs (none outside one). */
let onListenerThrow: ThrowWatcher | undefined;

/**
 * Runs `dispatch`, telling `onThrow` of each exception a listener throws in it, with the event
 * the listener was given (a dispatch a listener starts has another). A reset of the object is
 * not the listener's exception and is not told.
 */
export function withListenerThrows<T>(onThrow: ThrowWatcher, dispatch: () => T): T {
  const outer = onListenerThrow;
  onListenerThrow = onThrow;
  try {
    return dispatch();
  } finally {
    onListenerThrow = outer;
  }
}

/**
 * Node's EventTarget clears an event's dispatch flag after each listener it calls, so from the
 * second listener on `currentTarget` reads null and `eventPhase` 0, where the runtime keeps them
 * for every listener. The flag is an own, symbol-keyed property of every Event (found once by
 * its name); every call below happens inside a dispatch, so it sets the flag again first.
 */
const DISPATCHING = Object.getOwnPropertySymbols(new Event("probe")).find((key) => key.description === "kIsBeingDispatched");

/** Calls a listener or an `on<type>` handler: what it throws is logged as the runtime logs it, and told (above). */
export function callListener(listener: Function, thisArg: unknown, event: Event): unknown {
  if (DISPATCHING !== undefined) (event as unknown as Record<symbol, boolean>)[DISPATCHING] = true;
  return callReportingUncaught(
    () => {
      try {
        return Reflect.apply(listener, thisArg, [event]);
      } catch (error) {
        if (!(error instanceof Object && isResetError(error))) onListenerThrow?.(error, event);
        throw error;
      }
    },
    undefined,
    [],
  );
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

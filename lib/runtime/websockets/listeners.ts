import { types } from "node:util";
import { isResetError } from "../errors.js";
import { callReportingUncaught } from "../uncaught.js";
import { asRegistered } from "../passive-listeners.js";

/**
 * An exception thrown by an event listener is the runtime's to log, not the caller's (see
 * uncaught.ts), while Node's EventTarget would turn it into an uncaught exception of the whole
 * process. Listeners are therefore registered through a guard that reports instead. One guard
 * per listener, so that adding the same listener twice is still one registration and removing
 * it finds it. A listener that returns `true` cancels the event (as `preventDefault()`), as the
 * runtime's do (but for a passive one: passive-listeners.ts); one that returns another value (a
 * promise too: an async listener; not a boolean) gets the runtime's console warning, once per
 * event target.
 */
export type Listener = Parameters<EventTarget["addEventListener"]>[1];
type Guard = (this: unknown, event: Event) => void;

const guards = new WeakMap<object, Guard>();
/** Every guard made, and the runtime's own listeners that see to their exceptions themselves:
 * guarding one (a WebSocket's listener reaching EventTarget.prototype's method, event-targets.ts)
 * is the listener itself. */
const made = new WeakSet<object>();

/** Marks `listener`, one of durasim's, as needing no guard (see made); returns it. */
export function unguarded<F extends Function>(listener: F): F {
  made.add(listener);
  return listener;
}

export function guarded(listener: Listener): Listener {
  if (typeof listener !== "function" && (typeof listener !== "object" || listener === null)) return listener;
  if (made.has(listener)) return listener;
  let guard = guards.get(listener);
  if (guard === undefined) {
    guard = function (this: unknown, event: Event) {
      asRegistered(this, event, guard!, () => {
        const result = typeof listener === "function" ? callListener(listener, this, event) : callListener(() => listener.handleEvent(event), undefined, event);
        if (result === true) event.preventDefault();
        else if (result !== undefined && typeof result !== "boolean") warnReturned(this, result);
      });
    };
    guards.set(listener, guard);
    made.add(guard);
  }
  return guard;
}

/** The guard made for `listener`, if one was. */
export function guardOf(listener: unknown): Listener | undefined {
  return typeof listener === "object" || typeof listener === "function" ? (listener === null ? undefined : guards.get(listener)) : undefined;
}

/**
 * One dispatch whose listeners' exceptions its dispatcher wants to know of: the first is kept in
 * `thrown`. With `propagate` (workerd before compatibility flag spec_compliant_dispatch_exceptions)
 * the first exception also ends the dispatch: no later listener runs, and it is the dispatcher's
 * to throw or act on, not logged here. Without it every listener runs and each exception is logged.
 */
export interface Dispatch {
  readonly event: Event;
  readonly propagate: boolean;
  thrown?: { error: unknown };
}

/** The dispatch running now (a dispatch a listener starts has its own event and frame). */
let current: Dispatch | undefined;

/** Whether `event` is being dispatched in a frame (its listeners' exceptions are seen to). */
export function dispatchingNow(event: Event): boolean {
  return current?.event === event;
}

/** Runs `dispatch` as the dispatch `frame` describes. */
export function dispatching<T>(frame: Dispatch, dispatch: () => T): T {
  const outer = current;
  current = frame;
  try {
    return dispatch();
  } finally {
    current = outer;
  }
}

/**
 * Node's EventTarget clears an event's dispatch flag after each listener it calls, so from the
 * second listener on `currentTarget` reads null and `eventPhase` 0, where the runtime keeps them
 * for every listener. The flag is an own, symbol-keyed property of every Event (found once by
 * its name); every call below happens inside a dispatch, so it sets the flag again first
 * (Reflect.set: an Event whose flag cannot be written keeps Node's behaviour rather than throw into Node).
 */
const DISPATCHING = Object.getOwnPropertySymbols(new Event("probe")).find((key) => key.description === "kIsBeingDispatched");

/** Calls a listener or an `on<type>` handler: what it throws is logged as the runtime logs it, or propagated (above). */
export function callListener(listener: Function, thisArg: unknown, event: Event): unknown {
  if (DISPATCHING !== undefined) Reflect.set(event, DISPATCHING, true);
  const frame = current?.event === event ? current : undefined;
  return callReportingUncaught(
    () => {
      try {
        return Reflect.apply(listener, thisArg, [event]);
      } catch (error) {
        // A reset of the object is not the listener's exception.
        if (frame !== undefined && !(error instanceof Object && isResetError(error))) {
          frame.thrown ??= { error };
          if (frame.propagate) {
            event.stopImmediatePropagation();
            return undefined;
          }
        }
        throw error;
      }
    },
    undefined,
    [],
  );
}

/**
 * What a listener threw, as an Error: an Error of any realm (the Jest preset's Worker code runs
 * in the test file's) is itself; another value becomes an Error with its text, as the runtime
 * wraps it, even one that String() cannot convert.
 */
export function asError(thrown: unknown): Error {
  if (types.isNativeError(thrown)) return thrown;
  let text: string;
  try {
    text = String(thrown);
  } catch {
    text = Object.prototype.toString.call(thrown);
  }
  return new Error(text);
}

/** Targets whose listeners' return values were warned about already, or are never (quietReturns). */
const warned = new WeakSet<object>();

/** The listeners of `target` are a client library's user's (Node code): no warning about what they return, as Node's EventTarget gives none. */
export function quietReturns(target: object): void {
  warned.add(target);
}

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

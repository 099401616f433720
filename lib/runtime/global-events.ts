import { defineInterface, defineReadOnlyFields } from "../util/webidl.js";
import { guarded, type Listener } from "./websockets/listeners.js";
import { ErrorEvent } from "./websockets/events.js";
import { processShared } from "../util/process-shared.js";

/**
 * The Worker global scope's own events: the runtime's global object is an event target, where
 * Worker code listens for `unhandledrejection` (a promise rejected with no handler, reported once
 * the microtasks queued at the rejection have run) and `rejectionhandled` (a handler attached
 * later to such a promise), and `error` (an ErrorEvent for each value `reportError()` reports).
 * Each rejection event is a `PromiseRejectionEvent` with own read-only `reason` and
 * `promise` (a `rejectionhandled` event's `reason` is undefined, as the runtime's), trusted and
 * not cancelable: `preventDefault()` changes nothing, the rejection is still logged.
 *
 * Node's global object is no event target, so `addEventListener`, `removeEventListener` and
 * `dispatchEvent` are added to it (where absent) over one target per process, under a registered
 * symbol so that every loaded copy of durasim shares it. Every Worker of the process shares
 * Node's global object, so a listener hears the rejections of every Worker and object there.
 * A listener that throws is never made Node's uncaught exception: it is logged ("Uncaught") as
 * the runtime logs it, or, for a Worker dated before spec_compliant_dispatch_exceptions, thrown
 * by Worker code's own dispatchEvent() (event-targets.ts).
 */

interface GlobalEvents {
  target: EventTarget;
  /** Promises whose `unhandledrejection` was dispatched: only they get a `rejectionhandled`. */
  reported: WeakSet<Promise<unknown>>;
}

const events = processShared<GlobalEvents>("globalEvents", () => ({
  target: new EventTarget(),
  reported: new WeakSet(),
}));

/** Only dispatchRejection constructs these; `new PromiseRejectionEvent()` is refused. */
class PromiseRejection extends Event {
  constructor(type: string, promise: Promise<unknown>, reason: unknown) {
    super(type);
    defineReadOnlyFields(this, { reason, promise });
    // Node's Event reads false for any event made in JavaScript; the runtime's are trusted.
    Object.defineProperty(this, "isTrusted", { value: true, configurable: false });
  }
}

const PromiseRejectionEvent = defineInterface(PromiseRejection, "PromiseRejectionEvent", (value) => value instanceof PromiseRejection);

/** Adds the global event target's methods and `PromiseRejectionEvent` where the global lacks them. */
export function installGlobalEvents(global: Record<string, unknown>): void {
  const target = events.target;
  // The arguments go on as given, their count too (the runtime refuses a missing listener), the listener guarded.
  const guardedArgs = (args: unknown[]) => (args.length < 2 ? args : [args[0], guarded(args[1] as Listener), ...args.slice(2)]);
  const methods = {
    addEventListener(...args: unknown[]): void {
      Reflect.apply(target.addEventListener, target, guardedArgs(args));
    },
    removeEventListener(...args: unknown[]): void {
      Reflect.apply(target.removeEventListener, target, guardedArgs(args));
    },
    dispatchEvent(...args: unknown[]): boolean {
      return Reflect.apply(target.dispatchEvent, target, args) as boolean;
    },
  };
  for (const [name, method] of Object.entries(methods)) {
    // The runtime declares its methods without parameters: each has length 0.
    Object.defineProperty(method, "length", { value: 0 });
    if (!(name in global)) Object.defineProperty(global, name, { value: method, writable: true, configurable: true, enumerable: true });
  }
  if (!("PromiseRejectionEvent" in global)) {
    Object.defineProperty(global, "PromiseRejectionEvent", { value: PromiseRejectionEvent, writable: true, configurable: true });
  }
}

/** Tells Worker code's listeners that `promise` was rejected with nothing to handle it. */
export function dispatchUnhandledRejection(promise: Promise<unknown>, reason: unknown): void {
  events.reported.add(promise);
  events.target.dispatchEvent(new PromiseRejection("unhandledrejection", promise, reason));
}

/** Tells them a handler was attached to `promise` after its `unhandledrejection`. */
export function dispatchRejectionHandled(promise: Promise<unknown>): void {
  if (!events.reported.delete(promise)) return;
  events.target.dispatchEvent(new PromiseRejection("rejectionhandled", promise, undefined));
}

/** Tells Worker code's `error` listeners of a value reported as uncaught (`reportError()`): a
 * trusted ErrorEvent, not cancelable, whose message is the runtime's "Uncaught ..." line. */
export function dispatchReportedError(error: unknown, message: string): void {
  const event = new ErrorEvent("error", { message, error });
  Object.defineProperty(event, "isTrusted", { value: true, configurable: false });
  events.target.dispatchEvent(event);
}

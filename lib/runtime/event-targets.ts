import { codeFeatures, runsEmulatedCode } from "./code-context.js";
import { replaceMethod } from "./replace-method.js";
import { installPassiveListeners } from "./passive-listeners.js";
import { readsNativeMember } from "../util/native-names.js";
import { reportUncaught } from "./uncaught.js";
import { runtimeDomException } from "../util/dom-exception.js";
import { retryable } from "./globals/timeout-reasons.js";
import { codeGlobal } from "../util/code-realm.js";
import { isIdlObject, notOfType, site } from "../util/webidl.js";
import { dispatchingNow, dispatching, guarded, guardOf, type Dispatch } from "./websockets/listeners.js";

/**
 * Every EventTarget Worker and object code uses (a `new EventTarget()`, an AbortSignal, a
 * subclass of its own) dispatches as the runtime's do, where Node's would end the whole process
 * with the first listener that throws (Node rethrows it on the next tick, as an uncaught
 * exception). The rule is compatibility flag spec_compliant_dispatch_exceptions (on from
 * 2026-09-15), as for WebSockets (websockets/listeners.ts):
 * - with it, every listener runs; each exception is logged as uncaught ("Uncaught ...") and
 *   dispatchEvent() returns as if none had thrown (so does `abort()`);
 * - without it, the first exception ends the dispatch (no later listener runs) and is thrown to
 *   whoever dispatched: Worker code's own dispatchEvent(), or `controller.abort()`, which throws
 *   it once the signal has aborted. An event the runtime fires with no caller (an
 *   `AbortSignal.timeout()` falling due) has it logged as uncaught.
 * A listener returning `true` cancels a cancelable event, as the runtime's (guarded()), unless it
 * is passive (passive-listeners.ts). There is no capture phase: adding or removing a listener for
 * one is refused (checkNoCapture()). The options are read as the runtime reads them, each once
 * (listenerOptions()); an event's `returnValue` is read-only (refuseReturnValueSetter()).
 *
 * These are methods of Node's own EventTarget.prototype, replaced once per process; they act
 * only for Worker and object code (test code keeps Node's), which is whoever adds the listener
 * (for the guard) or dispatches (for the rule). Node's internals dispatch an AbortSignal's
 * `abort` through the same prototype method, with a trusted event: its exception goes to the
 * `abort()` that Worker code called, if any (`aborting`), never into Node's internals.
 *
 * AbortController#abort() and AbortSignal.abort() without a reason abort with the runtime's
 * reason: a DOMException "AbortError" saying "The operation was aborted", flagged `retryable`;
 * AbortSignal.timeout()'s "TimeoutError" is flagged so too (globals/timeout-reasons.ts).
 *
 * An AbortSignal's `onabort` set by Worker or object code is called as the runtime calls it,
 * with Worker code's global scope as `this` (Node's gives the signal), and reads back as the
 * runtime's: a function or an object as given, anything else as null (Node keeps any value).
 */

/** The first listener exception of the trusted dispatches inside the abort() Worker code called. */
let aborting: { thrown?: { error: unknown } } | undefined;

export function installEventTargetRules(): void {
  const target = EventTarget.prototype as unknown as Record<string, unknown>;
  replaceMethod(target, "addEventListener", (original, self, args) => {
    if (!runsEmulatedCode()) return Reflect.apply(original, self, args);
    checkListener(args);
    // No listener adds none, options unread, as the runtime's; Node would warn of it.
    if (args[1] === null || args[1] === undefined) return undefined;
    const rest = isIdlObject(args[2]) ? [listenerOptions(args[2]), ...args.slice(3)] : withOptions(args.slice(2));
    return Reflect.apply(original, self, [args[0], guarded(args[1] as Parameters<typeof guarded>[0]), ...rest]);
  });
  replaceMethod(target, "removeEventListener", (original, self, args) => {
    if (runsEmulatedCode()) {
      checkRemoval(args);
      // No listener is none to remove: Node would warn of it.
      if (args[1] === null || args[1] === undefined) return undefined;
      // Node's removal reads only `capture`, false once checked: the runtime reads it once.
      args = [args[0], args[1], ...(isIdlObject(args[2]) ? [false, ...args.slice(3)] : withOptions(args.slice(2)))];
    }
    // The listener may have been added by Worker code (guarded) or by test code (as it is).
    const guard = guardOf(args[1]);
    if (guard !== undefined) Reflect.apply(original, self, [args[0], guard, ...args.slice(2)]);
    return Reflect.apply(original, self, args);
  });
  replaceMethod(target, "dispatchEvent", (original, self, args) => {
    if (!runsEmulatedCode()) return Reflect.apply(original, self, args);
    const event = args[0];
    if (!(event instanceof Event)) throw notOfType(site("EventTarget", "dispatchEvent"), 1, "Event");
    const dispatch = (): boolean => {
      try {
        return Reflect.apply(original, self, args) as boolean;
      } catch (error) {
        throw (error as { code?: unknown } | null)?.code === "ERR_EVENT_RECURSION" ? runtimeDomException("The event is already being dispatched.", "InvalidStateError") : error;
      }
    };
    // A dispatch already framed (a WebSocket's, or this event's own, dispatched again by a listener).
    if (dispatchingNow(event)) return dispatch();
    const frame: Dispatch = { event, propagate: !codeFeatures().specCompliantDispatchExceptions };
    const result = dispatching(frame, dispatch);
    if (frame.propagate && frame.thrown !== undefined) {
      if (!event.isTrusted) throw frame.thrown.error;
      if (aborting !== undefined) aborting.thrown ??= frame.thrown;
      else reportUncaught(frame.thrown.error);
    }
    return result;
  });
  replaceMethod(AbortController.prototype as unknown as Record<string, unknown>, "abort", (original, self, args) => {
    if (!runsEmulatedCode()) return Reflect.apply(original, self, args);
    const outer = aborting;
    const mine: { thrown?: { error: unknown } } = {};
    aborting = mine;
    try {
      Reflect.apply(original, self, [args[0] === undefined ? abortReason() : args[0]]);
    } finally {
      aborting = outer;
    }
    if (mine.thrown !== undefined) throw mine.thrown.error;
  });
  replaceMethod(AbortSignal as unknown as Record<string, unknown>, "abort", (original, self, args) =>
    Reflect.apply(original, self, runsEmulatedCode() && args[0] === undefined ? [abortReason()] : args),
  );
  installAbortHandlerRule();
  installPassiveListeners();
  refuseReturnValueSetter();
  installTargetReads();
  installPhaseConstants();
  installCancelBubbleReset();
}

/** Events whose `cancelBubble` Worker code set back to false after stopping them. */
const unstopped = new WeakSet<Event>();

/**
 * The runtime's `cancelBubble` can be set back to false and then reads false (the standard's,
 * and Node's, ignores a false). Nothing else follows from it: the runtime's events have one
 * target, so there is no further propagation to resume. Test code keeps Node's.
 */
function installCancelBubbleReset(): void {
  const property = Object.getOwnPropertyDescriptor(Event.prototype, "cancelBubble");
  if (property?.get === undefined || property.set === undefined) return;
  const nodeGet = property.get;
  const nodeSet = property.set;
  const get = readsNativeMember(
    {
      get(this: Event) {
        return unstopped.has(this) ? false : (Reflect.apply(nodeGet, this, []) as boolean);
      },
    }.get,
    nodeGet.name,
  );
  const set = readsNativeMember(
    {
      set(this: Event, value: unknown) {
        if (runsEmulatedCode() && !value && (Reflect.apply(nodeGet, this, []) as boolean)) unstopped.add(this);
        else {
          if (value) unstopped.delete(this);
          Reflect.apply(nodeSet, this, [value]);
        }
      },
    }.set,
    nodeSet.name,
  );
  Object.defineProperty(Event.prototype, "cancelBubble", { ...property, get, set });
}

/**
 * The runtime's Event.prototype has the phase constants its constructor has (`event.AT_TARGET`
 * reads 2; Node's only on the constructor), read-only, enumerable and configurable, as its
 * binding defines them, and its constructor's length is 0 (Node's, 1). Test code sees them too:
 * they only add what it never read.
 */
function installPhaseConstants(): void {
  for (const name of ["NONE", "CAPTURING_PHASE", "AT_TARGET", "BUBBLING_PHASE"] as const) {
    if (Object.hasOwn(Event.prototype, name)) continue;
    Object.defineProperty(Event.prototype, name, { value: (Event as unknown as Record<string, number>)[name], writable: false, enumerable: true, configurable: true });
  }
  Object.defineProperty(Event, "length", { value: 0 });
}

/**
 * The runtime's Event holds one target, set when it is dispatched and kept: `currentTarget`
 * and the legacy `srcElement` read it as `target` does, for every listener and once the
 * dispatch has ended (Node's `currentTarget` reads null then), and all three read undefined
 * before any dispatch (Node's, null). Test code keeps Node's; the getters keep Node's names.
 */
function installTargetReads(): void {
  const prototype = Event.prototype;
  const nodeTarget = Object.getOwnPropertyDescriptor(prototype, "target")!.get!;
  for (const key of ["target", "currentTarget", "srcElement"]) {
    const property = Object.getOwnPropertyDescriptor(prototype, key)!;
    const nodeGet = property.get!;
    const get = readsNativeMember(
      {
        get(this: Event) {
          return runsEmulatedCode() ? ((Reflect.apply(nodeTarget, this, []) as EventTarget | null) ?? undefined) : Reflect.apply(nodeGet, this, []);
        },
      }.get,
      nodeGet.name,
    );
    Object.defineProperty(prototype, key, { ...property, get });
  }
}

/**
 * The runtime's Event's `returnValue` is read-only: Worker code's assignment (in strict code, as
 * every module is) throws V8's TypeError for a read-only property and cancels nothing. Node 24
 * added the standard's legacy setter, which cancels; Node 20 has none, and V8 words that
 * otherwise ("... which has only a getter"). Test code keeps Node's (V8's strict-mode refusal
 * where Node has no setter).
 */
function refuseReturnValueSetter(): void {
  const property = Object.getOwnPropertyDescriptor(Event.prototype, "returnValue");
  if (property?.get === undefined) return;
  const nodeSet = property.set;
  const set = readsNativeMember(
    {
      set(this: unknown, value: unknown) {
        const name = (this as { constructor?: { name?: unknown } } | null)?.constructor?.name;
        const object = `#<${typeof name === "string" ? name : "Object"}>`;
        if (runsEmulatedCode()) throw new TypeError(`Cannot assign to read only property 'returnValue' of object '${object}'`);
        if (nodeSet === undefined) throw new TypeError(`Cannot set property returnValue of ${object} which has only a getter`);
        Reflect.apply(nodeSet, this, [value]);
      },
    }.set,
    "",
  );
  Object.defineProperty(Event.prototype, "returnValue", { ...property, set });
}

/** The `onabort` Worker or object code gave each signal, as it reads back (see above). */
const abortHandlers = new WeakMap<object, unknown>();

/** AbortSignal.prototype.onabort as the runtime's (see above); test code keeps Node's. */
function installAbortHandlerRule(): void {
  const prototype = AbortSignal.prototype;
  const node = Object.getOwnPropertyDescriptor(prototype, "onabort")!;
  Object.defineProperty(prototype, "onabort", {
    ...node,
    get(this: AbortSignal) {
      return abortHandlers.has(this) ? abortHandlers.get(this) : node.get!.call(this);
    },
    set(this: AbortSignal, value: unknown) {
      if (!runsEmulatedCode()) {
        abortHandlers.delete(this);
        node.set!.call(this, value);
        return;
      }
      const handler = typeof value === "function" || (typeof value === "object" && value !== null) ? value : null;
      abortHandlers.set(this, handler);
      // Node calls the handler with the signal as `this`: it is given one that calls Worker code's with its global scope.
      const called = typeof handler === "function" ? (event: Event) => Reflect.apply(handler, codeGlobal(), [event]) as unknown : null;
      node.set!.call(this, called);
    },
  });
}

/**
 * addEventListener's arguments, checked as the runtime checks them: a listener given as null or
 * undefined is none (its options unchecked); a missing one is refused.
 */
function checkListener(args: unknown[]): void {
  const at = site("EventTarget", "addEventListener");
  if (args.length < 2) throw notOfType(at, args.length + 1, args.length === 0 ? "string" : "function or HandlerObject");
  const listener = args[1];
  if (listener === null || listener === undefined) return;
  if (typeof listener !== "function") {
    if (typeof listener !== "object") throw notOfType(at, 2, "function or HandlerObject");
    if (typeof (listener as { handleEvent?: unknown }).handleEvent !== "function") {
      throw new TypeError("Incorrect type for the 'handleEvent' field on 'HandlerObject': the provided value is not of type 'function'.");
    }
  }
  checkNoCapture("addEventListener", args[2]);
}

/**
 * removeEventListener's arguments, checked as the runtime checks them: a missing listener, or one
 * that is no object (null and undefined are none), is refused; so is a capture, even with no
 * listener.
 */
function checkRemoval(args: unknown[]): void {
  const at = site("EventTarget", "removeEventListener");
  if (args.length < 2) throw notOfType(at, args.length + 1, args.length === 0 ? "string" : "Object");
  const listener = args[1];
  if (listener !== null && listener !== undefined && typeof listener !== "object" && typeof listener !== "function") throw notOfType(at, 2, "Object");
  checkNoCapture("removeEventListener", args[2]);
}

/**
 * The runtime has no capture phase, so it refuses a listener for one: `useCapture` true (any
 * truthy value that is no object) or an options object whose `capture` is truthy.
 */
function checkNoCapture(method: string, options: unknown): void {
  if (isIdlObject(options)) {
    if ((options as { capture?: unknown }).capture) throw new TypeError(`${method}(): options.capture must be false.`);
  } else if (options) {
    throw new TypeError(`${method}(): useCapture must be false.`);
  }
}

/**
 * An options object of addEventListener, read as the runtime reads it (`capture`, already read by
 * checkNoCapture(), then `passive`, `once`, `signal`), for Node to read again without calling a
 * getter twice: the values are its own properties, and anything else Node's internals pass
 * (symbol-keyed members) is read through to the object given.
 */
function listenerOptions(options: object): object {
  const passive = Boolean((options as { passive?: unknown }).passive);
  const once = Boolean((options as { once?: unknown }).once);
  const signal = (options as { signal?: unknown }).signal;
  const value = (member: unknown) => ({ value: member, enumerable: true });
  return Object.create(options, { capture: value(false), passive: value(passive), once: value(once), signal: value(signal) }) as object;
}

/** The options argument(s) for Node: one that is no object (false, once checkNoCapture() passed
 * it) as `false`, which Node takes of any type while it refuses a string or a number. */
function withOptions(rest: unknown[]): unknown[] {
  if (rest.length === 0) return rest;
  const options = rest[0];
  const isObject = isIdlObject(options);
  return isObject || options === undefined ? rest : [false, ...rest.slice(1)];
}

/** The reason of an abort given none, as the runtime makes it. */
function abortReason(): DOMException {
  return retryable(runtimeDomException("The operation was aborted", "AbortError"));
}

import { evaluatesWorkerModules, runsEmulatedCode } from "../code-context.js";
import { refuseInGlobalScope } from "./global-scope-refusal.js";
import { replaceMethod } from "../replace-method.js";
import { markComposite, markTimeout } from "./timeout-reasons.js";
import { isRuntimeArray, notOfType, site } from "../../util/webidl.js";

/**
 * `AbortSignal.timeout()` and `AbortSignal.any()` as Worker and object code call them (test code
 * keeps Node's). The runtime's `timeout()` converts its delay as a WebIDL number and takes any
 * value (a negative or NaN delay aborts at once, one past what a timer can wait never does),
 * where Node refuses non-integers, negatives and delays past 2^32; both refuse in the runtime's
 * words: a missing delay or signal list by parameter, a list that is no Array, an element that
 * is no AbortSignal by its index. A signal `any()` made takes the reason of the first of its
 * signals to abort, as the runtime's does (on Node 24, one nobody listened to reads the first
 * aborted in list order instead; Node 20 and 22 follow the signals as they abort).
 */

/** The longest delay a Node timer waits; past it Node would fire at once. */
const TIMER_MAX = 2 ** 31 - 1;

export function installAbortSignalWords(): void {
  const signal = AbortSignal as unknown as Record<string, unknown>;
  replaceMethod(signal, "timeout", (original, self, args) => {
    if (!runsEmulatedCode() && !evaluatesWorkerModules()) return Reflect.apply(original, self, args);
    if (args.length === 0) throw notOfType(site("AbortSignal", "timeout"), 1, "number");
    // ToNumber, as V8 converts: a Symbol or a BigInt throws its TypeError.
    const delay = +(args[0] as number);
    refuseInGlobalScope();
    if (delay > TIMER_MAX) return new AbortController().signal;
    const timeout = Reflect.apply(original, self, [delay > 0 ? Math.trunc(delay) : 0]) as AbortSignal;
    markTimeout(timeout);
    return timeout;
  });
  const followsUnobserved = anyFollowsUnobserved();
  replaceMethod(signal, "any", (original, self, args) => {
    if (!runsEmulatedCode()) return Reflect.apply(original, self, args);
    const signals = args[0];
    if (!isRuntimeArray(signals)) throw notOfType(site("AbortSignal", "any"), 1, "Array");
    signals.forEach((member, index) => {
      if (!(member instanceof AbortSignal)) throw new TypeError(`Incorrect type for array element ${index}: the provided value is not of type 'AbortSignal'.`);
    });
    const composite = Reflect.apply(original, self, args) as AbortSignal;
    if (!followsUnobserved) follow(composite);
    markComposite(composite, signals as AbortSignal[]);
    return composite;
  });
}

/**
 * Makes a composite signal follow its signals as they abort. Node 24 starts following them when
 * the composite gets its first abort listener, and keeps following once that listener is gone;
 * while a listener stays, Node holds the composite strongly until it aborts, so a composite of
 * a signal that never aborts (a controller the object keeps) would never be collected.
 */
function follow(composite: AbortSignal): void {
  composite.addEventListener("abort", followed);
  composite.removeEventListener("abort", followed);
}

/** The listener follow() adds and takes away. */
function followed(): void {}

/** Whether Node's own any() gives the reason of the first signal to abort, unobserved. */
function anyFollowsUnobserved(): boolean {
  const first = new AbortController();
  const listedFirst = new AbortController();
  const composite = AbortSignal.any([listedFirst.signal, first.signal]);
  first.abort("first");
  listedFirst.abort("second");
  return composite.reason === "first";
}

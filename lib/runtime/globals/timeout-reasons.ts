import { hasRuntimeShape, withRuntimeShape } from "../../util/dom-exception.js";
import { readsNativeMember } from "../../util/native-names.js";
import { replaceMethod } from "../replace-method.js";

/**
 * An `AbortSignal.timeout()` signal of Worker code aborts with the runtime's reason: a
 * "TimeoutError" DOMException of its shape, flagged `retryable`. Node makes its own reason
 * inside its timer, out of reach, so that very object takes the runtime's shape when first read:
 * through `reason` (Worker code's read, a listener's, fetch()'s and a pipe's) or thrown by
 * `throwIfAborted()`, of the signal or of an `AbortSignal.any()` composite following it (which
 * holds the same reason). Not from an abort listener of its own: Node holds a timeout signal
 * that has one strongly until it fires, so every `fetch(url, { signal: AbortSignal.timeout(d) })`
 * would stay in memory for the whole delay d.
 */

/** Worker code's AbortSignal.timeout() signals. */
const timeouts = new WeakSet<AbortSignal>();

/** Composites Worker code made, by what they follow that is or follows such a signal. */
const followedTimeouts = new WeakMap<AbortSignal, AbortSignal[]>();

/** Node's `reason` getter. */
let nodeReason: Function;

/** Marks `signal`, made by Worker code's AbortSignal.timeout(). */
export function markTimeout(signal: AbortSignal): void {
  timeouts.add(signal);
}

/** Marks `composite`, made by Worker code's AbortSignal.any() of `signals`, as following the timeouts among them. */
export function markComposite(composite: AbortSignal, signals: readonly AbortSignal[]): void {
  const followed = signals.filter(reachesTimeout);
  if (followed.length > 0) followedTimeouts.set(composite, followed);
}

function reachesTimeout(signal: unknown): signal is AbortSignal {
  return timeouts.has(signal as AbortSignal) || followedTimeouts.has(signal as AbortSignal);
}

/** Gives the timeout reason `signal` holds (its own, or a followed signal's) the runtime's shape, once. */
function shapeReason(signal: AbortSignal): void {
  if (timeouts.has(signal)) {
    const reason = Reflect.apply(nodeReason, signal, []) as unknown;
    // Once: what Worker code changes on the reason (its `retryable`) stays.
    if (reason instanceof DOMException && !hasRuntimeShape(reason)) retryable(withRuntimeShape(reason));
  }
  for (const source of followedTimeouts.get(signal) ?? []) shapeReason(source);
}

/** Installs the shaping reads on Node's AbortSignal.prototype (once per process: host-apis.ts). */
export function installTimeoutReasons(): void {
  const prototype = AbortSignal.prototype;
  const property = Object.getOwnPropertyDescriptor(prototype, "reason")!;
  nodeReason = property.get!;
  const get = readsNativeMember(
    {
      get(this: unknown) {
        if (reachesTimeout(this)) shapeReason(this);
        return Reflect.apply(nodeReason, this, []) as unknown;
      },
    }.get,
    nodeReason.name,
  );
  Object.defineProperty(prototype, "reason", { ...property, get });
  replaceMethod(prototype as unknown as Record<string, unknown>, "throwIfAborted", (original, self, args) => {
    if (reachesTimeout(self)) shapeReason(self);
    return Reflect.apply(original, self, args);
  });
}

/** `error`, flagged as the runtime flags the errors a retry may cure; returns it. */
export function retryable(error: DOMException): DOMException {
  return Object.defineProperty(error, "retryable", { value: true, enumerable: true, writable: true, configurable: true });
}

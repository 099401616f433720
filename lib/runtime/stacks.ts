/**
 * Stacks of errors that cross into a Durable Object and back, as a local call would show them:
 * the frames where the object's code threw, then the caller's frames. The runtime copies such
 * errors (errors.ts), and its own stacks show only the caller; a developer needs both.
 *
 * The caller's frames cost nothing until an error crosses: the copy's stack is taken inside a
 * promise reaction that the caller's `await` is chained to, where V8's async stack traces list
 * the awaiting functions. durasim's own frames (the gate's pump, the stub) are left out.
 */
import { types } from "node:util";
import { isErrorValue } from "../util/error-kinds.js";
import { isOwnFrame } from "../util/own-frames.js";

const FRAME = /\n {4}at /;

/** The lines of a stack after its header (`Name: message`, which may span lines). */
function framesOf(stack: unknown): string[] {
  if (typeof stack !== "string") return [];
  const start = stack.search(FRAME);
  return start < 0 ? [] : stack.slice(start + 1).split("\n");
}

/**
 * Gives `copy` (what the caller receives) the frames of `thrown` (what the object's code threw)
 * down to where durasim delivered the event, followed by the caller's frames. Call it inside a
 * promise reaction the caller awaits: that is where the caller's frames can be seen.
 */
export function withCallerFrames<E>(copy: E, thrown: unknown): E {
  // The copy is of the calling code's realm (a Jest test file's, under the preset), whose Error
  // is not this module's: `instanceof Error` would leave such a copy with no frames at all.
  if (typeof copy !== "object" || copy === null || !isErrorValue(copy) || typeof copy.stack !== "string") return copy;
  const objectFrames: string[] = [];
  for (const frame of framesOf(stackOf(thrown))) {
    if (isOwnFrame(frame)) break;
    objectFrames.push(frame);
  }
  const callerFrames = framesOf(new Error().stack);
  while (callerFrames.length > 0 && isOwnFrame(callerFrames[0]!)) callerFrames.shift();
  copy.stack = [headerOf(copy.stack), ...objectFrames, ...callerFrames].join("\n");
  // Errors inside it (a cause, an AggregateError's errors, a property) are copies made in the
  // same place: the runtime gives each the caller's frames under its own header.
  for (const inner of errorsWithin(copy)) {
    if (typeof inner.stack === "string") inner.stack = [headerOf(inner.stack), ...callerFrames].join("\n");
  }
  return copy;
}

function headerOf(stack: string): string {
  const start = stack.search(FRAME);
  return start < 0 ? stack : stack.slice(0, start);
}

/** The Errors reachable from `root` (a fresh copy), not itself: what it holds, and so on. */
function errorsWithin(root: object): Error[] {
  const found: Error[] = [];
  const seen = new Set<object>([root]);
  const visit = (value: object) => {
    for (const inner of heldBy(value)) {
      if (typeof inner !== "object" || inner === null || seen.has(inner)) continue;
      seen.add(inner);
      if (types.isNativeError(inner)) found.push(inner);
      visit(inner);
    }
  };
  visit(root);
  return found;
}

/**
 * What `value` (part of a copy) holds: a Map's keys and values, a Set's members, an Array's
 * elements, another object's own data properties (an Error's message and cause are not
 * enumerable). Binary data holds none: its indices are bytes, one key each.
 */
function heldBy(value: object): Iterable<unknown> {
  if (types.isAnyArrayBuffer(value) || ArrayBuffer.isView(value)) return [];
  if (types.isMap(value)) return [...(value as Map<unknown, unknown>)].flat();
  if (types.isSet(value)) return value as Set<unknown>;
  if (Array.isArray(value)) return Object.values(value);
  return Object.getOwnPropertyNames(value).map((key) => Object.getOwnPropertyDescriptor(value, key)?.value as unknown);
}

/** `thrown.stack`, or none where reading it runs code that throws (a getter, a proxy's trap,
 * or V8 formatting the stack with a `name` or `message` getter that throws). */
function stackOf(thrown: unknown): unknown {
  try {
    return (thrown as { stack?: unknown } | null)?.stack;
  } catch {
    return undefined;
  }
}

const pass = () => undefined;

/**
 * The caller's promise marked last as one that observes its own rejection (rejectionForCaller
 * does), so no one adds a handler to it up front. V8 follows a promise chain only through
 * promises with a single consumer: an early no-op handler beside the caller's `await` would
 * hide the caller. The mark is taken by the RPC promise made for it right after, in the same
 * synchronous step; a module variable instead of a property on the promise, which cost a
 * property store and its storage on every call.
 */
let observing: Promise<unknown> | undefined;

export function observesOwnRejection<P extends Promise<unknown>>(promise: P): P {
  observing = promise;
  return promise;
}

/** Whether `promise` was the last one marked by observesOwnRejection (the mark is taken). */
export function takeObservesOwnRejection(promise: Promise<unknown>): boolean {
  if (promise !== observing) return false;
  observing = undefined;
  return true;
}

/**
 * A promise that rejects with `copy`, its stack joined (see withCallerFrames): resolve the
 * caller's promise `visible` with it. By the time it rejects, two reactions later, `visible` is
 * waiting on it, so the reaction that builds the stack is in the caller's chain. Then `visible`
 * gets its no-op handler: a call nobody awaits is not an unhandled rejection, as in the runtime.
 */
export function rejectionForCaller(copy: unknown, thrown: unknown, visible: () => Promise<unknown>): Promise<never> {
  return Promise.resolve()
    .then(pass)
    .then(() => {
      const error = withCallerFrames(copy, thrown);
      visible().catch(pass);
      throw error;
    });
}

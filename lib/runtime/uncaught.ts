import { types } from "node:util";
import { isResetError } from "./errors.js";
import { hintMissingWorkersGlobal } from "./missing-global-hint.js";

/**
 * Code the runtime calls on its own (a timer's callback, an event listener) has no caller to
 * throw to: the Workers runtime logs its exception as "Uncaught ..." and goes on, where Node
 * would end the whole process. A reset of the object (`ctx.abort()`, a broken output gate)
 * throws to end the code there; that error is the reset's, not the code's, and is not logged.
 */

/**
 * Calls `callback`, logging what it throws or the rejection of the promise it returns (an
 * event listener's); returns what it returned (undefined after a throw).
 */
export function callReportingUncaught(callback: Function, thisArg: unknown, args: readonly unknown[]): unknown {
  const result = callCatching(callback, thisArg, args);
  if (types.isPromise(result)) promiseThen.call(result, undefined, reportUncaught);
  return result;
}

/**
 * Calls a timer's or a microtask's `callback`, logging what it throws. The runtime does not
 * look at what such a callback returns, so an async one's rejection stays an unhandled
 * rejection (Worker code's `unhandledrejection` listeners see it: worker-rejections.ts), but
 * for a reset's error, which ends the code and is nobody's to handle.
 */
export function callLeavingRejections(callback: Function, thisArg: unknown, args: readonly unknown[]): void {
  const result = callCatching(callback, thisArg, args);
  // (A promise of any realm: Worker code loaded by Jest makes its test file's.)
  if (types.isPromise(result)) {
    void promiseThen.call(result, undefined, (error: unknown) => {
      if (!(error instanceof Object && isResetError(error))) throw error;
    });
  }
}

/**
 * The runtime only looks at what such a callback returns when it is a promise (told by type,
 * any realm's), whose own `then` it does not read: returning any other object, a thenable
 * whose `then` getter throws too, is nothing to it (reading that `then` here ended the process).
 */
const promiseThen = Promise.prototype.then;

function callCatching(callback: Function, thisArg: unknown, args: readonly unknown[]): unknown {
  try {
    return Reflect.apply(callback, thisArg, args);
  } catch (error) {
    reportUncaught(error);
    return undefined;
  }
}

/** Logs `error` as the runtime logs an uncaught exception (a reset's error is not logged). */
export function reportUncaught(error: unknown): void {
  if (error instanceof Object && isResetError(error)) return;
  console.error("Uncaught", error);
  hintMissingWorkersGlobal(error);
}

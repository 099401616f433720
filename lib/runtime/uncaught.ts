import { isResetError } from "./errors.js";

/**
 * Code the runtime calls on its own (a timer's callback, an event listener) has no caller to
 * throw to: the Workers runtime logs its exception as "Uncaught ..." and goes on, where Node
 * would end the whole process (and an async callback's rejection would be unhandled). A reset of
 * the object (`ctx.abort()`, a broken output gate) throws to end the code there; that error is
 * the reset's, not the code's, and is not logged.
 */

/**
 * Calls `callback`, logging what it throws or the rejection of the promise it returns; returns
 * what it returned (undefined after a throw).
 */
export function callReportingUncaught(callback: Function, thisArg: unknown, args: readonly unknown[]): unknown {
  try {
    const result: unknown = Reflect.apply(callback, thisArg, args);
    if (typeof (result as PromiseLike<unknown> | undefined)?.then === "function") (result as PromiseLike<unknown>).then(undefined, reportUncaught);
    return result;
  } catch (error) {
    reportUncaught(error);
    return undefined;
  }
}

/** Logs `error` as the runtime logs an uncaught exception (a reset's error is not logged). */
export function reportUncaught(error: unknown): void {
  if (error instanceof Object && isResetError(error)) return;
  console.error("Uncaught", error);
}

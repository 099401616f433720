import { isResetError } from "./errors.js";

/**
 * Code the runtime calls on its own (a timer's callback, an event listener) has no caller to
 * throw to: the Workers runtime logs its exception as "Uncaught ..." and goes on, where Node
 * would end the whole process. What an async callback returns is left alone: the runtime does
 * not look at it, so its rejection is an unhandled rejection like any other (Worker code's
 * `unhandledrejection` listeners see it: worker-rejections.ts). A reset of the object
 * (`ctx.abort()`, a broken output gate) throws to end the code there; that error is the
 * reset's, not the code's, and is not logged.
 */

/** Calls `callback`, logging what it throws; returns what it returned (undefined after a throw). */
export function callReportingUncaught(callback: Function, thisArg: unknown, args: readonly unknown[]): unknown {
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
}

import { isOwnFile } from "./own-frames.js";

/**
 * The frames of the calls above a function, as V8's structured call sites: for code that must
 * answer differently depending on who called (a Reflect function or an assignment; Node's own
 * code or Worker code). Read with the process's stack formatting set aside, so a source-map hook
 * or a test runner's formatter neither runs nor changes the answer; both are put back at once.
 */
export function callSitesAbove(fn: Function, count: number): NodeJS.CallSite[] {
  const holder: { stack?: unknown } = {};
  const { prepareStackTrace, stackTraceLimit } = Error;
  try {
    Error.prepareStackTrace = (_error, frames) => frames;
    Error.stackTraceLimit = count;
    Error.captureStackTrace(holder, fn);
    return Array.isArray(holder.stack) ? (holder.stack as NodeJS.CallSite[]) : [];
  } finally {
    Error.prepareStackTrace = prepareStackTrace;
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/**
 * The nearest frame above `fn` (among the `count` nearest) that is not durasim's own: past the
 * wrappers durasim layers over one host method (replaceMethod's, a guard's, a proxy's trap), so
 * adding a layer does not change who is seen as the caller.
 */
export function callerPastOwnFrames(fn: Function, count: number): NodeJS.CallSite | undefined {
  return callSitesAbove(fn, count).find((frame) => {
    const file = frame.getFileName();
    return file == null || !isOwnFile(file);
  });
}

/**
 * Whether the code that called `fn`, past durasim's own frames, is the builtin function named
 * `name` (such as JSON.stringify, "stringify", however it was reached): a builtin's frame names
 * no file and no line, where a function of that name in Worker code names both.
 */
export function calledByBuiltin(fn: Function, name: string): boolean {
  const frame = callerPastOwnFrames(fn, 4);
  return frame !== undefined && frame.getFileName() == null && frame.getLineNumber() === null && frame.getFunctionName() === name;
}

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

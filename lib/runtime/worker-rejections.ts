import { runsEmulatedCode } from "./code-context.js";
import { isEndOfEmulatorError } from "./errors.js";
import { dispatchRejectionHandled, dispatchUnhandledRejection } from "./global-events.js";

/**
 * A promise rejection Worker or Durable Object code leaves unhandled is logged, and the process
 * goes on, as the runtime goes on (it reports the rejection to the isolate's listeners, and with
 * none, only to its log). Node would end the process instead when nothing listens for
 * `unhandledRejection`: durasim embedded in a server or a script would stop with its Worker.
 *
 * The rejection is the Worker's when Node reports it in the async context of emulated code
 * (Node runs the report in the context the promise was made in, Node 24 in the one it was
 * rejected in; either is the Worker's for a promise its code made and rejected). Only the case
 * where no listener exists changes: a test runner's listener (Vitest's, node:test's) still sees
 * every rejection and fails the run with it, as Cloudflare's Vitest integration does, where the
 * test runner shares the Worker's isolate and its `unhandledRejection` events; a rejection of
 * code outside the emulator is never touched. Worker code's own `unhandledrejection` listeners
 * (global-events.ts) hear the rejection first, and its `rejectionhandled` ones a handler
 * attached to it later; neither changes what is logged or passed on.
 *
 * The same holds for a call any code left unawaited that failed because its emulator ended it
 * (disposed, or its state restored: a test runner does both at a file's and a test's end): with
 * no listener it is logged, where Node would end the process. Jest removes its listener before
 * its test environment's teardown disposes the file's emulator, so a test's dangling call ended
 * the Jest worker and the run with it.
 */

/**
 * The wrapper cannot count on staying in place: a library that wrapped `process.emit` before
 * durasim did may put back the function it saved, dropping durasim's (signal-exit does as its
 * last handler goes, and Jest loads it to write its cache, so a cold-cache run lost it between
 * files). So the wrapper is checked, and put back, where Worker code can start to leave
 * rejections behind: an emulator made, a Worker event, an object's new code scope, and an
 * emulator ending its calls. So another wrapper may come to sit between two of durasim's: the
 * outermost decides each report, and the ones it reaches pass it on (the report being decided
 * is kept on the process, so loaded copies of durasim agree), so a Worker listener never hears
 * one rejection twice.
 */
const WRAPPER = Symbol.for("durasim.workerRejections");
const DECIDING = Symbol.for("durasim.workerRejections.deciding");

type Emit = ((this: NodeJS.Process, event: string | symbol, ...args: unknown[]) => boolean) & { [WRAPPER]?: true };

/** What every copy of durasim shares, on the process: the event being decided, if any. */
interface Deciding {
  event?: unknown;
}

export function logWorkerRejections(): void {
  const host = process as unknown as Record<symbol, unknown> & { emit: Emit };
  if (host.emit[WRAPPER]) return;
  const deciding = (host[DECIDING] ??= {}) as Deciding;
  const emit = host.emit;
  // Node reports an unhandled rejection through process.emit, and ends the process when it
  // returns false (nothing listened); wrapping emit is the only place to answer before that.
  const wrapper: Emit = function (this: NodeJS.Process, event: string | symbol, ...args: unknown[]): boolean {
    // The promise (the reason's for an unhandled one) says which report this is.
    const report = event === "unhandledRejection" ? args[1] : event === "rejectionHandled" ? args[0] : undefined;
    if (report === undefined || deciding.event === report) return Reflect.apply(emit, this, [event, ...args]) as boolean;
    deciding.event = report;
    try {
      return decide.call(this, emit, event, args);
    } finally {
      deciding.event = undefined;
    }
  };
  wrapper[WRAPPER] = true;
  host.emit = wrapper;
}

function decide(this: NodeJS.Process, emit: Emit, event: string | symbol, args: unknown[]): boolean {
  if (event === "unhandledRejection" && isEndOfEmulatorError(args[0]) && process.listenerCount(event) === 0) {
    console.error("durasim: a call nothing awaited failed as its emulator ended it:", args[0]);
    return true;
  }
  if (event === "unhandledRejection" && runsEmulatedCode()) {
    dispatchUnhandledRejection(args[1] as Promise<unknown>, args[0]);
    if (process.listenerCount(event) === 0) {
      console.error("Uncaught (in promise)", args[0]);
      return true;
    }
  } else if (event === "rejectionHandled") {
    dispatchRejectionHandled(args[0] as Promise<unknown>);
  }
  return Reflect.apply(emit, this, [event, ...args]) as boolean;
}

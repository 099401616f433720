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

const INSTALLED = Symbol.for("durasim.workerRejections");

type Emit = (this: NodeJS.Process, event: string | symbol, ...args: unknown[]) => boolean;

export function logWorkerRejections(): void {
  const host = process as unknown as Record<symbol, unknown> & { emit: Emit };
  if (host[INSTALLED]) return;
  host[INSTALLED] = true;
  const emit = host.emit;
  // Node reports an unhandled rejection through process.emit, and ends the process when it
  // returns false (nothing listened); wrapping emit is the only place to answer before that.
  host.emit = function (this: NodeJS.Process, event: string | symbol, ...args: unknown[]): boolean {
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
  };
}

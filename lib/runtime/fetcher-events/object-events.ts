import { inCodeRealm } from "../../util/code-realm.js";
import { errorReference } from "../../util/error-reference.js";
import { withFlags } from "../errors.js";
import { messagesFromArguments } from "./queue-arguments.js";
import { controllerFromOptions } from "./scheduled-controller.js";

/**
 * `scheduled()` and `queue()` on a Durable Object's stub (or a facet's): a Worker with the
 * compatibility flag service_binding_extra_handlers has them there as on any Fetcher, but the
 * runtime cannot deliver either event to an object. As workerd does it (checked with workerd
 * 2026-11-17): the Fetcher's checks of the arguments come first (their TypeErrors), then the
 * call fails with an internal error (no flags) and the object's methods of those names do not
 * run. A queue event sent while the object has no instance leaves the stub that sent it broken
 * for good (lostChannelError); other stubs, made before or after, and an object that is running
 * are not affected.
 */

/**
 * Each takes `send`, which runs once the arguments passed their checks: the stub's refusal to
 * send anything (a broken stub's, another I/O context's), or undefined as the event leaves.
 */
type Send = () => Promise<never> | undefined;

export function failedScheduledEvent(options: unknown, send: Send): Promise<never> {
  return failedAfter(() => controllerFromOptions(options), send);
}

export function failedQueueEvent(args: unknown[], send: Send): Promise<never> {
  return failedAfter(() => messagesFromArguments(args.length, args[0], args[1], args[2]), send);
}

/** What every later call (RPC, fetch) through a stub a queue event broke rejects with: a new error each time. */
export function lostChannelError(): Error {
  return withFlags(inCodeRealm(new Error("Couldn't complete operation because the execution context has no request in progress.")), { durableObjectReset: true });
}

function failedAfter(check: () => unknown, send: Send): Promise<never> {
  try {
    check();
  } catch (error) {
    return Promise.reject(error);
  }
  return send() ?? Promise.reject(inCodeRealm(new Error(`internal error; reference = ${errorReference()}`)));
}

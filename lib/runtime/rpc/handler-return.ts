import { types } from "node:util";
import { CALLBACK_RESULT_NOT_PROMISE } from "../../util/webidl.js";
import { runtimeSideError } from "../errors.js";

/**
 * What a fetch() handler (an object's or an entrypoint's) returned, as the runtime takes it
 * before anything awaits it: a promise, a thenable (an object whose `then` is not undefined,
 * callable or not: it is resolved, and may still turn out to be no Response), or a Response.
 * Anything else (undefined, null, a string, a plain object, a function) is refused at once, in
 * words other than those for a promise that resolved to something that is not a Response.
 */
export function fetchHandlerReturned(value: unknown): unknown {
  if (types.isPromise(value) || value instanceof Response) return value;
  if (typeof value === "object" && value !== null && (value as { then?: unknown }).then !== undefined) return value;
  throw runtimeSideError(new TypeError(CALLBACK_RESULT_NOT_PROMISE));
}

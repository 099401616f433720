import { inCodeRealm } from "../util/code-realm.js";
import { isIdlObject } from "../util/webidl.js";

/**
 * What the other side of one of the runtime's native streams (the sides of IdentityTransformStream,
 * FixedLengthStream and the compression streams) sees of the reason its abort() or cancel() was
 * given. The runtime carries the reason across as an exception: an object arrives as it was, a
 * value that is none as an Error of its text (`abort()`: Error "undefined"; `cancel(5)`: Error
 * "5"), and a cancel without a reason as the Error "Stream was cancelled.".
 */

const CANCELLED = "Stream was cancelled.";

export function abortReasonAcross(reason: unknown): unknown {
  return isIdlObject(reason) ? reason : inCodeRealm(new Error(String(reason)));
}

export function cancelReasonAcross(reason: unknown): unknown {
  return reason === undefined ? inCodeRealm(new Error(CANCELLED)) : abortReasonAcross(reason);
}

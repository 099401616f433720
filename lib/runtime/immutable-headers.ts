/**
 * Headers that cannot change, as the runtime's are on a Request a fetch() handler receives and
 * on a Response a caller receives from a Durable Object or a Worker: `set`, `append` and
 * `delete` throw `TypeError: Can't modify immutable headers.` (before looking at their
 * arguments), and a clone of such a message is immutable too. A copy made with `new Request()` /
 * `new Response()` has headers of its own, mutable again, and so has the receiver's copy of a
 * message that crossed RPC (rpc/messages.ts).
 *
 * Node's Headers has no such guard that code can set: a hidden field (util/hidden-field.ts) says
 * which Headers objects are immutable, and host-apis.ts makes Headers' mutators (and clone())
 * consult it, so the objects themselves keep Node's members.
 */
import { hiddenField } from "../util/hidden-field.js";

const IMMUTABLE = "Can't modify immutable headers.";

/** Marks the Headers objects made immutable. */
const frozen = hiddenField<true>();

/** Makes `message`'s headers immutable; returns `message`. */
export function freezeHeaders<T extends Request | Response>(message: T): T {
  freezeHeaderList(message.headers);
  return message;
}

/** Makes `headers` (a Request's or Response's, read already by the caller) immutable. */
export function freezeHeaderList(headers: Headers): void {
  frozen.set(headers, true);
}

/** `copy`, a copy of `headers` sent over RPC: immutable if they are (a Headers object keeps its
 * guard across RPC; only a Request's or Response's are the receiver's own). */
export function withGuardOf(headers: Headers, copy: Headers): Headers {
  if (frozen.get(headers) === true) frozen.set(copy, true);
  return copy;
}

/** Whether `message` has immutable headers (so its clones must have them too). */
export function hasFrozenHeaders(message: Request | Response): boolean {
  return frozen.get(message.headers) === true;
}

/** Throws the runtime's error if `headers` cannot change. */
export function checkMutable(headers: unknown): void {
  if (frozen.get(headers) === true) throw new TypeError(IMMUTABLE);
}

/**
 * Headers that cannot change, as the runtime's are on a Request a fetch() handler receives and
 * on a Response a caller receives from a Durable Object or a Worker: `set`, `append` and
 * `delete` throw `TypeError: Can't modify immutable headers.` (before looking at their
 * arguments), and a clone of such a message is immutable too. A copy made with `new Request()` /
 * `new Response()` has headers of its own, mutable again, and so has the receiver's copy of a
 * message that crossed RPC (rpc/messages.ts).
 *
 * Node's Headers has no such guard that code can set: this registry says which Headers objects
 * are immutable, and host-apis.ts makes Headers' mutators (and clone()) consult it, so the
 * objects themselves keep Node's shape.
 */

const IMMUTABLE = "Can't modify immutable headers.";

/** The Headers objects made immutable. */
const frozenHeaders = new WeakSet<object>();

/** Makes `message`'s headers immutable; returns `message`. */
export function freezeHeaders<T extends Request | Response>(message: T): T {
  frozenHeaders.add(message.headers);
  return message;
}

/** `copy`, a copy of `headers` sent over RPC: immutable if they are (a Headers object keeps its
 * guard across RPC; only a Request's or Response's are the receiver's own). */
export function withGuardOf(headers: Headers, copy: Headers): Headers {
  if (frozenHeaders.has(headers)) frozenHeaders.add(copy);
  return copy;
}

/** Whether `message` has immutable headers (so its clones must have them too). */
export function hasFrozenHeaders(message: Request | Response): boolean {
  return frozenHeaders.has(message.headers);
}

/** Throws the runtime's error if `headers` cannot change. */
export function checkMutable(headers: unknown): void {
  if (typeof headers === "object" && headers !== null && frozenHeaders.has(headers)) throw new TypeError(IMMUTABLE);
}

/**
 * Header names: which ones Node's Headers can hold, and which the runtime's hold besides. Node
 * holds a non-empty HTTP token only; the runtime's Headers also hold an empty name and a name with
 * characters past ASCII (refusing only ASCII that is no token character). Reading such a name
 * (get, has, delete) finds nothing, as it finds nothing in the runtime when none was set.
 * Invariant: a name Node refuses is refused only where the runtime refuses it too, or where it
 * would have to be held (set, append: a declared difference, README).
 */

/** A header name Node's Headers (and HTTP) take: a token. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** A name the runtime's Headers take: token characters and any past ASCII, or none at all. */
const RUNTIME_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z\u0080-\uffff]*$/;

/** Whether Node's Headers take `name`. */
export function isToken(name: string): boolean {
  return TOKEN.test(name);
}

/** Whether `name` is one the runtime's Headers could hold and Node's cannot (so none holds it). */
export function onlyRuntimeHolds(name: string): boolean {
  return !TOKEN.test(name) && RUNTIME_NAME.test(name);
}

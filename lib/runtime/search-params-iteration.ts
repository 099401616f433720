import { runsEmulatedCode } from "./code-context.js";
import { replaceMethod } from "./replace-method.js";
import { installPairIterator, pairIterators, type Entry, type Walk } from "./host-iterators.js";
import { illegalInvocation } from "../util/webidl.js";

/**
 * Iterating URLSearchParams as the runtime's do, for Worker and object code (test code keeps
 * Node's): `entries()`, `keys()`, `values()` and iterating make the runtime's EntryIterator,
 * KeyIterator and ValueIterator (host-iterators.ts; not a "URLSearchParams Iterator", never
 * cloned or stored), which walk the live list by position as the runtime's do: a pair added
 * during the walk is reached, one deleted before the position shifts the rest. A receiver that
 * is no URLSearchParams is refused with `Illegal invocation`. The methods stay Node's own on
 * Node's prototype, so every URLSearchParams (a URL's `searchParams` too) answers alike.
 */

/** Node's own entries() and its iterator's next(), as they were at install. */
let nodeEntries: Function;
let nodeNext: Function;

const ITERATORS = pairIterators();

/**
 * A walk of `params` through one Node iterator: Node's reads the live list at the index it keeps
 * (a pair appended is reached, a deletion shifts the rest), which is the runtime's walk by
 * position, each step O(1).
 */
function walkOf(params: URLSearchParams): Walk {
  const node = Reflect.apply(nodeEntries, params, []) as Iterator<Entry>;
  return () => {
    const step = Reflect.apply(nodeNext, node, []) as IteratorResult<Entry>;
    return step.done === true ? undefined : step.value;
  };
}

/** `self`, checked to be a URLSearchParams as Node's iterators check it (Node 24 at the first step). */
function searchParams(self: unknown): URLSearchParams {
  try {
    (Reflect.apply(nodeEntries, self, []) as Iterator<Entry>).next();
  } catch {
    throw illegalInvocation();
  }
  return self as URLSearchParams;
}

/** Installs the runtime's iteration on Node's URLSearchParams prototype (once per process: host-apis.ts). */
export function installSearchParamsIteration(): void {
  const prototype = URLSearchParams.prototype as unknown as Record<string | symbol, unknown>;
  nodeEntries = prototype.entries as Function;
  nodeNext = (Object.getPrototypeOf(new URLSearchParams().entries()) as { next: Function }).next;
  for (const [name, make] of ITERATORS) {
    replaceMethod(prototype, name, (original, self, args) => (runsEmulatedCode() ? make(walkOf(searchParams(self))) : Reflect.apply(original, self, args)));
  }
  const makeEntries = ITERATORS[0]![1];
  installPairIterator(prototype, (self) => makeEntries(walkOf(searchParams(self))), runsEmulatedCode);
}

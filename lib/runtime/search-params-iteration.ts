import { runsEmulatedCode } from "./code-context.js";
import { replaceMethod } from "./replace-method.js";
import { installPairIterator, pairIterators, type Entry } from "./host-iterators.js";
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

/** Node's own entries(), read for each step: its list as it is now. */
let nodeEntries: Function;

function entryAt(params: URLSearchParams, index: number): Entry | undefined {
  let at = 0;
  for (const entry of Reflect.apply(nodeEntries, params, []) as Iterable<Entry>) {
    if (at++ === index) return entry;
  }
  return undefined;
}

const ITERATORS = pairIterators<URLSearchParams>(entryAt);

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
  for (const [name, make] of ITERATORS) {
    replaceMethod(prototype, name, (original, self, args) => (runsEmulatedCode() ? make(searchParams(self)) : Reflect.apply(original, self, args)));
  }
  const makeEntries = ITERATORS[0]![1];
  installPairIterator(prototype, (self) => makeEntries(searchParams(self)), runsEmulatedCode);
}

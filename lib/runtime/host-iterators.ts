import { illegalInvocation, notSerializable, refuseInStorage } from "../util/webidl.js";
import { readsNative } from "../util/native-names.js";

/**
 * The runtime's iterators over a host object's name-value pairs (Headers, URLSearchParams):
 * for each interface its own EntryIterator, KeyIterator and ValueIterator, each a prototype
 * inheriting %IteratorPrototype% with a `next()` that reads only its own iterators (another
 * receiver: `Illegal invocation`), a constructor that refuses (`Illegal constructor`), and no
 * serialisation (storage and structuredClone refuse it, as the runtime's serialiser does).
 * What an iterator walks is the interface's choice: a snapshot (Headers) or the live object
 * (URLSearchParams), stepped through by the `Walk` its interface makes for each iterator.
 */

export type Entry = [string, string];

/** One iterator's walk: each call answers the next entry, or undefined at the end (for now). */
export type Walk = () => Entry | undefined;

/** The three iterator kinds of one interface, by the method that makes each from a walk of its own. */
export function pairIterators(): ReadonlyArray<readonly ["entries" | "keys" | "values", (walk: Walk) => object]> {
  return [
    ["entries", iteratorKind("EntryIterator", (entry) => [entry[0], entry[1]])],
    ["keys", iteratorKind("KeyIterator", (entry) => entry[0])],
    ["values", iteratorKind("ValueIterator", (entry) => entry[1])],
  ];
}

function iteratorKind(name: string, pick: (entry: Entry) => unknown): (walk: Walk) => object {
  class PairIterator {
    #walk: Walk;
    constructor(walk: Walk) {
      this.#walk = walk;
    }
    static step(self: unknown): { done: boolean; value: unknown } {
      if (typeof self !== "object" || self === null || !(#walk in self)) throw illegalInvocation();
      const entry = (self as PairIterator).#walk();
      return entry === undefined ? { done: true, value: undefined } : { done: false, value: pick(entry) };
    }
  }
  const iteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())) as object;
  const prototype = Object.create(iteratorPrototype) as Record<string | symbol, unknown>;
  // A function, not a method: `new` reaches its body, which refuses as the runtime does.
  const illegalConstructor = function (): never {
    throw new TypeError("Illegal constructor");
  };
  Object.defineProperty(illegalConstructor, "name", { value: name });
  Object.defineProperties(prototype, {
    next: { value: readsNative({ next: function next(this: unknown) { return PairIterator.step(this); } }.next, "next"), writable: true, enumerable: true, configurable: true },
    constructor: { value: illegalConstructor, writable: true, enumerable: false, configurable: true },
    [Symbol.toStringTag]: { value: name, writable: false, enumerable: false, configurable: true },
    [Symbol.iterator]: { value: { [Symbol.iterator]() { return this; } }[Symbol.iterator], writable: true, enumerable: false, configurable: true },
  });
  Object.defineProperty(illegalConstructor, "prototype", { value: prototype, writable: false });
  refuseInStorage(prototype, notSerializable(name));
  return (walk) => Object.setPrototypeOf(new PairIterator(walk), prototype) as object;
}

/**
 * Gives a host prototype the runtime's unnamed `Symbol.iterator`, a function of its own (Node's
 * is its `entries`): Worker and object code get `entries(self)`, test code Node's.
 */
export function installPairIterator(prototype: Record<string | symbol, unknown>, entries: (self: unknown) => object, emulated: () => boolean): void {
  const nodeIterator = prototype[Symbol.iterator] as Function;
  Object.defineProperty(prototype, Symbol.iterator, {
    ...Object.getOwnPropertyDescriptor(prototype, Symbol.iterator),
    value: readsNative(
      // The runtime's is a function without a name.
      Object.defineProperty(
        {
          [Symbol.iterator](this: unknown) {
            return emulated() ? entries(this) : Reflect.apply(nodeIterator, this, []);
          },
        }[Symbol.iterator],
        "name",
        { value: "" },
      ),
      "",
    ),
  });
}

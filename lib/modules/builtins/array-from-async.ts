import { isConstructible } from "../../util/constructible.js";
import { defineMissing, isCallable, type Realm } from "./define.js";

/**
 * `Array.fromAsync(items, mapFn?, thisArg?)` (ES2026, Node 22): an array (of `this` constructor
 * when it is one) of an async iterable's values, or a sync iterable's or array-like's values
 * each awaited, mapped (and the mapping awaited) one at a time, in order.
 */
export function installArrayFromAsync(realm: Realm): void {
  defineMissing(realm.Array, {
    fromAsync(this: unknown, items: unknown, ...rest: [mapFn?: unknown, thisArg?: unknown]) {
      const constructor = this;
      // A promise of the realm, as the built-in's is, settled by the steps below.
      return new realm.Promise((resolve, reject) => {
        collect(realm, constructor, items, rest[0], rest[1]).then(resolve, reject);
      });
    },
  });
}

async function collect(realm: Realm, constructor: unknown, items: unknown, mapFn: unknown, thisArg: unknown): Promise<unknown> {
  if (mapFn !== undefined && !isCallable(mapFn)) throw new realm.TypeError(`${String(mapFn)} is not a function`);
  const isConstructor = typeof constructor === "function" && isConstructible(constructor);
  const map = async (value: unknown, index: number) => (mapFn === undefined ? value : await Reflect.apply(mapFn, thisArg, [value, index]));
  if (items === undefined || items === null) throw new realm.TypeError(`Cannot read properties of ${String(items)} (reading 'Symbol(Symbol.asyncIterator)')`);
  const source = Object(items) as Record<symbol, unknown>;
  const asyncIterator = source[Symbol.asyncIterator];
  const syncIterator = asyncIterator === undefined || asyncIterator === null ? source[Symbol.iterator] : undefined;
  if ((asyncIterator !== undefined && asyncIterator !== null) || (syncIterator !== undefined && syncIterator !== null)) {
    const out = isConstructor ? (Reflect.construct(constructor as Function, []) as unknown[]) : new realm.Array();
    let index = 0;
    // for await over a sync iterable awaits each value, as CreateAsyncFromSyncIterator does,
    // and closes the iterator when mapping fails.
    for await (const value of source as unknown as AsyncIterable<unknown>) {
      defineIndex(realm, out, index, await map(value, index));
      index++;
    }
    out.length = index;
    return out;
  }
  const arrayLike = source as unknown as ArrayLike<unknown>;
  const length = toLength(arrayLike.length);
  const out = isConstructor ? (Reflect.construct(constructor as Function, [length]) as unknown[]) : new realm.Array(length);
  for (let index = 0; index < length; index++) defineIndex(realm, out, index, await map(await arrayLike[index], index));
  out.length = length;
  return out;
}

/** CreateDataPropertyOrThrow. */
function defineIndex(realm: Realm, target: unknown[], index: number, value: unknown): void {
  if (!Reflect.defineProperty(target, index, { value, writable: true, enumerable: true, configurable: true })) {
    throw new realm.TypeError(`Cannot add property ${index}, object is not extensible`);
  }
}

function toLength(value: unknown): number {
  const number = Math.trunc(Number(value));
  if (!(number > 0)) return 0;
  return Math.min(number, Number.MAX_SAFE_INTEGER);
}

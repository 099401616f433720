import { types } from "node:util";

/**
 * The realm Worker code runs in, and the values durasim hands it.
 *
 * In workerd, Worker code, its Durable Objects and (under Cloudflare's Vitest integration) the
 * tests share one global scope: every value a call, a storage read or a SQL row gives them is
 * made with that scope's built-ins, so `error instanceof Error`, `value instanceof Map` and Jest's
 * `toStrictEqual` (which compares constructors) hold. Under Vitest and Node's loader, Worker code
 * runs in durasim's own realm and nothing here applies. Under Jest it runs in the test file's vm
 * context, whose built-ins are not durasim's: the Jest environment names that context's global
 * here (setCodeRealm), and each value durasim makes for Worker code (an RPC copy, a thrown
 * error reaching its caller, a stored value read back, a SQL row) passes through inCodeRealm on
 * its way out, which gives every object of a built-in kind that durasim's realm made the code
 * realm's prototype of the same kind. Built-in methods check internal slots, not realms, so a
 * Map so adopted works as any Map of that realm. Objects of other kinds (stubs, streams,
 * Requests) are left as they are, and not walked into.
 */

/** durasim's built-in prototypes, each with the same kind's prototype in the code realm. */
let adoptions: Map<object, object> | undefined;

/** Constructors whose instances durasim copies or makes for Worker code. */
const BUILT_INS = [
  "Object", "Array", "Map", "Set", "Date", "RegExp", "Number", "String", "Boolean", "BigInt",
  "Error", "EvalError", "RangeError", "ReferenceError", "SyntaxError", "TypeError", "URIError", "AggregateError",
  "ArrayBuffer", "SharedArrayBuffer", "DataView", "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array",
  "Uint16Array", "Int32Array", "Uint32Array", "Float16Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array",
] as const;

/** %IteratorPrototype% of a realm (its global object): what the realm's own iterators inherit from. */
function iteratorPrototypeOf(global: typeof globalThis): object {
  return Object.getPrototypeOf(Object.getPrototypeOf(new global.Array()[Symbol.iterator]())) as object;
}

/**
 * The prototypes of durasim's iterator interfaces (a SQL cursor's rows, raw rows, a sync KV
 * listing). They inherit the code realm's %IteratorPrototype%, as the runtime's iterators inherit
 * the one realm's: its helpers are the code's own, and make the code realm's values
 * (`raw().toArray()` an Array of that realm).
 */
const iteratorInterfaces = new Set<object>();
let codeIteratorPrototype = iteratorPrototypeOf(globalThis);

/** Makes `proto` an iterator interface of the code realm, whichever realm that is now or later. */
export function inheritCodeRealmIterators(proto: object): void {
  iteratorInterfaces.add(proto);
  Object.setPrototypeOf(proto, codeIteratorPrototype);
}

/** The global scope of the realm Worker code runs in. */
let codeGlobalScope: typeof globalThis = globalThis;

/**
 * Worker code's global scope: the `this` the runtime calls the callbacks it is handed with
 * (timers, microtasks, blockConcurrencyWhile(), transaction(), transactionSync()).
 */
export function codeGlobal(): typeof globalThis {
  return codeGlobalScope;
}

/** Worker code runs in `global`'s realm from now on (undefined: durasim's own). */
export function setCodeRealm(global: typeof globalThis | undefined): void {
  codeGlobalScope = global ?? globalThis;
  codeIteratorPrototype = iteratorPrototypeOf(global ?? globalThis);
  for (const proto of iteratorInterfaces) Object.setPrototypeOf(proto, codeIteratorPrototype);
  if (global === undefined || global.Object === Object) {
    adoptions = undefined;
    return;
  }
  adoptions = new Map();
  const own = globalThis as unknown as Record<string, { prototype?: object } | undefined>;
  const theirs = global as unknown as Record<string, { prototype?: object } | undefined>;
  for (const name of BUILT_INS) {
    const mine = own[name]?.prototype;
    const target = theirs[name]?.prototype;
    if (mine !== undefined && target !== undefined && mine !== target) adoptions.set(mine, target);
  }
}

/** Whether Worker code runs in a realm of its own (the Jest preset's), where values need adopting. */
export function hasCodeRealm(): boolean {
  return adoptions !== undefined;
}

/** `value`, made by durasim for Worker code, with the code realm's built-in kinds (see above). */
export function inCodeRealm<T>(value: T): T {
  if (adoptions !== undefined && typeof value === "object" && value !== null) adopt(value, adoptions);
  return value;
}

/** Throws `error` in the code realm (a rejection handler's form of inCodeRealm). */
export function throwInCodeRealm(error: unknown): never {
  throw inCodeRealm(error);
}

function adopt(root: object, protos: Map<object, object>): void {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    // Proxies (durasim's stubs among them) are never durasim's plain copies: not even asked.
    if (typeof value !== "object" || value === null || types.isProxy(value)) continue;
    const target = protos.get(Object.getPrototypeOf(value));
    // Not durasim's kind: another realm's already, or a class instance, whose insides are its own.
    if (target === undefined) continue;
    Object.setPrototypeOf(value, target);
    if (types.isMap(value)) {
      for (const [key, entry] of value as Map<unknown, unknown>) pending.push(key, entry);
    } else if (types.isSet(value)) {
      for (const entry of value as Set<unknown>) pending.push(entry);
    } else if (ArrayBuffer.isView(value)) {
      pending.push(value.buffer);
    } else if (!types.isAnyArrayBuffer(value)) {
      // Own properties, non-enumerable ones too (an error's cause).
      for (const key of Reflect.ownKeys(value)) {
        const descriptor = Object.getOwnPropertyDescriptor(value, key);
        if (descriptor !== undefined && "value" in descriptor) pending.push(descriptor.value);
      }
    }
  }
}

/**
 * `helper` (a function of `cloudflare:test`), handing what it returns, throws or rejects with to
 * the code realm (see above): an array of ids, a TypeError for a bad argument, the AggregateError
 * of several failures. With no code realm to adopt into, the helper's own result, unchanged.
 */
export function handsToCodeRealm<A extends unknown[], R>(helper: (...args: A) => R): (...args: A) => R {
  const handing = {
    [helper.name](...args: A): R {
      if (adoptions === undefined) return helper(...args);
      let result: R;
      try {
        result = helper(...args);
      } catch (error) {
        throw inCodeRealm(error);
      }
      if (!(result instanceof Promise)) return inCodeRealm(result);
      return result.then(inCodeRealm, throwInCodeRealm) as R;
    },
  }[helper.name]!;
  Object.defineProperty(handing, "length", { value: helper.length });
  return handing;
}

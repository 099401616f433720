/**
 * Telling a host object (Headers, Request, Blob, streams...) from an object that only has its
 * prototype, for every layer that takes one: storage and RPC serialisation, Headers inits,
 * bindings' options. Invariant: isOf() has no side effect on the value it asks about.
 */

/**
 * Whether `value` is an instance of the host class `type` by what it holds, not only by its
 * prototype: an object made with `Object.create(Headers.prototype)` has none of a Headers'
 * state, and the runtime, which tells its objects by their C++ kind, does not take it for one
 * (storage and RPC write it as the plain object it is, a Headers init refuses it, R2 reads it as
 * a dictionary), where reading it as a Headers would throw Node's private-member error. Node's
 * classes check their receiver in their getters, which have no side effects, so one is asked
 * (see brandCheck); a class with neither a getter nor `has` (EventTarget) is told by its
 * prototype.
 */
export function isOf<T>(value: object, type: { prototype: T }): value is T & object {
  if (!(value instanceof (type as unknown as Function))) return false;
  const check = brandCheck(type);
  if (check === undefined) return true;
  try {
    check.call(value, "a");
    return true;
  } catch {
    return false;
  }
}

const brandChecks = new WeakMap<Function, Function | null>();

/**
 * What tells `type`'s instances, found once: its prototype's own `has` method where it has one
 * (`has("a")` reads, changes nothing and checks its receiver; Headers and FormData have no
 * public getter, and Node 20's Headers' one symbol getter sorts and caches its entries), else
 * the first getter the prototype has of its own, `constructor` aside (Worker-scope classes answer
 * it by the caller, globals/constructors.ts, and it checks no receiver).
 */
function brandCheck(type: { prototype: unknown }): Function | undefined {
  let check = brandChecks.get(type as Function);
  if (check === undefined) {
    const proto = type.prototype as object;
    const key = Reflect.ownKeys(proto).find((k) => k !== Symbol.toStringTag && k !== "constructor" && Object.getOwnPropertyDescriptor(proto, k)?.get !== undefined);
    const has = Object.getOwnPropertyDescriptor(proto, "has")?.value as unknown;
    check = typeof has === "function" ? has : key !== undefined ? Object.getOwnPropertyDescriptor(proto, key)!.get! : null;
    brandChecks.set(type as Function, check);
  }
  return check ?? undefined;
}

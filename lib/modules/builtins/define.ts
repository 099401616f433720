/**
 * How a missing built-in is added: only where the realm lacks it (a newer Node has its own, which
 * is left alone), as the language defines its built-in methods: writable, configurable, not
 * enumerable, with the method's own name and length and no `prototype` (not a constructor).
 */
export type Realm = typeof globalThis;

export function defineMissing(target: object, methods: Record<string, Function>): void {
  for (const [name, method] of Object.entries(methods)) {
    if (Object.prototype.hasOwnProperty.call(target, name)) continue;
    Object.defineProperty(target, name, { value: method, writable: true, enumerable: false, configurable: true });
  }
}

export function isCallable(value: unknown): value is Function {
  return typeof value === "function";
}

export function isObject(value: unknown): value is object {
  return (typeof value === "object" && value !== null) || typeof value === "function";
}

/**
 * IteratorClose after a normal completion: calls the iterator's `return` if it has one, and
 * refuses a result that is no object with V8's text ("return called on non-object").
 */
export function closeIterator(realm: Realm, iterator: object): void {
  const method = (iterator as { return?: unknown }).return;
  if (method === undefined || method === null) return;
  const result = Reflect.apply(method as Function, iterator, []);
  if (!isObject(result)) throw new realm.TypeError("return called on non-object");
}

/** ToIntegerOrInfinity of a number. */
export function toIntegerOrInfinity(number: number): number {
  if (Number.isNaN(number) || number === 0) return 0;
  if (!Number.isFinite(number)) return number;
  return Math.trunc(number);
}

/** A value as V8 names it in "... is not a function" for a checked argument ("number 5", "#<Object>"). */
export function describeValue(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (typeof value === "string") return `string "${value}"`;
  if (typeof value === "object" || typeof value === "function") {
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    return `#<${typeof name === "string" && name !== "" ? name : "Object"}>`;
  }
  return `${typeof value} ${String(value)}`;
}

/** A receiver as V8 names it in "called on incompatible receiver ..." (objects as "#<Name>"). */
export function describeReceiver(value: unknown): string {
  if (typeof value === "object" || typeof value === "function") return describeValue(value);
  return typeof value === "string" ? value : String(value);
}

import { readsNativeMember } from "../util/native-names.js";

/**
 * Replaces `target[name]` (if it is a function) with a method of the same name and length and
 * the same property attributes, which runs `call(original, this, args)`. A method, not a
 * function expression: like the host's, it has no prototype and cannot be constructed; and, as
 * the runtime's, it reads as native code to Worker and object code (native-code.ts).
 */
export function replaceMethod(
  target: Record<string, unknown>,
  name: string,
  call: (original: Function, self: unknown, args: unknown[]) => unknown,
): void {
  const original = target[name];
  if (typeof original !== "function") return;
  const replacement = {
    [name](this: unknown, ...args: unknown[]) {
      return call(original, this, args);
    },
  }[name]!;
  Object.defineProperty(replacement, "length", { value: original.length });
  // By the member's key: a symbol-keyed one (ReadableStream's Symbol.asyncIterator) is unnamed.
  readsNativeMember(replacement, name);
  Object.defineProperty(target, name, { ...Object.getOwnPropertyDescriptor(target, name), value: replacement });
}

/**
 * Replaces the getter `target[name]` (if it has one) with one that passes what the original
 * returns (and the receiver) through `map`, keeping the property's other attributes; unnamed
 * and native code, as the runtime's accessors are.
 */
export function replaceGetter(target: object, name: string, map: (value: unknown, self: unknown) => unknown): void {
  wrapGetter(target, name, (get, self) => map(get.call(self), self), "");
}

/**
 * Replaces the getter `target[name]` (if it has one) with one that runs `call(original, this)`,
 * keeping the property's other attributes; named `accessorName` (by default the original's
 * name), native code.
 */
export function wrapGetter(target: object, name: PropertyKey, call: (original: Function, self: unknown) => unknown, accessorName?: string): void {
  const property = Object.getOwnPropertyDescriptor(target, name);
  const get = property?.get;
  if (get === undefined) return;
  const replacement = readsNativeMember(
    {
      get(this: unknown) {
        return call(get, this);
      },
    }.get,
    accessorName ?? get.name,
  );
  Object.defineProperty(target, name, { ...property, get: replacement });
}

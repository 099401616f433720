/**
 * The registry behind native-code text (runtime/native-code.ts reads it when Worker code calls
 * Function.prototype.toString): which of durasim's stand-in functions read as which of the
 * runtime's built-in functions. Here, below every layer that defines API members (storage's
 * interfaces through webidl.ts, the runtime's), so each registers its own stand-ins.
 */
import { processShared } from "./process-shared.js";

// Shared by every copy of durasim in the process (installNativeText replaces toString once).
const names = processShared<WeakMap<Function, string>>("nativeCode", () => new WeakMap<Function, string>());

/** Registers `stand` as the runtime's built-in function `name` ("" for an accessor or a
 * symbol-keyed member, which the runtime leaves unnamed); returns it. */
export function readsNative<F extends Function>(stand: F, name: string): F {
  names.set(stand, name);
  return stand;
}

/**
 * Gives each member function `owner` holds (a class's statics, its prototype's methods and
 * accessors; durasim's own functions, as only Worker code's classes have them) the runtime's
 * shape: its name (memberName; accessors are unnamed), length 0 and native text. Returns `owner`.
 */
export function readsNativeMembers<T extends object>(owner: T): T {
  for (const key of Reflect.ownKeys(owner)) {
    if (key === "constructor") continue;
    const descriptor = Object.getOwnPropertyDescriptor(owner, key)!;
    const functions: [Function | undefined, PropertyKey][] = [[typeof descriptor.value === "function" ? descriptor.value : undefined, key], [descriptor.get, ""], [descriptor.set, ""]];
    for (const [f, as] of functions) {
      if (f === undefined) continue;
      Object.defineProperty(f, "length", { value: 0, configurable: true });
      readsNativeMember(f, as);
    }
  }
  return owner;
}

/** The built-in name `f` reads as, if it is a registered stand-in. */
export function nativeName(f: Function): string | undefined {
  return names.get(f);
}

/** The name the runtime gives the member function at `key`: the key, or "" for a symbol-keyed
 * member (where V8 would name it "[Symbol.dispose]"). */
export function memberName(key: PropertyKey): string {
  return typeof key === "symbol" ? "" : String(key);
}

/** Gives `fn`, the member function at `key`, the runtime's name (memberName) and native text;
 * returns it. */
export function readsNativeMember<F extends Function>(fn: F, key: PropertyKey): F {
  const name = memberName(key);
  if (fn.name !== name) Object.defineProperty(fn, "name", { value: name, configurable: true });
  return readsNative(fn, name);
}

/** Registers `f` as `name` unless it already reads as some name: a function shared by two keys
 * (Node's FormData `entries` is also its Symbol.iterator) reads as the first one. */
function keepFirst(f: Function, name: string): void {
  if (!names.has(f)) names.set(f, name);
}

/** Registers the member functions `owner` holds (methods under memberName, accessors as ""). */
function readsNativeOwnMembers(owner: object): void {
  for (const key of Reflect.ownKeys(owner)) {
    const descriptor = Object.getOwnPropertyDescriptor(owner, key)!;
    if (typeof descriptor.value === "function" && key !== "constructor") keepFirst(descriptor.value, memberName(key));
    if (descriptor.get !== undefined) keepFirst(descriptor.get, "");
    if (descriptor.set !== undefined) keepFirst(descriptor.set, "");
  }
}

/**
 * Registers a host class the runtime has as a built-in (Node's ReadableStream, Blob, ...) as
 * native: the class and the classes it extends under their names, their statics, and every
 * member along its prototype chain below Object.prototype. Whatever was registered before keeps
 * its name.
 */
export function readsNativeClass(Class: Function): void {
  for (let c: unknown = Class; typeof c === "function" && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    keepFirst(c, c.name);
    readsNativeOwnMembers(c);
  }
  for (let p: unknown = Class.prototype; typeof p === "object" && p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    readsNativeOwnMembers(p);
  }
}

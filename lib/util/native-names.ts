/**
 * The registry behind native-code text (runtime/native-code.ts reads it when Worker code calls
 * Function.prototype.toString): which of durasim's stand-in functions read as which of the
 * runtime's built-in functions. Here, below every layer that defines API members (storage's
 * interfaces through webidl.ts, the runtime's), so each registers its own stand-ins.
 */

// Shared by every copy of durasim in the process (installNativeText replaces toString once).
const NAMES_KEY = Symbol.for("durasim.nativeCode");
const global = globalThis as unknown as Record<symbol, WeakMap<Function, string> | undefined>;
const names = (global[NAMES_KEY] ??= new WeakMap<Function, string>());

/** Registers `stand` as the runtime's built-in function `name` ("" for an accessor or a
 * symbol-keyed member, which the runtime leaves unnamed); returns it. */
export function readsNative<F extends Function>(stand: F, name: string): F {
  names.set(stand, name);
  return stand;
}

/** Registers each function `owner` holds as an own data property (a class's static and
 * prototype methods) under its key; returns `owner`. */
export function readsNativeMembers<T extends object>(owner: T): T {
  for (const key of Object.getOwnPropertyNames(owner)) {
    const value = Object.getOwnPropertyDescriptor(owner, key)?.value as unknown;
    if (typeof value === "function" && key !== "constructor") readsNative(value, key);
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

import { runsEmulatedCode } from "./code-context.js";

/**
 * What Worker and object code reads when it turns one of the runtime's built-in functions into
 * text: `String(Headers)` is "function Headers() { [native code] }" there. durasim stands in for
 * many of them with functions of its own (a Proxy of Node's class, a subclass, a method that
 * words refusals as the runtime does), whose text would be durasim's source, or "function () {
 * [native code] }" for a Proxy. Each stand-in is registered here with the name the runtime's
 * function has, and Function.prototype.toString reads it as native code to emulated code.
 * Invariant: test code reads every function as Node does; the replaced toString itself reads
 * as native code to everyone, as Node's own does.
 */

// Shared by every copy of durasim in the process (installHostApis replaces toString once).
const NAMES_KEY = Symbol.for("durasim.nativeCode");
const global = globalThis as unknown as Record<symbol, WeakMap<Function, string> | undefined>;
const names = (global[NAMES_KEY] ??= new WeakMap<Function, string>());

/** Registers `stand` as the runtime's built-in function `name`; returns it. */
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

/** Replaces Function.prototype.toString with one that reads registered functions as native code. */
export function installNativeText(): void {
  const original = Function.prototype.toString;
  const replacement = readsNative(
    {
      toString(this: unknown): string {
        const name = typeof this === "function" ? names.get(this) : undefined;
        if (name !== undefined && (this === replacement || runsEmulatedCode())) return `function ${name}() { [native code] }`;
        return Reflect.apply(original, this, []) as string;
      },
    }.toString,
    "toString",
  );
  Object.defineProperty(Function.prototype, "toString", { ...Object.getOwnPropertyDescriptor(Function.prototype, "toString"), value: replacement });
}

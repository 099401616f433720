import { nativeName, readsNative } from "../util/native-names.js";
import { runsEmulatedCode } from "./code-context.js";

/**
 * What Worker and object code reads when it turns one of the runtime's built-in functions into
 * text: `String(Headers)` is "function Headers() { [native code] }" there. durasim stands in for
 * many of them with functions of its own (a Proxy of Node's class, a subclass, a method that
 * words refusals as the runtime does), whose text would be durasim's source, or "function () {
 * [native code] }" for a Proxy. Each stand-in is registered (util/native-names.ts) with the
 * name the runtime's function has, and Function.prototype.toString reads it as native code to emulated code.
 * Invariant: test code reads every function as Node does; the replaced toString itself reads
 * as native code to everyone, as Node's own does.
 */

/** Replaces Function.prototype.toString with one that reads registered functions as native code. */
export function installNativeText(): void {
  const original = Function.prototype.toString;
  const replacement = readsNative(
    {
      toString(this: unknown): string {
        const name = typeof this === "function" ? nativeName(this) : undefined;
        if (name !== undefined && (this === replacement || runsEmulatedCode())) return `function ${name}() { [native code] }`;
        return Reflect.apply(original, this, []) as string;
      },
    }.toString,
    "toString",
  );
  Object.defineProperty(Function.prototype, "toString", { ...Object.getOwnPropertyDescriptor(Function.prototype, "toString"), value: replacement });
}

import { nativeName, readsNativeToEveryone, readsNativeToTests } from "../util/native-names.js";
import { runsEmulatedCode } from "./code-context.js";

/**
 * What Worker and object code reads when it turns one of the runtime's built-in functions into
 * text: `String(Headers)` is "function Headers() { [native code] }" there. durasim stands in for
 * many of them with functions of its own (a Proxy of Node's class, a subclass, a method that
 * words refusals as the runtime does), whose text would be durasim's source, or "function () {
 * [native code] }" for a Proxy. Each stand-in is registered (util/native-names.ts) with the
 * name the runtime's function has, and Function.prototype.toString reads it as native code to emulated code.
 * Invariant: test code reads every function as Node does; the replaced toString itself, and a
 * stand-in that took the place of Node's own function for all code (WebAssembly.Module), read
 * as native code to everyone, as Node's own do.
 */

/**
 * Replaces the Function.prototype.toString of `RealmFunction`'s realm (Node's own by default)
 * with one that reads registered functions as native code; once per realm.
 */
export function installNativeText(RealmFunction: FunctionConstructor = Function): void {
  const prototype = RealmFunction.prototype;
  if (readsNativeToTests(prototype.toString)) return;
  const original = prototype.toString;
  const replacement = readsNativeToEveryone(
    {
      toString(this: unknown): string {
        const name = typeof this === "function" ? nativeName(this) : undefined;
        if (name !== undefined && (readsNativeToTests(this as Function) || runsEmulatedCode())) return `function ${name}() { [native code] }`;
        return Reflect.apply(original, this, []) as string;
      },
    }.toString,
    "toString",
  );
  Object.defineProperty(prototype, "toString", { ...Object.getOwnPropertyDescriptor(prototype, "toString"), value: replacement });
}

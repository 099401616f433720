/**
 * The error classes of a realm Worker code runs in (the Jest preset's: the test file's vm
 * context), recognising the process realm's errors as their instances.
 *
 * In workerd, Worker code, the tests and the globals share one realm, so what a global throws or
 * rejects with is an instance of the code's own `Error` and `TypeError`. Under Jest the globals
 * the preset puts in the test file's realm (URL, Request, Headers, atob, structuredClone,
 * TextDecoder, crypto.subtle, fetch and the rest) are durasim's or Node's, made in the process's
 * realm, as are the Node built-ins that realm has as they are (crypto, AbortSignal, TextEncoder):
 * every one of their constructors, methods, getters and rejections fails with the process's
 * errors, which `catch (e) { if (e instanceof TypeError) ... }` in Worker code missed.
 *
 * `instanceof` is the one point all of those errors pass: the realm's `Error` gets a
 * `Symbol.hasInstance` (inherited by its subclasses, the realm's and the code's own) that also
 * asks the process's class of the same name. Wrapping each global instead cannot keep the
 * runtime's classes whole: their prototypes are shared with durasim's own realm (a wrapped
 * `Headers.prototype.get` would cost durasim's own calls and change the errors its own code
 * catches), per-realm copies would leave what durasim makes outside the test file's classes, a
 * DOMException's prototype chain ends at the process's `Error.prototype` whatever adopts it, and
 * no wrapper sees what Node's built-ins throw. So an error keeps its own prototype (its
 * `constructor` is the process's class): `instanceof`, and with it Jest's `toThrow(TypeError)`,
 * `toBeInstanceOf()` and `expect.any()`, hold; `e.constructor === TypeError` does not.
 */

/** The error classes the process's realm and a vm context both have. */
const ERROR_CLASSES = [
  "Error", "EvalError", "RangeError", "ReferenceError", "SyntaxError", "TypeError", "URIError", "AggregateError", "SuppressedError",
] as const;

const ordinaryHasInstance = Function.prototype[Symbol.hasInstance];

/** Has `global`'s error classes count the process realm's errors of their kind as instances. */
export function recognizeProcessErrors(global: typeof globalThis): void {
  const own = globalThis as unknown as Record<string, unknown>;
  const theirs = global as unknown as Record<string, unknown>;
  /** Each of the realm's error classes, with the process's class of the same name. */
  const counterparts = new Map<unknown, unknown>();
  for (const name of ERROR_CLASSES) {
    if (typeof theirs[name] === "function" && typeof own[name] === "function" && theirs[name] !== own[name]) counterparts.set(theirs[name], own[name]);
  }
  if (!counterparts.has(theirs.Error)) return;
  const recognizing = {
    [Symbol.hasInstance](this: unknown, value: unknown): boolean {
      if (ordinaryHasInstance.call(this, value)) return true;
      const processClass = counterparts.get(this);
      return processClass !== undefined && ordinaryHasInstance.call(processClass, value);
    },
  };
  // Not writable nor enumerable, as Function.prototype's own; configurable, so a test can take it off.
  Object.defineProperty(theirs.Error, Symbol.hasInstance, { value: recognizing[Symbol.hasInstance], configurable: true });
}

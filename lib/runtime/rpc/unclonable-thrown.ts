import { types } from "node:util";
import { codeGlobal } from "../../util/code-realm.js";

/**
 * What the caller of an object gets when the value the object threw cannot be copied (it holds a
 * function, a symbol, a class instance, a getter that throws): an error rebuilt from the value's
 * one-line description, as the runtime tunnels an exception it cannot serialise.
 *
 * Invariant: never throws. The description is the one V8 gives a value without running any of
 * its code (data properties only: an accessor or a proxy reads as absent): an error reads as
 * "name: message", an ordinary object as "#<Constructor>", anything else as "[object Tag]". A
 * description that starts with a built-in error type's name ("TypeError: m", or the name alone)
 * becomes that type with the rest as message; any other is an `Error` whose message is the whole
 * description. Before describing it, the runtime reads the value's `stack`, `name` and `message`
 * as ordinary reads: a getter or a proxy trap that throws there leaves the call unanswered, which
 * its caller sees as "Promise will never complete." (the object lives on).
 */

/** Error types the runtime recognises at the head of a description. */
const TUNNELED_TYPES = ["Error", "TypeError", "RangeError", "SyntaxError", "ReferenceError", "EvalError", "URIError", "AggregateError"] as const;

const NEVER_COMPLETES = "Promise will never complete.";

export function unclonableThrown(thrown: object): Error {
  if (!["stack", "name", "message"].every((key) => readable(thrown, key))) return new Error(NEVER_COMPLETES);
  return fromDescription(describe(thrown));
}

/** Whether an ordinary read of `key` succeeds. V8 writes a native stack's text on its first read,
 * running the error's `toString` under Node (a `name` or `message` getter, which may throw), where
 * the runtime's V8 writes a placeholder instead: only the value's own code failing counts (a
 * `stack` accessor it defined, a proxy's trap). */
function readable(value: object, key: string): boolean {
  try {
    Reflect.get(value, key);
    return true;
  } catch {
    return key === "stack" && !types.isProxy(value) && !definesAccessor(value, key);
  }
}

/** Whether `key` is an accessor the value's code defined, on it or along its prototypes: not
 * V8's own (a native stack is an accessor of native functions from Node 22 on; before, reading
 * its descriptor writes its text, and may fail: that one is V8's too). */
function definesAccessor(value: object, key: string): boolean {
  try {
    for (let o: object | null = value; o !== null; o = Object.getPrototypeOf(o) as object | null) {
      if (types.isProxy(o)) return true;
      const own = Object.getOwnPropertyDescriptor(o, key);
      if (own !== undefined) return own.get !== undefined && !isNative(own.get);
    }
    return false;
  } catch {
    return false;
  }
}

function fromDescription(description: string): Error {
  for (const type of TUNNELED_TYPES) {
    if (description !== type && !description.startsWith(`${type}: `)) continue;
    const message = description.slice(type.length + 2);
    if (type !== "AggregateError") return new globalThis[type](message);
    // The runtime's rebuilt AggregateError has no `errors` of its own: the description had none.
    const aggregate: Partial<AggregateError> = new AggregateError([], message);
    delete aggregate.errors;
    return aggregate as AggregateError;
  }
  return new Error(description);
}

function isNative(fn: () => unknown): boolean {
  return Function.prototype.toString.call(fn).endsWith("{ [native code] }");
}

/** V8's side-effect-free description of an object (see the invariant above). */
function describe(value: object): string {
  if (typeof value === "function") return Function.prototype.toString.call(value);
  const toString = dataProperty(value, "toString");
  if (types.isNativeError(value) || isIntrinsic(toString, (g) => g.Error.prototype.toString)) return describeError(value);
  if (isIntrinsic(toString, (g) => g.Object.prototype.toString)) {
    const ctor = dataProperty(value, "constructor");
    const name = typeof ctor === "function" ? dataProperty(ctor, "name") : undefined;
    if (typeof name === "string" && name !== "") return `#<${name}>`;
  }
  const tag = dataProperty(value, Symbol.toStringTag);
  return `[object ${typeof tag === "string" ? tag : builtinTag(value)}]`;
}

function describeError(value: object): string {
  const name = dataProperty(value, "name");
  const message = dataProperty(value, "message");
  const n = typeof name === "string" ? name : "Error";
  const m = typeof message === "string" ? message : "";
  if (n === "") return m;
  if (m === "") return n;
  return `${n}: ${m}`;
}

/** A property's value found along the prototype chain without running code: an accessor, or a
 * proxy on the way, reads as undefined. */
function dataProperty(value: object, key: PropertyKey): unknown {
  for (let o: object | null = value; o !== null; o = Object.getPrototypeOf(o) as object | null) {
    if (types.isProxy(o)) return undefined;
    const own = Object.getOwnPropertyDescriptor(o, key);
    if (own !== undefined) return "value" in own ? own.value : undefined;
  }
  return undefined;
}

/** Whether `fn` is the built-in that `pick` names, of durasim's realm or of Worker code's. */
function isIntrinsic(fn: unknown, pick: (g: typeof globalThis) => unknown): boolean {
  return fn !== undefined && (fn === pick(globalThis) || fn === pick(codeGlobal()));
}

/** The class name V8 falls back to when an object names no tag of its own. */
function builtinTag(value: object): string {
  if (Array.isArray(value)) return "Array";
  if (types.isNativeError(value)) return "Error";
  if (types.isDate(value)) return "Date";
  if (types.isRegExp(value)) return "RegExp";
  return "Object";
}

import { types } from "node:util";

/**
 * How a write refused by an RPC proxy (stubs, RPC promises and properties, Fetchers) reads to
 * the code that tried it: as the same write refused by one of the runtime's objects, which are
 * native objects, not proxies. A proxy trap can only answer false, which V8 words for a proxy
 * ("'set' on proxy: trap returned falsish for property 'x'"); for a native object it words the
 * operation ("Cannot assign to read only property 'x' of ..."). The Reflect functions answer
 * false either way, so a trap reached from one of them answers false; any other caller (an
 * assignment, `delete`, Object.freeze, Object.defineProperty, Object.assign, a `__proto__`
 * setter) gets V8's TypeError for a native object. Worker code is modules, hence strict, where a
 * failed assignment or `delete` throws (sloppy code would have had false).
 */

/** The builtin that called `trap` (the first frame above it): its receiver's type name and its own name. */
function callerOf(trap: Function): { typeName: string | null; functionName: string | null } | undefined {
  const holder: { stack?: unknown } = {};
  const { prepareStackTrace, stackTraceLimit } = Error;
  try {
    // Structured frames, however the process formats stacks (a source-map hook, a test runner's).
    Error.prepareStackTrace = (_error, frames) => frames;
    Error.stackTraceLimit = 1;
    Error.captureStackTrace(holder, trap);
    const frames = holder.stack as NodeJS.CallSite[] | undefined;
    const frame = Array.isArray(frames) ? frames[0] : undefined;
    return frame === undefined ? undefined : { typeName: frame.getTypeName(), functionName: frame.getFunctionName() };
  } finally {
    Error.prepareStackTrace = prepareStackTrace;
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/** Whether `trap` was reached from a Reflect function, whose callers expect false for a refusal. */
function fromReflect(trap: Function): boolean {
  return callerOf(trap)?.typeName === "Reflect";
}

/** Answers a refusal in `trap`: false to a Reflect function, else a TypeError worded by `message`. */
export function refuse(trap: Function, message: () => string): false {
  if (fromReflect(trap)) return false;
  throw new TypeError(message());
}

/**
 * A `preventExtensions` trap for an object that can never be made non-extensible (the runtime's
 * stubs and RPC promises): V8's words name the builtin that asked.
 */
export function refusePreventExtensions(): false {
  const caller = callerOf(refusePreventExtensions);
  if (caller?.typeName === "Reflect") return false;
  const name = caller?.functionName;
  throw new TypeError(name === "freeze" ? "Cannot freeze" : name === "seal" ? "Cannot seal" : "Cannot prevent extensions");
}

/** V8's words for a refused `delete` of an own non-configurable property of an object of class `className`. */
export function cannotDelete(key: string | symbol, className: string): string {
  return `Cannot delete property '${String(key)}' of #<${className}>`;
}

/** V8's words for a redefinition of a non-configurable property that it refuses. */
export function cannotRedefine(key: string | symbol): string {
  return `Cannot redefine property: ${String(key)}`;
}

/**
 * V8's words for an assignment of `key` refused on `receiver` (of class `className`), found by
 * what `holder`'s chain has for the key: a read-only data property, or an accessor without a
 * setter. Undefined when neither is why (V8's proxy words stand).
 */
export function cannotAssign(holder: object, key: string | symbol, receiver: unknown, className: string): string | undefined {
  for (let at: object | null = holder; at !== null && !types.isProxy(at); at = Reflect.getPrototypeOf(at)) {
    const descriptor = Reflect.getOwnPropertyDescriptor(at, key);
    if (descriptor === undefined) continue;
    if ("value" in descriptor) {
      if (descriptor.writable !== false) return undefined;
      return `Cannot assign to read only property '${String(key)}' of ${typeof receiver === "function" ? "function" : "object"} '#<${className}>'`;
    }
    return descriptor.set === undefined ? `Cannot set property ${String(key)} of #<${className}> which has only a getter` : undefined;
  }
  return undefined;
}

/** V8's words for a prototype that would make a chain a cycle. */
export const CYCLIC_PROTO = "Cyclic __proto__ value";

/**
 * What an RPC proxy answers, read with this key: the identity of the object it stands for (its
 * proxy target), so a prototype chain can be walked through them as through the runtime's
 * native objects.
 */
export const PROXY_IDENTITY = Symbol("rpc proxy identity");

/**
 * Whether giving the object whose identity is `self` the prototype `proto` would close a cycle.
 * V8 walks the new prototype's chain and stops at a proxy; the runtime's stubs are native
 * objects, so the walk goes through durasim's (which answer PROXY_IDENTITY) and stops at others.
 */
export function closesCycle(self: object, proto: object | null): boolean {
  for (let at = proto; at !== null; at = Reflect.getPrototypeOf(at)) {
    if (!types.isProxy(at)) continue;
    const identity = (at as Record<symbol, unknown>)[PROXY_IDENTITY];
    if (identity === self) return true;
    if (typeof identity !== "object" && typeof identity !== "function") return false;
  }
  return false;
}

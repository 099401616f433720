import { types } from "node:util";
import { callSitesAbove } from "../../util/call-sites.js";
import { isRuntimeProxy } from "../../util/webidl.js";

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

/** What the frame above `trap` (the builtin that called it) says of itself. */
interface Caller {
  /** Its receiver's type name: "Reflect" for `Reflect.set(...)`, null for a detached call. */
  typeName: string | null;
  functionName: string | null;
  /** Whether it has no source: a builtin, not Worker code (whose frames name a file and line). */
  builtin: boolean;
}

/** The builtin that called `trap` (the first frame above it). */
function callerOf(trap: Function): Caller | undefined {
  const frame = callSitesAbove(trap, 1)[0];
  if (frame === undefined) return undefined;
  const builtin = frame.getFileName() == null && frame.getLineNumber() === null;
  return { typeName: frame.getTypeName(), functionName: frame.getFunctionName(), builtin };
}

/** The Reflect functions that reach a refusing trap, by the names their frames carry. */
const REFLECT_WRITES = new Set(["set", "defineProperty", "deleteProperty", "preventExtensions", "setPrototypeOf"]);

/**
 * Whether the builtin that reached a trap is a Reflect function, whose callers expect false for
 * a refusal. Called as `Reflect.set(...)` its frame names Reflect; detached (`const { set } =
 * Reflect`, `Reflect.set.call(null, ...)`, `Reflect.apply(Reflect.set, ...)`) it names no
 * receiver, only the function. Object's builtins of the same names name Object (Function on
 * Node 20) unless detached too; a detached Object.defineProperty, Object.preventExtensions or
 * Object.setPrototypeOf is then indistinguishable and answered as Reflect (false), the answer
 * that never throws where the runtime would not.
 */
function fromReflect(caller: Caller | undefined): boolean {
  if (caller === undefined || !caller.builtin) return false;
  if (caller.typeName === "Reflect") return true;
  return caller.typeName === null && caller.functionName !== null && REFLECT_WRITES.has(caller.functionName);
}

/** Answers a refusal in `trap`: false to a Reflect function, else a TypeError worded by `message`. */
export function refuse(trap: Function, message: () => string): false {
  if (fromReflect(callerOf(trap))) return false;
  throw new TypeError(message());
}

/**
 * A `preventExtensions` trap for an object that can never be made non-extensible (the runtime's
 * stubs and RPC promises): V8's words name the builtin that asked.
 */
export function refusePreventExtensions(): false {
  const caller = callerOf(refusePreventExtensions);
  if (fromReflect(caller)) return false;
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
 * Whether giving a proxy the prototype `proto` would close a cycle; `isSelf` tells that proxy
 * (another proxy in the chain is no object's identity but its own). V8 walks the new prototype's
 * chain and stops at a proxy, calling none of its traps. The runtime's stubs are native objects,
 * which its walk goes through: this walk goes on through durasim's registered ones (stubs and
 * Fetchers, see isRuntimeProxy; RPC promises and properties that were given a prototype, see
 * noteOwnPrototype) and stops at any other, touching none: a revoked proxy or a mock whose
 * traps throw is not asked anything. An RPC promise or property with its kind's prototype stops
 * it too: that chain is the runtime's, which leads to no proxy.
 */
export function closesCycle(isSelf: (proxy: object) => boolean, proto: object | null): boolean {
  for (let at = proto; at !== null; at = Reflect.getPrototypeOf(at)) {
    if (!types.isProxy(at)) continue;
    if (isSelf(at)) return true;
    if (!isRuntimeProxy(at) && !reprototyped.has(at)) return false;
  }
  return false;
}

/**
 * The RPC promises and properties that code gave a prototype of their own: the only ones a
 * chain can lead on from to another proxy. Filled when that happens, which is rare, not when a
 * proxy is made (an entry per RPC call would cost more than the call).
 */
const reprototyped = new WeakSet<object>();

/** Records that `proxy`, an RPC promise or property, now has a prototype code gave it. */
export function noteOwnPrototype(proxy: object): void {
  reprototyped.add(proxy);
}

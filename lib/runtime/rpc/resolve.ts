import { DURABLE_OBJECT_BRAND, hasBrand, hasBrandOrProxyOf, RPC_TARGET_BRAND, WORKER_ENTRYPOINT_BRAND } from "../brands.js";
import { runtimeSideError } from "../errors.js";
import { types } from "node:util";
import { isErrorValue } from "../../util/error-kinds.js";
import { madeAsRpcTarget } from "../../util/webidl.js";
import { FORWARD, forwardingRef, type RpcRef } from "./wildcard.js";

/**
 * How the receiving side finds the member an RPC path names, as the runtime's RPC server does.
 * On a Durable Object, a WorkerEntrypoint or an RpcTarget only prototype members count (own instance properties
 * are not reachable, nor is anything on Object.prototype, and an own property hides the prototype
 * member of its name: the runtime then answers as if there were none, as it does for a member whose
 * value is undefined; a Proxy that is an RpcTarget by its prototype, or a Durable Object that is
 * a Proxy, is read through the proxy, its get trap included); on plain objects and functions only
 * own properties do; nothing else (arrays, Maps, primitives) can be walked into, and the error
 * then names the member that produced the value. A stub met on the way takes the rest of the
 * path where it points.
 */

/**
 * Names no step of an RPC path may take, in a call to a Durable Object or a Worker's entrypoint:
 * their event handlers' names and the stubs' own `dup` (a name such as `s.obj.fetch()` is
 * refused however deep it comes, whatever holds it). `constructor` is the class's own.
 */
export const ENTRYPOINT_RESERVED: ReadonlySet<string> = new Set([
  "fetch",
  "connect",
  "alarm",
  "webSocketMessage",
  "webSocketClose",
  "webSocketError",
  "dup",
  "constructor",
]);

/** The same for a call to a function or RpcTarget (or a path pipelined onto a call's result):
 * only `dup`, which the caller's stubs answer themselves. */
export const CAPABILITY_RESERVED: ReadonlySet<string> = new Set(["dup"]);

export function reservedName(name: string): TypeError {
  return new TypeError(`'${name}' is a reserved method and cannot be called over RPC.`);
}

export function notImplemented(name: string): TypeError {
  return new TypeError(`The RPC receiver does not implement the method "${name}".`);
}

/** A call whose target (at `path`, the stub itself when empty) is no function: the runtime
 * names an empty path "(this)". */
export function notAFunction(path: readonly string[]): TypeError {
  return new TypeError(`"${path.length === 0 ? "(this)" : path.join(".")}" is not a function.`);
}

/**
 * The name memberName() found well formed last: a loop calling one method asks about one name,
 * and asking V8 costs a call into its runtime every time (it counts the use of isWellFormed).
 */
let lastWellFormed = "";

/** A name as the receiver reads it: the runtime sends names as USVStrings, each lone surrogate
 * becoming U+FFFD (so `stub["m\uD800"]()` calls `m\uFFFD`, and an error names that). */
function memberName(name: string): string {
  if (name === lastWellFormed) return name;
  if (!name.isWellFormed()) return name.toWellFormed();
  lastWellFormed = name;
  return name;
}

/** A prototype member of a Durable Object or RpcTarget, stopping before Object.prototype. */
export function findPrototypeMember(instance: object, name: string): PropertyDescriptor | undefined {
  // Not cached: tests replace methods on prototypes (vi.spyOn) and must see the replacement.
  for (let proto = Object.getPrototypeOf(instance); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, name);
    if (descriptor) return descriptor;
  }
  return undefined;
}

function isClassReceiver(value: object): boolean {
  // Durable Objects first: every call to one takes this path.
  // An RpcTarget is one by its prototype (a stub wraps whatever inherits one) or by how it was
  // made (an instance whose prototype was since replaced still exposes no own members).
  return hasBrand(value, DURABLE_OBJECT_BRAND) || hasBrandOrProxyOf(value, RPC_TARGET_BRAND) || madeAsRpcTarget(value) || hasBrand(value, WORKER_ENTRYPOINT_BRAND);
}

/** What a step of a path finds besides a member. */
const NOT_WALKABLE = Symbol("not walkable");
const ABSENT = Symbol("absent");
const RESERVED = Symbol("reserved");

/** The member `name` of `value` as the module comment says, or why there is none: a value that
 * cannot be walked into is named first, then a reserved name (`reserved`), before any lookup. */
function step(value: unknown, name: string, reserved: ReadonlySet<string>, asClass: boolean): unknown {
  if (typeof value !== "function" && (typeof value !== "object" || value === null)) return NOT_WALKABLE;
  if (asClass || isClassReceiver(value)) return reserved.has(name) ? RESERVED : classMember(value, name);
  if (typeof value !== "function") {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return NOT_WALKABLE;
  }
  return reserved.has(name) ? RESERVED : ownMember(value, name);
}

/** The member `name` of a Durable Object, WorkerEntrypoint or RpcTarget: its prototype's, or ABSENT. */
function classMember(value: object, name: string): unknown {
  if (name === "constructor") return ABSENT;
  // A name Object.prototype lacks is a prototype member exactly when the chain has it, and
  // reading it there with the instance as receiver gives what its descriptor would: no
  // descriptor is made on this path, which every call to a Durable Object takes.
  if (!(name in Object.prototype)) {
    if (types.isProxy(value)) return proxyMember(value, name);
    const proto = Object.getPrototypeOf(value) as object | null;
    if (proto === null || !(name in proto) || Object.hasOwn(value, name)) return ABSENT;
    return noneIfUndefined(Reflect.get(proto, name, value));
  }
  const descriptor = findPrototypeMember(value, name);
  return descriptor === undefined || Object.hasOwn(value, name) ? ABSENT : noneIfUndefined(read(descriptor, value));
}

/** A class receiver's member whose value is undefined (a prototype value, a getter's answer) is none to the runtime, read or called. */
function noneIfUndefined(member: unknown): unknown {
  return member === undefined ? ABSENT : member;
}

/**
 * The member `name` of a Proxy that is an RpcTarget by its prototype: read through the proxy (its
 * get trap), as the runtime reads it, unless the proxy has it as an own property.
 */
function proxyMember(value: object, name: string): unknown {
  if (Object.hasOwn(value, name)) return ABSENT;
  return noneIfUndefined(Reflect.get(value, name));
}

function ownMember(holder: object, name: string): unknown {
  const descriptor = Object.getOwnPropertyDescriptor(holder, name);
  return descriptor === undefined ? ABSENT : read(descriptor, holder);
}

/**
 * What a getter throws on a path walked from a Durable Object (its own getter, or one of a plain
 * object it gave) reaches the caller as the runtime's own errors do: `remote`, but without the
 * object's id (a method's throw carries it). On a path from an RpcTarget or a function the object
 * returned, a getter throws as their methods do, with the id.
 */
function fromGetter(error: unknown): unknown {
  // Of any realm: Worker code Jest loads throws its test file's errors.
  return typeof error === "object" && error !== null && isErrorValue(error) ? runtimeSideError(error) : error;
}

function read(descriptor: PropertyDescriptor, holder: object): unknown {
  return descriptor.get === undefined ? descriptor.value : descriptor.get.call(holder);
}

/**
 * invokePath for the commonest call: the method `name` of a Durable Object (whose brand the
 * caller has checked) with `args`. The same answers as invokePath's, in fewer steps.
 * `isProxy`: whether the instance is a Proxy, which its owner learnt once as it was constructed
 * (types.isProxy here cost every call about 35 instructions).
 */
export function callClassMethod(instance: object, isProxy: boolean, given: string, args: unknown[], mark: (error: TypeError) => TypeError): unknown {
  const name = memberName(given);
  // Read here, not through forwardingRef(), for the reason dispatchToObject reads its brand itself.
  if ((instance as Record<symbol, unknown>)[FORWARD] !== undefined) return invokePath(instance, [name], args, mark);
  // What classMember answers, read in one step: an ordinary object without an own `name` reads
  // it from its prototype chain with itself as the receiver, as Reflect.get(proto, name,
  // instance) does (which costs several times more). A proxy's traps would see the read
  // differently, so an instance that is one takes classMember's way, as do names
  // Object.prototype has.
  if (name === "constructor" || name in Object.prototype || isProxy || callFunction<boolean>(hasOwnProperty, instance, name)) {
    return callClassMember(instance, name, args, mark);
  }
  const member = readMember(instance, name);
  if (typeof member === "function") return applyMethod(member, instance, args);
  // undefined (absent, or a value or a getter that gave undefined): the runtime says none.
  if (member === undefined) throw mark(notImplemented(name));
  throw mark(notAFunction([name]));
}

/**
 * Object.prototype.hasOwnProperty as loaded (object code may replace it), called directly: through
 * Object.hasOwn it costs a builtin more on every call to a Durable Object (~27 instructions).
 */
const hasOwnProperty = Object.prototype.hasOwnProperty;

/**
 * Function.prototype.call, uncurried once: callFunction(fn, self, ...args) is fn.call(self,
 * ...args) without reading `call` from `fn` (or from Function.prototype, which code may replace)
 * at each use.
 */
const callFunction: <T>(fn: Function, self: unknown, ...args: unknown[]) => T = Function.prototype.bind.call(Function.prototype.call, Function.prototype.call);

/**
 * Reflect.apply(method, self, args) for an array of arguments, the same call. With up to two
 * arguments (most RPC calls) it is a direct call, which V8's optimising compiler makes from a
 * bound call of a known function; Reflect.apply goes through its generic spreading of the array
 * (about 200 instructions a call, on Node 24).
 */
function applyMethod(method: Function, self: object, args: unknown[]): unknown {
  switch (args.length) {
    case 0:
      return callFunction(method, self);
    case 1:
      return callFunction(method, self, args[0]);
    case 2:
      return callFunction(method, self, args[0], args[1]);
    default:
      return Reflect.apply(method, self, args);
  }
}

/** `holder[name]`; what a getter throws reaches the caller as fromGetter says. */
function readMember(holder: object, name: string): unknown {
  try {
    return (holder as Record<string, unknown>)[name];
  } catch (error) {
    throw fromGetter(error);
  }
}

/** callClassMethod the general way (see there), through classMember. */
function callClassMember(instance: object, name: string, args: unknown[], mark: (error: TypeError) => TypeError): unknown {
  let member: unknown;
  try {
    member = classMember(instance, name);
  } catch (error) {
    throw fromGetter(error);
  }
  if (member === ABSENT) throw mark(notImplemented(name));
  if (typeof member !== "function") throw mark(notAFunction([name]));
  return Reflect.apply(member, instance, args);
}

/**
 * The rest of a path, met at a stub, goes on to where the stub points; the names in it are
 * checked here first, as the path's own (conformance "rpc reserved paths: ... a stub met on an
 * object's path").
 */
export function forward(ref: RpcRef, rest: readonly string[], args: unknown[] | undefined, mark: (error: TypeError) => TypeError, reserved: ReadonlySet<string>): Promise<unknown> {
  const refused = rest.find((name) => reserved.has(name));
  if (refused !== undefined) throw mark(reservedName(refused));
  return ref.call(rest, args);
}

/**
 * What the runtime made a path's root as, when it instantiated a class it found to extend
 * DurableObject ("object") or WorkerEntrypoint ("entrypoint"): a class receiver whatever its
 * prototype chain now says (see brands.ts, classHasBrand).
 */
export type ClassRoot = "object" | "entrypoint";

/**
 * Calls the member at `path` of `root` with `args`, or reads it when `args` is undefined.
 * `mark` flags the errors the runtime raises (a Durable Object's own calls carry no id);
 * `reserved` are the names no step may take (ENTRYPOINT_RESERVED or CAPABILITY_RESERVED);
 * `classRoot` says what class the runtime instantiated `root` from, if any; `apply` calls the
 * function found with its holder as `this` (a handler object's member takes env and ctx too).
 */
export function invokePath(
  root: object,
  path: readonly string[],
  args: unknown[] | undefined,
  mark: (error: TypeError) => TypeError = (error) => error,
  reserved: ReadonlySet<string> = CAPABILITY_RESERVED,
  classRoot?: ClassRoot,
  apply: (fn: Function, holder: unknown, args: unknown[]) => unknown = Reflect.apply,
): unknown {
  if (!path.every((name) => name.isWellFormed())) path = path.map(memberName);
  // A function called through its own stub (an empty path) is its own `this`, as in the runtime.
  let holder: unknown = root;
  let member: unknown = root;
  for (let i = 0; i < path.length; i++) {
    const ref = forwardingRef(member);
    if (ref !== undefined) return forward(ref, path.slice(i), args, mark, reserved);
    let found: unknown;
    try {
      found = step(member, path[i]!, reserved, i === 0 && classRoot !== undefined);
    } catch (error) {
      throw classRoot === "object" || hasBrand(root, DURABLE_OBJECT_BRAND) ? fromGetter(error) : error;
    }
    if (found === NOT_WALKABLE) throw mark(notImplemented(path[i === 0 ? 0 : i - 1]!));
    if (found === ABSENT) throw mark(notImplemented(path[i]!));
    if (found === RESERVED) throw mark(reservedName(path[i]!));
    holder = member;
    member = found;
  }
  if (args === undefined) return member;
  if (typeof member !== "function") throw mark(notAFunction(path));
  return apply(member, holder, args);
}

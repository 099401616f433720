/**
 * Web IDL as the runtime applies it to its API objects (workerd's JSG layer): how arguments are
 * converted and refused, and what an API object looks like to reflection. Every surface
 * (storage, transactions, SQL, ids, namespaces, ctx) converts through here, so the same mistake
 * gets the same TypeError everywhere:
 *
 *   - a missing required argument (fewer arguments than its position; an explicit `undefined`
 *     is converted instead): "Failed to execute 'get' on 'DurableObjectStorage': parameter 1
 *     is not of type 'string or Array'.";
 *   - strings convert like a template literal, so a Symbol throws V8's own TypeError;
 *   - dictionaries (options) accept any object or function, and undefined/null as empty; a
 *     primitive is "not of type '<DictionaryName>'"; members are read with [[Get]];
 *   - API objects: methods and getters live on one prototype, enumerable, with length 0; the
 *     constructor cannot be called ("Illegal constructor"); a method called on anything else
 *     throws "Illegal invocation"; Symbol.toStringTag names the interface.
 */
import { types } from "node:util";
import { inCodeRealm, inheritCodeRealmIterators } from "./code-realm.js";
import { type HiddenField, hiddenField } from "./hidden-field.js";
import { memberName, readsNative } from "./native-names.js";
import { processShared } from "./process-shared.js";
import { stackFromCaller } from "./own-frames.js";

/** Where a conversion happens: the interface and operation the runtime's messages name. */
export interface Site {
  readonly iface: string;
  readonly method: string;
}

export function site(iface: string, method: string): Site {
  return { iface, method };
}

export function notOfType(at: Site, position: number, type: string): TypeError {
  return new TypeError(`Failed to execute '${at.method}' on '${at.iface}': parameter ${position} is not of type '${type}'.`);
}

/** The runtime's refusal of a member it declares and does not implement (Cache's `add()`, say): thrown, not a rejection. */
export function methodNotImplemented(at: Site): Error {
  return new Error(`Failed to execute '${at.method}' on '${at.iface}': the method is not implemented.`);
}

/** The same error for an argument of a constructor (`new Response(body, 5)`). */
export function notOfTypeInConstructor(iface: string, position: number, type: string): TypeError {
  return new TypeError(`Failed to construct '${iface}': constructor parameter ${position} is not of type '${type}'.`);
}

/** A constructor's init argument (a dictionary, or an object of the class itself): null and undefined mean none, any object is read as one. */
export function checkInitArgument(init: unknown, iface: string, type: string): void {
  if (init !== undefined && init !== null && !isIdlObject(init)) throw notOfTypeInConstructor(iface, 2, type);
}

/**
 * The runtime's refusal of undefined or null where it requires a dictionary with required
 * members, naming the C++ type `workerd::api::<names...>` as the compiler mangles the name.
 */
export function missingDictionary(...names: string[]): TypeError {
  const nested = ["workerd", "api", ...names].map((name) => `${name.length}${name}`).join("");
  return new TypeError(`Cannot initialize N${nested}E with required members from an undefined or null value.`);
}

/**
 * A dictionary member that must be an object (a Headers, a sequence or a record for `headers`):
 * anything else present, null included, is refused with the runtime's words.
 */
export function checkObjectMember(dictionary: string, member: string, value: unknown, type: string): void {
  if (value === undefined || isIdlObject(value)) return;
  throw memberNotOfType(dictionary, member, type);
}

/** The runtime's refusal of a dictionary's `member` whose value is not of `type`. */
export function memberNotOfType(dictionary: string, member: string, type: string): TypeError {
  return new TypeError(`Incorrect type for the '${member}' field on '${dictionary}': the provided value is not of type '${type}'.`);
}

const ILLEGAL_INVOCATION =
  "Illegal invocation: function called with incorrect `this` reference. See https://developers.cloudflare.com/workers/observability/errors/#illegal-invocation-errors for details.";

export function illegalInvocation(): TypeError {
  return new TypeError(ILLEGAL_INVOCATION);
}

/**
 * Whether the runtime converts `value` to an array (a `kj::Array` argument or member): V8's
 * IsArray(), which an Array subclass's instance passes and a Proxy of an array does not, though
 * Array.isArray() says it is one. Anything else is refused as not of type 'Array'.
 */
export function isRuntimeArray(value: unknown): value is unknown[] {
  return Array.isArray(value) && !types.isProxy(value);
}

/** Whether `value` is of Web IDL's `object` type: any object, functions included. */
export function isIdlObject(value: unknown): value is object {
  return (typeof value === "object" && value !== null) || typeof value === "function";
}

/** Throws unless at least `position` arguments were passed. */
export function requireArgument(at: Site, count: number, position: number, type: string): void {
  if (count < position) throw notOfType(at, position, type);
}

/** DOMString conversion: `String()` for everything but symbols, which throw V8's TypeError. */
export function toIdlString(value: unknown): string {
  return typeof value === "string" ? value : `${value as string}`;
}

/** Whether `value` is an object the runtime converts as a sequence: it has an iterator method. */
export function isSequence(value: unknown): value is Iterable<unknown> {
  return isIdlObject(value) && typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === "function";
}

/**
 * A sequence of string pairs (headers, search params), converted as the runtime converts one:
 * an element that is no sequence is refused in its words, items convert as strings, and a pair
 * of other than two items is refused with `wrongLength` (each interface words it its own way).
 */
export function toPairs(sequence: Iterable<unknown>, wrongLength: string): [string, string][] {
  return Array.from(sequence, (pair) => {
    if (!isSequence(pair)) throw new TypeError("Incorrect type: the provided value is not of type 'Sequence'.");
    const items = Array.from(pair, toIdlString);
    if (items.length !== 2) throw new TypeError(wrongLength);
    return items as [string, string];
  });
}

/** A dictionary argument: the object itself (functions included), or undefined for none. */
export function toDictionary<T extends object>(at: Site, value: unknown, position: number, type: string): Partial<T> | undefined {
  if (value === undefined || value === null) return undefined;
  if (isIdlObject(value)) return value as Partial<T>;
  throw notOfType(at, position, type);
}

/** A callback argument. */
export function toFunction<F extends Function>(at: Site, value: unknown, position: number): F {
  if (typeof value !== "function") throw notOfType(at, position, "function");
  return value as F;
}

/**
 * A 32-bit integer member (e.g. a list limit): unary plus (so BigInt throws V8's TypeError),
 * NaN and infinities become 0, fractions truncate, and finite values outside the range throw.
 */
export function toInt32(value: unknown): number {
  const n = +(value as number);
  if (!Number.isFinite(n)) return 0;
  const int = Math.trunc(n);
  if (int < -0x80000000 || int > 0x7fffffff) {
    throw new TypeError("Value out of range. Must be between -2147483648 and 2147483647 (inclusive).");
  }
  return int === 0 ? 0 : int;
}

/**
 * An unsigned integer argument as the runtime's bindings convert one (`unsigned long`, a port, a
 * length), with their words: a value that is not finite or is negative is refused ("a positive
 * number", or "a positive bigint" for a bigint parameter), one above `max` (when there is one)
 * is out of range, and a fraction is truncated.
 */
export function toUnsignedInteger(value: unknown, max: number | bigint | undefined, type: "number" | "bigint" = "number"): number {
  // Unary plus, as ToNumber: a BigInt given for a number parameter throws V8's TypeError.
  const number = +(value as number);
  if (!Number.isFinite(number)) throw new TypeError("The value cannot be converted because it is not an integer.");
  if (number < 0) throw new TypeError(`The value cannot be converted because it is negative and this API expects a positive ${type}.`);
  // A 64-bit bound is given as a bigint so that it is printed exactly; the value, a double, is
  // compared with it as a double, as the runtime compares (so 2 ** 64 itself passes).
  if (max !== undefined && number > Number(max)) throw new TypeError(`Value out of range. Must be less than or equal to ${max}.`);
  return Math.trunc(number);
}

/** The bound of the runtime's `bigint` parameters: an unsigned 64-bit integer. */
const MAX_UINT64 = 2n ** 64n - 1n;

/**
 * A `bigint` parameter's argument (connect()'s highWaterMark, FixedLengthStream's length), as a
 * number: a BigInt must fit 64 unsigned bits exactly, refused past either end in the runtime's one
 * sentence; anything else converts as a number argument bounded by 2^64 - 1.
 */
export function toUnsigned64(value: unknown): number {
  if (typeof value === "bigint") {
    if (value < 0n || value > MAX_UINT64) {
      throw new TypeError("The value cannot be converted because it is either negative and this API expects a positive bigint, or the value would be truncated.");
    }
    return Number(value);
  }
  return toUnsignedInteger(value, MAX_UINT64, "bigint");
}

/** 2^63 nanoseconds: the runtime's date type is a signed 64-bit nanosecond count. */
const MAX_DATE_NANOS = 2 ** 63;

/**
 * A `Date` argument (setAlarm, getBookmarkForTime): a number or a Date and nothing else,
 * finite, within the 64-bit nanosecond range, in whole milliseconds (truncated).
 */
export function toDate(at: Site, value: unknown, position: number): number {
  let millis: number;
  // types.isDate: a Date from another realm (a test runner's vm context) is a Date too.
  if (types.isDate(value)) millis = value.getTime();
  else if (typeof value === "number") millis = value;
  else throw notOfType(at, position, "date");
  if (!Number.isFinite(millis)) throw new TypeError("The value cannot be converted because it is not a valid Date.");
  const nanos = millis * 1e6;
  if (nanos >= MAX_DATE_NANOS) throw new TypeError("This API doesn't support dates after 2189.");
  if (nanos <= -MAX_DATE_NANOS) throw new TypeError("This API doesn't support dates before 1687.");
  return Math.trunc(millis) || 0;
}

/**
 * On the prototype of each of the runtime's API objects: the DataCloneError message with which
 * storage refuses its instances (the runtime's serialiser knows none of them; those that cross
 * RPC say so differently). A registered symbol, so every loaded copy of durasim agrees.
 */
export const STORAGE_REFUSAL = Symbol.for("durasim.storageRefusal");

/** The runtime's message for an API object of interface `name` that cannot be serialised. */
export function notSerializable(name: string): string {
  return `Could not serialize object of type "${name}". This type does not support serialization.`;
}

/** The runtime's message for an object of type `name` that only RPC can serialise. */
export function serializableOnlyOverRpc(name: string): string {
  return `${name} cannot be serialized in this context.`;
}

/**
 * The runtime's own Proxies that are no functions (Durable Object stubs, Fetchers). Their traps
 * are durasim's, so durasim may use them where it must call no trap of the code's own Proxies:
 * storage asks a Proxy for STORAGE_REFUSAL only when it is one of these or callable (RPC stubs
 * and promises: made on every call, too many to register), so that a Proxy of the code's own (an
 * object, an array) is refused without a call to any of its traps, as the runtime refuses it;
 * and a prototype cycle check walks on through these, as V8 walks through the runtime's native
 * objects. A set, not a map to each target: V8's collector pays far more for a weak entry whose
 * value only its key keeps (about 3 µs a stub, measured, against under 0.5 µs). Kept under a
 * registered symbol, so every loaded copy of durasim agrees.
 */
const runtimeProxies = processShared<WeakSet<object>>("runtimeProxies", () => new WeakSet<object>());

/** Records `proxy` as one of the runtime's own (see runtimeProxies); returns it. */
export function markRuntimeProxy<T extends object>(proxy: T): T {
  runtimeProxies.add(proxy);
  return proxy;
}

/** Whether `proxy` is one of the runtime's own non-callable Proxies (see runtimeProxies). */
export function isRuntimeProxy(proxy: object): boolean {
  return runtimeProxies.has(proxy);
}

/** Whether storage may ask the Proxy `proxy` for STORAGE_REFUSAL (see runtimeProxies). */
export function mayAskProxy(proxy: object): boolean {
  return typeof proxy === "function" || runtimeProxies.has(proxy);
}

/**
 * Objects storage refuses one by one, with why: those the runtime makes as its own kind though
 * their class is the code's (an RpcTarget subclass's instances, which RPC sends as stubs by it).
 * An object that merely inherits the same prototype (`Object.create`) is ordinary data, as it is
 * to the runtime's serialiser, which knows its own objects by their internal fields. A hidden
 * field (util/hidden-field.ts), not a WeakMap: every Durable Object enters it, and a WeakMap
 * entry cost about 50 bytes of heap an object, besides V8's malloc'd record of a young key
 * entered into an old table. The field's accessors are kept under a registered symbol so
 * every loaded copy of durasim reads the same field.
 */
const refusedInstances = processShared<HiddenField<string>>("refusedInstanceField", () => hiddenField<string>());

/** Marks `instance` as refused by storage with `message` (see refusedInstances). */
export function refuseInstanceInStorage(instance: object, message: string): void {
  refusedInstances.set(instance, message);
}

/** Why storage refuses `value` itself (see refusedInstances), if it does; calls no trap of a Proxy. */
export function instanceRefusal(value: object): string | undefined {
  return refusedInstances.get(value);
}

/** The runtime's refusal of a callback's result where its WebIDL type is a Promise and the result is none. */
export const CALLBACK_RESULT_NOT_PROMISE = "Callback returned incorrect type; expected 'Promise'";

/** Storage's refusal of an RpcTarget, a reference to live code. */
export const REMOTE_REFERENCE_REFUSAL = "Remote RPC references can only be serialized for RPC.";

/**
 * Whether the runtime made `value` as an RpcTarget (an instance of an RpcTarget class, whatever
 * its prototype became since): what RPC sends as a stub. An object that only inherits an
 * RpcTarget class's prototype is not one; a Proxy is told by its prototype instead. Calls no trap.
 */
export function madeAsRpcTarget(value: object): boolean {
  return refusedInstances.get(value) === REMOTE_REFERENCE_REFUSAL;
}

/** Marks `proto`'s instances as refused by storage with `message`. */
export function refuseInStorage(proto: object, message: string): void {
  Object.defineProperty(proto, STORAGE_REFUSAL, { value: message, configurable: true });
}

/**
 * Gives `cls` the runtime's API-object shape, in place: every method and getter of its
 * prototype becomes enumerable with length 0 and checks its receiver with `isInstance`
 * ("Illegal invocation"), Symbol.toStringTag names the interface, and `constructor` is a
 * function named `name` that always throws "Illegal constructor" (durasim still constructs
 * instances through `cls` itself). An `iterator` interface's prototype inherits from
 * %IteratorPrototype% (and so, on current Node, the iterator helpers). Like the runtime's
 * API objects, its instances cannot be stored (see STORAGE_REFUSAL; `storageRefusal` words it
 * for the few that cross RPC). Returns the public constructor; `instanceof` works with it.
 */
export function defineInterface(
  cls: Function,
  name: string,
  isInstance: (value: unknown) => boolean,
  {
    iterator = false,
    storageRefusal = notSerializable(name),
    order = [],
  }: { iterator?: boolean; storageRefusal?: string; order?: readonly string[] } = {},
): Function {
  const proto = cls.prototype as object;
  refuseInStorage(proto, storageRefusal);
  // The runtime's iterators (cursors' rows, kv.list()) inherit %IteratorPrototype%: the code realm's.
  if (iterator) inheritCodeRealmIterators(proto);
  checkReceivers(proto, isInstance, { enumerable: true });
  tagInterface(proto, name);
  const publicConstructor = illegalConstructor(name);
  publicConstructor.prototype = proto;
  Object.defineProperty(proto, "constructor", { value: publicConstructor, writable: true, configurable: true, enumerable: false });
  arrangeMembers(proto, order);
  return publicConstructor;
}

/** Symbol.toStringTag of an interface's prototype, as the runtime defines it: writable and
 * configurable, not enumerable. */
export function tagInterface(proto: object, name: string): void {
  Object.defineProperty(proto, Symbol.toStringTag, { value: name, writable: true, configurable: true, enumerable: false });
}

/** Makes `proto`'s members `keys` enumerable, as an interface's members are (a class's are not). */
export function enumerateMembers(proto: object, keys: readonly string[]): void {
  for (const key of keys) Object.defineProperty(proto, key, { ...Object.getOwnPropertyDescriptor(proto, key)!, enumerable: true });
}

/**
 * Lays out `proto`'s own keys in the order the runtime's prototypes have them (what
 * Object.getOwnPropertyNames and Reflect.ownKeys show): the interface's members in `order`
 * (its declaration order; members it does not name follow, in their current order), then
 * `constructor`, then Symbol.toStringTag, then the other symbol-keyed members
 * (Symbol.iterator, Symbol.dispose).
 */
export function arrangeMembers(proto: object, order: readonly string[] = []): void {
  const keys = Reflect.ownKeys(proto);
  const unknown = order.filter((key) => !keys.includes(key));
  if (unknown.length > 0) throw new Error(`durasim internal: no member ${unknown.join(", ")} to arrange`);
  const rank = (key: PropertyKey) => {
    if (key === "constructor") return order.length + 1;
    if (key === Symbol.toStringTag) return order.length + 2;
    if (typeof key === "symbol") return order.length + 3;
    const at = order.indexOf(String(key));
    return at === -1 ? order.length : at;
  };
  // Array.prototype.sort is stable: unnamed members and symbols keep their relative order.
  for (const key of [...keys].sort((a, b) => rank(a) - rank(b))) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, key)!;
    delete (proto as Record<PropertyKey, unknown>)[key];
    Object.defineProperty(proto, key, descriptor);
  }
}

/**
 * Fields the runtime gives an API object as its own properties (an event's `data`, a queue
 * message's `body`, a WebSocketPair's ends): enumerable, configurable, read-only, in order.
 */
export function defineReadOnlyFields(target: object, fields: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(fields)) Object.defineProperty(target, key, { value, enumerable: true, configurable: true });
}

/** A function named `name` (length 0) that refuses to be called or constructed. */
export function illegalConstructor(name: string): Function {
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) throw new Error(`durasim internal: ${name} is not an interface name`);
  // The name must be the function's own (literal) name: V8 describes objects in its messages
  // ("Cannot assign to read only property 'x' of object '#<Name>'") by that name, which a
  // computed key or a redefined `name` property does not set. Strict, as a class is: no own
  // `arguments` or `caller`.
  const constructor = new Function(`"use strict"; return function ${name}() { throw new TypeError("Illegal constructor"); };`)() as Function;
  return readsNative(constructor, name);
}

/**
 * Puts each method and accessor of `proto` (all but `constructor`) behind a receiver check, as
 * the runtime's members are: called on anything `isInstance` refuses (a detached call, another
 * object, the prototype itself), they throw its "Illegal invocation" TypeError, never an
 * implementation's error. Data members are left as they are. With `enumerable`, the
 * string-keyed members it checks become enumerable, as an interface's members are (symbol-keyed
 * ones, such as Symbol.iterator, stay hidden, as the runtime defines them).
 */
export function checkReceivers(proto: object, isInstance: (value: unknown) => boolean, { enumerable = false } = {}): void {
  for (const key of Reflect.ownKeys(proto)) {
    if (key === "constructor") continue;
    const descriptor = Object.getOwnPropertyDescriptor(proto, key)!;
    if (enumerable && typeof key === "string") descriptor.enumerable = true;
    if (typeof descriptor.value === "function") {
      Object.defineProperty(proto, key, { ...descriptor, value: checked(descriptor.value, isInstance, memberName(key)) });
    } else if (descriptor.get !== undefined || descriptor.set !== undefined) {
      // The runtime's accessors are unnamed: `name` "", not "get x".
      Object.defineProperty(proto, key, {
        ...descriptor,
        get: descriptor.get && checked(descriptor.get, isInstance, ""),
        set: descriptor.set && checked(descriptor.set, isInstance, ""),
      });
    }
  }
}

/**
 * The receiver check (for checkReceivers) of a host class whose brand only its own members can
 * tell (Node's private fields): what its `getter`, one that refuses any other object and the
 * prototype itself, reads without throwing.
 */
export function acceptedBy(getter: Function): (value: unknown) => boolean {
  return (value) => {
    if (!isIdlObject(value)) return false;
    try {
      Reflect.apply(getter, value, []);
      return true;
    } catch {
      return false;
    }
  };
}

/**
 * `fn` behind a receiver check, with length 0 and the runtime's name for the member (`name`);
 * a method, so, as the runtime's members, no constructor and without a `prototype`, and its
 * text is native code's. What it throws is of Worker
 * code's realm (code-realm.ts), as its asynchronous errors are: under Jest, Worker code's
 * `catch (e) { if (e instanceof TypeError) ... }` around `idFromString()` and a test's
 * `toThrow(TypeError)` see their own TypeError, as in workerd's one global scope.
 */
function checked(fn: Function, isInstance: (value: unknown) => boolean, name: string): (this: unknown) => unknown {
  const named = {
    [name](this: unknown) {
      if (!isInstance(this)) throw inCodeRealm(illegalInvocation());
      try {
        // `arguments`, not a rest parameter: forwards the exact count without copying.
        return Reflect.apply(fn, this, arguments);
      } catch (error) {
        stackFromCaller(error, wrapper);
        throw inCodeRealm(error);
      }
    },
  };
  const wrapper = named[name as keyof typeof named];
  Object.defineProperty(wrapper, "length", { value: 0 });
  return readsNative(wrapper, name);
}

import { types } from "node:util";
import { newRequired } from "../../util/construct-only.js";
import { arrangeMembers, illegalInvocation, tagInterface } from "../../util/webidl.js";
import { readsNative, readsNativeMember } from "../../util/native-names.js";
import { isIndexKey } from "../../util/array-index.js";
import { FORWARD } from "../brands.js";
import { rpcNameDescriptor } from "./wildcard-attributes.js";
import { CYCLIC_PROTO, cannotAssign, cannotDelete, cannotRedefine, closesCycle, noteOwnPrototype, refuse, refusePreventExtensions } from "./native-refusals.js";

/**
 * The shape every RPC proxy shares (stubs, RPC promises, property paths), as the runtime's
 * wildcard objects have it: names found on the object's local prototype chain (its class's
 * members, then Object.prototype's) are local; array-index keys and symbols are never RPC
 * names; `then` is local or absent; every other string is a fresh RPC path on each read. The
 * proxies are callable (typeof "function") but have no own keys and are not Functions.
 *
 * Otherwise they are ordinary objects, as the runtime's are (its wildcard only answers names
 * nothing else has): code may give one own properties (a test spying on a member assigns one),
 * delete them, and swap its prototype; what it writes wins over the wildcard. Writes go to an
 * ordinary object made at the first one (its prototype the proxy's), so reads keep ordinary
 * semantics (setters up the chain, `__proto__` included). Like the runtime's, they cannot be
 * made non-extensible, and a write they refuse reads as the runtime's refusal (native-refusals).
 */

/** Something calls can be sent to: a stub's handle, a Durable Object, or a pending result. */
export interface RpcRef {
  /** Calls the member at `path` with `args`, or reads it when `args` is undefined. */
  call(path: readonly string[], args: unknown[] | undefined): Promise<unknown>;
  /**
   * Calls the member at `path` with `args`: its pending result, what the call's RPC promise
   * holds. For a ref whose call is an object that can be its own pending result (a Durable
   * Object's: see Call in stub.ts), saving the wrapper call() needs (see promises.ts).
   */
  callForResult?(path: readonly string[], args: unknown[]): PendingResult;
  /** The Durable Object the calls reach, named in errors the runtime raises there. */
  readonly durableObjectId?: string;
}

/**
 * A call's result as its RPC promise holds it: the calls pipelined on it wait for its
 * `promise`, then go where the result points (see promises.ts). Only that RPC promise holds it,
 * so it is the promise's binding too (see wildcardOf): its `state` is itself.
 */
export interface PendingResult extends RpcRef, ProxyBinding<PendingResult> {
  readonly promise: Promise<unknown>;
  /** Whether the RPC promise was disposed (calls pipelined on it from then on fail). */
  disposed: boolean;
  /** Disposes the result's stubs once it arrives. */
  dispose(): void;
}

/** What distinguishes one kind of proxy from another. */
export interface WildcardKind<State> {
  /** The local members (also what Object.getPrototypeOf shows). */
  readonly proto: object;
  /** The class V8 names the runtime's objects of this kind by in its errors ("#<RpcStub>"). */
  readonly className: string;
  /** Whether `then` is a local member (promises, property paths) or absent (stubs). */
  readonly thenable: boolean;
  /** The RPC path for a name that is not local. */
  wildcard(state: State, name: string): unknown;
  /** Calling the proxy itself. */
  call(state: State, args: unknown[]): unknown;
  /** For stubs: where a path pipelined through the stub continues. */
  forward?(state: State): RpcRef;
}

/** Read a proxy's state and kind; module-private, so user code cannot reach them. */
const STATE = Symbol("rpc proxy state");
const KIND = Symbol("rpc proxy kind");
/** On a proxy's target: the object holding what code wrote to the proxy, once it wrote. */
const WRITTEN = Symbol("rpc proxy writes");

/**
 * A proxy's target: a function bound to a ProxyBinding, which calling returns (the proxy's state
 * and the proxy, read from it as fields). (A bound function keeps its `this` in itself: 48 bytes,
 * where an arrow function with the state and kind set on it takes 96, its two properties going
 * into a property array of their own; every RPC call makes two proxies.) Bound to an ordinary
 * function, it is a constructor (with no `prototype` of its own), so `new` on the proxy reaches
 * its `construct` trap: the runtime's wildcards answer `new` as a call.
 */
interface ProxyTarget<State> {
  (): ProxyBinding<State>;
  [WRITTEN]?: object;
}

/**
 * What a target is bound to: the state, and the proxy once made. The proxy is kept here rather
 * than registered anywhere (a WeakMap entry per RPC call cost several times the call itself) or
 * set on the target (a property added to a bound function costs a quarter of a call). A state
 * made for one proxy alone can be its own binding (see wildcardOf).
 */
export interface ProxyBinding<State> {
  readonly state: State;
  proxy: Function | undefined;
}

/** The binding of a state that is not its own (one proxies may share, such as a stub's method path). */
class StateBinding<State> implements ProxyBinding<State> {
  proxy: Function | undefined = undefined;
  constructor(readonly state: State) {}
}

function bindingOfThis<State>(this: ProxyBinding<State>): ProxyBinding<State> {
  return this;
}

/** A kind with the proxy handler its proxies share, which knows the kind (see wildcardKind). */
export interface ProxyKind<State> extends WildcardKind<State> {
  readonly handler: ProxyHandler<ProxyTarget<State>>;
}

/**
 * Names past this many get a path of their own on every read, so names read once each (a
 * test's odd member names) cannot grow the shared paths without bound.
 */
const SHARED_PATHS = 1024;
const sharedPaths = new Map<string, readonly string[]>();

/**
 * The path of one name, the same array for every read of that name (a new one per read was 56
 * bytes of every RPC call's garbage). Paths are never written to, only read and copied.
 */
export function pathOf(name: string): readonly string[] {
  let path = sharedPaths.get(name);
  if (path === undefined) {
    path = [name];
    if (sharedPaths.size < SHARED_PATHS) sharedPaths.set(name, path);
  }
  return path;
}

function isLocal(kind: WildcardKind<unknown>, key: string): boolean {
  if (key === "then") return kind.thenable;
  return key in kind.proto;
}

/**
 * The binding of the proxy whose `then` was read last (with the proxy and its state), and its
 * kind. `await` reads `then` and calls it a microtask later; the call finds the state here
 * instead of through the proxy's trap (which costs about as much as the rest of `then`). Taken
 * once, so it keeps nothing alive for long. (One young object stored here, not the proxy and
 * its state apart: each store of a young object into a long-lived one takes the write
 * barrier's slow path, ~50 instructions.)
 */
let thenBinding: ProxyBinding<unknown> | undefined;
let thenKind: unknown;

/**
 * `then` was read from the proxy over `target` for `receiver` (see thenBinding). Only a read
 * from the proxy itself is noted: an object inheriting from it (`Object.create(promise)`) is
 * no JsRpcPromise to the runtime, whose `then` on it throws Illegal invocation.
 */
function noteThenRead(target: ProxyTarget<unknown>, kind: WildcardKind<unknown>, receiver: unknown): void {
  const binding = target();
  thenBinding = receiver === binding.proxy ? binding : undefined;
  thenKind = kind;
}

/** The traps every kind shares; each kind's handler holds them and the kind (see wildcardKind). */
interface KindHandler<State> extends ProxyHandler<ProxyTarget<State>> {
  readonly kind: WildcardKind<State>;
  /** Reads `then` from the kind's prototype for `this` (see thenReader). */
  readonly readThen: (this: unknown) => unknown;
}

/**
 * What `Reflect.get(proto, "then", receiver)` gives, called with the receiver as `this` (a getter
 * put there sees the proxy, as the runtime's would): a super property load, which V8 caches per
 * site, where Reflect.get with a receiver other than the holder takes a generic lookup on every
 * call (every awaited RPC call reads `then` once).
 */
function thenReader(proto: object): (this: unknown) => unknown {
  const home = {
    __proto__: proto,
    readThen(): unknown {
      return super.then;
    },
  };
  return home.readThen;
}

function get<State>(this: KindHandler<State>, target: ProxyTarget<State>, key: string | symbol, receiver: unknown): unknown {
  if (key === STATE) return target().state;
  const kind = this.kind;
  if (key === KIND) return kind;
  if (key === FORWARD) return kind.forward?.(target().state);
  const written = target[WRITTEN];
  if (written !== undefined) return writtenGet(kind, target, written, key, receiver);
  if (key === "then" && kind.thenable) {
    noteThenRead(target, kind, receiver);
    return this.readThen.call(receiver);
  }
  if (typeof key === "symbol" || isLocal(kind, key)) return Reflect.get(kind.proto, key, receiver);
  if (key === "then" || isIndexKey(key)) return undefined;
  return kind.wildcard(target().state, key);
}

/** `get` once code wrote to the proxy: what the written object (or its chain) has, else the wildcard. */
function writtenGet<State>(kind: WildcardKind<State>, target: ProxyTarget<State>, written: object, key: string | symbol, receiver: unknown): unknown {
  if (key in written) {
    if (key === "then") noteThenRead(target, kind, receiver);
    return Reflect.get(written, key, receiver);
  }
  if (typeof key === "symbol" || (key === "then" && !kind.thenable) || isIndexKey(key)) return undefined;
  return kind.wildcard(target().state, key);
}

function has<State>(this: KindHandler<State>, target: ProxyTarget<State>, key: string | symbol): boolean {
  const kind = this.kind;
  const written = target[WRITTEN];
  if (written !== undefined && key in written) return true;
  if (typeof key === "symbol") return written === undefined && key in kind.proto;
  if (key === "then") return kind.thenable;
  return !isIndexKey(key);
}

/** The object holding what code writes to the proxy, made at the first write. */
function writtenTo<State>(kind: WildcardKind<State>, target: ProxyTarget<State>): object {
  return (target[WRITTEN] ??= Object.create(kind.proto) as object);
}

/** An assignment, with ordinary semantics: a setter up the chain runs with the proxy as `this`. */
function set<State>(this: KindHandler<State>, target: ProxyTarget<State>, key: string | symbol, value: unknown, receiver: unknown): boolean {
  const written = writtenTo(this.kind, target);
  if (Reflect.set(written, key, value, receiver)) return true;
  const message = cannotAssign(written, key, receiver, this.kind.className);
  return message === undefined ? false : refuse(set, () => message);
}

function defineProperty<State>(this: KindHandler<State>, target: ProxyTarget<State>, key: string | symbol, descriptor: PropertyDescriptor): boolean {
  const written = writtenTo(this.kind, target);
  if (!Reflect.defineProperty(written, key, descriptor)) return refuse(defineProperty, () => cannotRedefine(key));
  // A Proxy may only report a non-configurable property its target has: the target gets a copy.
  const defined = Reflect.getOwnPropertyDescriptor(written, key)!;
  if (defined.configurable === false) Reflect.defineProperty(target, key, defined);
  return true;
}

function deleteProperty<State>(this: KindHandler<State>, target: ProxyTarget<State>, key: string | symbol): boolean {
  const written = target[WRITTEN];
  if (written === undefined || Reflect.deleteProperty(written, key)) return true;
  return refuse(deleteProperty, () => cannotDelete(key, this.kind.className));
}

function getOwnPropertyDescriptor<State>(this: KindHandler<State>, target: ProxyTarget<State>, key: string | symbol): PropertyDescriptor | undefined {
  const written = target[WRITTEN];
  const own = written === undefined ? undefined : Reflect.getOwnPropertyDescriptor(written, key);
  if (own !== undefined || typeof key === "symbol" || key === "then" || isIndexKey(key) || key in (written ?? this.kind.proto)) return own;
  return rpcNameDescriptor(getOwnPropertyDescriptor);
}

function ownKeys<State>(target: ProxyTarget<State>): Array<string | symbol> {
  const written = target[WRITTEN];
  return written === undefined ? [] : Reflect.ownKeys(written);
}

function setPrototypeOf<State>(this: KindHandler<State>, target: ProxyTarget<State>, proto: object | null): boolean {
  const self = target().proxy!;
  if (closesCycle((at) => at === self, proto)) return refuse(setPrototypeOf, () => CYCLIC_PROTO);
  if (!Reflect.setPrototypeOf(writtenTo(this.kind, target), proto)) return false;
  noteOwnPrototype(self);
  return true;
}

function apply<State>(this: KindHandler<State>, target: ProxyTarget<State>, _thisArg: unknown, args: unknown[]): unknown {
  return this.kind.call(target().state, args);
}

/** `new proxy(...args)` is a call (every kind's call returns an RPC promise, an object). */
function construct<State>(this: KindHandler<State>, target: ProxyTarget<State>, args: unknown[]): object {
  return this.kind.call(target().state, args) as object;
}

function getPrototypeOf<State>(this: KindHandler<State>, target: ProxyTarget<State>): object | null {
  const written = target[WRITTEN];
  return written === undefined ? this.kind.proto : Reflect.getPrototypeOf(written);
}

/**
 * The traps code seldom reaches, which every kind's handler inherits. V8 looks a proxy's trap up
 * on its handler at every use, with no cache, and a handler of a few own properties answers
 * sooner than one of fourteen (~45 instructions a lookup; an awaited call makes two, `apply`
 * and `get` of `then`). A trap found up the handler's chain is the trap, as for any [[Get]].
 */
const RARE_TRAPS: ProxyHandler<ProxyTarget<unknown>> = {
  has,
  construct,
  getPrototypeOf,
  setPrototypeOf,
  ownKeys,
  getOwnPropertyDescriptor,
  set,
  defineProperty,
  deleteProperty,
  preventExtensions: refusePreventExtensions,
};

/**
 * A kind of proxy, with its handler. Every kind's handler has the same shape (one map), so the
 * traps' reads of `this.kind` stay monomorphic.
 */
export function wildcardKind<State>(spec: WildcardKind<State>): ProxyKind<State> {
  const handler = {
    __proto__: RARE_TRAPS,
    kind: spec,
    readThen: thenReader(spec.proto),
    get,
    apply,
  } as unknown as { kind: WildcardKind<State> } & KindHandler<State>;
  // The handler names the kind its callers hold (what stateOf compares), not the spec.
  const kind: ProxyKind<State> = { ...spec, handler };
  handler.kind = kind;
  return kind;
}

/** A new proxy of `kind` over `state`. */
export function wildcard<State>(kind: ProxyKind<State>, state: State): Function {
  return proxyOver(kind, new StateBinding(state));
}

/**
 * A new proxy of `kind` over a state that is its own binding: one only this proxy holds (a
 * call's pending result, whose `state` is itself), which saves the binding, 40 bytes of every
 * RPC call.
 */
export function wildcardOf<State extends ProxyBinding<State>>(kind: ProxyKind<State>, state: State): Function {
  return proxyOver(kind, state);
}

function proxyOver<State>(kind: ProxyKind<State>, binding: ProxyBinding<State>): Function {
  // Callable, and with no non-configurable own property (such as a function's `prototype`)
  // that would force the proxy to report own keys.
  const proxy = new Proxy(bindingOfThis.bind(binding) as ProxyTarget<State>, kind.handler);
  binding.proxy = proxy;
  return proxy;
}

/**
 * The state of a proxy made by `wildcard` with `kind`, or undefined for anything else. Only a
 * callable Proxy can be one, and ours answer the module-private keys. (Registering every proxy
 * in a WeakSet instead would keep other proxies' traps from seeing those keys, but it costs
 * more than the rest of an RPC call; a foreign proxy sent over RPC has its traps run anyway,
 * to learn what it emulates.)
 */
export function stateOf<State>(value: unknown, kind: WildcardKind<State>): State | undefined {
  if (typeof value !== "function" || !types.isProxy(value)) return undefined;
  try {
    const record = value as unknown as Record<symbol, unknown>;
    return record[KIND] === kind ? (record[STATE] as State) : undefined;
  } catch {
    // A revoked proxy, or a foreign trap that throws: not one of ours.
    return undefined;
  }
}

export { FORWARD } from "../brands.js";

/** The ref a stub found on a path forwards the rest of the path to, if `value` is a stub. */
export function forwardingRef(value: unknown): RpcRef | undefined {
  if ((typeof value !== "object" && typeof value !== "function") || value === null) return undefined;
  return (value as Record<symbol, RpcRef | undefined>)[FORWARD];
}

/**
 * Reads the state of `this` inside a local member of a proxy's prototype. Any other receiver
 * (the prototype itself, which `proxy.__proto__` hands out, an object inheriting from the
 * proxy, or a proxy of another kind) is
 * refused as the runtime refuses a member called on the wrong object.
 */
export function thisState<State>(self: unknown, kind: WildcardKind<State>): State {
  const binding = thenBinding;
  if (binding !== undefined && thenKind === kind && self === binding.proxy) {
    thenBinding = thenKind = undefined;
    return binding.state as State;
  }
  const state = stateOf(self, kind);
  if (state === undefined) throw illegalInvocation();
  return state;
}

/**
 * A constructor for a prototype's `constructor` member, named `exposedAs` (the name user code
 * imports it by): one with `construct` makes what `new` returns, and says that it needs `new`
 * the way a WebIDL interface does; one without is an illegal constructor. The prototype holds
 * `members` as the runtime's do: methods of length 0, enumerable unless symbol-keyed, before
 * `constructor` and the tag. Both it and its methods read as native code.
 */
export function uncallableClass(
  name: string,
  members: object,
  { construct, exposedAs = name }: { construct?: (value: unknown) => object; exposedAs?: string } = {},
): Function {
  const ctor = function (...args: unknown[]) {
    if (construct === undefined) throw new TypeError("Illegal constructor");
    if (new.target !== undefined) return construct(args[0]);
    throw newRequired(name);
  };
  Object.defineProperty(ctor, "name", { value: exposedAs });
  for (const key of Reflect.ownKeys(members)) {
    const descriptor = Object.getOwnPropertyDescriptor(members, key)!;
    if (typeof descriptor.value === "function") readsNativeMember(Object.defineProperty(descriptor.value, "length", { value: 0 }), key);
    Object.defineProperty(ctor.prototype, key, { ...descriptor, enumerable: typeof key !== "symbol" });
  }
  tagInterface(ctor.prototype, name);
  arrangeMembers(ctor.prototype as object);
  return readsNative(ctor, exposedAs);
}

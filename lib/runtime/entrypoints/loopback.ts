import { types } from "node:util";
import { cloneValue } from "../../storage/codec.js";
import { dataCloneError } from "../../storage/host-objects.js";
import { codeFeatures } from "../code-context.js";
import {
  defineInterface,
  illegalConstructor,
  notSerializable,
  refuseInStorage,
  requireArgument,
  serializableOnlyOverRpc,
  site,
  STORAGE_REFUSAL,
  toDictionary,
} from "../../util/webidl.js";
import { classHasBrand, WORKER_ENTRYPOINT_BRAND } from "../brands.js";
import { registerFacetClass } from "../facet-classes.js";
import type { NamespaceRuntime } from "../namespace.js";
import { DurableObjectNamespaceBinding } from "../namespace-binding.js";
import { passOverRpcAsItself, refuseOverRpc } from "../rpc/serialize.js";
import { fetcher } from "../rpc/stub.js";
import { type EntrypointHost, EntrypointTarget } from "./entrypoint.js";

/**
 * A Worker's `exports` (`import { exports } from "cloudflare:workers"`, and `ctx.exports`): one
 * loopback binding per entrypoint (the default export, named objects of handlers, named
 * WorkerEntrypoint classes) and per Durable Object class it hosts. Both kinds are callable
 * objects (`typeof` "function", yet not Functions: no `call`, `bind`, `name` or own keys, so
 * `JSON.stringify(exports)` is `{}`), as the runtime's are:
 * - an entrypoint's is a service binding with empty props; calling it (with or without `new`)
 *   specialises the props: `exports.Named({ props })` returns a Fetcher whose calls see them in
 *   `ctx.props`;
 * - a class's is its Durable Object namespace; calling it returns a DurableObjectClass, the
 *   opaque reference to the class (with props) that facets take, and that crosses RPC as it
 *   is. The bindings themselves cannot be sent over RPC (the runtime's DataCloneError).
 * Options must be passed; undefined and null mean none, anything else but an object is refused.
 */

const CALLED = "(called as function)";
const LOOPBACK_SERVICE = "LoopbackServiceStub";
const LOOPBACK_NAMESPACE = "LoopbackDurableObjectNamespace";
const LOOPBACK_CLASS = "LoopbackDurableObjectClass";

/** Whether an export is an entrypoint: an object of handlers, or a WorkerEntrypoint class. */
export function isEntrypoint(value: unknown): boolean {
  if (classHasBrand(value, WORKER_ENTRYPOINT_BRAND)) return true;
  return typeof value === "object" && value !== null && !Array.isArray(value) && !types.isModuleNamespaceObject(value);
}

/**
 * Whether a named export is one the runtime counts as a Durable Object class: any function that
 * is no WorkerEntrypoint. A legacy class needs no `extends DurableObject`, and the runtime cannot
 * tell a class from another function (checked with workerd: a plain function and an arrow
 * function get a LoopbackDurableObjectClass too).
 */
export function isDurableObjectClass(value: unknown): boolean {
  return typeof value === "function" && !classHasBrand(value, WORKER_ENTRYPOINT_BRAND);
}

/** The prototype of `exports.<DurableObjectClass>`: a namespace's, under its loopback name. */
class LoopbackDurableObjectNamespace extends DurableObjectNamespaceBinding {
  static {
    defineInterface(this, LOOPBACK_NAMESPACE, (value) => DurableObjectNamespaceBinding.runtimeOf(value) !== undefined);
  }
}

/**
 * The prototype of `exports.<Class>` for a Durable Object class the Worker exports without a
 * namespace (no binding, no migration): no ids or stubs, only what facets take (see addClass).
 */
class LoopbackDurableObjectClass {
  static {
    defineInterface(this, LOOPBACK_CLASS, (value) => loopbackClasses.has(value as object));
  }
}

const loopbackClasses = new WeakSet<object>();

/** What calling `exports.<DurableObjectClass>` returns: the class with props, opaque to user code. */
class DurableObjectClass {
  readonly #props: Record<string, unknown>;

  constructor(props: Record<string, unknown>) {
    this.#props = props;
    passOverRpcAsItself(this);
  }

  static {
    defineInterface(this, "DurableObjectClass", (value) => typeof value === "object" && value !== null && #props in value, {
      storageRefusal: serializableOnlyOverRpc("DurableObjectClass"),
    });
  }
}

/**
 * Fills `exports` once the module has loaded: the default entrypoint first, then named objects
 * of handlers, named classes, and the hosted Durable Object classes, as the runtime orders them.
 */
export function fillExports(exports: Record<string, unknown>, host: EntrypointHost, module: Record<string, unknown>, namespaces: ReadonlyMap<string, NamespaceRuntime>): void {
  const named = Object.keys(module).filter((key) => key !== "default" && isEntrypoint(module[key]));
  const entrypoints = [
    ...(isEntrypoint(module.default) ? ["default"] : []),
    ...named.filter((key) => typeof module[key] === "object"),
    ...named.filter((key) => typeof module[key] === "function"),
  ];
  for (const name of entrypoints) define(exports, name, loopbackService(host, name));
  for (const [className, namespace] of namespaces) addNamespace(exports, className, namespace);
}

/** Adds a hosted class's namespace (hosts settled after loading add theirs then, over the class's addClass entry). */
export function addNamespace(exports: Record<string, unknown>, className: string, namespace: NamespaceRuntime): void {
  if (Object.prototype.hasOwnProperty.call(exports, className) && !loopbackClasses.has(exports[className] as object)) return;
  const binding = callableObject(LOOPBACK_NAMESPACE, LoopbackDurableObjectNamespace.prototype, (props) => facetClass(className, props));
  DurableObjectNamespaceBinding.adopt(binding, namespace);
  registerFacetClass(binding, { className, props: undefined });
  refuseOverRpc(binding, LOOPBACK_NAMESPACE);
  define(exports, className, binding);
}

/**
 * Adds a Durable Object class the module exports and no namespace hosts, as the runtime lists
 * it among the hosted ones: a facet can be started from it (the agents SDK's sub-agent classes
 * need no binding), and calling it gives a DurableObjectClass as a namespace's does.
 */
export function addClass(exports: Record<string, unknown>, className: string): void {
  if (Object.prototype.hasOwnProperty.call(exports, className)) return;
  const loopback = callableObject(LOOPBACK_CLASS, LoopbackDurableObjectClass.prototype, (props) => facetClass(className, props));
  loopbackClasses.add(loopback);
  registerFacetClass(loopback, { className, props: undefined });
  refuseOverRpc(loopback, LOOPBACK_CLASS);
  define(exports, className, loopback);
}

/** A DurableObjectClass: the class with props, which a facet started from it sees (see facet-classes.ts). */
function facetClass(className: string, props: Record<string, unknown>): DurableObjectClass {
  const value = new DurableObjectClass(props);
  registerFacetClass(value, { className, props });
  return value;
}

function define(exports: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(exports, name, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * A function object with prototype `proto` and no own properties, whose calls (with or without
 * `new`) check their options and pass `make` the props. A bound function is constructible yet
 * has no `prototype` of its own, and its `name` and `length` can be deleted.
 */
function callableObject(iface: string, proto: object, make: (props: Record<string, unknown>) => object): Function {
  const at = site(iface, CALLED);
  function call(...args: unknown[]): object {
    requireArgument(at, args.length, 1, "Options");
    const options = toDictionary<{ props?: unknown }>(at, args[0], 1, "Options");
    return make(cloneProps(options?.props ?? {}));
  }
  const callable = call.bind(undefined);
  for (const key of Reflect.ownKeys(callable)) Reflect.deleteProperty(callable, key);
  Object.setPrototypeOf(callable, proto);
  return callable;
}

/** The prototype of entrypoints' loopback bindings: LoopbackServiceStub, below the Fetcher's. */
let loopbackServicePrototype: object | undefined;

function loopbackServicePrototypeOver(fetcherPrototype: object): object {
  if (loopbackServicePrototype === undefined) {
    loopbackServicePrototype = Object.create(fetcherPrototype, {
      constructor: { value: illegalConstructor(LOOPBACK_SERVICE), writable: true, configurable: true },
      [Symbol.toStringTag]: { value: LOOPBACK_SERVICE, writable: true, configurable: true },
    }) as object;
    refuseInStorage(loopbackServicePrototype, notSerializable(LOOPBACK_SERVICE));
  }
  return loopbackServicePrototype;
}

/**
 * An entrypoint's loopback binding: callable (see callableObject), and every other name reads
 * as on a Fetcher with empty props (`fetch`, and RPC methods for any name), so it stands in
 * front of one as a proxy.
 */
function loopbackService(host: EntrypointHost, name: string): Function {
  const extraHandlers = { extraHandlers: host.extraHandlers };
  const plain = fetcher(new EntrypointTarget(host, name, {}), extraHandlers) as Record<PropertyKey, unknown>;
  const proto = loopbackServicePrototypeOver(Object.getPrototypeOf(plain) as object);
  const callable = callableObject(LOOPBACK_SERVICE, proto, (props) => fetcher(new EntrypointTarget(host, name, props), extraHandlers));
  const ownOfProto = (key: PropertyKey) => key === "constructor" || key === Symbol.toStringTag || key === STORAGE_REFUSAL;
  const binding = new Proxy(callable, {
    // JSON.stringify looks for toJSON without seeing the runtime's wildcard names: a function
    // without one serialises as nothing.
    get: (_target, key) => (key === "toJSON" ? undefined : ownOfProto(key) ? Reflect.get(proto, key) : plain[key]),
    has: (_target, key) => key in plain,
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
  });
  refuseOverRpc(binding, LOOPBACK_SERVICE);
  return binding;
}

/** Storage's refusal of an RpcStub, and the one props give instead: props outlive the call that
 * made them, so they may hold only stubs that outlive it too (checked with workerd: a local
 * `new RpcStub(...)` and a stub received over RPC alike, top-level or nested). */
const RPC_STUB_IN_STORAGE = serializableOnlyOverRpc("RpcStub");
const RPC_STUB_IN_PROPS = "RpcStub cannot be serialized in this context because it is not a persistent stub.";

/** Props are serialised for each call by the runtime's serialiser, in the words storage refuses
 * with (a binding as `Could not serialize object of type ...`, an RpcTarget as a remote
 * reference), not V8's; but for an RpcStub, which props say more about. */
function cloneProps(props: unknown): Record<string, unknown> {
  try {
    return cloneValue(props, [], codeFeatures().enhancedErrorSerialization, false) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof DOMException && error.message === RPC_STUB_IN_STORAGE) throw dataCloneError(RPC_STUB_IN_PROPS);
    throw error;
  }
}

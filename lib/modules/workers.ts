/**
 * The `cloudflare:workers` module for Worker code running in durasim. Worker code imports it as
 * `cloudflare:workers` (durasim resolves that specifier to this module for inline scripts, and
 * the test-runner integrations alias it); it can also be imported as `durasim/workers`.
 */
import { DURABLE_OBJECT_BRAND, isRuntimeInstance, RPC_TARGET_BRAND, type RuntimeKind, WORKER_ENTRYPOINT_BRAND } from "../runtime/brands.js";
import { currentWorkerEvent } from "../runtime/code-context.js";
import { currentEnv, currentExports, withOverrides } from "../runtime/current-env.js";
import { waitUntilPromise } from "../runtime/wait-until-promise.js";
import { refuseInGlobalScope } from "../runtime/globals/global-scope-refusal.js";
import { Tracing } from "../runtime/entrypoints/tracing.js";
import { notOfTypeInConstructor, notSerializable, refuseInstanceInStorage, REMOTE_REFERENCE_REFUSAL, requireArgument, site, tagInterface, toFunction } from "../util/webidl.js";
import { Adopting, constructOnly } from "../util/construct-only.js";
import { constructorName } from "../storage/host-objects.js";

/** Whether the runtime's Web IDL would take `value` as an `Object` (any object or function). */
function isObject(value: unknown): boolean {
  return (typeof value === "object" && value !== null) || typeof value === "function";
}

/**
 * What the runtime's base classes do: refuse a `ctx` that is not of the class's `ctxType` and
 * an `env` that is not an object (in that order, named after the runtime's own class name
 * `iface`), then keep both as own, writable properties.
 */
abstract class WithContext<Env> extends Adopting {
  ctx: unknown;
  env: Env;

  constructor(ctx: unknown, env: Env, iface: string, ctxType: RuntimeKind | "Object") {
    super();
    if (!(ctxType === "Object" ? isObject(ctx) : isRuntimeInstance(ctxType, ctx))) throw notOfTypeInConstructor(iface, 1, ctxType);
    if (!isObject(env)) throw notOfTypeInConstructor(iface, 2, "Object");
    this.ctx = ctx;
    this.env = env;
    // The runtime makes the instance as its own kind of object, which nothing can serialise: it
    // names the class the code wrote (a subclass's name, not DurableObject's).
    refuseInstanceInStorage(this, refusalNaming(constructorName(this) || iface));
  }
}

/** Storage's refusals of instances, by their class's name (refusalNaming). */
const refusals = new Map<string, string>();

/**
 * Storage's refusal of an instance of the class named `name`, made once per name: every
 * Durable Object keeps its refusal, and a string of its own cost 64 bytes an object.
 */
function refusalNaming(name: string): string {
  let message = refusals.get(name);
  if (message === undefined) refusals.set(name, (message = notSerializable(name)));
  return message;
}

/**
 * Shapes one of the runtime's base classes: named `name` and of length 0 (its constructor
 * declares no parameters), its prototype directly above Object.prototype (instances still get
 * ctx and env from WithContext's constructor; it has no members to lose), tagged `iface`,
 * marked with `brand` if durasim must recognise subclasses, and refusing a call without `new`
 * with the runtime's "Please use the 'new' operator".
 */
function runtimeBaseClass<C extends abstract new (...args: never[]) => object>(cls: C, name: string, iface: string, brand?: symbol): C {
  if (brand !== undefined) Object.defineProperty(cls.prototype, brand, { value: true });
  Object.setPrototypeOf(cls.prototype, Object.prototype);
  tagInterface(cls.prototype, iface);
  return constructOnly(cls, name, iface);
}

/** Base class of Durable Objects: stores `ctx` (its DurableObjectState) and `env`, and enables RPC. */
class DurableObjectClass<Env = unknown> extends WithContext<Env> {
  constructor(ctx: unknown, env: Env) {
    super(ctx, env, "DurableObjectBase", "DurableObjectState");
  }
}
export const DurableObject = runtimeBaseClass(DurableObjectClass, "DurableObject", "DurableObjectBase", DURABLE_OBJECT_BRAND);
export type DurableObject<Env = unknown> = DurableObjectClass<Env>;

/** Base class of class-based Worker entrypoints (the default export, or named ones); any object is a `ctx`. */
class WorkerEntrypointClass<Env = unknown> extends WithContext<Env> {
  constructor(ctx: unknown, env: Env) {
    super(ctx, env, "WorkerEntrypoint", "Object");
  }
}
export const WorkerEntrypoint = runtimeBaseClass(WorkerEntrypointClass, "WorkerEntrypoint", "WorkerEntrypoint", WORKER_ENTRYPOINT_BRAND);
export type WorkerEntrypoint<Env = unknown> = WorkerEntrypointClass<Env>;

/**
 * Base class of Workflows' classes, so that a Worker defining a Workflow loads. durasim runs no
 * Workflows: a binding to one needs a stand-in, and `introspectWorkflow` says it is not emulated.
 * Its `ctx` must be a Worker event's ExecutionContext.
 */
class WorkflowEntrypointClass<Env = unknown> extends WithContext<Env> {
  constructor(ctx: unknown, env: Env) {
    super(ctx, env, "WorkflowEntrypoint", "ExecutionContext");
  }
}
export const WorkflowEntrypoint = runtimeBaseClass(WorkflowEntrypointClass, "WorkflowEntrypoint", "WorkflowEntrypoint");
export type WorkflowEntrypoint<Env = unknown> = WorkflowEntrypointClass<Env>;

/** The class of RPC stubs; `new RpcStub(value)` makes a stub to a local plain object, function or RpcTarget. */
export { RpcStub } from "../runtime/rpc/stub.js";

/** Instances of RpcTarget subclasses cross RPC boundaries as stubs that call back; nothing
 * else can hold one (storage, structuredClone()): it is a reference to live code. */
class RpcTargetClass extends Adopting {
  constructor() {
    super();
    refuseInstanceInStorage(this, REMOTE_REFERENCE_REFUSAL);
  }
}
export const RpcTarget = runtimeBaseClass(RpcTargetClass, "RpcTarget", "JsRpcTarget", RPC_TARGET_BRAND);
export type RpcTarget = RpcTargetClass;

/**
 * A module-level name for what `current()` gives the running code: reads, and (when `mutable`)
 * writes, go to that object, as the runtime's proxies do.
 */
function followCurrent(current: () => object | undefined, mutable: boolean): Record<string, unknown> {
  const handler: ProxyHandler<object> = {
    get: (_target, key) => Reflect.get(current() ?? {}, key),
    has: (_target, key) => Reflect.has(current() ?? {}, key),
    // The current one's prototype: the code realm's (the test file's under Jest), for `instanceof`.
    getPrototypeOf: (target) => Reflect.getPrototypeOf(current() ?? target),
    ownKeys: () => Reflect.ownKeys(current() ?? {}),
    getOwnPropertyDescriptor: (_target, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(current() ?? {}, key);
      return descriptor && { ...descriptor, configurable: true };
    },
  };
  if (mutable) {
    // With no current object, a write is accepted and goes nowhere (the runtime's answer).
    handler.set = (_target, key, value) => { const target = current(); return target === undefined || Reflect.set(target, key, value); };
    handler.deleteProperty = (_target, key) => { const target = current(); return target === undefined || Reflect.deleteProperty(target, key); };
    handler.defineProperty = (_target, key, descriptor) => { const target = current(); return target === undefined || Reflect.defineProperty(target, key, descriptor); };
  }
  return new Proxy({}, handler) as Record<string, unknown>;
}

/** The env of the Worker whose code is running (see current-env.ts for the exact rule); writes change it. */
export const env: Record<string, unknown> = followCurrent(currentEnv, true);

/** The Worker's own `exports` (loopback bindings to its entrypoints and Durable Object classes), as `env` is found; read-only. */
export const exports: Record<string, unknown> = followCurrent(currentExports, false);

const WITH_ENV = site("EnvModule", "withEnv");
const WAIT_UNTIL = site("EntrypointsModule", "waitUntil");
const WITH_EXPORTS = site("EnvModule", "withExports");
const WITH_ENV_AND_EXPORTS = site("EnvModule", "withEnvAndExports");

/** What a scoped callback is called with: no arguments, and the global object as `this`. */
function callScoped(fn: () => unknown): unknown {
  return Reflect.apply(fn, globalThis, []);
}

/**
 * Runs `fn()` with `newEnv` as `env` for it and everything it sets off (continuations, timers,
 * its events' code); `exports` is unchanged. A `newEnv` that is not an object changes nothing.
 */
export function withEnv(newEnv: unknown, fn: unknown): unknown {
  const run = toFunction<() => unknown>(WITH_ENV, fn, 2);
  return withOverrides(newEnv, undefined, () => callScoped(run));
}

/** withEnv() for `exports`. */
export function withExports(newExports: unknown, fn: unknown): unknown {
  const run = toFunction<() => unknown>(WITH_EXPORTS, fn, 2);
  return withOverrides(undefined, newExports, () => callScoped(run));
}

/** withEnv() and withExports() at once. */
export function withEnvAndExports(newEnv: unknown, newExports: unknown, fn: unknown): unknown {
  const run = toFunction<() => unknown>(WITH_ENV_AND_EXPORTS, fn, 3);
  return withOverrides(newEnv, newExports, () => callScoped(run));
}

/** User-defined trace spans, as `ctx.tracing`; nothing is traced locally (see runtime/entrypoints/tracing.ts). */
export const tracing: Tracing = new Tracing();

/** The class of what a call through a stub returns. */
export { JsRpcPromise as RpcPromise, JsRpcProperty as RpcProperty } from "../runtime/rpc/promises.js";

/** The class Durable Object stubs are instances of. */
export { ServiceStubInterface as ServiceStub } from "../runtime/rpc/stub.js";

/**
 * Extends the current Worker event's lifetime until `promise` settles, as its `ctx.waitUntil()`
 * does (runtime/entrypoints/worker-event.ts); elsewhere there is nothing to extend, and while
 * the Worker's modules load it is refused as I/O is. A rejection is kept from surfacing as
 * unhandled. Bound, as the runtime's is (its name reads "bound
 * waitUntil").
 */
export const waitUntil: (promise: unknown) => void = function waitUntil(...args: [promise: unknown]): void {
  requireArgument(WAIT_UNTIL, args.length, 1, "Promise");
  const promise = waitUntilPromise(args[0]);
  // The runtime asks for the current event last: while the module loads there is none to extend.
  refuseInGlobalScope();
  currentWorkerEvent()?.waitUntil(promise);
}.bind(undefined);

/**
 * The runtime's `ctx.cache` of the current request, for purging the zone's cache; neither a
 * Durable Object nor a Worker here has one (nor does one in local workerd), so every read gives
 * undefined, even Object.prototype's names, and it has no keys.
 */
export const cache: Record<string, unknown> = new Proxy({}, {
  get: () => undefined,
  has: () => false,
  ownKeys: () => [],
  getOwnPropertyDescriptor: () => undefined,
}) as Record<string, unknown>;

/** The key under which a class names how the runtime restores its instances from a snapshot; nothing uses it locally. */
export const restore: unique symbol = Symbol("cloudflare:workers:restore");

/**
 * Ends the isolate, and with it every object and request it holds (local workerd ends its
 * process). durasim cannot restart Worker code's modules, so it refuses, saying so.
 */
export function abortIsolate(reason: unknown): never {
  const why = reason === undefined ? "" : `; reason = ${String(reason)}`;
  throw new Error(`durasim does not emulate abortIsolate() (it would end every object and request of the isolate)${why}.`);
}

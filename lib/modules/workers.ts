/**
 * The `cloudflare:workers` module for Worker code running in durasim. Worker code imports it as
 * `cloudflare:workers` (durasim resolves that specifier to this module for inline scripts, and
 * the test-runner integrations alias it); it can also be imported as `durasim/workers`.
 */
import { DURABLE_OBJECT_BRAND, RPC_TARGET_BRAND, WORKER_ENTRYPOINT_BRAND } from "../runtime/brands.js";
import { currentWorkerEvent } from "../runtime/code-context.js";
import { currentEnv, currentExports, withOverrides } from "../runtime/current-env.js";
import { settleQuietly } from "../runtime/entrypoints/execution-context.js";
import { Tracing } from "../runtime/entrypoints/tracing.js";
import { toFunction, site } from "../util/webidl.js";

/** What both runtime base classes do: keep `ctx` and `env` as own, writable properties. */
abstract class WithContext<Env> {
  ctx: unknown;
  env: Env;

  constructor(ctx: unknown, env: Env) {
    this.ctx = ctx;
    this.env = env;
  }
}

/** Base class of Durable Objects: stores `ctx` and `env`, and enables RPC. */
export class DurableObject<Env = unknown> extends WithContext<Env> {}
Object.defineProperty(DurableObject.prototype, DURABLE_OBJECT_BRAND, { value: true });
// Shaped as the runtime's: tagged DurableObjectBase, directly above Object.prototype (instances
// still get ctx and env from WithContext's constructor; it has no members to lose).
Object.setPrototypeOf(DurableObject.prototype, Object.prototype);
Object.defineProperty(DurableObject.prototype, Symbol.toStringTag, { value: "DurableObjectBase", writable: true, configurable: true });

/** Base class of class-based Worker entrypoints (the default export, or named ones). */
export class WorkerEntrypoint<Env = unknown> extends WithContext<Env> {}
Object.defineProperty(WorkerEntrypoint.prototype, WORKER_ENTRYPOINT_BRAND, { value: true });
// Shaped as the runtime's, like DurableObject's.
Object.setPrototypeOf(WorkerEntrypoint.prototype, Object.prototype);
Object.defineProperty(WorkerEntrypoint.prototype, Symbol.toStringTag, { value: "WorkerEntrypoint", writable: true, configurable: true });

/**
 * Base class of Workflows' classes, so that a Worker defining a Workflow loads. durasim runs no
 * Workflows: a binding to one needs a stand-in, and `introspectWorkflow` says it is not emulated.
 */
export class WorkflowEntrypoint<Env = unknown> extends WithContext<Env> {}
Object.setPrototypeOf(WorkflowEntrypoint.prototype, Object.prototype);
Object.defineProperty(WorkflowEntrypoint.prototype, Symbol.toStringTag, { value: "WorkflowEntrypoint", writable: true, configurable: true });

/** The class of RPC stubs; `new RpcStub(value)` makes a stub to a local plain object, function or RpcTarget. */
export { RpcStub } from "../runtime/rpc/stub.js";

/** Instances of RpcTarget subclasses cross RPC boundaries as stubs that call back. */
export class RpcTarget {}
Object.defineProperty(RpcTarget.prototype, RPC_TARGET_BRAND, { value: true });
Object.defineProperty(RpcTarget.prototype, Symbol.toStringTag, { value: "JsRpcTarget", writable: true, configurable: true });

/**
 * A module-level name for what `current()` gives the running code: reads, and (when `mutable`)
 * writes, go to that object, as the runtime's proxies do.
 */
function followCurrent(current: () => object | undefined, mutable: boolean): Record<string, unknown> {
  const handler: ProxyHandler<object> = {
    get: (_target, key) => Reflect.get(current() ?? {}, key),
    has: (_target, key) => Reflect.has(current() ?? {}, key),
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
 * does (runtime/entrypoints/worker-event.ts); elsewhere there is nothing to extend. A rejection
 * is kept from surfacing as unhandled. Bound, as the runtime's is (its name reads "bound
 * waitUntil").
 */
export const waitUntil: (promise: unknown) => void = function waitUntil(...args: [promise: unknown]): void {
  settleQuietly(args[0]);
  currentWorkerEvent()?.waitUntil(args[0]);
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

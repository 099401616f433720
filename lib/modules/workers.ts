/**
 * The `cloudflare:workers` module for Worker code running in durasim. Worker code imports it as
 * `cloudflare:workers` (durasim resolves that specifier to this module for inline scripts, and
 * the test-runner integrations alias it); it can also be imported as `durasim/workers`.
 */
import { DURABLE_OBJECT_BRAND, RPC_TARGET_BRAND, WORKER_ENTRYPOINT_BRAND } from "../runtime/brands.js";
import { currentEnv, exportsOf } from "../runtime/current-env.js";
import { settleQuietly } from "../runtime/entrypoints/execution-context.js";

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

/** The env of the Worker whose code is running (see current-env.ts for the exact rule). */
export const env: Record<string, unknown> = new Proxy(
  {},
  {
    get: (_target, key) => Reflect.get(currentEnv() ?? {}, key),
    has: (_target, key) => Reflect.has(currentEnv() ?? {}, key),
    ownKeys: () => Reflect.ownKeys(currentEnv() ?? {}),
    getOwnPropertyDescriptor: (_target, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(currentEnv() ?? {}, key);
      return descriptor && { ...descriptor, configurable: true };
    },
  },
);

/** The Worker's own `exports` (loopback bindings to its entrypoints and Durable Object classes), as `env` is found. */
export const exports: Record<string, unknown> = new Proxy(
  {},
  {
    get: (_target, key) => Reflect.get(exportsOf(currentEnv()) ?? {}, key),
    has: (_target, key) => Reflect.has(exportsOf(currentEnv()) ?? {}, key),
    ownKeys: () => Reflect.ownKeys(exportsOf(currentEnv()) ?? {}),
    getOwnPropertyDescriptor: (_target, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(exportsOf(currentEnv()) ?? {}, key);
      return descriptor && { ...descriptor, configurable: true };
    },
  },
);

/**
 * Extends the current request's lifetime until `promise` settles. A Worker here outlives its
 * requests, so there is nothing to extend; a rejection is kept from surfacing as unhandled.
 */
export function waitUntil(...args: [promise: unknown]): void {
  settleQuietly(args[0]);
}

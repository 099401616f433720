/**
 * The `cloudflare:test` module (also `durasim/test`): the helpers of Cloudflare's Vitest
 * integration, same names, arguments and results, usable from any test runner. `env` and `SELF`
 * follow the current emulator (target.ts); `useEmulator` is durasim's addition for runners
 * without an integration.
 */
import { types } from "node:util";
import { handsToCodeRealm } from "../../util/code-realm.js";
import * as durableObjects from "./durable-objects.js";
import * as events from "./events.js";
import * as pages from "./pages.js";
import { currentTarget, currentTargetIfAny, type TestTarget } from "./target.js";

export type { DurableObjectEvictionOptions } from "./durable-objects.js";
export {
  ExecutionContext,
  MessageBatch,
  type MessageBatchMessage,
  type QueueResult,
  ScheduledController,
  type ScheduledControllerOptions,
} from "./events.js";

// What the helpers hand back, and their errors, are of the test's realm (Jest's: code-realm.ts).
export const abortAllDurableObjects = handsToCodeRealm(durableObjects.abortAllDurableObjects);
export const evictAllDurableObjects = handsToCodeRealm(durableObjects.evictAllDurableObjects);
export const evictDurableObject = handsToCodeRealm(durableObjects.evictDurableObject);
export const listDurableObjectIds = handsToCodeRealm(durableObjects.listDurableObjectIds);
export const reset = handsToCodeRealm(durableObjects.reset);
export const runDurableObjectAlarm = handsToCodeRealm(durableObjects.runDurableObjectAlarm);
export const runInDurableObject = handsToCodeRealm(durableObjects.runInDurableObject);
export const createMessageBatch = handsToCodeRealm(events.createMessageBatch);
export const createScheduledController = handsToCodeRealm(events.createScheduledController);
export const getQueueResult = handsToCodeRealm(events.getQueueResult);
export const waitOnExecutionContext = handsToCodeRealm(events.waitOnExecutionContext);
export { fetchMock } from "./fetch-mock.js";
export { useEmulator } from "./target.js";
export { resetUsage, usage, usageMatchers } from "./usage.js";
export { applyD1Migrations } from "./d1.js";
export {
  adminSecretsStore,
  introspectWorkflow,
  introspectWorkflowInstance,
} from "./unsupported.js";

/**
 * A view of the current emulator's object `pick` selects, resolved on every access (the test
 * runner may build a new emulator per file while this module stays loaded). Methods are bound
 * to the real object; RPC paths (proxies) are handed out as they are, so they stay awaitable.
 * Writes go to the real object too, so a test's `env.FLAG = "on"`, `delete env.FLAG` or
 * `vi.spyOn(env, ...)` reads back as it would from Cloudflare's env object; with no emulator
 * they are dropped (the runner restores a file's spies after its emulator is gone).
 */
function follow<T extends object>(select: (target: TestTarget) => T, helper: string): T {
  const pick = () => select(currentTarget(helper));
  const write = (change: (real: T) => boolean) => {
    const target = currentTargetIfAny();
    return target === undefined || change(select(target));
  };
  return new Proxy({} as T, {
    get: (_target, key) => {
      const real = pick();
      const value: unknown = Reflect.get(real, key);
      return typeof value === "function" && !types.isProxy(value) ? value.bind(real) : value;
    },
    set: (_target, key, value) => write((real) => Reflect.set(real, key, value)),
    deleteProperty: (_target, key) => write((real) => Reflect.deleteProperty(real, key)),
    // Configurable whatever it asks: every property this view reports is (a non-configurable one
    // would break the Proxy's invariants, its target being a stand-in object).
    defineProperty: (_target, key, descriptor) => write((real) => Reflect.defineProperty(real, key, { ...descriptor, configurable: true })),
    has: (_target, key) => Reflect.has(pick(), key),
    // The real one's prototype: the code realm's (the test file's under Jest), for `instanceof`.
    getPrototypeOf: () => Reflect.getPrototypeOf(pick()),
    ownKeys: () => Reflect.ownKeys(pick()),
    getOwnPropertyDescriptor: (_target, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(pick(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
  });
}

/** The main Worker's env (Cloudflare now points to `env` of `cloudflare:workers`; both work). */
export const env: Record<string, any> = follow((target) => target.env, "env of cloudflare:test");

/**
 * A service binding to the main Worker's default export, as Cloudflare's `SELF`: `fetch()` (an
 * uncaught exception rejects it, as across any service binding), RPC to a WorkerEntrypoint's
 * methods, and `scheduled()` when the Worker has service_binding_extra_handlers.
 */
export const SELF: any = follow((target) => target.self, "SELF");

/**
 * An ExecutionContext for calling a handler directly; its `exports` are the main Worker's, and
 * the test runner waits for its waitUntil() promises as for the Worker's own events' (before
 * each snapshot and restore, and before the file's emulator goes).
 */
export function createExecutionContext(): events.ExecutionContext {
  const target = currentTarget("createExecutionContext()");
  return events.createExecutionContext(target.exports, keeperOf(target));
}

/** The context of a Pages Function called as a unit (pages.ts); its waitUntil() promises are waited for as createExecutionContext()'s. */
export function createPagesEventContext(init: unknown): pages.PagesEventContext {
  const target = currentTarget("createPagesEventContext()");
  return pages.createPagesEventContext(init, target.env, target.exports, keeperOf(target));
}

function keeperOf(target: TestTarget): (promise: unknown) => void {
  return (promise) => target.keepWaitUntil(promise);
}

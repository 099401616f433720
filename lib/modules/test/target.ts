/**
 * Which emulator `cloudflare:test`'s emulator-wide helpers (env, SELF, reset(), ...) act on.
 * Rule: the one a test-runner integration (or `useEmulator`) bound, else the most recently
 * created emulator that is still alive. Helpers that take a stub or a namespace need none of
 * this: they reach their own object, in any emulator and any Worker.
 *
 * Like current-env.ts, the registry lives on globalThis under a registered symbol, so every
 * loaded copy of durasim (built output and sources under a test runner's transform) shares it.
 */
import type { NamespaceRuntime } from "../../runtime/namespace.js";
import type { EmulatorUsage, NamespaceUsage, ObjectUsageReport } from "../../runtime/usage/usage.js";
import { processShared } from "../../util/process-shared.js";

/** What an emulator lends the test helpers. */
export interface TestTarget {
  /** The main Worker's env. */
  readonly env: Record<string, unknown>;
  /** A service binding to the main Worker's default export (`SELF`): fetch, RPC, and scheduled() with service_binding_extra_handlers. */
  readonly self: object;
  /** What the main Worker's `ctx.exports` shows: undefined when it has none (enable_ctx_exports off). */
  readonly exports: object | undefined;
  /** Every Durable Object namespace, across all Workers. */
  namespaces(): Iterable<NamespaceRuntime>;
  /** Deletes the data of the bindings beside Durable Objects (KV namespaces, R2 buckets). */
  clearBindings(): Promise<void>;
  /** The emulator's usage, a namespace's or an object's (Emulator.usage). */
  usage(target?: object): EmulatorUsage | NamespaceUsage | ObjectUsageReport;
  /** Zeroes every usage counter (Emulator.resetUsage). */
  resetUsage(): void;
  /** Has waitUntilSettled() wait for `promise`, work of a context the test made (createExecutionContext()). */
  keepWaitUntil(promise: unknown): void;
}

interface Registry {
  targets: WeakMap<object, TestTarget>;
  /** Alive emulators' targets, oldest first. */
  live: TestTarget[];
  bound: TestTarget | undefined;
}

const registry = processShared<Registry>("testTargets", () => ({
  targets: new WeakMap(),
  live: [],
  bound: undefined,
}));

/** Called by an emulator when it is created. */
export function registerTestTarget(emulator: object, target: TestTarget): void {
  registry.targets.set(emulator, target);
  registry.live.push(target);
}

/** Called by an emulator when it is disposed. */
export function unregisterTestTarget(emulator: object): void {
  const target = registry.targets.get(emulator);
  if (target === undefined) return;
  registry.targets.delete(emulator);
  registry.live.splice(registry.live.lastIndexOf(target), 1);
  if (registry.bound === target) registry.bound = undefined;
}

/**
 * Binds `cloudflare:test`'s emulator-wide helpers to `emulator` (for runners without a durasim
 * integration, or a test that builds its own emulator); `undefined` unbinds.
 */
export function useEmulator(emulator: object | undefined): void {
  if (emulator === undefined) {
    registry.bound = undefined;
    return;
  }
  const target = registry.targets.get(emulator);
  if (target === undefined) {
    throw new TypeError("durasim: useEmulator() needs an Emulator that has not been disposed.");
  }
  registry.bound = target;
}

/** The emulator the helpers act on (see the rule above). */
export function currentTarget(helper: string): TestTarget {
  const target = currentTargetIfAny();
  if (target === undefined) {
    throw new Error(
      `durasim: ${helper} needs an Emulator: create one (new Emulator(...)), bind it with useEmulator(emu), ` +
        'or run the tests with the durasim Vitest plugin or Jest preset ("durasim/vitest", "durasim/jest").',
    );
  }
  return target;
}

/** The emulator currentTarget() would act on, if there is one. */
export function currentTargetIfAny(): TestTarget | undefined {
  return registry.bound ?? registry.live[registry.live.length - 1];
}

import { AsyncLocalStorage } from "node:async_hooks";
import { type CodeFeatures, NEWEST_CODE_FEATURES } from "./code-features.js";
import { processShared } from "../util/process-shared.js";

/**
 * Which Worker's `env` (and `exports`) the importable `env` of `cloudflare:workers` refers to.
 *
 * The runtime scopes it to the request being handled. durasim sets it while Worker code runs
 * synchronously (constructors, the synchronous part of handlers); anywhere else it falls back
 * to the most recently created emulator's main Worker. `withEnv()`/`withExports()` override
 * either for a callback and everything it sets off (async context, as the runtime's does),
 * ahead of both. Code outside any Worker (test code) also runs with that main Worker's
 * compatibility features, as tests run inside the main Worker under Cloudflare's integration.
 * The registry lives on globalThis under a registered symbol so that every loaded copy of
 * durasim shares it.
 */
interface EnvRegistry {
  current: object | undefined;
  fallbacks: object[];
  /** Each Worker's `exports` (its loopback entrypoints and namespaces), by its env. */
  exports?: WeakMap<object, object>;
  /** Each Worker's compatibility features, by its env. */
  features?: WeakMap<object, CodeFeatures>;
  /** The overrides of withEnv()/withExports(), made on their first use. */
  overrides?: AsyncLocalStorage<Overrides>;
}

/** What a withEnv()/withExports() scope replaces (undefined: what the enclosing scope has). */
interface Overrides {
  readonly env: object | undefined;
  readonly exports: object | undefined;
}

const registry = processShared<EnvRegistry>("envRegistry", () => ({
  current: undefined,
  fallbacks: [],
}));
const exportsByEnv = (registry.exports ??= new WeakMap());
const featuresByEnv = (registry.features ??= new WeakMap());

/** The env of the Worker whose code runs now, as the runtime scopes it (no override). */
function workerEnv(): object | undefined {
  return registry.current ?? registry.fallbacks[registry.fallbacks.length - 1];
}

/** The env `cloudflare:workers` gives the code running now. */
export function currentEnv(): object | undefined {
  return registry.overrides?.getStore()?.env ?? workerEnv();
}

/** The `exports` `cloudflare:workers` gives the code running now (the current Worker's, unless overridden). */
export function currentExports(): object | undefined {
  return registry.overrides?.getStore()?.exports ?? exportsOf(workerEnv());
}

/**
 * Runs `fn()` with `env` and/or `exports` replacing the current ones for it and everything it
 * sets off (continuations, timers). A value that is not an object replaces nothing, as in the
 * runtime.
 */
export function withOverrides<T>(env: unknown, exports: unknown, fn: () => T): T {
  const overrides = (registry.overrides ??= new AsyncLocalStorage());
  const outer = overrides.getStore();
  const scope: Overrides = {
    env: isObject(env) ? env : outer?.env,
    exports: isObject(exports) ? exports : outer?.exports,
  };
  return overrides.run(scope, fn);
}

function isObject(value: unknown): value is object {
  return (typeof value === "object" || typeof value === "function") && value !== null;
}

/**
 * Records the `exports` and compatibility features of the Worker whose env is `env` (the
 * `exports` of cloudflare:workers follow env, and so do the features of code outside Workers).
 */
export function registerWorker(env: object, exports: object, features: CodeFeatures): void {
  exportsByEnv.set(env, exports);
  featuresByEnv.set(env, features);
}

/** The compatibility features of code outside any Worker: those of the Worker whose env it sees. */
export function outsideCodeFeatures(): CodeFeatures {
  const env = workerEnv();
  return (env === undefined ? undefined : featuresByEnv.get(env)) ?? NEWEST_CODE_FEATURES;
}

/** The `exports` of the Worker whose env is `env`. */
export function exportsOf(env: object | undefined): object | undefined {
  return env === undefined ? undefined : exportsByEnv.get(env);
}

/** Runs `fn(arg)` with `env` as the current env. */
export function withEnv<T, A = undefined>(env: object, fn: (arg: A) => T, arg?: A): T {
  const previous = registry.current;
  registry.current = env;
  try {
    return fn(arg as A);
  } finally {
    registry.current = previous;
  }
}

export function pushFallbackEnv(env: object): void {
  registry.fallbacks.push(env);
}

export function removeFallbackEnv(env: object): void {
  const index = registry.fallbacks.lastIndexOf(env);
  if (index >= 0) registry.fallbacks.splice(index, 1);
}

/**
 * Which Worker's `env` (and `exports`) the importable `env` of `cloudflare:workers` refers to.
 *
 * The runtime scopes it to the request being handled. durasim sets it while Worker code runs
 * synchronously (constructors, the synchronous part of handlers); anywhere else it falls back
 * to the most recently created emulator's main Worker. The registry lives on globalThis under
 * a registered symbol so that every loaded copy of durasim shares it.
 */
interface EnvRegistry {
  current: object | undefined;
  fallbacks: object[];
  /** Each Worker's `exports` (its loopback entrypoints and namespaces), by its env. */
  exports?: WeakMap<object, object>;
}

const KEY = Symbol.for("durasim.envRegistry");
const registry: EnvRegistry = ((globalThis as Record<symbol, unknown>)[KEY] ??= {
  current: undefined,
  fallbacks: [],
}) as EnvRegistry;
const exportsByEnv = (registry.exports ??= new WeakMap());

export function currentEnv(): object | undefined {
  return registry.current ?? registry.fallbacks[registry.fallbacks.length - 1];
}

/** Records the `exports` of the Worker whose env is `env` (the `exports` of cloudflare:workers follow env). */
export function registerExports(env: object, exports: object): void {
  exportsByEnv.set(env, exports);
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

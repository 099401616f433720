/**
 * The Workers runtime's `caches` global and its classes, over the Cache API of
 * lib/bindings/cache. The test-runner integrations, and an Emulator loading Worker code itself
 * (loader.ts), put this `caches` on the global object (only where none is). It is a plain
 * global, not one of the Worker globals a module is handed (worker-prelude.ts), so a stub the
 * test puts in its place (`vi.stubGlobal("caches", ...)`) is what Worker code sees.
 *
 * Being one object for the whole process, it finds its storage at each call: the caches of the
 * emulator whose Worker's code is running (an object's or a Worker event's, across awaits:
 * code-context.ts), else of the Worker whose `env` is current (current-env.ts: for test code,
 * the most recently created emulator's main Worker), as Miniflare gives each instance its own. With no
 * emulator, or one whose `cache` option is false, it behaves as the runtime's caches do on a
 * workers.dev deployment, where they have no effect: `put()` stores nothing, `match()` finds
 * nothing, `delete()` deletes nothing (with no emulator, the first such use warns once).
 *
 * The classes `Cache` and `CacheStorage` are Worker globals (worker-scope.ts), shaped as the
 * runtime's interfaces: `new` is an "Illegal constructor", and the members the runtime declares
 * without implementing them (`add()`, `keys()`, `caches.has()`, ...) throw its "the method is
 * not implemented" at once.
 */
import { CacheOperations, type MatchOptions } from "../bindings/cache/cache.js";
import type { CacheStore } from "../bindings/cache/store.js";
import { runningWorkerEnv } from "../runtime/code-context.js";
import { currentEnv } from "../runtime/current-env.js";
import { defineInterface, methodNotImplemented, notOfType, site, toIdlString } from "../util/webidl.js";
import { utf8Length } from "../util/utf8.js";
import { processShared } from "../util/process-shared.js";

const WARNING =
  "durasim: caches.default and caches.open() store nothing here, as on a workers.dev deployment: no emulator is running. " +
  'To test caching, run the Worker in an Emulator, or stub the global (vi.stubGlobal("caches", ...) under Vitest, globalThis.caches = ... under Jest).';

/** The name `caches.default` has: `caches.open("")` is the same cache, as in the runtime. */
const DEFAULT_NAME = "";
/** The runtime refuses cache names of this many UTF-8 bytes or more. */
const NAME_LIMIT = 1024;

/** A Worker's caches: the emulator's store (null: its `cache` option is false), and `cacheWarnUsage`. */
export interface WorkerCaches {
  readonly store: CacheStore | null;
  readonly warnUsage: boolean;
}

const USAGE_WARNING = "Cache operations will have no impact if you deploy to a workers.dev subdomain!";

/**
 * Each Worker's caches, by its env, with the names whose use has warned (`cacheWarnUsage`
 * warns once per cache, as Miniflare's per-cache object does). On globalThis under a registered
 * symbol, as current-env.ts's registry is, so that every loaded copy of durasim (the one
 * installing `caches`, the one running the emulator) shares it.
 */
const cachesByEnv = processShared<WeakMap<object, WorkerCaches & { warned: Set<string> }>>("cachesByEnv", () => new WeakMap());

/** Makes the `caches` global answer from `caches` (the Worker's store, or none) for code whose env is `env`. */
export function bindCaches(env: object, caches: WorkerCaches): void {
  cachesByEnv.set(env, { ...caches, warned: new Set() });
}

let warned = false;

/**
 * The operations of the cache called `name` of the Worker whose env is `pinned` (a handle got
 * from outside the Worker), else of the running code's Worker: over no store where caches keep
 * nothing.
 */
function operations(name: string, pinned: object | undefined): CacheOperations {
  const env = pinned ?? runningWorkerEnv() ?? currentEnv();
  const caches = env === undefined ? undefined : cachesByEnv.get(env);
  if (caches?.warnUsage === true && !caches.warned.has(name)) {
    caches.warned.add(name);
    console.warn(USAGE_WARNING);
  }
  if (caches === undefined && !warned) {
    // No emulator: Worker code run with the runners' globals alone (durasim/register, say).
    warned = true;
    console.warn(WARNING);
  }
  return new CacheOperations(caches?.store ?? null, name);
}

class RuntimeCache {
  readonly #brand = true;
  readonly #name: string;
  readonly #env: object | undefined;

  constructor(name: string, env: object | undefined) {
    this.#name = name;
    this.#env = env;
  }

  add(): never {
    throw methodNotImplemented(site("Cache", "add"));
  }
  addAll(): never {
    throw methodNotImplemented(site("Cache", "addAll"));
  }
  async delete(request: unknown, options?: MatchOptions): Promise<boolean> {
    return operations(this.#name, this.#env).delete(request, options);
  }
  async match(request: unknown, options?: MatchOptions): Promise<Response | undefined> {
    return operations(this.#name, this.#env).match(request, options);
  }
  async put(request: unknown, response: unknown): Promise<undefined> {
    return operations(this.#name, this.#env).put(request, response);
  }
  matchAll(): never {
    throw methodNotImplemented(site("Cache", "matchAll"));
  }
  keys(): never {
    throw methodNotImplemented(site("Cache", "keys"));
  }

  static {
    defineInterface(this, "Cache", (value) => typeof value === "object" && value !== null && #brand in value);
  }
}

class RuntimeCacheStorage {
  readonly #brand = true;
  /** The Worker env it is pinned to (Miniflare's getCaches()), or undefined: the running code's. */
  readonly #env: object | undefined;
  /** The runtime's `default` is an own, read-only, enumerable property, one Cache for the scope's life. */
  declare readonly default: RuntimeCache;

  constructor(env?: object) {
    this.#env = env;
    Object.defineProperty(this, "default", { value: new RuntimeCache(DEFAULT_NAME, env), enumerable: true, configurable: true });
  }

  /** A new Cache object each time; caches of one name share their entries. */
  async open(cacheName: unknown): Promise<RuntimeCache> {
    if (cacheName === undefined) throw notOfType(site("CacheStorage", "open"), 1, "string");
    const name = toIdlString(cacheName);
    if (utf8Length(name) >= NAME_LIMIT) throw new TypeError("Cache name is too long.");
    return new RuntimeCache(name, this.#env);
  }
  delete(): never {
    throw methodNotImplemented(site("CacheStorage", "delete"));
  }
  match(): never {
    throw methodNotImplemented(site("CacheStorage", "match"));
  }
  has(): never {
    throw methodNotImplemented(site("CacheStorage", "has"));
  }
  keys(): never {
    throw methodNotImplemented(site("CacheStorage", "keys"));
  }

  static {
    defineInterface(this, "CacheStorage", (value) => typeof value === "object" && value !== null && #brand in value);
  }
}

/** The Worker scope's classes: their constructors refuse `new`, and `instanceof` knows `caches`. */
export const Cache = RuntimeCache.prototype.constructor;
export const CacheStorage = RuntimeCacheStorage.prototype.constructor;

/** A CacheStorage over the caches of the Worker whose env is `env`, wherever it is used from (Miniflare's getCaches()). */
export function cachesOf(env: object): object {
  return new RuntimeCacheStorage(env);
}

/** Gives `global` the `caches` global, unless it has one. */
export function installCacheStorage(global: object): void {
  if ("caches" in global) return;
  Object.defineProperty(global, "caches", { value: new RuntimeCacheStorage(), writable: true, enumerable: true, configurable: true });
}

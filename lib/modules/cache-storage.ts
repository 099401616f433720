/**
 * The Workers runtime's `caches` global and its classes. durasim does not emulate the Cache API:
 * the test-runner integrations, and an Emulator loading Worker code itself (loader.ts), put this
 * stand-in on the global object (only where none is), which behaves as the
 * runtime's caches do on a workers.dev deployment, where they have no effect: `put()` stores
 * nothing, `match()` finds nothing, `delete()` deletes nothing. So code that uses a cache, or
 * wraps `caches` while it loads (a tracing library, say), runs as it would there; the first use
 * warns once, naming what is not emulated and how to stub it. It is a plain global, not one of
 * the Worker globals a module is handed (worker-prelude.ts), so a stub the test puts in its place
 * (`vi.stubGlobal("caches", ...)`) is what Worker code sees. The classes `Cache` and
 * `CacheStorage` are Worker globals (worker-scope.ts), shaped as the runtime's interfaces: `new`
 * is an "Illegal constructor", and the members the runtime declares without implementing them
 * (`add()`, `keys()`, `caches.has()`, ...) throw its "the method is not implemented" at once.
 */
import { defineInterface, methodNotImplemented, site } from "../util/webidl.js";

const WARNING =
  "durasim does not emulate the Cache API: caches.default and caches.open() store nothing, as on a workers.dev deployment. " +
  'To test caching, stub the global (vi.stubGlobal("caches", ...) under Vitest, globalThis.caches = ... under Jest).';

let warned = false;

function warnOnce(): void {
  if (warned) return;
  warned = true;
  console.warn(WARNING);
}

class RuntimeCache {
  readonly #brand = true;

  add(): never {
    throw methodNotImplemented(site("Cache", "add"));
  }
  addAll(): never {
    throw methodNotImplemented(site("Cache", "addAll"));
  }
  async delete(): Promise<boolean> {
    warnOnce();
    return false;
  }
  async match(): Promise<undefined> {
    warnOnce();
    return undefined;
  }
  async put(): Promise<undefined> {
    warnOnce();
    return undefined;
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
  /** The runtime's `default` is an own, read-only, enumerable property, one Cache for the scope's life. */
  declare readonly default: RuntimeCache;

  constructor() {
    Object.defineProperty(this, "default", { value: new RuntimeCache(), enumerable: true, configurable: true });
  }

  async open(): Promise<RuntimeCache> {
    warnOnce();
    return new RuntimeCache();
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

/** Gives `global` the stand-in `caches`, unless it has one. */
export function installCacheStorage(global: object): void {
  if ("caches" in global) return;
  Object.defineProperty(global, "caches", { value: new RuntimeCacheStorage(), writable: true, enumerable: true, configurable: true });
}

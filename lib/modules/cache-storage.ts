/**
 * The Workers runtime's `caches` global. durasim does not emulate the Cache API: the test-runner
 * integrations, and an Emulator loading Worker code itself (loader.ts), put this stand-in on the
 * global object (only where none is), which behaves as the
 * runtime's caches do on a workers.dev deployment, where they have no effect: `put()` stores
 * nothing, `match()` finds nothing, `delete()` deletes nothing. So code that uses a cache, or
 * wraps `caches` while it loads (a tracing library, say), runs as it would there; the first use
 * warns once, naming what is not emulated and how to stub it. It is a plain global, not one of
 * the Worker globals a module is handed (worker-prelude.ts), so a stub the test puts in its place
 * (`vi.stubGlobal("caches", ...)`) is what Worker code sees.
 */

const WARNING =
  "durasim does not emulate the Cache API: caches.default and caches.open() store nothing, as on a workers.dev deployment. " +
  'To test caching, stub the global (vi.stubGlobal("caches", ...) under Vitest, globalThis.caches = ... under Jest).';

let warned = false;

function warnOnce(): void {
  if (warned) return;
  warned = true;
  console.warn(WARNING);
}

class Cache {
  async match(): Promise<undefined> {
    warnOnce();
    return undefined;
  }
  async put(): Promise<undefined> {
    warnOnce();
    return undefined;
  }
  async delete(): Promise<boolean> {
    warnOnce();
    return false;
  }
}

class CacheStorage {
  readonly #default = new Cache();

  get default(): Cache {
    return this.#default;
  }

  async open(): Promise<Cache> {
    warnOnce();
    return new Cache();
  }
}

/** Gives `global` the stand-in `caches`, unless it has one. */
export function installCacheStorage(global: object): void {
  if ("caches" in global) return;
  Object.defineProperty(global, "caches", { value: new CacheStorage(), writable: true, enumerable: true, configurable: true });
}

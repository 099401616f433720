/**
 * The Workers runtime's `caches` global, which durasim does not emulate. The test-runner
 * integrations put this stand-in on the global object (only where none is) so that code touching
 * `caches` while it loads (a library wrapping it, say) loads as it does in the runtime, and every
 * use of a cache fails with an error that names what is missing and what to do instead. It is a
 * plain global, not one of the Worker globals a module is handed (worker-prelude.ts), so a stub
 * the test puts in its place (`vi.stubGlobal("caches", ...)`) is what Worker code sees.
 */

const UNSUPPORTED =
  "durasim does not emulate the Cache API (caches.default, caches.open()). Stub the global in the test " +
  '(vi.stubGlobal("caches", ...) under Vitest, globalThis.caches = ... under Jest), or keep caching out of the code under test.';

function unsupported(): Promise<never> {
  return Promise.reject(new Error(UNSUPPORTED));
}

class Cache {
  match(): Promise<never> {
    return unsupported();
  }
  put(): Promise<never> {
    return unsupported();
  }
  delete(): Promise<never> {
    return unsupported();
  }
}

class CacheStorage {
  readonly #default = new Cache();

  get default(): Cache {
    return this.#default;
  }

  open(): Promise<never> {
    return unsupported();
  }
}

/** Gives `global` the stand-in `caches`, unless it has one. */
export function installCacheStorage(global: object): void {
  if ("caches" in global) return;
  Object.defineProperty(global, "caches", { value: new CacheStorage(), writable: true, enumerable: true, configurable: true });
}

import { MemoryStore, type StoreSnapshot } from "../shared/ordered-store.js";
import { type CachedResponse, isFresh } from "./entry.js";
import { ExpirySweep } from "../shared/expiry-sweep.js";

/**
 * Every cache of one emulator: `caches.default` and each name given to `caches.open()`, each
 * mapping a request URL to the response kept for it. Expiry is read from the emulator's clock at
 * each access (as KV's is), so moving the clock (manual time or fake timers) expires entries
 * without any timer. A snapshot is O(number of caches).
 */
export type CacheStoreSnapshot = ReadonlyMap<string, StoreSnapshot<CachedResponse>>;

/** One cache's entries, and when its expired ones are swept out (expiry-sweep.ts). */
interface Entries {
  readonly store: MemoryStore<CachedResponse>;
  readonly sweep: ExpirySweep<CachedResponse>;
}

export class CacheStore {
  readonly #now: () => number;
  readonly #caches = new Map<string, Entries>();

  constructor(now: () => number) {
    this.#now = now;
  }

  now(): number {
    return this.#now();
  }

  get(cache: string, url: string): CachedResponse | undefined {
    const store = this.#caches.get(cache)?.store;
    const entry = store?.get(url);
    if (entry === undefined) return undefined;
    if (isFresh(entry, this.#now())) return entry;
    store!.delete(url);
    return undefined;
  }

  put(cache: string, url: string, entry: CachedResponse): void {
    const entries = this.#caches.get(cache) ?? this.#newCache(cache);
    entries.store.set(url, entry);
    entries.sweep.afterPut(this.#now());
  }

  /** Whether a fresh entry was there to delete. */
  delete(cache: string, url: string): boolean {
    const found = this.get(cache, url) !== undefined;
    if (found) this.#caches.get(cache)!.store.delete(url);
    return found;
  }

  snapshot(): CacheStoreSnapshot {
    return new Map([...this.#caches].map(([name, entries]) => [name, entries.store.snapshot()]));
  }

  /** Puts every cache back as `snapshot` has it; a cache made since is emptied. */
  restore(snapshot: CacheStoreSnapshot): void {
    for (const [name, entries] of this.#caches) {
      const image = snapshot.get(name);
      if (image === undefined) this.#caches.delete(name);
      else entries.store.restore(image);
    }
    for (const [name, image] of snapshot) {
      if (!this.#caches.has(name)) this.#newCache(name).store.restore(image);
    }
  }

  #newCache(name: string): Entries {
    const store = new MemoryStore<CachedResponse>();
    const entries: Entries = { store, sweep: new ExpirySweep(store, isFresh) };
    this.#caches.set(name, entries);
    return entries;
  }

  clear(): void {
    this.#caches.clear();
  }
}

import { MemoryStore, type StoreSnapshot } from "../shared/ordered-store.js";
import { type CachedResponse, isFresh } from "./entry.js";

/**
 * Every cache of one emulator: `caches.default` and each name given to `caches.open()`, each
 * mapping a request URL to the response kept for it. Expiry is read from the emulator's clock at
 * each access (as KV's is), so moving the clock (manual time or fake timers) expires entries
 * without any timer. A snapshot is O(number of caches).
 */
export type CacheStoreSnapshot = ReadonlyMap<string, StoreSnapshot<CachedResponse>>;

export class CacheStore {
  readonly #now: () => number;
  readonly #caches = new Map<string, MemoryStore<CachedResponse>>();

  constructor(now: () => number) {
    this.#now = now;
  }

  now(): number {
    return this.#now();
  }

  get(cache: string, url: string): CachedResponse | undefined {
    const entries = this.#caches.get(cache);
    const entry = entries?.get(url);
    if (entry === undefined) return undefined;
    if (isFresh(entry, this.#now())) return entry;
    entries!.delete(url);
    return undefined;
  }

  put(cache: string, url: string, entry: CachedResponse): void {
    let entries = this.#caches.get(cache);
    if (entries === undefined) this.#caches.set(cache, (entries = new MemoryStore()));
    entries.set(url, entry);
  }

  /** Whether a fresh entry was there to delete. */
  delete(cache: string, url: string): boolean {
    const found = this.get(cache, url) !== undefined;
    if (found) this.#caches.get(cache)!.delete(url);
    return found;
  }

  snapshot(): CacheStoreSnapshot {
    return new Map([...this.#caches].map(([name, entries]) => [name, entries.snapshot()]));
  }

  /** Puts every cache back as `snapshot` has it; a cache made since is emptied. */
  restore(snapshot: CacheStoreSnapshot): void {
    for (const [name, entries] of this.#caches) {
      const image = snapshot.get(name);
      if (image === undefined) this.#caches.delete(name);
      else entries.restore(image);
    }
    for (const [name, image] of snapshot) {
      if (this.#caches.has(name)) continue;
      const entries = new MemoryStore<CachedResponse>();
      entries.restore(image);
      this.#caches.set(name, entries);
    }
  }

  clear(): void {
    this.#caches.clear();
  }
}

import { MemoryStore, type StoreSnapshot } from "../shared/ordered-store.js";
import { type CachedResponse, isFresh } from "./entry.js";

/**
 * Every cache of one emulator: `caches.default` and each name given to `caches.open()`, each
 * mapping a request URL to the response kept for it. Expiry is read from the emulator's clock at
 * each access (as KV's is), so moving the clock (manual time or fake timers) expires entries
 * without any timer. A snapshot is O(number of caches).
 */
export type CacheStoreSnapshot = ReadonlyMap<string, StoreSnapshot<CachedResponse>>;

/**
 * One cache's entries, and what decides when expired ones are swept out: an entry nobody asks
 * for again is otherwise kept for ever, so a long-lived emulator caching many URLs briefly would
 * grow without bound (3,000 expired 1 KB responses: 2.8 MB of heap). A sweep visits every entry,
 * so it runs once as many puts as it left entries (64 at least) have been made since the last:
 * O(1) per put, amortised, and never more than about twice the fresh entries kept.
 */
interface Entries {
  readonly store: MemoryStore<CachedResponse>;
  putsSinceSweep: number;
  keptBySweep: number;
}

const MIN_PUTS_BETWEEN_SWEEPS = 64;

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
    if (++entries.putsSinceSweep >= Math.max(MIN_PUTS_BETWEEN_SWEEPS, entries.keptBySweep)) this.#sweep(entries);
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
    const entries: Entries = { store: new MemoryStore(), putsSinceSweep: 0, keptBySweep: 0 };
    this.#caches.set(name, entries);
    return entries;
  }

  /** Drops the entries that have expired (see Entries). */
  #sweep(entries: Entries): void {
    const now = this.#now();
    const expired: string[] = [];
    let kept = 0;
    for (const [url, entry] of entries.store.entries()) {
      if (isFresh(entry, now)) kept++;
      else expired.push(url);
    }
    for (const url of expired) entries.store.delete(url);
    entries.putsSinceSweep = 0;
    entries.keptBySweep = kept;
  }

  clear(): void {
    this.#caches.clear();
  }
}

import type { OrderedStore } from "./ordered-store.js";

/** Puts between two sweeps at least: a small store is not swept on every put. */
const MIN_PUTS_BETWEEN_SWEEPS = 64;

/**
 * When to drop the expired entries of a store whose entries expire by the clock (a KV
 * namespace, a cache). Expiry is read at each access, so an expired entry nobody asks for again
 * would otherwise be kept for ever, and a long-lived emulator writing many keys briefly would grow
 * without bound (3,000 expired 1 KB cache entries: 2.8 MB of heap). A sweep visits every entry,
 * so it runs once as many puts as it left entries (64 at least) have been made since the last:
 * O(1) per put, amortised, and never more than about twice the live entries kept.
 */
export class ExpirySweep<V> {
  #putsSinceSweep = 0;
  #keptBySweep = 0;

  constructor(
    private readonly store: OrderedStore<V>,
    private readonly isLive: (entry: V, now: number) => boolean,
  ) {}

  /** Counts a put into the store, sweeping it when that is due. */
  afterPut(now: number): void {
    if (++this.#putsSinceSweep < Math.max(MIN_PUTS_BETWEEN_SWEEPS, this.#keptBySweep)) return;
    const expired: string[] = [];
    let kept = 0;
    for (const [key, entry] of this.store.entries()) {
      if (this.isLive(entry, now)) kept++;
      else expired.push(key);
    }
    for (const key of expired) this.store.delete(key);
    this.#putsSinceSweep = 0;
    this.#keptBySweep = kept;
  }
}

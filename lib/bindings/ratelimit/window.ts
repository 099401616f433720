/**
 * One rate limiting namespace's counters, as Miniflare 4 keeps them (its RateLimiterObject): a
 * fixed window of `period` seconds aligned to the epoch, one count per key. Time is the
 * emulator's clock, so fake timers and advanceTime() move the window. A call whose window differs
 * from the last call's forgets every key's count, whatever the period of the earlier calls: the
 * namespace keeps one window, as Miniflare's does.
 */
export interface RateLimitWindowSnapshot {
  readonly window: number;
  readonly counts: ReadonlyMap<string, number>;
}

const EMPTY: RateLimitWindowSnapshot = { window: 0, counts: new Map() };

export class RateLimitWindow {
  readonly #now: () => number;
  #window = EMPTY.window;
  #counts = new Map<string, number>();

  constructor(now: () => number) {
    this.#now = now;
  }

  /** Counts one call for `key`: false, counting nothing, once `limit` calls of this window were counted. */
  take(key: string, limit: number, period: number): boolean {
    const window = Math.floor(this.#now() / (period * 1000));
    if (window !== this.#window) {
      this.#window = window;
      this.#counts.clear();
    }
    const count = this.#counts.get(key) ?? 0;
    if (count >= limit) return false;
    this.#counts.set(key, count + 1);
    return true;
  }

  snapshot(): RateLimitWindowSnapshot {
    return { window: this.#window, counts: new Map(this.#counts) };
  }

  /** Back to `snapshot`'s counts (none: as new). */
  restore(snapshot: RateLimitWindowSnapshot = EMPTY): void {
    this.#window = snapshot.window;
    this.#counts = new Map(snapshot.counts);
  }
}

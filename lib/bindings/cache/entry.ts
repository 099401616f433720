/** A response the cache keeps: what match() rebuilds it from. Never mutated once stored. */
export interface CachedResponse {
  readonly status: number;
  /** The stored headers (freshness.ts), lower-case names, in the order they were stored. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Uint8Array;
  /** Epoch milliseconds on the emulator's clock at which it stops being served. */
  readonly expiresAt: number;
}

/** Miniflare drops an entry once its expiration is no longer after the clock. */
export function isFresh(entry: CachedResponse, now: number): boolean {
  return entry.expiresAt > now;
}

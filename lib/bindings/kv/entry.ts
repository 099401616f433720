/**
 * What a KV namespace stores under a key. Values and metadata are kept exactly as the service
 * keeps them: the value's bytes, and the metadata as the JSON text the binding sent (parsed
 * afresh on every read, so readers never share an object).
 */
export interface KvEntry {
  readonly value: Uint8Array;
  /** Absolute expiry, in whole seconds since the epoch. */
  readonly expiration?: number;
  readonly metadata?: string;
}

/** An entry is gone from the moment its expiration second begins. */
export function isLive(entry: KvEntry, nowMs: number): boolean {
  return entry.expiration === undefined || nowMs < entry.expiration * 1000;
}

export function parseMetadata(entry: KvEntry): unknown {
  return entry.metadata === undefined ? null : JSON.parse(entry.metadata);
}

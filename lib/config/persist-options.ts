/**
 * The object form of the `persist` option, on its own so that every input shape (Emulator
 * options, Miniflare's, the translated description) can name it without importing the others.
 */
export interface PersistOptions {
  /** A state directory laid out as wrangler dev's (`<path>/v3/do/...`); default "./.durasim". */
  path?: string;
  /** Durable Objects' own directory, as Miniflare's `durableObjectsPersist` (default `<path>/v3/do`). */
  durableObjects?: string;
  /** KV namespaces' directory, as Miniflare's `kvPersist` (default `<path>/v3/kv`); false: in memory. */
  kv?: string | false;
  /** R2 buckets' directory, as Miniflare's `r2Persist` (default `<path>/v3/r2`); false: in memory. */
  r2?: string | false;
  /** true (default): every commit waits for fsync; false: for the OS only (survives a killed process, not a power loss). */
  fsync?: boolean;
}

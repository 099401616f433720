import type { KeyRange, StorageBackend, StorageEntry } from "../backend.js";
import { decodeValue, encodeValue } from "../codec.js";
import { normalizeKey } from "../keys.js";
import { compileListOptions, type ListOptions } from "../list-options.js";

export interface SyncKvHooks {
  /** Called before a write, so the storage layer can open its implicit batch. */
  beforeWrite(): void;
}

/** Rows fetched per step of a `list()` iterator. */
const PAGE_SIZE = 128;

/**
 * `ctx.storage.kv`: synchronous KV over the same `_cf_KV` rows as the async API. `list()`
 * is lazy and only the newest iterator is valid, as in workerd.
 */
export class SyncKvStorage {
  #backend: StorageBackend;
  #hooks: SyncKvHooks;
  #listGeneration = 0;

  constructor(backend: StorageBackend, hooks: SyncKvHooks) {
    this.#backend = backend;
    this.#hooks = hooks;
  }

  get<T = unknown>(key: string): T | undefined {
    const bytes = this.#backend.get(normalizeKey(String(key)));
    return bytes === undefined ? undefined : (decodeValue(bytes) as T);
  }

  /** Unlike the async `put()`, workerd stores `undefined` here (list() then shows the key). */
  put<T>(key: string, value: T): void {
    const bytes = encodeValue(value);
    this.#hooks.beforeWrite();
    this.#backend.put(normalizeKey(String(key)), bytes);
  }

  delete(key: string): boolean {
    this.#hooks.beforeWrite();
    return this.#backend.delete(normalizeKey(String(key)));
  }

  list<T = unknown>(options?: ListOptions): IterableIterator<[string, T]> {
    const range = compileListOptions(options);
    const generation = ++this.#listGeneration;
    const pages = range === null ? emptyPages() : this.#pages(range);
    // A new list() only invalidates iterators still running: a finished one stays finished.
    let exhausted = false;
    return {
      next: () => {
        if (exhausted) return { done: true, value: undefined };
        if (generation !== this.#listGeneration) {
          throw new Error(
            "kv.list() iterator was invalidated because a new call to kv.list() was started. " +
              "Only one kv.list() iterator can exist at a time.",
          );
        }
        const entry = pages.next();
        if (entry.done) {
          exhausted = true;
          return { done: true, value: undefined };
        }
        const [key, bytes] = entry.value;
        return { done: false, value: [key, decodeValue(bytes) as T] };
      },
      [Symbol.iterator]() {
        return this;
      },
    };
  }

  /** Walks the range a page at a time, resuming after the last key it returned. */
  *#pages(range: KeyRange): Generator<StorageEntry> {
    let { start, end } = range;
    let remaining = range.limit ?? Infinity;
    while (remaining > 0) {
      const page = this.#backend.list({ start, end, reverse: range.reverse, limit: Math.min(PAGE_SIZE, remaining) });
      for (const entry of page) yield entry;
      remaining -= page.length;
      if (page.length < PAGE_SIZE) return;
      const lastKey = page.at(-1)![0];
      if (range.reverse) end = lastKey;
      else start = lastKey + "\0";
    }
  }
}

function* emptyPages(): Generator<StorageEntry> {}

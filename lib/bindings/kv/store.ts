import { compareKeys } from "../../storage/keys.js";
import { MemoryStore, type OrderedStore, type StoreSnapshot } from "../shared/ordered-store.js";
import { type KvEntry, isLive } from "./entry.js";
import { ExpirySweep } from "../shared/expiry-sweep.js";

/**
 * One KV namespace's data, shared by every binding that names the namespace. Expiry is read
 * from the emulator's clock at each access, so moving the clock (manual time or fake timers)
 * expires keys without any timer; an expired entry is invisible and is dropped when met, or by
 * a sweep as puts go on (expiry-sweep.ts).
 */
export class KvNamespaceStore {
  readonly #data: OrderedStore<KvEntry>;
  readonly #now: () => number;
  readonly #sweep: ExpirySweep<KvEntry>;

  constructor(now: () => number, data: OrderedStore<KvEntry> = new MemoryStore<KvEntry>()) {
    this.#now = now;
    this.#data = data;
    this.#sweep = new ExpirySweep(data, isLive);
  }

  now(): number {
    return this.#now();
  }

  get(key: string): KvEntry | undefined {
    const entry = this.#data.get(key);
    if (entry === undefined) return undefined;
    if (isLive(entry, this.#now())) return entry;
    this.#data.delete(key);
    return undefined;
  }

  put(key: string, entry: KvEntry): void {
    this.#data.set(key, entry);
    this.#sweep.afterPut(this.#now());
  }

  delete(key: string): void {
    this.#data.delete(key);
  }

  /** Up to `limit` live entries whose keys start with `prefix`, after `after`, in key order. */
  list(prefix: string, after: string | undefined, limit: number): { entries: Array<[string, KvEntry]>; more: boolean } {
    const now = this.#now();
    const entries: Array<[string, KvEntry]> = [];
    const from = after !== undefined && compareKeys(after, prefix) >= 0 ? { after } : { start: prefix };
    for (const [key, entry] of this.#data.entries(from)) {
      if (!key.startsWith(prefix)) break;
      if (!isLive(entry, now)) continue;
      if (entries.length === limit) return { entries, more: true };
      entries.push([key, entry]);
    }
    return { entries, more: false };
  }

  snapshot(): StoreSnapshot<KvEntry> {
    return this.#data.snapshot();
  }

  restore(snapshot: StoreSnapshot<KvEntry>): void {
    this.#data.restore(snapshot);
  }
}

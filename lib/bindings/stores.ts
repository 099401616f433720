import type { KvEntry } from "./kv/entry.js";
import { KvNamespace } from "./kv/namespace.js";
import { KvNamespaceStore } from "./kv/store.js";
import { R2Bucket } from "./r2/bucket.js";
import { type R2BucketSnapshot, R2BucketStore } from "./r2/store.js";
import type { AssertUsable } from "./shared/io.js";
import type { StoreSnapshot } from "./shared/ordered-store.js";

/**
 * Every KV namespace and R2 bucket of one emulator, by id: bindings that name the same id (in
 * any Worker) share one store. snapshot() and restore() cover them all in O(number of stores)
 * (each store's own snapshot is O(1)); a store created after a snapshot is emptied by
 * restoring it. clear() empties everything (cloudflare:test's reset()).
 */
export interface BindingStoresSnapshot {
  readonly kv: ReadonlyMap<string, StoreSnapshot<KvEntry>>;
  readonly r2: ReadonlyMap<string, R2BucketSnapshot>;
}

export class BindingStores {
  readonly #now: () => number;
  readonly #kv = new Map<string, KvNamespaceStore>();
  readonly #r2 = new Map<string, R2BucketStore>();
  readonly #empty: { kv: StoreSnapshot<KvEntry>; r2: R2BucketSnapshot };

  constructor(now: () => number) {
    this.#now = now;
    this.#empty = { kv: new KvNamespaceStore(now).snapshot(), r2: new R2BucketStore(now).snapshot() };
  }

  /** A new binding object over the namespace `id`'s store; it fails once `assertUsable` throws. */
  kvNamespace(id: string, assertUsable?: AssertUsable): KvNamespace {
    let store = this.#kv.get(id);
    if (store === undefined) this.#kv.set(id, (store = new KvNamespaceStore(this.#now)));
    return new KvNamespace(store, assertUsable);
  }

  /** A new binding object over the bucket `name`'s store; it fails once `assertUsable` throws. */
  r2Bucket(name: string, assertUsable?: AssertUsable): R2Bucket {
    let store = this.#r2.get(name);
    if (store === undefined) this.#r2.set(name, (store = new R2BucketStore(this.#now)));
    return new R2Bucket(store, assertUsable);
  }

  snapshot(): BindingStoresSnapshot {
    return {
      kv: new Map([...this.#kv].map(([id, store]) => [id, store.snapshot()])),
      r2: new Map([...this.#r2].map(([id, store]) => [id, store.snapshot()])),
    };
  }

  restore(snapshot: BindingStoresSnapshot): void {
    for (const [id, store] of this.#kv) store.restore(snapshot.kv.get(id) ?? this.#empty.kv);
    for (const [id, store] of this.#r2) store.restore(snapshot.r2.get(id) ?? this.#empty.r2);
  }

  clear(): void {
    for (const store of this.#kv.values()) store.restore(this.#empty.kv);
    for (const store of this.#r2.values()) store.restore(this.#empty.r2);
  }
}

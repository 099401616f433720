import { IdFactory } from "../runtime/ids.js";
import { sqlEngineReady } from "../sqlite/engine.js";
import type { Durability } from "../storage/persist/durability.js";
import type { PersistLayout } from "../storage/persist/layout.js";
import { CacheStore, type CacheStoreSnapshot } from "./cache/store.js";
import type { KvEntry } from "./kv/entry.js";
import { KvNamespace } from "./kv/namespace.js";
import { PersistedKvData } from "./kv/persisted.js";
import { KvNamespaceStore } from "./kv/store.js";
import { R2Bucket } from "./r2/bucket.js";
import { openPersistedBucket } from "./r2/persisted.js";
import { type R2BucketSnapshot, R2BucketStore } from "./r2/store.js";
import { type RateLimitConfig, RateLimiter } from "./ratelimit/rate-limiter.js";
import { RateLimitWindow, type RateLimitWindowSnapshot } from "./ratelimit/window.js";
import { BlobFiles } from "./shared/blob-files.js";
import { type BindingContext, type BindingOwner, DETACHED } from "./shared/io.js";
import { LazyStore, type StoreSnapshot } from "./shared/ordered-store.js";

/**
 * Every KV namespace and R2 bucket of one emulator, by id, and its Cache API caches (always in
 * memory: Miniflare's `cachePersist` is not emulated): bindings that name the same id (in
 * any Worker) share one store. In memory by default; with `persistence`, on disk in wrangler
 * dev's layout, where Miniflare keeps each namespace and bucket as a Durable Object of its own
 * (`miniflare-KVNamespaceObject` / `miniflare-R2BucketObject`, named by the id) plus a blob
 * directory named by the id. snapshot() and restore() cover every store in O(number of
 * stores) (each store's own snapshot is O(1)); a store created after a snapshot is emptied by
 * restoring it. clear() empties everything (cloudflare:test's reset()).
 */
export interface BindingStoresSnapshot {
  readonly kv: ReadonlyMap<string, StoreSnapshot<KvEntry>>;
  readonly r2: ReadonlyMap<string, R2BucketSnapshot>;
  readonly caches: CacheStoreSnapshot;
  readonly rateLimits: ReadonlyMap<string, RateLimitWindowSnapshot>;
}

export interface BindingPersistence {
  readonly layout: PersistLayout;
  readonly durability: Durability;
}

const KV_OBJECTS = "miniflare-KVNamespaceObject";
const R2_OBJECTS = "miniflare-R2BucketObject";

export class BindingStores {
  readonly #now: () => number;
  readonly #persistence: BindingPersistence | undefined;
  readonly #kv = new Map<string, KvNamespaceStore>();
  readonly #r2 = new Map<string, R2BucketStore>();
  readonly #rateLimits = new Map<string, RateLimitWindow>();
  /** What `caches.default` and `caches.open()` reach from this emulator's Workers. */
  readonly caches: CacheStore;
  readonly #empty: { kv: StoreSnapshot<KvEntry>; r2: R2BucketSnapshot };
  /**
   * Pending while persisted stores wait for the SQLite engine. In an object of its own: what a
   * binding waits on holds this alone, not the stores (a binding user code keeps of a disposed
   * emulator would keep every store, the caches and their emptied maps reachable).
   */
  readonly #opening: { pending: Promise<void> | undefined } = { pending: undefined };

  constructor(now: () => number, persistence?: BindingPersistence) {
    this.#now = now;
    this.#persistence = persistence;
    this.caches = new CacheStore(now);
    this.#empty = { kv: new KvNamespaceStore(now).snapshot(), r2: new R2BucketStore(now).snapshot() };
    const opening = this.#opening;
    if (persistence !== undefined) opening.pending = sqlEngineReady()?.then(() => void (opening.pending = undefined));
  }

  /** Pending until every store can be used (persisted stores need the SQLite engine). */
  get ready(): Promise<void> | undefined {
    return this.#opening.pending;
  }

  /** A new binding object over the namespace `id`'s store; it fails once `owner` is disposed. */
  kvNamespace(id: string, owner: BindingOwner = DETACHED): KvNamespace {
    let store = this.#kv.get(id);
    if (store === undefined) this.#kv.set(id, (store = this.#openKv(id)));
    return new KvNamespace(store, this.#context(owner));
  }

  /** A new binding object over the bucket `name`'s store; it fails once `owner` is disposed. */
  r2Bucket(name: string, owner: BindingOwner = DETACHED): R2Bucket {
    let store = this.#r2.get(name);
    if (store === undefined) this.#r2.set(name, (store = this.#openR2(name)));
    return new R2Bucket(store, this.#context(owner));
  }

  /** A new rate limiting binding counting in the namespace `id` (shared by every binding naming it); it fails once `owner` is disposed. */
  rateLimiter(id: string, config: RateLimitConfig, owner: BindingOwner = DETACHED): RateLimiter {
    let window = this.#rateLimits.get(id);
    if (window === undefined) this.#rateLimits.set(id, (window = new RateLimitWindow(this.#now)));
    return new RateLimiter(window, config, this.#context(owner));
  }

  snapshot(): BindingStoresSnapshot {
    return {
      kv: new Map([...this.#kv].map(([id, store]) => [id, store.snapshot()])),
      r2: new Map([...this.#r2].map(([id, store]) => [id, store.snapshot()])),
      caches: this.caches.snapshot(),
      rateLimits: new Map([...this.#rateLimits].map(([id, window]) => [id, window.snapshot()])),
    };
  }

  restore(snapshot: BindingStoresSnapshot): void {
    for (const [id, store] of this.#kv) store.restore(snapshot.kv.get(id) ?? this.#empty.kv);
    for (const [id, store] of this.#r2) store.restore(snapshot.r2.get(id) ?? this.#empty.r2);
    this.caches.restore(snapshot.caches);
    for (const [id, window] of this.#rateLimits) window.restore(snapshot.rateLimits.get(id));
  }

  clear(): void {
    for (const store of this.#kv.values()) store.restore(this.#empty.kv);
    for (const store of this.#r2.values()) store.restore(this.#empty.r2);
    this.caches.clear();
    for (const window of this.#rateLimits.values()) window.restore();
  }

  /**
   * The emulator is disposed: stores in memory let go of their data, which no one can read any
   * more (every binding fails its calls now) but a binding user code keeps would still hold.
   * Stores on disk keep theirs for the next emulator over the directory.
   */
  release(): void {
    if (this.#inMemory("kv")) for (const store of this.#kv.values()) store.restore(this.#empty.kv);
    if (this.#inMemory("r2")) for (const store of this.#r2.values()) store.restore(this.#empty.r2);
    this.caches.clear();
    for (const window of this.#rateLimits.values()) window.restore();
  }

  #inMemory(kind: "kv" | "r2"): boolean {
    return this.#persistence === undefined || !this.#persistence.layout.persists(kind);
  }

  #context({ assertUsable, ended }: BindingOwner): BindingContext {
    const opening = this.#opening;
    return { assertUsable, ended, ready: () => opening.pending };
  }

  #openKv(id: string): KvNamespaceStore {
    if (this.#inMemory("kv")) return new KvNamespaceStore(this.#now);
    const { layout, durability } = this.#persistence!;
    const blobs = new BlobFiles((blobId) => layout.bindingPath("kv", id, "blobs", blobId), durability);
    const database = layout.bindingPath("kv", KV_OBJECTS, `${objectIdOf(KV_OBJECTS, id)}.sqlite`);
    return new KvNamespaceStore(this.#now, new LazyStore(() => new PersistedKvData(database, blobs, durability, this.#now)));
  }

  #openR2(name: string): R2BucketStore {
    if (this.#inMemory("r2")) return new R2BucketStore(this.#now);
    const { layout, durability } = this.#persistence!;
    const blobs = new BlobFiles((blobId) => layout.bindingPath("r2", name, "blobs", blobId), durability);
    const database = layout.bindingPath("r2", R2_OBJECTS, `${objectIdOf(R2_OBJECTS, name)}.sqlite`);
    let bucket: ReturnType<typeof openPersistedBucket> | undefined;
    const open = () => (bucket ??= openPersistedBucket(database, blobs, durability, this.#now));
    return new R2BucketStore(this.#now, new LazyStore(() => open().objects), new LazyStore(() => open().uploads));
  }
}

/** The id Miniflare's Durable Object for a namespace or bucket has: idFromName(id) in its class. */
function objectIdOf(uniqueKey: string, name: string): string {
  return new IdFactory(uniqueKey).fromName(name);
}

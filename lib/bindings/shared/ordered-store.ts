import { compareKeys } from "../../storage/keys.js";
import BTreeModule from "sorted-btree";
import type * as SortedBTree from "sorted-btree";

/**
 * The storage under a KV namespace or an R2 bucket: string keys in UTF-8 byte order (the order
 * both services list in) mapped to immutable records. A snapshot is O(1): the B+tree is
 * copy-on-write, so taking one shares every node and later writes copy only the path they
 * touch; restoring one shares it again, so one snapshot can be restored any number of times.
 * Records must never be mutated once stored (callers copy bytes in and out).
 */
export interface OrderedStore<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): void;
  /** Returns whether the key existed. */
  delete(key: string): boolean;
  /** Entries in key order from the first key after `after` (exclusive) or at `start` (inclusive). */
  entries(from?: { after?: string; start?: string }): IterableIterator<[string, V]>;
  snapshot(): StoreSnapshot<V>;
  restore(snapshot: StoreSnapshot<V>): void;
}

/** An opaque, immutable image of a store's contents. */
export interface StoreSnapshot<V> {
  readonly [snapshotBrand]: V;
}
declare const snapshotBrand: unique symbol;

// sorted-btree is CommonJS with an `exports.default`: Node's ESM loader hands us the exports
// object, while bundler-style interop (Vitest) unwraps `default` already.
type BTreeClass = typeof BTreeModule.default;
const BTree: BTreeClass = (BTreeModule as unknown as { default?: BTreeClass }).default ?? (BTreeModule as unknown as BTreeClass);
type Tree<V> = SortedBTree.default<string, V>;

/** The in-memory store. */
export class MemoryStore<V> implements OrderedStore<V> {
  #tree: Tree<V> = new BTree<string, V>(undefined, compareKeys);

  get(key: string): V | undefined {
    return this.#tree.get(key);
  }

  set(key: string, value: V): void {
    this.#tree.set(key, value);
  }

  delete(key: string): boolean {
    return this.#tree.delete(key);
  }

  *entries(from: { after?: string; start?: string } = {}): IterableIterator<[string, V]> {
    const first = from.after !== undefined ? this.#tree.nextHigherKey(from.after) : from.start;
    if (from.after !== undefined && first === undefined) return;
    yield* this.#tree.entries(first);
  }

  snapshot(): StoreSnapshot<V> {
    return this.#tree.clone() as unknown as StoreSnapshot<V>;
  }

  restore(snapshot: StoreSnapshot<V>): void {
    // Clone again: the snapshot itself stays untouched by writes after the restore.
    this.#tree = (snapshot as unknown as Tree<V>).clone();
  }

  /**
   * Restores `snapshot`, then runs `persist`, which writes the restored entries to disk: if it
   * throws, the store goes back to what it held (what the disk still holds) and the error is thrown.
   */
  restoreAndPersist<T>(snapshot: StoreSnapshot<V>, persist: () => T): T {
    const before = this.#tree;
    this.restore(snapshot);
    try {
      return persist();
    } catch (error) {
      this.#tree = before;
      throw error;
    }
  }
}

/** A store opened on first use (a persisted store cannot open before the SQLite engine loads). */
export class LazyStore<V> implements OrderedStore<V> {
  readonly #open: () => OrderedStore<V>;
  #store: OrderedStore<V> | undefined;

  constructor(open: () => OrderedStore<V>) {
    this.#open = open;
  }

  get(key: string): V | undefined {
    return this.#opened().get(key);
  }

  set(key: string, value: V): void {
    this.#opened().set(key, value);
  }

  delete(key: string): boolean {
    return this.#opened().delete(key);
  }

  entries(from?: { after?: string; start?: string }): IterableIterator<[string, V]> {
    return this.#opened().entries(from);
  }

  snapshot(): StoreSnapshot<V> {
    return this.#opened().snapshot();
  }

  restore(snapshot: StoreSnapshot<V>): void {
    this.#opened().restore(snapshot);
  }

  #opened(): OrderedStore<V> {
    this.#store ??= this.#open();
    return this.#store;
  }
}

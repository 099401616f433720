import BTreeModule from "sorted-btree";
import type * as SortedBTree from "sorted-btree";
import { compareKeys } from "../keys.js";

// sorted-btree is CommonJS with an `exports.default`: Node's ESM loader hands us the exports
// object, while bundler-style interop (Vitest) unwraps `default` already.
type BTreeClass = typeof BTreeModule.default;
const BTree: BTreeClass = (BTreeModule as unknown as { default?: BTreeClass }).default ?? (BTreeModule as unknown as BTreeClass);
type BTree = SortedBTree.default<string, string>;

/**
 * Past this many remembered keys the memo starts over: it speeds up the keys an object is
 * working on, and must not grow into a second index of a large object.
 */
const MEMO_LIMIT = 4096;

/**
 * The KV backend's store past FEW_KEYS keys (see few-keys.ts): a B+tree, which keeps the keys
 * in UTF-8 order for range scans, beside a memo of the values of the keys read or written
 * lately. A point read of such a key, and the undo log's read of a key's previous value as it
 * is written, cost one hash lookup instead of a descent through the tree comparing the key at
 * every step (three descents for a `put()` and a `get()` of one key, now one).
 *
 * Invariant: every memo entry is the tree's value for its key, since each write goes to both.
 * A copy (a snapshot, a restore) shares the tree copy-on-write and starts with no memo: the
 * tree either copy changes is its own, and so is the memo.
 */
export class ManyKeys {
  readonly #tree: BTree;
  #memo: Map<string, string> | undefined;

  private constructor(tree: BTree) {
    this.#tree = tree;
  }

  /** A store of these [key, value] pairs, in ascending key order. */
  static of(pairs: Array<[string, string]>): ManyKeys {
    return new ManyKeys(new BTree<string, string>(pairs, compareKeys));
  }

  get size(): number {
    return this.#tree.size;
  }

  get(key: string): string | undefined {
    const remembered = this.#memo?.get(key);
    if (remembered !== undefined) return remembered;
    const value = this.#tree.get(key);
    if (value !== undefined) this.#remember(key, value);
    return value;
  }

  set(key: string, value: string): void {
    this.#tree.set(key, value);
    this.#remember(key, value);
  }

  delete(key: string): void {
    this.#tree.delete(key);
    this.#memo?.delete(key);
  }

  /** A copy later writes to either side never show in (O(1): the tree is shared copy-on-write). */
  clone(): ManyKeys {
    return new ManyKeys(this.#tree.clone());
  }

  /** Entries from the first key at or after `lowest` (from the first key when undefined), ascending. */
  entries(lowest?: string): IterableIterator<[string, string]> {
    return this.#tree.entries(lowest);
  }

  /** Entries from the last key at or before `highest` (from the last key when undefined), descending. */
  entriesReversed(highest?: string): IterableIterator<[string, string]> {
    return this.#tree.entriesReversed(highest);
  }

  /** The greatest key below `key`, if any. */
  nextLowerKey(key: string): string | undefined {
    return this.#tree.nextLowerKey(key);
  }

  #remember(key: string, value: string): void {
    let memo = this.#memo;
    if (memo === undefined) memo = this.#memo = new Map();
    else if (memo.size >= MEMO_LIMIT && !memo.has(key)) memo.clear();
    memo.set(key, value);
  }
}

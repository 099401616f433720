import BTreeModule from "sorted-btree";
import type * as SortedBTree from "sorted-btree";
import { compareKeys } from "../keys.js";

// sorted-btree is CommonJS with an `exports.default`: Node's ESM loader hands us the exports
// object, while bundler-style interop (Vitest) unwraps `default` already.
type BTreeClass = typeof BTreeModule.default;
const BTree: BTreeClass = (BTreeModule as unknown as { default?: BTreeClass }).default ?? (BTreeModule as unknown as BTreeClass);
type BTree = SortedBTree.default<string, string | { value: string }>;

/**
 * Past this many remembered keys the memo starts over: it speeds up the keys an object is
 * working on, and must not grow into a second index of a large object.
 */
const MEMO_LIMIT = 4096;

/**
 * A value the tree holds in a box of its own, so that writing the key again changes the box
 * instead of descending the tree to replace it. Only keys written again while remembered get
 * one (a box costs about 32 bytes; a key written once keeps its bare string).
 */
interface Box {
  value: string;
}

/** What the tree holds for a key: its value, or a Box of it. */
type Held = string | Box;

function valueOf(held: Held): string {
  return typeof held === "string" ? held : held.value;
}

/**
 * The KV backend's store past FEW_KEYS keys (see few-keys.ts): a B+tree, which keeps the keys
 * in UTF-8 order for range scans, beside a memo of the keys read or written lately. A point
 * read of such a key, the undo log's read of a key's previous value as it is written, and a
 * write of a key written lately cost one hash lookup instead of a descent through the tree
 * comparing the key at every step (the B+tree's descent was most of a put()'s own cost).
 *
 * Invariants: every memo entry is what the tree holds for its key (its value, or the same Box),
 * since each write goes to both. A Box in the memo is this store's own: made since the store
 * was last cloned, so no other tree reaches it, and it may be written in place. A copy (a
 * snapshot, a restore) shares the tree copy-on-write, Boxes included; so clone() empties the
 * memo of both sides, and from then on each writes a new Box into its own path of the tree.
 */
export class ManyKeys {
  readonly #tree: BTree;
  #memo: Map<string, Held> | undefined;

  private constructor(tree: BTree) {
    this.#tree = tree;
  }

  /** A store of these [key, value] pairs, in ascending key order. */
  static of(pairs: Array<[string, string]>): ManyKeys {
    return new ManyKeys(new BTree<string, Held>(pairs, compareKeys));
  }

  get size(): number {
    return this.#tree.size;
  }

  get(key: string): string | undefined {
    const remembered = this.#memo?.get(key);
    if (remembered !== undefined) return valueOf(remembered);
    const held = this.#tree.get(key);
    if (held === undefined) return undefined;
    // A Box read from the tree may be shared with a copy: the memo keeps its value instead.
    const value = valueOf(held);
    this.#remember(key, value);
    return value;
  }

  set(key: string, value: string): void {
    const remembered = this.#memo?.get(key);
    if (typeof remembered === "object") {
      remembered.value = value;
      return;
    }
    // Written again while remembered (the usual read-modify-write): boxed from now on.
    const held: Held = remembered === undefined ? value : { value };
    this.#tree.set(key, held);
    this.#remember(key, held);
  }

  delete(key: string): void {
    this.#tree.delete(key);
    this.#memo?.delete(key);
  }

  /** A copy later writes to either side never show in (O(1): the tree is shared copy-on-write). */
  clone(): ManyKeys {
    // Each Box the memo holds is now reachable from the copy too (see the invariants).
    this.#memo = undefined;
    return new ManyKeys(this.#tree.clone());
  }

  /** Entries from the first key at or after `lowest` (from the first key when undefined), ascending. */
  *entries(lowest?: string): IterableIterator<[string, string]> {
    for (const pair of this.#tree.entries(lowest)) yield unboxed(pair);
  }

  /** Entries from the last key at or before `highest` (from the last key when undefined), descending. */
  *entriesReversed(highest?: string): IterableIterator<[string, string]> {
    for (const pair of this.#tree.entriesReversed(highest)) yield unboxed(pair);
  }

  /** The greatest key below `key`, if any. */
  nextLowerKey(key: string): string | undefined {
    return this.#tree.nextLowerKey(key);
  }

  #remember(key: string, held: Held): void {
    let memo = this.#memo;
    if (memo === undefined) memo = this.#memo = new Map();
    else if (memo.size >= MEMO_LIMIT && !memo.has(key)) memo.clear();
    memo.set(key, held);
  }
}

/** The tree's entry with its value unboxed (the B+tree makes a fresh pair for each entry). */
function unboxed(pair: [string, Held]): [string, string] {
  if (typeof pair[1] !== "string") pair[1] = pair[1].value;
  return pair as [string, string];
}

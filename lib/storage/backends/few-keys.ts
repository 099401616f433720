import { compareKeys } from "../keys.js";

/**
 * The KV backend's store while an object holds few keys: keys and values interleaved in one
 * array of exact length, sorted by key in UTF-8 order. A B+tree costs an object about 500 bytes
 * for ten small values (the tree, a leaf, and two arrays grown by splicing to 17 slots); this,
 * about 200. Most objects hold a handful of keys; past FEW_KEYS the backend moves to a B+tree.
 *
 * The array is never changed in place: every write makes a new one (a copy of at most
 * 2 x FEW_KEYS slots), so `clone()` shares it and costs O(1), as the B+tree's copy-on-write
 * clone does. The methods are the B+tree's that the backend uses, with the same meaning.
 */

/** Past this many keys, an object's store is a B+tree. */
export const FEW_KEYS = 32;

export class FewKeys {
  /** key, value, key, value, ... in ascending key order. */
  #pairs: readonly string[];

  constructor(pairs: readonly string[] = []) {
    this.#pairs = pairs;
  }

  get size(): number {
    return this.#pairs.length / 2;
  }

  get(key: string): string | undefined {
    const at = this.find(key);
    return at >= 0 ? this.#pairs[at + 1] : undefined;
  }

  set(key: string, value: string): void {
    const at = this.find(key);
    if (at >= 0) this.#pairs = this.#pairs.with(at + 1, value);
    else this.#pairs = this.#pairs.toSpliced(~at, 0, key, value);
  }

  delete(key: string): boolean {
    const at = this.find(key);
    if (at < 0) return false;
    this.#pairs = this.#pairs.toSpliced(at, 2);
    return true;
  }

  clear(): void {
    this.#pairs = [];
  }

  clone(): FewKeys {
    return new FewKeys(this.#pairs);
  }

  /** key, value, key, value, ... in ascending key order (what a B+tree is built from). */
  pairs(): Array<[string, string]> {
    const pairs = this.#pairs;
    const out: Array<[string, string]> = [];
    for (let at = 0; at < pairs.length; at += 2) out.push([pairs[at]!, pairs[at + 1]!]);
    return out;
  }

  /** Entries from the first key at or after `lowest` (from the first key when undefined), ascending. */
  *entries(lowest?: string): IterableIterator<[string, string]> {
    const pairs = this.#pairs;
    let at = lowest === undefined ? 0 : this.find(lowest);
    if (at < 0) at = ~at;
    for (; at < pairs.length; at += 2) yield [pairs[at]!, pairs[at + 1]!];
  }

  /** Entries from the last key at or before `highest` (from the last key when undefined), descending. */
  *entriesReversed(highest?: string): IterableIterator<[string, string]> {
    const pairs = this.#pairs;
    let at = highest === undefined ? pairs.length - 2 : this.find(highest);
    if (at < 0) at = ~at - 2;
    for (; at >= 0; at -= 2) yield [pairs[at]!, pairs[at + 1]!];
  }

  /** The greatest key below `key`, if any. */
  nextLowerKey(key: string): string | undefined {
    const at = this.find(key);
    const below = (at >= 0 ? at : ~at) - 2;
    return below >= 0 ? this.#pairs[below] : undefined;
  }

  /** The key's slot (even), or, when absent, ~(the slot it would be inserted at). */
  private find(key: string): number {
    const pairs = this.#pairs;
    let low = 0;
    let high = pairs.length / 2 - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const order = compareKeys(pairs[middle * 2]!, key);
      if (order === 0) return middle * 2;
      if (order < 0) low = middle + 1;
      else high = middle - 1;
    }
    return ~(low * 2);
  }
}

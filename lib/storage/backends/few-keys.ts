import { compareKeys } from "../keys.js";
import { appendOwn } from "../../util/own-arrays.js";

/**
 * The KV backend's store while an object holds few keys: keys and values interleaved in one
 * array of exact length, sorted by key in UTF-8 order, held by the backend as it is (no object
 * around it). A B+tree costs an object about 500 bytes for ten small values (the tree, a leaf,
 * and two arrays grown by splicing to 17 slots); this, about 200. Most objects hold a handful
 * of keys; past FEW_KEYS the backend moves to a B+tree.
 *
 * An array is never changed in place: every write makes a new one (a copy of at most
 * 2 x FEW_KEYS slots), so a snapshot shares it and costs O(1), as the B+tree's copy-on-write
 * clone does. The functions are the B+tree's methods that the backend uses, with the same
 * meaning; those that write return the new array.
 */
export type FewKeys = readonly string[];

/** Past this many keys, an object's store is a B+tree. */
export const FEW_KEYS = 32;

export const NO_KEYS: FewKeys = Object.freeze([]);

export function fewSize(pairs: FewKeys): number {
  return pairs.length / 2;
}

export function fewGet(pairs: FewKeys, key: string): string | undefined {
  const at = find(pairs, key);
  return at >= 0 ? pairs[at + 1] : undefined;
}

export function fewSet(pairs: FewKeys, key: string, value: string): FewKeys {
  const at = find(pairs, key);
  return at >= 0 ? pairs.with(at + 1, value) : pairs.toSpliced(~at, 0, key, value);
}

/**
 * fewSet for each entry in order (a key given twice keeps its last value), in one new array of
 * exact length: a batch of puts copies the keys once rather than once per key.
 */
export function fewSetAll<V>(pairs: FewKeys, entries: ReadonlyArray<readonly [string, V]>, stored: (value: V) => string): FewKeys {
  let inserts = 0;
  for (let i = 0; i < entries.length; i++) if (find(pairs, entries[i]![0]) < 0) inserts++;
  // Every slot is made an own property first (Array.from defines them): assigning to a hole
  // (or reading past the end) would find an accessor object code put on Array.prototype.
  const out = Array.from({ length: pairs.length + 2 * inserts }, (_, at) => (at < pairs.length ? pairs[at]! : ""));
  let used = pairs.length;
  for (let i = 0; i < entries.length; i++) {
    // Indexed, not destructured: destructuring calls the array iterator, which code may patch.
    const entry = entries[i]!;
    const key = entry[0];
    const value = entry[1];
    const at = find(out, key, used);
    if (at >= 0) {
      out[at + 1] = stored(value);
    } else {
      out.copyWithin(~at + 2, ~at, used);
      out[~at] = key;
      out[~at + 1] = stored(value);
      used += 2;
    }
  }
  // A key given twice was counted twice: the copy drops the unused end (shortening an array
  // may keep its room).
  return used === out.length ? out : out.slice(0, used);
}

export function fewDelete(pairs: FewKeys, key: string): FewKeys {
  const at = find(pairs, key);
  return at < 0 ? pairs : pairs.toSpliced(at, 2);
}

/** [key, value] pairs in ascending key order (what a B+tree is built from). */
export function fewPairs(pairs: FewKeys): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let at = 0; at < pairs.length; at += 2) appendOwn(out, [pairs[at]!, pairs[at + 1]!]);
  return out;
}

/** Entries from the first key at or after `lowest` (from the first key when undefined), ascending. */
export function* fewEntries(pairs: FewKeys, lowest?: string): IterableIterator<[string, string]> {
  let at = lowest === undefined ? 0 : find(pairs, lowest);
  if (at < 0) at = ~at;
  for (; at < pairs.length; at += 2) yield [pairs[at]!, pairs[at + 1]!];
}

/** Entries from the last key at or before `highest` (from the last key when undefined), descending. */
export function* fewEntriesReversed(pairs: FewKeys, highest?: string): IterableIterator<[string, string]> {
  let at = highest === undefined ? pairs.length - 2 : find(pairs, highest);
  if (at < 0) at = ~at - 2;
  for (; at >= 0; at -= 2) yield [pairs[at]!, pairs[at + 1]!];
}

/** The greatest key below `key`, if any. */
export function fewNextLowerKey(pairs: FewKeys, key: string): string | undefined {
  const at = find(pairs, key);
  const below = (at >= 0 ? at : ~at) - 2;
  return below >= 0 ? pairs[below] : undefined;
}

/** The key's slot (even), or, when absent, ~(the slot it would be inserted at), among the first `length` slots. */
function find(pairs: FewKeys, key: string, length = pairs.length): number {
  let low = 0;
  let high = length / 2 - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const order = compareKeys(pairs[middle * 2]!, key);
    if (order === 0) return middle * 2;
    if (order < 0) low = middle + 1;
    else high = middle - 1;
  }
  return ~(low * 2);
}

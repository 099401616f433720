import type { KeyRange } from "./backend.js";
import { compareKeys } from "./keys.js";

export interface ListOptions {
  start?: string;
  startAfter?: string;
  end?: string;
  prefix?: string;
  reverse?: boolean;
  limit?: number;
}

/**
 * Turns `list()` options (already converted, see storage/api/arguments) into a key range, with
 * the runtime's validation errors. Returns null for a range that is provably empty (which lists
 * nothing, without error). `toKey` turns a bound into the backend's key form (by default the
 * key as given, which both the memory backend and SQLite-backed storage store).
 */
export function compileListOptions(options: ListOptions = {}, toKey: (key: string) => string = (key) => key): KeyRange | null {
  const { startAfter, prefix, reverse, limit } = options;
  let start = options.start === undefined ? undefined : toKey(options.start);
  let end = options.end === undefined ? undefined : toKey(options.end);
  if (start !== undefined && startAfter !== undefined) {
    throw new TypeError("list() cannot be called with both start and startAfter values.");
  }
  if (limit !== undefined && limit <= 0) throw new TypeError("List limit must be positive.");
  // The runtime implements startAfter as the smallest key after it: startAfter + "\0".
  if (startAfter !== undefined) start = toKey(startAfter) + "\0";
  if (prefix !== undefined) {
    const p = toKey(prefix);
    if (start === undefined || compareKeys(start, p) < 0) start = p;
    const prefixEnd = successor(p);
    if (prefixEnd !== undefined && (end === undefined || compareKeys(prefixEnd, end) < 0)) end = prefixEnd;
  }
  // No start is the empty key, the smallest: an end of "" leaves nothing before it.
  if (end !== undefined && compareKeys(end, start ?? "") <= 0) return null;
  const range: KeyRange = { reverse: Boolean(reverse) };
  if (start !== undefined) range.start = start;
  if (end !== undefined) range.end = end;
  if (limit !== undefined) range.limit = limit;
  return range;
}

/**
 * The smallest string greater than every string that starts with `prefix` (in code point
 * order), or undefined when no such bound exists (empty prefix, or all U+10FFFF).
 */
function successor(prefix: string): string | undefined {
  const codePoints = Array.from(prefix);
  while (codePoints.length > 0) {
    const last = codePoints.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) {
      const next = last === 0xd7ff ? 0xe000 : last + 1; // surrogates are not code points
      return codePoints.join("") + String.fromCodePoint(next);
    }
  }
  return undefined;
}

import type { KeyRange } from "../backend.js";
import { compareKeys, normalizeKey } from "../key-order.js";

/**
 * PRIVATE STAND-IN for `lib/storage/list-options.ts` (`compileListOptions`), which the storage
 * layer will provide; SyncKvStorage switches to it once it exists.
 *
 * The list() option rules of workerd's `compileListOptions`: `startAfter` means
 * `start = startAfter + "\0"`, `prefix` narrows start and end, and an empty range is null.
 */
export interface ListOptions {
  start?: string;
  startAfter?: string;
  end?: string;
  prefix?: string;
  reverse?: boolean;
  limit?: number;
}

export function compileListOptions(options: ListOptions = {}): KeyRange | null {
  if (options.start !== undefined && options.startAfter !== undefined) {
    throw new TypeError("list() cannot be called with both start and startAfter values.");
  }
  if (options.limit !== undefined && !(options.limit > 0)) throw new TypeError("List limit must be positive.");
  let start = options.startAfter !== undefined ? normalizeKey(String(options.startAfter)) + "\0" : optionalKey(options.start);
  let end = optionalKey(options.end);
  if (options.prefix !== undefined) {
    const prefix = normalizeKey(String(options.prefix));
    if (start === undefined || compareKeys(start, prefix) < 0) start = prefix;
    const prefixEnd = successorOfPrefix(prefix);
    if (prefixEnd !== undefined && (end === undefined || compareKeys(prefixEnd, end) < 0)) end = prefixEnd;
  }
  if (start !== undefined && end !== undefined && compareKeys(end, start) <= 0) return null;
  const range: KeyRange = { reverse: options.reverse === true };
  if (start !== undefined) range.start = start;
  if (end !== undefined) range.end = end;
  if (options.limit !== undefined) range.limit = options.limit;
  return range;
}

function optionalKey(key: string | undefined): string | undefined {
  return key === undefined ? undefined : normalizeKey(String(key));
}

/** The first key after every key that starts with `prefix`; undefined when there is none. */
function successorOfPrefix(prefix: string): string | undefined {
  const codePoints = [...prefix];
  while (codePoints.length > 0) {
    const last = codePoints.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) {
      // Skip the surrogate range, which no key contains.
      const next = last === 0xd7ff ? 0xe000 : last + 1;
      return codePoints.join("") + String.fromCodePoint(next);
    }
  }
  return undefined;
}

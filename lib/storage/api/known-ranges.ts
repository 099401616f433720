import type { KeyRange, StorageBackend } from "../backend.js";
import { compareKeys } from "../keys.js";

/** Keys from `start` (included) to `end` (excluded; undefined: past the last key). */
interface Span {
  start: string;
  end: string | undefined;
}

/**
 * The stretches of keys a KV-backed object's read cache knows whole, stored or not, from the
 * bounded `list()`s it read from the store: workerd's cache marks the whole range such a list
 * covers as known, whatever its limit (conformance: kv cache). Spans are kept sorted and
 * disjoint, merged when they touch. A list of every key is the settlement model's
 * "everything", not a span.
 */
export class KnownRanges {
  readonly #spans: Span[] = [];

  /** The cache now knows every key of `range` (its limit and direction aside). */
  add(range: KeyRange): void {
    let start = range.start ?? "";
    let end = range.end;
    const spans = this.#spans;
    // The spans before the new one stay, those it touches merge into it, the rest follow it.
    let at = 0;
    while (at < spans.length && !reaches(spans[at]!.end, start)) at++;
    let through = at;
    while (through < spans.length && reaches(end, spans[through]!.start)) {
      const span = spans[through]!;
      if (compareKeys(span.start, start) < 0) start = span.start;
      if (end !== undefined && (span.end === undefined || compareKeys(span.end, end) > 0)) end = span.end;
      through++;
    }
    spans.splice(at, through - at, { start, end });
  }

  /** Whether the cache knows `key` through a span. */
  holdsKey(key: string): boolean {
    return this.#containing(key) !== undefined;
  }

  /**
   * Whether the cache answers a list of `range` over `store` without I/O, as workerd's does: a
   * span covers the whole range, or the span holding where the list starts (its end, listing in
   * reverse) holds at least `limit` stored keys before the list leaves it; listing forward, the
   * stored key a span ends at counts too when the cache `holds` it (it reaches that key through
   * the span, and needs the store only for what follows it).
   */
  holdsList(range: KeyRange, store: StorageBackend, holds: (key: string) => boolean): boolean {
    const { start = "", end, limit } = range;
    if (range.reverse) {
      const span = end === undefined ? this.#spans.at(-1) : this.#spans.find((s) => compareKeys(s.start, end) < 0 && reaches(s.end, end));
      if (span === undefined || (end === undefined && span.end !== undefined)) return false;
      if (compareKeys(span.start, start) <= 0) return true;
      return limit !== undefined && store.list({ start: span.start, end, reverse: true, limit }).length >= limit;
    }
    const span = this.#containing(start);
    if (span === undefined) return false;
    if (span.end === undefined || (end !== undefined && compareKeys(end, span.end) <= 0)) return true;
    if (limit === undefined) return false;
    const atEnd = (end === undefined || compareKeys(span.end, end) < 0) && store.has(span.end) && holds(span.end) ? 1 : 0;
    return store.list({ start, end: span.end, limit }).length + atEnd >= limit;
  }

  #containing(key: string): Span | undefined {
    return this.#spans.find((span) => compareKeys(span.start, key) <= 0 && before(key, span.end));
  }
}

/** Whether `key` comes before `end` (an end of undefined: past every key). */
function before(key: string, end: string | undefined): boolean {
  return end === undefined || compareKeys(key, end) < 0;
}

/** Whether a span ending at `end` reaches (touches or overlaps) one starting at `start`. */
function reaches(end: string | undefined, start: string): boolean {
  return end === undefined || compareKeys(start, end) <= 0;
}

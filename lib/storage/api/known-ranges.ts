import type { KeyRange } from "../backend.js";
import { compareKeys } from "../keys.js";

/** Keys from `start` (included) to `end` (excluded; undefined: past the last key). */
interface Span {
  start: string;
  end: string | undefined;
}

/**
 * The stretches of keys a KV-backed object's read cache knows whole, stored or not, from the
 * bounded `list()`s it made: workerd's cache marks the whole range a list read as known, whatever
 * its limit (conformance: kv cache ranges). Spans are kept sorted and disjoint, merged when they
 * touch. A list of every key is the settlement model's "everything", not a span.
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
   * Whether the cache answers a list of `range` without I/O: one span (ranges listed side by side
   * merge into one) covers the whole range, in either direction. Not otherwise, even when the
   * span where the list starts holds as many keys as its limit asks for (conformance: kv cache).
   */
  holdsList(range: KeyRange): boolean {
    const span = this.#containing(range.start ?? "");
    return span !== undefined && (span.end === undefined || (range.end !== undefined && compareKeys(range.end, span.end) <= 0));
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

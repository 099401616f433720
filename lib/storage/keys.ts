import { asDecodedFromWtf8 } from "../util/utf8.js";

/**
 * Durable Object storage orders keys by their UTF-8 encodings, which is Unicode code point
 * order. JavaScript's `<` compares UTF-16 code units instead, and the two disagree when a
 * surrogate pair (an astral character) meets a BMP character at or above U+E000: UTF-8 puts
 * "😀" after "｡", `<` puts it before. This comparator agrees with the runtime's encoding
 * without encoding: code points, where a lone surrogate (which workerd encodes as its own
 * three bytes, ED A0 80 to ED BF BF) counts as its own value, between U+D7FF and U+E000.
 */
export function compareKeys(a: string, b: string): number {
  // No `a === b` first: equal keys come out of the loop as 0, and unequal ones, every
  // comparison of a tree's descent but the last, would be compared twice.
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x < 0xd800 && y < 0xd800) return x - y;
    // A difference inside a surrogate pair starts at the pair's high surrogate.
    const at = i > 0 && isHighSurrogate(a.charCodeAt(i - 1)) ? i - 1 : i;
    return a.codePointAt(at)! - b.codePointAt(at)!;
  }
  return a.length - b.length;
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

/**
 * How a stored key reads back from `list()` and `get([...])`: the runtime decodes its bytes as
 * UTF-8, so each lone surrogate's three bytes become three U+FFFD characters (and two keys that
 * differ only in lone surrogates can collide in the returned Map).
 */
export function keyAsListed(key: string): string {
  return asDecodedFromWtf8(key);
}

/**
 * Keys of KV-backed storage on disk (see KV_ON_DISK_POLICY): a key as it lists, each lone
 * surrogate three U+FFFD, so keys listed from SQLite and keys written compare equal.
 */
export function normalizeKey(key: string): string {
  return keyAsListed(key);
}

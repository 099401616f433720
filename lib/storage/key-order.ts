/**
 * Durable Object storage orders keys by their UTF-8 encodings, which is Unicode code point
 * order. JavaScript's `<` compares UTF-16 code units instead, and the two disagree when a
 * surrogate pair (an astral character) meets a BMP character at or above U+E000: UTF-8 puts
 * "😀" after "｡", `<` puts it before. This comparator agrees with UTF-8 without encoding.
 */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Lift surrogates above U+E000..U+FFFF so code units compare like code points.
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

/**
 * Storage keys are UTF-8 on the wire, so a lone surrogate becomes U+FFFD exactly as the
 * runtime's UTF-8 conversion does; two keys that differ only in lone surrogates are one key.
 */
export function normalizeKey(key: string): string {
  return key.isWellFormed() ? key : key.toWellFormed();
}

/** UTF-8 byte length without allocating. */
export function utf8Length(s: string): number {
  // Fast path: every UTF-16 unit is at most 3 UTF-8 bytes.
  if (s.length <= 682) {
    let ascii = true;
    for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) { ascii = false; break; }
    if (ascii) return s.length;
  }
  return Buffer.byteLength(s, "utf8");
}

/** UTF-8 sizes of JavaScript strings: storage and SQLite limits are counted in UTF-8 bytes. */

import { Buffer } from "node:buffer";

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

/**
 * The runtime's bytes for a string that may hold lone surrogates: UTF-8, with each lone
 * surrogate written as the three bytes of its code unit (WTF-8), where Node's UTF-8 writes
 * U+FFFD instead. (workerd hashes a Durable Object name this way.)
 */
export function wtf8(s: string): Buffer {
  const out = Buffer.from(s, "utf8");
  if (s.isWellFormed()) return out;
  // U+FFFD takes three bytes, as a lone surrogate's WTF-8 does: only those bytes change.
  let at = 0;
  for (let i = 0; i < s.length; i++) {
    const unit = s.charCodeAt(i);
    if (unit < 0x80) at += 1;
    else if (unit < 0x800) at += 2;
    else if (unit < 0xd800 || unit > 0xdfff) at += 3;
    else if (unit <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      i++;
      at += 4;
    } else {
      out[at++] = 0xe0 | (unit >> 12);
      out[at++] = 0x80 | ((unit >> 6) & 0x3f);
      out[at++] = 0x80 | (unit & 0x3f);
    }
  }
  return out;
}

/** A string as the runtime reads it back from those bytes: each lone surrogate is three U+FFFD. */
export function asDecodedFromWtf8(s: string): string {
  return s.isWellFormed() ? s : s.replace(/\p{Surrogate}/gu, "\ufffd\ufffd\ufffd");
}

/**
 * How many UTF-16 units at the start of `s` read back (through WTF-8, see asDecodedFromWtf8) as
 * `decodedLength` units: a lone surrogate reads back as three. SQLite hands back a statement's
 * text that way, and the input goes on after it.
 */
export function unitsReadBackAs(s: string, decodedLength: number): number {
  if (s.isWellFormed()) return decodedLength;
  let decoded = 0;
  let i = 0;
  while (decoded < decodedLength && i < s.length) {
    const unit = s.charCodeAt(i);
    if (unit < 0xd800 || unit > 0xdfff) {
      i++;
      decoded++;
    } else if (unit <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      i += 2;
      decoded += 2;
    } else {
      i++;
      decoded += 3;
    }
  }
  return i;
}

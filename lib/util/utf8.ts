/** UTF-8 sizes of JavaScript strings: storage and SQLite limits are counted in UTF-8 bytes. */

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

/**
 * sql.js decodes the text SQLite hands back with a default TextDecoder, which drops a leading
 * U+FEFF (a UTF-8 byte-order mark) as a file decoder would; workerd's conversions keep every
 * character. A TEXT value or a column name that starts with one would read back without it, and a statement's
 * own SQL would read back one unit short (SQLite itself skips a byte-order mark as white space,
 * so `\uFEFFSELECT 1` runs in workerd). The decoder drops only the first one, so this puts at
 * most one back, after looking at the bytes SQLite holds.
 */
export function byteOrderMarkKeeper(memory: { buffer: ArrayBuffer } | undefined): (decoded: string, pointer: number) => string {
  if (memory === undefined) throw new Error("durasim internal: sql.js does not expose its memory; pin sql.js 1.16");
  // Growing the memory replaces its buffer: view the current one.
  let heap = new Uint8Array(memory.buffer);
  return (decoded, pointer) => {
    if (pointer === 0) return decoded;
    if (heap.buffer !== memory.buffer) heap = new Uint8Array(memory.buffer);
    const marked = heap[pointer] === 0xef && heap[pointer + 1] === 0xbb && heap[pointer + 2] === 0xbf;
    return marked ? "\uFEFF" + decoded : decoded;
  };
}

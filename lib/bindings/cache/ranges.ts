import { concat } from "../../util/concat-bytes.js";

/**
 * A match()'s `Range` header, read as Miniflare's cache reads it: the unit `bytes` (any case,
 * spaces around it), then comma-separated `a-b`, `a-` or `-n` ranges. `undefined` means not
 * satisfiable (another unit, malformed text, a start past the end or after its end): match()
 * answers 416. An empty list means the whole body (no ranges, or a suffix covering it all);
 * a zero-length suffix contributes nothing. Ends past the body are cut to it.
 */
export interface ByteRange {
  readonly start: number;
  /** Inclusive. */
  readonly end: number;
}

const UNIT = /^ *bytes *=/i;
const RANGE = /^ *(\d+)? *- *(\d+)? *$/;

export function parseRanges(header: string, size: number): ByteRange[] | undefined {
  const unit = UNIT.exec(header);
  if (unit === null) return undefined;
  const list = header.slice(unit[0].length);
  if (list.trimStart() === "") return [];
  const ranges: ByteRange[] = [];
  for (const text of list.split(",")) {
    const match = RANGE.exec(text);
    if (match === null) return undefined;
    const [, first, last] = match;
    if (first !== undefined) {
      const start = parseInt(first, 10);
      const end = last === undefined ? size - 1 : parseInt(last, 10);
      if (start > end || start >= size) return undefined;
      ranges.push({ start, end: Math.min(end, size - 1) });
    } else if (last !== undefined) {
      const suffix = parseInt(last, 10);
      if (suffix >= size) return [];
      if (suffix > 0) ranges.push({ start: size - suffix, end: size - 1 });
    } else {
      return undefined;
    }
  }
  return ranges;
}

/**
 * Several ranges as one `multipart/byteranges` body: each part names the body's type (when it
 * has one) and its range, parts separated by CRLF, the boundary random as Miniflare's is.
 */
export function multipartBody(body: Uint8Array, ranges: readonly ByteRange[], contentType: string | null): { type: string; bytes: Uint8Array } {
  const boundary = `miniflare-boundary-${crypto.randomUUID()}`;
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  ranges.forEach(({ start, end }, i) => {
    const type = contentType === null ? "" : `Content-Type: ${contentType}\r\n`;
    parts.push(encoder.encode(`${i > 0 ? "\r\n" : ""}--${boundary}\r\n${type}Content-Range: bytes ${start}-${end}/${body.byteLength}\r\n\r\n`));
    parts.push(body.subarray(start, end + 1));
  });
  parts.push(encoder.encode(`${ranges.length > 0 ? "\r\n" : ""}--${boundary}--`));
  return { type: `multipart/byteranges; boundary=${boundary}`, bytes: concat(parts) };
}

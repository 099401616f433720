import { notOfType, site } from "../../util/webidl.js";
import { copyBufferSource, isBufferSource, readStream, textBytes } from "../shared/bytes.js";

/**
 * What put() and uploadPart() accept as a body: a string, an ArrayBuffer or view, a Blob, a
 * ReadableStream, and for put() only null / undefined (an empty object; a part must be given).
 * Production also requires a stream to have a known length (a request or response body, a
 * FixedLengthStream); Node's streams carry no length, so every stream is accepted here (a
 * documented difference).
 */
const BODY_TYPES = "ReadableStream or ArrayBuffer or ArrayBufferView or string or Blob";

export function checkBodyType(value: unknown, className: string, method: string, nullable: boolean): void {
  const ok =
    ((value === null || value === undefined) && nullable) ||
    typeof value === "string" ||
    isBufferSource(value) ||
    value instanceof Blob ||
    value instanceof ReadableStream;
  if (!ok) throw notOfType(site(className, method), 2, BODY_TYPES);
}

/** A body's bytes, a private copy; a stream stops being read once `ended` aborts. */
export async function bodyBytes(value: unknown, ended?: AbortSignal): Promise<Uint8Array> {
  if (value === null || value === undefined) return new Uint8Array(0);
  if (typeof value === "string") return textBytes(value);
  if (value instanceof Blob) return new Uint8Array(await value.arrayBuffer());
  if (value instanceof ReadableStream) return readStream(value, undefined, ended);
  return copyBufferSource(value)!;
}

export function missingBody(className: string, method: string): TypeError {
  return notOfType(site(className, method), 2, BODY_TYPES);
}

import { bufferSourceLength, copyBufferSource, isBufferSource, readStream, textBytes } from "../shared/bytes.js";
import { kvServiceError } from "./errors.js";

/**
 * What put() stores and what get() gives back. Strings, ArrayBuffers, views and
 * ReadableStreams are stored as bytes; other primitives are stored as their string form
 * (`42`, `true`, `null`, `undefined`); any other object (a Blob, an array, a plain object)
 * is refused by the binding. The service refuses values over 25 MiB.
 */
export const MAX_VALUE_BYTES = 25 * 1024 * 1024;

const NOT_A_VALUE = "KV put() accepts only strings, ArrayBuffers, ArrayBufferViews, and ReadableStreams as values.";

/** The binding's check, done before any bytes are read. */
export function checkValueType(value: unknown): void {
  if (isBufferSource(value) || value instanceof ReadableStream) return;
  if ((typeof value === "object" && value !== null) || typeof value === "function") throw new TypeError(NOT_A_VALUE);
}

/** The value's bytes, a private copy, refused by the service when over 25 MiB; a stream stops being read once `ended` aborts. */
export async function valueBytes(value: unknown, ended?: AbortSignal): Promise<Uint8Array> {
  if (value instanceof ReadableStream) return readStream(value, checkValueSize, ended);
  // A buffer is measured before it is copied; text only once it is encoded.
  if (isBufferSource(value)) checkValueSize(bufferSourceLength(value));
  const bytes = copyBufferSource(value) ?? textBytes(typeof value === "string" ? value : `${value as string}`);
  checkValueSize(bytes.byteLength);
  return bytes;
}

function checkValueSize(bytes: number): void {
  if (bytes > MAX_VALUE_BYTES) throw kvServiceError("PUT", 413, `Value length of ${bytes} exceeds limit of ${MAX_VALUE_BYTES}.`);
}

/**
 * The bytes of a chunk the runtime takes as bytes (a string as UTF-8, an ArrayBuffer, any view),
 * for the code that pumps, writes or consumes a stream's chunks.
 */
import { types } from "node:util";

const encoder = new TextEncoder();

/**
 * A chunk's bytes without copying them (a string as UTF-8), or undefined when it is none of
 * string, ArrayBuffer or view: enough where the bytes are read in place (a body Node reads, a
 * socket write). A byte stream needs copiedBytes instead.
 */
export function chunkBytes(chunk: unknown): Uint8Array | undefined {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === "string") return encoder.encode(chunk);
  if (types.isArrayBuffer(chunk)) return new Uint8Array(chunk); // of any realm (a Jest test file's)
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return undefined;
}

/**
 * A chunk's bytes in a buffer of their own (see chunkBytes): what a byte stream enqueues, and an
 * RPC write sends, since both take over the buffer they are given, and the writer's must stay
 * the writer's.
 */
export function copiedBytes(chunk: unknown): Uint8Array | undefined {
  const bytes = chunkBytes(chunk);
  if (bytes === undefined || typeof chunk === "string") return bytes;
  // A copy of the elements: its buffer is an ArrayBuffer even when the chunk's is shared.
  return new Uint8Array(bytes);
}

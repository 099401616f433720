import { types } from "node:util";
import { isBufferSource } from "../util/buffer-source.js";
import { copiedBytes } from "./chunk-bytes.js";
import { type ChunkDecision, decideWrites } from "./writer-writes.js";
import { hiddenField } from "../util/hidden-field.js";

export const NOT_BYTES =
  "This TransformStream is being used as a byte stream, but received an object of non-ArrayBuffer/ArrayBufferView type on its writable side.";

/** How the runtime's byte TransformStreams fail on a chunk a pipe wrote that is no bytes (a writer's is refused with NOT_BYTES). */
export const PIPED_NOT_BYTES = "This WritableStream only supports writing byte types.";

/**
 * A byte stream's writable side as the runtime's refuses a chunk that is not bytes
 * (isByteChunk): that write rejects, and the stream stays open for the next (Node's would error
 * the stream from its sink). A writer reads the bytes as it writes, as the runtime's does (see
 * writtenBytes). Every writer of the stream does so, `getWriter()`'s and one made with
 * `new WritableStreamDefaultWriter(stream)` alike (byteChunk). It is a plain WritableStream,
 * marked: its `constructor` and prototype are WritableStream's, as the runtime's are.
 */
export function byteWritableStream<W = unknown>(
  sink: ConstructorParameters<typeof WritableStream<W>>[0],
  strategy?: ConstructorParameters<typeof WritableStream<W>>[1],
): WritableStream<W> {
  // The first stream has writers decide by it: its module may be loaded without an emulator.
  decideWrites({ chunk: byteChunk });
  const stream = new WritableStream<W>(sink, strategy);
  byteStreams.set(stream, true);
  return stream;
}

/** The streams byteWritableStream made (a hidden field, not a WeakSet: every write asks). */
const byteStreams = hiddenField<true>();

/**
 * What a writer of `stream` writes for `chunk`, if `stream` is one of these (writer-writes.ts
 * asks it after the emulator's refusals of the write itself, as the runtime looks at the chunk
 * last): a chunk that is no bytes is refused, the bytes of one that is are copied.
 */
function byteChunk(stream: WritableStream | undefined, chunk: unknown): ChunkDecision | undefined {
  if (byteStreams.get(stream) !== true) return undefined;
  if (!isByteChunk(chunk)) return { refused: new TypeError(NOT_BYTES) };
  const bytes = bytesOf(chunk);
  copiedByWriter.add(bytes);
  return { chunk: bytes };
}

/** Chunks a writer of a byteWritableStream copied as it wrote them. */
const copiedByWriter = new WeakSet<object>();

/**
 * A chunk's bytes as of its write, in a buffer of their own (the sink's to hand on): the
 * runtime reads a writer's chunk when it is written, so a writer copies it then (a write
 * queued behind another, or made before the stream started, reaches the sink later, and the
 * writer may have changed the chunk meanwhile); a chunk a pipe wrote is copied here. Undefined
 * for a chunk that is no bytes (see chunkBytes).
 */
export function writtenBytes(chunk: unknown): Uint8Array | undefined {
  return copiedByWriter.has(chunk as object) ? (chunk as Uint8Array) : copiedBytes(chunk);
}

/**
 * What the runtime's byte streams (IdentityTransformStream, FixedLengthStream, the compression
 * streams, a WritableStream received over RPC) take: a string (as UTF-8), an ArrayBuffer, a
 * SharedArrayBuffer, any view, and undefined, which writes nothing.
 */
export function isByteChunk(chunk: unknown): boolean {
  return chunk === undefined || typeof chunk === "string" || isBufferSource(chunk, { shared: true });
}

/** A chunk isByteChunk takes as bytes of its write (writtenBytes); none for undefined. */
export function bytesOf(chunk: unknown): Uint8Array {
  if (chunk === undefined) return new Uint8Array(0);
  return writtenBytes(types.isSharedArrayBuffer(chunk) ? new Uint8Array(chunk) : chunk)!;
}

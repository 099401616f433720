import { types } from "node:util";
import { isBufferSource } from "../util/buffer-source.js";
import { copiedBytes } from "./http-request.js";
import { replaceMethod } from "./replace-method.js";
import { streamOfWriter } from "./node-stream-state.js";

export const NOT_BYTES =
  "This TransformStream is being used as a byte stream, but received an object of non-ArrayBuffer/ArrayBufferView type on its writable side.";

/** How the runtime's byte TransformStreams fail on a chunk a pipe wrote that is no bytes (a writer's is refused with NOT_BYTES). */
export const PIPED_NOT_BYTES = "This WritableStream only supports writing byte types.";

/**
 * A byte stream's writable side as the runtime's refuses a chunk that is not bytes: that write
 * rejects, and the stream stays open for the next (Node's would error the stream from its sink).
 * Bytes are what `accepts` says (by default isByteChunk); a writer reads them as it writes, as
 * the runtime's does (see writtenBytes). Every writer of the stream does so, `getWriter()`'s and
 * one made with `new WritableStreamDefaultWriter(stream)` alike (installByteWriters). The class
 * name is the standard one, so the streams read as any other.
 */
export class ByteWritableStream<W = unknown> extends WritableStream<W> {
  readonly #accepts: (chunk: unknown) => boolean;

  static {
    Object.defineProperty(this, "name", { value: "WritableStream" });
  }

  constructor(sink: ConstructorParameters<typeof WritableStream<W>>[0], accepts: (chunk: unknown) => boolean = isByteChunk) {
    super(sink);
    this.#accepts = accepts;
    installByteWriters();
  }

  /** What a writer of `stream` takes, if it is one of these (a private-field test: every write asks). */
  static acceptsOf(stream: unknown): ((chunk: unknown) => boolean) | undefined {
    return typeof stream === "object" && stream !== null && #accepts in stream ? stream.#accepts : undefined;
  }
}

let writersInstalled = false;

/**
 * Writers of a ByteWritableStream refuse what it does not take, and copy the bytes of what it
 * does as they write. Installed by the first stream (its module may be loaded without an
 * emulator: `durasim/worker-globals`), so after the emulator's own wrappers of write(): the
 * refusal comes first, as the runtime's does.
 */
function installByteWriters(): void {
  if (writersInstalled) return;
  writersInstalled = true;
  replaceMethod(WritableStreamDefaultWriter.prototype as unknown as Record<string, unknown>, "write", (original, self, args) => {
    const accepts = ByteWritableStream.acceptsOf(streamOfWriter(self));
    if (accepts === undefined) return Reflect.apply(original, self, args);
    const [chunk] = args;
    if (!accepts(chunk)) return Promise.reject(new TypeError(NOT_BYTES));
    const bytes = bytesOf(chunk);
    copiedByWriter.add(bytes);
    return Reflect.apply(original, self, [bytes]);
  });
}

/** Chunks a writer of a ByteWritableStream copied as it wrote them. */
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
 * What the runtime's byte TransformStreams (IdentityTransformStream, FixedLengthStream, the
 * compression streams) take: a string (as UTF-8), an ArrayBuffer, a SharedArrayBuffer, any
 * view, and undefined, which writes nothing.
 */
export function isTransformChunk(chunk: unknown): boolean {
  return chunk === undefined || typeof chunk === "string" || isBufferSource(chunk, { shared: true });
}

/** A chunk isTransformChunk (or isByteChunk) takes as bytes of its write (writtenBytes); none for undefined. */
export function bytesOf(chunk: unknown): Uint8Array {
  if (chunk === undefined) return new Uint8Array(0);
  return writtenBytes(types.isSharedArrayBuffer(chunk) ? new Uint8Array(chunk) : chunk)!;
}

/** Whether a byte stream takes `chunk`: a string, an ArrayBuffer (of any realm) or a view. */
function isByteChunk(chunk: unknown): boolean {
  return typeof chunk === "string" || types.isArrayBuffer(chunk) || ArrayBuffer.isView(chunk);
}

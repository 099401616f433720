import { types } from "node:util";
import { copiedBytes } from "./http-request.js";

export const NOT_BYTES =
  "This TransformStream is being used as a byte stream, but received an object of non-ArrayBuffer/ArrayBufferView type on its writable side.";

/**
 * A byte stream's writable side as the runtime's refuses a chunk that is not bytes: that write
 * rejects, and the stream stays open for the next (Node's would error the stream from its sink).
 * Bytes are what `accepts` says (by default isByteChunk); a writer reads them as it writes, as
 * the runtime's does (see writtenBytes). The class names are the standard ones, so the streams
 * and writers read as any other.
 */
export class ByteWritableStream<W = unknown> extends WritableStream<W> {
  readonly #accepts: (chunk: unknown) => boolean;

  static {
    Object.defineProperty(this, "name", { value: "WritableStream" });
  }

  constructor(sink: ConstructorParameters<typeof WritableStream<W>>[0], accepts: (chunk: unknown) => boolean = isByteChunk) {
    super(sink);
    this.#accepts = accepts;
  }

  override getWriter(): WritableStreamDefaultWriter<W> {
    return new ByteWriter(this, this.#accepts);
  }
}

class ByteWriter<W> extends WritableStreamDefaultWriter<W> {
  readonly #accepts: (chunk: unknown) => boolean;

  static {
    Object.defineProperty(this, "name", { value: "WritableStreamDefaultWriter" });
  }

  constructor(stream: WritableStream<W>, accepts: (chunk: unknown) => boolean) {
    super(stream);
    this.#accepts = accepts;
  }

  override write(chunk: W): Promise<void> {
    if (!this.#accepts(chunk)) return Promise.reject(new TypeError(NOT_BYTES));
    const bytes = typeof chunk === "object" && chunk !== null ? writtenBytes(types.isSharedArrayBuffer(chunk) ? new Uint8Array(chunk) : chunk) : undefined;
    if (bytes === undefined) return super.write(chunk);
    copiedByWriter.add(bytes);
    return super.write(bytes as W);
  }
}

/** Chunks a ByteWriter copied as it wrote them. */
const copiedByWriter = new WeakSet<object>();

/**
 * A chunk's bytes as of its write, in a buffer of their own (the sink's to hand on): the
 * runtime reads a writer's chunk when it is written, so a ByteWriter copies it then (a write
 * queued behind another, or made before the stream started, reaches the sink later, and the
 * writer may have changed the chunk meanwhile); a chunk a pipe wrote is copied here. Undefined
 * for a chunk that is no bytes (see chunkBytes).
 */
export function writtenBytes(chunk: unknown): Uint8Array | undefined {
  return copiedByWriter.has(chunk as object) ? (chunk as Uint8Array) : copiedBytes(chunk);
}

/** Whether a byte stream takes `chunk`: a string, an ArrayBuffer (of any realm) or a view. */
function isByteChunk(chunk: unknown): boolean {
  return typeof chunk === "string" || types.isArrayBuffer(chunk) || ArrayBuffer.isView(chunk);
}

import { types } from "node:util";

export const NOT_BYTES =
  "This TransformStream is being used as a byte stream, but received an object of non-ArrayBuffer/ArrayBufferView type on its writable side.";

/**
 * A byte stream's writable side as the runtime's refuses a chunk that is not bytes: that write
 * rejects, and the stream stays open for the next (Node's would error the stream from its sink).
 * Bytes are what `accepts` says (by default isByteChunk). The class names are the standard ones,
 * so the streams and writers read as any other.
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
    return this.#accepts(chunk) ? super.write(chunk) : Promise.reject(new TypeError(NOT_BYTES));
  }
}

/** Whether a byte stream takes `chunk`: a string, an ArrayBuffer (of any realm) or a view. */
function isByteChunk(chunk: unknown): boolean {
  return typeof chunk === "string" || types.isArrayBuffer(chunk) || ArrayBuffer.isView(chunk);
}

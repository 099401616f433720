/**
 * Streams cross RPC as byte streams (the usual way to send a large body).
 *
 * A ReadableStream: the receiver gets a new stream fed from the sender's, which is locked from
 * then on. String chunks arrive as UTF-8 bytes; a sender's stream that fails, or yields
 * something that is not bytes, ends the receiver's with the runtime's disconnection error; the
 * receiver cancelling it cancels the sender's with a "Network connection lost." error (its own
 * reason does not cross). Nothing is buffered beyond what the receiver reads.
 *
 * A WritableStream: the receiver gets a new stream that writes into the sender's (locked from
 * then on) as ArrayBuffers: strings as UTF-8, views as copies of their bytes, empty chunks not
 * at all; anything else is refused. Closing closes the sender's; aborting aborts it with the
 * runtime's disconnection error (the receiver's reason does not cross).
 */

import { type Crossing, STREAM_LOCKED } from "../http-request.js";

const DISCONNECTED = "ReadableStream received over RPC disconnected prematurely.";
const WRITER_LOCKED = "This WritableStream is currently locked to a writer.";
export const NOT_BYTES =
  "This TransformStream is being used as a byte stream, but received an object of non-ArrayBuffer/ArrayBufferView type on its writable side.";
const WRITER_DISCONNECTED = "WritableStream received over RPC was disconnected because the remote execution context has ended.";
const CONNECTION_LOST = "Network connection lost.";

/** The body of a Request or Response that crossed RPC: any failure of the sender's stream is the
 * disconnection error. */
export const OVER_RPC: Crossing = (_reason, controller) => controller.error(new Error(DISCONNECTED));

export function transferStream(source: ReadableStream): ReadableStream {
  if (source.locked) throw new TypeError(STREAM_LOCKED);
  const reader = source.getReader();
  return new ReadableStream({
    type: "bytes",
    async pull(controller) {
      let next: { done: boolean; value?: unknown };
      try {
        next = await reader.read();
      } catch {
        controller.error(new Error(DISCONNECTED));
        return;
      }
      if (next.done) {
        controller.close();
        controller.byobRequest?.respond(0);
        return;
      }
      const bytes = copiedBytes(next.value);
      if (bytes === undefined) {
        controller.error(new Error(DISCONNECTED));
        reader.cancel().catch(() => undefined);
        return;
      }
      // A byte stream refuses empty chunks; the next pull reads on.
      if (bytes.byteLength > 0) controller.enqueue(bytes);
    },
    cancel() {
      return reader.cancel(retryable(CONNECTION_LOST));
    },
  });
}

export function transferWritable(sink: WritableStream): WritableStream {
  if (sink.locked) throw new TypeError(WRITER_LOCKED);
  const writer = sink.getWriter();
  return new ByteWritableStream({
    async write(chunk) {
      const bytes = copiedBytes(chunk);
      if (bytes === undefined) throw new TypeError(NOT_BYTES);
      if (bytes.byteLength > 0) await writer.write(bytes.buffer);
    },
    close() {
      return writer.close();
    },
    abort() {
      return writer.abort(retryable(WRITER_DISCONNECTED));
    },
  });
}

/**
 * A byte stream's writable side as the runtime's refuses a chunk that is not bytes: that write
 * rejects, and the stream stays open for the next (Node's would error the stream from its sink).
 * The class names are the standard ones, so the streams and writers read as any other.
 */
export class ByteWritableStream<W = unknown> extends WritableStream<W> {
  static {
    Object.defineProperty(this, "name", { value: "WritableStream" });
  }

  override getWriter(): WritableStreamDefaultWriter<W> {
    return new ByteWriter(this);
  }
}

class ByteWriter<W> extends WritableStreamDefaultWriter<W> {
  static {
    Object.defineProperty(this, "name", { value: "WritableStreamDefaultWriter" });
  }

  override write(chunk: W): Promise<void> {
    return isByteChunk(chunk) ? super.write(chunk) : Promise.reject(new TypeError(NOT_BYTES));
  }
}

/** The runtime's error for a connection that went away: worth retrying. */
function retryable(message: string): Error {
  return Object.assign(new Error(message), { retryable: true });
}

/** Whether a byte stream takes `chunk`: a string, an ArrayBuffer or a view. */
function isByteChunk(chunk: unknown): boolean {
  return typeof chunk === "string" || chunk instanceof ArrayBuffer || ArrayBuffer.isView(chunk);
}

/** A chunk of a byte stream as a copy of its bytes (a string as UTF-8), or undefined when it
 * is none of string, ArrayBuffer or view. */
export function copiedBytes(chunk: unknown): Uint8Array | undefined {
  if (typeof chunk === "string") return new TextEncoder().encode(chunk);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk.slice(0));
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer.slice(chunk.byteOffset, chunk.byteOffset + chunk.byteLength));
  return undefined;
}

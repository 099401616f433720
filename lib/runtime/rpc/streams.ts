/**
 * ReadableStreams cross RPC as byte streams (the usual way to send a large body): the receiver
 * gets a new stream fed from the sender's, which is locked from then on. String chunks arrive
 * as UTF-8 bytes; a sender's stream that fails, or yields something that is not bytes, ends the
 * receiver's with the runtime's disconnection error. Nothing is buffered beyond what the
 * receiver reads.
 */

const DISCONNECTED = "ReadableStream received over RPC disconnected prematurely.";
const LOCKED = "The ReadableStream has been locked to a reader.";

export function transferStream(source: ReadableStream): ReadableStream {
  if (source.locked) throw new TypeError(LOCKED);
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
      const bytes = asBytes(next.value);
      if (bytes === undefined) {
        controller.error(new Error(DISCONNECTED));
        reader.cancel().catch(() => undefined);
        return;
      }
      // A byte stream refuses empty chunks; the next pull reads on.
      if (bytes.byteLength > 0) controller.enqueue(bytes);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

function asBytes(chunk: unknown): Uint8Array | undefined {
  if (typeof chunk === "string") return new TextEncoder().encode(chunk);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk.slice(0));
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer.slice(chunk.byteOffset, chunk.byteOffset + chunk.byteLength));
  return undefined;
}

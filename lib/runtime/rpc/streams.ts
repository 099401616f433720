/**
 * Streams cross RPC as byte streams (the usual way to send a large body).
 *
 * A ReadableStream: the receiver gets a new stream fed from the sender's, which is locked from
 * then on. String chunks arrive as UTF-8 bytes; a sender's stream that fails, or yields
 * something that is not bytes, ends the receiver's with the runtime's disconnection error; the
 * receiver cancelling it cancels the sender's with a "Network connection lost." error (its own
 * reason does not cross); a stream an object sent fails with the disconnection error if that
 * object resets while it flows. Nothing is buffered beyond what the receiver reads. The body of
 * a Request or Response crossing RPC moves the same way (moveBody; rpc/messages.ts).
 *
 * A WritableStream: the receiver gets a new stream that writes into the sender's (locked from
 * then on) as ArrayBuffers, taking what the runtime's byte streams take (byte-writable.ts):
 * strings as UTF-8, buffers (shared ones too) and views as copies of their bytes, empty chunks
 * and undefined not at all; anything else is refused. Closing closes the sender's; aborting aborts it with the
 * runtime's disconnection error (the receiver's reason does not cross).
 */

import { STREAM_LOCKED } from "../http-request.js";
import { copiedBytes } from "../chunk-bytes.js";
import { flowsUntilOwnerEnds } from "../open-bodies.js";
import { byteWritableStream, bytesOf, isByteChunk, NOT_BYTES } from "../byte-writable.js";

const DISCONNECTED = "ReadableStream received over RPC disconnected prematurely.";
const WRITER_LOCKED = "This WritableStream is currently locked to a writer.";
const WRITER_DISCONNECTED = "WritableStream received over RPC was disconnected because the remote execution context has ended.";
const CONNECTION_LOST = "Network connection lost.";

export function transferStream(source: ReadableStream, owner: object | undefined): ReadableStream {
  if (source.locked) throw new TypeError(STREAM_LOCKED);
  return byteFeed(source.getReader(), undefined, stillThere, owner);
}

/**
 * The body of a Request or Response that crosses RPC (the receiver's message is a new one),
 * moved as a stream is, except that the sender's body starts flowing at once, so the sender's
 * message reads as used from the call on, as the runtime's does; and once `gone()` (the
 * sender's message can no longer be read: a request whose handler has answered), the receiver's
 * reads fail with the lost connection.
 */
export function moveBody(source: ReadableStream, gone: () => boolean, owner: object | undefined): ReadableStream {
  const reader = source.getReader();
  const first = reader.read();
  first.catch(() => undefined);
  return byteFeed(reader, first, gone, owner);
}

const stillThere = (): boolean => false;

/** What a fed stream needs to be cut (held by the stream's own callbacks: it lives as long as
 * the stream does, and tracking it keeps nothing alive). */
interface Feed {
  readonly controller: ReadableByteStreamController;
  readonly reader: ReadableStreamDefaultReader;
  release?: () => void;
}

/** Fails a fed stream with `error`, and stops reading the sender's. */
function cut(feed: Feed, error: Error): void {
  feed.release?.();
  feed.controller.error(error);
  feed.reader.cancel().catch(() => undefined);
}

/** Fails a fed stream with the disconnection error (see cut). */
function disconnect(feed: Feed): void {
  cut(feed, new Error(DISCONNECTED));
}

/**
 * A byte stream fed from `reader` (whose first read may be under way already). The object that
 * sent it, if one did (`owner`), cuts it with the disconnection error if it ends (a reset) while
 * the stream still flows.
 */
function byteFeed(
  reader: ReadableStreamDefaultReader,
  first: Promise<{ done: boolean; value?: unknown }> | undefined,
  gone: () => boolean,
  owner: object | undefined,
): ReadableStream {
  let pending = first;
  let feed: Feed;
  return new ReadableStream({
    type: "bytes",
    start(controller) {
      feed = { controller, reader };
      if (owner !== undefined) feed.release = flowsUntilOwnerEnds(owner, feed, disconnect);
    },
    async pull(controller) {
      if (gone()) return cut(feed, retryable(CONNECTION_LOST));
      const read = pending ?? reader.read();
      pending = undefined;
      let next: { done: boolean; value?: unknown };
      try {
        next = await read;
      } catch {
        disconnect(feed);
        return;
      }
      if (next.done) {
        feed.release?.();
        controller.close();
        controller.byobRequest?.respond(0);
        return;
      }
      const bytes = copiedBytes(next.value);
      if (bytes === undefined) return disconnect(feed);
      // A byte stream refuses empty chunks; the next pull reads on.
      if (bytes.byteLength > 0) controller.enqueue(bytes);
    },
    cancel() {
      feed.release?.();
      return reader.cancel(retryable(CONNECTION_LOST));
    },
  });
}

export function transferWritable(sink: WritableStream): WritableStream {
  if (sink.locked) throw new TypeError(WRITER_LOCKED);
  const writer = sink.getWriter();
  return byteWritableStream({
    async write(chunk) {
      if (!isByteChunk(chunk)) throw new TypeError(NOT_BYTES);
      const bytes = bytesOf(chunk);
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

/** The runtime's error for a connection that went away: worth retrying. */
function retryable(message: string): Error {
  return Object.assign(new Error(message), { retryable: true });
}

/**
 * Streams cross RPC as byte streams (the usual way to send a large body).
 *
 * A ReadableStream: the receiver gets a new stream fed from the sender's, which is locked from
 * then on. String chunks arrive as UTF-8 bytes; a sender's stream that fails, or yields
 * something that is not bytes, ends the receiver's with the runtime's disconnection error; the
 * receiver cancelling it cancels the sender's with a "Network connection lost." error (its own
 * reason does not cross); a stream an object sent fails with the disconnection error if that
 * object resets while it flows. The receiver's reads are cut as the runtime's (byteFeed); nothing
 * is buffered beyond the chunks a read took from the sender's stream. The body of
 * a Request or Response crossing RPC moves the same way (moveBody; rpc/messages.ts).
 *
 * A WritableStream: the receiver gets a new stream that writes into the sender's (locked from
 * then on) as ArrayBuffers, taking what the runtime's byte streams take (byte-writable.ts):
 * strings as UTF-8, buffers (shared ones too) and views as copies of their bytes, empty chunks
 * and undefined not at all; anything else is refused. Closing closes the sender's; aborting aborts it with the
 * runtime's disconnection error (the receiver's reason does not cross). It is one of the runtime's
 * native streams: once errored (aborted, a write failed), it reads as closed (closed-writables.ts).
 * If the object that sent
 * it resets, the receiver's next write or close fails with the runtime's internal error, and any
 * after that as closed; the dead instance's sink hears nothing more.
 */

import { STREAM_LOCKED } from "../http-request.js";
import { copiedBytes } from "../chunk-bytes.js";
import { flowsUntilOwnerEnds } from "../open-bodies.js";
import { holdsMore, nodeStreamState, readsHeld } from "../node-stream-state.js";
import type { ReadableStreamReadResult } from "node:stream/web";
import { PIECE, ReadyBytes } from "./ready-bytes.js";
import { byteWritableStream, bytesOf, isByteChunk, NOT_BYTES } from "../byte-writable.js";
import { withStackWritten } from "../errors.js";
import { errorReference } from "../../util/error-reference.js";
import { readsClosedOnceErrored } from "../native-writables.js";

const DISCONNECTED = "ReadableStream received over RPC disconnected prematurely.";
const WRITER_LOCKED = "This WritableStream is currently locked to a writer.";
const WRITER_DISCONNECTED = "WritableStream received over RPC was disconnected because the remote execution context has ended.";
const CONNECTION_LOST = "Network connection lost.";

export function transferStream(source: ReadableStream, owner: object | undefined): ReadableStream {
  if (source.locked) throw new TypeError(STREAM_LOCKED);
  return byteFeed(source, source.getReader(), undefined, stillThere, owner);
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
  return byteFeed(source, reader, first, gone, owner);
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
  // Made as the object's instance ends, perhaps within its code (ctx.abort()): see withStackWritten.
  cut(feed, withStackWritten(new Error(DISCONNECTED)));
}

/**
 * A byte stream fed from `reader` (whose first read may be under way already). The object that
 * sent it, if one did (`owner`), cuts it with the disconnection error if it ends (a reset) while
 * the stream still flows.
 *
 * Its reads are cut as the runtime's are (ready-bytes.ts): a read that finds nothing held takes
 * the chunks the sender's stream holds queued, or if it holds none, waits for its next one alone;
 * what does not fit the read is held for the next ones.
 */
function byteFeed(
  source: ReadableStream,
  reader: ReadableStreamDefaultReader,
  first: Promise<ReadableStreamReadResult<unknown>> | undefined,
  gone: () => boolean,
  owner: object | undefined,
): ReadableStream {
  let pending = first;
  let feed: Feed;
  const held = new ReadyBytes();
  let started = false;

  /**
   * Takes what `read` gave (`next`; undefined if it failed) into `held`. An end or a failure
   * waits in `pending` while bytes are held (they are read first); else it ends the stream or
   * cuts it, and the answer is false.
   */
  function accept(read: Promise<ReadableStreamReadResult<unknown>>, next: ReadableStreamReadResult<unknown> | undefined): boolean {
    const bytes = next === undefined || next.done ? undefined : copiedBytes(next.value);
    // (An empty chunk adds nothing: a byte stream refuses them, and the runtime skips them.)
    if (bytes !== undefined) held.add(bytes);
    else if (!held.empty) pending = read;
    else if (next?.done) {
      feed.release?.();
      feed.controller.close();
      feed.controller.byobRequest?.respond(0);
      return false;
    } else {
      disconnect(feed);
      return false;
    }
    return true;
  }

  /**
   * Reads of what the sender's stream holds queued. The first burst also takes the chunks these
   * reads pull in at once: the runtime pumps the sender's stream from the moment it is sent, so
   * by the receiver's first read the pump has moved all it got at once. Later the receiver waits
   * on the pump, which hands it what it has, each chunk pulled in after that on its own.
   */
  function queuedReads(): Promise<ReadableStreamReadResult<unknown>>[] {
    const reads = [];
    if (started) {
      for (let n = readsHeld(source); n > 0; n--) reads.push(reader.read());
    } else {
      // (Once closed, the stream holds its end: one read takes it.)
      while (holdsMore(source)) {
        reads.push(reader.read());
        if (nodeStreamState(source)?.state === "closed") break;
      }
    }
    started = true;
    return reads;
  }

  return new ReadableStream({
    type: "bytes",
    start(controller) {
      feed = { controller, reader };
      if (owner !== undefined) feed.release = flowsUntilOwnerEnds(owner, feed, disconnect);
    },
    async pull(controller) {
      if (gone()) return cut(feed, retryable(CONNECTION_LOST));
      // A burst: what the sender's stream holds queued (queuedReads), read before anything else
      // runs, or if it holds none, its next chunk alone.
      while (held.empty) {
        const reads = pending === undefined ? queuedReads() : [pending, ...queuedReads()];
        pending = undefined;
        if (reads.length === 0) reads.push(reader.read());
        for (const read of reads) {
          let next: ReadableStreamReadResult<unknown> | undefined;
          try {
            next = await read;
          } catch {
            next = undefined;
          }
          if (!accept(read, next)) return;
          if (pending !== undefined) break;
        }
      }
      const request = controller.byobRequest;
      const view = request?.view;
      if (request && view) request.respond(held.take(view.byteLength, new Uint8Array(view.buffer, view.byteOffset, view.byteLength)));
      else controller.enqueue(held.take(PIECE));
    },
    cancel() {
      feed.release?.();
      return reader.cancel(retryable(CONNECTION_LOST));
    },
  });
}

export function transferWritable(sink: WritableStream, owner: object | undefined): WritableStream {
  if (sink.locked) throw new TypeError(WRITER_LOCKED);
  const writer = sink.getWriter();
  let ownerGone = false;
  let release: (() => void) | undefined;
  /** Once the sender has reset, the next write or close fails with the runtime's internal error
   * (the stream, errored, reads as closed from then on), and the sender's sink hears nothing more. */
  function refuseGone(): never {
    throw new Error(`internal error; reference = ${errorReference()}`);
  }
  const stream = readsClosedOnceErrored(byteWritableStream({
    async write(chunk) {
      if (ownerGone) refuseGone();
      if (!isByteChunk(chunk)) throw new TypeError(NOT_BYTES);
      const bytes = bytesOf(chunk);
      if (bytes.byteLength > 0) await writer.write(bytes.buffer);
    },
    close() {
      if (ownerGone) refuseGone();
      release?.();
      return writer.close();
    },
    abort() {
      release?.();
      if (ownerGone) return;
      return writer.abort(retryable(WRITER_DISCONNECTED));
    },
  }));
  // Tracked without holding the owner's end: nothing flows out of it until the receiver writes.
  if (owner !== undefined) release = flowsUntilOwnerEnds(owner, stream, () => (ownerGone = true), false);
  return stream;
}

/** The runtime's error for a connection that went away: worth retrying. */
function retryable(message: string): Error {
  return withStackWritten(Object.assign(new Error(message), { retryable: true }));
}

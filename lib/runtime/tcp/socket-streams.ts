/**
 * A Socket's two streams as the runtime's behave, whatever carries the bytes: the carrier gives
 * the underlying source and sink, and these streams add the Socket's rules on top.
 *
 * Invariant: a reader of the readable side has at most one read waiting for bytes (another read
 * is refused then; one that bytes already wait for is not);
 * once the socket's close() is called, a read pending then fails "This socket has been closed.",
 * any later read "This ReadableStream belongs to an object that is closing.", and the readable
 * reads as closed (a reader's `closed` and cancel() resolve). Writes are refused as "This
 * WritableStream belongs to an object that is closing." until the close completes; then the
 * writable side fails with "This socket has been closed." (a writer's `closed`, the stream's
 * close()), and a writer taken before that keeps a resolved `ready` and has its writes and close()
 * refused as "This WritableStream has been closed." (one taken after, as closing). Writes taken
 * before the close still go to the carrier, and flushed() tells when they have (the socket ends
 * the connection after them); a write or close() in progress when it ends fails "This socket
 * has been closed.". Without
 * allowHalfOpen, the readable reaching its end closes the
 * writable side (its writes are refused as closed, a writer's `closed` resolves), and the
 * carrier ends that direction.
 */

import type { QueuingStrategy, ReadableStreamReadResult, UnderlyingSink, UnderlyingSource } from "node:stream/web";

type Chunk = ArrayBufferView | ArrayBuffer | string;

const SINGLE_READ = "This ReadableStream only supports a single pending read request at a time.";
const READS_AFTER_CLOSE = "This ReadableStream belongs to an object that is closing.";
const WRITES_AFTER_CLOSE = "This WritableStream belongs to an object that is closing.";
const WRITABLE_CLOSED = "This WritableStream has been closed.";
const SOCKET_CLOSED = "This socket has been closed.";

/** Where the socket is in its close(): "closing" from the call, "closed" once it resolved. */
type Phase = "open" | "closing" | "closed";

interface ReadableState {
  readonly controller: ReadableStreamDefaultController<Uint8Array>;
  phase: Phase;
  /** The read that waits for bytes that have not come yet, if one does. */
  waiting: object | undefined;
  /** Reads not answered yet. */
  unanswered: number;
  /** Whether bytes wait to be read (in the stream's queue or the carrier's). */
  readonly queued: () => boolean;
  /** Called once a read finds the end (allowHalfOpen off: the writable side then closes). */
  onEnd: () => void;
}

interface WritableState {
  readonly controller: WritableStreamDefaultController;
  phase: Phase;
  /** The readable side ended without allowHalfOpen: the writable side reads as closed. */
  ended: boolean;
  /** Settles once the last write the stream took (and every one before it) has. */
  written: Promise<void>;
  /** Code closed the writable side itself (its close() taken): the socket's close() flushes nothing. */
  closedByCode: boolean;
}

const readables = new WeakMap<object, ReadableState>();
const writables = new WeakMap<object, WritableState>();
/** Each writer's stream state, and whether it was taken once the close had completed (else it is
 * stale once it has). */
const writers = new WeakMap<object, { state: WritableState; late: boolean; ready?: Promise<void>; closed?: Promise<void> }>();

class SocketReadableStream extends ReadableStream<Uint8Array> {
  static {
    Object.defineProperty(this, "name", { value: "ReadableStream" });
  }

  override getReader(options?: { mode?: undefined }): ReadableStreamDefaultReader<Uint8Array>;
  override getReader(options: { mode: "byob" }): ReadableStreamBYOBReader;
  override getReader(options?: { mode?: "byob" }): ReadableStreamDefaultReader<Uint8Array> | ReadableStreamBYOBReader {
    const reader = super.getReader(options as { mode?: undefined });
    if (reader instanceof ReadableStreamDefaultReader) {
      Object.setPrototypeOf(reader, SocketReader.prototype);
      readers.set(reader, readables.get(this)!);
    }
    return reader;
  }
}

const readers = new WeakMap<object, ReadableState>();

class SocketReader extends ReadableStreamDefaultReader<Uint8Array> {
  static {
    Object.defineProperty(this, "name", { value: "ReadableStreamDefaultReader" });
  }

  override read(): Promise<ReadableStreamReadResult<Uint8Array>> {
    const state = readers.get(this);
    if (state === undefined) return super.read();
    if (state.phase !== "open") return Promise.reject(new TypeError(READS_AFTER_CLOSE));
    if (state.waiting !== undefined) return Promise.reject(new TypeError(SINGLE_READ));
    // Bytes that wait are this read's unless an earlier read, still unanswered, takes them.
    const read = {};
    if (state.unanswered > 0 || !state.queued()) state.waiting = read;
    state.unanswered++;
    const answered = (): void => {
      state.unanswered--;
      if (state.waiting === read) state.waiting = undefined;
    };
    return super.read().then(
      (result) => {
        answered();
        if (state.phase !== "open") throw new TypeError(SOCKET_CLOSED);
        if (result.done) state.onEnd();
        return result;
      },
      (error: unknown) => {
        answered();
        throw error;
      },
    );
  }
}

class SocketWritableStream extends WritableStream<Chunk> {
  static {
    Object.defineProperty(this, "name", { value: "WritableStream" });
  }

  // Once the socket's close() was called, the stream's own abort() and close() answer as the runtime's.
  override abort(reason?: unknown): Promise<void> {
    return writables.get(this)!.phase === "open" ? super.abort(reason) : Promise.resolve();
  }

  override close(): Promise<void> {
    const state = writables.get(this)!;
    if (state.phase !== "open") return Promise.reject(new TypeError(SOCKET_CLOSED));
    state.closedByCode = true;
    return super.close();
  }

  override getWriter(): WritableStreamDefaultWriter<Chunk> {
    const writer = super.getWriter();
    const state = writables.get(this)!;
    Object.setPrototypeOf(writer, SocketWriter.prototype);
    writers.set(writer, { state, late: state.phase === "closed" });
    return writer;
  }
}

class SocketWriter extends WritableStreamDefaultWriter<Chunk> {
  static {
    Object.defineProperty(this, "name", { value: "WritableStreamDefaultWriter" });
  }

  override write(chunk?: Chunk): Promise<void> {
    const refusal = refusalOf(this);
    if (refusal !== undefined) return Promise.reject(refusal);
    const write = super.write(chunk as Chunk);
    const own = writers.get(this);
    if (own !== undefined) own.state.written = write.then(ignore, ignore);
    return write;
  }

  override close(): Promise<void> {
    const refusal = refusalOf(this);
    if (refusal !== undefined) return Promise.reject(refusal);
    const own = writers.get(this);
    if (own !== undefined) own.state.closedByCode = true;
    return super.close();
  }

  override get ready(): Promise<void> {
    const own = writers.get(this);
    // A writer the completed close found keeps a resolved `ready` (the stream failed under it).
    if (own !== undefined && (own.state.ended || (own.state.phase === "closed" && !own.late))) return (own.ready ??= Promise.resolve());
    return super.ready;
  }

  override get closed(): Promise<void> {
    const own = writers.get(this);
    if (own !== undefined && own.state.ended && own.state.phase === "open") return (own.closed ??= Promise.resolve());
    return super.closed;
  }
}

function ignore(): void {}

/**
 * Why a write or close() of `writer` is refused before it reaches the stream, if it is. (A
 * function, not a private method: a writer becomes a SocketWriter by its prototype alone.)
 */
function refusalOf(writer: object): TypeError | undefined {
  const own = writers.get(writer);
  if (own === undefined) return undefined;
  if (own.state.phase === "closing" || (own.state.phase === "closed" && own.late)) return new TypeError(WRITES_AFTER_CLOSE);
  if (own.state.phase === "closed") return new TypeError(WRITABLE_CLOSED);
  return own.state.ended ? new TypeError(WRITABLE_CLOSED) : undefined;
}

/** A Socket's readable and writable sides over a carrier's source and sink, and the close rules that act on both. */
export interface SocketStreams {
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Chunk>;
  /** The socket's close() was called: apply the close rules to both sides. */
  close(): void;
  /**
   * Settles once the writes taken before now have (each sent, or failed), as the socket's
   * close() flushes them before it ends the connection; at once if code closed the writable
   * side itself, which the runtime's close() does not wait for.
   */
  flushed(): Promise<void>;
  /** The socket's close() completed: the writable side fails, and its writers are stale. */
  closeDone(): void;
}

/**
 * The streams over `source` and `sink`. Without `allowHalfOpen`, `endWrites` is called when a
 * read finds the readable side's end, so the carrier ends the other direction. `carrierQueued`
 * tells whether bytes wait in the carrier (beyond the stream's own queue).
 */
export function socketStreams(
  source: UnderlyingSource<Uint8Array>,
  sink: UnderlyingSink<Chunk>,
  {
    allowHalfOpen,
    endWrites,
    strategy,
    carrierQueued = () => false,
  }: { allowHalfOpen: boolean; endWrites: () => void; strategy?: QueuingStrategy<Uint8Array>; carrierQueued?: () => boolean },
): SocketStreams {
  let readController!: ReadableStreamDefaultController<Uint8Array>;
  let writeController!: WritableStreamDefaultController;
  const readable = new SocketReadableStream(
    {
      ...source,
      start: (controller) => {
        readController = controller as ReadableStreamDefaultController<Uint8Array>;
        return source.start?.(controller);
      },
    },
    strategy,
  );
  // A write or close() in progress when the socket's close() ends the connection fails as the
  // runtime's does, whatever the carrier made of it.
  const cutByClose = <A extends unknown[]>(step: ((...args: A) => unknown) | undefined) =>
    step &&
    (async (...args: A): Promise<void> => {
      try {
        await step.apply(sink, args);
      } catch (error) {
        throw writes.phase === "open" ? error : new TypeError(SOCKET_CLOSED);
      }
    });
  const writable = new SocketWritableStream({
    ...sink,
    start: (controller) => {
      writeController = controller;
      return sink.start?.(controller);
    },
    write: cutByClose(sink.write),
    close: cutByClose(sink.close),
  });
  const writes: WritableState = { controller: writeController, phase: "open", ended: false, written: Promise.resolve(), closedByCode: false };
  const reads: ReadableState = {
    controller: readController,
    phase: "open",
    waiting: undefined,
    unanswered: 0,
    queued: () => (readController.desiredSize ?? 0) < (strategy?.highWaterMark ?? 1) || carrierQueued(),
    onEnd: () => {
      if (allowHalfOpen || writes.ended) return;
      writes.ended = true;
      endWrites();
    },
  };
  readables.set(readable, reads);
  writables.set(writable, writes);
  return {
    readable,
    writable,
    close: () => {
      if (reads.phase !== "open") return;
      reads.phase = writes.phase = "closing";
      try {
        reads.controller.close();
      } catch {
        // Ended or failed already.
      }
    },
    flushed: () => (writes.closedByCode ? Promise.resolve() : writes.written),
    closeDone: () => {
      reads.phase = writes.phase = "closed";
      writes.controller.error(new TypeError(SOCKET_CLOSED));
    },
  };
}

/**
 * A Socket's two streams as the runtime's behave, whatever carries the bytes: the carrier gives
 * the underlying source and sink, and these streams add the Socket's rules on top.
 *
 * Invariant: every reader of the readable side (a byte stream: default or BYOB, and the one an
 * iterator reads through) has at most one read waiting for bytes (another read is refused then;
 * one that bytes already wait for is not); once the socket's close() is called, a read pending
 * then fails "This socket has been closed.", any later read "This ReadableStream belongs to an
 * object that is closing.", and the readable reads as closed (a reader's `closed` and cancel()
 * resolve). What reads the stream past its readers, as Node's pipes and tee do, finds the end
 * at close() (the branches of a tee take one read at a time, single-reads.ts), except a pipe into
 * a native writable side (native-writables.ts), which goes on until the socket ends the
 * connection, then fails "This socket has been closed.". Writes are
 * refused as "This WritableStream belongs to an object that is closing." until the close
 * completes; then the writable side fails with "This socket has been closed." (a writer's
 * `closed`, the stream's close()), and a writer taken before that keeps a resolved `ready` and
 * has its writes and close() refused as "This WritableStream has been closed." (one taken after,
 * as closing). Writes taken before the close still go to the carrier, and flushed() tells when
 * they have (the socket ends the connection after them); a write or close() in progress when it
 * ends fails "This socket has been closed.". Without allowHalfOpen, the readable reaching its end
 * closes the writable side (its writes are refused as closed, a writer's `closed` resolves), and
 * the carrier ends that direction.
 */

import { pipeThroughArguments, withPipeToArguments } from "../globals/pipe-options.js";
import { iteratorOf } from "../globals/stream-iterators.js";
import type {
  QueuingStrategy,
  ReadableStreamAsyncIterator,
  ReadableStreamReadResult,
  ReadableWritablePair,
  StreamPipeOptions,
  UnderlyingByteSource,
  UnderlyingSink,
  UnderlyingSource,
} from "node:stream/web";
import { isNativeWritable, writesNatively } from "../native-writables.js";
import { SINGLE_READ, teesOneAtATime } from "../single-reads.js";

type Chunk = ArrayBufferView | ArrayBuffer | string;

const READS_AFTER_CLOSE = "This ReadableStream belongs to an object that is closing.";
const WRITES_AFTER_CLOSE = "This WritableStream belongs to an object that is closing.";
const WRITABLE_CLOSED = "This WritableStream has been closed.";
const SOCKET_CLOSED = "This socket has been closed.";

/** Where the socket is in its close(): "closing" from the call, "closed" once it resolved. */
type Phase = "open" | "closing" | "closed";

interface ReadableState {
  readonly controller: ReadableByteStreamController;
  phase: Phase;
  /** The read that waits for bytes that have not come yet, if one does. */
  waiting: object | undefined;
  /** Reads not answered yet. */
  unanswered: number;
  /** Whether bytes wait to be read (in the stream's queue or the carrier's). */
  readonly queued: () => boolean;
  /** Called once a read finds the end (allowHalfOpen off: the writable side then closes). */
  onEnd: () => void;
  /** What cuts each pipe into a native writable side (one still locks the stream while in progress) when the connection ends. */
  readonly pumps: Set<AbortController>;
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
    // (One function under both names, as the stream standard has it.)
    Object.defineProperty(this.prototype, Symbol.asyncIterator, { value: this.prototype.values, writable: true, configurable: true });
  }

  constructor(source: UnderlyingByteSource, strategy: { highWaterMark: number }) {
    // (A byte source: the typings give a subclass only the default source's constructor.)
    super(source as unknown as UnderlyingSource<Uint8Array>, strategy);
  }

  override getReader(options?: { mode?: undefined }): ReadableStreamDefaultReader<Uint8Array>;
  override getReader(options: { mode: "byob" }): ReadableStreamBYOBReader;
  override getReader(options?: { mode?: "byob" }): ReadableStreamDefaultReader<Uint8Array> | ReadableStreamBYOBReader {
    const reader = super.getReader(options as { mode?: undefined });
    Object.setPrototypeOf(reader, reader instanceof ReadableStreamBYOBReader ? SocketBYOBReader.prototype : SocketReader.prototype);
    readers.set(reader, readables.get(this)!);
    return reader;
  }

  // The runtime pipes into its own writable sides with a pump, which the socket's close() cuts
  // (after the flush, as it ends the connection): the pipe fails "This socket has been closed."
  // (Its arguments read once, as the runtime converts them: pipe-options.ts.)
  override pipeTo(destination: WritableStream<Uint8Array>, options?: StreamPipeOptions): Promise<void> {
    return withPipeToArguments(this, [destination, options], (args) => {
      const [converted, given] = args as [WritableStream<Uint8Array>, StreamPipeOptions | undefined];
      return super.pipeTo(converted, pumpOptions(readables.get(this)!, converted, given));
    }) as Promise<void>;
  }

  override pipeThrough<T>(transform: ReadableWritablePair<T, Uint8Array>, options?: StreamPipeOptions): ReadableStream<T> {
    const [pair, given] = pipeThroughArguments(this, [transform, options]) as [ReadableWritablePair<T, Uint8Array>, StreamPipeOptions | undefined];
    return super.pipeThrough(pair, pumpOptions(readables.get(this)!, pair?.writable, given));
  }

  // Node iterates a stream through a reader of its own, past the rules: the runtime's iterator
  // reads through a reader of the stream, so it follows them (for await, values()).
  override values(options?: { preventCancel?: boolean }): ReadableStreamAsyncIterator<Uint8Array> {
    return iteratorOf(this, options) as unknown as ReadableStreamAsyncIterator<Uint8Array>;
  }
}

const readers = new WeakMap<object, ReadableState>();

/**
 * The options of a pipe into `destination`: as given for a JavaScript stream, which reads the end
 * at close() as a reader's read would; for a native one, with a signal that the end of the
 * connection aborts (the given signal aborts it too).
 */
function pumpOptions(state: ReadableState, destination: unknown, options: StreamPipeOptions | undefined): StreamPipeOptions | undefined {
  const given = options?.signal;
  if (!isNativeWritable(destination) || (given !== undefined && !(given instanceof AbortSignal))) return options;
  const cut = new AbortController();
  state.pumps.add(cut);
  const signal = given === undefined ? cut.signal : AbortSignal.any([given, cut.signal]);
  return { preventAbort: options?.preventAbort, preventCancel: options?.preventCancel, preventClose: options?.preventClose, signal };
}

// A default and a BYOB reader of the socket's readable read through the same rules.
class SocketReader extends ReadableStreamDefaultReader<Uint8Array> {
  static {
    Object.defineProperty(this, "name", { value: "ReadableStreamDefaultReader" });
  }

  override read(): Promise<ReadableStreamReadResult<Uint8Array>> {
    return readByRules(readers.get(this), () => super.read());
  }
}

class SocketBYOBReader extends ReadableStreamBYOBReader {
  static {
    Object.defineProperty(this, "name", { value: "ReadableStreamBYOBReader" });
  }

  override read<T extends ArrayBufferView>(view: T, ...rest: unknown[]): Promise<ReadableStreamReadResult<T>> {
    return readByRules(readers.get(this), () => (super.read as (view: T, ...rest: unknown[]) => Promise<ReadableStreamReadResult<T>>)(view, ...rest));
  }
}

/**
 * One read of a socket's reader (`state` undefined: a reader of another stream, read as it is).
 * The single-read rule is the socket's own, not single-reads.ts': workerd answers a read that
 * bytes already wait for without holding it pending, so only a read that has to wait for bytes
 * blocks the next (conformance "sockets-readers: BYOB readers ...", its defaultReads and smallViews).
 */
function readByRules<R extends { done: boolean }>(state: ReadableState | undefined, read: () => Promise<R>): Promise<R> {
  if (state === undefined) return read();
  if (state.phase !== "open") return Promise.reject(new TypeError(READS_AFTER_CLOSE));
  if (state.waiting !== undefined) return Promise.reject(new TypeError(SINGLE_READ));
  // Bytes that wait are this read's unless an earlier read, still unanswered, takes them.
  const mark = {};
  if (state.unanswered > 0 || !state.queued()) state.waiting = mark;
  state.unanswered++;
  const answered = (): void => {
    state.unanswered--;
    if (state.waiting === mark) state.waiting = undefined;
  };
  return read().then(
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

/** Ends a byte stream: a BYOB read waiting is answered only once its request is (with no bytes, the end). */
function closeBytes(controller: ReadableByteStreamController): void {
  controller.close();
  controller.byobRequest?.respond(0);
}

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
  /** The socket's close() ends the connection now: pipes into native writable sides fail. */
  ending(): void;
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
  let readController!: ReadableByteStreamController;
  let writeController!: WritableStreamDefaultController;
  // A byte stream (BYOB readers read it, as the runtime's socket streams take them) over the
  // carrier's source, which enqueues chunks as to any stream: each goes in as a copy, since a
  // byte stream takes over the buffer it is given, which may be a writer's or a shared pool's.
  const highWaterMark = strategy?.highWaterMark ?? 0;
  let carrierController: ReadableStreamDefaultController<Uint8Array> | undefined;
  const carrier = (controller: ReadableByteStreamController): ReadableStreamDefaultController<Uint8Array> =>
    (carrierController ??= {
      get desiredSize() {
        return controller.desiredSize;
      },
      enqueue: (chunk?: Uint8Array) => controller.enqueue(new Uint8Array(chunk!)),
      close: () => closeBytes(controller),
      error: (reason?: unknown) => controller.error(reason),
    });
  const readable = new SocketReadableStream(
    {
      type: "bytes",
      start: (controller: ReadableByteStreamController) => {
        readController = controller;
        return source.start?.call(source, carrier(controller));
      },
      pull: (controller: ReadableByteStreamController) => source.pull?.call(source, carrier(controller)),
      cancel: (reason: unknown) => source.cancel?.call(source, reason),
    } satisfies UnderlyingByteSource,
    { highWaterMark },
  );
  // The branches of its tee() take one read at a time, as other runtime-made streams' do.
  teesOneAtATime(readable);
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
  const writable = writesNatively(new SocketWritableStream({
    ...sink,
    start: (controller) => {
      writeController = controller;
      return sink.start?.(controller);
    },
    write: cutByClose(sink.write),
    close: cutByClose(sink.close),
  }));
  const writes: WritableState = { controller: writeController, phase: "open", ended: false, written: Promise.resolve(), closedByCode: false };
  const reads: ReadableState = {
    controller: readController,
    phase: "open",
    waiting: undefined,
    unanswered: 0,
    queued: () => (readController.desiredSize ?? 0) < highWaterMark || carrierQueued(),
    onEnd: () => {
      if (allowHalfOpen || writes.ended) return;
      writes.ended = true;
      endWrites();
    },
    pumps: new Set(),
  };
  const endReads = (): void => {
    try {
      closeBytes(reads.controller);
    } catch {
      // Ended or failed already.
    }
  };
  readables.set(readable, reads);
  writables.set(writable, writes);
  return {
    readable,
    writable,
    close: () => {
      if (reads.phase !== "open") return;
      reads.phase = writes.phase = "closing";
      // (A pump in progress goes on until the connection ends: see ending.)
      if (reads.pumps.size === 0 || !readable.locked) endReads();
    },
    ending: () => {
      for (const cut of reads.pumps) cut.abort(new TypeError(SOCKET_CLOSED));
      reads.pumps.clear();
      endReads();
    },
    flushed: () => (writes.closedByCode ? Promise.resolve() : writes.written),
    closeDone: () => {
      reads.phase = writes.phase = "closed";
      writes.controller.error(new TypeError(SOCKET_CLOSED));
    },
  };
}

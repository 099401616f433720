import { chunkBytes } from "../chunk-bytes.js";
import { clientDisconnected, connectionLost } from "../errors.js";
import { type Connection, type SecureTransport, type Socket, type SocketInfo, socketOver } from "./socket.js";
import { socketStreams } from "./socket-streams.js";
import type { UnderlyingSink, UnderlyingSource } from "node:stream/web";

/**
 * A connection from a Fetcher's `connect()` to the connect handler of a Worker or a Durable
 * Object, in memory, as workerd carries it (a CONNECT request). The caller's Socket exists at
 * once. If the target has a connect handler, the caller's `opened` resolves (`remoteAddress`: the
 * address asked for) and the handler gets a Socket of its own (`localAddress`: that address);
 * the bytes one side writes are what the other reads. The connection lasts as long as the
 * handler's event: when the handler settles (even by throwing: the runtime only logs it), the
 * caller reads what the handler wrote and then the end, and both sides' `closed` resolve. A
 * target without a handler refuses it as workerd's proxy does: `opened` and `closed` reject with
 * "proxy request failed, cannot connect to the specified address" (hinting at fetch() for ports
 * 80 and 443), the readable ends empty and writes fail. close() on either side ends it: the
 * caller's is a client going away (the handler reads what the caller wrote, then its reads,
 * writes and `closed` fail with "Can't read from request stream because client
 * disconnected."), the handler's an end the caller reads (the caller's writes then fail with
 * "Network connection lost.", and its `closed` resolves even with allowHalfOpen).
 */
export class WorkerConnection {
  readonly #address: string;
  readonly #port: number;
  readonly #toTarget = new BytePipe();
  readonly #toCaller = new BytePipe();
  readonly #callerOpened = settleable<SocketInfo>();
  readonly #closed = settleable<void>();
  /** The caller closed its socket: the handler's side fails. */
  readonly #callerGone = settleable<void>();
  /** The handler closed its socket: the caller's side is over whatever its allowHalfOpen. */
  readonly #handlerGone = settleable<void>();
  #over = false;
  /** The Socket the caller holds. */
  readonly caller: Socket;

  /**
   * `secureTransport` and `allowHalfOpen` are what the caller asked for: "off" or "starttls"
   * (this carrier refuses "on" before it is made); with `allowHalfOpen`, the end of the
   * connection leaves the caller's `closed` pending until its own close(), as the runtime's.
   */
  constructor(address: string, port: number, secureTransport: SecureTransport, allowHalfOpen: boolean) {
    this.#address = address;
    this.#port = port;
    const closeCalled = settleable<void>();
    const connectionEnded = allowHalfOpen ? Promise.all([this.#closed.promise, closeCalled.promise]) : this.#closed.promise;
    // Without allowHalfOpen, reading the end closes the writable side too: nothing is left open.
    const readEnd = settleable<void>();
    const ended = Promise.race([connectionEnded, this.#handlerGone.promise, readEnd.promise]);
    this.caller = socketOver(
      this.#side(this.#toCaller, this.#toTarget, this.#callerOpened.promise, { secureTransport, allowHalfOpen, ended, readEnd: () => readEnd.resolve() }, () => {
        closeCalled.resolve();
        this.#callerLeaves();
      }),
    );
  }

  /** The target has a handler: the caller's `opened` resolves, and this is the handler's Socket. */
  accept(): Socket {
    this.#callerOpened.resolve({ remoteAddress: this.#address, localAddress: undefined });
    const opened = Promise.resolve({ remoteAddress: undefined, localAddress: this.#address });
    // (The handler's socket keeps its writable side open after its readable ends, as the runtime's.)
    const ended = Promise.race([this.#closed.promise, this.#callerGone.promise]);
    return socketOver(this.#side(this.#toTarget, this.#toCaller, opened, { secureTransport: "off", allowHalfOpen: true, ended }, () => this.#handlerLeaves()));
  }

  /** The target has no connect handler. */
  refuse(): void {
    let message = "proxy request failed, cannot connect to the specified address";
    if (this.#port === 80 || this.#port === 443) message += ". It looks like you might be trying to connect to a HTTP-based service — consider using fetch instead";
    const error = new Error(message);
    this.#callerOpened.reject(error);
    this.#toTarget.failWriting(new Error(`jsg.Error: ${message}`));
    this.#toCaller.cancelWaitingRead();
    this.#toCaller.end();
    this.#over = true;
    this.#closed.reject(error);
  }

  /** The handler's event is over (or the connection was closed): both directions end. */
  end(): void {
    if (this.#over) return;
    this.#over = true;
    this.#toTarget.end();
    this.#toCaller.end();
    // A target never asked (a stub used from another I/O context) leaves `opened` refused.
    this.#callerOpened.reject(new Error("proxy request failed, cannot connect to the specified address"));
    this.#closed.resolve();
  }

  /** The caller closed its socket before the connection was over: a client that went away, to the handler. */
  #callerLeaves(): void {
    if (this.#over) return;
    const error = clientDisconnected();
    this.#callerGone.reject(error);
    this.#toTarget.failAfterQueued(error);
    this.#toCaller.failWriting(error);
  }

  /** The handler closed its socket: the caller reads the end, and what it writes is lost. */
  #handlerLeaves(): void {
    if (this.#over) return;
    this.#handlerGone.resolve();
    this.#toTarget.failWriting(connectionLost());
  }

  /**
   * One side's state: it reads `incoming` and writes into `outgoing`; its `closed` settles as
   * `ended` does (`readEnd` is told when a read found the end without allowHalfOpen), and
   * `leaving` is what its close() does to the other side.
   */
  #side(
    incoming: BytePipe,
    outgoing: BytePipe,
    opened: Promise<SocketInfo>,
    { secureTransport, allowHalfOpen, ended, readEnd }: { secureTransport: SecureTransport; allowHalfOpen: boolean; ended: Promise<unknown>; readEnd?: () => void },
    leaving: () => void,
  ): Connection {
    const closed = settleable<void>();
    ended.then(() => closed.resolve(), closed.reject);
    const ending = (): void => this.end();
    return {
      secureTransport,
      streams: socketStreams(incoming.source, outgoing.sink, { allowHalfOpen, endWrites: () => {
          outgoing.end();
          readEnd?.();
        },
        carrierQueued: () => incoming.queued(),
        strategy: { highWaterMark: 0 } }),
      opened,
      closed: closed.promise,
      startedTls: false,
      upgraded: false,
      // (Socket.close() asks once the target has answered and the writes before it went out.)
      close: () => {
        leaving();
        ending();
      },
      // The runtime's CONNECT to a Worker carries no TLS: the new socket fails at every use,
      // while the connection stays as it was.
      startTls: () => socketOver(tlsRefused()),
      release: () => closed.resolve(),
    };
  }
}

/** The socket a "starttls" connection to a Worker upgrades to: its promises and streams fail with the runtime's words; close() does nothing. */
function tlsRefused(): Connection {
  const error = new Error("startTls() is not supported on this connection.");
  const failed = Promise.reject(error);
  failed.catch(() => undefined);
  return {
    secureTransport: "on",
    streams: {
      readable: new ReadableStream({ start: (controller) => controller.error(error) }),
      writable: new WritableStream({ start: (controller) => controller.error(error) }),
      close: () => undefined,
      ending: () => undefined,
      flushed: () => Promise.resolve(),
      closeDone: () => undefined,
    },
    opened: failed,
    closed: failed,
    startedTls: false,
    upgraded: false,
    close: () => undefined,
    // Never asked: Socket.startTls() refuses a socket that is "on" before it asks.
    startTls: () => {
      throw new TypeError("Cannot startTls on a TLS socket.");
    },
    release: () => undefined,
  };
}

/**
 * One direction of a connection: what is written (bytes, or a string as UTF-8) is read on the
 * other side, in order; end() lets the reader read what is queued, then the end, and
 * failAfterQueued() / failWriting() fail one side. Each side's stream is made over `source` or
 * `sink` (socket-streams.ts).
 */
/** A socket buffer's worth of bytes (see BytePipe). */
const QUEUED_BYTES = 65536;

class BytePipe {
  #controller!: TransformStreamDefaultController<Uint8Array>;
  // Bytes queue for the reader up to a socket buffer's worth, so a write resolves once sent, not once read.
  readonly #stream = new TransformStream<ArrayBufferView | ArrayBuffer | string, Uint8Array>(
    {
      start: (controller) => {
        this.#controller = controller;
      },
      transform: (chunk, controller) => {
        const bytes = chunkBytes(chunk);
        if (bytes === undefined) throw new TypeError("This WritableStream only supports writing byte types.");
        controller.enqueue(bytes);
      },
    },
    undefined,
    { highWaterMark: QUEUED_BYTES, size: (chunk) => chunk.byteLength },
  );
  readonly #queued = this.#stream.readable.getReader();
  #reading = false;
  #readable: ReadableStreamDefaultController<Uint8Array> | undefined;
  /** What the reader's read finds after the queued bytes instead of the end (see failAfterQueued). */
  #failAtEnd: Error | undefined;
  /** What the reading side's stream reads, a chunk at a time when it asks (so a refusal can tell whether a read waits). */
  readonly source: UnderlyingSource<Uint8Array> = {
    start: (controller) => {
      this.#readable = controller as ReadableStreamDefaultController<Uint8Array>;
    },
    pull: async (controller) => {
      this.#reading = true;
      try {
        const { done, value } = await this.#queued.read();
        if (!done) controller.enqueue(value);
        else if (this.#failAtEnd === undefined) controller.close();
        else controller.error(this.#failAtEnd);
      } catch (error) {
        controller.error(error);
      } finally {
        this.#reading = false;
      }
    },
    cancel: (reason) => this.#queued.cancel(reason),
  };
  readonly #writer = this.#stream.writable.getWriter();
  #writable: WritableStreamDefaultController | undefined;
  /** What the writing side's stream writes into: the pipe's queue. */
  readonly sink: UnderlyingSink<ArrayBufferView | ArrayBuffer | string> = {
    start: (controller) => {
      this.#writable = controller;
    },
    write: (chunk) => this.#writer.write(chunk),
    close: () => this.#writer.close(),
    abort: (reason) => this.#writer.abort(reason),
  };

  /** Whether bytes were written that the reading side has not taken yet (or the pipe ended). */
  queued(): boolean {
    return (this.#controller.desiredSize ?? 0) < QUEUED_BYTES;
  }

  /** A refused connection: a read waiting for it fails as workerd's does; later reads find the end. */
  cancelWaitingRead(): void {
    if (this.#reading) this.#readable?.error(new Error("Stream was cancelled."));
  }

  end(): void {
    try {
      this.#controller.terminate();
    } catch {
      // Ended or failed already.
    }
  }

  /** The reading side reads what was written, then fails with `error` (a writer that went away). */
  failAfterQueued(error: Error): void {
    this.#failAtEnd = error;
    this.end();
  }

  /** The writing side's writes fail with `error`. */
  failWriting(error: Error): void {
    this.#controller.error(error);
    this.#writable?.error(error);
  }
}

interface Settleable<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

/** A promise and its settling functions; a rejection nobody awaits is not reported. */
function settleable<T>(): Settleable<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

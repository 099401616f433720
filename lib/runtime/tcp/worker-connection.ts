import { chunkBytes } from "../http-request.js";
import { type Connection, readsAfterClose, type SecureTransport, type Socket, type SocketInfo, socketOver, writesAfterClose } from "./socket.js";

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
 * 80 and 443), the readable ends empty and writes fail. close() on either side ends it.
 */
export class WorkerConnection {
  readonly #address: string;
  readonly #port: number;
  readonly #toTarget = new BytePipe();
  readonly #toCaller = new BytePipe();
  readonly #callerOpened = settleable<SocketInfo>();
  readonly #closed = settleable<void>();
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
    this.caller = socketOver(this.#side(this.#toCaller, this.#toTarget, this.#callerOpened.promise, secureTransport, allowHalfOpen));
  }

  /** The target has a handler: the caller's `opened` resolves, and this is the handler's Socket. */
  accept(): Socket {
    this.#callerOpened.resolve({ remoteAddress: this.#address, localAddress: undefined });
    return socketOver(this.#side(this.#toTarget, this.#toCaller, Promise.resolve({ remoteAddress: undefined, localAddress: this.#address }), "off", false));
  }

  /** The target has no connect handler. */
  refuse(): void {
    let message = "proxy request failed, cannot connect to the specified address";
    if (this.#port === 80 || this.#port === 443) message += ". It looks like you might be trying to connect to a HTTP-based service — consider using fetch instead";
    const error = new Error(message);
    this.#callerOpened.reject(error);
    this.#toTarget.fail(new Error(`jsg.Error: ${message}`));
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

  /** One side's state: it reads `incoming` and writes into `outgoing`. */
  #side(incoming: BytePipe, outgoing: BytePipe, opened: Promise<SocketInfo>, secureTransport: SecureTransport, halfOpen: boolean): Connection {
    const closed = settleable<void>();
    const closeCalled = settleable<void>();
    const ended = halfOpen ? Promise.all([this.#closed.promise, closeCalled.promise]) : this.#closed.promise;
    ended.then(() => closed.resolve(), closed.reject);
    const ending = (): void => this.end();
    return {
      secureTransport,
      readable: incoming.readable,
      writable: outgoing.writable,
      opened,
      closed: closed.promise,
      startedTls: false,
      upgraded: false,
      // This side's streams refuse at once; the runtime closes the connection once the target
      // has answered, so `opened` still tells whether it took it.
      close: () => {
        closeCalled.resolve();
        incoming.refuseReads(readsAfterClose());
        outgoing.refuseWrites(writesAfterClose());
        void opened.then(ending, ending);
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
    readable: new ReadableStream({ start: (controller) => controller.error(error) }),
    writable: new WritableStream({ start: (controller) => controller.error(error) }),
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
 * other side, in order; end() lets the reader read what is queued, then the end, and fail()
 * refuses further writes.
 */
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
    { highWaterMark: 65536, size: (chunk) => chunk.byteLength },
  );
  readonly #queued = this.#stream.readable.getReader();
  #reading = false;
  #readable!: ReadableStreamDefaultController<Uint8Array>;
  /** What the reader reads, a chunk at a time when it asks (so a refusal can tell whether a read waits). */
  readonly readable = new ReadableStream<Uint8Array>(
    {
      start: (controller) => {
        this.#readable = controller;
      },
      pull: async (controller) => {
        this.#reading = true;
        try {
          const { done, value } = await this.#queued.read();
          if (done) controller.close();
          else controller.enqueue(value);
        } catch (error) {
          controller.error(error);
        } finally {
          this.#reading = false;
        }
      },
      cancel: (reason) => this.#queued.cancel(reason),
    },
    { highWaterMark: 0 },
  );
  readonly #writer = this.#stream.writable.getWriter();
  #writable!: WritableStreamDefaultController;
  /** What the writer writes: the pipe's own stream in front of the queue, so one side's close() can refuse its writes alone. */
  readonly writable = new WritableStream<ArrayBufferView | ArrayBuffer | string>({
    start: (controller) => {
      this.#writable = controller;
    },
    write: (chunk) => this.#writer.write(chunk),
    close: () => this.#writer.close(),
    abort: (reason) => this.#writer.abort(reason),
  });

  /** A refused connection: a read waiting for it fails as workerd's does; later reads find the end. */
  cancelWaitingRead(): void {
    if (this.#reading) this.#readable.error(new Error("Stream was cancelled."));
  }

  /** The reader's side closed: its reads fail with `error`. */
  refuseReads(error: Error): void {
    this.#readable.error(error);
  }

  /** The writer's side closed: its writes fail with `error`. */
  refuseWrites(error: Error): void {
    this.#writable.error(error);
  }

  end(): void {
    try {
      this.#controller.terminate();
    } catch {
      // Ended or failed already.
    }
  }

  fail(error: Error): void {
    this.#controller.error(error);
    this.#writable.error(error);
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

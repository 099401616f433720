/**
 * The runtime's `Socket`: what `connect()` of `cloudflare:sockets` and a Fetcher's `connect()`
 * return, and what a Worker's connect handler is given. Its surface (two streams, the promises of
 * its lifetime, close() and startTls()) is the same whatever carries the bytes; a Connection
 * holds that carrier's side, out of reach of the object user code holds.
 */
import { site, tagInterface, toDictionary, toIdlString } from "../../util/webidl.js";
import type { SocketStreams } from "./socket-streams.js";

export type SecureTransport = "off" | "on" | "starttls";

export interface SocketInfo {
  remoteAddress?: string;
  localAddress?: string;
}

export interface TlsOptions {
  expectedServerHostname?: string;
}

/** A socket's private state: its streams and promises, and what close() and startTls() do. */
export interface Connection {
  readonly secureTransport: SecureTransport;
  /** Its two streams, and the close rules Socket.close() applies to them (socket-streams.ts). */
  readonly streams: SocketStreams;
  readonly opened: Promise<SocketInfo>;
  readonly closed: Promise<void>;
  /** startTls() was called: this socket is spent. */
  startedTls: boolean;
  /** startTls() spent this socket and what was written to it has gone out. */
  upgraded: boolean;
  /** Ends the connection both ways, at once (Socket.close() asks once it is made or refused and the writes before the close have gone out). */
  close(): void;
  /** The upgraded socket over the same connection (only asked of a "starttls" socket). */
  startTls(options: TlsOptions | undefined): Socket;
  /** This side was upgraded away from: its `closed` resolves, while the connection goes on. */
  release(): void;
}

const connections = new WeakMap<Socket, Connection>();

const START_TLS = site("Socket", "startTls");

/** Connections whose Socket's close() was called. */
const closing = new WeakSet<Connection>();

function done(): void {}

function connectionOf(socket: Socket): Connection {
  const connection = connections.get(socket);
  if (connection === undefined) throw new TypeError("Illegal invocation");
  return connection;
}

/** A connection as Worker code sees it (a type only, as the runtime's modules export no Socket). */
class Socket {
  private constructor() {
    throw new TypeError("Illegal constructor");
  }

  get readable(): ReadableStream<Uint8Array> {
    return connectionOf(this).streams.readable;
  }

  get writable(): WritableStream<ArrayBufferView | ArrayBuffer | string> {
    return connectionOf(this).streams.writable;
  }

  get opened(): Promise<SocketInfo> {
    return connectionOf(this).opened;
  }

  get closed(): Promise<void> {
    return connectionOf(this).closed;
  }

  get upgraded(): boolean {
    return connectionOf(this).upgraded;
  }

  get secureTransport(): SecureTransport {
    return connectionOf(this).secureTransport;
  }

  /** Closes both directions: the first call resolves once `closed` settles, however it does; a later one settles as `closed` does. */
  close(): Promise<void> {
    const connection = connectionOf(this);
    if (closing.has(connection)) return connection.closed.then(() => undefined);
    closing.add(connection);
    // The streams refuse at once, whatever the carrier does to end the connection. As the
    // runtime's, it ends once the connection is made or refused and the writes made before the
    // call have gone out (unless code closed the writable side itself): they are not lost.
    connection.streams.close();
    const end = (): void => {
      connection.streams.ending();
      connection.close();
    };
    const flush = (): Promise<void> => connection.streams.flushed().then(end);
    void connection.opened.then(flush, flush);
    const closeDone = (): void => connection.streams.closeDone();
    return connection.closed.then(closeDone, closeDone);
  }

  /** Upgrades a "starttls" socket to TLS: a new Socket over the same connection; this one is done. */
  // (A rest parameter, so startTls.length is 0 as the runtime's is.)
  startTls(...[options]: [TlsOptions?]): Socket {
    const connection = connectionOf(this);
    // The options convert before anything is checked (a refused one leaves the socket as it was).
    const tls = toDictionary<TlsOptions>(START_TLS, options, 1, "TlsOptions");
    const expected = tls?.expectedServerHostname;
    const converted = expected === undefined ? undefined : { expectedServerHostname: toIdlString(expected) };
    if (connection.secureTransport === "on") throw new TypeError("Cannot startTls on a TLS socket.");
    if (connection.secureTransport !== "starttls") {
      throw new TypeError("The `secureTransport` socket option must be set to 'starttls' for startTls to be used.");
    }
    if (connection.startedTls) {
      throw new TypeError("startTls has already been called on this socket, or the socket was transferred over RPC.");
    }
    connection.startedTls = true;
    const upgraded = connection.startTls(converted);
    // The runtime detaches this socket's streams (they read as locked from now on) and, once
    // what was written has gone out, marks it upgraded and resolves its `closed`: the new
    // socket's `upgraded` stays false (conformance "sockets-arguments: startTls() ...").
    const writes = lockQuietly(() => connection.streams.writable.getWriter());
    lockQuietly(() => connection.streams.readable.getReader());
    // (A writable that failed never gets there, and its failure is the code's to see elsewhere.)
    void (writes?.ready ?? Promise.resolve()).then(() => {
      connection.upgraded = true;
      connection.release();
    }, done);
    return upgraded;
  }
}

/** A stream's lock, taken unless code holds one already (the runtime detaches the stream either way). */
function lockQuietly<L>(lock: () => L): L | undefined {
  try {
    return lock();
  } catch {
    return undefined;
  }
}
tagInterface(Socket.prototype, "Socket");
export type { Socket };

/** The Socket user code holds for `connection`. */
export function socketOver(connection: Connection): Socket {
  const socket = Object.create(Socket.prototype) as Socket;
  connections.set(socket, connection);
  return socket;
}

/**
 * The `cloudflare:sockets` module: `connect(address, options)` opens an outbound TCP connection
 * (TLS with `secureTransport: "on"`, or later through `startTls()` with "starttls"), as database
 * drivers built for Workers do (pg-cloudflare, postgres.js). The connection is Node's (node:net,
 * node:tls); the Socket's surface and its argument checks are the runtime's (conformance
 * scenarios "modules: connect's argument checks and the Socket's shape" and "sockets-arguments:
 * ..."; the checks are connect-arguments.ts', which a Fetcher's connect() shares): bad arguments
 * throw synchronously with workerd's words, a failed connection rejects `opened` and `closed`.
 * Reading from and writing to the socket are I/O durasim does not deliver itself (README,
 * "Differences from production"). A connection belongs to the I/O context whose code opened it:
 * it is cut when that ends (its object reset, its Worker event over, the emulator disposed), as
 * the runtime drops an ended context's sockets, so none outlives its emulator to keep Node running.
 */
import { Socket as NetSocket, connect as netConnect } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { chunkBytes } from "../runtime/chunk-bytes.js";
import { type ConnectRequest, connectArguments } from "../runtime/tcp/connect-arguments.js";
import { type SecureTransport, type Socket, type SocketInfo, socketOver } from "../runtime/tcp/socket.js";
import { socketStreams } from "../runtime/tcp/socket-streams.js";
import type { UnderlyingSink, UnderlyingSource } from "node:stream/web";
import { site } from "../util/webidl.js";
import { currentIoContext, holdUntilContextEnds, letGo } from "../runtime/io-context.js";
import { connectionLost } from "../runtime/errors.js";

export interface SocketAddress {
  hostname: string;
  port: number;
}

export interface SocketOptions {
  secureTransport?: string;
  allowHalfOpen?: boolean;
}

/** Opens a connection to `address` ("host:port" or `{ hostname, port }`). */
export function connect(address: string | SocketAddress, options?: SocketOptions): Socket {
  const target = connectArguments(CONNECT, address, options);
  const { hostname, port, secureTransport, allowHalfOpen } = target;
  const net =
    secureTransport === "on" ? tlsConnect({ host: hostname, port, servername: hostname }) : netConnect({ host: hostname, port, allowHalfOpen });
  return open(net, target, secureTransport, allowHalfOpen, secureTransport === "on" ? "secureConnect" : "connect");
}

export type { Socket };

const CONNECT = site("SocketsModule", "connect");

function open(net: NetSocket, target: ConnectRequest, secureTransport: SecureTransport, allowHalfOpen: boolean, readyEvent: string): Socket {
  const live = cutWhenContextEnds(net);
  const link = { live, made: false };
  const opened = new Promise<SocketInfo>((resolve, reject) => {
    // The runtime reports the address as it was asked for, and no local address at all.
    net.once(readyEvent, () => {
      link.made = true;
      if (live.settles) resolve({ remoteAddress: target.address, localAddress: undefined });
    });
    net.once("error", (error) => live.settles && reject(error));
  });
  let release!: () => void;
  const closed = new Promise<void>((resolve, reject) => {
    let failure: unknown;
    // A connection the peer broke once it was made ends as any other, as the runtime's does.
    net.once("error", (error) => (failure = link.made ? undefined : error));
    net.once("close", () => live.settles && (failure === undefined ? resolve() : reject(failure)));
    release = resolve;
  });
  // Whoever awaits neither promise is not told of a failed connection twice over.
  opened.catch(() => undefined);
  closed.catch(() => undefined);
  return socketOver({
    secureTransport,
    startedTls: false,
    upgraded: false,
    // (Node's socket ends its own writing side when the peer's ends, unless allowHalfOpen.)
    streams: socketStreams(sourceOf(net, link), sinkOf(net, link), { allowHalfOpen, endWrites: () => undefined }),
    opened,
    closed,
    // (Socket.close() asks once the connection is made or failed and what was written before
    // the close has gone out, so neither `opened` nor a write is cut short.)
    close: () => {
      net.destroy();
    },
    startTls: (options) => {
      const servername = options?.expectedServerHostname ?? target.hostname;
      return open(tlsConnect({ socket: net, servername }), target, "on", allowHalfOpen, "secureConnect");
    },
    release,
  });
}

/** A connection: whether what its code waits on still settles, and whether it was made. */
interface Link {
  readonly live: Liveness;
  made: boolean;
}

/**
 * What a read or write fails with when Node's socket fails: a connection the peer broke (reset)
 * once it was made is lost, in the runtime's words ("Network connection lost.", retryable, where
 * Node says "read ECONNRESET", or "Cannot call write after a stream was destroyed" for a later
 * write: checked with workerd against a local server); one that was never made keeps Node's error.
 */
function failureOf(link: Link, error: Error): Error {
  return link.made ? connectionLost() : error;
}

/** The bytes the peer sends, chunk by chunk; the stream ends when the peer does and errors with the connection. */
function sourceOf(net: NetSocket, link: Link): UnderlyingSource<Uint8Array> {
  const { live } = link;
  return {
    start(controller: ReadableStreamDefaultController<Uint8Array>) {
      net.on("data", (chunk: Buffer) => {
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) net.pause();
      });
      net.once("end", () => closeQuietly(controller));
      net.once("close", () => live.settles && closeQuietly(controller));
      net.once("error", (error) => live.settles && controller.error(failureOf(link, error)));
    },
    pull() {
      net.resume();
    },
    cancel() {
      net.destroy();
    },
  } as UnderlyingSource<Uint8Array>;
}

function closeQuietly(controller: ReadableStreamDefaultController<Uint8Array>): void {
  try {
    controller.close();
  } catch {
    // Closed or errored already.
  }
}

/** Bytes (or a string, as UTF-8) written go to the peer; closing the stream ends this side of the connection. */
function sinkOf(net: NetSocket, link: Link): UnderlyingSink<ArrayBufferView | ArrayBuffer | string> {
  const { live } = link;
  return {
    write(chunk) {
      const bytes = bytesOf(chunk);
      return new Promise<void>((resolve, reject) => net.write(bytes, (error) => live.settles && (error == null ? resolve() : reject(failureOf(link, error)))));
    },
    close() {
      return new Promise<void>((resolve) => net.end(() => live.settles && resolve()));
    },
    abort() {
      net.destroy();
    },
  };
}

/** A chunk as the runtime's byte streams take it: a string as UTF-8, a view or buffer as its bytes. */
function bytesOf(chunk: unknown): Uint8Array {
  const bytes = chunkBytes(chunk);
  if (bytes === undefined) throw new TypeError("This WritableStream only supports writing byte types.");
  return bytes;
}

/** Whether what the code that opened a connection waits on (its writes, reads, `opened`, `closed`) may still settle. */
interface Liveness {
  readonly settles: boolean;
}

/** What test code opens: no context ends it. */
const ALWAYS: Liveness = { settles: true };

/**
 * `net` is destroyed when the I/O context of the code opening it ends (test code's has none),
 * unless it closed first. From then on nothing its code waits on settles: the runtime never
 * resumes an ended context's code, so a write pending at the cut neither resolves nor fails
 * (Node's socket fails it with "Cannot call write after a stream was destroyed"), nor does a
 * read, `opened` or `closed` (checked with workerd against a local server; spec/runtime/context-cut-io.spec.ts).
 */
function cutWhenContextEnds(net: NetSocket): Liveness {
  const context = currentIoContext();
  if (context === undefined) return ALWAYS;
  const live = { settles: true };
  const held = {
    contextEnded: () => {
      live.settles = false;
      net.destroy();
    },
  };
  holdUntilContextEnds(context, held);
  net.once("close", () => letGo(context, held));
  return live;
}

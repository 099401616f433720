/**
 * A WebSocket that crosses between Vitest's main process and a test worker (a service function
 * answering an upgrade with a 101 response, host-functions.ts) travels over the loopback
 * connection the call was made on, once both sides switched protocols: each message or close is
 * one frame (a kind byte, a 4-byte length, the payload; a close's payload is its 2-byte code and
 * its reason), in the order it was sent. Each side joins the connection to a WebSocket end of its
 * own (web-socket-peer.ts); a connection that ends without a close frame closes the end without
 * a code, as a lost connection does.
 */
import { Buffer } from "node:buffer";
import type { Duplex } from "node:stream";
import { attachPeer, type PeerSocket } from "../../bindings/services/web-socket-peer.js";
import { ABRUPT_CLOSE_CODE } from "../../runtime/websockets/close-rules.js";

const TEXT = 0;
const BINARY = 1;
const CLOSE = 2;
const HEADER = 5;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function writeFrame(connection: Duplex, kind: number, payload: Uint8Array): void {
  const header = Buffer.alloc(HEADER);
  header.writeUInt8(kind, 0);
  header.writeUInt32BE(payload.byteLength, 1);
  connection.write(Buffer.concat([header, payload]));
}

/** Joins `connection` (whose first bytes after the switch are `head`) to `socket`, both ways. */
export function joinConnection(connection: Duplex, head: Uint8Array, socket: PeerSocket): void {
  let ended = false;
  const toSocket = attachPeer(socket, {
    message: (data) => {
      if (ended) return;
      if (typeof data === "string") writeFrame(connection, TEXT, encoder.encode(data));
      else writeFrame(connection, BINARY, data);
    },
    close: (code, reason) => {
      if (ended) return;
      ended = true;
      const reasonBytes = encoder.encode(reason);
      const payload = Buffer.alloc(2 + reasonBytes.byteLength);
      payload.writeUInt16BE(code, 0);
      payload.set(reasonBytes, 2);
      writeFrame(connection, CLOSE, payload);
      connection.end();
    },
  });
  let pending: Buffer = Buffer.from(head);
  const take = (chunk: Buffer) => {
    pending = pending.byteLength === 0 ? chunk : Buffer.concat([pending, chunk]);
    while (pending.byteLength >= HEADER && pending.byteLength >= HEADER + pending.readUInt32BE(1)) {
      const kind = pending.readUInt8(0);
      const payload = pending.subarray(HEADER, HEADER + pending.readUInt32BE(1));
      pending = pending.subarray(HEADER + payload.byteLength);
      if (kind === TEXT) toSocket.message(decoder.decode(payload));
      else if (kind === BINARY) toSocket.message(new Uint8Array(payload));
      else toSocket.close(payload.readUInt16BE(0), decoder.decode(payload.subarray(2)));
    }
  };
  if (pending.byteLength > 0) {
    const first = pending;
    pending = Buffer.alloc(0);
    take(first);
  }
  connection.on("data", take);
  // A lost connection (or one the other side ended after its close frame) ends this side too.
  connection.on("error", () => undefined);
  connection.on("close", () => {
    ended = true;
    toSocket.close(ABRUPT_CLOSE_CODE, "");
  });
}

/**
 * A WebSocket end of any implementation (durasim's Workers WebSocket, Miniflare's, an
 * EventTarget-style client) driven through its public API: accepted, its messages and its close
 * forwarded, in the order they arrive, to whatever carries them on. A function service that
 * answers an upgrade with `new Response(null, { status: 101, webSocket })` hands over such an
 * end; joining it to a Workers WebSocketPair (coupled below) gives the Worker an end of the
 * runtime's own kind. Close crosses once each way: a code that cannot be sent (1005, no status;
 * 1006, an abrupt end) goes on as a close without a code.
 */
import { ABRUPT_CLOSE_CODE, NO_STATUS_CODE } from "../../runtime/websockets/close-rules.js";
import { Response as WorkersResponse } from "../../runtime/websockets/response.js";
import { WebSocket as WorkersWebSocket } from "../../runtime/websockets/web-socket.js";
import { WebSocketPair } from "../../runtime/websockets/web-socket-pair.js";

/** A WebSocket end as every implementation has it. */
export interface PeerSocket {
  accept?(): void;
  binaryType?: string;
  send(data: string | ArrayBuffer | ArrayBufferView): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: string, listener: (event: Event) => void): void;
}

/** Where what one end says goes. */
export interface PeerSink {
  message(data: string | Uint8Array): void;
  close(code: number, reason: string): void;
}

/**
 * Accepts `socket` and passes its messages and its close to `sink`; returns the sink that sends
 * to `socket` (its close is sent once, and not after `socket` closed itself).
 */
export function attachPeer(socket: PeerSocket, sink: PeerSink): PeerSink {
  let heardClose = false;
  let sentClose = false;
  // Binary messages as ArrayBuffers: a Blob would be read later, out of order.
  if ("binaryType" in socket) socket.binaryType = "arraybuffer";
  socket.accept?.();
  socket.addEventListener("message", (event) => {
    const data = (event as MessageEvent).data as unknown;
    sink.message(typeof data === "string" ? data : new Uint8Array(data as ArrayBuffer));
  });
  socket.addEventListener("close", (event) => {
    if (heardClose) return;
    heardClose = true;
    const { code, reason } = event as Event & { code: number; reason: string };
    sink.close(code, reason);
  });
  return {
    message: (data) => {
      if (!sentClose) socket.send(data);
    },
    close: (code, reason) => {
      if (sentClose || heardClose) return;
      sentClose = true;
      if (code === NO_STATUS_CODE || code === ABRUPT_CLOSE_CODE) socket.close();
      else socket.close(code, reason);
    },
  };
}

/** A WebSocket response whose socket is another implementation's, as the Workers Response of a coupled pair's end; any other response as it is. */
export function asWorkersWebSocketResponse(response: Response): Response {
  const socket = (response as { webSocket?: unknown }).webSocket;
  if (response.status !== 101 || socket === null || socket === undefined || socket instanceof WorkersWebSocket) return response;
  const [client, server] = new WebSocketPair();
  const toServer = attachPeer(server as unknown as PeerSocket, {
    message: (data) => toForeign.message(data),
    close: (code, reason) => toForeign.close(code, reason),
  });
  const toForeign = attachPeer(socket as PeerSocket, toServer);
  return new WorkersResponse(null, { status: 101, statusText: response.statusText, headers: response.headers, webSocket: client });
}

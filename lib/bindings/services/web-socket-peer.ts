/**
 * A WebSocket end of any implementation (durasim's Workers WebSocket, Miniflare's, an
 * EventTarget-style client) driven through its public API: accepted, its messages and its close
 * forwarded, in the order they arrive, to whatever carries them on. A function service that
 * answers an upgrade with `new Response(null, { status: 101, webSocket })` hands over such an
 * end; joining it to the far end of a link (asWorkersWebSocketResponse) gives the Worker an end
 * of the runtime's own kind. Close crosses once each way: a code that cannot be sent (1005, no
 * status; 1006, an abrupt end) goes on as a close without a code; any other code as it is, as
 * the runtime sends 1001-1014 too (only a client that refuses them, Node's, needs outbound.ts's
 * mapping to 1000).
 */
import { ABRUPT_CLOSE_CODE, NO_STATUS_CODE } from "../../runtime/websockets/close-rules.js";
import { currentSocketHost, OUTSIDE } from "../../runtime/websockets/host.js";
import { LinkEnd } from "../../runtime/websockets/link.js";
import { Response as WorkersResponse } from "../../runtime/websockets/response.js";
import { socketInternals, WebSocket as WorkersWebSocket } from "../../runtime/websockets/web-socket.js";

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

/**
 * A WebSocket response whose socket is another implementation's, as a Workers Response whose
 * socket is the near end of a link (as fetch() with `Upgrade: websocket` answers, see
 * fetch-upgrade.ts); the far end, outside any object, is joined to the foreign socket. Like the
 * accepted end of a pair, the far end answers the Worker's Close frame at once (with its code
 * and reason) and passes it on; arrivals reach the foreign socket as later macrotasks, never
 * inside the link's delivery. Any other response as it is.
 */
export function asWorkersWebSocketResponse(response: Response): Response {
  const socket = (response as { webSocket?: unknown }).webSocket;
  if (response.status !== 101 || socket === null || socket === undefined || socket instanceof WorkersWebSocket) return response;
  const [near, far] = LinkEnd.pair(currentSocketHost(), OUTSIDE);
  const sendClose = (code: number, reason: string) => {
    if (far.closedOutgoing) return;
    far.closedOutgoing = true;
    far.send({ type: "close", code, reason }, false);
  };
  const toForeign = attachPeer(socket as PeerSocket, {
    message: (data) => {
      if (!far.closedOutgoing) far.send(typeof data === "string" ? { type: "text", data } : { type: "binary", data }, false);
    },
    // A foreign close that sent no code goes on as a Close frame without one.
    close: (code, reason) => (code === NO_STATUS_CODE || code === ABRUPT_CLOSE_CODE ? sendClose(NO_STATUS_CODE, "") : sendClose(code, reason)),
  });
  far.read((arrival) =>
    OUTSIDE.schedule(() => {
      switch (arrival.type) {
        case "text":
        case "binary":
          toForeign.message(arrival.data);
          return;
        case "close":
          sendClose(arrival.code, arrival.reason);
          toForeign.close(arrival.code, arrival.reason);
          return;
        case "disconnect":
          toForeign.close(ABRUPT_CLOSE_CODE, "");
          return;
      }
    }),
  );
  return new WorkersResponse(null, { status: 101, statusText: response.statusText, headers: response.headers, webSocket: socketInternals().pendingEnd(near) });
}

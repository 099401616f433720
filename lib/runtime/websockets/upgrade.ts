import type { SocketHost } from "./host.js";
import { markAnswered } from "../http-request.js";
import { headerValueIs } from "../../util/header-bytes.js";
import { checkReturned, deliveredResponse, Response } from "./response.js";
import { socketInternals, WebSocket } from "./web-socket.js";

/**
 * A Response on its way from a Worker or a Durable Object to its caller. One that carries a
 * WebSocket answers an upgrade: the request must have asked for one (`Upgrade: websocket`, in
 * any ASCII case), and the caller receives a new 101 Response ("Switching Protocols", same headers)
 * with its own end of the connection, while the end that was returned is released. An end that
 * could not be returned (already accepted or returned) reaches the caller disconnected, and the
 * refusal is logged, as the runtime does. Any other response reaches the caller as itself, reading
 * as a response that crossed does (see deliveredResponse).
 */
export function handOverResponse(response: globalThis.Response, request: Request, callerHost: SocketHost, ownerHost: SocketHost): globalThis.Response {
  checkReturned(response);
  markAnswered(request);
  const webSocket = (response as { webSocket?: unknown }).webSocket;
  if (!(webSocket instanceof WebSocket)) return deliveredResponse(response, request);
  if (!headerValueIs(request.headers, "upgrade", "websocket")) {
    throw new TypeError('Worker tried to return a WebSocket in a response to a request which did not contain the header "Upgrade: websocket".');
  }
  const { socket, refusal } = socketInternals().couple(webSocket, callerHost, ownerHost);
  if (refusal !== undefined) console.error("Uncaught", refusal);
  return deliveredResponse(new Response(null, { status: 101, statusText: "Switching Protocols", headers: response.headers, webSocket: socket }), request);
}

import { currentSocketHost, OUTSIDE } from "./host.js";
import { LinkEnd } from "./link.js";
import { connectOutbound, noNodeClient, nodeClientClass } from "./outbound.js";
import { Response as WorkersResponse } from "./response.js";
import { socketInternals } from "./web-socket.js";
import { convertHeaders } from "../init-conversion.js";
import { headerValueIs, rawEntries } from "../../util/header-bytes.js";

/**
 * `fetch(url, { headers: { Upgrade: "websocket" } })` from Worker or Durable Object code: the
 * runtime opens a WebSocket connection and answers with a 101 Response whose `webSocket` is the
 * client's end, pending until its code calls `accept()` (the server's messages wait until then),
 * and living in the object that fetched (its gates apply, as to any end it holds). durasim opens
 * the connection with Node's WebSocket client (outbound.ts), offering the request's
 * `Sec-WebSocket-Protocol` values and sending its other headers; the client does the handshake
 * itself, so the Response's headers are the ones the handshake settles (`upgrade`,
 * `connection`, and the chosen protocol and extensions), and a server that refuses the upgrade
 * (or cannot be reached) fails the fetch, where the runtime hands over the server's answer.
 */

/** Headers Node's client writes itself for the handshake. */
const HANDSHAKE_HEADERS = new Set([
  "upgrade", "connection", "sec-websocket-key", "sec-websocket-version", "sec-websocket-protocol", "sec-websocket-extensions",
]);

/** Whether fetch(input, init) asks for a WebSocket (its Upgrade header says "websocket"). */
export function asksForWebSocket(input: unknown, init: unknown): boolean {
  const given = (init as { headers?: ConstructorParameters<typeof Headers>[0] } | undefined)?.headers ?? (input instanceof Request ? input.headers : undefined);
  if (given === undefined) return false;
  let headers: Headers;
  try {
    headers = new Headers(typeof given === "object" && given !== null ? convertHeaders(given) : given);
  } catch {
    return false;
  }
  return headerValueIs(headers, "upgrade", "websocket");
}

/** Opens the connection fetch(input, init) asks for; resolves with the 101 Response once it is open. */
export function fetchWebSocket(input: unknown, init: RequestInit | undefined): Promise<WorkersResponse> {
  const Client = nodeClientClass();
  if (Client === undefined) return Promise.reject(noNodeClient());
  let request: Request;
  try {
    request = new Request(input as string | Request, init);
  } catch (error) {
    return Promise.reject(error);
  }
  const url = new URL(request.url);
  if (url.protocol === "https:") url.protocol = "wss:";
  else if (url.protocol === "http:") url.protocol = "ws:";
  const protocols = (request.headers.get("sec-websocket-protocol") ?? "").split(",").map((p) => p.trim()).filter(Boolean);
  const headers: Record<string, string> = {};
  // The values' bytes (util/header-bytes.ts), which Node's client sends as they are.
  for (const [name, value] of rawEntries(request.headers)) if (!HANDSHAKE_HEADERS.has(name)) headers[name] = value;
  const [near, far] = LinkEnd.pair(currentSocketHost(), OUTSIDE);
  return new Promise((resolve, reject) => {
    connectOutbound(Client, url.href, protocols, far, {
      headers,
      opened: (handshake) => {
        const responseHeaders = new Headers({ upgrade: "websocket", connection: "Upgrade" });
        if (handshake.protocol) responseHeaders.set("sec-websocket-protocol", handshake.protocol);
        if (handshake.extensions) responseHeaders.set("sec-websocket-extensions", handshake.extensions);
        resolve(new WorkersResponse(null, { status: 101, statusText: "Switching Protocols", headers: responseHeaders, webSocket: socketInternals().pendingEnd(near) }));
      },
      failed: (cause) => reject(new TypeError("fetch failed", { cause })),
    });
  });
}

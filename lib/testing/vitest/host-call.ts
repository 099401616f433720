/**
 * The test workers' side of a function kept in Vitest's main process (host-functions.ts): the
 * call that sends it a Request and makes a Response of its answer, and the wire format both
 * sides share. Requests go through node:http itself, so a test that mocks
 * globalThis.fetch does not catch the Worker's calls to its service bindings. A WebSocket
 * request (`Upgrade: websocket`) asks the connection to switch protocols: when the function
 * answers with a WebSocket, the Worker gets a Workers WebSocket joined to it over that
 * connection (socket-frames.ts); any other answer is read as usual.
 */
import { type IncomingMessage, request as httpRequest } from "node:http";
import type { Duplex } from "node:stream";
import { incomingBody, sendBody } from "../../bindings/services/loopback-http.js";
import type { PeerSocket } from "../../bindings/services/web-socket-peer.js";
import { Response as WorkersResponse } from "../../runtime/websockets/response.js";
import { WebSocketPair } from "../../runtime/websockets/web-socket-pair.js";
import { joinConnection } from "./socket-frames.js";
import { headersOfBytes, headerValueIs, rawEntries } from "../../util/header-bytes.js";

export interface HostAddress {
  port: number;
  token: string;
}

export interface RequestHead {
  url: string;
  method: string;
  headers: Array<[string, string]>;
  /** Whether the request has a body (it streams as the HTTP request's body). */
  body: boolean;
}

export interface ResponseHead {
  status: number;
  statusText: string;
  /** Names and values as Node's Headers hold them: bytes, one character each. */
  headers: Array<[string, string]>;
}

export const REQUEST_HEADER = "durasim-request";
export const RESPONSE_HEADER = "durasim-response";
/** The protocol a WebSocket call's connection switches to (socket-frames.ts). */
export const FRAMES_PROTOCOL = "durasim-frames";

/** A head as one ASCII header value (header names and values may hold any byte). */
export function encodeHead(head: RequestHead | ResponseHead): string {
  return encodeURIComponent(JSON.stringify(head));
}

export function decodeHead<H>(value: string): H {
  return JSON.parse(decodeURIComponent(value)) as H;
}

/** The function `id` of the main process, called from this worker. */
export function remoteFunction(id: string, address: () => HostAddress): (request: Request) => Promise<Response> {
  return async (request) => {
    const { port, token } = address();
    // Header values cross as the bytes the Worker's Headers hold, whoever's code made the call
    // (iterating would decode them for Worker code), as they cross HTTP to Miniflare's functions.
    const head: RequestHead = { url: request.url, method: request.method, headers: [...rawEntries(request.headers)], body: request.body !== null };
    const upgrade = headerValueIs(request.headers, "upgrade", "websocket");
    const switching = upgrade ? { connection: "Upgrade", upgrade: FRAMES_PROTOCOL } : {};
    const answer = await new Promise<IncomingMessage | Switched>((resolve, reject) => {
      const outgoing = httpRequest(
        { host: "127.0.0.1", port, path: `/${token}/${id}`, method: "POST", headers: { [REQUEST_HEADER]: encodeHead(head), ...switching } },
        resolve,
      );
      outgoing.once("upgrade", (response: IncomingMessage, connection: Duplex, rest: Buffer) => resolve({ response, connection, rest }));
      outgoing.once("error", reject);
      sendBody(request.body, outgoing);
    });
    if ("rest" in answer) return webSocketResponse(answer);
    const { status, statusText, headers } = decodeHead<ResponseHead>(answer.headers[RESPONSE_HEADER] as string);
    return new Response(incomingBody(answer, status), { status, statusText, headers: headersOfBytes(headers) });
  };
}

/** A connection that switched protocols: the function answered with a WebSocket. */
interface Switched {
  response: IncomingMessage;
  connection: Duplex;
  rest: Buffer;
}

/** The Worker's end of a WebSocket pair whose other end is joined to the function's socket. */
function webSocketResponse({ response, connection, rest }: Switched): Response {
  const { statusText, headers } = decodeHead<ResponseHead>(response.headers[RESPONSE_HEADER] as string);
  const [client, server] = new WebSocketPair();
  joinConnection(connection, rest, server as unknown as PeerSocket);
  return new WorkersResponse(null, { status: 101, statusText, headers: headersOfBytes(headers), webSocket: client });
}

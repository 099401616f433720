/**
 * Functions in the options (a service binding written as `(request, mf) => response`, or
 * `{ node: (req, res, mf) => ... }`) stay in Vitest's main process, where the config file made
 * them, as they stay in Node with Cloudflare's integration: the options carry a marker in their
 * place (../host-function-marker.ts), and the test workers call the function over a loopback
 * HTTP server this module runs (on 127.0.0.1, each call naming a random token), as workerd calls
 * Miniflare's. The request crosses as the function's Request, its answer (or the 500 a throw
 * becomes, as in Miniflare) as the Worker's Response; bodies stream both ways, and a WebSocket
 * answer to a WebSocket request keeps the connection as its channel (socket-frames.ts). There is
 * no Miniflare instance here to pass second (no-miniflare-instance.ts).
 *
 * The registry is on globalThis: the config file and the plugin's globalSetup are separate
 * module instances of this file in the same process. The server is unref'd, and closed when the
 * last project's globalSetup tears down.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type Duplex, Readable, type Writable } from "node:stream";
import type { PeerSocket } from "../../bindings/services/web-socket-peer.js";
import { callFunctionService, type FunctionService } from "../../config/miniflare-function-service.js";
import { HOST_FUNCTION } from "../host-function-marker.js";
import { NO_MINIFLARE_INSTANCE } from "../no-miniflare-instance.js";
import { FRAMES_PROTOCOL, type HostAddress, REQUEST_HEADER, RESPONSE_HEADER, type RequestHead, type ResponseHead, decodeHead, encodeHead } from "./host-call.js";
import { joinConnection } from "./socket-frames.js";
import { headersOfBytes, rawEntries } from "../../util/header-bytes.js";
import { processShared } from "../../util/process-shared.js";

interface Host {
  readonly token: string;
  readonly functions: Map<string, FunctionService>;
  server?: Server;
  address?: Promise<HostAddress>;
  users: number;
}

const host = processShared<Host>("vitestHostFunctions", () => ({ token: randomUUID(), functions: new Map(), users: 0 }));

/** Keeps `service` in this process; returns the marker that stands for it in the options. */
export function hostFunction(service: FunctionService): { [HOST_FUNCTION]: string } {
  const id = String(host.functions.size);
  host.functions.set(id, service);
  return { [HOST_FUNCTION]: id };
}

export function hasHostFunctions(): boolean {
  return host.functions.size > 0;
}

/** Starts the server (once; every project's globalSetup shares it) and says where it listens. */
export function startHost(): Promise<HostAddress> {
  host.users++;
  host.address ??= new Promise((resolve, reject) => {
    const server = createServer((request, response) => void answer(request, response));
    server.on("upgrade", (request: IncomingMessage, connection: Duplex, rest: Buffer) => void answerUpgrade(request, connection, rest));
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.unref();
      resolve({ port: (server.address() as AddressInfo).port, token: host.token });
    });
    host.server = server;
  });
  return host.address;
}

/** One project's globalSetup is done with the server; the last one closes it. */
export function releaseHost(): Promise<void> {
  if (--host.users > 0 || host.server === undefined) return Promise.resolve();
  const server = host.server;
  host.server = undefined;
  host.address = undefined;
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** The call a request names: its function and the Request to give it (undefined for a stranger's request). */
function callOf(incoming: IncomingMessage, withBody: boolean): { service: FunctionService; request: Request } | undefined {
  const [, token, id] = (incoming.url ?? "").split("/");
  const service = token === host.token ? host.functions.get(id ?? "") : undefined;
  const head = incoming.headers[REQUEST_HEADER];
  if (service === undefined || typeof head !== "string") return undefined;
  const { url, method, headers, body } = decodeHead<RequestHead>(head);
  const request = new Request(url, {
    method,
    headers: headersOfBytes(headers),
    body: body && withBody ? (Readable.toWeb(incoming) as ReadableStream<Uint8Array>) : null,
    duplex: "half",
  } as RequestInit);
  return { service, request };
}

function responseHead(response: Response): string {
  const head: ResponseHead = { status: response.status, statusText: response.statusText, headers: [...rawEntries(response.headers)] };
  return encodeHead(head);
}

async function answer(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
  const call = callOf(incoming, true);
  if (call === undefined) {
    outgoing.writeHead(404).end();
    return;
  }
  const response = await callFunctionService(call.service, call.request, NO_MINIFLARE_INSTANCE);
  outgoing.writeHead(200, { [RESPONSE_HEADER]: responseHead(response) });
  await writeBody(response, outgoing);
}

/**
 * A WebSocket request (its connection asks to switch protocols): a WebSocket answer switches,
 * and the connection carries the socket's frames from then on; any other answer is written as
 * an ordinary response, and the connection closes after it.
 */
async function answerUpgrade(incoming: IncomingMessage, connection: Duplex, rest: Buffer): Promise<void> {
  connection.on("error", () => undefined);
  const call = callOf(incoming, false);
  if (call === undefined) {
    connection.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n");
    return;
  }
  const response = await callFunctionService(call.service, call.request, NO_MINIFLARE_INSTANCE);
  const socket = (response as { webSocket?: PeerSocket | null }).webSocket;
  if (response.status === 101 && socket != null) {
    connection.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: ${FRAMES_PROTOCOL}\r\n${RESPONSE_HEADER}: ${responseHead(response)}\r\n\r\n`);
    joinConnection(connection, rest, socket);
    return;
  }
  connection.write(`HTTP/1.1 200 OK\r\n${RESPONSE_HEADER}: ${responseHead(response)}\r\nConnection: close\r\n\r\n`);
  await writeBody(response, connection);
}

async function writeBody(response: Response, out: Writable): Promise<void> {
  try {
    if (response.body !== null) for await (const chunk of response.body) out.write(chunk);
    out.end();
  } catch (error) {
    // The function's body failed midway: the worker's reader sees the stream break.
    out.destroy(error as Error);
  }
}

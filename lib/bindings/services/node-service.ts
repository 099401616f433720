/**
 * A service written for Node (Miniflare's `serviceBindings: { NAME: { node: (req, res, mf) => ... } }`,
 * an Express or Connect app, say) answers the binding's `fetch()` with Node's own request and
 * response objects, as under Miniflare, where workerd's request reaches Miniflare's loopback
 * HTTP server: `req.url` is the path and query, `req.headers` holds the request's headers with
 * `host` the URL's, the body streams, and the Worker gets the response as Node wrote it (status,
 * status text, every header, including the ones Node adds, such as `date` and
 * `transfer-encoding`). What the handler throws (or rejects with) ends the response as Miniflare
 * ends it: a 500 whose body is the error's stack, or, once the head is sent, the body cut short
 * by that text.
 *
 * One loopback server per process (127.0.0.1, unref'd) carries every call; each call registers
 * its handler under a random id for as long as it runs, so nothing is kept between calls, and no
 * connection is pooled.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, request as httpRequest, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { isErrorValue } from "../../util/error-kinds.js";
import { incomingBody, sendBody } from "./loopback-http.js";

export type NodeServiceHandler = (req: IncomingMessage, res: ServerResponse, instance: unknown) => unknown;

/** The header naming the call a request belongs to; taken off `req.headers` before the handler sees them. */
const CALL_HEADER = "durasim-node-service";

interface Call {
  readonly handler: NodeServiceHandler;
  readonly instance: unknown;
}

const calls = new Map<string, Call>();
let listening: Promise<number> | undefined;

/** The service as a fetch handler: `instance` is what the handler receives third (Miniflare's instance). */
export function nodeService(handler: NodeServiceHandler, instance?: unknown): (request: Request) => Promise<Response> {
  return async (request) => {
    const port = await loopbackPort();
    const id = randomUUID();
    calls.set(id, { handler, instance });
    try {
      return await send(port, id, request);
    } finally {
      calls.delete(id);
    }
  };
}

/** Whether a service binding's value is Miniflare's `{ node }` form. */
export function isNodeService(value: unknown): value is { node: NodeServiceHandler } {
  return typeof value === "object" && value !== null && typeof (value as { node?: unknown }).node === "function";
}

function loopbackPort(): Promise<number> {
  listening ??= new Promise((resolve, reject) => {
    const server: Server = createServer((req, res) => void answer(req, res));
    server.once("error", (error) => {
      listening = undefined;
      reject(error);
    });
    server.listen(0, "127.0.0.1", () => {
      server.unref();
      resolve((server.address() as AddressInfo).port);
    });
  });
  return listening;
}

async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const id = req.headers[CALL_HEADER];
  const call = typeof id === "string" ? calls.get(id) : undefined;
  if (call === undefined) {
    res.writeHead(404).end();
    return;
  }
  delete req.headers[CALL_HEADER];
  try {
    await call.handler(req, res, call.instance);
  } catch (error) {
    if (!res.headersSent) res.writeHead(500);
    res.end(errorText(error));
  }
}

function send(port: number, id: string, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const headers: Array<[string, string]> = [["host", url.host], ...request.headers, [CALL_HEADER, id]];
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      { host: "127.0.0.1", port, method: request.method, path: `${url.pathname}${url.search}`, headers: headers.flat(), agent: false },
      (incoming) => resolve(toResponse(incoming)),
    );
    outgoing.once("error", reject);
    sendBody(request.body, outgoing);
  });
}

function toResponse(incoming: IncomingMessage): Response {
  const status = incoming.statusCode ?? 200;
  const headers = new Headers();
  for (let i = 0; i < incoming.rawHeaders.length; i += 2) headers.append(incoming.rawHeaders[i]!, incoming.rawHeaders[i + 1]!);
  return new Response(incomingBody(incoming, status), { status, statusText: incoming.statusMessage ?? "", headers });
}

/** Miniflare's text for what a handler threw: the stack, else the message, a string as it is, anything else as JSON. */
export function errorText(error: unknown): string {
  // Of any realm: a function a Jest test file defines throws that file's errors.
  if (typeof error === "object" && error !== null && isErrorValue(error)) return error.stack || error.message;
  if (typeof error === "string") return error;
  try {
    return JSON.stringify(error);
  } catch {
    return "Unknown error";
  }
}

/**
 * The test workers' side of a function kept in Vitest's main process (host-functions.ts): the
 * call that sends it a Request and makes a Response of its answer, and the wire format both
 * sides share. Requests go through node:http itself, so a test that mocks
 * globalThis.fetch does not catch the Worker's calls to its service bindings.
 */
import { type IncomingMessage, request as httpRequest } from "node:http";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";

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
  headers: Array<[string, string]>;
}

export const REQUEST_HEADER = "durasim-request";
export const RESPONSE_HEADER = "durasim-response";

/** A head as one ASCII header value (header names and values may hold any byte). */
export function encodeHead(head: RequestHead | ResponseHead): string {
  return encodeURIComponent(JSON.stringify(head));
}

export function decodeHead<H>(value: string): H {
  return JSON.parse(decodeURIComponent(value)) as H;
}

/** Statuses whose responses have no body (a Response refuses one). */
const NULL_BODY = [204, 205, 304];

/** The function `id` of the main process, called from this worker. */
export function remoteFunction(id: string, address: () => HostAddress): (request: Request) => Promise<Response> {
  return async (request) => {
    const { port, token } = address();
    const head: RequestHead = { url: request.url, method: request.method, headers: [...request.headers], body: request.body !== null };
    const answer = await new Promise<IncomingMessage>((resolve, reject) => {
      const outgoing = httpRequest({ host: "127.0.0.1", port, path: `/${token}/${id}`, method: "POST", headers: { [REQUEST_HEADER]: encodeHead(head) } }, resolve);
      outgoing.once("error", reject);
      if (request.body === null) return void outgoing.end();
      Readable.fromWeb(request.body as NodeReadableStream).pipe(outgoing);
    });
    const { status, statusText, headers } = decodeHead<ResponseHead>(answer.headers[RESPONSE_HEADER] as string);
    const body = NULL_BODY.includes(status) ? (answer.resume(), null) : (Readable.toWeb(answer) as ReadableStream<Uint8Array>);
    return new Response(body, { status, statusText, headers });
  };
}

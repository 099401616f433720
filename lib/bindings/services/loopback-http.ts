/**
 * The two ends of a Request or Response carried over a loopback HTTP connection in the same
 * process (a `{ node }` service, a Vitest host function): a body sent as the request's, and an
 * answer's body read back as a Response takes it.
 */
import type { ClientRequest, IncomingMessage } from "node:http";
import { pipeline, Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";

/** Statuses whose responses have no body (a Response refuses one). */
const NULL_BODY = [204, 205, 304];

/**
 * Sends `body` as `outgoing`'s body and ends it. A body that fails part-way destroys the request,
 * so its "error" event (which the caller turns into a rejected fetch()) reports it; a plain
 * pipe() would leave the stream's error unhandled, which ends Node.
 */
export function sendBody(body: ReadableStream | null, outgoing: ClientRequest): void {
  if (body === null) outgoing.end();
  else pipeline(Readable.fromWeb(body as NodeReadableStream), outgoing, () => {});
}

/** An answer's body as a Response takes it: none for the statuses that have none (drained). */
export function incomingBody(incoming: IncomingMessage, status: number): ReadableStream<Uint8Array> | null {
  if (!NULL_BODY.includes(status)) return Readable.toWeb(incoming) as ReadableStream<Uint8Array>;
  incoming.resume();
  return null;
}

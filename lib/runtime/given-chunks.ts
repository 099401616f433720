import { NOT_BYTES } from "./body-chunk-words.js";
import { hiddenField } from "../util/hidden-field.js";
import { chunkBytes } from "./chunk-bytes.js";

/**
 * Request and Response bodies made from a JavaScript ReadableStream hand a reader each chunk as
 * that stream enqueued it, as the runtime's do: a Uint16Array, a DataView, a string, any object
 * (and so do their tee() branches, a clone's body, a Request made from such a Request). Only
 * the body's consumers (text(), json(), arrayBuffer(), bytes(), blob(), formData()) need bytes:
 * they take an ArrayBuffer or any view and refuse anything else, a string too, with
 * "This ReadableStream did not return bytes.". (Pumped to another context, the body is
 * converted where it crosses instead: http-request.ts's asBytes.)
 *
 * Node's consumers take Uint8Array chunks only, so a message marked here is read by
 * readAsGiven, and Node's consumer then parses those bytes.
 */
const givenChunks = hiddenField<true>();

/** `message`'s body hands its chunks as given (made from a stream, see above). */
export function handsChunksAsGiven(message: object): void {
  givenChunks.set(message, true);
}

/** `copy` (a clone, a Request made from `original`'s body) hands its chunks as `original` does. */
export function handsChunksLike(copy: object, original: object): void {
  if (givenChunks.get(original) === true) givenChunks.set(copy, true);
}

/** Whether `message`'s body hands its chunks as given. */
export function handsChunks(message: unknown): boolean {
  return givenChunks.get(message) === true;
}

/** Node's Response, as it was before a test runner put durasim's on the global object. */
const NodeResponse: typeof globalThis.Response = globalThis.Response;

/**
 * `read` (one of Node's Response consumers) of `message`'s body (unlocked, undisturbed) read to
 * its end: every chunk an ArrayBuffer or a view, or the read fails with the runtime's words and
 * the stream is cancelled with them. The bytes are handed to Node in a Response with the
 * message's Content-Type (which blob() and formData() read), as a Blob that joins them.
 */
export async function readAsGiven(message: Request | Response, read: Function, args: unknown[]): Promise<unknown> {
  const reader = message.body!.getReader();
  const parts: Uint8Array[] = [];
  for (;;) {
    const next = await reader.read();
    if (next.done) break;
    const bytes = typeof next.value === "string" ? undefined : chunkBytes(next.value);
    if (bytes === undefined) {
      const refusal = new TypeError(NOT_BYTES);
      reader.cancel(refusal).catch(() => undefined);
      throw refusal;
    }
    parts.push(bytes);
  }
  const type = message.headers.get("content-type");
  const bytes = new NodeResponse(new Blob(parts), type === null ? undefined : { headers: { "content-type": type } });
  return Reflect.apply(read, bytes, args) as Promise<unknown>;
}

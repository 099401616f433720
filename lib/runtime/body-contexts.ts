import { currentIoContext, type IoContext, ioContextRefusal } from "./io-context.js";
import { hiddenField } from "../util/hidden-field.js";

/**
 * Request and Response bodies as I/O objects (io-context.ts): a body the runtime holds
 * natively (one given as a string, bytes, a Blob or a form, or one that arrived by fetch())
 * belongs to the context that made or received it, and code of another context that reads it
 * through the Request or Response (text(), json(), ...) is refused. A body given as a
 * JavaScript ReadableStream is the stream's, which belongs to no context, and so is what test
 * code makes. A body that crosses to another context (a fetch() handler's Request, the
 * Response its caller gets) becomes the receiver's.
 */
const owners = hiddenField<IoContext>();

/** The runtime's name of a native body, which ends its refusal. */
const BODY_IO_TYPE = "ReadableStreamSource>";

/** `message` (a Request or Response) now belongs to `owner`, or to no context. */
export function bindBody(message: object, owner: IoContext | undefined): void {
  // A message no context ever had needs no field saying so.
  if (owner !== undefined || owners.get(message) !== undefined) owners.set(message, owner);
}

/** `message` belongs to the context of the code running now (made or received there). */
export function bindBodyHere(message: object): void {
  bindBody(message, currentIoContext());
}

/** `copy` (a clone, or a Request made from `original`) belongs where `original` does. */
export function bindBodyLike(copy: object, original: object): void {
  const owner = owners.get(original);
  if (owner !== undefined) owners.set(copy, owner);
}

/** The runtime's refusal to read `message`'s body here (it belongs to another context), if any. */
export function bodyReadRefusal(message: object): Error | undefined {
  const owner = owners.get(message);
  return owner === undefined ? undefined : ioContextRefusal(owner, BODY_IO_TYPE);
}

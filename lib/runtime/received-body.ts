import { bindBodyHere } from "./body-contexts.js";
import { endsWithOwner, sentBody } from "./http-request.js";
import { currentIoContext } from "./io-context.js";
import { teesOneAtATime } from "./single-reads.js";

/**
 * A fetch() handler (an object's or a Worker's) takes its request: the body belongs to the
 * context running the handler from now on, tees one read at a time as the runtime's does, and
 * stops arriving if that context ends (a reset, dispose()) while code of it still reads: the
 * caller's stream is read no more, as the runtime stops the upload of an ended context's request
 * (before, a loop reading a stream body went on pulling the caller's stream for ever).
 */
export function takeRequest(request: Request): void {
  bindBodyHere(request);
  teesOneAtATime(request.body);
  const owner = currentIoContext();
  // The body it was sent with: a clone kept to follow a redirect tees it (cloneSent).
  const body = sentBody(request);
  if (body !== null && owner !== undefined) endsWithOwner(body, owner);
}

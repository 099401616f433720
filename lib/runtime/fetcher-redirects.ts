/**
 * A Fetcher's fetch() (a stub's, a service binding's, SELF's) follows redirects, as the
 * runtime's does with the default `redirect: "follow"`: the next request goes through the same
 * Fetcher, whatever host or scheme the Location names; a 303 (but to a HEAD) and a 301 or 302
 * to a POST become a GET without body or its framing headers (the others stay), the rest resend
 * the method, headers and body; a body made from a stream cannot be sent again (any redirect but
 * a 303 refuses it, the 301 or 302 that would drop it too), and the 21st redirect fails. The
 * body sent again is the one sent first, as the runtime buffered it at the call: a buffer, a
 * FormData or URLSearchParams the caller changes after fetch() is resent as it was. The final
 * Response says `redirected` and has the last URL. With "manual", or a redirect without
 * Location, the caller gets the redirect.
 */
import { inCodeRealm } from "../util/code-realm.js";
import { handsChunks } from "./given-chunks.js";
import { cloneSent, redirectedRequest } from "./http-request.js";
import type { RequestMembers } from "./init-conversion.js";
import { markRedirected } from "./websockets/response.js";

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
/** Redirects followed before the next one fails. */
const MAX_REDIRECTS = 20;
/** Headers that frame a body: a request sent on without one drops them (and one with one gets its own). */
const FRAMING_HEADERS: ReadonlySet<string> = new Set(["content-length", "transfer-encoding"]);

const ONE_TIME_BODY =
  "A request with a one-time-use body (it was initialized from a stream, not a buffer) encountered a redirect requiring the body to be retransmitted. To avoid this error in the future, construct this request from a buffer-like body initializer.";

/**
 * What a request's body can be sent again from: nothing (it has none), the value given (a
 * string or a Blob, which cannot change), a clone of the first request made (a body that can
 * change or a Request's: taken before it is sent, see afterRedirects), or, for a stream's,
 * nothing ever.
 */
type Resend =
  | { kind: "none" }
  | { kind: "value"; body: string | Blob }
  | { kind: "clone"; request?: Request; bytes?: ArrayBuffer }
  | { kind: "stream" };

const NO_BODY: Resend = { kind: "none" };
const STREAM_BODY: Resend = { kind: "stream" };

/**
 * How the request `fetch(input, given)` makes will follow redirects: undefined when it asks for
 * "manual"; else what its body is sent again from. Read before the request is made, which takes
 * a Request input's body.
 */
export function redirectPolicy(input: unknown, given: RequestMembers | undefined): Resend | undefined {
  const mode = given?.redirect ?? (input instanceof Request ? input.redirect : "follow");
  if (mode !== "follow") return undefined;
  const body = given?.body;
  if (body !== undefined && body !== null) {
    if (body instanceof ReadableStream) return STREAM_BODY;
    // Immutable: sent again as given, with no copy made for a redirect that may never come.
    if (typeof body === "string" || body instanceof Blob) return { kind: "value", body };
    return { kind: "clone" };
  }
  if (given?.body === null || !(input instanceof Request) || input.body === null) return NO_BODY;
  // A used body cannot be sent at all: making the request refuses it, in the runtime's words.
  if (input.bodyUsed) return STREAM_BODY;
  return handsChunks(input) ? STREAM_BODY : { kind: "clone" };
}

/**
 * What the answer to `first` goes through: a Response that is no redirect to follow comes back
 * as it is, in the same turn (a caller's timing is that of a fetch() without redirects), a
 * redirect as the promise of the last Response, `first` sent on through `send` after each.
 * Called before `first` is sent: a body to send again is cloned from it now, as the bytes the
 * first request sends (the runtime buffers them at the call). If sending `first` fails, see
 * unsent().
 */
export function afterRedirects(first: Request, policy: Resend, send: (request: Request) => Promise<unknown>, signal?: AbortSignal): (response: unknown) => unknown {
  if (policy.kind === "clone") policy.request = cloneSent(first);
  return (response) => {
    if (locationOf(response as Response) !== null) return followFrom(first, response as Response, policy, send, signal).finally(() => release(policy));
    release(policy);
    return response;
  };
}

/** The first request was never answered (sending it failed with `error`): lets go of the body kept for sending it again. */
export function unsent(policy: Resend, error: unknown): never {
  release(policy);
  throw error;
}

/** Lets go of the copy of the first request's body kept for sending it again. */
function release(policy: Resend): void {
  if (policy.kind === "clone") void policy.request?.body?.cancel().catch(() => undefined);
}

function locationOf(response: Response): string | null {
  return REDIRECT_STATUSES.has(response.status) ? response.headers.get("location") : null;
}

/**
 * Sends the requests the redirects ask for until a response is none. Each redirect's body is
 * cancelled first, whatever follows (its maker may be waiting to write it); the caller's
 * `signal`, once aborted, ends the chain before its next request is sent.
 */
async function followFrom(first: Request, redirect: Response, policy: Resend, send: (request: Request) => Promise<unknown>, signal: AbortSignal | undefined): Promise<Response> {
  let request = first;
  let response = redirect;
  const urls = [first.url];
  for (let location = locationOf(response); location !== null; location = locationOf(response)) {
    void response.body?.cancel().catch(() => undefined);
    signal?.throwIfAborted();
    if (urls.length > MAX_REDIRECTS) throw inCodeRealm(new TypeError(`Too many redirects.${urls.join(", ")}`));
    const url = resolvedLocation(location, request.url);
    const { status } = response;
    // Only a 303 drops the body unread: a 301 or 302 refuses a stream's before it turns a POST into a GET.
    const seeOther = status === 303 && request.method !== "HEAD";
    const resent = seeOther || request.body === null ? undefined : await resentBody(policy);
    const toGet = seeOther || ((status === 301 || status === 302) && request.method === "POST");
    const body = toGet ? undefined : resent;
    // The bytes sent first, so a FormData's content-type names their boundary still.
    const headers = [...request.headers].filter(([name]) => !FRAMING_HEADERS.has(name)) as [string, string][];
    const { cf } = request as { cf?: object };
    request = redirectedRequest(url, { method: toGet ? "GET" : request.method, headers, body, ...(cf !== undefined && { cf }) });
    urls.push(url);
    signal?.throwIfAborted();
    response = (await send(request)) as Response;
  }
  markRedirected(response);
  return response;
}

/** Where a Location sends the next request, or the runtime's refusal of one that does not parse. */
function resolvedLocation(location: string, base: string): string {
  try {
    return new URL(location, base).href;
  } catch {
    throw inCodeRealm(new TypeError("Invalid Location header; unable to follow redirect."));
  }
}

async function resentBody(policy: Resend): Promise<unknown> {
  switch (policy.kind) {
    case "stream":
      throw inCodeRealm(new TypeError(ONE_TIME_BODY));
    case "value":
      return policy.body;
    case "clone":
      // Read once: a body sent again a second time is these bytes too.
      return (policy.bytes ??= await policy.request!.arrayBuffer());
    default:
      return undefined;
  }
}

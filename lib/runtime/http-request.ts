/**
 * What the runtime checks when a Request is made for a fetch() to a Durable Object or a Worker,
 * where Node's Request says otherwise: the method must be one of the HTTP methods it knows
 * (matched without regard to case, sent upper-cased: `patch` arrives as `PATCH`; CONNECT,
 * TRACK and unknown names are "Invalid HTTP method string"), a GET or HEAD request has no
 * body (the runtime's wording), and only http(s) URLs can be fetched. A body given in the init
 * arrives framed as over HTTP: `content-length` when its length is known, else
 * `transfer-encoding: chunked` (a stream). A `cf` object (in the init, or on a Request that has
 * one) reaches the handler as `request.cf`, a JSON copy, as the runtime passes it on.
 */
import { utf8Length } from "../util/utf8.js";

const METHODS = new Set([
  "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "PURGE", "OPTIONS", "TRACE", "COPY", "LOCK", "MKCOL", "MOVE", "PROPFIND",
  "PROPPATCH", "SEARCH", "UNLOCK", "ACL", "REPORT", "MKACTIVITY", "CHECKOUT", "MERGE", "MSEARCH", "NOTIFY", "SUBSCRIBE",
  "UNSUBSCRIBE", "QUERY", "BAN",
]);

/** The upper-cased method `init` names (undefined if none), checked as the runtime checks it. */
export function requestMethod(input: unknown, init: unknown): string | undefined {
  if (typeof init !== "object" || init === null) return undefined;
  const { method: given, body } = init as { method?: unknown; body?: unknown };
  const method = given === undefined ? undefined : String(given).toUpperCase();
  if (method !== undefined && !METHODS.has(method)) throw new TypeError(`Invalid HTTP method string: ${String(given)}`);
  const effective = method ?? (input instanceof Request ? input.method.toUpperCase() : "GET");
  if ((effective === "GET" || effective === "HEAD") && body !== undefined && body !== null) {
    throw new TypeError("Request with a GET or HEAD method cannot have a body.");
  }
  return method;
}

/**
 * `init` as Node's Request takes it: a stream body needs `duplex: "half"` there, which the
 * runtime neither asks for nor needs. The original stays the prototype, so every member (and
 * getter) still reads through.
 */
export function nodeInit(init: unknown): unknown {
  if (typeof init !== "object" || init === null) return init;
  const { body, duplex } = init as { body?: unknown; duplex?: unknown };
  if (!(body instanceof ReadableStream) || duplex !== undefined) return init;
  return Object.create(init, { duplex: { value: "half", enumerable: true } });
}

/** Refuses a request the runtime cannot fetch: anything but http and https. */
export function checkFetchable(request: Request): Request {
  const url = request.url;
  if (!url.startsWith("http://") && !url.startsWith("https://")) throw new TypeError(`Fetch API cannot load: ${url}`);
  return request;
}

/** The framing header the runtime adds for a body given in `init` (none without one). */
export function frameBody(request: Request, init: unknown): Request {
  if (request.body === null || typeof init !== "object" || init === null) return request;
  const body = (init as { body?: unknown }).body;
  const headers = request.headers;
  // A body that came with a Request input has a length durasim cannot see without reading it.
  if (body === undefined || headers.has("content-length") || headers.has("transfer-encoding")) return request;
  const length = knownLength(body);
  if (length === undefined) headers.set("transfer-encoding", "chunked");
  else headers.set("content-length", String(length));
  return request;
}

function knownLength(body: unknown): number | undefined {
  if (typeof body === "string") return utf8Length(body);
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return body.byteLength;
  if (body instanceof Blob) return body.size;
  if (body instanceof URLSearchParams) return utf8Length(body.toString());
  return undefined;
}

/** Gives `request` the `cf` of `init` or of the Request `input` (Node's Request drops it). */
export function carryCf(request: Request, input: unknown, init: unknown): Request {
  const fromInit = typeof init === "object" && init !== null ? (init as { cf?: unknown }).cf : undefined;
  const cf = fromInit ?? (input instanceof Request ? (input as { cf?: unknown }).cf : undefined);
  if (cf === undefined || cf === (request as { cf?: unknown }).cf) return request;
  Object.defineProperty(request, "cf", { value: JSON.parse(JSON.stringify(cf)) as unknown, enumerable: true, configurable: true });
  return request;
}

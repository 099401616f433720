/**
 * A Request's and a Response's init as the runtime takes it: first its binding converts the
 * dictionary, reading each member once, in the order the runtime declares them (a Request's
 * method, headers, body, redirect, fetcher, cf, cache, integrity, signal, encodeResponseBody; a
 * Response's status, statusText, headers, cf, webSocket), converting each as its type says (a
 * Symbol fails as V8 fails it, a `headers` or `cf` that is no object is refused by name); only
 * then does the constructor check values, in its own order (checkRequest, checkResponse). So
 * when two members are bad, the error is the one the runtime gives, whichever members they are,
 * for `new Request()`, `new Response()`, `Response.json()`, a global fetch() and stub.fetch()
 * alike: every one of them converts here. Node's Request and Response then get the converted
 * values only, and never read the caller's init themselves.
 */
import { types } from "node:util";
import { checkObjectMember, illegalInvocation, isSequence, toIdlString, toInt32, toPairs } from "../util/webidl.js";
import { isOf } from "../util/host-kind.js";
import { forwardingEndpoint } from "./brands.js";
import { upperAscii } from "../util/ascii-case.js";
import { compatibilityFlagOff } from "./code-context.js";
import { headerBytes } from "../util/header-bytes.js";
import { emptyValuesOf, pairsKeep, valueEntries } from "../util/header-values.js";
import { joinCookiePairs } from "./header-cookies.js";
import { iterableBody } from "./iterable-bodies.js";

/** The type the runtime names for a `headers` member: a Headers, a sequence of pairs or a record. */
export const HEADERS_INIT = "Headers or Sequence or object";

/** A `headers` member as converted: the pairs a Headers, a sequence or a record holds. */
export type ConvertedHeaders = [string, string][];

/**
 * Headers given as a sequence of pairs (anything iterable) or a record (any other object, a
 * function too), converted as the runtime's binding converts them: a pair that is no sequence is
 * refused in its words, names and values convert as strings, and a record gives only its own
 * enumerable string keys (a function's `length` and `name` are not headers), all its keys'
 * descriptors read before any value. Values come out as the bytes the runtime holds
 * (util/header-bytes.ts), so text past Latin-1 is kept, not refused, several Cookie values
 * come out joined as the runtime joins them (header-cookies.ts), and a copy made of them keeps
 * their empty values (util/header-values.ts: carryValues).
 */
export function convertHeaders(headers: object): ConvertedHeaders {
  if (CONVERTED.has(headers)) return headers as ConvertedHeaders;
  let pairs: [string, string][];
  // A Proxy is never the runtime's Headers, and is not asked for its prototype: the runtime's
  // first look at one is the `get` of its iterator (where a revoked one fails, in those words).
  if (!types.isProxy(headers) && headers instanceof Headers) {
    // Only a Headers' prototype, none of its state: the runtime refuses it as its receiver.
    if (!isOf(headers, Headers)) throw illegalInvocation();
    // Node would copy them by iterating, which reads values decoded: copy the bytes instead,
    // each value apart where the runtime holds them apart.
    pairs = valueEntries(headers);
  } else if (isSequence(headers)) {
    pairs = toPairs(headers, "To initialize a Headers object from a sequence, each inner sequence must have exactly two elements.").map(([name, value]) => [name, headerBytes(value)]);
  } else {
    const keys = Reflect.ownKeys(headers).filter((key): key is string => typeof key === "string" && Object.getOwnPropertyDescriptor(headers, key)?.enumerable === true);
    pairs = keys.map((key) => [key, headerBytes(toIdlString((headers as Record<string, unknown>)[key]))]);
  }
  const joined = joinCookiePairs(pairs);
  // What Node will trim or join of empty values, the copies it makes of these keep (carryValues).
  pairsKeep(joined, emptyValuesOf(pairs));
  CONVERTED.add(joined);
  return joined;
}

/** Pairs convertHeaders() made: converting them again (a stub.fetch()'s init becomes a Request's)
 * must not encode their bytes twice. */
const CONVERTED = new WeakSet<object>();

/** A dictionary's `headers` member: refused by name unless an object, then converted. */
function headersMember(dictionary: string, headers: unknown): ConvertedHeaders | undefined {
  checkObjectMember(dictionary, "headers", headers, HEADERS_INIT);
  return headers === undefined ? undefined : convertHeaders(headers as object);
}

/** An optional string member: undefined stays absent, anything else converts (a Symbol throws). */
function stringMember(value: unknown): string | undefined {
  return value === undefined ? undefined : toIdlString(value);
}

/** A Request's init members, converted (absent ones undefined). */
export interface RequestMembers {
  method?: string;
  headers?: ConvertedHeaders;
  body?: unknown;
  redirect?: string;
  fetcher?: object | null;
  cf?: object | null;
  cache?: string;
  integrity?: string;
  signal?: AbortSignal | null;
  encodeResponseBody?: string;
}

/** The body streams of Requests given as inits (see isBodyOfRequestInit). */
const bodiesOfRequestInits = new WeakSet<ReadableStream>();

/** Whether `body` is the body stream of a Request given as an init: a fetch() refuses one a
 * reader holds in the words it has for a locked Request input (http-request.ts). */
export function isBodyOfRequestInit(body: ReadableStream): boolean {
  return bodiesOfRequestInits.has(body);
}

/**
 * A Request's init (undefined for none), converted as the runtime's binding converts it, in its
 * member order. A Request given as the init is read the same way, through its getters; its
 * "default" cache mode is none (Node's Request reads "default" when given none).
 */
export function convertRequestInit(init: unknown): RequestMembers | undefined {
  if (init === undefined || init === null) return undefined;
  const from = init as Record<string, unknown>;
  const method = stringMember(from.method);
  const headers = headersMember("RequestInitializerDict", from.headers);
  // A body converts as a string unless it is one of the body types or an iterable
  // (iterable-bodies.ts): only a Symbol can fail that.
  const body = iterableBody(from.body);
  if (typeof body === "symbol") toIdlString(body);
  if (body instanceof ReadableStream && init instanceof Request) bodiesOfRequestInits.add(body);
  const redirect = stringMember(from.redirect);
  const fetcher = from.fetcher;
  // A Fetcher is a service binding or a Durable Object stub (not a namespace, not an object with a fetch method).
  if (fetcher !== undefined && fetcher !== null && forwardingEndpoint(fetcher) === undefined) {
    throw new TypeError("Incorrect type for the 'fetcher' field on 'RequestInitializerDict': the provided value is not of type 'Fetcher'.");
  }
  const cf = from.cf;
  checkObjectMember("RequestInitializerDict", "cf", cf, "Object");
  const cache = stringMember(from.cache);
  const integrity = stringMember(from.integrity);
  const signal = from.signal;
  if (signal !== undefined && signal !== null && !(signal instanceof AbortSignal)) {
    throw new TypeError("Incorrect type for the 'signal' field on 'RequestInitializerDict': the provided value is not of type 'AbortSignal'.");
  }
  const encodeResponseBody = stringMember(from.encodeResponseBody);
  // Absent members stay absent: Node's Request tells `body: undefined` from no body at all. (Each
  // is added only when present: deleting the absent ones made every init a dictionary object.)
  const members: RequestMembers = {};
  if (method !== undefined) members.method = method;
  if (headers !== undefined) members.headers = headers;
  if (body !== undefined) members.body = body;
  if (redirect !== undefined) members.redirect = redirect;
  if (fetcher !== undefined) members.fetcher = fetcher as object | null;
  if (cf !== undefined) members.cf = cf as object | null;
  if (cache !== undefined && !(cache === "default" && init instanceof Request)) members.cache = cache;
  if (integrity !== undefined) members.integrity = integrity;
  if (signal !== undefined) members.signal = signal as AbortSignal | null;
  if (encodeResponseBody !== undefined) members.encodeResponseBody = encodeResponseBody;
  return members;
}

/** The methods the runtime's HTTP layer knows (spelt exactly so): a Request takes no other, and its HTTP server answers another with a 501. */
export const METHODS: ReadonlySet<string> = new Set([
  "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "PURGE", "OPTIONS", "TRACE", "COPY", "LOCK", "MKCOL", "MOVE", "PROPFIND",
  "PROPPATCH", "SEARCH", "UNLOCK", "ACL", "REPORT", "MKACTIVITY", "CHECKOUT", "MERGE", "MSEARCH", "NOTIFY", "SUBSCRIBE",
  "UNSUBSCRIBE", "QUERY", "BAN",
]);

/** The methods the Fetch Standard upper-cases: before upper_case_all_http_methods, the only ones the runtime matched without regard to case. */
const NORMALIZED_METHODS = new Set(["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"]);

/** A method as the calling code's Worker normalises it (any other spelling is then checked as given: "patch" is refused). */
function methodOf(given: string): string {
  const upper = upperAscii(given);
  // The flag only matters for a method the Fetch Standard does not upper-case: it is looked up
  // (the running code's Worker, its flags) only then, not for every GET or POST.
  return !NORMALIZED_METHODS.has(upper) && compatibilityFlagOff("upper_case_all_http_methods") ? given : upper;
}

export const INVALID_REDIRECT =
  'Invalid redirect value, must be one of "follow" or "manual" ("error" won\'t be implemented since it does not make sense at the edge; use "manual" and check the response status code).';

const BODY_WITH_GET = "Request with a GET or HEAD method cannot have a body.";

const UNSUPPORTED_INTEGRITY = "Subrequest integrity checking is not implemented. The integrity option must be either undefined or an empty string.";

/** Refuses a cache mode the runtime does not support. */
export function checkCacheMode(cache: unknown): void {
  if (cache !== "no-store" && cache !== "no-cache") throw new TypeError(`Unsupported cache mode: ${String(cache)}`);
}

/** Refuses an encoding mode (`encodeResponseBody`, `encodeBody`) other than the two the runtime knows. */
function checkEncoding(member: string, value: string | undefined): void {
  if (value !== undefined && value !== "automatic" && value !== "manual") throw new TypeError(`${member}: unexpected value: ${value}`);
}

/**
 * What the runtime's Request constructor checks once its init is converted, in its order: the
 * cache mode, `encodeResponseBody`, then the input (`checkInput`: its URL parses, a Request's body is unused
 * unless the init gives a body of its own, `null` too), then integrity, the method (one of the
 * HTTP methods it knows, matched without regard to case, or before compatibility flag
 * upper_case_all_http_methods only the six methodOf() names so), no body for GET or HEAD in the init,
 * the redirect mode, and last, no body for GET or HEAD taken from the Request input
 * (`new Request(post, { method: "GET" })` is refused). Returns the method upper-cased, as the runtime sends it (undefined if the init names none).
 */
export function checkRequest(input: unknown, init: RequestMembers | undefined, checkInput: (bodyReplaced: boolean) => void): string | undefined {
  if (init?.cache !== undefined) checkCacheMode(init.cache);
  checkEncoding("encodeResponseBody", init?.encodeResponseBody);
  const bodyReplaced = init?.body !== undefined;
  checkInput(bodyReplaced);
  if (init?.integrity !== undefined && init.integrity !== "") throw new TypeError(UNSUPPORTED_INTEGRITY);
  const method = init?.method === undefined ? undefined : methodOf(init.method);
  if (method !== undefined && !METHODS.has(method)) throw new TypeError(`Invalid HTTP method string: ${init!.method}`);
  const effective = method ?? (input instanceof Request ? upperAscii(input.method) : "GET");
  const bodiless = effective === "GET" || effective === "HEAD";
  if (bodiless && bodyReplaced && init!.body !== null) throw new TypeError(BODY_WITH_GET);
  const redirect = init?.redirect;
  if (redirect !== undefined && redirect !== "follow" && redirect !== "manual") throw new TypeError(INVALID_REDIRECT);
  if (bodiless && !bodyReplaced && input instanceof Request && input.body !== null) throw new TypeError(BODY_WITH_GET);
  return method;
}

/** A Response's init members, converted (absent ones undefined). */
export interface ResponseMembers {
  status?: number;
  statusText?: string;
  headers?: ConvertedHeaders;
  cf?: object;
  webSocket?: unknown;
  encodeBody?: string;
}

/**
 * A Response's init (undefined for none), converted as the runtime's binding converts it, in its
 * member order: the status as a WebIDL long (599.9 is 599, a BigInt or Symbol refused), the
 * statusText as a string.
 */
export function convertResponseInit(init: unknown): ResponseMembers | undefined {
  if (init === undefined || init === null) return undefined;
  const from = init as Record<string, unknown>;
  const given = from.status;
  const status = given === undefined ? undefined : toInt32(given);
  const statusText = stringMember(from.statusText);
  const headers = headersMember("InitializerDict", from.headers);
  const cf = from.cf;
  checkObjectMember("InitializerDict", "cf", cf, "Object");
  const webSocket = from.webSocket;
  const encodeBody = stringMember(from.encodeBody);
  return { status, statusText, headers, cf: cf as object | undefined, webSocket, encodeBody };
}

/** A control character (a tab too), which the runtime refuses in a statusText. */
const CONTROL = /[\x00-\x1f]/;

/**
 * What the runtime's Response constructor checks once its init is converted, in its order:
 * `encodeBody`, then (`beforeStatus`) what the constructor does next, the status (101, and only 101, with a WebSocket; else 200 to 599), the statusText, then that a
 * status without a body (`nullBodyStatus`) has none (`hasBody`).
 */
export function checkResponse(
  init: ResponseMembers | undefined,
  hasBody: boolean,
  nullBodyStatus: (status: number) => boolean,
  beforeStatus: () => void = () => undefined,
): void {
  checkEncoding("encodeBody", init?.encodeBody);
  beforeStatus();
  const status = init?.status ?? 200;
  if (init?.webSocket !== undefined && init.webSocket !== null) {
    if (status !== 101) throw new RangeError("Responses with a WebSocket must have status code 101.");
  } else if (!(status >= 200 && status <= 599)) {
    throw new RangeError("Responses may only be constructed with status codes in the range 200 to 599, inclusive.");
  }
  if (init?.statusText !== undefined && CONTROL.test(init.statusText)) throw new TypeError("Invalid statusText");
  if (hasBody && nullBodyStatus(status)) throw new TypeError("Response with null body status (101, 204, 205, or 304) cannot have a body.");
}

import { inRuntimeWords } from "../globals/runtime-words.js";
import { constructWithMachineMicrotasks, machineMicrotasks } from "../../util/real-microtasks.js";
import { types } from "node:util";
import { asBytes, crossesAs, endsWithOwner, isHostResponse, OVER_HTTP, STREAM_LOCKED, USED_BODY } from "../http-request.js";
import { checkResponse, convertHeaders, convertResponseInit, type ResponseMembers } from "../init-conversion.js";
import { carryValues, sentOverHttp } from "../../util/header-values.js";
import { readsNative, readsNativeMembers } from "../../util/native-names.js";
import { bindBodyHere, bindBodyLike } from "../body-contexts.js";
import { handsChunksAsGiven } from "../given-chunks.js";
import { readsLike, readsOneAtATime } from "../single-reads.js";
import { freezeHeaderList, freezeHeaders } from "../immutable-headers.js";
import { defaultStatusText } from "../status-text.js";
import { multipartBody } from "../multipart.js";
import { iterableBody } from "../iterable-bodies.js";
import { asDecodedFromWtf8 } from "../../util/utf8.js";
import { WebSocket } from "./web-socket.js";
import { refuseInGlobalScope } from "../globals/global-scope-refusal.js";
import { checkInitArgument, checkReceivers, notOfType, site, tagInterface, toIdlString, toInt32 } from "../../util/webidl.js";
import { readResponsesAs } from "../../storage/http-classes.js";
import { hiddenField } from "../../util/hidden-field.js";

/**
 * The Workers `Response` as far as WebSockets need it: `new Response(null, { status: 101,
 * webSocket })` answers an upgrade, and `response.webSocket` is the socket (null for every
 * other response). Node's Response refuses status 101, so a WebSocket response is built as a
 * 200 underneath and reports 101; everything else is Node's Response unchanged. The init is
 * converted and checked as the runtime does, in its order (init-conversion.ts): a WebSocket
 * needs status 101 and no body, status 101 needs a WebSocket; and a WebSocket response cannot
 * be cloned. It keeps its init's `cf` (a JSON copy: `response.cf`) and any statusText but
 * control characters, which Node's Response refuses past Latin-1 (givenStatusText); a FormData
 * body is encoded as the runtime encodes it (multipart.ts).
 *
 * A response that reached its caller from a fetch() handler (see deliveredResponse) reads as
 * the runtime's does after crossing: `url` is the request's (without its fragment), a
 * statusText its maker did not give is the status code's reason phrase, its headers are
 * immutable, and its body is as HTTP carries it (none for a HEAD request, an empty one where
 * the handler gave none to a status that has a body). The statics
 * (`Response.json()`, `redirect()`, `error()`) make these Responses too.
 */

type ResponseInit = ConstructorParameters<typeof globalThis.Response>[1];
export type WorkerResponseInit = ResponseInit & { webSocket?: WebSocket | null };

const SWITCHING_PROTOCOLS = 101;
const REDIRECT_STATUSES = [301, 302, 303, 307, 308];
const NULL_BODY_STATUSES = [204, 205, 304];

/** The socket of each WebSocket response (Node's constructor reads status before ours returns). */
const sockets = new WeakMap<object, WebSocket>();
/**
 * The statusText each response was made with (an empty one too), as the runtime reads it back:
 * any text but control characters (refused), a lone surrogate as three U+FFFD. Node's Response
 * takes Latin-1 without DEL only, so it is given none and this is read instead. It crosses
 * HTTP as it is.
 */
const givenStatusText = new WeakMap<object, string>();
/** The `cf` each response was made with, a JSON copy (Response.prototype.cf). */
const cfs = new WeakMap<object, unknown>();
/** Responses made without a body (a Worker `Response` given none, redirect(), error()): known
 * without reading `body`, which makes Node build the body's stream. */
const bodiless = hiddenField<true>();
/** The body of each response made with a stream (asBytes's copy of it): its failure reads as
 * the object's error once the response reaches a caller. */
const streamBodies = new WeakMap<object, ReadableStream>();
/**
 * Responses made here with a body that is no stream (a string, bytes, JSON): it ends once given.
 * This, `bodiless` and `delivered` are hidden fields, not WeakSets or WeakMaps: nearly every
 * Response a fetch() handler returns enters them (see util/hidden-field.ts).
 */
const givenBodies = hiddenField<true>();
/** What a response that reached its caller reads differently (see deliveredResponse). */
const delivered = hiddenField<{ url: string; statusText: string; redirected?: true }>();
/** The headers of each error response (Response.error()): mutable, as the runtime's are (Node's
 * are immutable). */
const errorHeaders = new WeakMap<object, Headers>();

/** Node's Response, as it was before a test runner put this one on the global object. */
const NodeResponse: typeof globalThis.Response = globalThis.Response;

export class Response extends NodeResponse {
  /**
   * One Response class, as in the runtime: a Response Node's class made (a global fetch()'s,
   * say) is an instance too, so `instanceof Response` holds for it wherever this class is the
   * global (the test runners) or Worker code's binding. A subclass keeps the ordinary check.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return this === Response ? value instanceof NodeResponse : Function.prototype[Symbol.hasInstance].call(this, value);
  }

  constructor(bodyInit?: ConstructorParameters<typeof globalThis.Response>[0], init?: WorkerResponseInit) {
    // The body converts first, as the runtime's binding converts its arguments in order.
    const body = iterableBody(bodyInit) as typeof bodyInit;
    checkInitArgument(init, "Response", "InitializerDict or Response");
    const given = convertResponseInit(init);
    const webSocket = given?.webSocket ?? null;
    if (webSocket !== null && !(webSocket instanceof WebSocket)) {
      throw new TypeError("Incorrect type for the 'webSocket' field on 'InitializerDict': the provided value is not of type 'WebSocket'.");
    }
    // Checked before the body is touched: a refused body stream stays the caller's, unread and unlocked.
    // The cf is copied once encodeBody is checked, before the status is.
    let cf: unknown;
    checkResponse(given, body !== null && body !== undefined && !isEmptyBody(body), hasNullBody, () => (cf = copiedCf(given)));
    // The runtime makes a stream of any other body at once, which needs the I/O context.
    if (body !== null && body !== undefined && !(body instanceof ReadableStream)) refuseInGlobalScope();
    const { webSocket: _socket, statusText, cf: _cf, ...members } = given ?? {};
    if (webSocket === null) {
      // A stream body may have any views (see asBytes); a FormData is encoded
      // as the runtime encodes it.
      const bytes = body instanceof ReadableStream ? asBytes(body) : body instanceof FormData ? multipartBody(body) : body;
      // The runtime takes an empty body as none, which a null-body status allows.
      const putBack = machineMicrotasks();
      try {
        super(isEmptyBody(body) && NULL_BODY_STATUSES.includes(members.status!) ? null : bytes, members);
      } catch (error) {
        throw inRuntimeWords(error);
      } finally {
        putBack();
      }
      keepGiven(this, statusText, cf);
      carryValues(this.headers, members.headers);
      if (body === null || body === undefined) bodiless.set(this, true);
      else if (bytes instanceof ReadableStream && bytes !== body) {
        streamBodies.set(this, bytes);
        readsLike(body, bytes);
        handsChunksAsGiven(this);
      }
      else {
        givenBodies.set(this, true);
        bindBodyHere(this);
        readsOneAtATime(this.body);
      }
      return;
    }
    // Node's Response refuses status 101: built as a 200, which the status getter reports as 101.
    const { status: _status, ...rest } = members;
    try {
      super(null, rest);
    } catch (error) {
      throw inRuntimeWords(error);
    }
    sockets.set(this, webSocket);
    keepGiven(this, statusText, cf);
    carryValues(this.headers, members.headers);
  }

  get webSocket(): WebSocket | null {
    return sockets.get(this) ?? null;
  }

  // (The statics are declared in the runtime's order: error, redirect, json.)
  static override error(): Response {
    const response = withoutBody(adopt(NodeResponse.error()));
    errorHeaders.set(response, new Headers());
    return response;
  }

  static override redirect(url: string | URL, status: Parameters<typeof globalThis.Response.redirect>[1] = 302): Response {
    if (arguments.length === 0) throw notOfType(site("Response", "redirect"), 1, "string");
    // The URL is converted (as a string) before the status is checked, as the runtime's binding does.
    const href = toIdlString(url);
    // The status is a WebIDL long too (301.9 is 301).
    const code = toInt32(status);
    if (!REDIRECT_STATUSES.includes(code)) {
      throw new RangeError(`${code} is not a redirect status code. It must be one of: 301, 302, 303, 307, or 308.`);
    }
    if (!URL.canParse(href)) throw new TypeError(`Unable to parse URL: ${href}`);
    // The runtime's redirect() needs the I/O context too, though it makes no body.
    refuseInGlobalScope();
    // Node's redirect() guards its headers with a message of its own: these are the runtime's.
    return freezeHeaders(withoutBody(new Response(null, { status: code, headers: { location: new URL(href).href } })));
  }

  static override json(data: unknown, init?: ResponseInit): Response {
    if (arguments.length === 0) throw notOfType(site("Response", "json"), 1, "Value");
    const given = convertResponseInit(init);
    // Written before the init is checked, as the runtime does. What JSON cannot write (undefined,
    // a function, a Symbol) is the body "undefined", as the runtime writes it (Node refuses it).
    const text = String(JSON.stringify(data));
    // With a WebSocket it is the constructor's case (refused: a JSON body is never empty).
    if (given?.webSocket !== undefined && given.webSocket !== null) return new Response(text, given as WorkerResponseInit);
    let cf: unknown;
    // Its body is never empty: a status without one is refused, in the runtime's words.
    checkResponse(given, true, hasNullBody, () => (cf = copiedCf(given)));
    refuseInGlobalScope();
    const { webSocket: _socket, statusText, cf: _cf, ...members } = given ?? {};
    const response = constructWithMachineMicrotasks<Response>(NodeResponse, [new TextEncoder().encode(text), members], Response);
    carryValues(response.headers, members.headers);
    if (!response.headers.has("content-type")) response.headers.set("content-type", "application/json");
    givenBodies.set(response, true);
    bindBodyHere(response);
    readsOneAtATime(response.body);
    keepGiven(response, statusText, cf);
    return response;
  }
}
// As the runtime's constructor, whatever its parameters.
Object.defineProperty(Response, "length", { value: 0 });

/** The init's `cf` as a Response keeps it: a JSON copy, made once (a function fails JSON.parse, as in the runtime). */
function copiedCf(given: ResponseMembers | undefined): unknown {
  const cf = given?.cf;
  return cf === undefined ? undefined : (JSON.parse(JSON.stringify(cf) as string) as unknown);
}

/** Remembers the statusText (see givenStatusText) and cf a response was made with, if any. */
function keepGiven(response: object, statusText: string | undefined, cf: unknown): void {
  if (statusText !== undefined) givenStatusText.set(response, asDecodedFromWtf8(statusText));
  if (cf !== undefined) cfs.set(response, cf);
}

/** A Response made by Node's own class (a static, clone(), a global fetch()) as one of these. */
function adopt(response: globalThis.Response): Response {
  if (!Object.prototype.isPrototypeOf.call(Response.prototype, response)) Object.setPrototypeOf(response, Response.prototype);
  return response as Response;
}

function withoutBody(response: Response): Response {
  bodiless.set(response, true);
  return response;
}

/**
 * Refuses what a fetch() handler cannot return, as the runtime does (its caller's fetch rejects,
 * flagged remote): a Proxy of a Response, an error Response, a Response whose body was read or
 * is locked to a reader.
 */
export function checkReturned(response: globalThis.Response): void {
  if (types.isProxy(response)) throw new TypeError("Incorrect type for Promise: the Promise did not resolve to 'Response'.");
  if (response.status === 0 && response.type === "error") {
    throw new TypeError("Return value from serve handler must not be an error response (like Response.error())");
  }
  if (response.bodyUsed) throw new TypeError(USED_BODY);
  if (response.body?.locked === true) throw new TypeError(STREAM_LOCKED);
}

/**
 * `response`, returned by a fetch() handler for `request`, as its caller receives it: the same
 * object (its body is not copied), now reading the request's URL and, unless its maker gave one,
 * the status's reason phrase as statusText, with immutable headers; a stream body that fails
 * fails the caller's read with the object's error, flagged `remote`. Only a body HTTP would not
 * carry as it is makes a new Response.
 */
export function deliveredResponse(response: globalThis.Response, request: Request): Response {
  const adopted = carriedBody(adopt(response), request.method);
  // Its headers as HTTP carries them (util/header-values.ts: empty values folded), then immutable.
  // (Read once: each read is Node's getter and its brand check.)
  const headers = adopted.headers;
  sentOverHttp(headers, headers);
  freezeHeaderList(headers);
  crossesAs(streamBodies.get(adopted) ?? null, OVER_HTTP);
  // A Request's url is already serialised: its fragment, if any, is all after the first "#".
  // (Read once: Node's getter serialises it anew, a new string, at each read.)
  const requestUrl = request.url;
  const fragment = requestUrl.indexOf("#");
  const url = fragment === -1 ? requestUrl : requestUrl.slice(0, fragment);
  const statusText = givenStatusText.get(adopted) ?? defaultStatusText(adopted.status);
  delivered.set(adopted, { url, statusText });
  // Its cf stays with its maker: HTTP does not carry it.
  cfs.delete(adopted);
  return adopted;
}

/** Marks a delivered `response` as the end of redirects its Fetcher followed (fetcher-redirects.ts). */
export function markRedirected(response: globalThis.Response): void {
  const seen = delivered.get(response);
  if (seen !== undefined) delivered.set(response, { ...seen, redirected: true });
}

/** `response`'s stream body, if its maker gave it one, fails as its crossing carries the error if
 * `owner` (the object or Worker event whose fetch() handler returned it) ends before it has been
 * read. */
export function bodyEndsWithOwner(response: globalThis.Response, owner: object): void {
  const body = streamBodies.get(response);
  if (body !== undefined) endsWithOwner(body, owner);
}

/** Whether `response` was made here with a body that is no stream (a string, bytes, JSON). */
export function hasGivenBody(response: object): boolean {
  return givenBodies.get(response) === true;
}

/**
 * Whether `response` may have a body whose end durasim cannot see: one Node's own class made (a
 * global fetch()'s, or `new Response(stream)` where the Worker `Response` is not the global).
 */
export function bodyEndUnseen(response: globalThis.Response): boolean {
  return bodiless.get(response) !== true && givenBodies.get(response) !== true && !streamBodies.has(response) && !sockets.has(response);
}

/** The Response whose body each copy made by withAbortableBody carries: the copy keeps it alive,
 * as an event holds a body it cannot see end until that Response is collected (WorkerEvent.hold). */
const carriedFrom = hiddenField<object>();

/**
 * `response` (as a fetch()'s caller received it) with a body the caller's signal can end
 * (endsOnAbort): itself, unless Node's own class made it with a body (a Worker whose `Response`
 * is Node's, as one given as `module` without durasim's globals; a global fetch()'s), whose
 * stream durasim can neither see end nor fail; then a copy that reads as it does, whose body
 * carries that stream as a stream made here does (asBytes).
 */
export function withAbortableBody(response: globalThis.Response): globalThis.Response {
  if (!bodyEndUnseen(response) || response.body === null) return response;
  const copy = withBody(response, response.body);
  crossesAs(streamBodies.get(copy)!, OVER_HTTP);
  bindBodyLike(copy, response);
  carriedFrom.set(copy, response);
  return copy;
}

/** A copy of `response` (as a fetch()'s caller received it) that reads as it does, but whose body is `body`. */
export function withBody(response: globalThis.Response, body: ReadableStream): Response {
  const copy = freezeHeaders(new Response(body, { status: response.status, headers: response.headers }));
  const seen = delivered.get(response);
  if (seen !== undefined) delivered.set(copy, seen);
  return copy;
}

/**
 * The Response a receiver gets for `response` sent over RPC: a new one with its status,
 * statusText, headers (mutable) and a copy of its cf, no url (the runtime sends none), whose
 * body is `body` (the sender's, moved); an error response's copy is an error response without
 * headers.
 */
export function receivedOverRpc(response: globalThis.Response, body: ReadableStream | null): Response {
  // An error response arrives as a new one, without the sender's headers.
  if (response.type === "error") return Response.error();
  // A statusText its maker gave is kept as given (Node's own takes Latin-1 only); one Node's class made is Node's.
  const given = givenStatusText.get(response);
  // The headers' bytes, as Node holds them (its own copying would read them decoded: util/header-bytes.ts).
  const headers = convertHeaders(response.headers);
  const init = { status: response.status, headers, ...(given === undefined ? { statusText: response.statusText } : {}) };
  const copy = constructWithMachineMicrotasks<Response>(NodeResponse, [body, init], Response);
  carryValues(copy.headers, headers);
  if (given !== undefined) givenStatusText.set(copy, given);
  if (cfs.has(response)) cfs.set(copy, structuredClone(cfs.get(response)));
  if (bodiless.get(response) === true) bodiless.set(copy, true);
  return copy;
}

/** `response` with the body HTTP carries for it: none to a HEAD request, and an empty one where
 * a status that has a body was given none (a Response of Node's own made without one keeps
 * its null body: telling would build every body's stream). */
function carriedBody(response: Response, method: string): Response {
  if (method === "HEAD") {
    const body = bodiless.get(response) === true ? null : response.body;
    if (body === null) return response;
    void body.cancel().catch(() => undefined);
    return reissued(response, null);
  }
  // (Its status read only for a response made without a body: the getter is durasim's and Node's.)
  if (bodiless.get(response) !== true) return response;
  const status = response.status;
  if (status < 200 || NULL_BODY_STATUSES.includes(status)) return response;
  return reissued(response, new Uint8Array(0));
}

/** A Response like `response` (status, statusText, headers) with `body`. */
function reissued(response: Response, body: Uint8Array | null): Response {
  const statusText = givenStatusText.has(response) ? { statusText: givenStatusText.get(response) } : {};
  const copy = new Response(body, { status: response.status, headers: response.headers, ...statusText });
  return body === null ? withoutBody(copy) : copy;
}

// Node's typings declare these as fields, so they are replaced on the prototype: a WebSocket
// response reports 101, is not ok, and cannot be cloned; an error response's headers are mutable.
const base = NodeResponse.prototype;
const baseStatus = Object.getOwnPropertyDescriptor(base, "status")!.get!;
const baseOk = Object.getOwnPropertyDescriptor(base, "ok")!.get!;
const baseUrl = Object.getOwnPropertyDescriptor(base, "url")!.get!;
const baseStatusText = Object.getOwnPropertyDescriptor(base, "statusText")!.get!;
const baseRedirected = Object.getOwnPropertyDescriptor(base, "redirected")!.get!;
const baseHeaders = Object.getOwnPropertyDescriptor(base, "headers")!.get!;
Object.defineProperties(Response.prototype, {
  status: {
    get(this: Response) {
      return sockets.has(this) ? SWITCHING_PROTOCOLS : baseStatus.call(this);
    },
    configurable: true,
  },
  ok: {
    get(this: Response) {
      return sockets.has(this) ? false : baseOk.call(this);
    },
    configurable: true,
  },
  url: {
    get(this: Response) {
      return delivered.get(this)?.url ?? baseUrl.call(this);
    },
    configurable: true,
  },
  redirected: {
    get(this: Response) {
      return delivered.get(this)?.redirected ?? baseRedirected.call(this);
    },
    configurable: true,
  },
  statusText: {
    get(this: Response) {
      return delivered.get(this)?.statusText ?? givenStatusText.get(this) ?? baseStatusText.call(this);
    },
    configurable: true,
  },
  headers: {
    get(this: Response) {
      return errorHeaders.get(this) ?? baseHeaders.call(this);
    },
    configurable: true,
  },
  // The init's cf (a copy), as the runtime's Response keeps it; it does not cross HTTP.
  cf: {
    get(this: Response) {
      return cfs.get(this);
    },
    enumerable: true,
    configurable: true,
  },
  clone: {
    value(this: Response) {
      if (sockets.has(this)) throw new TypeError("Cannot clone a response to a WebSocket handshake.");
      const copy = adopt(base.clone.call(this));
      const headers = errorHeaders.get(this);
      if (headers !== undefined) errorHeaders.set(copy, new Headers(headers));
      if (givenStatusText.has(this)) givenStatusText.set(copy, givenStatusText.get(this)!);
      // A clone's cf is a copy of its own.
      if (cfs.has(this)) cfs.set(copy, structuredClone(cfs.get(this)));
      if (bodiless.get(this) === true) bodiless.set(copy, true);
      const seen = delivered.get(this);
      if (seen !== undefined) delivered.set(copy, seen);
      return copy;
    },
    writable: true,
    configurable: true,
  },
});

/** Whether a response with `status` has no body (101 is a WebSocket's, which has none either). */
export function hasNullBody(status: number): boolean {
  return status === SWITCHING_PROTOCOLS || NULL_BODY_STATUSES.includes(status);
}

/**
 * A body the runtime knows to be empty, which it takes as none: an empty string, buffer, view,
 * Blob or URLSearchParams. A stream's length is unknown and a FormData is never empty.
 */
function isEmptyBody(body: unknown): boolean {
  if (typeof body === "string") return body === "";
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return body.byteLength === 0;
  if (body instanceof Blob) return body.size === 0;
  return body instanceof URLSearchParams && body.size === 0;
}

readsNativeMembers(readsNativeMembers(readsNative(Response, "Response")).prototype);
// The members it adds refuse another receiver as the runtime's do (Node's own say only "Illegal
// invocation", and the cf and webSocket getters answered for any object), and it has its tag.
checkReceivers(Response.prototype, isHostResponse);
tagInterface(Response.prototype, "Response");

// What storage reads back is this class, as Worker code has it (see storage/http-classes.ts).
readResponsesAs(Response);

/**
 * What the runtime checks when a Request is made for a fetch() to a Durable Object or a Worker,
 * where Node's Request says otherwise: the method must be one of the HTTP methods it knows
 * (matched without regard to case, sent upper-cased: `patch` arrives as `PATCH`; CONNECT,
 * TRACK and unknown names are "Invalid HTTP method string"), a GET or HEAD request has no
 * body (the runtime's wording), and only http(s) URLs can be fetched. A body given in the init
 * arrives framed as over HTTP: `content-length` when its length is known, else
 * `transfer-encoding: chunked` (a stream; a FormData has a length), and several `cookie` headers
 * arrive joined with ", " as any other header's values. A `cf` object (in the init, or on a Request that has
 * one) reaches the handler as `request.cf`, a JSON copy, as the runtime passes it on. The init's
 * `cache` may only be "no-store" or "no-cache" (its `integrity` only "", its `cf` an object), and
 * is sent as the runtime sends it: `cache-control` and `pragma` of "no-cache" unless the request
 * has them, and `cf` members that say the same to Cloudflare's cache.
 *
 * The handler receives a Request of its own, as one that came over the network: its headers
 * are immutable, its `redirect` is "manual", its signal never aborts, its body cannot be read
 * once the handler has answered (markAnswered), and a Request the caller
 * passed has its body taken (it reads as used afterwards); a Request whose body was read
 * cannot be sent, and `redirect` can only be "follow" or "manual". The caller's signal aborts
 * the call instead: an aborted one rejects with its reason, before or while the handler runs.
 */
import { constructWithMachineMicrotasks } from "../util/real-microtasks.js";
import { NOT_CONVERTIBLE } from "./body-chunk-words.js";
import { types } from "node:util";
import { Readable } from "node:stream";
import { AsyncResource } from "node:async_hooks";
import { inCodeRealm } from "../util/code-realm.js";
import { utf8Length } from "../util/utf8.js";
import { loopTurnIfDue } from "../util/turn.js";
import { acceptedBy, isIdlObject, toIdlString } from "../util/webidl.js";
import { nodeMethod, runtimeMethod, withNodeMethod } from "./method-stand-ins.js";
import { checkCacheMode, checkRequest, type ConvertedHeaders, convertRequestInit, INVALID_REDIRECT, isBodyOfRequestInit, type RequestMembers } from "./init-conversion.js";
import { rawGet, rawSet } from "../util/header-bytes.js";
import { lowerAscii } from "../util/ascii-case.js";
import { hiddenField } from "../util/hidden-field.js";
import { carriedCopy, clientDisconnected, connectionLost, errorOrItsText, flaggedCopy, isEndOfEmulatorError, withStackWritten } from "./errors.js";
import { receiverEndedWith, sentWithSignal } from "./client-gone.js";
import { multipartBody } from "./multipart.js";
import { freezeHeaderList } from "./immutable-headers.js";
import { flowsUntilOwnerEnds, ownerEnded, whenFlowsEnd } from "./open-bodies.js";
import { sentOverHttp } from "../util/header-values.js";
import { chunkBytes } from "./chunk-bytes.js";
import { handsChunks } from "./given-chunks.js";
import { runsEmulatedCode } from "./code-context.js";
import { contextEndSignal, type IoContext } from "./io-context.js";
import { isDataUrl } from "./data-url.js";

/** Whether `value` is a Request (a Response) of Node's, durasim's included, not its prototype:
 * what Node's own `method` (`type`) getter reads. */
export const isHostRequest = acceptedBy(getterOf(globalThis.Request.prototype, "method"));
export const isHostResponse = acceptedBy(getterOf(globalThis.Response.prototype, "type"));

/** The getter `key` of `proto` or of the nearest prototype it inherits it from (whether the
 * global is Node's class or durasim's subclass of it). */
function getterOf(proto: object, key: string): Function {
  for (let p: object | null = proto; p !== null; p = Object.getPrototypeOf(p) as object | null) {
    const get = Object.getOwnPropertyDescriptor(p, key)?.get;
    if (get !== undefined) return get;
  }
  throw new Error(`durasim internal: no getter ${key}`);
}

/**
 * The marks of requests a handler received, as bits of one field: UNCACHED, it has no cache mode
 * (nor has a copy of it), and ANSWERED, its handler has answered, so its body can no longer be
 * read. One field, so that the second mark, made as the handler answers, adds no field to the
 * request (each new field is a map transition on a young object: util/hidden-field.ts).
 */
const marks = hiddenField<number>();
const UNCACHED = 1;
const ANSWERED = 2;

function mark(request: object, bit: number): void {
  marks.set(request, (marks.get(request) ?? 0) | bit);
}

function marked(message: unknown, bit: number): boolean {
  return ((marks.get(message) ?? 0) & bit) !== 0;
}

/** Marks `request` as answered (its handler's Response is on its way to the caller). */
export function markAnswered(request: Request): void {
  mark(request, ANSWERED);
}

/** The runtime's refusal to read the body of a request that was answered, if it was. */
export function answeredRead(message: unknown): TypeError | undefined {
  if (!marked(message, ANSWERED)) return undefined;
  return new TypeError("Can't read from request stream after response has been sent.");
}

/** Marks `request` as having no cache mode: a handler received it, or it copies one that was. */
export function markUncached(request: object): void {
  mark(request, UNCACHED);
}

/** Whether `request` has no cache mode (see markUncached). */
export function isUncached(request: unknown): boolean {
  return marked(request, UNCACHED);
}

/** The runtime's words for a body that was read already. */
export const USED_BODY = "Body has already been used. It can only be used once. Use tee() first if you need to read it twice.";

/** The runtime's refusal of a ReadableStream a reader holds (sent over RPC, or as a returned body). */
export const STREAM_LOCKED = "The ReadableStream has been locked to a reader.";

/** The Request a fetch(input, init) sends: converted and checked as the runtime's Request is
 * (init-conversion.ts), received as the module comment says. */
export function toRequest(input: unknown, init: unknown): Request {
  // The input is converted first, as the runtime's binding converts its arguments in order.
  const source = fetchInput(input);
  return requestFrom(source, convertRequestInit(init));
}

/** toRequest() of an init already converted (convertRequestInit), for a caller that reads the
 * converted init too (stub.fetch()'s signal): the input is converted after it. */
export function toRequestOfConverted(input: unknown, given: RequestMembers | undefined): Request {
  return requestFrom(fetchInput(input), given);
}

/**
 * A fetch() or Request input as the runtime's binding converts it: a Request stays one, anything
 * else becomes a string (a URL). A Proxy of a Request is no Request there: the runtime checks
 * the object itself, which a proxy only forwards to, so it converts as a string,
 * "[object Request]", an invalid URL. (itty-router's AutoRouter hands its handlers such a proxy;
 * in production, passing it on to fetch() fails that way.)
 */
export function fetchInput(input: unknown): Request | string {
  return input instanceof Request && !types.isProxy(input) ? input : toIdlString(input);
}

function requestFrom(input: Request | string, given: RequestMembers | undefined): Request {
  const url = typeof input === "string" ? input : undefined;
  const method = checkRequest(input, given, (bodyReplaced) => checkInput(input, url, bodyReplaced));
  // Named by the URL as given, fragment kept, though the fragment is not sent.
  checkFetchScheme(url ?? input);
  const taken = inputBodyAs(input, given, CUT_OFF);
  if (url === undefined && given === undefined) {
    return received(sendable(frameBody(newReceived(input as Request, { ...AS_RECEIVED, ...taken }), given, input)), input, given);
  }
  const target = url === undefined ? withoutBodyIfNull(input as Request, given) : sentUrl(url);
  // Framed as the init or the input gave the body (frameBody), whoever pumps it.
  const sending = nodeInit(given);
  // (Copied again only to add a stream body: each spread is an object made on every call.)
  const request = newReceived(target, taken === undefined ? sending : { ...sending, ...taken });
  // Node keeps the case of methods it does not normalise itself (`patch`); the runtime sends them upper-cased.
  const sent = method === undefined || runtimeMethod(request.method) === method ? request : newReceived(request, { method: nodeMethod(method) });
  // A URL given as a string has lost its fragment already (sentUrl): only a Request input's URL is read for one.
  const framed = frameBody(sent, sending, input);
  return received(url === undefined ? sendable(framed) : framed, input, given);
}

/**
 * The request a Fetcher sends on after a redirect (fetcher-redirects.ts): to `url` as the
 * Location resolves, whatever its scheme (the runtime sends it through the same Fetcher without
 * checking one), with `given`'s members, framed and received as a first request is.
 */
export function redirectedRequest(url: string, given: RequestMembers): Request {
  const sending = nodeInit(given);
  return received(sendable(frameBody(newReceived(url, sending), sending, url)), url, given);
}

/**
 * The arguments Node's fetch() gets for a global fetch(input, init) made by Worker or object
 * code: converted and checked as the runtime's Request is (as toRequest), the method
 * upper-cased as the runtime sends it, a stream body as Node takes one (asBytes, `duplex`), a
 * FormData body encoded as the runtime encodes it (multipartBody; Node's boundary and framing
 * differ).
 */
export function fetchArguments(input: unknown, init: unknown): [Request | string, RequestInit | undefined] {
  const source = fetchInput(input);
  const url = typeof source === "string" ? source : undefined;
  const given = convertRequestInit(init);
  const method = checkRequest(source, given, (bodyReplaced) => checkInput(source, url, bodyReplaced));
  const taken = inputBodyAs(source, given, TO_NETWORK);
  if (given === undefined) return [source, taken as RequestInit | undefined];
  const body = given.body;
  const sentBody = body instanceof ReadableStream ? { body: crossesAs(asBytes(body), TO_NETWORK), duplex: "half" } : body instanceof FormData ? { body: multipartBody(body) } : {};
  return [source, { ...given, ...(method === undefined ? {} : { method: nodeMethod(method) }), ...sentBody, ...taken } as RequestInit];
}

/**
 * The Fetcher a global fetch(input, init) goes to instead of the network, as the runtime
 * routes it: the init's `fetcher` if it gives one (`null` sends it to the network), else the
 * `fetcher` of a Request input (Worker code's Request keeps the one its init gave).
 */
export function fetcherOf(input: unknown, init: RequestInit | undefined): { fetch: typeof fetch } | null {
  const given = (init as { fetcher?: unknown } | undefined)?.fetcher;
  const fetcher = given !== undefined ? given : input instanceof Request ? (input as { fetcher?: unknown }).fetcher : undefined;
  return (fetcher ?? null) as { fetch: typeof fetch } | null;
}

/**
 * The body a Request input is sent with when the init gives none, if it may hand its chunks as
 * given: its own, pumped as bytes (asBytes) as it crosses (`crossing`), where Node would take
 * the input's body as it is. Such inputs: a Worker Request made of a stream (given-chunks.ts),
 * and any Request test code sends (a test's own, Node's class, takes any stream, and is sent as
 * Worker code's would be).
 */
function inputBodyAs(input: Request | string, given: RequestMembers | undefined, crossing: Crossing): { body: ReadableStream; duplex: "half" } | undefined {
  if (typeof input === "string" || given?.body !== undefined || input.body === null) return undefined;
  if (!handsChunks(input) && runsEmulatedCode()) return undefined;
  return { body: crossesAs(asBytes(input.body!), crossing), duplex: "half" };
}

/** The URL string the last fetch() input checked was: whether a text parses never changes, and
 * a caller (a test's loop, a client of one object) sends the same URL again and again, which
 * Node's Request parses once more anyway. */
let lastParsedUrl: string | undefined;

/** Refuses a fetch() input as the runtime does, after the init's cache mode (checkRequest): a
 * URL that does not parse, a Request whose body was read (unless the init replaces it) or that
 * asks for redirect "error". */
function checkInput(input: unknown, url: string | undefined, bodyReplaced: boolean): void {
  if (url !== undefined) {
    if (url !== lastParsedUrl && !URL.canParse(url)) throw new TypeError(`Invalid URL: ${url}`);
    lastParsedUrl = url;
    return;
  }
  const request = input as Request;
  if (request.bodyUsed && !bodyReplaced) throw new TypeError("Cannot reconstruct a Request with a used body.");
  if (request.body?.locked === true && !bodyReplaced) throw new TypeError(STREAM_LOCKED);
  if (request.redirect === "error") throw new TypeError(INVALID_REDIRECT);
}

/** `input`, or when it is a Request with a body and `init` gives `body: null` a copy without the
 * body: the runtime's Request then has no body, where Node's keeps the input's. (Its cache mode
 * as givenCache reads it: a Request's "default" is none.) */
export function withoutBodyIfNull<T>(input: T, init: unknown): T | Request {
  if (!(input instanceof Request) || input.body === null) return input;
  if (!isIdlObject(init) || (init as { body?: unknown }).body !== null) return input;
  return new Request(input.url, initWith(input, { body: undefined, cache: givenCache(input) }));
}

/** The URL a request to `url` goes to: absolute (Durable Object stubs need one: compatibility
 * flag durable_object_fetch_requires_full_url), without a fragment or credentials, which HTTP
 * does not carry (Node's Request refuses credentials). A data URL is not sent but answered
 * (data-url.ts), and one refused is named with its fragment: it stays as given. */
function sentUrl(url: string): string {
  if ((!url.includes("#") && !url.includes("@")) || isDataUrl(url)) return url;
  const parsed = new URL(url);
  parsed.hash = "";
  parsed.username = "";
  parsed.password = "";
  return parsed.href;
}

/** `request` as it can be sent: without the fragment its URL came with from a Request input
 * (kept by a data URL's, as sentUrl() says). */
function sendable(request: Request): Request {
  // Its URL read once: each read serialises it anew.
  const url = request.url;
  const hash = url.indexOf("#");
  return hash === -1 || isDataUrl(url) ? request : withUrl(request, url.slice(0, hash));
}

/** What the runtime's fetch() loads, a global one or a Fetcher's (a stub's, a service binding's):
 * HTTP, and `data:` URLs, answered locally (data-url.ts). */
const HTTP_OR_DATA = /^(?:https?|data):/;

/** The runtime's refusal of a request to a URL (serialised) whose scheme `schemes` does not match. */
function refuseScheme(url: string, schemes: RegExp): void {
  if (!schemes.test(url)) throw new TypeError(`Fetch API cannot load: ${url}`);
}

/**
 * Refuses what a global fetch() from Worker or object code cannot load (its input as
 * fetchArguments converted it: a URL string, else a Request), as the runtime does before any network access: any scheme but
 * http, https and data (ws and wss too, even with `Upgrade: websocket`), named by the whole URL
 * as parsed, fragment kept. Node's fetch would fail with "fetch failed" instead.
 */
export function checkFetchScheme(input: unknown): void {
  // A URL string (one that parses) that begins with such a scheme, in lower case, has it as
  // parsed too: the parser only lower-cases a scheme and drops spaces, tabs and newlines, none of
  // which it has. Only another needs parsing again, for the scheme and for the refusal's words.
  if (typeof input === "string" && HTTP_OR_DATA.test(input)) return;
  refuseScheme(urlOf(input), HTTP_OR_DATA);
}

/** The URL, serialised, of a converted input: a URL string (one that parses), else a Request. */
export function urlOf(input: unknown): string {
  return typeof input === "string" ? new URL(input).href : (input as Request).url;
}

function withUrl(request: Request, url: string): Request {
  const { method, headers, body } = request;
  return newReceived(url, { method, headers, body, duplex: "half", ...AS_RECEIVED } as RequestInit);
}

/** What the handler's Request has instead of the caller's signal and redirect mode. */
const AS_RECEIVED = { signal: null, redirect: "manual" } as const;

/**
 * `init` as Node's Request takes it, for the Request the handler receives (AS_RECEIVED): a
 * stream body needs `duplex: "half"` there, which the runtime neither asks for nor needs, and
 * Uint8Array chunks (asBytes); a FormData body is sent encoded (multipartBody), so its length is
 * known as the runtime's is (see initWith for how the init is copied).
 */
function nodeInit(init: unknown): RequestInit {
  if (!isIdlObject(init)) return AS_RECEIVED;
  const { body } = init as { body?: unknown };
  const replaced =
    body instanceof ReadableStream
      ? { ...AS_RECEIVED, body: crossesAs(asBytes(body), CUT_OFF), duplex: "half" }
      : body instanceof FormData
        ? { ...AS_RECEIVED, body: multipartBody(body) }
        : AS_RECEIVED;
  return withNodeMethod(initWith(init, replaced));
}

/** The RequestInit members Node's Request reads (the fetch standard's and undici's `dispatcher`), and the runtime's `cf`. */
const INIT_MEMBERS = [
  "method", "headers", "body", "referrer", "referrerPolicy", "mode", "credentials", "cache", "redirect", "integrity", "keepalive", "signal",
  "window", "duplex", "dispatcher", "cf",
];

/**
 * `init` with the members of `replaced` in place of its own, as a plain object. A plain init is
 * copied; any other (a Request given as init, a class instance) is read as the runtime reads a
 * dictionary, each member through its getter. (An object that only inherits from it would not
 * do: Node 24's Request getters refuse any receiver but a Request.)
 */
export function initWith(init: object, replaced: Record<string, unknown>): RequestInit {
  if (Object.getPrototypeOf(init) === Object.prototype) return { ...init, ...replaced } as RequestInit;
  const members: Record<string, unknown> = {};
  for (const key of INIT_MEMBERS) {
    if (key in replaced) continue;
    const value = (init as Record<string, unknown>)[key];
    if (value !== undefined) members[key] = value;
  }
  return { ...members, ...replaced } as RequestInit;
}

/** Refuses a stream body that was read from or is locked, in the runtime's words. */
function checkStreamBody(body: ReadableStream): void {
  // Node's Readable.isDisturbed also reads web streams (its typings only name its own).
  if (Readable.isDisturbed(body as unknown as Readable)) throw new TypeError("This ReadableStream is disturbed (has already been read from), and cannot be used as a body.");
  if (body.locked) throw new TypeError(isBodyOfRequestInit(body) ? STREAM_LOCKED : "This ReadableStream is locked to a reader, and cannot be used as a body.");
}

/**
 * A body stream (of a Request or a Response) made of a JavaScript stream: read where it was
 * made, it hands each chunk as given (its consumers take bytes: given-chunks.ts); pumped to
 * where it crossed (crossesAs), it carries bytes, as Node reads them: the runtime also takes
 * ArrayBuffers, any view and strings (sent as UTF-8), where Node takes Uint8Arrays only, and
 * anything else fails the read with NOT_CONVERTIBLE. A stream that was read from or is locked
 * is refused first. Once the body crosses to another context (crossesAs), a failure of the
 * stream reads there as that crossing carries it.
 */
export function asBytes(body: ReadableStream): ReadableStream {
  checkStreamBody(body);
  // The source is taken only once the body is read or crosses: until then it is the message's
  // own `body` (exposedBody), as the runtime's body is the very stream it was given.
  let reader: ReadableStreamDefaultReader | undefined;
  let started: ReadableStreamDefaultController<Uint8Array> | undefined;
  // The next chunk is read from the source ahead of the reader, as a stream's queue would read
  // it (a writer of the source sees its write taken before the body is read), but only handed
  // on once asked for: whether it is converted depends on whether the body has crossed by then.
  let ahead: Promise<{ done: boolean; value?: unknown }> | undefined;
  // Its source is read as the code that sent it, whoever reads the body: the source's pull()
  // runs as that code, as in the runtime (its stub calls work; conformance "stream bodies: a
  // request body's later pull() ..."), not as the receiving object's.
  const asSender = AsyncResource.bind((source: ReadableStreamDefaultReader) => source.read());
  const readAhead = (): void => {
    try {
      reader ??= body.getReader();
      ahead = asSender(reader);
    } catch (error) {
      ahead = Promise.reject(error);
    }
    ahead.catch(() => undefined);
  };
  const cancelSource = (reason?: unknown): Promise<void> => (reader ?? body).cancel(reason);
  // Set once it stops without an end or a failure (abortBody): nothing more is handed on, and a
  // pull returns a promise that never settles, so the stream pulls no more. (A new one each
  // time: one kept would hold every stream waiting on it.)
  let stopped = false;
  const bytes = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        started = controller;
      },
      async pull(controller) {
        // Pumped to another context, each chunk lets the event loop turn when it is due (turn.ts).
        // (No await otherwise: a chunk takes as many microtasks as before.)
        const due = crossings.has(bytes) ? loopTurnIfDue() : undefined;
        if (due !== undefined) await due;
        if (stopped) return new Promise<never>(() => undefined);
        if (ahead === undefined) readAhead();
        let next: { done: boolean; value?: unknown };
        try {
          next = await ahead!;
        } catch (reason) {
          if (stopped) return new Promise<never>(() => undefined);
          failed(bytes, controller, reason);
          return;
        }
        if (stopped) return new Promise<never>(() => undefined);
        if (next.done) {
          untracked(bytes);
          return controller.close();
        }
        readAhead();
        // Read where it was made, a chunk is handed on as given (given-chunks.ts).
        if (!crossings.has(bytes)) return controller.enqueue(next.value as Uint8Array);
        const chunk = chunkBytes(next.value);
        if (chunk !== undefined) return controller.enqueue(chunk);
        const refusal = new TypeError(NOT_CONVERTIBLE);
        cancelSource(refusal).catch(() => undefined);
        failed(bytes, controller, refusal);
      },
      cancel(reason): Promise<void> {
        untracked(bytes);
        return cancelSource(cancelReasonAcross(bytes, reason));
      },
    },
    { highWaterMark: 0 },
  );
  feeds.set(bytes, { controller: started!, cancelSource, readAhead: () => void (ahead ?? readAhead()), stop: () => void (stopped = true) });
  givenStreams.set(bytes, body);
  takers.set(body, () => void (reader ??= body.getReader()));
  return bytes;
}

/** What takes each stream asBytes carries (locks it to the body's own reader). */
const takers = new WeakMap<ReadableStream, () => void>();

/** `given` (a stream a body was made of; any other is left alone) is taken by that body now, as
 * the tee() of a clone() takes it. */
export function takeGiven(given: ReadableStream | null): void {
  if (given !== null) takers.get(given)?.();
}

/** The stream each body asBytes made carries, as its maker gave it. */
const givenStreams = new WeakMap<ReadableStream, ReadableStream>();

/**
 * The body a message (one made of a stream: given-chunks.ts) shows for `carried`, the stream
 * Node's Request or Response holds: the stream it was given while that is still what it
 * carries, uncrossed (a clone() carries a tee's branch); once it crosses, the bytes it carries.
 */
export function exposedBody(carried: ReadableStream | null): ReadableStream | null {
  if (carried === null || crossings.has(carried)) return carried;
  return givenStreams.get(carried) ?? carried;
}

/** A stream asBytes made, while it may still be cut (see endsWithOwner): its controller, and
 * what stops tracking it once endsWithOwner tracks it. */
interface BodyFeed {
  readonly controller: ReadableStreamDefaultController<Uint8Array>;
  /** Cancels the stream it carries (the sender's). */
  readonly cancelSource: (reason?: unknown) => Promise<void>;
  /** Starts reading the stream it carries ahead of its reader, if it has not yet. */
  readonly readAhead: () => void;
  /** Hands nothing more on, not even an end: its reads are left pending. */
  readonly stop: () => void;
  release?: () => void;
}

const feeds = new WeakMap<ReadableStream, BodyFeed>();

/**
 * `body` (a stream asBytes made; any other is left alone) fails, as its crossing carries the
 * error, if `owner` (or any other owner it was given to) ends (open-bodies.ts) before it has
 * been read to its end.
 */
export function endsWithOwner(body: ReadableStream, owner: object): void {
  const feed = feeds.get(body);
  if (feed === undefined) return;
  // A body can pass through several senders (an object's Response a Worker returns as its own).
  releasedToo(feed, flowsUntilOwnerEnds(owner, body, cutBody));
}

/** `feed` stops being tracked by `release` too once it ends. */
function releasedToo(feed: BodyFeed, release: () => void): void {
  const earlier = feed.release;
  feed.release = earlier === undefined ? release : () => (earlier(), release());
}

/** The signals that abort bodies still flowing (endsOnAbort, sendingEndsOnAbort): one listener
 * each, however many bodies, and none once they have all ended, so a signal kept for many
 * fetches gathers none. */
const abortingSignals = new WeakSet<AbortSignal>();

/**
 * `body` (the Response body a fetch() with `signal` resolved to: a stream asBytes made; any
 * other is left alone), if `signal` aborts before the body has arrived whole, fails with a copy
 * of the signal's reason, and the sender's stream is cancelled (with no reason), as in the
 * runtime, where the caller's signal covers the response body too.
 */
export function endsOnAbort(body: ReadableStream | null, signal: AbortSignal): void {
  cutOnAbort(body, signal, abortBody);
}

/**
 * `body` (the body a fetch() with `signal` sends: a stream asBytes made; any other is left
 * alone), if `signal` aborts before the handler has read it whole: the handler's reads fail as
 * the runtime's do once the client is gone, and the caller's stream is cancelled (with no
 * reason), so a stream that never ends is read no more (checked with workerd: conformance
 * "aborted request bodies: ..."). An object's handler runs on; a Worker's event the abort ended
 * (client-gone.ts) reads no more: its reads are left pending.
 */
export function sendingEndsOnAbort(body: ReadableStream | null, signal: AbortSignal): void {
  cutOnAbort(body, signal, (sent) => abortBody(sent, receiverEndedWith(sent) ? undefined : clientDisconnected()));
}

/**
 * Stops `body` (a Response body that Worker code's fetch() to an object or a Worker receives)
 * if the receiving event (`context`) ends before the body has: the sender's stream is cancelled
 * without a reason, as the runtime cancels what a torn-down context still reads, and the reads
 * are left pending, as no code of the event resumes (conformance "worker event cancel: the
 * object's Response body ...").
 */
export function endsWithReceivingEvent(body: ReadableStream | null, context: IoContext): void {
  cutOnAbort(body, contextEndSignal(context), (received) => abortBody(received, undefined));
}

/**
 * Cuts `body` with `cut` if `signal` aborts before it has ended. Tracked as a flow of the
 * signal's (open-bodies.ts): a body dropped unread is not kept alive by a signal kept long.
 */
function cutOnAbort(body: ReadableStream | null, signal: AbortSignal, cut: (body: ReadableStream, error: Error) => void): void {
  const feed = body === null ? undefined : feeds.get(body);
  if (feed === undefined) return;
  if (signal.aborted) return cut(body!, carriedCopy(signal.reason));
  releasedToo(feed, flowsUntilOwnerEnds(signal, body!, cut));
  if (abortingSignals.has(signal)) return;
  abortingSignals.add(signal);
  const abort = () => ownerEnded(signal, carriedCopy(signal.reason));
  signal.addEventListener("abort", abort, { once: true });
  whenFlowsEnd(signal, () => {
    abortingSignals.delete(signal);
    signal.removeEventListener("abort", abort);
  });
}

/** Stops sending `body`, its reads failing with `error` (left pending without one), the
 * sender's stream cancelled with `reason`. */
function abortBody(body: ReadableStream, error: Error | undefined, reason?: Error): void {
  const feed = feeds.get(body);
  if (feed === undefined) return;
  untracked(body);
  if (error !== undefined) feed.controller.error(error);
  else feed.stop();
  feed.cancelSource(reason).catch(() => undefined);
}

/**
 * `body`'s owner ended with `error` (endsWithOwner) before it was read whole. A Response body
 * fails where it crossed. A request body its handler still reads is read no more: the sender's
 * stream is cancelled, with `Network connection lost.` when an object reset, as the runtime
 * cancels it (conformance "aborted request bodies: the object resets ..."), and the handler's
 * reads never settle, as its code's I/O does not once its context ended; but when the emulator
 * is disposed or restored (emu.restore()), they fail with its error, as every call still in
 * flight then does, and the sender's stream is cancelled with it.
 */
function cutBody(body: ReadableStream, error: Error): void {
  const feed = feeds.get(body);
  if (feed === undefined) return;
  if (crossings.get(body) !== CUT_OFF) return failed(body, feed.controller, error);
  const disposed = isEndOfEmulatorError(error);
  abortBody(body, disposed ? error : undefined, disposed ? error : connectionLost());
}

function untracked(bytes: ReadableStream): void {
  feeds.get(bytes)?.release?.();
  feeds.delete(bytes);
}

/** How a body's failure reads where it crossed to: errors the reader with something, or ends
 * the body early (as a request body cut off on the wire does). */
export type Crossing = (reason: unknown, controller: ReadableStreamDefaultController<Uint8Array>) => void;

/** The crossing of each body stream (made by asBytes) that left the context that made it. */
const crossings = new WeakMap<ReadableStream, Crossing>();

/** The body each request a clone was made of while being sent had before the clone teed it. */
const sentBodies = new WeakMap<Request, ReadableStream>();

/**
 * A clone of `request`, a request being sent (a redirect sends its body again from one:
 * fetcher-redirects.ts). Node's clone() gives `request` a branch of a tee of its body; the body
 * it was sent with (a stream asBytes made) still feeds both branches, and stays what ends with
 * its receiver (sentBody), so the caller's stream is cut off from both.
 */
export function cloneSent(request: Request): Request {
  const body = request.body;
  const copy = request.clone();
  if (body !== null) sentBodies.set(request, body);
  return copy;
}

/** The body `request` (as a handler receives it) was sent with: its own, unless cloneSent teed it. */
export function sentBody(request: Request): ReadableStream | null {
  return sentBodies.get(request) ?? request.body;
}

/** Says that `body` (a stream asBytes made; any other is left alone) now crosses as `crossing`. */
export function crossesAs<B extends ReadableStream | null>(body: B, crossing: Crossing): B {
  if (body === null) return body;
  crossings.set(body, crossing);
  // It shows its own stream from now on (exposedBody): what it carries is held only while it
  // flows, or a message its receiver keeps would keep the sender's stream, and with it what made
  // it (an object's instance, after a reset or an eviction too).
  givenStreams.delete(body);
  // Pumped from now on: read ahead as a crossing body is.
  feeds.get(body)?.readAhead();
  return body;
}

function failed(bytes: ReadableStream, controller: ReadableStreamDefaultController<Uint8Array>, reason: unknown): void {
  untracked(bytes);
  const crossing = crossings.get(bytes);
  if (crossing === undefined) controller.error(reason);
  else crossing(reason, controller);
}

/** To the network (a global fetch()'s body): pumped as a crossing body is (its string chunks
 * sent), its failure as it is. */
const TO_NETWORK: Crossing = (reason, controller) => controller.error(reason);

/** Over HTTP (a fetch() handler's Response): the error is the object's, flagged `remote`; a
 * reason that is no Error becomes one with its text. The copy's stack is written as it is made
 * (see withStackWritten): the stream keeps it for the caller, and until then V8 keeps each
 * frame's receiver, such as the Emulator whose dispose() cut the body. */
export const OVER_HTTP: Crossing = (reason, controller) => controller.error(withStackWritten(flaggedCopy(reason, { remote: true })));

/** A request body sent by fetch(): the receiver sees it end where the sender's failed. */
export const CUT_OFF: Crossing = (_reason, controller) => controller.close();

/**
 * The reason the stream `bytes` carries is cancelled with when its reader cancels it with
 * `reason`: where it crossed by fetch(), the reader's reason does not cross. A Response body's
 * stream is cancelled without one; a request body's sender sees the connection lost, as when
 * the receiving object resets (conformance "stream bodies: ... cancel ...").
 */
function cancelReasonAcross(bytes: ReadableStream, reason: unknown): unknown {
  const crossing = crossings.get(bytes);
  if (crossing === CUT_OFF) return connectionLost();
  return crossing === OVER_HTTP ? undefined : reason;
}

/** Worker code's Request, the class of a request a handler receives, and what gives it its cf
 * (request.ts registers them; nothing before it loads). */
let ReceivedRequest: typeof Request = Request;
let giveReceivedCf: (request: Request, cf: Record<string, unknown>) => void = (request, cf) => defineCf(request, cf);

/** Makes each request a handler receives a `Class` (Worker code's Request), its cf given by `giveCf`. */
export function receiveRequestsAs(Class: typeof Request, giveCf: (request: Request, cf: Record<string, unknown>) => void): void {
  ReceivedRequest = Class;
  giveReceivedCf = giveCf;
}

/**
 * Node's `new Request(input, init)`, made an instance of the class a handler receives from the
 * start (as its constructor would with that class as `new.target`): giving it its prototype
 * afterwards made V8 migrate the object to a new map on every stub.fetch().
 */
function newReceived(input: Request | string, init: RequestInit): Request {
  return constructWithMachineMicrotasks(Request, [input, init], ReceivedRequest);
}

function received(request: Request, input: unknown, init: unknown): Request {
  // The handler reads it as Worker code's Request (no browser members, no cache mode): made one
  // by newReceived.
  markUncached(request);
  // Read once: each read of a Request's member is Node's getter and its brand check.
  const headers = request.headers;
  // Its headers as HTTP carries them (util/header-values.ts: empty values folded), from the
  // init's or the Request input's, whichever Node copied.
  const given = (init as { headers?: unknown } | undefined)?.headers;
  const from = given !== undefined ? (given as object) : input instanceof Request ? input.headers : undefined;
  if (from !== undefined) sentOverHttp(headers, from);
  const cache = cacheMode(input, init);
  if (cache !== undefined) {
    // What the mode asks of caches on the way, said in the headers HTTP has for it.
    for (const name of ["cache-control", "pragma"]) if (!headers.has(name)) headers.set(name, "no-cache");
  }
  const cf = carriedCf(request, input, init, cache);
  if (cf !== undefined) giveReceivedCf(request, cf);
  freezeHeaderList(headers);
  return request;
}

/**
 * The `cache` an init or a Request input gives, if any: Node's Request reads "default" when it
 * was given none, where the runtime's has none (a Request is an init too: `new Request(url, request)`).
 */
function givenCache(from: unknown): unknown {
  if (!isIdlObject(from)) return undefined;
  const cache = (from as { cache?: unknown }).cache;
  return cache === "default" && from instanceof Request ? undefined : cache;
}

/** The cache mode a request is sent with (the init's, else a Request input's), if any. */
export function cacheMode(input: unknown, init: unknown): "no-store" | "no-cache" | undefined {
  const cache = givenCache(init) ?? givenCache(input);
  if (cache === undefined) return undefined;
  checkCacheMode(cache);
  return cache as "no-store" | "no-cache";
}

/**
 * The `cf` a request sent with `cache` carries: "no-store" bypasses the cache (a `cacheTtl` other
 * than -1 contradicts it: refused with the runtime's words), "no-cache" forces revalidation.
 */
function withCacheMode(cf: Record<string, unknown>, cache: "no-store" | "no-cache"): Record<string, unknown> {
  if (cache === "no-cache") {
    cf.cacheForceRevalidate = true;
  } else {
    if (cf.cacheTtl !== undefined && cf.cacheTtl !== -1) throw new TypeError(`CacheTtl: ${String(cf.cacheTtl)}, is not compatible with cache: no-store header.`);
    cf.cacheTtl = -1;
    cf.cacheLevel = "bypass";
  }
  cf.cacheControl = cache;
  return cf;
}

/**
 * The signal that aborts a fetch(input, init): the init's, else a Request input's (undefined
 * when neither can abort it).
 */
export function callerSignal(input: unknown, init: { signal?: AbortSignal | null } | undefined): AbortSignal | undefined {
  const given = init?.signal;
  if (given !== undefined && given !== null) return given;
  if (!(input instanceof Request)) return undefined;
  const signal = input.signal;
  return signal.aborted || mayAbort(input) ? signal : undefined;
}

/**
 * The key under which Node's Request keeps the controller of its signal once that follows
 * another (the one its init gave, or its input Request's): nothing else can abort it. Undefined
 * where Node keeps no such key, or keeps it on every Request: then every Request's signal may abort.
 */
const FOLLOWS_SIGNAL = followsSignalKey();

function followsSignalKey(): symbol | undefined {
  const keyOf = (request: Request) => Object.getOwnPropertySymbols(request).find((key) => key.description === "abortController");
  try {
    const key = keyOf(new Request("http://probe/", { signal: new AbortController().signal }));
    return key !== undefined && keyOf(new Request("http://probe/")) === undefined ? key : undefined;
  } catch {
    // A global Request of a test environment's that refuses the probe: every signal is watched.
    return undefined;
  }
}

/** Clones of Requests whose signal may abort: Node's clone() follows the original's signal without that key. */
const clonesFollowing = hiddenField<true>();

/** `copy`, Node's clone of `original`, follows its signal (see mayAbort). */
export function clonedSignal(copy: Request, original: Request): void {
  if (mayAbort(original)) clonesFollowing.set(copy, true);
}

/**
 * Whether `request`'s signal may abort later. One that follows none never does: a caller's
 * `new Request(url, init)` without a signal (its fetch() then pays nothing for a signal that
 * never aborts: no watch on the call, and a Response body Node's class made is not copied to be
 * abortable, which made a stub.fetch() of such a Request cost several times one of its URL).
 * A clone is known by clonedSignal(), which host-apis.ts's clone() calls: a clone made before the
 * first emulator installed it is taken as following none.
 */
function mayAbort(request: Request): boolean {
  return FOLLOWS_SIGNAL === undefined || Object.hasOwn(request, FOLLOWS_SIGNAL) || clonesFollowing.get(request) === true;
}

/**
 * Whether `error` is `signal`'s abort (what untilAborted rejects with): the caller gave up on the
 * call, which is nothing the handler threw, so no front door makes a 500 of it.
 */
export function isCallerAbort(error: unknown, signal: AbortSignal): boolean {
  return signal.aborted && error === signal.reason;
}

/**
 * `pending`, rejected with `signal`'s reason if it aborts first (the call itself goes on). For
 * Worker or object code, a reason that is no Error, given once the call is under way, arrives as
 * an Error of its text, as the runtime's call fails then (one aborted before the call rejects it
 * with the reason itself: conformance "worker event cancel: a reason that is no Error ...").
 * Test code's calls keep it as given, as Miniflare's fetch() does.
 */
export function untilAborted<T>(pending: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    // No one waits for the call's answer now: its failure (the handler's throw, the emulator's
    // end) is dropped, as it is when the signal aborts later, never an unhandled rejection.
    pending.catch(() => undefined);
    return Promise.reject(signal.reason as Error);
  }
  const asError = runsEmulatedCode();
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(asError ? inCodeRealm(errorOrItsText(signal.reason)) : (signal.reason as Error));
    signal.addEventListener("abort", abort, { once: true });
    pending.then(
      (value) => {
        signal.removeEventListener("abort", abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", abort);
        reject(error as Error);
      },
    );
  });
}

/**
 * The framing header the runtime adds for a body: one given in `init`, else the body of the
 * Request `input` as its maker gave it (a Worker Request remembers it: rememberFraming; Node's
 * own Request's has a length durasim cannot see without reading it).
 */
function frameBody(request: Request, init: RequestInit | undefined, input: unknown): Request {
  if (request.body === null) return request;
  const framing = framingFor(input, init);
  if (framing === undefined || framedAlready(request, init, input)) return request;
  // Node's own methods: the request is new (its headers are not immutable yet), the names durasim's.
  if (framing === CHUNKED) rawSet(request.headers, "transfer-encoding", CHUNKED);
  else rawSet(request.headers, "content-length", String(framing));
  return request;
}

/**
 * Whether the headers `request` was made with frame its body already. They are the init's
 * (converted pairs) if it gave any, else the Request input's; Node's Request adds neither
 * header, so the pairs say it without asking the Headers.
 */
function framedAlready(request: Request, init: RequestInit | undefined, input: unknown): boolean {
  const given = init?.headers as ConvertedHeaders | undefined;
  if (given !== undefined) return given.some(([name]) => FRAMING_HEADERS.includes(lowerAscii(name)));
  if (!(input instanceof Request)) return false;
  return FRAMING_HEADERS.some((name) => rawGet(request.headers, name) !== null);
}

const FRAMING_HEADERS = ["content-length", "transfer-encoding"];

const CHUNKED = "chunked";

/** A body's content-length, or chunked when its length is not known until it has been sent. */
function framingOf(body: unknown): number | typeof CHUNKED {
  return knownLength(body) ?? CHUNKED;
}

/** The framing of the body each Worker Request was made with (see rememberFraming). */
const framings = new WeakMap<object, number | typeof CHUNKED>();

/**
 * Remembers how the body a Worker Request is made with (in `init`, else the Request `input`'s)
 * is framed, so that sent alone it is framed as a body given in an init is. A FormData's
 * length is its encoding's, which Node's Request keeps to itself.
 */
export function rememberFraming(request: object, input: unknown, init: unknown): void {
  const framing = framingFor(input, init);
  if (framing !== undefined) framings.set(request, framing);
}

/** The framing of the body a Request made from `input` and `init` has: the init's, else (none
 * given) the Request input's, as remembered; `body: null` leaves it without a body
 * (withoutBodyIfNull). */
function framingFor(input: unknown, init: unknown): number | typeof CHUNKED | undefined {
  const body = isIdlObject(init) ? (init as { body?: unknown }).body : undefined;
  if (body === undefined) return framings.get(input as object);
  return body === null || body instanceof FormData ? undefined : framingOf(body);
}

function knownLength(body: unknown): number | undefined {
  if (typeof body === "string") return utf8Length(body);
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return body.byteLength;
  if (body instanceof Blob) return body.size;
  // A stream's length is unknown (a FormData body was encoded as a Blob: nodeInit).
  if (body instanceof ReadableStream) return undefined;
  // Anything else is sent as its string (URLSearchParams, a number, an object's "[object Object]").
  return utf8Length(String(body));
}

/** Gives `request` the `cf` of `init` or of the Request `input` (Node's Request drops it), with
 * what a `cache` mode adds to it. */
export function carryCf(request: Request, input: unknown, init: unknown, cache?: "no-store" | "no-cache"): Request {
  const cf = carriedCf(request, input, init, cache);
  if (cf !== undefined) defineCf(request, cf);
  return request;
}

/** The `cf` carryCf gives (a JSON copy), or undefined when there is none or `request` has it already. */
function carriedCf(request: Request, input: unknown, init: unknown, cache: "no-store" | "no-cache" | undefined): Record<string, unknown> | undefined {
  const fromInit = isIdlObject(init) ? (init as { cf?: unknown }).cf : undefined;
  const given = fromInit ?? (input instanceof Request ? (input as { cf?: unknown }).cf : undefined);
  if (cache === undefined && (given === undefined || given === (request as { cf?: unknown }).cf)) return undefined;
  const copy = given === undefined ? {} : (JSON.parse(JSON.stringify(given)) as Record<string, unknown>);
  return cache === undefined ? copy : withCacheMode(copy, cache);
}

function defineCf(request: Request, cf: Record<string, unknown>): void {
  Object.defineProperty(request, "cf", { value: cf, enumerable: true, configurable: true });
}

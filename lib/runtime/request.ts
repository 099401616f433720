/**
 * The Workers `Request` as Worker code constructs it: a stream body needs no `duplex` (the
 * runtime neither asks for one nor refuses one), so `new Request(url, { method: "POST", body:
 * request.body })`, the usual way to forward a request, works as in production, and a stream
 * body may have any views (see asBytes). It keeps the `cf` object its init
 * (or the Request it copies) gives, as `request.cf` (a JSON copy; its clones have it too; a
 * handler's request has it frozen), and
 * the init's Fetcher as `request.fetcher` (null without one). A FormData body is encoded as the
 * runtime encodes it (multipart.ts), so that sent it is framed with its length. Its
 * init is converted and checked as the runtime's is, in its order (init-conversion.ts): its
 * method is one of the HTTP methods the runtime knows, matched without regard to case and
 * upper-cased (`patch` reads "PATCH"; "foo" is refused). Everything else is Node's Request
 * unchanged: a Request Node's class made is an instance too.
 */
import { constructWithMachineMicrotasks, machineMicrotasks } from "../util/real-microtasks.js";
import { refuseInGlobalScope } from "./globals/global-scope-refusal.js";
import { inRuntimeWords } from "./globals/runtime-words.js";
import { LOCKED_TO_READER } from "./globals/stream-words.js";
import { runtimeMethod, withNodeMethod } from "./method-stand-ins.js";
import { bindBodyHere, bindBodyLike } from "./body-contexts.js";
import { handsChunksAsGiven, handsChunksLike } from "./given-chunks.js";
import { readsLike, readsOneAtATime } from "./single-reads.js";
import { asBytes, fetchInput, STREAM_LOCKED, initWith, isHostRequest, isUncached, markUncached, receiveRequestsAs, rememberFraming, withoutBodyIfNull } from "./http-request.js";
import { checkRequest, convertRequestInit, type RequestMembers } from "./init-conversion.js";
import { multipartBody } from "./multipart.js";
import { checkInitArgument, checkReceivers, notOfTypeInConstructor, tagInterface } from "../util/webidl.js";
import { readRequestsAs } from "../storage/http-classes.js";
import { carryValues } from "../util/header-values.js";
import { readsNative, readsNativeMembers } from "../util/native-names.js";

/** The `cf` of each Request made with one. */
const cfs = new WeakMap<object, unknown>();
/** The `fetcher` of each Request made with one. */
const fetchers = new WeakMap<object, object>();
/** Requests made with an AbortSignal (or from a Request that has one): Node's Request shows a
 * signal it was given only once that aborts, the runtime's refuses to cross RPC with any. */
const signalled = new WeakSet<object>();

/** The AbortSignal each Request was made with, or that the Request it copies or clones has: its
 * `signal` is that very one, as the runtime's (Node's Request has a signal of its own that
 * follows it). */
const givenSignals = new WeakMap<object, AbortSignal>();

/** Whether `request` carries an AbortSignal it was given (see signalled). */
export function carriesSignal(request: object): boolean {
  return signalled.has(request);
}

/** Node's Request, as it was before a test runner put this one on the global object. */
const NodeRequest: typeof globalThis.Request = globalThis.Request;

export class Request extends NodeRequest {
  /** The init's cf, a JSON copy (a getter on the prototype, below). */
  declare readonly cf: unknown;
  /** The init's Fetcher, else null (a getter on the prototype, below). */
  declare readonly fetcher: object | null;

  static override [Symbol.hasInstance](value: unknown): boolean {
    return this === Request ? value instanceof NodeRequest : Function.prototype[Symbol.hasInstance].call(this, value);
  }

  constructor(input: ConstructorParameters<typeof globalThis.Request>[0], init?: RequestInit) {
    // The input is converted first (anything but a Request, a Proxy of one too, as a string), as
    // the runtime's binding converts its arguments in order: a Symbol is refused before the init
    // is looked at. The input is required (an explicit undefined converts as "undefined").
    if (arguments.length === 0) throw notOfTypeInConstructor("Request", 1, "Request or string");
    const source = fetchInput(input);
    checkInitArgument(init, "Request", "RequestInitializerDict or Request");
    // Converted, then checked, in the runtime's order (init-conversion.ts); Node's Request gets
    // the converted members only. A method the runtime knows is sent upper-cased (Node keeps
    // `patch` as given and takes any token).
    const given = convertRequestInit(init);
    const method = checkRequest(source, given, (bodyReplaced) => checkMadeInput(source, bodyReplaced));
    // A Request given as the init hands its own body stream, which must be free to take (one
    // read from is refused as any stream body read from is, see asBytes).
    if (init instanceof NodeRequest && !init.bodyUsed && given?.body instanceof ReadableStream && given.body.locked) throw new TypeError(LOCKED_TO_READER);
    // As a Response's (websockets/response.ts): a body other than a stream is made one at once.
    if (given?.body !== undefined && given.body !== null && !(given.body instanceof ReadableStream)) refuseInGlobalScope();
    // TRACE as a stand-in Node takes (method-stand-ins.ts), read back as TRACE.
    const upperCased = withNodeMethod(method === undefined || method === given!.method ? given : { ...given, method });
    // A FormData body is encoded as the runtime encodes it, with a length known when it is sent.
    const members = upperCased?.body instanceof FormData ? { ...upperCased, body: multipartBody(upperCased.body) } : upperCased;
    // The stream whose bytes the body carries (read before Node's Request takes the input's).
    const carried = members?.body !== undefined ? members.body : source instanceof NodeRequest ? source.body : null;
    // `body: null` leaves it without a body, as the runtime's (Node's would keep the input's).
    const putBack = machineMicrotasks();
    try {
      super(withoutBodyIfNull(source, members), withStreamBody(members));
    } catch (error) {
      throw inRuntimeWords(error);
    } finally {
      putBack();
    }
    readsLike(carried, this.body);
    // The empty values Node joins away (util/header-values.ts), from the init's headers or the Request copied.
    carryValues(this.headers, given?.headers ?? (source instanceof NodeRequest ? source.headers : undefined));
    const cf = given?.cf ?? (source instanceof NodeRequest ? (source as { cf?: unknown }).cf : undefined);
    if (cf !== undefined) cfs.set(this, JSON.parse(JSON.stringify(cf)) as unknown);
    rememberFraming(this, source, members);
    if (given?.fetcher !== undefined && given.fetcher !== null) fetchers.set(this, given.fetcher);
    else if (given?.fetcher === undefined && fetchers.has(source as object)) fetchers.set(this, fetchers.get(source as object)!);
    bindMadeBody(this, source, given);
    if (members?.body instanceof ReadableStream) handsChunksAsGiven(this);
    else if (members?.body === undefined && source instanceof NodeRequest) handsChunksLike(this, source);
    const signal = given?.signal;
    if (signal === undefined ? signalled.has(source as object) : signal !== null) signalled.add(this);
    // A copy of a received request has no cache mode either, unless its init gives one.
    if (given?.cache === undefined && isUncached(source)) markUncached(this);
    const kept = signal === undefined ? givenSignals.get(source as object) : signal;
    if (kept instanceof AbortSignal) givenSignals.set(this, kept);
  }

}

// As the runtime's constructor, whatever its parameters.
Object.defineProperty(Request, "length", { value: 0 });

/** What the runtime's Request has none of: the browser's fetch members (undefined there). */
const ABSENT = ["mode", "credentials", "destination", "referrer", "referrerPolicy", "duplex", "isReloadNavigation", "isHistoryNavigation"];
const nodeGetter = (name: string) => Object.getOwnPropertyDescriptor(NodeRequest.prototype, name)!.get!;
const nodeCache = nodeGetter("cache");
const nodeMethodGetter = nodeGetter("method");
const nodeSignal = nodeGetter("signal");

// As the runtime's, enumerable getters: the method (TRACE for its stand-in, method-stand-ins.ts),
// the init's cf (a copy), and the Fetcher (a service
// binding, a Durable Object stub) its init, or the Request it copies, gave, else null; the
// signal it was given; a cache mode only if one was given ("default" cannot be); and none of
// the browser's members the runtime lacks.
Object.defineProperties(Request.prototype, {
  ...Object.fromEntries(ABSENT.map((name) => [name, { get: () => undefined, enumerable: true, configurable: true }])),
  method: {
    get(this: Request) {
      return runtimeMethod(nodeMethodGetter.call(this) as string);
    },
    enumerable: true,
    configurable: true,
  },
  cache: {
    get(this: Request) {
      const cache: unknown = nodeCache.call(this);
      return cache === "default" || isUncached(this) ? undefined : cache;
    },
    enumerable: true,
    configurable: true,
  },
  signal: {
    get(this: Request) {
      return givenSignals.get(this) ?? (nodeSignal.call(this) as AbortSignal);
    },
    enumerable: true,
    configurable: true,
  },
  cf: {
    get(this: Request) {
      return cfs.get(this);
    },
    enumerable: true,
    configurable: true,
  },
  fetcher: {
    get(this: Request) {
      return fetchers.get(this) ?? null;
    },
    enumerable: true,
    configurable: true,
  },
});

// Node's typings declare clone() as a field, so it is replaced on the prototype: a clone is of
// the original's class and keeps its cf and signal. (Node's clone() is read at each call:
// host-apis.ts wraps it once the emulator runs.)
Object.defineProperty(Request.prototype, "clone", {
  // A method named clone, as the runtime's is.
  value: {
    clone(this: Request) {
      const copy = NodeRequest.prototype.clone.call(this);
      Object.setPrototypeOf(copy, Object.getPrototypeOf(this));
      if (cfs.has(this)) cfs.set(copy, structuredClone(cfs.get(this)));
      if (fetchers.has(this)) fetchers.set(copy, fetchers.get(this)!);
      if (signalled.has(this)) signalled.add(copy);
      if (givenSignals.has(this)) givenSignals.set(copy, givenSignals.get(this)!);
      if (isUncached(this)) markUncached(copy);
      rememberFraming(copy, this, undefined);
      return copy;
    },
  }.clone,
  writable: true,
  configurable: true,
});

/**
 * Refuses what Node's Request refuses of its input (a URL that does not parse, a Request whose
 * body was read and is not replaced by the init's), at the point where the runtime checks it
 * (checkRequest): in the runtime's words in Worker and object code, Node's elsewhere.
 */
function checkMadeInput(source: string | globalThis.Request, bodyReplaced: boolean): void {
  if (typeof source !== "string" && !bodyReplaced && !source.bodyUsed) {
    // A body a reader holds cannot be taken (Node's words: "Invalid state: ReadableStream is locked").
    if (source.body?.locked === true) throw new TypeError(STREAM_LOCKED);
    return;
  }
  if (typeof source === "string" ? URL.canParse(source) : bodyReplaced) return;
  try {
    new NodeRequest(source);
  } catch (error) {
    throw inRuntimeWords(error);
  }
}

/** A body given as no stream belongs to the context making the Request (body-contexts.ts); one
 * taken from a Request input stays where that Request's was. */
function bindMadeBody(request: Request, input: unknown, init: RequestMembers | undefined): void {
  const body = init?.body;
  if (body === undefined) {
    if (input instanceof NodeRequest) bindBodyLike(request, input);
  } else if (body !== null && !(body instanceof ReadableStream)) {
    bindBodyHere(request);
    readsOneAtATime(request.body);
  }
}

/**
 * The Request a receiver gets for `request` sent over RPC: a new one (headers of its own,
 * mutable; no signal; a copy of its cf), whose body is `body` (the sender's, moved).
 */
export function receivedOverRpc(request: globalThis.Request, body: ReadableStream | null): Request {
  const init = { body, duplex: "half", signal: null } as RequestInit;
  const copy = constructWithMachineMicrotasks<Request>(NodeRequest, [request, init], Request);
  carryValues(copy.headers, request.headers);
  if (cfs.has(request)) cfs.set(copy, structuredClone(cfs.get(request)));
  return copy;
}

/** `init` with a stream body as Node takes one; any other init as it is. */
function withStreamBody(init: RequestMembers | undefined): RequestInit | undefined {
  const body = init?.body;
  return body instanceof ReadableStream ? initWith(init!, { body: asBytes(body), duplex: "half" }) : (init as RequestInit | undefined);
}

readsNativeMembers(readsNativeMembers(readsNative(Request, "Request")).prototype);
// The members it adds refuse another receiver as the runtime's do (Node's own say only "Illegal
// invocation", and the cf and fetcher getters answered for any object), and it has its tag.
checkReceivers(Request.prototype, isHostRequest);
tagInterface(Request.prototype, "Request");

// What storage reads back is this class, as Worker code has it (see storage/http-classes.ts), and
// so is what a handler receives (http-request.ts), without a cache mode: the one it was sent with
// travelled as its cache-control headers.
readRequestsAs(Request);
// A handler's request has its cf frozen through and through, as the runtime hands it over (a
// copy, by new Request() or clone(), is not).
receiveRequestsAs(Request, (request, cf) => cfs.set(request, deepFreeze(cf)));

/** `value` (JSON data: plain objects, arrays, primitives) with every object in it frozen. */
function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
}

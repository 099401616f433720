import { types } from "node:util";
import { Serializer } from "node:v8";
import {
  assembleError,
  copyHeaders,
  dissectError,
  isUnreadableErrorMessage,
  rpcRefusal,
  serialisedTypeName,
  unreadableMessage,
  v8ErrorCopy,
  v8Refusal,
} from "../../storage/host-objects.js";
import { isOf } from "../../util/host-kind.js";
import { hasBrand, hasBrandOrProxyOf, RPC_STUB_BRAND, RPC_TARGET_BRAND, SERVICE_STUB } from "../brands.js";
import { codeFeatures } from "../code-context.js";
import type { CodeFeatures } from "../code-features.js";
import { runtimeSideError } from "../errors.js";
import type { ArrivesIn, IoContext } from "../io-context.js";
import { type Capability, handle, handleOf, HandleState } from "./handles.js";
import { rpcPromiseType } from "./promises.js";
import { STREAM_LOCKED } from "../http-request.js";
import { withGuardOf } from "../immutable-headers.js";
import { carriesSignal } from "../request.js";
import { receivedMessage } from "./messages.js";
import { transferStream, transferWritable } from "./streams.js";
import { FACET_STUB_REFUSAL, isFacetStub } from "./facet-stubs.js";
import { FORWARD } from "./wildcard.js";
import { isIndexKey } from "../../util/array-index.js";
import { mapEntries, setValues } from "../../util/collections.js";
import { inCodeRealm } from "../../util/code-realm.js";
import { copiedDomException, runtimeDomException } from "../../util/dom-exception.js";
import { domExceptionFacts, isDomException, isErrorValue } from "../../util/error-kinds.js";
import { seenThrough } from "../../util/views.js";
import { madeAsRpcTarget } from "../../util/webidl.js";

/**
 * One copy of a value across an RPC boundary. Functions and RpcTargets of the sending side
 * become capabilities (made by `capabilityFor`, which knows where the sender lives); stubs the
 * sender holds are duplicated for a call's parameters (compatibility flag rpc_params_dup_stubs),
 * so the sender keeps its own, and moved by a result: the sender's are disposed once the result
 * is copied (moveHeld), as in the runtime (conformance "rpc results move stubs: ..."). Every
 * handle made for the receiver is remembered: a call's parameters are disposed when the call
 * returns, a result's when the result is disposed.
 */
export class Transfer implements StubPolicy {
  /** Made on the first stub: most transfers (primitives, plain data) make none. */
  #handles: HandleState[] | undefined;
  /** The sender's own stubs handed over (see moveHeld). */
  #held: HandleState[] | undefined;
  /** The Fetchers' endpoints made for a receiver not yet known (see fetcherFor). */
  #arriving: ArrivesIn[] | undefined;

  /**
   * `owner`: the object or Worker event whose code sends the value, if one does (its streams end
   * with it); `receiver`: the I/O context the stubs arrive in, where known (a result's caller).
   */
  constructor(
    private readonly capabilityFor: (value: object) => Capability,
    private readonly owner?: object,
    private readonly receiver?: IoContext,
  ) {}

  /** The sending object's or Worker event's compatibility features (its Worker's), where one sends. */
  get senderFeatures(): CodeFeatures | undefined {
    return (this.owner as { codeFeatures?: CodeFeatures } | undefined)?.codeFeatures;
  }

  /** The receiver's stub for a function, an RpcTarget or a stub the sender holds. */
  stubFor(value: object): Function {
    const held = handleOf(value);
    if (held === undefined) return this.#keep(new HandleState(this.capabilityFor(value), false, this.receiver));
    (this.#held ??= []).push(held);
    return this.#keep(held.handOver(this.receiver));
  }

  /** A result's copy is made (or failed past them): the sender's own stubs in it are moved to the receiver (disposed here). */
  moveHeld(): void {
    for (const held of this.#held ?? []) held.dispose();
  }

  /** The Fetcher the receiver gets for a Durable Object stub: its receiver's, once known (see arrivedIn). */
  fetcherFor(stub: object): unknown {
    const crossed = (stub as Record<symbol, unknown>)[SERVICE_STUB] as Record<symbol, unknown>;
    const endpoint = crossed[FORWARD] as Partial<ArrivesIn> | undefined;
    if (typeof endpoint?.arriveIn === "function") {
      if (this.receiver !== undefined) endpoint.arriveIn(this.receiver);
      else (this.#arriving ??= []).push(endpoint as ArrivesIn);
    }
    return crossed;
  }

  /** The call these stubs are parameters of reached its receiver, running in `context`: they are its now. */
  arrivedIn(context: IoContext): void {
    for (const made of this.#handles ?? []) made.arriveIn(context);
    for (const endpoint of this.#arriving ?? []) endpoint.arriveIn(context);
  }

  moveStream(stream: ReadableStream): ReadableStream {
    return transferStream(stream, this.owner);
  }

  moveWritable(sink: WritableStream): WritableStream {
    return transferWritable(sink, this.owner);
  }

  moveMessage(message: Request | Response): Request | Response {
    return receivedMessage(message, this.owner);
  }

  /** How many stubs it made: handles, and Fetchers still to bind to their receiver. */
  get size(): number {
    return (this.#handles?.length ?? 0) + (this.#arriving?.length ?? 0);
  }

  /** Disposes every handle this transfer made (those the receiver dup()ed live on). */
  dispose(): void {
    for (const made of this.#handles ?? []) made.dispose();
  }

  #keep(made: HandleState): Function {
    (this.#handles ??= []).push(made);
    return handle(made);
  }
}

function cloneError(message: string): DOMException {
  return runtimeDomException(message, "DataCloneError");
}

/**
 * What the runtime's serialiser writes but its receiver cannot read back: a SharedArrayBuffer
 * (a view over one too), and an Error reached again from inside itself (its cause, an own
 * property, an AggregateError's errors: V8 gives an error its back-reference only once it has
 * read the whole error). The receiver fails with this error (flagged as its own by the caller).
 */
const unreadableCopies = new WeakSet<Error>();

function unreadableCopy(): Error {
  const error = new Error("Unable to deserialize cloned data.");
  unreadableCopies.add(error);
  return error;
}

/** Whether `error` is a receiver's failure to read a copy (see unreadableCopy, and an error
 * message that is no string: assembleError). */
export function isUnreadableCopy(error: unknown): boolean {
  return isUnreadableErrorMessage(error) || (error instanceof Error && unreadableCopies.has(error));
}

/**
 * Runtime objects made outside rpc/ whose kind RPC cannot see: each is refused with its type's
 * name (the runtime's `exports` bindings, callable as they are), or crosses as itself (an opaque
 * reference such as a DurableObjectClass).
 */
const AS_ITSELF = Symbol("crosses as itself");
const registered = new WeakMap<object, string | typeof AS_ITSELF>();

/** RPC refuses `value` as the runtime refuses its type `type`. */
export function refuseOverRpc(value: object, type: string): void {
  registered.set(value, type);
}

/** RPC passes `value` on as it is (an opaque, immutable reference). */
export function passOverRpcAsItself(value: object): void {
  registered.set(value, AS_ITSELF);
}

/**
 * Copies a value across an RPC boundary with the runtime's rules: structured-clone types are
 * copied (so neither side sees the other's later mutations), functions and RpcTarget
 * instances become stubs, and any other class instance is refused with the runtime's
 * DataCloneError.
 */
export function cloneForRpc(value: unknown, transfer: StubPolicy): unknown {
  if (isPrimitive(value)) {
    if (typeof value === "string") limitSize(value, value.length);
    return value;
  }
  const cloner = new RpcCloner(transfer);
  const copy = cloner.clone(value);
  limitSize(copy, cloner.roughSize);
  if (cloner.unreadable) throw cloner.unreadable;
  return inCodeRealm(copy);
}

/**
 * Whether every argument is a primitive, which copies as itself (arguments usually are: the
 * cloner, and a transfer for stubs, are then skipped). Refuses primitives past the size limit.
 */
export function primitiveArgs(args: unknown[]): boolean {
  let roughSize = 0;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!isPrimitive(arg)) return false;
    if (typeof arg === "string") roughSize += arg.length;
  }
  limitSize(args, roughSize);
  return true;
}

/** Copies arguments that are not all primitives (see primitiveArgs). */
export function cloneArgs(args: unknown[], transfer: StubPolicy): unknown[] {
  const cloner = new RpcCloner(transfer);
  const copy = cloner.clone(args) as unknown[];
  limitSize(copy, cloner.roughSize);
  if (cloner.unreadable) throw cloner.unreadable;
  return inCodeRealm(copy);
}

const RPC_SIZE_LIMIT = 32 * 1024 * 1024;

/**
 * The runtime refuses an RPC payload (the arguments array, or the result) whose serialization
 * exceeds 32 MiB. Measuring means serialising, so it happens only when the rough size (string
 * characters and buffer bytes seen while copying) reaches half the limit: a character takes at
 * most two bytes. Payloads holding stubs cannot be serialised here; their rough size stands in.
 */
function limitSize(value: unknown, roughSize: number): void {
  // Every call and result passes here. Measuring is apart: V8 inlines a function into its
  // callers by its whole size, rarely taken paths included, within a budget per caller.
  if (roughSize >= RPC_SIZE_LIMIT / 2) measureSize(value, roughSize);
}

function measureSize(value: unknown, roughSize: number): void {
  let size = roughSize;
  try {
    const serializer = new Serializer();
    serializer.writeHeader();
    serializer.writeValue(value);
    size = serializer.releaseBuffer().byteLength;
  } catch {
    // A stub inside: keep the rough size.
  }
  if (size > RPC_SIZE_LIMIT) {
    throw runtimeSideError(
      new Error(`Serialized RPC arguments or return values are limited to 32MiB, but the size of this value was: ${size} bytes.`),
    );
  }
}

function isPrimitive(value: unknown): boolean {
  const type = typeof value;
  return value === null || (type !== "object" && type !== "function" && type !== "symbol");
}

/** What a copy may hold besides plain data: stubs and streams (arguments and results), or
 * neither (errors thrown across). */
export interface StubPolicy {
  stubFor(value: object): unknown;
  moveStream(stream: ReadableStream): unknown;
  /** A WritableStream the receiver gets to write into. */
  moveWritable(sink: WritableStream): unknown;
  /** A Request or Response the receiver gets (rpc/messages.ts). */
  moveMessage(message: Request | Response): unknown;
  /** The Fetcher the receiver gets for a Durable Object stub (absent: one bound to no context). */
  fetcherFor?(stub: object): unknown;
  /**
   * Copying a thrown value: the runtime serialises it as storage does, so class instances and
   * null-prototype objects copy as plain objects, and no stub (a Durable Object's included)
   * can be carried.
   */
  readonly thrownValue?: boolean;
  /** The sending code's compatibility features, where known (else the running code's): they decide how errors are written. */
  readonly senderFeatures?: CodeFeatures;
}

const PROXY_REFUSAL =
  "Proxy could not be serialized because it is not a valid RPC receiver type. The Proxy must emulate either a plain object or an RpcTarget, as indicated by the Proxy's prototype chain.";

/** What #seen holds for an Error while it is being copied (until its copy replaces it). */
const COPYING = Symbol("copying");

class RpcCloner {
  readonly #seen = new Map<object, unknown>();
  /** String characters and buffer bytes copied so far (see limitSize). */
  roughSize = 0;
  /**
   * How the receiver fails to read the copy, at the first thing it cannot read (see
   * unreadableCopy; an error's message that is no string). The runtime still writes the rest,
   * so a class instance found later is refused first (a DataCloneError of the sender's) and the
   * payload's size is still limited: the copy goes on, and its caller fails it at the end.
   */
  unreadable: Error | undefined;

  constructor(private readonly stubs: StubPolicy) {}

  clone(value: unknown): unknown {
    if (typeof value === "symbol") throw cloneError(`${String(value)} could not be cloned.`);
    if (isPrimitive(value)) {
      if (typeof value === "string") this.roughSize += value.length;
      return value;
    }
    const object = value as object;
    const seen = this.#seen.get(object);
    if (seen !== undefined) {
      // An Error reached again from inside itself (its cause, an own property).
      if (seen === COPYING) this.unreadable ??= unreadableCopy();
      return seen === COPYING ? undefined : seen;
    }
    // durasim's own stubs and promises are proxies too: they come first.
    const promiseType = rpcPromiseType(object);
    if (promiseType !== undefined) throw cloneError(`Could not serialize object of type "${promiseType}". This type does not support serialization.`);
    if (handleOf(object) !== undefined) return this.#remember(object, this.stubs.stubFor(object));
    const special = registered.get(object);
    if (special === AS_ITSELF) return object;
    if (special !== undefined) throw cloneError(`Could not serialize object of type "${special}". This type does not support serialization.`);
    if (types.isProxy(object)) return this.#remember(object, this.#proxy(object));
    if (typeof object === "function") return this.#remember(object, this.stubs.stubFor(object));
    // Known by how it was made, not by its prototype: an object made with Object.create() from an
    // RpcTarget class's prototype is refused below, as a class instance RPC cannot copy.
    if (madeAsRpcTarget(object)) return this.#remember(object, this.stubs.stubFor(object));
    if (Array.isArray(object)) return this.#array(object);
    // Kinds are told by internal type, not instanceof: values made in another realm (a test
    // runner's vm context, where Jest runs tests and Worker modules) are the same kinds.
    // An error is one by internal type, whatever its prototype (util/error-kinds.ts).
    if (isErrorValue(object)) {
      const thrown = this.stubs.thrownValue === true && this.#seen.size === 0;
      this.#seen.set(object, COPYING);
      return this.#remember(object, this.#error(object, thrown));
    }
    const proto = Object.getPrototypeOf(object);
    if (isObjectPrototype(proto) && !types.isArgumentsObject(object)) return this.#plain(object);
    if (types.isMap(object)) return this.#map(object);
    if (types.isSet(object)) return this.#set(object);
    if (types.isArrayBuffer(object)) return this.#buffer(object);
    if (ArrayBuffer.isView(object)) return this.#view(object);
    if (types.isSharedArrayBuffer(object)) {
      this.unreadable ??= unreadableCopy();
      return undefined;
    }
    if (types.isDate(object) || types.isRegExp(object) || types.isBoxedPrimitive(object)) {
      const refusal = v8Refusal(object);
      if (refusal !== undefined) throw cloneError(refusal);
      return this.#remember(object, structuredClone(object));
    }
    const refusal = rpcRefusal(object) ?? v8Refusal(object);
    if (refusal !== undefined) throw cloneError(refusal);
    return this.#remember(object, this.#hostObject(object, proto));
  }

  /** Host objects that cross RPC (by what they hold: isOf): streams move, Requests and Responses
   * arrive as new ones with the sender's bodies moved into them, Headers (with their guard) and
   * Blobs are copied. Any other class instance is refused. */
  #hostObject(object: object, proto: object | null): unknown {
    if (isOf(object, ReadableStream)) return this.stubs.moveStream(object);
    if (isOf(object, WritableStream)) return this.stubs.moveWritable(object);
    if (isOf(object, Request) || isOf(object, Response)) {
      if (object.bodyUsed || object.body?.locked) throw new TypeError(STREAM_LOCKED);
      // A Request carrying a signal is refused; Node's shows one it was given only once aborted,
      // the Worker Request remembers being given one.
      if (object instanceof Request && (object.signal.aborted || carriesSignal(object))) throw cloneError("AbortSignal serialization is not enabled.");
      // A Response to an upgrade cannot cross: its WebSocket cannot.
      const socket = (object as { webSocket?: object | null }).webSocket;
      if (socket != null) throw cloneError(rpcRefusal(socket)!);
      return this.stubs.moveMessage(object);
    }
    if (isOf(object, Headers)) return withGuardOf(object, copyHeaders(object));
    if (isOf(object, Blob)) return new Blob([object], { type: object.type });
    if (this.stubs.thrownValue === true) return this.#plain(object);
    const type = serialisedTypeName(proto);
    throw cloneError(`Could not serialize object of type "${type}". This type does not support serialization.`);
  }

  /** A Proxy that emulates a plain object or an RpcTarget (or a function) crosses as a stub. */
  #proxy(proxy: object): unknown {
    // A view (what the Miniflare front door gave Node code) crosses as the object it stands for,
    // as Miniflare's proxy server sends the object its proxy refers to.
    const real = seenThrough(proxy);
    if (real !== proxy) return this.clone(real);
    if (isFacetStub(proxy)) throw cloneError(FACET_STUB_REFUSAL);
    let proto: unknown;
    try {
      proto = Object.getPrototypeOf(proxy);
    } catch {
      throw new TypeError("Proxy is revoked");
    }
    // A Durable Object stub (a proxy of durasim's) crosses as the runtime's Fetcher.
    if (hasBrand(proxy, RPC_STUB_BRAND)) {
      if (this.stubs.thrownValue === true) return this.stubs.stubFor(proxy);
      return this.stubs.fetcherFor?.(proxy) ?? (proxy as Record<symbol, unknown>)[SERVICE_STUB];
    }
    const receiver = typeof proxy === "function" || isObjectPrototype(proto) || proto === null || hasBrandOrProxyOf(proxy, RPC_TARGET_BRAND);
    if (!receiver) throw cloneError(PROXY_REFUSAL);
    return this.stubs.stubFor(proxy);
  }

  /** A copy with the runtime's anatomy: type by name, message, and own properties copied (V8's, before 2026-04-21).
   * `thrown`: the error is the thrown value itself (not one inside it, as its cause). */
  #error(error: Error, thrown: boolean): Error {
    if (isDomException(error)) {
      const { name, message } = domExceptionFacts(error);
      // (A stack that is no string, replaced by the code, leaves the copy its own.)
      return typeof error.stack === "string" ? copiedDomException(message, name, error.stack, thrown) : runtimeDomException(message, name);
    }
    // Before enhanced_error_serialization the runtime leaves an Error to V8: its type, message,
    // stack (frames and all) and cause.
    if (!(this.stubs.senderFeatures ?? codeFeatures()).enhancedErrorSerialization) return v8ErrorCopy(error, (cause) => this.clone(cause));
    const anatomy = dissectError(error);
    const refusal = unreadableMessage(anatomy.message);
    this.unreadable ??= refusal;
    const props = anatomy.props.map(([key, value]) => [key, this.clone(value)] as const);
    // An unreadable copy is never delivered: its properties were copied for what they refuse.
    return refusal === undefined ? withHeaderOnlyStack(assembleError({ ...anatomy, props })) : error;
  }

  #remember<T>(original: object, copy: T): T {
    this.#seen.set(original, copy);
    return copy;
  }

  /**
   * Arrays keep their holes, their length and their other own properties. As V8 writes them: a
   * packed array index by index up to its length when it started, any other by its own
   * enumerable keys; either way only elements still there when their turn comes (a getter may
   * delete them), so a sparse one (`a[2 ** 32 - 2] = x`) costs its elements, not its length.
   */
  #array(source: unknown[]): unknown[] {
    const copy = this.#remember(source, new Array<unknown>(source.length));
    const keys = Object.keys(source);
    const named = keys.filter((key) => !isIndexKey(key));
    const record = source as unknown as Record<string, unknown>;
    const length = source.length;
    if (keys.length - named.length === length) {
      for (let i = 0; i < length; i++) if (Object.hasOwn(source, i)) copy[i] = this.clone(source[i]);
    } else {
      for (const key of keys) if (isIndexKey(key) && Object.hasOwn(source, key)) (copy as unknown as Record<string, unknown>)[key] = this.clone(record[key]);
    }
    for (const key of named) if (Object.hasOwn(source, key)) defineData(copy, key, this.clone(record[key]));
    return copy;
  }

  #map(source: Map<unknown, unknown>): Map<unknown, unknown> {
    const copy = this.#remember(source, new Map());
    for (const [key, entry] of mapEntries(source)) copy.set(this.clone(key), this.clone(entry));
    return copy;
  }

  #set(source: Set<unknown>): Set<unknown> {
    const copy = this.#remember(source, new Set());
    for (const entry of setValues(source)) copy.add(this.clone(entry));
    return copy;
  }

  #plain(source: object): object {
    const copy = this.#remember(source, {} as Record<string, unknown>);
    for (const key of Object.keys(source)) {
      // As V8 writes one: a key a getter deleted before its turn is left out.
      if (!Object.hasOwn(source, key)) continue;
      const value = this.clone((source as Record<string, unknown>)[key]);
      // An own "__proto__" key (from JSON.parse, say) is data, not the prototype.
      if (key === "__proto__") defineData(copy, key, value);
      else copy[key] = value;
    }
    return copy;
  }

  /** A buffer is copied once, so every view over it shares the copy. */
  #buffer(source: ArrayBuffer): ArrayBuffer {
    this.roughSize += source.byteLength;
    const resizable = (source as ArrayBuffer & { resizable?: boolean; maxByteLength?: number }).resizable === true;
    const copy = resizable
      ? new (ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer)(source.byteLength, {
          maxByteLength: (source as ArrayBuffer & { maxByteLength: number }).maxByteLength,
        })
      : new ArrayBuffer(source.byteLength);
    new Uint8Array(copy).set(bytesOf(source));
    return this.#remember(source, copy);
  }

  #view(source: ArrayBufferView): ArrayBufferView | undefined {
    const buffer = this.clone(source.buffer) as ArrayBuffer | undefined;
    // Over a SharedArrayBuffer: the copy cannot be read (see unreadable), so it needs no view.
    if (buffer === undefined) return undefined;
    // By its built-in type: a Node Buffer arrives as the Uint8Array it is to the runtime.
    const View = (globalThis as Record<string, unknown>)[Object.prototype.toString.call(source).slice(8, -1)] as new (
      buffer: ArrayBuffer,
      offset: number,
      length: number,
    ) => ArrayBufferView;
    if (tracksLength(source)) return this.#remember(source, new (View as new (buffer: ArrayBuffer, offset: number) => ArrayBufferView)(buffer, source.byteOffset));
    const length = types.isDataView(source) ? source.byteLength : (source as unknown as { length: number }).length;
    return this.#remember(source, new View(buffer, source.byteOffset, length));
  }
}

/**
 * Whether `view` follows the length of its resizable buffer (it was made without a length),
 * which V8 keeps in a flag no property shows, and writes: the last byte its serializer writes
 * for a view alone is that flag word, whose bit 0 says length-tracking. A view the buffer
 * shrank past is refused in V8's words, as the runtime refuses it.
 */
function tracksLength(view: ArrayBufferView): boolean {
  if ((view.buffer as ArrayBuffer & { resizable?: boolean }).resizable !== true) return false;
  const serializer = new Serializer();
  serializer.writeHeader();
  try {
    serializer.writeValue(view);
  } catch (error) {
    throw cloneError((error as Error).message);
  }
  const bytes = serializer.releaseBuffer();
  return (bytes[bytes.length - 1]! & 1) === 1;
}

/** The bytes of `buffer`; a detached one is refused as the runtime refuses it. */
function bytesOf(buffer: ArrayBuffer): Uint8Array {
  try {
    return new Uint8Array(buffer);
  } catch {
    throw cloneError("An ArrayBuffer is detached and could not be cloned.");
  }
}

const OBJECT_CONSTRUCTOR_SOURCE = Function.prototype.toString.call(Object);

/**
 * An error leaves its stack behind when it crosses RPC: the runtime's copy has only the header
 * (`Name: message`), whatever the sender's stack held (frames, other text, or no string at all).
 * A thrown one is then given the caller's frames (stacks.ts).
 */
function withHeaderOnlyStack(copy: Error): Error {
  // Written through the stack property the copy's constructor made (assembleError), which keeps
  // its kind and place.
  copy.stack = Error.prototype.toString.call(copy);
  return copy;
}

/** Whether `proto` is `Object.prototype` of this realm or of another one (a plain object's). */
export function isObjectPrototype(proto: unknown): boolean {
  if (proto === Object.prototype) return true;
  if (typeof proto !== "object" || proto === null || Object.getPrototypeOf(proto) !== null) return false;
  const constructor = Object.getOwnPropertyDescriptor(proto, "constructor")?.value;
  return typeof constructor === "function" && constructor.prototype === proto && Function.prototype.toString.call(constructor) === OBJECT_CONSTRUCTOR_SOURCE;
}

function defineData(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

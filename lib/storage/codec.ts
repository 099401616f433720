// Buffer from its module: the global is a getter, called at every use from optimised code.
import { Buffer } from "node:buffer";
import { Deserializer, Serializer } from "node:v8";
import { types } from "node:util";
import { mapEntries, setValues } from "../util/collections.js";
import { storedRequest, storedResponse } from "./http-classes.js";
import { inCodeRealm } from "../util/code-realm.js";
import { copiedDomException } from "../util/dom-exception.js";
import { domExceptionFacts, isDomException, isErrorValue } from "../util/error-kinds.js";
import { errorReference } from "../util/error-reference.js";
import { instanceRefusal, mayAskProxy, STORAGE_REFUSAL } from "../util/webidl.js";
import { isIndexKey } from "../util/array-index.js";
import { COMMON_HEADERS, headersOfValues } from "../util/header-values.js";
import {
  assembleError,
  constructorName,
  dataCloneError,
  dissectError,
  v8ErrorCopy,
  headerEntries,
  isUnreadableErrorMessage,
  storageRefusal,
  v8Refusal,
} from "./host-objects.js";
import { isOf } from "../util/host-kind.js";
import { WalkState } from "./walk-state.js";

/**
 * Values are stored as V8 ValueSerializer output with its header (format 15), byte-for-byte what
 * workerd writes. `v8.serialize()` must not be used: Node's default serializer encodes typed
 * arrays as Node host objects, which workerd cannot read.
 *
 * What workerd serialises itself (Errors with their own properties, DOMExceptions, Headers,
 * Requests and Responses without a body) is written in its host-object format, so a value keeps
 * what the runtime keeps and either side can read what the other wrote. Values without such
 * objects, the usual case, go to V8 as they are.
 */

/** workerd's tags for its host objects (after V8's own host-object tag); `cloneShared`, durasim's
 * for shared memory in a clone (CloneReferences), is never stored. */
const TAG = { domException: 8, error: 10, headers: 4, request: 5, response: 6, blob: 15, cloneShared: 0xffff } as const;
/** The version word workerd writes after a Headers tag. */
const HEADERS_VERSION = 3;

/** How storage's serialisers answer V8 (see StorageSerializer, storedValueSerializer). */
interface StorageAnswers {
  /** Clone failures surface as the DOMException the runtime throws, not Node's plain Error. */
  _getDataCloneError(message: string): Error;
  /** A SharedArrayBuffer is written, as workerd writes it (V8's tag and an id), and cannot be
   * read back (decodeValue). (A clone writes its own marker: CloneReferences.) */
  _getSharedArrayBufferId(): number;
}

const STORAGE_ANSWERS: StorageAnswers = {
  _getDataCloneError: dataCloneError,
  _getSharedArrayBufferId: () => 0,
};

class StorageSerializer extends Serializer {
  /** `clone`: the value is read back at once, in this process (cloneValue). */
  constructor(protected readonly clone?: CloneReferences) {
    super();
  }
}
Object.assign(StorageSerializer.prototype, STORAGE_ANSWERS);

/**
 * A serialiser answering as StorageSerializer does, for a value V8 writes alone (the usual stored
 * value): Node's own class with the answers set on it. Constructing a subclass of Node's
 * Serializer (or Deserializer) takes V8's slow path for a derived class of an API function (its
 * map found through `new.target`, the template instantiated), about 450 instructions a value;
 * two own properties cost a few dozen.
 */
function storedValueSerializer(): Serializer {
  const serializer = new Serializer() as Serializer & StorageAnswers;
  serializer._getDataCloneError = STORAGE_ANSWERS._getDataCloneError;
  serializer._getSharedArrayBufferId = STORAGE_ANSWERS._getSharedArrayBufferId;
  return serializer;
}

/**
 * What a clone read back in this process keeps by reference where storage needs bytes: each
 * Blob, in the order written (the order read; immutable, so a Blob over the same bytes is a
 * copy, and Node can only read its bytes asynchronously), and each SharedArrayBuffer or view of
 * one, which the runtime's clone shares (Node's deserializer cannot take one back).
 */
class CloneReferences {
  readonly blobs: Blob[] = [];
  readonly shared: Array<SharedArrayBuffer | ArrayBufferView> = [];
  /** Each SharedArrayBuffer's copy: another object over the same memory, as the runtime's. */
  readonly #sharedCopies = new Map<SharedArrayBuffer, SharedArrayBuffer>();

  /** The copy of the shared memory written at `index`: its buffer's copy, or a view of the same
   * kind over it. */
  sharedCopy(index: number): unknown {
    const shared = this.shared[index];
    if (shared === undefined) return undefined;
    const original = (ArrayBuffer.isView(shared) ? shared.buffer : shared) as SharedArrayBuffer;
    let buffer = this.#sharedCopies.get(original);
    // Node's structuredClone shares a SharedArrayBuffer's memory; its v8.Deserializer cannot.
    if (buffer === undefined) this.#sharedCopies.set(original, (buffer = globalThis.structuredClone(original)));
    if (!ArrayBuffer.isView(shared)) return buffer;
    if (types.isDataView(shared)) return new DataView(buffer, shared.byteOffset, shared.byteLength);
    // Its kind from its internal name (what %TypedArray%.prototype's toStringTag getter reads).
    const Kind = (globalThis as unknown as Record<string, new (b: ArrayBufferLike, o: number, n: number) => unknown>)[typedArrayTag.call(shared) as string]!;
    return new Kind(buffer, shared.byteOffset, (shared as unknown as { length: number }).length);
  }
}

const typedArrayTag = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag)!.get!;

/** A SharedArrayBuffer, or a view of one. */
function isSharedMemory(value: object): value is SharedArrayBuffer | ArrayBufferView {
  return types.isSharedArrayBuffer(value) || (ArrayBuffer.isView(value) && types.isSharedArrayBuffer(value.buffer));
}

/**
 * The serializer of primitive values, reused: V8 keeps nothing between values but objects (its
 * back-reference table holds only those), so a string or a number needs neither a serializer
 * of its own nor a walk for host objects, the cost of most stored values.
 */
const primitives = new StorageSerializer();

/**
 * The fewest bytes `value` serialises to, known without serialising it: a string's one byte per
 * UTF-16 unit (V8 writes a one-byte string so, a two-byte one with two), nothing for the rest.
 */
export function leastEncodedBytes(value: unknown): number {
  return typeof value === "string" ? value.length : 0;
}

/** How the owning Worker's compatibility date has errors stored (see encodeValue). */
export interface ValueFormat {
  /** enhanced_error_serialization (on from 2026-04-21): own properties and names kept; else V8's format. */
  readonly enhancedErrorSerialization: boolean;
}

/**
 * `value` serialised as storage holds it. `enhancedErrors`: errors as workerd writes them with
 * enhanced_error_serialization (own properties, names: its host object), else in V8's own format;
 * given as the Worker's ValueFormat, it is read only for a value holding an error or another
 * host object (finding an object's Worker costs a lookup, and most values hold none).
 * `cloneWords`: refused in the words of the runtime's structuredClone() (see refuseApiObject), as
 * a WebSocket's attachment is.
 */
export function encodeValue(value: unknown, enhancedErrors: boolean | ValueFormat = true, cloneWords = false): Uint8Array {
  if (value === null || (typeof value !== "object" && typeof value !== "function" && typeof value !== "symbol")) {
    try {
      primitives.writeHeader();
      primitives.writeValue(value);
    } catch (error) {
      // (Out of memory on a huge string, say.) The next value must start clean.
      primitives.releaseBuffer();
      throw error;
    }
    return primitives.releaseBuffer();
  }
  const top = unpooled(value);
  if (!needsCopy(top, undefined, cloneWords)) {
    const serializer = storedValueSerializer();
    serializer.writeHeader();
    serializer.writeValue(top);
    return serializer.releaseBuffer();
  }
  const enhanced = typeof enhancedErrors === "boolean" ? enhancedErrors : enhancedErrors.enhancedErrorSerialization;
  const serializer = new HostObjectSerializer(undefined, enhanced, cloneWords);
  serializer.writeHeader();
  serializer.writeValue(serializer.substitute(top));
  return serializer.releaseBuffer();
}

/**
 * A copy of `value` as the runtime's `structuredClone()` makes it: written by its serialiser,
 * the one storage writes with, and read back, so it keeps, refuses and words what storage does;
 * a Blob and a SharedArrayBuffer are kept by reference (CloneReferences). Each ArrayBuffer of
 * `transfer` (once each; a detached one is skipped) moves to the copy, and is detached only once
 * the value was written: a refused value leaves every buffer where it was. Errors as encodeValue
 * writes them (`enhancedErrors`). `cloneWords` false: API objects are refused in storage's words
 * (see refuseApiObject), as an entrypoint's props are.
 */
export function cloneValue(value: unknown, transfer: readonly ArrayBuffer[], enhancedErrors = true, cloneWords = true): unknown {
  const moving = [...new Set(transfer)].filter((buffer) => !isDetached(buffer));
  const clone = new CloneReferences();
  const top = unpooled(value);
  // A function too: the runtime's own callable objects (stubs) are refused in its words.
  const copying = (typeof top === "object" || typeof top === "function") && top !== null && needsCopy(top, clone, cloneWords);
  const serializer = copying ? new HostObjectSerializer(clone, enhancedErrors, cloneWords) : new StorageSerializer(clone);
  moving.forEach((buffer, id) => serializer.transferArrayBuffer(id, buffer));
  serializer.writeHeader();
  serializer.writeValue(copying ? (serializer as HostObjectSerializer).substitute(top) : top);
  const deserializer = hostObjectDeserializer(serializer.releaseBuffer(), clone);
  moving.forEach((buffer, id) => deserializer.transferArrayBuffer(id, detach(buffer)));
  deserializer.readHeader();
  return inCodeRealm(deserializer.readValue());
}

function isDetached(buffer: ArrayBuffer): boolean {
  const detached = (buffer as ArrayBuffer & { detached?: boolean }).detached;
  if (detached !== undefined || buffer.byteLength > 0) return detached === true;
  try {
    new Uint8Array(buffer); // (Node 20 has no `detached`: a view of a detached buffer throws)
    return false;
  } catch {
    return true;
  }
}

/** Detaches `buffer`, returning a buffer over its bytes (resizable if it was): Node's
 * structuredClone does that on every Node durasim runs on. */
function detach(buffer: ArrayBuffer): ArrayBuffer {
  return globalThis.structuredClone(buffer, { transfer: [buffer] });
}

/**
 * A fresh deserialized copy on every call, so callers never share objects with storage. What was
 * written but cannot be read back (a SharedArrayBuffer, an Error reached again from inside itself,
 * an Error whose message is no string) fails the read as workerd's storage does, which reports
 * it only as `internal error; reference = ...`.
 */
export function decodeValue(bytes: Uint8Array): unknown {
  try {
    return deserializeValue(bytes);
  } catch (error) {
    const unreadable = (error instanceof Error && error.message === V8_UNREADABLE) || isUnreadableErrorMessage(error);
    if (unreadable) throw new Error(`internal error; reference = ${errorReference()}`);
    throw error;
  }
}

/**
 * decodeValue without storage's wrapping: an unreadable value fails with the deserializer's own
 * words, as the runtime's WebSocket deserializeAttachment() reports it.
 */
export function deserializeValue(bytes: Uint8Array): unknown {
  const deserializer = hostObjectDeserializer(bytes);
  deserializer.readHeader();
  return inCodeRealm(deserializer.readValue());
}

/** V8's words for a value its deserializer cannot read. */
const V8_UNREADABLE = "Unable to deserialize cloned data.";

/**
 * Small Node Buffers live in a shared 8 KiB pool; serialising one as-is would store the whole
 * pool slab. Copy such a top-level Buffer so only its own bytes are stored (as a Uint8Array,
 * which is what the runtime returns for a Buffer).
 */
function unpooled(value: unknown): unknown {
  if (!types.isProxy(value) && Buffer.isBuffer(value) && value.byteLength !== value.buffer.byteLength) {
    return new Uint8Array(value);
  }
  return value;
}

// V8's own kinds are told by internal type, not instanceof: a value made in another realm (a
// test runner's vm context, where Jest runs tests and Worker modules) is the same kind, and V8
// serialises it as such.

/** What V8 writes with nothing of the value's own inside it. A SharedArrayBuffer is one too (it
 * has no own properties a copy could keep): copied past a getter as a record, it came back `{}`. */
function isLeaf(value: object): boolean {
  return (
    ArrayBuffer.isView(value) || types.isArrayBuffer(value) || types.isSharedArrayBuffer(value) || types.isDate(value) || types.isRegExp(value) || types.isBoxedPrimitive(value)
  );
}


/** Objects written in workerd's host-object format instead of by V8. */
function isHostValue(value: object): boolean {
  return isErrorValue(value) || isOf(value, Headers) || isOf(value, Request) || isOf(value, Response) || isOf(value, Blob);
}

/**
 * Walks the value as V8 will, without running any of its code: throws the runtime's error for
 * what it refuses, and says whether V8 must be given a copy instead of the value itself. A copy
 * is needed for workerd's host-object format, and where a getter stands in the way: V8 runs
 * each getter once as it writes, and a walk that ran it too would run it twice (a getter with
 * side effects would show that). From the first getter on, the copy does the checking as it
 * reads each property once, in V8's order (HostObjectSerializer.substitute).
 */
function needsCopy(root: unknown, clone?: CloneReferences, cloneWords = clone !== undefined): boolean {
  const walk = WalkState.begin(root);
  try {
    let found = false;
    while (walk.size > 0) {
      const value = walk.pop();
      // A symbol is refused where V8 meets it, before any host object written after it.
      if (typeof value === "symbol") refuseAsV8(value);
      if ((typeof value !== "object" && typeof value !== "function") || value === null || !walk.add(value)) continue;
      const host = refuseOrClassify(value, clone !== undefined, cloneWords);
      if (host === undefined) continue;
      if (host) found = true;
      // Children are visited in the order V8 writes them, so the first refusal is the runtime's.
      const from = walk.size;
      if (!pushChildren(walk, value, host)) return true;
      walk.reverseFrom(from);
    }
    return found;
  } finally {
    walk.end();
  }
}

/**
 * Throws the runtime's error if storage refuses `value`; otherwise undefined if V8 writes
 * nothing inside it (a function, which V8 refuses itself, a Proxy, a leaf), else whether it is
 * written in workerd's host-object format. `cloneWords`: see refuseApiObject.
 */
function refuseOrClassify(value: object, keepsBlobs = false, cloneWords = keepsBlobs): boolean | undefined {
  // The runtime refuses a Proxy without calling any of its traps (see mayAskProxy).
  if (types.isProxy(value)) {
    if (mayAskProxy(value)) refuseApiObject(value, cloneWords);
    rejectProxy(value);
  }
  // An array (no Proxy here) is written as an array whatever it inherits from: the runtime
  // stores one whose prototype is an API object's or EventTarget's (conformance: codec-kinds).
  // It is no shared memory, leaf, error or host object (V8's other kinds, or brands).
  if (Array.isArray(value)) return false;
  // A record inheriting only from Object.prototype (see inheritsOnlyOrdinary) has no API
  // prototype to find STORAGE_REFUSAL on: only other values are asked.
  const ordinary = typeof value === "object" && inheritsOnlyOrdinary(value);
  if (!ordinary) {
    refuseApiObject(value, cloneWords);
    // Any other function: V8 refuses it with the runtime's words.
    if (typeof value === "function") return undefined;
    // V8's own kinds it cannot write (a WeakMap, a Promise) are refused here too: in a copy
    // (past a getter, inside an error) they would otherwise be records V8 writes as `{}`.
    const refusal = storageRefusal(value, keepsBlobs) ?? v8Refusal(value);
    if (refusal !== undefined) throw dataCloneError(refusal);
  }
  if (keepsBlobs && isSharedMemory(value)) return true;
  if (isLeaf(value)) return undefined;
  return ordinary ? isErrorValue(value) : isHostValue(value);
}

/**
 * Whether `value` (no Proxy) inherits from nothing but this realm's Object.prototype: the
 * usual stored record. No class the refusals and host formats name is on such a chain, so
 * `instanceof` would answer no for each of them; asking them all was most of the walk's cost.
 * (Its internal kind can still be V8's Date, Map or error, or a DOMException: those checks stay.)
 */
function inheritsOnlyOrdinary(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Pushes what V8 writes inside `value` (of a host value, only an error's: the own properties
 * workerd keeps), each property read without running a getter; false, with nothing read past
 * it, at the first own getter.
 */
function pushChildren(pending: WalkState, value: object, host: boolean): boolean {
  // (A DOMException is written as its three texts: the runtime never looks at its own properties.)
  if (host) return isErrorValue(value) && !isDomException(value) ? pushOwnData(pending, value, Object.getOwnPropertyNames(value).filter((key) => !isIndexKey(key)), ERROR_FIELDS) : true;
  // Arrays by index, then their named properties (V8 writes both, and a Headers kept under one
  // must be found). An index with a getter (its own, or a prototype's where the array has a
  // hole) is never read here: V8 runs an own one once as it writes, and a prototype's never.
  // (Asked first: an array is no Map or Set.)
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (lookupGetter.call(value, i) !== undefined) return false;
      // At the first hole the rest is walked by its own keys: a sparse array
      // (`a[2 ** 32 - 2] = x`) costs its elements, not its length.
      if (!Object.hasOwn(value, i)) return pushKeysFrom(pending, value, i);
      pushObject(pending, value[i]);
    }
    return pushNamed(pending, value);
  } else if (types.isMap(value)) for (const [key, entry] of mapEntries(value)) {
    pending.push(key);
    pending.push(entry);
  }
  else if (types.isSet(value)) for (const entry of setValues(value)) pending.push(entry);
  else if (inheritsOnlyOrdinary(value)) return pushRecordData(pending, value);
  else return pushOwnData(pending, value, Object.keys(value));
  return true;
}

/**
 * pushChildren's walk of a record inheriting only from Object.prototype (or nothing; see
 * inheritsOnlyOrdinary), the usual stored value: its keys by `for...in`, which lists an object's
 * own keys first, in Object.keys() order, from its map's cache (no array made), and each getter
 * found without a descriptor (an object a key, most of a small record's garbage). A key it
 * inherits (one that code made enumerable on Object.prototype) is no property of its own. Not
 * for other objects: `for...in` would ask a Proxy on their prototype chain, running its traps.
 */
function pushRecordData(pending: WalkState, record: object): boolean {
  for (const key in record) {
    if (!Object.prototype.hasOwnProperty.call(record, key)) continue;
    if (lookupGetter.call(record, key) !== undefined) return false;
    pushObject(pending, (record as Record<string, unknown>)[key]);
  }
  return true;
}

/** pushChildren's walk of a holey array's elements after index `from`, and its named
 * properties, by its own keys. */
function pushKeysFrom(pending: WalkState, array: unknown[], from: number): boolean {
  for (const key of Object.keys(array)) {
    if (isIndexKey(key) && Number(key) <= from) continue;
    if (lookupGetter.call(array, key) !== undefined) return false;
    pushObject(pending, (array as unknown as Record<string, unknown>)[key]);
  }
  return true;
}

/** pushChildren's walk of a dense array's named properties: its keys past its indices (listed
 * first, one per element). Most arrays have none, which the count of keys shows. */
function pushNamed(pending: WalkState, array: unknown[]): boolean {
  const keys = Object.keys(array);
  for (let k = array.length; k < keys.length; k++) {
    if (lookupGetter.call(array, keys[k]!) !== undefined) return false;
    pushObject(pending, (array as unknown as Record<string, unknown>)[keys[k]!]);
  }
  return true;
}

/** The getter `key` finds on `object` or its prototypes, without running it and without making
 * a descriptor (a third of the cost of `Object.getOwnPropertyDescriptor` per index). */
const lookupGetter = (Object.prototype as unknown as { __lookupGetter__(this: object, key: PropertyKey): Function | undefined }).__lookupGetter__;

/** An Error's own properties the walk leaves to dissectError: `message` and `name`, which workerd
 * writes in fields of their own, and `stack`, which Node's V8 writes on its first read, reading
 * `name` and `message` (getters included) then: dissectError reads them first, as workerd does. */
const ERROR_FIELDS = new Set(["message", "name", "stack"]);

function pushOwnData(pending: WalkState, value: object, keys: string[], skipped?: Set<string>): boolean {
  for (const key of keys) {
    if (skipped?.has(key)) continue;
    const property = Object.getOwnPropertyDescriptor(value, key);
    if (property === undefined) continue;
    if (property.get !== undefined) return false;
    pushObject(pending, property.value);
  }
  return true;
}

/** Pushes what the walk looks at: an object, or a symbol (which V8 refuses). */
function pushObject(pending: WalkState, value: unknown): void {
  if (((typeof value === "object" || typeof value === "function") && value !== null) || typeof value === "symbol") pending.push(value);
}

/**
 * Throws why storage refuses one of the runtime's API objects (see STORAGE_REFUSAL), if `value`
 * is one. With `cloneWords` (structuredClone(), a WebSocket's attachment) a callable one (a stub,
 * an RPC promise or property, an `exports` binding) is refused as V8 refuses an object of a
 * class it cannot write, by its interface's name (`#<RpcStub> could not be cloned.`), where
 * storage gives its own words: checked with workerd.
 */
function refuseApiObject(value: object, cloneWords: boolean): void {
  const own = instanceRefusal(value);
  if (own !== undefined) throw dataCloneError(own);
  let refusal: unknown;
  try {
    refusal = (value as Record<symbol, unknown>)[STORAGE_REFUSAL];
  } catch {
    return; // a revoked Proxy: refused as V8 refuses it
  }
  if (typeof refusal !== "string") return;
  throw dataCloneError(cloneWords && typeof value === "function" ? `#<${constructorName(value)}> could not be cloned.` : refusal);
}

/** The kinds of target whose Proxy workerd's V8 calls "[object Object]": V8's own (but the
 * collections and buffers, which it names "#<Map>"), and URLs. */
const NAMED_AS_OBJECT = /^(Object|Array|Date|RegExp|Boolean|Number|String|BigInt|Symbol|\w+Array|URL|URLSearchParams)$/;

/**
 * Refuses a Proxy with the runtime's V8's words, calling none of its traps (neither does
 * Node's V8 as it words its refusal). Node's V8 names the built-in kind of a Proxy's target
 * where workerd's says Object ("[object Date]", "[object Array]" against "[object Object]"),
 * and Node's fetch classes by their bundled names ("#<_Headers>"); the other forms ("#<Map>",
 * an Error's or a function's text) agree.
 */
function rejectProxy(proxy: object): never {
  try {
    new Serializer().writeValue(proxy);
  } catch (error) {
    const [, form, name] = /^(\[object |#<)_?(\w+)[\]>] could not be cloned\.$/.exec((error as Error).message) ?? [];
    if (name === undefined) throw dataCloneError((error as Error).message);
    throw dataCloneError(form === "#<" || !NAMED_AS_OBJECT.test(name) ? `#<${name}> could not be cloned.` : "[object Object] could not be cloned.");
  }
  throw dataCloneError("[object Object] could not be cloned.");
}

/**
 * Serialises a copy of the value in which each host value is replaced by a marker that V8
 * treats as a host object (an instance of v8.Serializer, which has an internal field), so V8
 * hands it back to `_writeHostObject` with its place (and back-references) in the graph kept.
 */
class HostObjectSerializer extends StorageSerializer {
  readonly #copies = new Map<object, unknown>();
  /** How each marker is written: what its host value held when the copy reached it. */
  readonly #writers = new Map<object, () => void>();

  /** `enhancedErrors`, `cloneWords`: see encodeValue. */
  constructor(
    clone?: CloneReferences,
    private readonly enhancedErrors = true,
    private readonly cloneWords = clone !== undefined,
  ) {
    super(clone);
  }

  /**
   * The value with each host value replaced by a marker, every property read once, in the order
   * V8 would read it (a getter's side effects included), each object checked as it is reached
   * (needsCopy could not see past a getter). Arrays without holes stay packed, so V8 writes the
   * copy in the form it would write the original.
   */
  substitute(value: unknown): unknown {
    if (typeof value === "symbol") refuseAsV8(value);
    if ((typeof value !== "object" && typeof value !== "function") || value === null) return value;
    const done = this.#copies.get(value);
    if (done !== undefined) return done;
    const host = refuseOrClassify(value, this.clone !== undefined, this.cloneWords);
    if (host === undefined) {
      // What V8 refuses stops the write where it stands, before any later getter runs.
      if (typeof value === "function") refuseAsV8(value);
      return value;
    }
    if (host && !this.enhancedErrors && isErrorValue(value) && !isDomException(value)) {
      // Left to V8, which writes a native Error in its own format (a DOMException stays workerd's).
      return v8ErrorCopy(value, (cause) => this.substitute(cause), (copy) => this.#copies.set(value, copy));
    }
    if (host) {
      const marker = new Serializer();
      // Known before its contents are read, so a value that reaches it again refers back to it.
      this.#copies.set(value, marker);
      this.#writers.set(marker, this.#capture(value));
      return marker;
    }
    if (types.isMap(value)) {
      const copy = new Map();
      this.#copies.set(value, copy);
      // V8 takes the entries first: a getter inside one cannot change which are written.
      for (const [key, entry] of mapEntries(value)) copy.set(this.substitute(key), this.substitute(entry));
      return copy;
    }
    if (types.isSet(value)) {
      const copy = new Set();
      this.#copies.set(value, copy);
      for (const entry of setValues(value)) copy.add(this.substitute(entry));
      return copy;
    }
    // An array with a hole or a getter is one V8 writes as a sparse array, its length read
    // first (a getter that shortens it leaves a hole), so its copy has the same length, holey.
    const copy = (Array.isArray(value) && isPlainDense(value) ? [] : Array.isArray(value) ? new Array(value.length) : {}) as Record<string, unknown>;
    this.#copies.set(value, copy);
    for (const key of Object.keys(value)) {
      // V8 writes the keys it listed first, less any a getter has deleted since.
      if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
      Object.defineProperty(copy, key, { value: this.substitute((value as Record<string, unknown>)[key]), enumerable: true, writable: true, configurable: true });
    }
    return copy;
  }

  _writeHostObject(marker: object): void {
    this.#writers.get(marker)!();
  }

  /**
   * Reads a host value now, where V8 would write it (a later getter that changes it changes
   * nothing stored, and its own getters run in their place in the order), and returns how to
   * write what was read.
   */
  #capture(value: object): () => void {
    if (this.clone !== undefined && isSharedMemory(value)) {
      const index = this.clone.shared.push(value) - 1;
      return () => {
        this.writeUint32(TAG.cloneShared);
        this.writeUint32(index);
      };
    }
    if (isDomException(value)) {
      const { name, message } = domExceptionFacts(value);
      // An own `stack` code replaced is written as its string form (undefined as none).
      const stack: unknown = value.stack;
      const texts = [name, message, stack === undefined ? "" : `${stack as string}`];
      return () => {
        this.writeUint32(TAG.domException);
        for (const text of texts) this.#writeText(text);
      };
    }
    if (isErrorValue(value)) {
      const anatomy = dissectError(value);
      const props = this.substitute(Object.fromEntries(anatomy.props));
      return () => {
        this.writeUint32(TAG.error);
        this.writeUint32(anatomy.tag);
        if (anatomy.tag === 0) this.writeValue(anatomy.name);
        this.writeValue(anatomy.message);
        this.writeValue(props);
      };
    }
    if (isOf(value, Headers)) {
      const entries = headerEntries(value);
      return () => this.#writeHeaders(entries);
    }
    if (isOf(value, Blob)) {
      // Stored, only an empty Blob gets this far (see storageRefusal): its bytes are known. A
      // clone refers to the Blob itself.
      this.clone?.blobs.push(value);
      const type = value.type;
      return () => {
        this.writeUint32(TAG.blob);
        this.#writeText(type);
        this.#writeText("");
      };
    }
    if (isOf(value, Request)) {
      const url = value.url;
      const init = this.substitute(requestInit(value));
      return () => {
        this.writeUint32(TAG.request);
        this.#writeText(url);
        this.writeValue(init);
      };
    }
    const init = this.substitute(responseInit(value as Response));
    return () => {
      this.writeUint32(TAG.response);
      this.writeValue(null);
      this.writeValue(init);
    };
  }

  #writeHeaders(entries: ReturnType<typeof headerEntries>): void {
    this.writeUint32(TAG.headers);
    this.writeUint32(HEADERS_VERSION);
    this.writeUint32(entries.length);
    for (const [name, value] of entries) {
      const common = COMMON_HEADERS.indexOf(name) + 1;
      this.writeUint32(common);
      if (common === 0) this.#writeText(name);
      // The value is already the bytes the runtime stores (util/header-bytes.ts).
      this.#writeBytes(Buffer.from(value, "latin1"));
    }
  }

  #writeText(text: string): void {
    this.#writeBytes(Buffer.from(text, "utf8"));
  }

  #writeBytes(bytes: Buffer): void {
    this.writeUint32(bytes.byteLength);
    this.writeRawBytes(bytes);
  }
}

/** Throws V8's DataCloneError for a value it refuses (a function, a symbol, a Proxy), as it words it. */
function refuseAsV8(value: unknown): void {
  const serializer = new StorageSerializer();
  serializer.writeHeader();
  serializer.writeValue(value);
}

/** Whether each index of `array` is an own data property (V8 then writes it as a dense array). */
function isPlainDense(array: unknown[]): boolean {
  for (let i = 0; i < array.length; i++) if (!Object.prototype.hasOwnProperty.call(array, i) || lookupGetter.call(array, i) !== undefined) return false;
  return true;
}

/** The fields workerd writes for a Request (undefined: the default). */
function requestInit(request: Request): Record<string, unknown> {
  return {
    method: request.method === "GET" ? undefined : request.method,
    headers: request.headers,
    body: null,
    redirect: request.redirect === "follow" ? undefined : request.redirect,
    fetcher: undefined,
    cf: cfOf(request),
    cache: undefined,
    integrity: undefined,
    signal: undefined,
    encodeResponseBody: undefined,
  };
}

function responseInit(response: Response): Record<string, unknown> {
  return {
    status: response.status,
    statusText: response.statusText === "" ? undefined : response.statusText,
    headers: response.headers,
    cf: cfOf(response),
    webSocket: undefined,
    encodeBody: undefined,
  };
}

/** The `cf` object the runtime's Request or Response keeps (its getter: undefined on Node's own
 * classes), written with it as the runtime writes it. */
function cfOf(message: Request | Response): unknown {
  return (message as { cf?: unknown }).cf;
}

/** Reads workerd's host objects (and V8's own encoding of everything else). */
type HostObjectDeserializer = Deserializer & { _readHostObject(): unknown };

/**
 * A deserialiser of `bytes` that reads workerd's host objects: Node's own class with its
 * `_readHostObject` set on it (see storedValueSerializer for why not a subclass). A clone's
 * reader keeps its place among the clone's Blobs; storage's, made per host object, keeps nothing.
 */
function hostObjectDeserializer(bytes: Uint8Array, clone?: CloneReferences): HostObjectDeserializer {
  const deserializer = new Deserializer(bytes) as HostObjectDeserializer;
  if (clone === undefined) deserializer._readHostObject = readStoredHostObject;
  else {
    const reader = new HostObjectReader(deserializer, clone);
    deserializer._readHostObject = () => reader.read();
  }
  return deserializer;
}

function readStoredHostObject(this: Deserializer): unknown {
  return new HostObjectReader(this).read();
}

class HostObjectReader {
  /** How many of a clone's Blobs were read (CloneReferences). */
  #blobsRead = 0;

  constructor(
    private readonly deserializer: Deserializer,
    private readonly clone?: CloneReferences,
  ) {}

  read(): unknown {
    const tag = this.deserializer.readUint32();
    switch (tag) {
      case TAG.error: {
        const type = this.deserializer.readUint32();
        const name = type === 0 ? this.deserializer.readValue() : "";
        const message = this.deserializer.readValue();
        // A message that is no string fails in assembleError (decodeValue wraps that for storage),
        // before the properties are read: one that refers back to the error fails otherwise.
        if (typeof message !== "string") return assembleError({ tag: type, name, message, props: [] });
        const props = (this.deserializer.readValue() ?? {}) as Record<string, unknown>;
        // Read back from storage, an error lists its stack among its keys (over RPC it does not).
        return assembleError({ tag: type, name, message, props: Object.entries(props) }, true);
      }
      case TAG.domException: {
        const [name, message, stack] = [this.#readText(), this.#readText(), this.#readText()];
        return copiedDomException(message, name, stack);
      }
      case TAG.headers:
        return this.#readHeaders();
      case TAG.cloneShared: {
        const copy = this.clone?.sharedCopy(this.deserializer.readUint32());
        if (copy === undefined) break;
        return copy;
      }
      case TAG.blob: {
        const type = this.#readText();
        const bytes = this.#readBytes();
        return new Blob([this.clone?.blobs[this.#blobsRead++] ?? bytes], { type });
      }
      case TAG.request: {
        const url = this.#readText();
        const init = this.deserializer.readValue() as Record<string, unknown>;
        return storedRequest(url, { method: init.method as string | undefined, headers: init.headers as Headers, redirect: init.redirect as RequestInit["redirect"], cf: init.cf } as RequestInit);
      }
      case TAG.response: {
        const body = this.deserializer.readValue() as null;
        const init = this.deserializer.readValue() as Record<string, unknown>;
        return storedResponse(body, { status: init.status as number, statusText: init.statusText as string | undefined, headers: init.headers as Headers, cf: init.cf } as ResponseInit);
      }
    }
    throw new Error(`internal error; reference = ${errorReference()}`);
  }

  #readHeaders(): Headers {
    this.deserializer.readUint32();
    const entries: Array<[string, string]> = [];
    for (let count = this.deserializer.readUint32(); count > 0; count--) {
      const common = this.deserializer.readUint32();
      const name = common === 0 ? this.#readText() : COMMON_HEADERS[common - 1]!;
      entries.push([name, this.#readBytes().toString("latin1")]);
    }
    return headersOfValues(entries);
  }

  #readBytes(): Buffer {
    return this.deserializer.readRawBytes(this.deserializer.readUint32());
  }

  #readText(): string {
    return this.#readBytes().toString("utf8");
  }
}

import { Serializer } from "node:v8";
import { types } from "node:util";
import { codeGlobal } from "../util/code-realm.js";
import { runtimeDomException } from "../util/dom-exception.js";
import { headersOfValues, valueEntries } from "../util/header-values.js";
import { isOf } from "../util/host-kind.js";
import { isIndexKey } from "../util/array-index.js";
import { nativeName } from "../util/native-names.js";
import { notSerializable } from "../util/webidl.js";

/**
 * Values the runtime serialises itself rather than leaving them to V8, shared by storage's
 * codec and by RPC's copies: Errors (with their own properties), DOMExceptions, Headers, and the
 * host objects it refuses, with its exact messages. In workerd these are C++ objects; in Node
 * they are ordinary JS objects that V8 would silently serialise as `{}`, so they are recognised
 * here by class.
 */

export function dataCloneError(message: string): DOMException {
  return runtimeDomException(message, "DataCloneError");
}

// ---- Errors ------------------------------------------------------------------------------

/** The error types the runtime's serialiser knows, by the tag it writes (0: any other name). */
const ERROR_TYPES: ReadonlyArray<readonly [tag: number, type: new (message?: string) => Error]> = [
  [1, Error],
  [2, TypeError],
  [3, RangeError],
  [4, ReferenceError],
  [5, SyntaxError],
  [10, EvalError],
  [11, URIError],
  [12, AggregateError as unknown as new (message?: string) => Error],
];

/** What the runtime keeps of an Error: its type (from `name`), message and own properties. */
export interface ErrorAnatomy {
  /** A tag of ERROR_TYPES, or 0 for a name of its own. */
  readonly tag: number;
  /** As the error has it (a name that is no string stays what it is). */
  readonly name: unknown;
  readonly message: unknown;
  /** Own properties but `message` and `name` (stack, cause, errors, code, ...), in order. */
  readonly props: ReadonlyArray<readonly [key: string, value: unknown]>;
}

export function dissectError(error: Error): ErrorAnatomy {
  const name: unknown = error.name;
  const tag = ERROR_TYPES.find(([, type]) => type.name === name)?.[0] ?? 0;
  // An ordinary read, before the other properties, as the runtime's serialiser makes it: a
  // getter (its own, or a subclass prototype's) runs, once.
  const message: unknown = error.message;
  const props: Array<[string, unknown]> = [];
  for (const key of Object.getOwnPropertyNames(error)) {
    // The runtime's serialiser asks for named properties only: array indices are left behind.
    if (isIndexKey(key)) continue;
    if (key === "stack") props.push([key, stackOf(error, message)]);
    else if (key !== "message" && key !== "name") props.push([key, (error as unknown as Record<string, unknown>)[key]]);
  }
  return { tag, name, message, props };
}

/**
 * `error.stack`, read without running a `message` getter again. Node's V8 writes the stack text
 * on its first read and reads `message` then, where workerd's took the text when the error was
 * made; so while the stack is read, `message` is an own data property holding what was read
 * (an error whose stack was read before keeps its text; one that cannot take the property is
 * read as it is).
 */
function stackOf(error: Error, message: unknown): unknown {
  const own = Object.getOwnPropertyDescriptor(error, "message");
  if ((own !== undefined && "value" in own) || (own !== undefined && !own.configurable) || !Object.isExtensible(error)) return error.stack;
  Object.defineProperty(error, "message", { value: message, writable: true, enumerable: false, configurable: true });
  try {
    return error.stack;
  } finally {
    if (own === undefined) delete (error as { message?: unknown }).message;
    else Object.defineProperty(error, "message", own);
  }
}

const NOT_A_STRING = "Deserialization failed: error message is not a string";

/** How a reader refuses an error whose message is `message`, if it does: one that is no string
 * (the runtime's reader checks it before the error's properties). */
export function unreadableMessage(message: unknown): DOMException | undefined {
  return typeof message === "string" ? undefined : dataCloneError(NOT_A_STRING);
}

/**
 * The Error an anatomy describes, as the runtime reads one back: every property it kept is
 * an ordinary (enumerable) one, the stack a listed data property only when `stackListed`
 * (storage's errors). RPC's copies keep the stack their constructor gave them, hidden and of
 * the engine's own kind (an accessor where V8 makes one, as workerd's does), holding the kept
 * text. A message that is not a string cannot be read.
 */
export function assembleError(anatomy: ErrorAnatomy, stackListed = false): Error {
  const { message } = anatomy;
  if (typeof message !== "string") throw unreadableMessage(message);
  const Type = ERROR_TYPES.find(([tag]) => tag === anatomy.tag)?.[1] ?? Error;
  const aggregate = Type === (AggregateError as unknown);
  const error = aggregate ? new AggregateError([], message) : new Type(message);
  // An AggregateError is made with its own `errors`; the kept one goes where the original had it
  // (after a `cause`), and none is there if the original had none.
  if (aggregate) delete (error as Partial<AggregateError>).errors;
  if (anatomy.tag === 0) defineOwn(error, "name", anatomy.name, true);
  for (const [key, value] of anatomy.props) {
    if (key === "stack" && !stackListed) (error as { stack?: unknown }).stack = value;
    else defineOwn(error, key, value, true);
  }
  return error;
}

function defineOwn(target: object, key: string, value: unknown, enumerable: boolean): void {
  Object.defineProperty(target, key, { value, enumerable, writable: true, configurable: true });
}

/** The error types V8's own serialiser keeps (any other name, AggregateError's too, reads back as Error). */
const V8_ERROR_TYPES: ReadonlyArray<new (message?: string) => Error> = [EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError];

/**
 * An Error as V8's own serialiser keeps it, as workerd writes one before enhanced_error_serialization
 * (2026-04-21): its type by `name` among V8's (else Error), its own `message` (a data property, as
 * text), its stack's text and its own `cause` (a data property, passed through `copyCause`), nothing
 * else; read in V8's order. The copy is a native Error: V8 writes it in that same format. `made`
 * learns of the copy before its cause is copied (a cause that reaches the error again refers back to it).
 */
export function v8ErrorCopy(error: Error, copyCause: (cause: unknown) => unknown, made?: (copy: Error) => void): Error {
  const message = Object.getOwnPropertyDescriptor(error, "message");
  const cause = Object.getOwnPropertyDescriptor(error, "cause");
  const name = String(error.name);
  const Type = V8_ERROR_TYPES.find((type) => type.name === name) ?? Error;
  const copy = message !== undefined && "value" in message ? new Type(String(message.value)) : new Type();
  const stack: unknown = error.stack;
  if (typeof stack === "string") defineOwn(copy, "stack", stack, false);
  else delete (copy as { stack?: unknown }).stack;
  made?.(copy);
  if (cause !== undefined && "value" in cause) defineOwn(copy, "cause", copyCause(cause.value), false);
  return copy;
}

/** Whether an error's message could not be read back (see assembleError). */
export function isUnreadableErrorMessage(error: unknown): boolean {
  return error instanceof DOMException && error.message === NOT_A_STRING;
}

// ---- Headers -----------------------------------------------------------------------------

/** A Headers' entries in the runtime's order (by name; each value apart where the runtime holds
 * them apart, util/header-values.ts), values as the bytes it holds (util/header-bytes.ts). */
export function headerEntries(headers: Headers): Array<[string, string]> {
  return valueEntries(headers).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** A copy with the runtime's guard ("none": mutable) and its order of entries. */
export function copyHeaders(headers: Headers): Headers {
  return headersOfValues(headerEntries(headers));
}

// ---- Refusals ----------------------------------------------------------------------------

const STREAM_TYPES: ReadonlyArray<readonly [Function, string]> = [
  [ReadableStream, "ReadableStream"],
  [WritableStream, "WritableStream"],
];

/**
 * Host objects the runtime cannot serialise at all (neither stored nor sent over RPC), by
 * class, most specific first: its message names the runtime's class.
 */
function hostRefusal(value: object): string | undefined {
  if (isOf(value, AbortSignal)) return "AbortSignal serialization is not enabled.";
  const scope = scopeRefusal(value);
  if (scope !== undefined) return scope;
  for (const [type, name] of UNSERIALISABLE_HOST_TYPES()) {
    if (isOf(value, type)) return `Could not serialize object of type "${constructorName(value) || name}". This type does not support serialization.`;
  }
  return undefined;
}

/**
 * The global scope, which Node makes an ordinary object (V8 would walk into it, and stop at its
 * first function): the runtime's is a global proxy, which V8 refuses as an object of no kind it
 * writes.
 */
function scopeRefusal(value: object): string | undefined {
  return value === globalThis || value === codeGlobal() ? "#<ServiceWorkerGlobalScope> could not be cloned." : undefined;
}

/** The name the runtime gives an object it refuses: its class's, the most derived one (a
 * WebSocket or a MessageEvent, not EventTarget or Event; a subclass of its own name). */
export function constructorName(value: object): string | undefined {
  const ctor = (Object.getPrototypeOf(value) as { constructor?: unknown } | null)?.constructor;
  return typeof ctor === "function" ? ctor.name : undefined;
}

/**
 * The type the runtime's serialiser names an object of a class it cannot write by: its
 * constructor's name, which for a class of the runtime's own is the interface's, the tag its
 * prototype carries (a bare `Object.create(RpcTarget.prototype)` is a "JsRpcTarget").
 */
export function serialisedTypeName(proto: object | null): string {
  const ctor = (proto as { constructor?: unknown } | null)?.constructor;
  if (typeof ctor !== "function") return "Object";
  const tag = nativeName(ctor) === undefined ? undefined : Object.getOwnPropertyDescriptor(proto, Symbol.toStringTag)?.value;
  return typeof tag === "string" ? tag : ctor.name || "Object";
}

let unserialisable: ReadonlyArray<readonly [Function, string]> | undefined;

/** Built once, from the globals this Node has (the list holds what the runtime has too). */
function UNSERIALISABLE_HOST_TYPES(): ReadonlyArray<readonly [Function, string]> {
  unserialisable ??= [
    "File", "FormData", "URLSearchParams", "URL", "TextEncoder", "TextDecoder", "TextEncoderStream",
    "TextDecoderStream", "TransformStream", "CompressionStream", "DecompressionStream", "AbortController",
    "Event", "EventTarget", "MessageChannel", "URLPattern", "CryptoKey", "Crypto", "SubtleCrypto",
  ].flatMap((name) => {
    const type = (globalThis as Record<string, unknown>)[name];
    return typeof type === "function" ? [[type, name] as const] : [];
  });
  return unserialisable;
}

/**
 * The message V8 gives for an object of one of its own kinds it cannot serialise (WeakRef,
 * generator, arguments, Intl objects, a boxed Symbol, ...), or undefined for an ordinary
 * object. Such objects fail at once, so asking Node's V8 costs nothing.
 */
export function v8Refusal(value: object): string | undefined {
  const tag = Object.prototype.toString.call(value).slice(8, -1);
  if (!V8_KINDS.has(tag) && !tag.startsWith("Intl.") && !types.isArgumentsObject(value)) return undefined;
  try {
    new Serializer().writeValue(value);
  } catch (error) {
    return (error as Error).message;
  }
  return undefined;
}

// By the tag their prototypes give (a class instance naming itself so only makes V8 try it).
// Iterators are objects of V8's own kinds too: a Map's, an array's, an iterator helper's.
const V8_KINDS = new Set([
  "WeakRef", "WeakMap", "WeakSet", "Promise", "Generator", "AsyncGenerator", "Symbol", "FinalizationRegistry", "Module",
  "Array Iterator", "Map Iterator", "Set Iterator", "String Iterator", "RegExp String Iterator", "Iterator Helper",
  "Segmenter String Iterator", "DisposableStack", "AsyncDisposableStack",
]);

/** Why a value cannot be stored (its DataCloneError message), for the host objects V8 would take.
 * `keepsBlobs`: the value is cloned in this process, which refers to a Blob's bytes. */
export function storageRefusal(value: object, keepsBlobs = false): string | undefined {
  for (const [type, name] of STREAM_TYPES) {
    if (isOf(value, type)) return `${name} can only be serialized for RPC.`;
  }
  if ((isOf(value, Request) || isOf(value, Response)) && value.body !== null) {
    return "ReadableStream can only be serialized for RPC.";
  }
  const refusal = hostRefusal(value);
  if (refusal !== undefined || keepsBlobs || !isOf(value, Blob) || value.size === 0) return refusal;
  // The runtime stores a Blob's bytes, but Node can only read them asynchronously, and put()
  // must encode its value in the call (README, "Differences from production").
  return 'Could not serialize object of type "Blob". durasim cannot store a Blob: store `await blob.arrayBuffer()` (and its type) instead.';
}

/** Why a value cannot be sent over RPC (its DataCloneError message), for host objects. The
 * runtime's `console` is one of its own kind over RPC (storage walks into it as an object). */
export function rpcRefusal(value: object): string | undefined {
  if (value === globalThis.console || value === codeGlobal().console) return notSerializable("console");
  return hostRefusal(value);
}

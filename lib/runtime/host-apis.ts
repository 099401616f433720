import { namesJsonLines, parseJson } from "../util/json-positions.js";
import { Buffer } from "node:buffer";
import { createHash, createHmac, createSecretKey, KeyObject, type Hmac, type webcrypto } from "node:crypto";
import { types } from "node:util";
import { asOutsideCode, callsAreIo, ioCompletion, isObjectCode, objectCodeOwner, runsEmulatedCode } from "./code-context.js";
import { contextEndSignal, currentIoContext, endedWithContext } from "./io-context.js";
import { untilOutputGateOpens } from "./gates/output-gate.js";
import { asksForWebSocket, fetchWebSocket } from "./websockets/fetch-upgrade.js";
import { answeredRead, checkFetchScheme, clonedSignal, fetchArguments, fetcherOf, isHostRequest, isHostResponse, takeGiven, urlOf, USED_BODY } from "./http-request.js";
import { fetchThroughDispatcher } from "./outbound-dispatcher.js";
import { bindBodyLike, bodyReadRefusal } from "./body-contexts.js";
import { handsChunks, handsChunksAsGiven, readAsGiven } from "./given-chunks.js";
import { checkMutable, freezeHeaders, hasFrozenHeaders } from "./immutable-headers.js";
import { installHeaderReading } from "./header-iteration.js";
import { installSearchParamsIteration } from "./search-params-iteration.js";
import { nodeTimers, trackTimers } from "./lifecycle/timers.js";
import { logWorkerRejections } from "./worker-rejections.js";
import { installGlobalEvents } from "./global-events.js";
import { installEventTargetRules } from "./event-targets.js";
import { replaceMethod } from "./replace-method.js";
import { upperAscii } from "../util/ascii-case.js";
import { hasCodeRealm, inCodeRealm, throwInCodeRealm } from "../util/code-realm.js";
import { installRuntimeWords } from "./globals/runtime-words.js";
import { installStreamWords } from "./globals/stream-words.js";
import { installStreamIterators } from "./globals/stream-iterators.js";
import { installStrategySizes } from "./globals/strategy-sizes.js";
import { installEnqueueSizes } from "./globals/enqueue-sizes.js";
import { installControllerCalls } from "./globals/controller-calls.js";
import { installStreamArguments } from "./globals/stream-arguments.js";
import { installStreamReceivers } from "./globals/stream-receivers.js";
import { installClosedWritables } from "./globals/closed-writables.js";
import { installReleasedLocks } from "./globals/released-locks.js";
import { installPipesIntoEnded } from "./globals/pipes-into-ended.js";
import { installCloseRequestedCancels } from "./globals/close-requested-cancels.js";
import { installCryptoExtras } from "./globals/crypto-extras.js";
import { giveRuntimeShape, installCryptoKeyUsages, keyUsageError, makesKeyWithoutUsages, runtimeJwk, usageRefusal } from "./globals/crypto-keys.js";
import { installCustomEventDetail, installDomExceptionPrototype } from "./globals/constructors.js";
import { installSingleReads, readsDroppedAtContextEnd } from "./single-reads.js";
import { installBlobStreams } from "./blob-streams.js";
import { installByobReadRequests } from "./byob-reads.js";
import { installByteStreamCloseAnswers } from "./byte-stream-close.js";
import { installByteStreamTees } from "./byte-stream-tee.js";
import { installReaderSettleOrder } from "./reader-settle-order.js";
import { answerDataUrl, isDataUrl, receivedHere } from "./data-url.js";
import { installNativeWritables } from "./native-writables.js";
import { schedulerOf } from "./globals/scheduler.js";
import { installAbortSignalWords } from "./globals/abort-signal-words.js";
import { installTimeoutReasons } from "./globals/timeout-reasons.js";
import { installNodeInternalKeys } from "./globals/node-internal-keys.js";
import { installFormDataNames, withNamelessFilesAsText } from "./globals/form-data-names.js";
import { installTeedBodies } from "./teed-bodies.js";
import { installGivenBodies } from "./given-bodies.js";
import { checkSubtleNames } from "./globals/subtle-names.js";
import { checkSubtleArguments } from "./globals/subtle-arguments.js";
import { exportRefusal, runtimeSubtleError } from "./globals/subtle-words.js";
import { rsaModulusRefusal } from "./globals/subtle-cipher-words.js";
import { generateHmacBits, importHmacBits, importsHmacBits, installHmacBitLengths, refusedHmacBits, type NodeSubtle } from "./globals/hmac-bit-lengths.js";
import { parseMultipart } from "./multipart-parser.js";
import { parseMimeType, type MimeType } from "../util/mime-type.js";
import { carryValues } from "../util/header-values.js";
import { installNativeText } from "./native-code.js";
import { installNativeClassText } from "./globals/native-classes.js";
import { illegalInvocation } from "../util/webidl.js";

/**
 * Host APIs whose completion the runtime delivers differently from Node, patched once per
 * process so that object code sees the runtime's input-gate behaviour, and object and Worker
 * code its I/O timing (test code, outside any Worker event, is untouched):
 * - `crypto.subtle` completes at once in the runtime, settling one microtask hop after the call:
 *   its common operations (SHA digests, HMAC sign/verify, raw HMAC imports) are computed at once here too, for
 *   object and Worker code; the rest Node completes in a later turn, so the object's gate is
 *   held until they settle, and awaiting them lets no queued event in.
 * - Reading a Request's or Response's body is I/O in the runtime: it settles once the
 *   microtask queue has drained (and queued events may run); Node reads an in-memory body
 *   within the microtask queue, so for object and Worker code the read completes a turn later.
 *   A body that cannot be read (already read or teed (teed-bodies.ts), or locked to a reader)
 *   fails there with the runtime's words, as does `clone()` of one; so does the body of a
 *   request whose handler has answered (http-request.ts). `formData()` reads a part with an
 *   empty file name as a string (globals/form-data-names.ts).
 * - Headers made immutable (immutable-headers.ts) refuse `set`, `append` and `delete`, and a
 *   clone of a Request or Response with such headers gets immutable headers too. Worker and
 *   object code's Headers keep text past Latin-1 (util/header-bytes.ts) and iterate a snapshot
 *   (header-iteration.ts).
 * - A global `fetch()` is a message leaving the object: it is sent once the writes before it
 *   are confirmed, never if their commit fails (the reset instance's code then never resumes
 *   with its response, as in the runtime), and its response is I/O (gates/input-gate.ts).
 *   One with `Upgrade: websocket` from Worker code opens a WebSocket (websockets/fetch-upgrade.ts).
 * - `scheduler.wait(ms)`, the runtime's promise-returning timer, is a global.
 * - Timers object code sets are counted (they keep the object from hibernating: see
 *   lifecycle/timers.ts).
 * - `AbortSignal.timeout()` and `any()` take and refuse arguments as the runtime's do
 *   (globals/abort-signal-words.ts).
 * - A CustomEvent Worker or object code made without a `detail` reads it as undefined
 *   (globals/constructors.ts).
 * - A Blob put in a FormData without a file name is named after its entry
 *   (globals/form-data-names.ts).
 * - Web streams refuse a locked stream, a released reader or writer and a closed controller in
 *   the runtime's words for object and Worker code (globals/stream-words.ts; what a released
 *   reader or writer answers: globals/released-locks.ts), and their members refuse another
 *   receiver with its "Illegal invocation" (globals/stream-receivers.ts); their arguments
 *   (ReadableStream.from()'s, a BYOB read's, a byte controller's) are refused in the runtime's
 *   words too (globals/stream-arguments.ts).
 * - Node's web objects (streams, events, AbortSignal, Blob, ...) show Worker and object code's
 *   reflection none of the symbol keys Node keeps their state under (globals/node-internal-keys.ts).
 * - EventTargets (a `new EventTarget()`, an AbortSignal) dispatch to Worker and object code's
 *   listeners as the runtime's do: a listener that throws never ends the process, and an abort
 *   without a reason has the runtime's AbortError (event-targets.ts).
 * - A rejection Worker or object code leaves unhandled is logged instead of ending the process
 *   (worker-rejections.ts), and reaches the global `unhandledrejection` listeners Worker code
 *   adds with the global `addEventListener()` (global-events.ts).
 */

const INSTALLED = Symbol.for("durasim.hostApis");

const SUBTLE_METHODS = [
  "encrypt", "decrypt", "sign", "verify", "digest", "generateKey", "deriveKey", "deriveBits",
  "importKey", "exportKey", "wrapKey", "unwrapKey",
] as const;

const BODY_METHODS = ["text", "json", "arrayBuffer", "blob", "formData", "bytes"] as const;

export function installHostApis(): void {
  const global = globalThis as Record<symbol | string, unknown>;
  if (global[INSTALLED]) return;
  global[INSTALLED] = true;
  installNativeText();
  const subtle = Object.getPrototypeOf(crypto.subtle) as Record<string, unknown>;
  const nodeSubtle = { ...subtle } as unknown as NodeSubtle;
  for (const name of SUBTLE_METHODS) wrapSubtle(subtle, name, crypto.subtle, nodeSubtle);
  installHmacBitLengths();
  installCryptoExtras();
  installCryptoKeyUsages();
  installCustomEventDetail();
  installDomExceptionPrototype();
  for (const type of [Request, Response]) {
    const prototype = type.prototype as unknown as Record<string, unknown>;
    // Another receiver is refused at once, as the runtime refuses it (Node rejects, in its words).
    const isBody = type === Request ? isHostRequest : isHostResponse;
    // Node's own read of the bytes, for a multipart body the runtime's parser reads.
    const readBytes = prototype.arrayBuffer as (this: unknown) => Promise<ArrayBuffer>;
    // Node's own read of the text, for a json() whose syntax error must name its line and column
    // where Node's V8 does not (Node 20: util/json-positions.ts); Node's json() parses that text.
    const readText = prototype.text as (this: unknown) => Promise<string>;
    for (const name of BODY_METHODS) {
      // Node's consumer as a Response has it, for the bytes of a body that hands its chunks as given.
      const readResponse = (Response.prototype as unknown as Record<string, Function>)[name]!;
      replaceMethod(prototype, name, (original, self, args) => {
        if (runsEmulatedCode() && !isBody(self)) throw inCodeRealm(illegalInvocation());
        const refusal = answeredRead(self) ?? bodyReadRefusal(self as object);
        if (refusal !== undefined) return Promise.reject(refusal);
        if (name === "formData" && runsEmulatedCode() && (self as Request | Response).headers.get("content-type") === null) {
          // The runtime asks for the type before it reads the body (Node reads it first).
          return Promise.reject(inCodeRealm(new TypeError("Parsing a Body as FormData requires a Content-Type header.")));
        }
        const multipart = name === "formData" && runsEmulatedCode() ? multipartType(self as Request | Response) : undefined;
        const made =
          multipart !== undefined
            ? readMultipart(self as Request | Response, readBytes, multipart)
            : name === "json" && !namesJsonLines && runsEmulatedCode()
              ? (consumed(self as Request | Response, readText, responseText, []) as Promise<string>).then(parseJson)
              : consumed(self as Request | Response, original, readResponse, args);
        const pending = name === "formData" && runsEmulatedCode() ? made.then((form) => withNamelessFilesAsText(form as FormData)) : made;
        // (No closure here over `self`: one would make this function allocate its context on every read.)
        const read = callsAreIo() ? asIo(pending, bodyReadError, self) : pending;
        // What Node parsed (json()'s objects, arrayBuffer()'s buffer) is the code's realm's, as it reads it.
        return hasCodeRealm() ? read.then(inCodeRealm, throwInCodeRealm) : read;
      });
    }
    replaceMethod(prototype, "clone", (original, self, args) => {
      if (runsEmulatedCode() && !isBody(self)) throw inCodeRealm(illegalInvocation());
      let copy: Request | Response;
      const given = handsChunks(self) ? (self as Request).body : undefined;
      try {
        // A stream given as the body that is locked (Node's own stream over it is not); one read from, unlocked, is cloned.
        if (given?.locked === true) throw new TypeError("Body has already been consumed.");
        copy = Reflect.apply(original, self, args) as Request | Response;
      } catch (error) {
        throw callsAreIo() ? cloneError(error) : error;
      }
      bindBodyLike(copy, self as object);
      if (type === Request) clonedSignal(copy as Request, self as Request);
      if (handsChunks(self)) {
        // The stream given is teed now, its branches the bodies: it is locked from the call on.
        takeGiven(given!);
        handsChunksAsGiven(copy);
      }
      carryValues(copy.headers, (self as Request | Response).headers);
      return hasFrozenHeaders(self as Request | Response) ? freezeHeaders(copy) : copy;
    });
  }
  // One wrapper of each Headers method: immutable headers refuse a change, then the words.
  installRuntimeWords(checkMutable);
  installHeaderReading();
  installSearchParamsIteration();
  // Before the words: a released reader's read is refused as released, not as a second read.
  // Before single reads: its stream of a Blob takes one read at a time too.
  installBlobStreams();
  // Before single reads too: what it keeps of a BYOB read follows the promise the caller gets.
  installByobReadRequests();
  installByteStreamCloseAnswers();
  installReaderSettleOrder();
  // Before the other wrappers of tee(): they take its branches as they take Node's.
  installByteStreamTees();
  installSingleReads();
  installNativeWritables();
  installStreamWords();
  installStreamIterators();
  installStrategySizes();
  installEnqueueSizes();
  installControllerCalls();
  // After the words: a method's arguments are refused before the stream's state is.
  installStreamArguments();
  installClosedWritables();
  installReleasedLocks();
  installPipesIntoEnded();
  installCloseRequestedCancels();
  // Last: the receiver is checked before any other wrapper reads it.
  installStreamReceivers();
  installNodeInternalKeys();
  installAbortSignalWords();
  installTimeoutReasons();
  installFormDataNames();
  installTeedBodies([Request, Response]);
  // After teed-bodies: its bodyUsed is the one this one asks first.
  installGivenBodies([Request, Response]);
  gateFetch(global);
  installRuntimeGlobals(globalThis);
  installEventTargetRules();
  trackTimers(globalThis);
  logWorkerRejections();
  // Last: what durasim replaced above is registered by then, under the name it gave it.
  installNativeClassText(globalThis);
}

/**
 * The runtime's global functions Node lacks, on `global`: `scheduler` (on Node's own timers) and
 * the global `addEventListener` family. The process's global gets them as durasim loads; a test
 * file's realm of its own (Jest's) gets them from its environment, as Worker code loaded there
 * reads that realm's globals.
 */
export function installRuntimeGlobals(global: typeof globalThis): void {
  const record = global as unknown as Record<string, unknown>;
  record.scheduler ??= schedulerOf(nodeTimers());
  installGlobalEvents(record);
}

/** Node's arrayBuffer() of a Response (see consumed), before it is replaced. */
const responseBytes = Response.prototype.arrayBuffer;
const responseText = Response.prototype.text;

/**
 * `read` (Node's consumer) of `message`; of a body that hands its chunks as given, Node's
 * `readResponse` of its bytes (given-chunks.ts), unless Node refuses the body as read or locked.
 */
function consumed(message: Request | Response, read: Function, readResponse: Function, args: unknown[]): Promise<unknown> {
  if (!handsChunks(message)) return Reflect.apply(read, message, args) as Promise<unknown>;
  // Node's refusal (bodyReadError words it as the runtime does for Worker code): Node's own
  // stream, over the one given, is not what was read or locked.
  if (message.bodyUsed || message.body?.locked === true) return Promise.reject(new TypeError(UNUSABLE_BODY));
  return readAsGiven(message, readResponse, args);
}

/** The form a multipart/form-data body of `message` (of type `type`) holds, parsed by the runtime's parser. */
function readMultipart(message: Request | Response, readBytes: Function, type: MimeType): Promise<FormData> {
  const bytes = consumed(message, readBytes, responseBytes, []) as Promise<ArrayBuffer>;
  return bytes.then((buffer) => parseMultipart(new Uint8Array(buffer), type.parameters.get("boundary")));
}

/** Node's refusal to read a body that was read or is locked. */
const UNUSABLE_BODY = "Body is unusable: Body has already been read";

/** The runtime's words for a body locked to a reader (USED_BODY: one that was read). */
const LOCKED_BODY = "This ReadableStream is currently locked to a reader.";
/** clone() of a message whose body was read or is locked (the runtime's text, comma and all). */
const LOCKED_CLONE = "This ReadableStream is currently locked to a reader,";

/** The Content-Type of a body that is multipart/form-data, which the runtime's parser reads
 * (multipart-parser.ts); undefined for any other body, left to Node. */
function multipartType(message: Request | Response): MimeType | undefined {
  const type = message.headers.get("content-type");
  const parsed = type === null ? undefined : parseMimeType(type);
  return parsed?.essence === "multipart/form-data" ? parsed : undefined;
}

/** FormData's refusal of a body that is no form, in the runtime's words. */
const NOT_A_FORM =
  "Unrecognized Content-Type header value. FormData can only parse the following MIME types: multipart/form-data, application/x-www-form-urlencoded";

/** Node's error for a body that cannot be read ("Body is unusable: ...") or is no form, in the
 * runtime's words. */
function bodyReadError(message: unknown, error: unknown): unknown {
  if (nodeRefusal(error, "Content-Type was not one of")) return new TypeError(NOT_A_FORM);
  if (!nodeRefusal(error, "Body is unusable") || !(message instanceof Request || message instanceof Response)) return error;
  return new TypeError(message.bodyUsed ? USED_BODY : LOCKED_BODY);
}

/** Node's error for clone() of a body that was read or is locked (a Response's "...: Body has
 * already been consumed.", a Request's "unusable"), in the runtime's words. */
function cloneError(error: unknown): unknown {
  const refused = nodeRefusal(error, "Body has already been consumed") || (error instanceof TypeError && error.message === "unusable");
  return refused ? new TypeError(LOCKED_CLONE) : error;
}

function nodeRefusal(error: unknown, words: string): boolean {
  return error instanceof TypeError && error.message.includes(words);
}

/**
 * `crypto.subtle`'s common operations as the runtime computes them, at once: `digest()` with
 * SHA-1/256/384/512, HMAC `sign()`/`verify()` and (where Node has `KeyObject#toCryptoKey`) raw
 * HMAC `importKey()` run synchronously on node:crypto and settle one
 * microtask hop after the call, as the runtime's do (Node's webcrypto computes them in a later
 * turn). `digest()` also takes MD5, as the runtime's does (for legacy checksums such as ETags;
 * Node's webcrypto refuses it). Only plainly valid calls take this path; anything else (other
 * algorithms, bad keys or data) goes to Node's method, so every error stays Node's.
 */
const SHA: Record<string, string> = { "SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512" };
/** What digest() computes: the SHA family and MD5. */
const DIGESTS: Record<string, string> = { ...SHA, MD5: "md5" };

/** Computes a plainly valid call at once, or returns undefined to leave it to Node's method. */
type Fast = (args: unknown[]) => unknown;

/** The secret of each HMAC key imported from raw bytes (Node 24 deprecates `KeyObject.from`
 * on a non-extractable key, DEP0204). */
const hmacSecrets = new WeakMap<object, KeyObject>();

/** `KeyObject.prototype.toCryptoKey`, where Node has it (22.10+, 23+). */
const toCryptoKey = (KeyObject.prototype as unknown as { toCryptoKey?: Function }).toCryptoKey;

const FAST_SUBTLE: Partial<Record<(typeof SUBTLE_METHODS)[number], Fast>> = {
  importKey(args) {
    const raw = rawHmacImport(args);
    if (raw === undefined || toCryptoKey === undefined) return undefined;
    const secret = createSecretKey(raw.bytes);
    let key: object;
    try {
      key = Reflect.apply(toCryptoKey, secret, [{ name: "HMAC", hash: raw.hash }, Boolean(args[3]), raw.usages]) as object;
    } catch {
      return undefined;
    }
    hmacSecrets.set(key, secret);
    return key;
  },
  digest([algorithm, data]) {
    const hash = digestOf(algorithm);
    const bytes = bufferSource(data);
    if (hash === undefined || bytes === undefined) return undefined;
    return toArrayBuffer(createHash(hash).update(bytes).digest());
  },
  sign([algorithm, key, data]) {
    const hmac = hmacFor(algorithm, key, "sign");
    const bytes = bufferSource(data);
    if (hmac === undefined || bytes === undefined) return undefined;
    return toArrayBuffer(hmac.update(bytes).digest());
  },
  verify([algorithm, key, signature, data]) {
    const hmac = hmacFor(algorithm, key, "verify");
    const expected = bufferSource(signature);
    const bytes = bufferSource(data);
    if (hmac === undefined || expected === undefined || bytes === undefined) return undefined;
    const actual = hmac.update(bytes).digest();
    return actual.length === expected.length && actual.equals(expected);
  },
};

/** `importKey("raw", bytes, { name: "HMAC", hash }, extractable, usages)` with plainly valid
 * arguments (a copy of the bytes, the hash's standard name, the usages), else undefined. */
function rawHmacImport([format, keyData, algorithm, , usages]: unknown[]):
  { bytes: Buffer; hash: string; usages: string[] } | undefined {
  if (format !== "raw" || upperAscii(plainName(algorithm) ?? "") !== "HMAC") return undefined;
  const own = Object.getOwnPropertyDescriptors(algorithm as object);
  if ("length" in own || own.hash === undefined || !("value" in own.hash)) return undefined;
  const hashValue: unknown = own.hash.value;
  const hashName = typeof hashValue === "string" ? hashValue : plainName(hashValue);
  const upper = hashName === undefined ? undefined : upperAscii(hashName);
  const hash = upper !== undefined && Object.hasOwn(SHA, upper) ? upper : undefined;
  const bytes = bufferSource(keyData);
  if (hash === undefined || bytes === undefined || bytes.byteLength === 0) return undefined;
  if (!Array.isArray(usages) || usages.length === 0 || !usages.every((u) => u === "sign" || u === "verify")) return undefined;
  return { bytes: Buffer.from(bytes), hash, usages: [...usages] as string[] };
}

/** The node:crypto hash for a digest algorithm (`"sha-256"`, `{ name: "SHA-256" }`, "md5"), if known. */
function digestOf(algorithm: unknown): string | undefined {
  const name = typeof algorithm === "string" ? algorithm : plainName(algorithm);
  return name === undefined ? undefined : DIGESTS[upperAscii(name)];
}

/** `algorithm.name` of a plain object whose `name` is an own string data property. */
function plainName(algorithm: unknown): string | undefined {
  if (typeof algorithm !== "object" || algorithm === null) return undefined;
  const name = Object.getOwnPropertyDescriptor(algorithm, "name");
  return name !== undefined && "value" in name && typeof name.value === "string" ? name.value : undefined;
}

/** An HMAC over `key` when `algorithm` names HMAC and `key` is an HMAC CryptoKey allowed `usage`. */
function hmacFor(algorithm: unknown, key: unknown, usage: "sign" | "verify"): Hmac | undefined {
  const name = typeof algorithm === "string" ? algorithm : plainName(algorithm);
  const CryptoKey = (globalThis as unknown as { CryptoKey?: Function }).CryptoKey;
  if (name === undefined || upperAscii(name) !== "HMAC" || CryptoKey === undefined || !(key instanceof CryptoKey)) return undefined;
  const cryptoKey = key as webcrypto.CryptoKey;
  const { usages, type } = cryptoKey;
  const keyAlgorithm = cryptoKey.algorithm as { name: string; hash?: { name?: unknown } };
  const hashName = keyAlgorithm.hash?.name;
  if (keyAlgorithm.name !== "HMAC" || type !== "secret" || !usages.includes(usage) || typeof hashName !== "string") return undefined;
  const hash = SHA[hashName];
  const secret = hmacSecrets.get(cryptoKey) ?? (cryptoKey.extractable ? KeyObject.from(cryptoKey) : undefined);
  return hash === undefined || secret === undefined ? undefined : createHmac(hash, secret);
}

/** A BufferSource's bytes (a view on them, read now), or undefined for anything else. A
 * detached buffer has none, as the runtime reads it (Node's webcrypto throws); an empty view is
 * made afresh, since one on a detached buffer cannot be (and Node 20 has no `detached` to ask). */
function bufferSource(data: unknown): Uint8Array | undefined {
  // types.isArrayBuffer, not instanceof: a buffer of another realm (a test runner's vm context) is one too.
  if (!types.isArrayBuffer(data) && !(ArrayBuffer.isView(data) && types.isArrayBuffer(data.buffer))) return undefined;
  if (data.byteLength === 0) return new Uint8Array(0);
  return ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
}

function toArrayBuffer(bytes: Buffer): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** Where Node imports a raw HMAC key itself, its secret for the fast sign/verify above. */
function rememberHmacSecret(args: unknown[], pending: Promise<unknown>): void {
  const raw = rawHmacImport(args);
  if (raw === undefined) return;
  pending.then((key) => {
    if (typeof key === "object" && key !== null) hmacSecrets.set(key, createSecretKey(raw.bytes));
  }, () => undefined);
}

/** The `subtle` methods that make keys. */
const KEY_MAKERS = new Set<string>(["generateKey", "importKey", "deriveKey", "unwrapKey"]);

/** Replaces `subtle[name]` with one that computes plainly valid calls at once (object and Worker code). */
function wrapSubtle(subtle: Record<string, unknown>, name: (typeof SUBTLE_METHODS)[number], instance: object, nodeSubtle: NodeSubtle): void {
  const fast = FAST_SUBTLE[name];
  replaceMethod(subtle, name, (original, self, given) => {
    let args = given;
    const emulated = self === instance && callsAreIo();
    // Called on another receiver, Worker and object code get the runtime's words, at the call (Node: "Value of "this" must be of type SubtleCrypto").
    if (self !== instance && callsAreIo()) throw inCodeRealm(illegalInvocation());
    if (emulated) {
      // Arguments first, in order, as the runtime's binding converts them; then the names.
      const converted = checkSubtleArguments(name, args);
      if ("refusal" in converted) return Promise.reject(converted.refusal);
      const checked = checkSubtleNames(name, converted.args);
      if ("refusal" in checked) return Promise.reject(checked.refusal);
      args = checked.args;
      const misused = usageRefusal(name, args) ?? (name === "exportKey" ? exportRefusal(args[0], args[1]) : rsaModulusRefusal(name, args));
      if (misused !== undefined) return Promise.reject(misused);
      const result = fast?.(args);
      if (result !== undefined && KEY_MAKERS.has(name)) giveRuntimeShape(result);
      // Settles one microtask hop after the call, as the runtime's does.
      if (result !== undefined) return Promise.resolve().then(() => result);
    }
    let made = Reflect.apply(original, self, args) as Promise<unknown>;
    // An HMAC key of part of a byte, which Node 20 refuses (globals/hmac-bit-lengths.ts).
    if (emulated && name === "generateKey") made = made.catch((error: unknown) => (refusedHmacBits(args, error) ? generateHmacBits(nodeSubtle, instance, args) : Promise.reject(error)));
    if (emulated && name === "importKey" && importsHmacBits(args)) made = made.catch(() => importHmacBits(nodeSubtle, instance, args));
    // A key or pair made takes the runtime's shape before the caller's reactions run (crypto-keys.ts).
    if (emulated && KEY_MAKERS.has(name)) made.then(giveRuntimeShape, () => undefined);
    // An exported JWK has the runtime's members in its order, and a key made without usages is
    // refused in the runtime's words (globals/crypto-keys.ts), as is any refusal a rule of
    // globals/subtle-words.ts knows.
    let pending = made;
    if (emulated && name === "exportKey" && args[0] === "jwk") pending = made.then(runtimeJwk);
    else if (emulated && makesKeyWithoutUsages(name, args)) pending = made.catch((error: unknown) => Promise.reject(keyUsageError(error, args[0])));
    // (Not a plainly valid raw HMAC import: it cannot fail, and settles as the runtime's does
    // only with no step added where Node imports it itself.)
    else if (emulated && !(name === "importKey" && rawHmacImport(args) !== undefined)) pending = made.catch((error: unknown) => Promise.reject(runtimeSubtleError(name, args, error)));
    if (name === "importKey" && self === instance) rememberHmacSecret(args, pending);
    return isObjectCode() ? holdingTheGate(pending) : pending;
  });
}

/**
 * `fetch` on `global`, behind the object's output gate when object code calls it: the
 * process's, as durasim loads, and a Jest test file's own (its Worker code calls that one).
 */
export function gateFetch(global: Record<string, unknown>): void {
  replaceMethod(global, "fetch", (original, _self, args) => {
    let send: () => Promise<unknown>;
    if (!callsAreIo()) send = () => fetchThroughDispatcher(original, args[0], args[1]);
    else {
      // Converted and checked at the call, as the runtime's is (fetchArguments): a bad request
      // rejects in its words, and the init's getters run before the output gate is waited for.
      // A request with a Fetcher goes to it, as the runtime sends it (fetcherOf), which checks
      // its URL; one to the network must be one fetch() can load (checkFetchScheme). A data URL
      // is answered here (data-url.ts). Worker code asking for a WebSocket gets one
      // (fetch-upgrade.ts); Node's fetch would refuse.
      let input: unknown, init: RequestInit | undefined, fetcher: ReturnType<typeof fetcherOf>;
      try {
        [input, init] = fetchArguments(args[0], args[1]);
        fetcher = fetcherOf(input, init);
        if (fetcher === null) checkFetchScheme(input);
      } catch (error) {
        return Promise.reject(inCodeRealm(error));
      }
      if (fetcher !== null) return fetcher.fetch(input as Request, init);
      const url = urlOf(input);
      if (isDataUrl(url)) send = () => answerDataUrl(url, init?.method ?? (input instanceof Request ? input.method : "GET"));
      else if (asksForWebSocket(input, init)) send = () => fetchWebSocket(input, init);
      else send = () => sentByNode(original, input, endingWithContext(input, init)).then(asReceived, unlessEndedWithContext);
    }
    if (!isObjectCode()) return send();
    const held = untilOutputGateOpens();
    const pending = held === undefined ? send() : held.then(send, () => new Promise<never>(() => undefined));
    return asIo(pending);
  });
  // The runtime declares fetch() without parameters (Node's has one): its length is 0.
  if (typeof global.fetch === "function") Object.defineProperty(global.fetch, "length", { value: 0 });
}

/**
 * Node's fetch() of a request Worker or object code made, run outside that code: undici (Node's
 * HTTP client) sets process-wide timers as it connects (one tick drives every connect, headers,
 * body and keep-alive timeout of the process, re-armed for ever once set), and made in the code's
 * async context they counted as its timers, stopped when its event ended or its object reset.
 * undici's timeouts then never fired again, so an idle connection of its pool stayed open for
 * good. The continuations the caller chains still run as its code.
 */
function sentByNode(original: Function, input: unknown, init: RequestInit | undefined): Promise<unknown> {
  return asOutsideCode(() => fetchThroughDispatcher(original, input, init));
}

/**
 * `init` with a signal that also aborts when the I/O context of the calling code ends (its
 * object reset, its Worker event over, the emulator disposed): the runtime cancels such a
 * request, and one left in flight, or its response's body, would keep Node running after dispose().
 */
function endingWithContext(input: unknown, init: RequestInit | undefined): RequestInit | undefined {
  const context = currentIoContext();
  if (context === undefined) return init;
  const own = init?.signal ?? (input instanceof Request ? input.signal : undefined);
  const ended = contextEndSignal(context);
  return { ...init, signal: own == null ? AbortSignal.any([ended]) : AbortSignal.any([own, ended]) };
}

/**
 * A fetch() or body read's failure, rethrown; one cancelled because its context ended (see
 * endingWithContext) never settles instead: the runtime drops an ended context's continuations,
 * so the code that made the request neither resumes nor sees an unhandled rejection.
 */
function unlessEndedWithContext(error: unknown): Promise<never> {
  // A promise of its own, which is collected with the code waiting on it (one shared would keep
  // each waiter's reaction for ever).
  if (endedWithContext(error)) return new Promise<never>(() => undefined);
  throw error;
}

/** A global fetch()'s Response as Worker or object code receives it. */
function asReceived(response: unknown): unknown {
  if (!(response instanceof Response)) return response;
  readsDroppedAtContextEnd(receivedHere(response).body);
  return response;
}

function holdingTheGate(pending: Promise<unknown>): Promise<unknown> {
  const gate = objectCodeOwner()?.gate;
  if (gate === undefined) return pending;
  gate.lock();
  const release = () => gate.unlock();
  pending.then(release, release);
  return pending;
}

/** `pending` settling as I/O does (after the microtask queue has drained); `failure(message,
 * error)` may put a rejection in the runtime's words (the message whose body was read). (Settled from the completion itself, not through
 * async functions awaiting it: a body read is one a call, and those made promises and hops.) */
function asIo<M>(pending: Promise<unknown>, failure: (message: M, error: unknown) => unknown = asItIs, message?: M): Promise<unknown> {
  const complete = ioCompletion();
  return new Promise((resolve, reject) => {
    pending.then(
      (value) => complete(() => resolve(value)),
      // A read of a body whose request its context's end cancelled is dropped with that context.
      (error: unknown) => endedWithContext(error) || complete(() => reject(failure(message as M, error))),
    );
  });
}

/** A rejection as it is, in no other words. */
function asItIs(_message: unknown, error: unknown): unknown {
  return error;
}


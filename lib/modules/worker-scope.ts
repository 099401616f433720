/**
 * Workers globals that Worker modules receive as module-scoped bindings only (worker-prelude.ts),
 * never on globalThis, not even under the test runners: Node and the packages a process loads
 * keep Node's `URL`, `atob` and the rest, while Worker code sees the runtime's conversions,
 * error messages and `navigator` (which the test runners also give the process:
 * process-navigator.ts).
 */
import { urlPatternOf } from "./builtins/url-pattern/url-pattern.js";
import { jsonOf } from "../runtime/globals/json.js";
import { webAssemblyOf } from "../runtime/globals/web-assembly.js";
import { atomicsOf } from "../runtime/globals/atomics.js";

export { atob, btoa } from "../runtime/globals/base64.js";
export { Cache, CacheStorage } from "./cache-storage.js";
export { Cloudflare } from "../runtime/globals/cloudflare.js";
export { ExtendableEvent, FetchEvent, ServiceWorkerGlobalScope, WorkerGlobalScope } from "../runtime/globals/service-worker-classes.js";
export {
  AbortController, AbortSignal, Blob, Crypto, CryptoKey, CustomEvent, DOMException, EventTarget, File, FormData, Headers,
  ReadableByteStreamController, ReadableStreamBYOBReader, ReadableStreamBYOBRequest, ReadableStreamDefaultController,
  ReadableStreamDefaultReader, SubtleCrypto, TextEncoder, TransformStreamDefaultController, URLSearchParams,
  WritableStreamDefaultController, WritableStreamDefaultWriter,
} from "../runtime/globals/constructors.js";
export { ByteLengthQueuingStrategy, CountQueuingStrategy, ReadableStream, TransformStream, WritableStream } from "../runtime/globals/stream-constructors.js";
export { CompressionStream, DecompressionStream } from "../runtime/globals/compression-streams.js";
export { Navigator, navigator } from "../runtime/globals/navigator.js";
export { Performance, performance } from "../runtime/globals/performance.js";
export { queueMicrotask, structuredClone } from "../runtime/globals/scope-functions.js";
export { reportError } from "../runtime/report-error.js";
export { TextDecoder } from "../runtime/globals/text-decoder.js";
export { TextDecoderStream, TextEncoderStream } from "../runtime/globals/text-streams.js";
export { URL } from "../runtime/globals/url.js";
/**
 * durasim's URLPattern on every Node, also where Node has its own (Node 24): Node's `exec()`
 * results have a null prototype (and `groups` an extra one), which RPC and storage refuse as class
 * instances, where the runtime's are plain objects. The one the test runners add on Node 20 and 22.
 */
export const URLPattern = urlPatternOf(globalThis);
/** JSON whose parse fails in the runtime's words on every Node (runtime/globals/json.ts). */
export const JSON = jsonOf(globalThis);
/** The runtime's `self` is the global object. */
export const self = globalThis;
/** The runtime's global `origin`: a Worker has no origin of its own (the serialised opaque origin). */
export const origin = "null";
/** WebAssembly without the streaming functions the runtime lacks (runtime/globals/web-assembly.ts). */
export const WebAssembly = webAssemblyOf(globalThis);
/** Atomics whose wait() refuses in Worker and object code (runtime/globals/atomics.ts). */
export const Atomics = atomicsOf(globalThis);
/**
 * Node's BroadcastChannel, which the runtime lacks: feature tests (`typeof BroadcastChannel`) in
 * Worker code take the runtime's branch. A module binding cannot be undeclared, so the name reads
 * as undefined where the runtime throws its ReferenceError.
 */
export const BroadcastChannel = undefined;

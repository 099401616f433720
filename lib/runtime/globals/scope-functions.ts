import { isRuntimeArray, requireArgument, site, toDictionary, toFunction } from "../../util/webidl.js";
import { callLeavingRejections } from "../uncaught.js";
import { codeGlobal } from "../../util/code-realm.js";
import { cloneValue } from "../../storage/codec.js";
import { codeFeatures } from "../code-context.js";
import { types } from "node:util";
import { readsNative } from "../../util/native-names.js";

/**
 * `queueMicrotask` and `structuredClone` as Worker code finds them: the runtime converts their
 * arguments (a missing or wrong one gets its TypeError, not Node's ERR_INVALID_ARG_TYPE), then
 * they do what Node's do. Node's are looked up at each call, so fake timers that replace
 * `queueMicrotask` still see Worker code's calls. Both have length 0, as the runtime's.
 * A microtask's exception has no caller: the runtime logs it as uncaught and goes on, where
 * Node's would end the process, so the callback runs as a timer's does (uncaught.ts).
 */

const AT_QUEUE = site("ServiceWorkerGlobalScope", "queueMicrotask");
const AT_CLONE = site("ServiceWorkerGlobalScope", "structuredClone");

type StructuredSerializeOptions = { transfer?: unknown };

export function queueMicrotask(): void {
  const callback = toFunction<() => void>(AT_QUEUE, arguments[0], 1);
  globalThis.queueMicrotask(() => callLeavingRejections(callback, codeGlobal(), []));
}

/**
 * The runtime's structuredClone is its serialiser's round trip, the one storage writes with
 * (cloneValue): its refusals and their words, the kinds it keeps (Headers, Requests, Errors
 * with their own properties, or in V8's format before 2026-04-21 (enhanced_error_serialization),
 * DOMExceptions), getters run once. Node's would copy what the runtime refuses (a URL, a
 * TextDecoder, an AbortSignal) as plain objects and drop an Error's own properties.
 */
export function structuredClone(): unknown {
  requireArgument(AT_CLONE, arguments.length, 1, "Value");
  const options = toDictionary<StructuredSerializeOptions>(AT_CLONE, arguments[1], 2, "StructuredCloneOptions");
  return cloneValue(arguments[0], transferList(options?.transfer), codeFeatures().enhancedErrorSerialization);
}

/** The ArrayBuffers of a `transfer` option (a view stands for its buffer), as the runtime
 * takes it: an Array of them, or a TypeError in its words. */
function transferList(transfer: unknown): ArrayBuffer[] {
  if (transfer === undefined) return [];
  if (!isRuntimeArray(transfer)) throw new TypeError("Incorrect type for the 'transfer' field on 'StructuredCloneOptions': the provided value is not of type 'Array'.");
  return transfer.map((item: unknown) => {
    const buffer = ArrayBuffer.isView(item) ? item.buffer : item;
    if (!types.isArrayBuffer(buffer)) throw new TypeError("Object is not transferable");
    return buffer;
  });
}

readsNative(queueMicrotask, "queueMicrotask");
readsNative(structuredClone, "structuredClone");

import { requireArgument, site, toDictionary, toFunction } from "../../util/webidl.js";
import { callLeavingRejections } from "../uncaught.js";
import { codeGlobal } from "../../util/code-realm.js";

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

type StructuredSerializeOptions = NonNullable<Parameters<typeof globalThis.structuredClone>[1]>;

export function queueMicrotask(): void {
  const callback = toFunction<() => void>(AT_QUEUE, arguments[0], 1);
  globalThis.queueMicrotask(() => callLeavingRejections(callback, codeGlobal(), []));
}

export function structuredClone(): unknown {
  requireArgument(AT_CLONE, arguments.length, 1, "Value");
  const options = toDictionary<StructuredSerializeOptions>(AT_CLONE, arguments[1], 2, "StructuredCloneOptions");
  return globalThis.structuredClone(arguments[0], options);
}

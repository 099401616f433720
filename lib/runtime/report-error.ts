import { illegalInvocation, requireArgument, site } from "../util/webidl.js";
import { reportUncaught } from "./uncaught.js";
import { dispatchReportedError } from "./global-events.js";
import { codeGlobal } from "../util/code-realm.js";
import { types } from "node:util";
import { readsNative } from "../util/native-names.js";

const AT_REPORT = site("ServiceWorkerGlobalScope", "reportError");

/**
 * The runtime's `reportError(value)`: the value is reported as an uncaught exception would be,
 * an `error` event to the global listeners (global-events.ts) and the "Uncaught" log line, and
 * the caller goes on. Node 20 has none; Node 22's would end the process.
 */
export function reportError(this: unknown): void {
  if (this !== undefined && this !== globalThis && this !== codeGlobal()) throw illegalInvocation();
  requireArgument(AT_REPORT, arguments.length, 1, "Value");
  const error: unknown = arguments[0];
  dispatchReportedError(error, `Uncaught ${uncaughtText(error)}`);
  reportUncaught(error);
}

/** A thrown value as V8's "Uncaught" message writes it: an Error as its toString() does, any
 * other object by its constructor's name, a primitive as its text. */
function uncaughtText(value: unknown): string {
  if (types.isNativeError(value) || value instanceof Error) return String(value);
  if ((typeof value === "object" && value !== null) || typeof value === "function") {
    const name: unknown = (value as { constructor?: { name?: unknown } }).constructor?.name;
    return `#<${typeof name === "string" && name !== "" ? name : "Object"}>`;
  }
  return String(value);
}

readsNative(reportError, "reportError");

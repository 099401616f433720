import { runtimeDomException } from "../../util/dom-exception.js";
import { requireArgument, site, toIdlString } from "../../util/webidl.js";

/**
 * `atob` and `btoa` as Worker code finds them in the runtime: Node's decoding and encoding
 * (both follow the HTML standard's forgiving base64, so they accept and refuse the same
 * strings), with the runtime's argument check and its words for a refusal. Node says "Invalid
 * character" or "The string to be decoded is not correctly encoded."; the runtime says what is
 * allowed. Like the runtime's, both have length 0.
 */

const NODE_ATOB = globalThis.atob;
const NODE_BTOA = globalThis.btoa;

const AT_ATOB = site("ServiceWorkerGlobalScope", "atob");
const AT_BTOA = site("ServiceWorkerGlobalScope", "btoa");

const NOT_BASE64 =
  "atob() called with invalid base64-encoded data. (Only whitespace, '+', '/', alphanumeric ASCII, and up to two terminal '=' signs when the input data length is divisible by 4 are allowed.)";
const NOT_LATIN1 = "btoa() can only operate on characters in the Latin1 (ISO/IEC 8859-1) range.";

export function atob(): string {
  requireArgument(AT_ATOB, arguments.length, 1, "string");
  const data = toIdlString(arguments[0]);
  try {
    return NODE_ATOB(data);
  } catch {
    throw runtimeDomException(NOT_BASE64, "InvalidCharacterError");
  }
}

export function btoa(): string {
  // The runtime's type name here is capitalised, unlike atob's.
  requireArgument(AT_BTOA, arguments.length, 1, "String");
  const data = toIdlString(arguments[0]);
  try {
    return NODE_BTOA(data);
  } catch {
    throw runtimeDomException(NOT_LATIN1, "InvalidCharacterError");
  }
}

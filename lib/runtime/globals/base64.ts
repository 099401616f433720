import { runtimeDomException } from "../../util/dom-exception.js";
import { requireArgument, site, toIdlString } from "../../util/webidl.js";
import { readsNative } from "../../util/native-names.js";

/**
 * `atob` and `btoa` as Worker code finds them in the runtime: Node's decoding and encoding
 * (both follow the HTML standard's forgiving base64, so they accept and refuse the same
 * strings), with the runtime's argument check and its words for a refusal. Node says "Invalid
 * character" or "The string to be decoded is not correctly encoded."; the runtime says what is
 * allowed. Like the runtime's, both have length 0.
 */

const NOT_BASE64 =
  "atob() called with invalid base64-encoded data. (Only whitespace, '+', '/', alphanumeric ASCII, and up to two terminal '=' signs when the input data length is divisible by 4 are allowed.)";
const NOT_LATIN1 = "btoa() can only operate on characters in the Latin1 (ISO/IEC 8859-1) range.";

/**
 * The global function `name` (length 0) of one string argument, whose type the runtime's
 * TypeError names as `idlType`: Node's `convert` on the string, a refusal worded `refusal`.
 */
function withRuntimeWords(name: "atob" | "btoa", idlType: string, convert: (data: string) => string, refusal: string): () => string {
  const at = site("ServiceWorkerGlobalScope", name);
  const fn = {
    [name](): string {
      requireArgument(at, arguments.length, 1, idlType);
      const data = toIdlString(arguments[0]);
      try {
        return convert(data);
      } catch {
        throw runtimeDomException(refusal, "InvalidCharacterError");
      }
    },
  }[name]!;
  return readsNative(fn, name);
}

// Node's are looked up at each call, so a test's stub or spy of globalThis.atob sees Worker calls.
export const atob = withRuntimeWords("atob", "string", (data) => globalThis.atob(data), NOT_BASE64);
// The runtime's type name here is capitalised, unlike atob's.
export const btoa = withRuntimeWords("btoa", "String", (data) => globalThis.btoa(data), NOT_LATIN1);

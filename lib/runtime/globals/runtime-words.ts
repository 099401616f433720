import { compatibilityFlagOff, evaluatesWorkerModules, runsEmulatedCode } from "../code-context.js";
import { replaceMethod } from "../replace-method.js";
import { runtimeDomException } from "../../util/dom-exception.js";
import { acceptedBy, illegalInvocation, notOfType, site, toIdlString } from "../../util/webidl.js";
import { headerBytes, headerText } from "../../util/header-bytes.js";
import { appendValue, replacedValue, runtimeValue } from "../../util/header-values.js";
import { onlyRuntimeHolds } from "../header-names.js";
import { readsNative } from "../../util/native-names.js";
import { refuseInGlobalScope } from "./global-scope-refusal.js";
import { types } from "node:util";

/**
 * Refusals of Node's `Headers` methods, `URLSearchParams` methods called with too few arguments,
 * `FormData` methods called on another object or with too few arguments, `TextEncoder`'s
 * `encodeInto()` given no string or no Uint8Array, and `crypto.getRandomValues`/`randomUUID` in the
 * runtime's words, for Worker and object code
 * only (test code keeps Node's): methods of Node's own prototypes, so the headers of any Request or Response and the global `crypto` answer
 * alike. What is accepted stays Node's: the runtime's Headers also take an empty name, a name
 * with non-ASCII letters and a value past Latin-1, which Node refuses.
 */

const HEADER_REFUSALS: ReadonlyArray<[RegExp, string]> = [
  [/ is an invalid header name\.$/, "Invalid header name."],
  [/ is an invalid header value\.$/, "Invalid header value."],
  [/^Headers constructor: expected name\/value pair to be length 2/, "To initialize a Headers object from a sequence, each inner sequence must have exactly two elements."],
  [/^Headers constructor: Argument 1 could not be converted/, "Failed to construct 'Headers': constructor parameter 1 is not of type 'Headers or Sequence or object'."],
  // Node 20's undici spells it "contructor", Node 24's "constructor".
  [/^Headers con(s)?tructor: init\[\d+\] .* is not iterable\.$/, "Incorrect type: the provided value is not of type 'Sequence'."],
  [/^Illegal invocation$/, illegalInvocation().message],
  // The headers of a Response a global fetch() received (Node's guard).
  [/^immutable$/, "Can't modify immutable headers."],
];

/** Node's (undici's) refusal of a header, in the runtime's words; anything else as it is. */
export function headerError(error: unknown): unknown {
  if (!(error instanceof TypeError)) return error;
  const known = HEADER_REFUSALS.find(([pattern]) => pattern.test(error.message));
  return known === undefined ? error : new TypeError(known[1]);
}

/** Node's refusals of a Request's URL or input, in the runtime's words. */
const REQUEST_REFUSALS: ReadonlyArray<[RegExp, (match: RegExpExecArray) => string]> = [
  [/^Failed to parse URL from ([\s\S]*)$/, (match) => `Invalid URL: ${match[1]}`],
  [/^Cannot construct a Request with a Request object that has already been used\.$/, () => "Cannot reconstruct a Request with a used body."],
];

/** For the Request and Response constructors: Node's refusals (of a header, a URL, a used Request
 * input) in the runtime's words, for Worker and object code. */
export function inRuntimeWords(error: unknown): unknown {
  if (!runsEmulatedCode()) return error;
  if (error instanceof TypeError) {
    for (const [pattern, words] of REQUEST_REFUSALS) {
      const match = pattern.exec(error.message);
      if (match !== null) return new TypeError(words(match));
    }
  }
  return headerError(error);
}

/** What get, has and delete answer for a name no Headers here can hold (header-names.ts). */
const ABSENT = new Map<string, { value: unknown }>([["get", { value: null }], ["has", { value: false }], ["delete", { value: undefined }]]);

/** How many string arguments each Headers method requires. */
const HEADER_METHODS: ReadonlyArray<[string, number]> = [["append", 2], ["delete", 1], ["get", 1], ["has", 1], ["set", 2]];

/** How many arguments each URLSearchParams method requires. */
/** Whether the running code's URLSearchParams has() and delete() ignore a value argument (see installRuntimeWords). */
function ignoresValueArgument(): boolean {
  return compatibilityFlagOff("urlsearchparams_delete_has_value_arg") || compatibilityFlagOff("url_standard");
}

const SEARCH_PARAMS_METHODS: ReadonlyArray<[string, number]> = [["append", 2], ["delete", 1], ["get", 1], ["getAll", 1], ["has", 1], ["set", 2]];

/** The types of the arguments each FormData method requires, as the runtime names them. */
const FORM_DATA_PARAMETERS: Readonly<Record<string, readonly string[]>> = {
  append: ["string", "File or Blob or string"],
  set: ["string", "File or Blob or string"],
  get: ["string"],
  getAll: ["string"],
  has: ["string"],
  delete: ["string"],
  forEach: ["function"],
};

/** Receiver checks by Node's own members (which refuse another object and the prototype), read
 * before durasim replaces them; only asked when arguments are missing, to refuse in the runtime's order. */
const isHeaders = acceptedBy(Headers.prototype.getSetCookie);
const isSearchParams = acceptedBy(URLSearchParams.prototype.toString);
const isFormData = acceptedBy(FormData.prototype.keys);

/** Node's one Crypto, as it was at load: a test's stub of globalThis.crypto that delegates to it
 * must not make the receiver check refuse the real one. */
const WEB_CRYPTO: object = globalThis.crypto;

/** The largest buffer getRandomValues() fills, in bytes. */
const RANDOM_LIMIT = 65536;

/**
 * Installs the words on Node's prototypes; `checkMutable` refuses a change (set, append,
 * delete) of immutable headers, after the argument count and before Node's own checks.
 */
export function installRuntimeWords(checkMutable: (headers: unknown) => void): void {
  const headers = Headers.prototype as unknown as Record<string, unknown>;
  for (const [name, required] of HEADER_METHODS) {
    const at = site("Headers", name);
    const changes = name === "set" || name === "append" || name === "delete";
    replaceMethod(headers, name, (original, self, args) => {
      if (!runsEmulatedCode()) {
        if (changes) checkMutable(self);
        return Reflect.apply(original, self, args);
      }
      // The runtime checks the receiver before the arguments.
      if (args.length < required) throw isHeaders(self) ? notOfType(at, args.length + 1, "string") : illegalInvocation();
      // Both arguments convert as strings first (a Symbol refused in V8's words); a value is
      // held as its bytes and read back decoded (util/header-bytes.ts).
      const converted = required === 2 ? [toIdlString(args[0]), headerBytes(toIdlString(args[1]))] : [toIdlString(args[0])];
      let result: unknown;
      try {
        if (changes) checkMutable(self);
        const absent = ABSENT.get(name);
        if (absent !== undefined && onlyRuntimeHolds(converted[0]!)) return absent.value;
        // Appended and read as the runtime keeps values (util/header-values.ts: a Cookie's
        // joined with ", ", empty ones kept); Node checks the receiver first.
        result = name === "append" && self instanceof Headers ? appendValue(self, converted[0]!, converted[1]!) : Reflect.apply(original, self, converted);
        if (name === "get") result = runtimeValue(self as Headers, converted[0]!, result as string | null);
        else if (name === "set" || name === "delete") replacedValue(self as Headers, converted[0]!, converted[1]);
      } catch (error) {
        throw headerError(error);
      }
      return typeof result === "string" ? headerText(result) : result;
    });
  }
  const searchParams = URLSearchParams.prototype as unknown as Record<string, unknown>;
  for (const [name, required] of SEARCH_PARAMS_METHODS) {
    const at = site("URLSearchParams", name);
    replaceMethod(searchParams, name, (original, self, args) => {
      if (!runsEmulatedCode()) return Reflect.apply(original, self, args);
      if (args.length < required) throw isSearchParams(self) ? notOfType(at, args.length + 1, "USVString") : illegalInvocation();
      // has() and delete() match a value only from urlsearchparams_delete_has_value_arg (and
      // with url_standard's URLSearchParams): before, they ignore it. The flags are read only
      // when a value is given.
      if (args.length > 1 && (name === "has" || name === "delete") && ignoresValueArgument()) return Reflect.apply(original, self, [args[0]]);
      return Reflect.apply(original, self, args);
    });
  }
  // Node's FormData refuses another receiver in undici's bare words, and too few arguments in its
  // own: each of its methods is wrapped, Symbol.iterator apart (installFormDataIterator).
  const formData = FormData.prototype as unknown as Record<string, unknown>;
  for (const key of Object.getOwnPropertyNames(formData)) {
    if (key === "constructor" || typeof Object.getOwnPropertyDescriptor(formData, key)?.value !== "function") continue;
    const parameters = FORM_DATA_PARAMETERS[key] ?? [];
    const at = site("FormData", key);
    replaceMethod(formData, key, (original, self, args) => {
      // The receiver is checked first (Node's own check, in formDataWords), then the count.
      if (runsEmulatedCode() && args.length < parameters.length && isFormData(self)) throw notOfType(at, args.length + 1, parameters[args.length]!);
      return formDataWords(original, self, args);
    });
  }
  installFormDataIterator(formData);
  // TextEncoder's encodeInto() converts its source as a string (a missing one refused), and takes a
  // Uint8Array only, in the runtime's words (Node: ERR_INVALID_ARG_TYPE of each).
  const AT_ENCODE_INTO = site("TextEncoder", "encodeInto");
  replaceMethod(TextEncoder.prototype as unknown as Record<string, unknown>, "encodeInto", (original, self, args) => {
    if (!runsEmulatedCode()) return Reflect.apply(original, self, args);
    if (args.length < 1) throw notOfType(AT_ENCODE_INTO, 1, "String");
    const source = toIdlString(args[0]);
    if (!types.isUint8Array(args[1])) throw notOfType(AT_ENCODE_INTO, 2, "Uint8Array");
    return Reflect.apply(original, self, [source, args[1]]);
  });
  const cryptoPrototype = Object.getPrototypeOf(WEB_CRYPTO) as Record<string, unknown>;
  replaceMethod(cryptoPrototype, "getRandomValues", (original, self, args) => {
    // A Worker's modules being evaluated are its code too: the checks come before the refusal.
    if (runsEmulatedCode() || evaluatesWorkerModules()) checkRandomValues(self, args);
    refuseInGlobalScope();
    return Reflect.apply(original, self, args);
  });
  // The runtime declares it without parameters (Node's has one): its length is 0.
  Object.defineProperty(cryptoPrototype.getRandomValues, "length", { value: 0 });
  replaceMethod(cryptoPrototype, "randomUUID", (original, self, args) => {
    if ((runsEmulatedCode() || evaluatesWorkerModules()) && self !== WEB_CRYPTO) throw illegalInvocation();
    refuseInGlobalScope();
    return Reflect.apply(original, self, args);
  });
}

/** A FormData method's call, with undici's refusal of another receiver in the runtime's words
 * for Worker and object code. */
function formDataWords(original: Function, self: unknown, args: unknown[]): unknown {
  try {
    return Reflect.apply(original, self, args);
  } catch (error) {
    throw runsEmulatedCode() && isBareIllegalInvocation(error) ? illegalInvocation() : error;
  }
}

/**
 * FormData's Symbol.iterator: Node's is `entries` itself, the runtime's a method of its own
 * (unnamed, refusing another receiver in its words). The prototype is shared by test code and
 * Worker code, so the key holds an accessor that answers by caller: Worker and object code read
 * the runtime's method, test code reads `entries`, as in Node. Assigning it (on the prototype or
 * an instance) defines a plain property there, as assigning Node's would.
 */
function installFormDataIterator(formData: Record<PropertyKey, unknown>): void {
  const own = { [Symbol.iterator]: formData[Symbol.iterator] };
  replaceMethod(own as Record<string, unknown>, Symbol.iterator as unknown as string, formDataWords);
  const runtimeIterator = own[Symbol.iterator];
  const accessor = {
    get [Symbol.iterator](): unknown {
      return runsEmulatedCode() ? runtimeIterator : formData.entries;
    },
    set [Symbol.iterator](value: unknown) {
      Object.defineProperty(this, Symbol.iterator, { value, writable: true, enumerable: this !== formData, configurable: true });
    },
  };
  const { get, set } = Object.getOwnPropertyDescriptor(accessor, Symbol.iterator)!;
  Object.defineProperty(formData, Symbol.iterator, { get: readsNative(get!, ""), set: readsNative(set!, ""), enumerable: false, configurable: true });
}

/** undici's refusal of another receiver. */
function isBareIllegalInvocation(error: unknown): boolean {
  return error instanceof TypeError && error.message === "Illegal invocation";
}

const INTEGER_VIEWS = new Set(["Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array", "BigInt64Array", "BigUint64Array"]);

/** The runtime's checks of getRandomValues(), in its order and words. */
function checkRandomValues(self: unknown, args: unknown[]): void {
  if (self !== WEB_CRYPTO) throw illegalInvocation();
  const view = args[0];
  if (!ArrayBuffer.isView(view)) throw notOfType(site("Crypto", "getRandomValues"), 1, "ArrayBufferView");
  const kind = Object.prototype.toString.call(view).slice(8, -1);
  if (!INTEGER_VIEWS.has(kind)) {
    throw runtimeDomException("ArrayBufferView argument to getRandomValues() must be an integer-typed view.", "TypeMismatchError");
  }
  if (view.byteLength > RANDOM_LIMIT) {
    throw runtimeDomException(`getRandomValues() only accepts buffers of size <= 64K but provided ${view.byteLength} bytes.`, "QuotaExceededError");
  }
}

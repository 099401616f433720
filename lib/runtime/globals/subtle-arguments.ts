import { types } from "node:util";
import { isIdlObject, missingDictionary, notOfType, site, toIdlString } from "../../util/webidl.js";
import type { SubtleMethod } from "./subtle-names.js";

/**
 * `crypto.subtle`'s arguments converted as the runtime's binding converts them: each in order,
 * before any algorithm, format or usage is looked at, so that a missing or wrong key, data or
 * usage list is refused first, in the runtime's words (`parameter 3 is not of type
 * 'BufferSource'.`), where Node counts the arguments first and names its own types
 * ("3rd argument is not instance of ArrayBuffer, ..."). A usage list is an Array (Node takes any
 * iterable), `extractable` anything but undefined, and data may be a view of a SharedArrayBuffer
 * (given to Node as a copy, which Node refuses). An algorithm left out is refused as no string
 * nor its dictionary, one given as undefined or null as that dictionary without its required
 * name, a Symbol in V8's words; its names and members stay subtle-names.ts's and Node's to read.
 */

/** An algorithm is named by its dictionary's name (it is a string or that dictionary). */
type Parameter = `${string}Algorithm` | "string" | "key" | "bytes" | "keyData" | "boolean" | "usages";

const PARAMETERS: Record<SubtleMethod, readonly Parameter[]> = {
  encrypt: ["EncryptAlgorithm", "key", "bytes"],
  decrypt: ["EncryptAlgorithm", "key", "bytes"],
  sign: ["SignAlgorithm", "key", "bytes"],
  verify: ["SignAlgorithm", "key", "bytes", "bytes"],
  digest: ["HashAlgorithm", "bytes"],
  generateKey: ["GenerateKeyAlgorithm", "boolean", "usages"],
  deriveKey: ["DeriveKeyAlgorithm", "key", "ImportKeyAlgorithm", "boolean", "usages"],
  deriveBits: ["DeriveKeyAlgorithm", "key"],
  importKey: ["string", "keyData", "ImportKeyAlgorithm", "boolean", "usages"],
  exportKey: ["string", "key"],
  wrapKey: ["string", "key", "key", "EncryptAlgorithm"],
  unwrapKey: ["string", "bytes", "key", "EncryptAlgorithm", "ImportKeyAlgorithm", "boolean", "usages"],
};

/** The runtime's names of the types it refuses an argument of. */
const TYPE_NAMES: Partial<Record<Parameter, string>> = {
  key: "CryptoKey",
  bytes: "BufferSource",
  keyData: "BufferSource or JsonWebKey",
  boolean: "boolean",
  usages: "Array",
};

/**
 * The runtime's refusal of the call's arguments, if it refuses one as it converts them; else the
 * arguments to give Node (a view of shared memory copied).
 */
export function checkSubtleArguments(method: SubtleMethod, args: readonly unknown[]): { refusal: Error } | { args: unknown[] } {
  const given = [...args];
  const parameters = PARAMETERS[method];
  for (let i = 0; i < parameters.length; i++) {
    const refusal = argumentRefusal(method, parameters[i]!, i, args);
    if (refusal !== undefined) return { refusal };
    const value = given[i];
    if (ArrayBuffer.isView(value) && types.isSharedArrayBuffer(value.buffer)) {
      given[i] = new Uint8Array(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    }
  }
  return { args: given };
}

/** How the runtime refuses argument `i` as `parameter`, if it does. */
function argumentRefusal(method: SubtleMethod, parameter: Parameter, i: number, args: readonly unknown[]): Error | undefined {
  const value = args[i];
  if (parameter.endsWith("Algorithm")) {
    // Left out, it is neither; given as undefined or null, an empty dictionary missing its name.
    if (i >= args.length) return notOfType(site("SubtleCrypto", method), i + 1, `string or ${parameter}`);
    if (value === undefined || value === null) return missingDictionary("SubtleCrypto", parameter);
  }
  if (parameter === "keyData" && value === null) return missingDictionary("SubtleCrypto", "JsonWebKey");
  try {
    // A string, or an algorithm given as one: a Symbol fails V8's conversion.
    if (parameter === "string" || (parameter.endsWith("Algorithm") && typeof value === "symbol")) toIdlString(value);
  } catch (error) {
    return error as Error;
  }
  const type = TYPE_NAMES[parameter];
  return type === undefined || accepts(parameter, value) ? undefined : notOfType(site("SubtleCrypto", method), i + 1, type);
}

function accepts(parameter: Parameter, value: unknown): boolean {
  switch (parameter) {
    case "key":
      return value instanceof (globalThis as unknown as { CryptoKey: Function }).CryptoKey;
    case "bytes":
      return types.isArrayBuffer(value) || ArrayBuffer.isView(value);
    case "keyData":
      return types.isArrayBuffer(value) || ArrayBuffer.isView(value) || isIdlObject(value);
    case "boolean":
      return value !== undefined;
    case "usages":
      return Array.isArray(value);
    default:
      return true;
  }
}

import { types } from "node:util";
import { runtimeDomException } from "../../util/dom-exception.js";
import { lowerAscii, upperAscii } from "../../util/ascii-case.js";
import { isIdlObject, missingDictionary } from "../../util/webidl.js";

/**
 * `crypto.subtle`'s algorithm names as the runtime matches them. Its names are ASCII and it
 * folds only ASCII case, where Node's webcrypto folds all of Unicode (the long s makes
 * "\u017Fha-256" SHA-256, the Kelvin sign "PB\u212ADF2" PBKDF2): a name outside ASCII names no
 * algorithm here, refused before Node sees it, in the runtime's words for the operation. A
 * name the key's algorithm does not have is refused before any other check, as the runtime
 * does; digest() refuses what the runtime's does not compute; an EC curve's name is matched
 * ignoring ASCII case. (Other names Node does not know stay refused in Node's words.)
 * Only names given as strings or own data properties are read, so no getter runs twice.
 * digest() of null or undefined, and a dictionary with no name at all, are refused as the
 * runtime refuses them (Node: a TypeError saying `name` is required).
 */

export type SubtleMethod = "encrypt" | "decrypt" | "sign" | "verify" | "digest" | "generateKey" | "deriveKey" | "deriveBits" | "importKey" | "exportKey" | "wrapKey" | "unwrapKey";

/** Where each method takes its algorithm, and the key that algorithm must be (if any). */
const ARGUMENTS: Partial<Record<SubtleMethod, { algorithm: number; key?: number }>> = {
  encrypt: { algorithm: 0, key: 1 },
  decrypt: { algorithm: 0, key: 1 },
  sign: { algorithm: 0, key: 1 },
  verify: { algorithm: 0, key: 1 },
  deriveBits: { algorithm: 0, key: 1 },
  deriveKey: { algorithm: 0, key: 1 },
  wrapKey: { algorithm: 3, key: 2 },
  unwrapKey: { algorithm: 3, key: 2 },
  digest: { algorithm: 0 },
  generateKey: { algorithm: 0 },
  importKey: { algorithm: 2 },
};

/** What the runtime's digest() computes (Node's may compute more: SHA-3 on Node 24). */
const DIGESTS = new Set(["SHA-1", "SHA-256", "SHA-384", "SHA-512", "MD5"]);

/** The algorithms the runtime's generateKey() makes keys of; any other name is refused by name
 * first (Node knows HKDF and PBKDF2, which only import, and refuses them after their members). */
const GENERATED = new Set([
  "RSASSA-PKCS1-V1_5", "RSA-PSS", "RSA-OAEP", "ECDSA", "ECDH", "AES-CTR", "AES-CBC", "AES-GCM", "AES-KW", "HMAC", "ED25519", "X25519", "NODE-ED25519",
]);

/** The key formats importKey() reads (any other string is refused before the algorithm). */
const IMPORT_FORMATS = new Set(["raw", "pkcs8", "spki", "jwk"]);

const NOT_SUPPORTED = "NotSupportedError";
const UNKNOWN_DIGEST = "Unrecognized or unimplemented digest algorithm requested.";

/**
 * The digest a hash algorithm argument names (a string, a number as its text, or a dictionary's
 * `name`), as DIGESTS spells it; else the runtime's refusal: a TypeError for null or undefined
 * (the dictionary is required), NotSupportedError for any other name.
 */
export function digestAlgorithm(algorithm: unknown): string {
  if (algorithm === undefined || algorithm === null) throw missingDictionary("SubtleCrypto", "HashAlgorithm");
  const given = isIdlObject(algorithm) ? (algorithm as { name?: unknown }).name : algorithm;
  const name = given === undefined ? undefined : String(given);
  if (name === undefined || NON_ASCII.test(name) || !DIGESTS.has(upperAscii(name))) throw unknownAlgorithm("digest", String(name));
  return upperAscii(name);
}

/** The runtime's words for an algorithm name it does not know, by operation (any other than
 * these names a digest). */
export function unknownAlgorithm(method: SubtleMethod, name: string): DOMException {
  if (method === "deriveKey") return runtimeDomException(`Unrecognized derived key type "${name}" requested.`, NOT_SUPPORTED);
  if (method === "importKey") return runtimeDomException(`Unrecognized key import algorithm "${name}" requested.`, NOT_SUPPORTED);
  if (method === "generateKey") return runtimeDomException(`Unrecognized key generation algorithm "${name}" requested.`, NOT_SUPPORTED);
  return runtimeDomException(UNKNOWN_DIGEST, NOT_SUPPORTED);
}

/** An algorithm's name as given: a string (a number becomes one, as the runtime converts it),
 * or an object's own data property `name` that is a string. */
function nameOf(algorithm: unknown): string | undefined {
  if (typeof algorithm === "string") return algorithm;
  if (typeof algorithm === "number") return String(algorithm);
  return ownString(algorithm, "name");
}

function ownString(object: unknown, key: string): string | undefined {
  if (typeof object !== "object" || object === null) return undefined;
  const property = Object.getOwnPropertyDescriptor(object, key);
  return property !== undefined && "value" in property && typeof property.value === "string" ? property.value : undefined;
}

const NON_ASCII = /[^\x00-\x7F]/;

/**
 * The runtime's refusal of a call's algorithm names, if it refuses them before any work; else
 * the arguments to give Node (the same, or with an EC curve's name in its standard case).
 */
export function checkSubtleNames(method: SubtleMethod, args: unknown[]): { refusal: Error } | { args: unknown[] } {
  const at = ARGUMENTS[method];
  if (at === undefined) return { args };
  const algorithm = args[at.algorithm];
  if (method === "importKey" && typeof args[0] === "string") {
    if (!IMPORT_FORMATS.has(args[0])) return { refusal: runtimeDomException(`Unrecognized key import format "${args[0]}".`, NOT_SUPPORTED) };
    // The key data must be of the format's kind, checked before the algorithm's name.
    const buffer = types.isArrayBuffer(args[1]) || ArrayBuffer.isView(args[1]);
    if (args[0] === "jwk" && buffer) return { refusal: new TypeError('Import data provided for "jwk" import format must be a JsonWebKey.') };
    if (args[0] !== "jwk" && !buffer) return { refusal: new TypeError("Import data provided for buffer-based import formats must be a buffer source.") };
  }
  // digest()'s algorithm is a required dictionary (or a string).
  if (method === "digest" && (algorithm === undefined || algorithm === null)) return { refusal: missingDictionary("SubtleCrypto", "HashAlgorithm") };
  // A dictionary without a name names no algorithm the runtime knows (Node says it is required).
  if (at.key === undefined && typeof algorithm === "object" && algorithm !== null && !("name" in algorithm)) return { refusal: unknownAlgorithm(method, "undefined") };
  const name = nameOf(algorithm);
  if (name === undefined) return { args };
  const key = at.key === undefined ? undefined : args[at.key];
  const CryptoKey = (globalThis as unknown as { CryptoKey?: Function }).CryptoKey;
  if (CryptoKey !== undefined && key instanceof CryptoKey) {
    const keyName = (key as unknown as { algorithm: { name: string } }).algorithm.name;
    if (NON_ASCII.test(name) || lowerAscii(name) !== lowerAscii(keyName)) {
      return { refusal: runtimeDomException(`Requested algorithm "${name}" does not match this CryptoKey's algorithm "${keyName}".`, "InvalidAccessError") };
    }
  } else if (at.key === undefined && (NON_ASCII.test(name) || (method === "digest" && !DIGESTS.has(upperAscii(name))))) {
    return { refusal: unknownAlgorithm(method, name) };
  } else if (method === "generateKey" && !GENERATED.has(upperAscii(name))) {
    return { refusal: unknownAlgorithm(method, name) };
  }
  const hash = typeof algorithm === "object" && algorithm !== null ? nameOf(ownValue(algorithm, "hash")) : undefined;
  if (hash !== undefined && NON_ASCII.test(hash)) return { refusal: runtimeDomException(UNKNOWN_DIGEST, NOT_SUPPORTED) };
  const curve = ownString(algorithm, "namedCurve");
  if (curve === undefined) return { args };
  if (NON_ASCII.test(curve)) return { refusal: runtimeDomException(`Unrecognized or unimplemented EC curve "${curve}" requested.`, NOT_SUPPORTED) };
  const standard = upperAscii(curve);
  if (standard === curve || !/^P-(256|384|521)$/.test(standard)) return { args };
  const copy = [...args];
  copy[at.algorithm] = { ...(algorithm as object), namedCurve: standard };
  return { args: copy };
}

function ownValue(object: object, key: string): unknown {
  const property = Object.getOwnPropertyDescriptor(object, key);
  return property !== undefined && "value" in property ? property.value : undefined;
}

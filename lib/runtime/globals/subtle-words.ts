import { Buffer } from "node:buffer";
import { runtimeDomException } from "../../util/dom-exception.js";
import { upperAscii } from "../../util/ascii-case.js";
import { unknownAlgorithm } from "./subtle-names.js";
import type { SubtleMethod } from "./subtle-names.js";
import { CIPHER_RULES } from "./subtle-cipher-words.js";

/**
 * `crypto.subtle`'s refusals in the runtime's words, where Node's webcrypto has its own (and its
 * own differ between Node 20 and 24). Each rule matches the kind of Node's refusal, whatever the
 * algorithm, and words it from the call's arguments as the runtime does: an unknown algorithm
 * name or usage, a member the algorithm's dictionary requires, a key or derived length, a PBKDF2
 * count, a JWK's `kty` or `alg`, a format the key cannot be imported from. exportKey() is checked
 * before Node's work (exportRefusal): the runtime refuses a key that is not extractable before it
 * looks at the format, where Node refuses an unknown format first.
 */

type Call = { method: SubtleMethod; args: readonly unknown[]; error: Error };
type Rule = (call: Call) => Error | undefined;

/** Where each method takes the algorithm of the key it makes. */
const MADE_ALGORITHM: Partial<Record<SubtleMethod, number>> = { generateKey: 0, importKey: 2, deriveKey: 2 };

/** The usages each algorithm's keys may have. */
const SIGNING = ["sign", "verify"];
const CIPHER = ["encrypt", "decrypt", "wrapKey", "unwrapKey"];
const DERIVING = ["deriveKey", "deriveBits"];
const USAGES: Record<string, readonly string[]> = {
  HMAC: SIGNING, ECDSA: SIGNING, Ed25519: SIGNING, "RSASSA-PKCS1-v1_5": SIGNING, "RSA-PSS": SIGNING,
  "AES-GCM": CIPHER, "AES-CBC": CIPHER, "AES-CTR": CIPHER, "AES-KW": ["wrapKey", "unwrapKey"], "RSA-OAEP": CIPHER,
  ECDH: DERIVING, X25519: DERIVING, PBKDF2: DERIVING, HKDF: DERIVING,
};

/** The algorithms whose keys are secret. */
const SECRET = new Set(["HMAC", "AES-GCM", "AES-CBC", "AES-CTR", "AES-KW", "PBKDF2", "HKDF"]);

/** Whether importKey(args) imports a secret, public or private key of the algorithm `name`. */
function importedType(name: string, [format, data]: readonly unknown[]): string {
  if (SECRET.has(name)) return "secret";
  const jwkPrivate = format === "jwk" && typeof data === "object" && data !== null && (data as { d?: unknown }).d !== undefined;
  return format === "pkcs8" || jwkPrivate ? "private" : "public";
}

/** An algorithm's name as the runtime spells it, if it knows it (matched ignoring ASCII case). */
function known(name: string): string | undefined {
  return Object.keys(USAGES).find((standard) => upperAscii(standard) === upperAscii(name));
}

function nameOf(algorithm: unknown): string {
  return String(typeof algorithm === "object" && algorithm !== null ? (algorithm as { name?: unknown }).name : algorithm);
}

function member(algorithm: unknown, key: string): unknown {
  return typeof algorithm === "object" && algorithm !== null ? (algorithm as Record<string, unknown>)[key] : undefined;
}

/** A BufferSource's length in bits (0 for anything else). */
function bitsOf(data: unknown): number {
  return data instanceof ArrayBuffer || ArrayBuffer.isView(data) ? data.byteLength * 8 : 0;
}

function hashName(algorithm: unknown): string {
  return upperAscii(nameOf(member(algorithm, "hash")));
}

const RULES: Rule[] = [
  // An algorithm Node does not know: the key's algorithm if the runtime knows no such name, else its hash.
  ({ method, args, error }) => {
    const at = MADE_ALGORITHM[method];
    if (at === undefined || error.message !== "Unrecognized algorithm name") return undefined;
    const name = nameOf(args[at]);
    return known(name) !== undefined ? unknownAlgorithm("digest", name) : unknownAlgorithm(method, name);
  },
  // A required member left out of the algorithm's dictionary.
  ({ error }) => {
    const field = /^Failed to normalize algorithm: .* because '(\w+)' is required in '\w+'\.$/.exec(error.message)?.[1];
    return field === undefined ? undefined : new TypeError(`Missing field "${field}" in "algorithm".`);
  },
  // A usage the algorithm's keys cannot have (Node: not a KeyUsage, or not one for the
  // algorithm; Node 24 first compares a JWK's key_ops with the usages).
  ({ method, args, error }) => {
    if (!/KeyUsage\.$|^Unsupported key usage|^Key operations and usage mismatch$/.test(error.message) || (method !== "generateKey" && method !== "importKey")) return undefined;
    const name = known(nameOf(args[MADE_ALGORITHM[method]!]));
    const usages = args[method === "generateKey" ? 2 : 4];
    if (name === undefined || !Array.isArray(usages)) return undefined;
    const invalid: unknown = usages.find((usage) => !USAGES[name]!.includes(usage));
    if (invalid === undefined) return undefined;
    const doing = method === "generateKey" ? "generate" : `import ${importedType(name, args)}`;
    return runtimeDomException(`Attempt to ${doing} ${name} key with invalid usage "${String(invalid)}".`, "SyntaxError");
  },
  // AES key lengths, by how the key was made.
  ({ method, args, error }) => {
    if (!/^(AES key length must be 128, 192, or 256 bits|Invalid key length)$/.test(error.message)) return undefined;
    const algorithm = args[MADE_ALGORITHM[method] ?? -1];
    if (!upperAscii(nameOf(algorithm)).startsWith("AES-")) return undefined;
    if (method === "generateKey") return runtimeDomException(`Generated AES key length must be 128, 192, or 256 bits but requested ${String(member(algorithm, "length"))}.`, "OperationError");
    if (method === "deriveKey") return runtimeDomException(`Derived AES key must be 128, 192, or 256 bits in length but provided ${String(member(algorithm, "length"))}.`, "OperationError");
    if (method === "importKey" && args[0] === "raw") return runtimeDomException(`Imported AES key length must be 128, 192, or 256 bits but provided ${bitsOf(args[1])}.`, "DataError");
    return undefined;
  },
  // HMAC key lengths.
  ({ method, args, error }) => {
    if (method === "generateKey" && error.name === "OperationError" && upperAscii(nameOf(args[0])) === "HMAC" && member(args[0], "length") === 0) {
      return runtimeDomException("HMAC key length must be a non-zero unsigned long integer (requested 0).", "OperationError");
    }
    // Node refuses a length other than the data's (Node 20: "Invalid key length") or none at all.
    if (method === "importKey" && upperAscii(nameOf(args[2])) === "HMAC" && /^(Zero-length key is not supported|Invalid key length)$/.test(error.message)) {
      const bits = bitsOf(args[1]);
      return runtimeDomException(`Imported HMAC key length (${String(member(args[2], "length") ?? bits)}) must be a non-zero value up to 7 bits less than, and no greater than, the bit length of the raw key data (${bits}).`, "DataError");
    }
    return undefined;
  },
  // A key derivation's length, and PBKDF2's iteration count.
  ({ method, args, error }) => {
    const name = known(nameOf(args[0]));
    if ((method !== "deriveBits" && method !== "deriveKey") || (name !== "PBKDF2" && name !== "HKDF")) return undefined;
    if (error.message === "iterations cannot be zero") return runtimeDomException(`PBKDF2 requires a positive iteration count (requested ${String(member(args[0], "iterations"))}).`, "OperationError");
    if (error.message === "length must be a multiple of 8") return runtimeDomException(`${name} requires a derived key length that is a multiple of eight (requested ${String(args[2])}).`, "OperationError");
    if (error.message === "length cannot be null") return runtimeDomException(`${name} cannot derive a key with null length.`, "OperationError");
    return undefined;
  },
  // A JSON Web Key of another type, or whose `alg` is not the one the algorithm names.
  ({ method, args, error }) => {
    if (method !== "importKey" || args[0] !== "jwk") return undefined;
    const name = upperAscii(nameOf(args[2]));
    const jwk = args[1] as { kty?: unknown; alg?: unknown };
    if (error.message === 'Invalid JWK "kty" Parameter' && name === "HMAC") {
      return runtimeDomException(`HMAC "jwk" key import requires a JSON Web Key with Key Type parameter ("kty") equal to "oct" (encountered "${String(jwk.kty)}").`, "DataError");
    }
    if (error.message === 'Invalid JWK "kty" Parameter' && name.startsWith("AES-")) {
      return runtimeDomException(`Symmetric "jwk" key import requires a JSON Web Key with Key Type parameter "kty" equal to "oct" (encountered "${String(jwk.kty)}").`, "DataError");
    }
    if (error.message !== 'JWK "alg" does not match the requested algorithm') return undefined;
    if (name === "HMAC") {
      return runtimeDomException(`HMAC "jwk" key import specifies "alg" that is incompatible with the hash name (encountered "${String(jwk.alg)}", expected "HS${hashName(args[2]).slice(4)}").`, "DataError");
    }
    if (name.startsWith("AES-")) {
      const k = (jwk as { k?: unknown }).k;
      const bits = typeof k === "string" ? Buffer.from(k, "base64url").byteLength * 8 : 0;
      return runtimeDomException(`Symmetric "jwk" key contains invalid "alg" value "${String(jwk.alg)}", expected "A${bits}${name.slice(4)}".`, "DataError");
    }
    return undefined;
  },
  // A PBKDF2 key asked to be extractable; a format the algorithm's keys are not imported from.
  ({ method, args, error }) => {
    if (method !== "importKey") return undefined;
    if (error.message === "PBKDF2 keys are not extractable") return runtimeDomException("PBKDF2 key cannot be extractable.", "SyntaxError");
    if (/^Unable to import \S+ (key with|using \S+) format/.test(error.message)) return runtimeDomException(`Unrecognized key import format "${String(args[0])}".`, "NotSupportedError");
    return undefined;
  },
];

/** Node's refusal of a call, in the runtime's words where a rule knows them. */
export function runtimeSubtleError(method: SubtleMethod, args: readonly unknown[], error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  for (const rule of [...RULES, ...CIPHER_RULES]) {
    const reworded = rule({ method, args, error });
    if (reworded !== undefined) return reworded;
  }
  return error;
}

const EXPORT_FORMATS = new Set(["raw", "pkcs8", "spki", "jwk"]);
/** What the runtime calls the keys of each algorithm only whose public keys export raw. */
const RAW_PUBLIC_ONLY: Record<string, string> = { ECDSA: "elliptic curve", ECDH: "elliptic curve", Ed25519: "Ed25519", X25519: "X25519" };

/** The runtime's refusal of exportKey(format, key) before any export, in its order and words. */
export function exportRefusal(format: unknown, key: unknown): DOMException | undefined {
  const { extractable, type, algorithm } = key as { extractable: boolean; type: string; algorithm: { name: string } };
  if (!extractable) return runtimeDomException(`Attempt to export non-extractable ${algorithm.name} key.`, "InvalidAccessError");
  const given = String(format);
  if (!EXPORT_FORMATS.has(given) || (type === "secret" && (given === "pkcs8" || given === "spki"))) {
    return runtimeDomException(`Unimplemented key export format "${given}".`, "NotSupportedError");
  }
  const curveKeys = RAW_PUBLIC_ONLY[algorithm.name];
  if (type === "private" && given === "raw" && curveKeys !== undefined) return runtimeDomException(`Raw export of ${curveKeys} keys is only allowed for public keys.`, "InvalidAccessError");
  if (type === "private" && given === "spki") return runtimeDomException('Asymmetric spki export requires public key (not "private").', "InvalidAccessError");
  if (type === "public" && given === "pkcs8") return runtimeDomException('Asymmetric pkcs8 export requires private key (not "public").', "InvalidAccessError");
  return undefined;
}

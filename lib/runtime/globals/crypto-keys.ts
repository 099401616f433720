import { runsEmulatedCode } from "../code-context.js";
import { replaceGetter } from "../replace-method.js";
import { runtimeDomException } from "../../util/dom-exception.js";
import { inCodeRealm } from "../../util/code-realm.js";

/**
 * CryptoKeys and exported JSON Web Keys as the runtime shows them to Worker and object code:
 * - a key's `usages` are in the runtime's order (Web Crypto's KeyUsage order), whatever order
 *   they were given in (Node keeps the caller's); the same array at each read;
 * - `exportKey("jwk", ...)` gives every member of the runtime's JsonWebKey dictionary, in its
 *   order, those the key lacks undefined (so `Object.keys()` and `JSON.stringify()` read as the
 *   runtime's: `{"kty":"oct","key_ops":[...],"alg":"HS256","ext":true,"k":"..."}`), with
 *   `key_ops` in the same usage order and an Ed25519 key's `alg` "EdDSA"; Node's starts with
 *   `key_ops` and `ext`, and names Ed25519's `alg` "Ed25519";
 * - a key used for what its usages do not list is refused in the runtime's words before Node
 *   works (InvalidAccessError, as Node's), and a key made with no usages in its words (Node's
 *   refusal reworded: only such a call's promise takes the extra step, so every other settles
 *   when Node's does).
 */

const USAGE_ORDER = ["encrypt", "decrypt", "sign", "verify", "deriveKey", "deriveBits", "wrapKey", "unwrapKey"];

/** The runtime's JsonWebKey members, in its order. */
const JWK_MEMBERS = ["kty", "use", "key_ops", "alg", "ext", "crv", "x", "y", "d", "n", "e", "p", "q", "dp", "dq", "qi", "oth", "k", "pub", "priv"];

/** Each key's usages as Worker code reads them (kept so that a key reads the same array each time). */
const ordered = new WeakMap<object, unknown>();

/** Has Worker and object code read a CryptoKey's usages in the runtime's order. */
export function installCryptoKeyUsages(): void {
  const CryptoKey = (globalThis as unknown as { CryptoKey?: { prototype: object } }).CryptoKey;
  if (CryptoKey === undefined) return;
  replaceGetter(CryptoKey.prototype, "usages", (value, key) => {
    if (!runsEmulatedCode() || !Array.isArray(value) || typeof key !== "object" || key === null) return value;
    if (!ordered.has(key)) ordered.set(key, inUsageOrder(value));
    return ordered.get(key);
  });
}

/** The members the runtime's CryptoKey holds as its own, in its order. */
const KEY_MEMBERS = ["usages", "algorithm", "extractable", "type"] as const;

/**
 * A key or key pair a `subtle` method made for Worker or object code, given the runtime's shape:
 * a CryptoKey holds `usages`, `algorithm`, `extractable` and `type` as its own read-only,
 * enumerable data properties (so `Object.keys(key)` lists them and `JSON.stringify(key)` writes
 * them; Node's are getters on the prototype), read once as Worker code reads them, the
 * algorithm's members in the runtime's order; a pair is a plain object (Node 20's has a null
 * prototype) with `publicKey` first (Node puts an Ed25519 or X25519 pair's `privateKey` first). Called when the method's promise settles, before the
 * caller's reactions run.
 */
export function giveRuntimeShape(made: unknown): void {
  if (typeof made !== "object" || made === null) return;
  const CryptoKey = (globalThis as unknown as { CryptoKey?: Function }).CryptoKey;
  if (CryptoKey !== undefined && made instanceof CryptoKey) {
    holdMembers(made);
    return;
  }
  const pair = made as { publicKey?: unknown; privateKey?: unknown };
  if (!Object.hasOwn(pair, "publicKey") || !Object.hasOwn(pair, "privateKey")) return;
  const { publicKey, privateKey } = pair;
  delete pair.publicKey;
  delete pair.privateKey;
  Object.assign(pair, { publicKey, privateKey });
  if (Object.getPrototypeOf(pair) === null) Object.setPrototypeOf(pair, Object.prototype);
  inCodeRealm(pair);
  for (const key of [publicKey, privateKey]) if (typeof key === "object" && key !== null) holdMembers(key);
}

/** The members of a key's `algorithm` in the runtime's order (Node 24 puts an HMAC key's `length` before its `hash`). */
const ALGORITHM_ORDER = ["name", "namedCurve", "modulusLength", "publicExponent", "hash", "length"];

function holdMembers(key: object): void {
  if (Object.hasOwn(key, "type")) return;
  const values = KEY_MEMBERS.map((name) => {
    const value = (key as Record<string, unknown>)[name];
    return [name, name === "algorithm" ? inAlgorithmOrder(value) : value] as const;
  });
  for (const [name, value] of values) Object.defineProperty(key, name, { value, writable: false, enumerable: true, configurable: true });
}

/** A key's algorithm with its members in the runtime's order (any others after them). */
function inAlgorithmOrder(algorithm: unknown): unknown {
  if (typeof algorithm !== "object" || algorithm === null) return algorithm;
  const given = algorithm as Record<string, unknown>;
  const keys = Object.keys(given);
  const rank = (key: string) => (ALGORITHM_ORDER.includes(key) ? ALGORITHM_ORDER.indexOf(key) : ALGORITHM_ORDER.length);
  const ordered = [...keys].sort((a, b) => rank(a) - rank(b));
  if (ordered.every((key, i) => key === keys[i])) return algorithm;
  const out = Object.create(Object.getPrototypeOf(algorithm) as object | null) as Record<string, unknown>;
  for (const key of ordered) out[key] = given[key];
  return out;
}

/** An exported JWK as the runtime's dictionary holds it (see above). */
export function runtimeJwk(jwk: unknown): unknown {
  if (typeof jwk !== "object" || jwk === null || Array.isArray(jwk)) return jwk;
  const given = jwk as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const member of JWK_MEMBERS) out[member] = member === "key_ops" && Array.isArray(given[member]) ? inUsageOrder(given[member]) : given[member];
  // An Ed25519 key's algorithm is named as JOSE names it (Node: "Ed25519").
  if (out.kty === "OKP" && out.crv === "Ed25519" && out.alg === "Ed25519") out.alg = "EdDSA";
  return out;
}

function inUsageOrder(usages: unknown[]): unknown[] {
  const rank = (usage: unknown) => {
    const at = USAGE_ORDER.indexOf(usage as string);
    return at === -1 ? USAGE_ORDER.length : at;
  };
  return [...usages].sort((a, b) => rank(a) - rank(b));
}

/** The algorithms whose keys are secret (one key, no pair). */
const SECRET_KEY_ALGORITHMS = new Set(["HMAC", "AES-CTR", "AES-CBC", "AES-GCM", "AES-KW"]);

/** Where each operation takes the key whose usages must list it. */
const KEY_ARGUMENT: Readonly<Record<string, number>> = { encrypt: 1, decrypt: 1, sign: 1, verify: 1, deriveBits: 1, deriveKey: 1, wrapKey: 2, unwrapKey: 2 };

/** The runtime's refusal of a key whose usages do not list the operation, checked before Node's work. */
export function usageRefusal(method: string, args: readonly unknown[]): DOMException | undefined {
  const at = KEY_ARGUMENT[method];
  const CryptoKey = (globalThis as unknown as { CryptoKey?: Function }).CryptoKey;
  const key = at === undefined ? undefined : args[at];
  if (CryptoKey === undefined || !(key instanceof CryptoKey)) return undefined;
  if ((key as unknown as { usages: string[] }).usages.includes(method)) return undefined;
  return runtimeDomException(`Requested key usage "${method}" does not match any usage listed in this CryptoKey.`, "InvalidAccessError");
}

/** Whether a call makes a key with no usages (which Node refuses in its words; see keyUsageError). */
export function makesKeyWithoutUsages(method: string, args: readonly unknown[]): boolean {
  const usages = method === "importKey" ? args[4] : method === "generateKey" ? args[2] : undefined;
  return Array.isArray(usages) && usages.length === 0;
}

/**
 * Node's refusal of a key made with no usages, as the runtime words it: a secret or private key's,
 * or (generateKey() of a pair, by `algorithm`) the pair's.
 */
export function keyUsageError(error: unknown, algorithm: unknown): unknown {
  if (!(error instanceof DOMException) || !/^Usages cannot be empty when (importing a (secret|private) key|creating a key)\.$/.test(error.message)) return error;
  const name = typeof algorithm === "string" ? algorithm : (algorithm as { name?: unknown } | null)?.name;
  const pair = error.message.endsWith("creating a key.") && !(typeof name === "string" && SECRET_KEY_ALGORITHMS.has(name.toUpperCase()));
  return runtimeDomException(pair ? "Attempt to generate asymmetric keys with no valid private key usages." : "Secret/private CryptoKeys must have at least one usage.", error.name);
}

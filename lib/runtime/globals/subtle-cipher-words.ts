import { runtimeDomException } from "../../util/dom-exception.js";
import { upperAscii } from "../../util/ascii-case.js";
import type { SubtleMethod } from "./subtle-names.js";

/**
 * `crypto.subtle`'s refusals of ciphers, key agreement and RSA key sizes in the runtime's words
 * (BoringSSL's checks behind them), where Node's webcrypto says "The operation failed for an
 * operation-specific reason" or words of its own: an AES counter, IV or tag of the wrong size, a
 * decryption that fails (with the lengths the runtime reports), an RSA-OAEP failure, an AES-KW
 * unwrap, a derived length past the curve's, and RSA modulus lengths, which the runtime checks
 * before generating (Node generates any length OpenSSL takes, e.g. 1000 or 1023 bits).
 */

type Call = { method: SubtleMethod; args: readonly unknown[]; error: Error };

function member(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** The algorithm's name, upper-cased (the runtime matches names ignoring ASCII case). */
function upperName(algorithm: unknown): string {
  return upperAscii(String(typeof algorithm === "object" && algorithm !== null ? member(algorithm, "name") : algorithm));
}

/** A BufferSource's length in bytes (0 for anything else). */
function bytesOf(data: unknown): number {
  return data instanceof ArrayBuffer || ArrayBuffer.isView(data) ? data.byteLength : 0;
}

/** Node's words for a failure with no reason of its own. */
const UNSPECIFIED = "The operation failed for an operation-specific reason";

const operationError = (message: string) => runtimeDomException(message, "OperationError");

/** What the runtime says of a decryption BoringSSL refuses: the input, and what its update step would have written. */
function decryptionFailed(input: number, output: number, name: string): DOMException {
  return operationError(
    `Decryption failed. This could be due to a ciphertext authentication failure, bad padding, incorrect CryptoKey, or another algorithm-specific reason. Input length was ${input}, output length expected to be ${output} for ${name}`,
  );
}

/** encrypt()'s and decrypt()'s refusals of an AES or RSA-OAEP call. */
function cipherWords({ method, args, error }: Call): Error | undefined {
  if (method !== "encrypt" && method !== "decrypt") return undefined;
  const [algorithm, key, data] = args;
  const name = upperName(algorithm);
  const message = error.message;
  if (name === "AES-CTR") {
    if (/counter must contain exactly 16 bytes/.test(message)) return operationError(`Counter must have length of 16 bytes (provided ${bytesOf(member(algorithm, "counter"))}).`);
    // Node 20 and 24 word a length outside 1-128 (or one a byte cannot hold) each their own way.
    if (/AES-CTR algorithm\.length must be between|'length' of 'AesCtrParams'|length in passed algorithm is outside/.test(message)) return operationError(`Invalid counter of ${String(member(algorithm, "length"))} bits length provided.`);
  }
  if (name === "AES-CBC") {
    // The runtime's two messages differ by a word.
    const iv = bytesOf(member(algorithm, "iv"));
    if (/iv must contain exactly 16 bytes/.test(message)) return operationError(`AES-CBC IV must be 16 bytes long (provided ${iv}${method === "encrypt" ? " bytes" : ""}).`);
    if (method === "decrypt" && message === UNSPECIFIED) {
      // BoringSSL's update step holds back the last whole block, for its padding.
      const input = bytesOf(data);
      return decryptionFailed(input, input % 16 === 0 ? Math.max(input - 16, 0) : input - (input % 16), "AES-CBC");
    }
  }
  if (name === "AES-GCM") {
    const tagLength = member(algorithm, "tagLength") ?? 128;
    if (/is not a valid AES-GCM tag length/.test(message)) return operationError(`Invalid AES-GCM tag length ${String(tagLength)}.`);
    if (message === UNSPECIFIED && bytesOf(member(algorithm, "iv")) === 0) return operationError("AES-GCM IV must not be empty.");
    // Node 20 says "The provided data is too small." of a ciphertext shorter than its tag, Node 24 nothing.
    if (method === "decrypt" && (message === UNSPECIFIED || message === "The provided data is too small.") && bytesOf(data) * 8 < Number(tagLength)) {
      return operationError(`Ciphertext length of ${bytesOf(data) * 8} bits must be greater than or equal to the size of the AES-GCM tag length of ${String(tagLength)} bits.`);
    }
    if (method === "decrypt" && message === UNSPECIFIED) {
      const input = bytesOf(data) - Number(tagLength) / 8;
      return decryptionFailed(input, input, "AES-GCM");
    }
  }
  if (name === "RSA-OAEP" && message === UNSPECIFIED) {
    // A ciphertext that is not one modulus long is refused before the padding is looked at.
    const modulusBytes = Number(member(member(key, "algorithm"), "modulusLength")) / 8;
    const wrongLength = method === "decrypt" && bytesOf(data) !== modulusBytes;
    return operationError(`RSA-OAEP failed encrypt/decrypt${wrongLength ? ": Invalid RSA signature.." : "."}`);
  }
  return undefined;
}

/**
 * wrapKey()'s refusals of a raw key AES-KW cannot wrap (its bytes are the key's length): the
 * runtime names the bytes as "unwrapped". Unwrapping cannot fail but in BoringSSL: a wrapped key
 * of part of a 64-bit block, or one whose integrity check fails.
 */
function keyWrapWords({ method, args, error }: Call): Error | undefined {
  if (error.message !== UNSPECIFIED) return undefined;
  if (method === "wrapKey" && upperName(args[3]) === "AES-KW" && args[0] === "raw") {
    const bits = member(member(args[1], "algorithm"), "length");
    if (typeof bits !== "number") return undefined;
    const bytes = Math.ceil(bits / 8);
    if (bytes % 8 !== 0) return operationError(`Unwrapped key bit length must be a multiple of 64 bits but unwrapped key has a length of ${bytes * 8} bits.`);
    return bytes < 16 ? operationError(`Unwrapped key has length ${bytes} bytes but it should be greater than or equal to 16 and less than or equal to 18446744073709551607`) : undefined;
  }
  if (method !== "unwrapKey" || upperName(args[3]) !== "AES-KW") return undefined;
  const bits = bytesOf(args[1]) * 8;
  return operationError(bits % 64 === 0 ? "AES-KW key unwrapping failed." : `Provided a wrapped key to unwrap that is ${bits} bits which isn't a multiple of 64 bits.`);
}

/** The most bits each curve's key agreement derives. */
const AGREED_BITS: Record<string, number> = { X25519: 256, "P-256": 256, "P-384": 384, "P-521": 528 };

/** deriveBits() asked for more than the shared secret has (Node: "derived bit length is too small"). */
function derivedLengthWords({ method, args, error }: Call): Error | undefined {
  if (method !== "deriveBits" || error.message !== "derived bit length is too small") return undefined;
  const algorithm = member(args[1], "algorithm");
  const most = AGREED_BITS[String(member(algorithm, "namedCurve") ?? member(algorithm, "name"))];
  return most === undefined ? undefined : operationError(`Derived key length (${String(args[2])} bits) is too long (should be at most ${most} bits).`);
}

export const CIPHER_RULES: readonly ((call: Call) => Error | undefined)[] = [cipherWords, keyWrapWords, derivedLengthWords];

const RSA = new Set(["RSASSA-PKCS1-V1_5", "RSA-PSS", "RSA-OAEP"]);

/** The runtime's refusal of generateKey(args) for an RSA modulus length it does not generate, in its order and words. */
export function rsaModulusRefusal(method: SubtleMethod, args: readonly unknown[]): DOMException | undefined {
  if (method !== "generateKey" || !RSA.has(upperName(args[0]))) return undefined;
  const bits = member(args[0], "modulusLength");
  if (typeof bits !== "number") return undefined;
  if (bits === 0) return operationError("modulusLength must be greater than zero (requested 0).");
  if (bits % 8 !== 0 || bits < 256 || bits > 16384) return operationError(`The modulus length must be a multiple of 8 and between 256 and 16k, but ${bits} was requested.`);
  if (bits < 512) return operationError("RSA key size is too small.");
  if (bits % 128 !== 0) return operationError("Can't generate key: RSA key size is required to be a multiple of 128");
  return undefined;
}

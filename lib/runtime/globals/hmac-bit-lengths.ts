import { replaceGetter } from "../replace-method.js";
import { upperAscii } from "../../util/ascii-case.js";

/**
 * HMAC keys of a length in bits that is not a whole number of bytes, which the runtime generates
 * (its `algorithm.length` the bits asked for, the last byte's unused low bits zero) and Node 20
 * refuses ("must be a multiple of 8"; Node 22+ makes them as the runtime does). Where Node
 * refuses, the key is made from Node's key of the next whole byte: its bytes, the unused bits
 * cleared, imported with the caller's extractability and usages; its `algorithm` then reads the
 * bits asked for.
 */

/** The algorithm each such key reads (the same object at each read, as Node's). */
const algorithms = new WeakMap<object, unknown>();

/** Node's own `crypto.subtle` methods (not the wrapped ones Worker code calls). */
export type NodeSubtle = { generateKey: Function; exportKey: Function; importKey: Function };

/** Has such keys read their `algorithm` with the length asked for. */
export function installHmacBitLengths(): void {
  const CryptoKey = (globalThis as unknown as { CryptoKey?: { prototype: object } }).CryptoKey;
  if (CryptoKey === undefined) return;
  replaceGetter(CryptoKey.prototype, "algorithm", (value, key) => (typeof key === "object" && key !== null && algorithms.has(key) ? algorithms.get(key) : value));
}

/** Whether Node refused generateKey(args) only for an HMAC length of part of a byte. */
export function refusedHmacBits(args: readonly unknown[], error: unknown): boolean {
  const algorithm = args[0] as { name?: unknown; length?: unknown } | null;
  if (typeof algorithm !== "object" || algorithm === null || typeof algorithm.name !== "string" || upperAscii(algorithm.name) !== "HMAC") return false;
  return error instanceof TypeError && /must be a multiple of 8/.test(error.message) && typeof algorithm.length === "number";
}

/** generateKey(args) of such a key, through Node's `subtle` methods (see above). */
export async function generateHmacBits(subtle: NodeSubtle, self: object, args: readonly unknown[]): Promise<unknown> {
  const algorithm = args[0] as { hash: unknown; length: number };
  const bits = algorithm.length;
  const whole = (await Reflect.apply(subtle.generateKey, self, [{ ...algorithm, length: Math.ceil(bits / 8) * 8 }, true, args[2]])) as object;
  const bytes = new Uint8Array((await Reflect.apply(subtle.exportKey, self, ["raw", whole])) as ArrayBuffer);
  bytes[bytes.length - 1]! &= 0xff << (bytes.length * 8 - bits);
  const key = (await Reflect.apply(subtle.importKey, self, ["raw", bytes, { name: "HMAC", hash: algorithm.hash }, args[1], args[2]])) as object;
  const read = (key as { algorithm: object }).algorithm;
  algorithms.set(key, { ...read, length: bits });
  return key;
}

/**
 * Whether importKey(args) asks for an HMAC key shorter than its raw data by less than a byte,
 * which the runtime takes (the data then holds the key in its leading bits) and Node refuses
 * ("Invalid key length": it takes only the data's own length).
 */
export function importsHmacBits(args: readonly unknown[]): boolean {
  const [format, data, algorithm] = args as [unknown, unknown, { name?: unknown; length?: unknown } | null];
  if (format !== "raw" || typeof algorithm !== "object" || algorithm === null || typeof algorithm.name !== "string" || upperAscii(algorithm.name) !== "HMAC") return false;
  const bits = data instanceof ArrayBuffer || ArrayBuffer.isView(data) ? data.byteLength * 8 : 0;
  return typeof algorithm.length === "number" && algorithm.length > 0 && algorithm.length < bits && algorithm.length > bits - 8;
}

/** importKey(args) of such a key: Node's import of the whole data, its `algorithm` then reading the length asked for. */
export async function importHmacBits(subtle: NodeSubtle, self: object, args: readonly unknown[]): Promise<unknown> {
  const [format, data, algorithm, ...rest] = args as [unknown, unknown, { length: number }, ...unknown[]];
  const key = (await Reflect.apply(subtle.importKey, self, [format, data, { ...algorithm, length: undefined }, ...rest])) as object;
  algorithms.set(key, { ...(key as { algorithm: object }).algorithm, length: algorithm.length });
  return key;
}

import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { types } from "node:util";
import { copyBufferSource } from "../shared/bytes.js";
import { fieldTypeError } from "../shared/webidl.js";
import { r2ErrorWithText } from "./errors.js";

/**
 * Checksums: every single-part object has its MD5 (which is also its etag); put() may carry
 * one more digest (MD5 or one SHA), as hex text or bytes, which the service verifies against
 * what it received and then keeps. Multipart objects have no checksums.
 */
export const ALGORITHMS = [
  { field: "md5", name: "MD5", hash: "md5", bytes: 16 },
  { field: "sha1", name: "SHA-1", hash: "sha1", bytes: 20 },
  { field: "sha256", name: "SHA-256", hash: "sha256", bytes: 32 },
  { field: "sha384", name: "SHA-384", hash: "sha384", bytes: 48 },
  { field: "sha512", name: "SHA-512", hash: "sha512", bytes: 64 },
] as const;

export type ChecksumField = (typeof ALGORITHMS)[number]["field"];
type Algorithm = (typeof ALGORITHMS)[number];

/** Stored digests by field; absent fields were never computed. */
export type StoredChecksums = Partial<Record<ChecksumField, Uint8Array>>;

export interface ExpectedChecksum {
  algorithm: Algorithm;
  digest: Uint8Array;
}

/** The binding's conversion of put()'s md5/sha1/... options: at most one, well formed. */
export function convertChecksumOption(options: Record<string, unknown>): ExpectedChecksum | undefined {
  const given: ExpectedChecksum[] = [];
  for (const algorithm of ALGORITHMS) {
    const value = options[algorithm.field];
    if (value !== undefined) given.push({ algorithm, digest: digestOf(value, algorithm) });
  }
  if (given.length > 1) throw new TypeError("You cannot specify multiple hashing algorithms.");
  return given[0];
}

function digestOf(value: unknown, algorithm: Algorithm): Uint8Array {
  if (typeof value === "string") {
    if (value.length !== algorithm.bytes * 2) {
      throw new TypeError(`${algorithm.name} is ${algorithm.bytes * 2} hex characters, not ${value.length}`);
    }
    if (!/^[0-9a-f]*$/i.test(value)) throw new TypeError(`Provided ${algorithm.name} wasn't a valid hex string`);
    return new Uint8Array(Buffer.from(value, "hex"));
  }
  // A digest's bytes are a buffer source in the strict sense: a SharedArrayBuffer itself (of any realm) is refused (a view of one is not).
  const bytes = types.isSharedArrayBuffer(value) ? undefined : copyBufferSource(value);
  if (bytes === undefined) throw fieldTypeError(algorithm.field, "PutOptions", "JsBufferSource or string");
  if (bytes.byteLength !== algorithm.bytes) throw new TypeError(`${algorithm.name} is ${algorithm.bytes} bytes, not ${bytes.byteLength}`);
  return bytes;
}

export function digest(hash: string, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash(hash).update(data).digest());
}

/** The service's check of the expected digest; returns what the object keeps. */
export function checksumsFor(body: Uint8Array, expected: ExpectedChecksum | undefined): StoredChecksums {
  const out: StoredChecksums = { md5: digest("md5", body) };
  if (expected === undefined) return out;
  const { algorithm } = expected;
  const actual = out[algorithm.field] ?? digest(algorithm.hash, body);
  if (!Buffer.from(actual).equals(expected.digest)) {
    const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
    throw r2ErrorWithText(
      "put",
      `The ${algorithm.name} checksum you specified did not match what we received.\n` +
        `You provided a ${algorithm.name} checksum with value: ${hex(expected.digest)}\n` +
        `Actual ${algorithm.name} was: ${hex(actual)}`,
      10037,
    );
  }
  out[algorithm.field] = actual;
  return out;
}

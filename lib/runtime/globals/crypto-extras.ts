import { createHash, timingSafeEqual as nodeTimingSafeEqual, type Hash } from "node:crypto";
import { isBufferSource } from "../../util/buffer-source.js";
import { constructOnly } from "../../util/construct-only.js";
import { defineInterface, illegalInvocation, notOfType, notOfTypeInConstructor, site } from "../../util/webidl.js";
import { readsNative } from "../../util/native-names.js";
import { digestAlgorithm } from "./subtle-names.js";

/**
 * The runtime's crypto extensions that Node's webcrypto lacks, added to it (Worker code shares
 * Node's `crypto`):
 * - `crypto.subtle.timingSafeEqual(a, b)`: whether two buffers or views hold the same bytes,
 *   compared in constant time; buffers of different byte lengths are refused.
 * - `new crypto.DigestStream(algorithm)`: a WritableStream that hashes the bytes written to it
 *   (strings as UTF-8) with a digest `crypto.subtle.digest()` takes; its `digest` promise
 *   fulfils with the hash as an ArrayBuffer once the stream closes, or rejects with the reason
 *   it was aborted with; `bytesWritten` counts the bytes hashed (a bigint). A chunk of another
 *   type rejects its write and errors the stream.
 */

const AT_TIMING_SAFE_EQUAL = site("SubtleCrypto", "timingSafeEqual");
const NOT_BYTES = "DigestStream is a byte stream but received an object of non-ArrayBuffer/ArrayBufferView/string type on its writable side.";
/** node:crypto's names of the digests digestAlgorithm() answers. */
const NODE_HASHES: Record<string, string> = { MD5: "md5", "SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512" };

/** The bytes of an ArrayBuffer or a view (not copied); undefined for anything else. */
function bytesOf(value: unknown): Uint8Array | undefined {
  if (!isBufferSource(value, { shared: false })) return undefined;
  return ArrayBuffer.isView(value) ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength) : new Uint8Array(value);
}

function timingSafeEqual(this: unknown, ...args: unknown[]): boolean {
  if (this !== crypto.subtle) throw illegalInvocation();
  const [a, b] = [0, 1].map((index) => {
    const bytes = bytesOf(args[index]);
    if (bytes === undefined) throw notOfType(AT_TIMING_SAFE_EQUAL, index + 1, "BufferSource");
    return bytes;
  });
  if (a!.byteLength !== b!.byteLength) throw new TypeError("Input buffers must have the same byte length.");
  return nodeTimingSafeEqual(a!, b!);
}

class DigestStreamClass extends WritableStream<unknown> {
  readonly #digest: Promise<ArrayBuffer>;
  #bytesWritten = 0n;

  constructor(...args: unknown[]) {
    if (args.length === 0) throw notOfTypeInConstructor("DigestStream", 1, "string or HashAlgorithm");
    const hash: Hash = createHash(NODE_HASHES[digestAlgorithm(args[0])]!);
    let settle!: { resolve: (digest: ArrayBuffer) => void; reject: (reason: unknown) => void };
    const digest = new Promise<ArrayBuffer>((resolve, reject) => {
      settle = { resolve, reject };
    });
    // Nobody need wait for it: an abort's rejection unobserved is no unhandled one.
    digest.catch(() => {});
    // The sink runs only after super() returned, once `counted` is this stream.
    let counted: DigestStreamClass | undefined;
    super({
      write(chunk) {
        const bytes = typeof chunk === "string" ? new TextEncoder().encode(chunk) : bytesOf(chunk);
        if (bytes === undefined) throw new TypeError(NOT_BYTES);
        hash.update(bytes);
        counted!.#bytesWritten += BigInt(bytes.byteLength);
      },
      close() {
        const bytes = hash.digest();
        settle.resolve(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
      },
      abort(reason) {
        settle.reject(reason);
      },
    });
    this.#digest = digest;
    counted = this;
  }

  /** The hash as an ArrayBuffer once the stream closes; the abort's reason if it was aborted. */
  get digest(): Promise<ArrayBuffer> {
    return this.#digest;
  }

  /** How many bytes were hashed so far, as the runtime counts them: a bigint. */
  get bytesWritten(): bigint {
    return this.#bytesWritten;
  }

  static owns(value: unknown): boolean {
    return typeof value === "object" && value !== null && #digest in value;
  }
}

// The runtime's interface: getters on the prototype that check their receiver, its tag.
defineInterface(DigestStreamClass, "DigestStream", DigestStreamClass.owns);
const DigestStream = constructOnly(DigestStreamClass, "DigestStream");

export function installCryptoExtras(): void {
  const subtle = Object.getPrototypeOf(crypto.subtle) as object;
  if (!("timingSafeEqual" in subtle)) {
    const method = readsNative({ timingSafeEqual }.timingSafeEqual, "timingSafeEqual");
    Object.defineProperty(method, "length", { value: 0 });
    Object.defineProperty(subtle, "timingSafeEqual", { value: method, writable: true, enumerable: true, configurable: true });
  }
  if (!("DigestStream" in crypto)) {
    Object.defineProperty(Object.getPrototypeOf(crypto), "DigestStream", { value: DigestStream, writable: true, enumerable: true, configurable: true });
  }
}

import { createHash } from "node:crypto";

/**
 * HMAC-SHA-256 (RFC 2104 over SHA-256 of FIPS 180-4) for many short messages under one key.
 *
 * The key's inner and outer pad blocks are compressed once, when the key is set, so the MAC of
 * a message shorter than 56 bytes costs two compressions and no call into native code.
 * node:crypto's createHmac costs several times that per call (an object, a key import, a
 * binding round trip); Durable Object IDs take two MACs each, which made deriving them the
 * largest single cost of a first call to a new object. The output is bit for bit HMAC-SHA-256
 * (the spec compares it with node:crypto's).
 */

/** FIPS 180-4 §4.2.2 and §5.3.3: the fractional bits of the cube roots (K) and square roots (H0) of the first primes. */
const K = new Int32Array(64);
const H0 = new Int32Array(8);
{
  const primes: number[] = [];
  for (let n = 2; primes.length < 64; n++) if (primes.every((p) => n % p !== 0)) primes.push(n);
  const fraction32 = (x: number) => (x - Math.floor(x)) * 2 ** 32;
  primes.forEach((p, i) => (K[i] = fraction32(Math.cbrt(p)) | 0));
  for (let i = 0; i < 8; i++) H0[i] = fraction32(Math.sqrt(primes[i]!)) | 0;
}

/** The message schedule, reused by every compression (they run synchronously, one at a time). */
const W = new Int32Array(64);

/** Compresses the block whose 16 words are in W[0..15] into `state`. */
function compress(state: Int32Array): void {
  for (let t = 16; t < 64; t++) {
    const x = W[t - 15]!;
    const y = W[t - 2]!;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    W[t] = (W[t - 16]! + s0 + W[t - 7]! + s1) | 0;
  }
  let a = state[0]!, b = state[1]!, c = state[2]!, d = state[3]!;
  let e = state[4]!, f = state[5]!, g = state[6]!, h = state[7]!;
  for (let t = 0; t < 64; t++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[t]! + W[t]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0;
  state[5] = (state[5]! + f) | 0;
  state[6] = (state[6]! + g) | 0;
  state[7] = (state[7]! + h) | 0;
}

/** Loads 64 bytes of `bytes` from `offset` into W[0..15], big-endian. */
function loadBlock(bytes: Uint8Array, offset: number): void {
  for (let i = 0; i < 16; i++, offset += 4) {
    W[i] = (bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
  }
}

/** The state after compressing the 64-byte block `key XOR pad`. */
function padState(key: Uint8Array, pad: number): Int32Array {
  const block = new Uint8Array(64).fill(pad);
  for (let i = 0; i < key.length; i++) block[i]! ^= key[i]!;
  const state = H0.slice();
  loadBlock(block, 0);
  compress(state);
  return state;
}

export class HmacSha256 {
  readonly #inner: Int32Array;
  readonly #outer: Int32Array;

  constructor(key: Uint8Array) {
    // RFC 2104: a key longer than the block is hashed first.
    const block = key.length > 64 ? createHash("sha256").update(key).digest() : key;
    this.#inner = padState(block, 0x36);
    this.#outer = padState(block, 0x5c);
  }

  /**
   * The MAC of `message` (its first `messageLength` bytes: callers reusing a buffer need no view
   * of it), its first `length` bytes (at most 32) written into `out` at `offset`. `out` may be
   * `message`: the message is read before anything is written.
   */
  macInto(message: Uint8Array, out: Uint8Array, offset: number, length: number, messageLength = message.length): void {
    // Inner hash: the message after the pad block, padded to whole blocks with its bit length.
    const size = (messageLength + 9 + 63) & ~63;
    const padded = size <= SCRATCH.length ? SCRATCH.fill(0, messageLength, size) : new Uint8Array(size);
    for (let i = 0; i < messageLength; i++) padded[i] = message[i]!;
    padded[messageLength] = 0x80;
    const bits = (64 + messageLength) * 8;
    for (let i = 0, high = Math.floor(bits / 2 ** 32); i < 4; i++) {
      padded[size - 8 + i] = (high >>> (24 - 8 * i)) & 0xff;
      padded[size - 4 + i] = (bits >>> (24 - 8 * i)) & 0xff;
    }
    const inner = INNER;
    inner.set(this.#inner);
    for (let block = 0; block < size; block += 64) {
      loadBlock(padded, block);
      compress(inner);
    }
    // Outer hash: the inner digest (32 bytes) after the outer pad block, in one padded block.
    const outer = OUTER;
    outer.set(this.#outer);
    W.set(inner);
    W[8] = 0x80000000 | 0;
    W.fill(0, 9, 15);
    W[15] = (64 + 32) * 8;
    compress(outer);
    for (let i = 0; i < length; i++) out[offset + i] = (outer[i >> 2]! >>> (24 - 8 * (i & 3))) & 0xff;
  }
}

/** Scratch space of macInto (synchronous, so one of each serves every call): short messages padded, and the two states. */
const SCRATCH = new Uint8Array(256);
const INNER = new Int32Array(8);
const OUTER = new Int32Array(8);

import { Buffer } from "node:buffer";
import zlib from "node:zlib";
import { crc32 } from "../../util/crc32.js";

/**
 * The runtime's compression formats over node:zlib, as its compression streams run them: each
 * write gives its output whole or fails whole, and a decompressor refuses what the runtime
 * refuses, in its words. Bad data is "Decompression failed."; a close before the compressed data
 * ended is "Called close() on a decompression stream with incomplete data"; bytes after its end
 * (even a second gzip member, which Node's Gunzip would decompress too, or bytes Node's Inflate
 * would drop) are "Trailing bytes after end of compressed data". Empty input is incomplete.
 *
 * gzip is decompressed here as its framing around raw deflate (RFC 1952: a header, the data, a
 * CRC-32 and length trailer), so that where its one member ends is known.
 */

export type Format = "deflate" | "deflate-raw" | "gzip";

export interface Codec {
  /** The output of `bytes`; throws (a TypeError in the runtime's words) without output. */
  write(bytes: Uint8Array): Promise<Uint8Array[]>;
  /** The output left once all input is in. */
  finish(): Promise<Uint8Array[]>;
  /** Drops the work under way (the stream was aborted or cancelled). */
  discard(): void;
}

const FAILED = "Decompression failed.";
const INCOMPLETE = "Called close() on a decompression stream with incomplete data";
const TRAILING = "Trailing bytes after end of compressed data";

const EMPTY = new Uint8Array(0);

type ZlibStream = zlib.Gzip | zlib.Deflate | zlib.DeflateRaw | zlib.Inflate | zlib.InflateRaw;

/** The runtime hands each write's (and the close's) output on in pieces of 4 KiB, the last shorter. */
const PIECE = 4096;

/**
 * One of Node's zlib streams driven a write at a time: its output collected until the write is
 * processed, then cut as the runtime cuts it, into plain Uint8Arrays of their own (Node's pieces
 * share one buffer, and its next call's first piece fills what is left of the last one's).
 */
class Engine {
  readonly #stream: ZlibStream;
  #output: Buffer[] = [];
  #fed = 0;
  #error: Error | undefined;
  #ended = false;
  #onError: ((error: Error) => void) | undefined;
  #onEnd: (() => void) | undefined;

  constructor(stream: ZlibStream) {
    this.#stream = stream;
    stream.on("data", (chunk: Buffer) => this.#output.push(chunk));
    stream.on("error", (error: Error) => {
      this.#error = error;
      this.#onError?.(error);
    });
    stream.on("end", () => {
      this.#ended = true;
      this.#onEnd?.();
    });
  }

  /** Feeds `bytes`: their output, and how many of all bytes fed the engine left unread (its data ended). */
  async write(bytes: Uint8Array): Promise<{ output: Uint8Array[]; unread: number }> {
    this.#fed += bytes.byteLength;
    await new Promise<void>((resolve, reject) => {
      if (this.#error !== undefined) return reject(this.#error);
      this.#onError = reject;
      this.#stream.write(bytes, (error) => (error ? reject(error) : resolve()));
    });
    return { output: this.#take(), unread: this.#fed - this.#stream.bytesWritten };
  }

  async end(): Promise<Uint8Array[]> {
    await new Promise<void>((resolve, reject) => {
      if (this.#error !== undefined) return reject(this.#error);
      this.#onError = reject;
      this.#onEnd = resolve;
      if (this.#ended) resolve();
      this.#stream.end();
    });
    return this.#take();
  }

  destroy(): void {
    this.#stream.destroy();
  }

  #take(): Uint8Array[] {
    const output = Buffer.concat(this.#output);
    this.#output = [];
    const pieces: Uint8Array[] = [];
    for (let at = 0; at < output.byteLength; at += PIECE) pieces.push(new Uint8Array(output.subarray(at, at + PIECE)));
    return pieces;
  }
}

const COMPRESSORS = { "deflate": zlib.createDeflate, "deflate-raw": zlib.createDeflateRaw, "gzip": zlib.createGzip } as const;

export function compressor(format: Format): Codec {
  const engine = new Engine(COMPRESSORS[format]());
  return {
    write: async (bytes) => (await engine.write(bytes)).output,
    finish: () => engine.end(),
    discard: () => engine.destroy(),
  };
}

export function decompressor(format: Format): Codec {
  return format === "gzip" ? new GzipDecompressor() : zlibDecompressor(new Engine(format === "deflate" ? zlib.createInflate() : zlib.createInflateRaw()));
}

/** deflate and deflate-raw: Node's Inflate, whose unread bytes are the trailing ones. */
function zlibDecompressor(engine: Engine): Codec {
  return {
    async write(bytes) {
      const { output, unread } = await failsAs(FAILED, engine.write(bytes));
      if (unread > 0) throw new TypeError(TRAILING);
      return output;
    },
    finish: () => failsAs(INCOMPLETE, engine.end()),
    discard: () => engine.destroy(),
  };
}

/** `work`, any failure of it a TypeError of `words`. */
async function failsAs<T>(words: string, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch {
    throw new TypeError(words);
  }
}

/** gzip's header flags (RFC 1952 2.3.1) and its trailer's length. */
const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;
const RESERVED = 0xe0;
const TRAILER = 8;

/**
 * The length of the gzip header `header` starts with, or undefined while it needs more bytes;
 * throws for one zlib refuses (magic, method, reserved flags, header CRC).
 */
function gzipHeaderLength(header: readonly number[]): number | undefined {
  // zlib reads the magic, then the method and flags, two bytes at a time, and checks each pair whole.
  const [id1, id2, method, flags] = header;
  if (header.length >= 2 && (id1 !== 0x1f || id2 !== 0x8b)) throw new TypeError(FAILED);
  if (header.length >= 4 && (method !== 8 || flags! & RESERVED)) throw new TypeError(FAILED);
  if (header.length < 10 || flags === undefined) return undefined;
  let at = 10;
  if (flags & FEXTRA) {
    if (header.length < at + 2) return undefined;
    at += 2 + (header[at]! | (header[at + 1]! << 8));
    if (header.length < at) return undefined;
  }
  for (const field of [FNAME, FCOMMENT]) {
    if (!(flags & field)) continue;
    const end = header.indexOf(0, at);
    if (end < 0) return undefined;
    at = end + 1;
  }
  if (flags & FHCRC) {
    if (header.length < at + 2) return undefined;
    if ((crc32(header.slice(0, at)) & 0xffff) !== (header[at]! | (header[at + 1]! << 8))) throw new TypeError(FAILED);
    at += 2;
  }
  return at;
}

class GzipDecompressor implements Codec {
  readonly #engine = new Engine(zlib.createInflateRaw());
  #phase: "header" | "data" | "trailer" | "done" = "header";
  readonly #header: number[] = [];
  readonly #trailer: number[] = [];
  #crc = 0;
  #length = 0;

  async write(bytes: Uint8Array): Promise<Uint8Array[]> {
    let rest = bytes;
    while (this.#phase === "header" && rest.byteLength > 0) {
      this.#header.push(rest[0]!);
      rest = rest.subarray(1);
      if (gzipHeaderLength(this.#header) !== undefined) this.#phase = "data";
    }
    let output: Uint8Array[] = [];
    if (this.#phase === "data" && rest.byteLength > 0) {
      const written = await failsAs(FAILED, this.#engine.write(rest));
      output = written.output;
      for (const chunk of output) {
        this.#crc = crc32(chunk, this.#crc);
        this.#length = (this.#length + chunk.byteLength) >>> 0;
      }
      rest = written.unread > 0 ? rest.subarray(rest.byteLength - written.unread) : EMPTY;
      if (written.unread > 0) this.#phase = "trailer";
    }
    if (this.#phase === "trailer" && rest.byteLength > 0) {
      const taken = rest.subarray(0, TRAILER - this.#trailer.length);
      this.#trailer.push(...taken);
      rest = rest.subarray(taken.byteLength);
      this.#checkTrailer();
    }
    if (rest.byteLength > 0) throw new TypeError(TRAILING);
    return output;
  }

  async finish(): Promise<Uint8Array[]> {
    this.#engine.destroy();
    if (this.#phase !== "done") throw new TypeError(INCOMPLETE);
    return [];
  }

  discard(): void {
    this.#engine.destroy();
  }

  /** As zlib does: the CRC-32 once its 4 bytes are in, then the length once its 4 are. */
  #checkTrailer(): void {
    const word = (at: number) => (this.#trailer[at]! | (this.#trailer[at + 1]! << 8) | (this.#trailer[at + 2]! << 16) | (this.#trailer[at + 3]! << 24)) >>> 0;
    if (this.#trailer.length >= 4 && word(0) !== this.#crc) throw new TypeError(FAILED);
    if (this.#trailer.length < TRAILER) return;
    if (word(4) !== this.#length) throw new TypeError(FAILED);
    this.#phase = "done";
  }
}

/**
 * SQLite's write-ahead log format (https://www.sqlite.org/fileformat.html#the_write_ahead_log),
 * read and written in JavaScript. workerd keeps every Durable Object database in WAL mode, and
 * after `wrangler dev` stops most of the live data is still only in `<id>.sqlite-wal`; durasim
 * appends its own commits to the same file in the same format, so each side reads the other's.
 *
 * Invariant: a reader applies only frames up to the last valid commit frame. A frame is valid
 * when its salts match the header's and its checksum, chained from the header through every
 * earlier frame, matches. So a torn append (a crash mid-write) or frames left over from before a
 * reset are never applied, and what a reader sees is always some committed transaction.
 */

import { isPageSize } from "../../sqlite/file-header.js";

export const WAL_HEADER_BYTES = 32;
export const FRAME_HEADER_BYTES = 24;
/** Magic numbers: the low bit says whether checksums read the data as big-endian words. */
const MAGIC_LITTLE_ENDIAN = 0x377f0682;
const MAGIC_BIG_ENDIAN = 0x377f0683;
const FORMAT_VERSION = 3007000;

export interface WalHeader {
  pageSize: number;
  checkpointSequence: number;
  salt1: number;
  salt2: number;
  bigEndianChecksums: boolean;
  /** The header's checksum: where the first frame's chain starts. */
  checksum: Checksum;
}

export type Checksum = readonly [number, number];

/** The pages of one committed transaction, and the database size in pages after it. */
export interface WalCommit {
  pages: ReadonlyMap<number, Uint8Array>;
  pageCount: number;
}

export interface WalContents {
  header: WalHeader;
  commits: WalCommit[];
  /** Bytes from the start of the file through the last valid commit frame. */
  validBytes: number;
  /** The checksum of the last valid commit frame (where the next append's chain starts). */
  checksum: Checksum;
}

const NATIVE_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** SQLite's WAL checksum over `bytes` (a multiple of 8 long), continuing from `start`. */
export function walChecksum(bytes: Uint8Array, bigEndian: boolean, start: Checksum = [0, 0]): Checksum {
  let s1 = start[0];
  let s2 = start[1];
  if (bigEndian !== NATIVE_LITTLE_ENDIAN && bytes.byteOffset % 4 === 0) {
    // Words in the machine's own order: read them directly (the common case, and 10x faster).
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    for (let i = 0; i < words.length; i += 2) {
      s1 = (s1 + words[i]! + s2) >>> 0;
      s2 = (s2 + words[i + 1]! + s1) >>> 0;
    }
    return [s1, s2];
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const littleEndian = !bigEndian;
  for (let offset = 0; offset < bytes.byteLength; offset += 8) {
    s1 = (s1 + view.getUint32(offset, littleEndian) + s2) >>> 0;
    s2 = (s2 + view.getUint32(offset + 4, littleEndian) + s1) >>> 0;
  }
  return [s1, s2];
}

/** The header of a WAL file, or undefined when it is missing, unknown or corrupt. */
export function readWalHeader(wal: Uint8Array): WalHeader | undefined {
  if (wal.byteLength < WAL_HEADER_BYTES) return undefined;
  const view = new DataView(wal.buffer, wal.byteOffset, WAL_HEADER_BYTES);
  const magic = view.getUint32(0);
  if (magic !== MAGIC_LITTLE_ENDIAN && magic !== MAGIC_BIG_ENDIAN) return undefined;
  if (view.getUint32(4) !== FORMAT_VERSION) return undefined;
  const pageSize = view.getUint32(8);
  if (!isPageSize(pageSize)) return undefined;
  const bigEndianChecksums = magic === MAGIC_BIG_ENDIAN;
  const checksum = walChecksum(wal.subarray(0, 24), bigEndianChecksums);
  if (checksum[0] !== view.getUint32(24) || checksum[1] !== view.getUint32(28)) return undefined;
  return {
    pageSize,
    checkpointSequence: view.getUint32(12),
    salt1: view.getUint32(16),
    salt2: view.getUint32(20),
    bigEndianChecksums,
    checksum,
  };
}

/** Every committed transaction in a WAL file, oldest first; undefined if it has no valid header. */
export function readWal(wal: Uint8Array): WalContents | undefined {
  const header = readWalHeader(wal);
  if (header === undefined) return undefined;
  const frameBytes = FRAME_HEADER_BYTES + header.pageSize;
  const commits: WalCommit[] = [];
  let pending = new Map<number, Uint8Array>();
  let chain = header.checksum;
  let validBytes = WAL_HEADER_BYTES;
  let committedChain = chain;
  for (let offset = WAL_HEADER_BYTES; offset + frameBytes <= wal.byteLength; offset += frameBytes) {
    const view = new DataView(wal.buffer, wal.byteOffset + offset, FRAME_HEADER_BYTES);
    const pageNumber = view.getUint32(0);
    const pageCountAfterCommit = view.getUint32(4);
    if (pageNumber === 0 || view.getUint32(8) !== header.salt1 || view.getUint32(12) !== header.salt2) break;
    chain = walChecksum(wal.subarray(offset, offset + 8), header.bigEndianChecksums, chain);
    const page = wal.subarray(offset + FRAME_HEADER_BYTES, offset + frameBytes);
    chain = walChecksum(page, header.bigEndianChecksums, chain);
    if (chain[0] !== view.getUint32(16) || chain[1] !== view.getUint32(20)) break;
    pending.set(pageNumber, page);
    if (pageCountAfterCommit !== 0) {
      commits.push({ pages: pending, pageCount: pageCountAfterCommit });
      pending = new Map();
      validBytes = offset + frameBytes;
      committedChain = chain;
    }
  }
  return { header, commits, validBytes, checksum: committedChain };
}

/**
 * The database image after applying `commits` to `main` (the main file's bytes, possibly empty).
 * Each commit may grow or shrink the database; pages past its size are dropped.
 */
export function applyCommits(main: Uint8Array, pageSize: number, commits: readonly WalCommit[]): Uint8Array {
  if (commits.length === 0) return main;
  const pageCount = commits.at(-1)!.pageCount;
  const image = new Uint8Array(pageCount * pageSize);
  image.set(main.subarray(0, Math.min(main.byteLength, image.byteLength)));
  for (const commit of commits) {
    for (const [pageNumber, page] of commit.pages) {
      if (pageNumber <= pageCount) image.set(page, (pageNumber - 1) * pageSize);
    }
  }
  return image;
}

/** Builds WAL bytes: a header for a fresh log, then frames that continue its checksum chain. */
export class WalEncoder {
  readonly pageSize: number;
  readonly header: Uint8Array;
  #salt1: number;
  #salt2: number;
  #chain: Checksum;

  /** A fresh log; salts should differ from the previous log's so its frames never match. */
  constructor(pageSize: number, salt1: number, salt2: number, checkpointSequence = 0) {
    if (!isPageSize(pageSize)) throw new RangeError(`durasim internal: invalid SQLite page size ${pageSize}`);
    this.pageSize = pageSize;
    this.#salt1 = salt1 >>> 0;
    this.#salt2 = salt2 >>> 0;
    const header = new Uint8Array(WAL_HEADER_BYTES);
    const view = new DataView(header.buffer);
    view.setUint32(0, MAGIC_LITTLE_ENDIAN);
    view.setUint32(4, FORMAT_VERSION);
    view.setUint32(8, pageSize);
    view.setUint32(12, checkpointSequence >>> 0);
    view.setUint32(16, this.#salt1);
    view.setUint32(20, this.#salt2);
    this.#chain = walChecksum(header.subarray(0, 24), false);
    view.setUint32(24, this.#chain[0]);
    view.setUint32(28, this.#chain[1]);
    this.header = header;
  }

  /**
   * Frames for one transaction: each page once, in page order, the last one marked as the
   * commit with the database's size in pages. Advances the chain only when `accept()` is called
   * with the result, so a failed write can be retried from the same point.
   */
  encodeCommit(pages: ReadonlyMap<number, Uint8Array>, pageCount: number): { bytes: Uint8Array; chain: Checksum } {
    if (pages.size === 0) throw new Error("durasim internal: a WAL commit needs at least one page");
    const frameBytes = FRAME_HEADER_BYTES + this.pageSize;
    const bytes = new Uint8Array(pages.size * frameBytes);
    const view = new DataView(bytes.buffer);
    const order = [...pages.keys()].sort((a, b) => a - b);
    let chain = this.#chain;
    order.forEach((pageNumber, index) => {
      const page = pages.get(pageNumber)!;
      if (page.byteLength !== this.pageSize) {
        throw new Error(`durasim internal: page ${pageNumber} is ${page.byteLength} bytes, not ${this.pageSize}`);
      }
      const offset = index * frameBytes;
      view.setUint32(offset, pageNumber);
      view.setUint32(offset + 4, index === order.length - 1 ? pageCount : 0);
      view.setUint32(offset + 8, this.#salt1);
      view.setUint32(offset + 12, this.#salt2);
      bytes.set(page, offset + FRAME_HEADER_BYTES);
      chain = walChecksum(bytes.subarray(offset, offset + 8), false, chain);
      chain = walChecksum(bytes.subarray(offset + FRAME_HEADER_BYTES, offset + frameBytes), false, chain);
      view.setUint32(offset + 16, chain[0]);
      view.setUint32(offset + 20, chain[1]);
    });
    return { bytes, chain };
  }

  /** Records that frames ending in `chain` reached the file. */
  accept(chain: Checksum): void {
    this.#chain = chain;
  }
}

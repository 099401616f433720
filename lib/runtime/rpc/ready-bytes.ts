/**
 * The bytes a stream received over RPC holds for its reader, cut as the runtime cuts them.
 *
 * workerd pumps the sender's stream chunk by chunk into a Cap'n Proto byte stream, and the
 * receiver's reads take whatever has arrived: chunks the sender had ready merge into one read,
 * a large chunk spreads over several. A read takes at most PIECE bytes (the receiver's read
 * buffer) or, from a BYOB reader, as many as its view holds; and it never runs past a WINDOW
 * boundary of what arrived together (the transport hands the receiver a burst in windows of
 * 64 KiB: a 10000-byte BYOB read of a 120000-byte burst gets 6 × 10000, then 5536).
 */

/** The most a default reader's read gets. */
export const PIECE = 4096;
/** The span of a burst no read runs across. */
const WINDOW = 65536;

export class ReadyBytes {
  /** The burst's chunks not read to their end yet; the first one from `#offset` on. */
  #chunks: Uint8Array[] = [];
  #offset = 0;
  #size = 0;
  /** Bytes left in the current window (0: the next read opens one). */
  #windowLeft = 0;

  get empty(): boolean {
    return this.#size === 0;
  }

  /** Adds a chunk that arrived with the current burst (only while the last one is fully read). */
  add(bytes: Uint8Array): void {
    if (bytes.byteLength === 0) return;
    this.#chunks.push(bytes);
    this.#size += bytes.byteLength;
  }

  /**
   * Takes the next read's bytes, at most `max` and not past the window: into `view` (a BYOB
   * read), answering how many, or else as a Uint8Array of their own.
   */
  take(max: number): Uint8Array;
  take(max: number, view: Uint8Array): number;
  take(max: number, view?: Uint8Array): Uint8Array | number {
    if (this.#windowLeft === 0) this.#windowLeft = Math.min(WINDOW, this.#size);
    const count = Math.min(max, this.#windowLeft);
    const first = this.#chunks[0]!;
    // A whole chunk needs no copy: it is a copy of the sender's already.
    if (view === undefined && this.#offset === 0 && first.byteLength === count) {
      this.#advance(count);
      return first;
    }
    const out = view ?? new Uint8Array(count);
    for (let filled = 0; filled < count; ) {
      const chunk = this.#chunks[0]!;
      const part = Math.min(count - filled, chunk.byteLength - this.#offset);
      out.set(chunk.subarray(this.#offset, this.#offset + part), filled);
      filled += part;
      this.#advance(part);
    }
    return view === undefined ? out : count;
  }

  /** Moves past `count` bytes, all within the first chunk. */
  #advance(count: number): void {
    this.#offset += count;
    this.#size -= count;
    this.#windowLeft -= count;
    if (this.#offset === this.#chunks[0]!.byteLength) {
      this.#chunks.shift();
      this.#offset = 0;
    }
  }
}

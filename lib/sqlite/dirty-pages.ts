import type { WriteSink } from "./file-writes.js";

/**
 * Collects the pages SQLite wrote into a database file since the last commit was taken, as
 * whole pages keyed by page number (1-based). A page written twice keeps its last contents,
 * which are what the file holds. SQLite writes the database file only in whole, aligned pages;
 * anything else means the tap is misreading the engine, and is reported rather than persisted.
 */
export class DirtyPages {
  readonly #pageSize: number;
  #pages = new Map<number, Uint8Array>();

  constructor(pageSize: number) {
    this.#pageSize = pageSize;
  }

  readonly sink: WriteSink = (offset, bytes) => {
    if (offset % this.#pageSize !== 0 || bytes.byteLength % this.#pageSize !== 0) {
      throw new Error(`durasim internal: SQLite wrote ${bytes.byteLength} bytes at ${offset}, not whole pages`);
    }
    for (let start = 0; start < bytes.byteLength; start += this.#pageSize) {
      this.#pages.set((offset + start) / this.#pageSize + 1, bytes.subarray(start, start + this.#pageSize));
    }
  };

  get size(): number {
    return this.#pages.size;
  }

  /**
   * The pages written since the last call, limited to the database's `pageCount` pages (a
   * rolled-back transaction can leave writes past the end of a file SQLite then truncated).
   */
  take(pageCount: number): Map<number, Uint8Array> {
    const pages = this.#pages;
    this.#pages = new Map();
    for (const pageNumber of pages.keys()) if (pageNumber > pageCount) pages.delete(pageNumber);
    return pages;
  }

  /** Forgets the collected writes (the database was replaced wholesale). */
  clear(): void {
    this.#pages.clear();
  }
}

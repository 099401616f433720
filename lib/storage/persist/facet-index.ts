import { Buffer } from "node:buffer";
import { closeSync, ftruncateSync, openSync } from "node:fs";
import { dirname } from "node:path";
import { type Durability, makeDirectory, readIfExists, syncData, syncDirectory, writeAll } from "./durability.js";

/**
 * One object's facet index, `<id>.facets` beside its `<id>.sqlite`, in workerd's format (so a
 * directory `wrangler dev` wrote opens here and the other way round): it numbers the object's
 * facets, and facet number n keeps its database in `<id>.<n>.sqlite`. The root object is 0; a
 * facet is named within its parent (a facet's facets are its children), and gets the next number
 * the first time it is used. Numbers are never taken back: a deleted facet started again under
 * its name reuses its number, so the file only ever grows.
 *
 * The file: 8 bytes of magic (0xc4cdce5bc5b0ef57), then one entry per facet in number order, each
 * a parent number (2 bytes), a name length in UTF-8 bytes (2 bytes, not 0) and the name; integers
 * little-endian. A torn tail (a crash mid-append: an empty name, a name past the end, a parent not
 * numbered yet, a repeated entry) was never used: reading stops there and the next append
 * overwrites it, as workerd does.
 */

const MAGIC = 0xc4cdce5bc5b0ef57n;
const MAGIC_BYTES = 8;
const HEADER_BYTES = 4;
const MAX_NUMBER = 0xffff;

export class FacetIndex {
  readonly #path: string;
  readonly #durability: Durability;
  /** `${parent}/${name}` to number; entry n (from 1) at position n - 1. */
  readonly #numbers = new Map<string, number>();
  readonly #entries: { parent: number; name: string }[] = [];
  /** Where the next entry goes: the end of the valid entries (undefined: no file yet). */
  #end: number | undefined;

  constructor(path: string, durability: Durability) {
    this.#path = path;
    this.#durability = durability;
    const bytes = readIfExists(path);
    // A file no longer than the magic: a crash while it was being made; it starts over.
    if (bytes === undefined || bytes.byteLength <= MAGIC_BYTES) return;
    if (bytes.readBigUInt64LE(0) !== MAGIC) throw new Error(`${path} is not a facet index (its first 8 bytes are not workerd's magic number)`);
    let offset = MAGIC_BYTES;
    while (offset + HEADER_BYTES <= bytes.byteLength && this.#entries.length < MAX_NUMBER) {
      const parent = bytes.readUInt16LE(offset);
      const length = bytes.readUInt16LE(offset + 2);
      const end = offset + HEADER_BYTES + length;
      if (length === 0 || end > bytes.byteLength || parent > this.#entries.length) break;
      const name = bytes.toString("utf8", offset + HEADER_BYTES, end);
      if (this.#numbers.has(key(parent, name))) break;
      this.#add(parent, name);
      offset = end;
    }
    this.#end = offset;
  }

  /** The number of facet `name` of facet `parent`, if it has one. */
  find(parent: number, name: string): number | undefined {
    return this.#numbers.get(key(parent, name));
  }

  /** The number of facet `name` of facet `parent`, given now (and written durably) if it has none. */
  number(parent: number, name: string): number {
    const known = this.find(parent, name);
    if (known !== undefined) return known;
    const nameBytes = Buffer.from(name, "utf8");
    if (nameBytes.byteLength === 0 || nameBytes.byteLength > 0xffff) throw new Error(`durasim internal: a facet name of ${nameBytes.byteLength} bytes cannot be indexed`);
    if (this.#entries.length >= MAX_NUMBER) throw new Error("Maximum number of facets exceeded");
    const entry = Buffer.alloc(HEADER_BYTES + nameBytes.byteLength);
    entry.writeUInt16LE(parent, 0);
    entry.writeUInt16LE(nameBytes.byteLength, 2);
    nameBytes.copy(entry, HEADER_BYTES);
    this.#append(entry);
    return this.#add(parent, name);
  }

  /** The names of facet `parent`'s facets that have numbers. */
  children(parent: number): string[] {
    return this.#entries.filter((entry) => entry.parent === parent).map((entry) => entry.name);
  }

  #add(parent: number, name: string): number {
    this.#entries.push({ parent, name });
    this.#numbers.set(key(parent, name), this.#entries.length);
    return this.#entries.length;
  }

  /** Writes `entry` at the end (the magic first, synced apart, for a new file), then syncs it. */
  #append(entry: Buffer): void {
    const fresh = this.#end === undefined;
    if (fresh) makeDirectory(dirname(this.#path), this.#durability);
    const fd = openSync(this.#path, fresh ? "w" : "r+");
    try {
      if (fresh) {
        const magic = Buffer.alloc(MAGIC_BYTES);
        magic.writeBigUInt64LE(MAGIC);
        writeAll(fd, magic, 0);
        syncData(fd, this.#durability);
        this.#end = MAGIC_BYTES;
      } else {
        // A torn tail goes first, or what is left of it past the new entry would read as more.
        ftruncateSync(fd, this.#end);
      }
      writeAll(fd, entry, this.#end!);
      syncData(fd, this.#durability);
    } finally {
      closeSync(fd);
    }
    if (fresh) syncDirectory(dirname(this.#path), this.#durability);
    this.#end! += entry.byteLength;
  }
}

function key(parent: number, name: string): string {
  return `${parent}/${name}`;
}

/** The facet indexes of a directory's objects, each read once, by namespace and object id. */
export class FacetIndexes {
  readonly #indexes = new Map<string, Map<string, FacetIndex>>();

  constructor(
    private readonly pathOf: (uniqueKey: string, id: string) => string,
    private readonly durability: Durability,
  ) {}

  /**
   * The number of the facet at `path` (names from the object down: a facet's facet is
   * [facet, its facet]) of object `id`: given if it has none and `give`, else undefined then.
   */
  number(uniqueKey: string, id: string, path: readonly string[], give: boolean): number | undefined {
    const index = this.#index(uniqueKey, id);
    let number = 0;
    for (const name of path) {
      const next = give ? index.number(number, name) : index.find(number, name);
      if (next === undefined) return undefined;
      number = next;
    }
    return number;
  }

  /** The names of the facets of the facet at `path` (the object's own: []) that have numbers. */
  children(uniqueKey: string, id: string, path: readonly string[]): string[] {
    const number = this.number(uniqueKey, id, path, false);
    return number === undefined ? [] : this.#index(uniqueKey, id).children(number);
  }

  /** Forgets a namespace's indexes (its directory moved): they are read again from where it then is. */
  forget(uniqueKey: string): void {
    this.#indexes.delete(uniqueKey);
  }

  #index(uniqueKey: string, id: string): FacetIndex {
    let namespace = this.#indexes.get(uniqueKey);
    if (namespace === undefined) this.#indexes.set(uniqueKey, (namespace = new Map()));
    let index = namespace.get(id);
    if (index === undefined) namespace.set(id, (index = new FacetIndex(this.pathOf(uniqueKey, id), this.durability)));
    return index;
  }
}

import { randomBytes } from "node:crypto";
import { closeSync, openSync, readFileSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { type Durability, makeDirectory, syncData, syncDirectory, writeAll } from "../../storage/persist/durability.js";

/**
 * Values and object bodies on disk, one immutable file per blob, as Miniflare keeps them
 * (`<store>/blobs/<id>`): an id is 64 random hex digits and the creation time in milliseconds
 * as 16 hex digits. A blob is written in full (and synced, per the durability policy) before
 * any database row names it, so a crash can leave an unnamed blob but never a row without its
 * bytes; a blob is removed only after the row naming it is gone.
 */
export class BlobFiles {
  readonly #pathOf: (id: string) => string;
  readonly #durability: Durability;

  constructor(pathOf: (id: string) => string, durability: Durability) {
    this.#pathOf = pathOf;
    this.#durability = durability;
  }

  read(id: string): Uint8Array {
    return new Uint8Array(readFileSync(this.#pathOf(id)));
  }

  write(bytes: Uint8Array, now: number): string {
    const id = `${randomBytes(32).toString("hex")}${Math.max(0, Math.floor(now)).toString(16).padStart(16, "0")}`;
    const path = this.#pathOf(id);
    makeDirectory(dirname(path), this.#durability);
    const fd = openSync(path, "wx");
    try {
      writeAll(fd, bytes, 0);
      syncData(fd, this.#durability);
    } finally {
      closeSync(fd);
    }
    syncDirectory(dirname(path), this.#durability);
    return id;
  }

  remove(id: string): void {
    rmSync(this.#pathOf(id), { force: true });
  }
}

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
 *
 * A snapshot of the store names the blobs its rows named then, and may be restored later, so a
 * blob a row stops naming (`release()`) must stay if some snapshot can name it. One can only if
 * the blob existed when that snapshot was taken: a blob written since the latest snapshot is
 * named by no snapshot at all, and goes as soon as no row names it. So a test's writes between
 * a snapshot and the restore that undoes them leave no files behind, whatever the number of
 * tests, and a blob that existed at a snapshot stays for as long as the store is open.
 */
export class BlobFiles {
  readonly #pathOf: (id: string) => string;
  readonly #durability: Durability;
  /** Whether a snapshot was taken: until then no blob is kept for one. */
  #snapshotted = false;
  /** Blobs written since the latest snapshot (named by none). */
  readonly #sinceSnapshot = new Set<string>();

  constructor(pathOf: (id: string) => string, durability: Durability) {
    this.#pathOf = pathOf;
    this.#durability = durability;
  }

  read(id: string): Uint8Array {
    return new Uint8Array(readFileSync(this.#pathOf(id)));
  }

  /**
   * Runs `change`, which writes blobs (through `write`) and then the rows naming them. If it
   * throws (the disk refused a blob or the database), the blobs it wrote go again: a failed
   * write leaves no file behind, where a crash may leave one (see above).
   */
  writing<T>(now: number, change: (write: (bytes: Uint8Array) => string) => T): T {
    const written: string[] = [];
    try {
      return change((bytes) => {
        const id = this.#write(bytes, now);
        written.push(id);
        return id;
      });
    } catch (error) {
      this.release(written);
      throw error;
    }
  }

  #write(bytes: Uint8Array, now: number): string {
    const id = `${randomBytes(32).toString("hex")}${Math.max(0, Math.floor(now)).toString(16).padStart(16, "0")}`;
    const path = this.#pathOf(id);
    makeDirectory(dirname(path), this.#durability);
    const fd = openSync(path, "wx");
    try {
      writeAll(fd, bytes, 0);
      syncData(fd, this.#durability);
      // The new file's directory entry is part of what makes the blob durable.
      syncDirectory(dirname(path), this.#durability);
    } catch (error) {
      closeSync(fd);
      // A write that failed leaves no file behind (writing() removes only the blobs it got ids
      // of), unless the disk refuses that too: then it is a stray file no row names.
      try {
        rmSync(path, { force: true });
      } catch {
        // (see above)
      }
      throw error;
    }
    closeSync(fd);
    this.#sinceSnapshot.add(id);
    return id;
  }

  /** Records that a snapshot of the store is being taken: every blob now may be named by it. */
  snapshotTaken(): void {
    this.#snapshotted = true;
    this.#sinceSnapshot.clear();
  }

  /** Removes the blobs no row names any more, except those a snapshot may name. */
  release(ids: Iterable<string>): void {
    for (const id of ids) {
      // Forget it either way: an id kept in the set after its blob went would grow it for good.
      const fresh = this.#sinceSnapshot.delete(id);
      if (this.#snapshotted && !fresh) continue;
      try {
        rmSync(this.#pathOf(id), { force: true });
      } catch {
        // The change that stopped naming it is made: a blob that will not go is a stray file
        // no row names (as a crash can leave), not that change's failure.
      }
    }
  }
}

import { randomInt } from "node:crypto";
import { closeSync, ftruncateSync, openSync, readFileSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { makeDirectory, readIfExists, syncData, syncDirectory, writeAll, writeFileAtomically, type Durability } from "./durability.js";
import { databaseDamage, isDatabaseImage, pageSizeOf, setJournalFormat } from "../../sqlite/file-header.js";
import { DamagedFileError } from "./damaged-file.js";
import { applyCommits, readWal, WalEncoder, type WalCommit, type WalContents } from "./wal.js";

/**
 * One SQLite database on disk, as workerd keeps it: `<name>.sqlite` plus `<name>.sqlite-wal`
 * (and workerd's `-shm` index, which is only a cache and is removed). A commit appends the
 * transaction's pages to the WAL as real SQLite frames, so its cost is O(pages changed), not
 * O(database size); once the WAL holds `checkpointFrames` frames they are copied into the main
 * file and the WAL starts over.
 *
 * Invariants: the files always hold some committed transaction (the WAL's checksums reject a
 * torn append; the main file changes only from frames already safe in the WAL, or by an atomic
 * rename when it is first created or replaced by a database of another page size). A call that
 * throws leaves the files as they were before it, as every later load() reads them; one that
 * returns has made its transaction durable, and what fails after that (a checkpoint) is not
 * its failure. On its API the image is in the in-memory engine's form
 * (rollback-journal header bytes); on disk page 1 says WAL, as workerd expects.
 */
export class DatabaseFile {
  readonly path: string;
  readonly walPath: string;
  readonly #durability: Durability;
  readonly #checkpointFrames: number;
  /** Page size and whether the main file exists; set by load() or the first commit. */
  #pageSize: number | undefined;
  #mainExists = false;
  #encoder: WalEncoder | undefined;
  /** Bytes of valid log in the WAL file (0: no log yet, the next commit writes a header). */
  #walBytes = 0;
  #walFrames = 0;
  /** WAL frames at which the next commit checkpoints (raised while the main file refuses it). */
  #checkpointAt: number;
  #loaded = false;

  constructor(path: string, durability: Durability, { checkpointFrames = 1000 } = {}) {
    this.path = path;
    this.walPath = `${path}-wal`;
    this.#durability = durability;
    this.#checkpointFrames = checkpointFrames;
    this.#checkpointAt = checkpointFrames;
  }

  /**
   * Leaves the files tidy: the WAL checkpointed into the main file (unless the disk refuses it)
   * and the stale `-shm` gone.
   */
  load(): Uint8Array | undefined {
    const main = readIfExists(this.path) ?? new Uint8Array(0);
    const wal = readIfExists(this.walPath);
    const log = wal === undefined ? undefined : readWal(wal);
    const pageSize = log?.header.pageSize ?? (isDatabaseImage(main) ? pageSizeOf(main) : undefined);
    const image = log === undefined || pageSize === undefined ? main : applyCommits(main, pageSize, log.commits);
    // Checked before anything is written: a damaged file is never checkpointed over or taken
    // for an empty database (which the next commit would replace).
    const damage = image.byteLength === 0 ? undefined : databaseDamage(image);
    if (damage !== undefined) throw this.#damagedFile(damage);
    this.#loaded = true;
    this.#mainExists = main.byteLength > 0;
    this.#pageSize = pageSize;
    // A main file that refuses the WAL's commits (a full disk) keeps them there: reading goes
    // on, and the next commit checkpoints first (see commit()).
    const logKept = log !== undefined && log.commits.length > 0 && !this.#checkpointLoaded(log);
    // Else every commit the WAL held is in the main file now, synced: a sync of the WAL's emptying
    // the disk refuses is not the load's failure, as it is not a commit's (#checkpointAfterCommit).
    // A crash may then bring the old log back, whose commits only write the same pages again.
    if (wal !== undefined && !logKept) this.#resetWal({ mustSync: false });
    rmSync(`${this.path}-shm`, { force: true });
    if (image.byteLength === 0) return undefined;
    const copy = new Uint8Array(image);
    setJournalFormat(copy, "rollback");
    return copy;
  }

  /** The error a use of damaged pages meets: SQLite's `finding` (SQLITE_CORRUPT, SQLITE_NOTADB) names no file. */
  damaged(finding: string): DamagedFileError {
    return this.#damagedFile(`SQLite finds its pages damaged ("${finding}")`);
  }

  #damagedFile(problem: string): DamagedFileError {
    return new DamagedFileError(
      this.path,
      "the SQLite database",
      problem,
      `move it (and ${this.walPath}, if there is one) out of the directory, or restore it from a backup; without it the storage it held starts empty.`,
    );
  }

  /**
   * Makes one transaction durable: `pages` are the pages it wrote (page number to contents),
   * `pageCount` the database's size in pages after it.
   */
  commit(pages: ReadonlyMap<number, Uint8Array>, pageCount: number): void {
    if (!this.#loaded) throw new Error("durasim internal: DatabaseFile.commit() before load()");
    if (pages.size === 0) return;
    // A log load() could not checkpoint is not this object's to append to (its salts and chain
    // are another writer's): it goes into the main file first, or the commit fails untouched.
    if (this.#walBytes > 0 && this.#encoder === undefined) this.checkpoint();
    const diskPages = onDisk(pages);
    if (!this.#mainExists) {
      this.#writeMain(diskPages, pageCount);
      return;
    }
    this.#appendToWal(diskPages, pageCount);
    if (this.#walFrames >= this.#checkpointAt) this.#checkpointAfterCommit();
  }

  /**
   * Replaces the whole database with `image` (engine form), atomically: it either returns, and
   * every later load() has the new image, or throws, and every later load() has the old one.
   */
  replace(image: Uint8Array): void {
    if (!isDatabaseImage(image)) throw new Error("durasim internal: replace() needs a SQLite database image");
    // A database replaced before anything read it (a facet clone() copies onto): what is on
    // disk (its WAL, its page size) decides how the new image is written.
    if (!this.#loaded) this.load();
    const pageSize = pageSizeOf(image);
    const pages = new Map<number, Uint8Array>();
    for (let offset = 0; offset < image.byteLength; offset += pageSize) {
      pages.set(offset / pageSize + 1, image.subarray(offset, offset + pageSize));
    }
    if (this.#mainExists && pageSize !== this.#pageSize) {
      // The WAL cannot change the page size: fold it into the main file (a failure there
      // changes nothing a load() returns), drop it, and swap the main file whole; the swap's
      // own failure puts the old main file back, which holds everything the WAL held.
      this.checkpoint();
      rmSync(this.walPath, { force: true });
      // The WAL's removal reaches the disk before the new main file does: a stale WAL beside
      // it after a crash would give load() the old page size.
      syncDirectory(dirname(this.walPath), this.#durability);
      this.#writeMain(onDisk(pages), pages.size);
      return;
    }
    this.commit(pages, pages.size);
    if (this.#walBytes > 0) this.#checkpointAfterCommit();
  }

  /**
   * The transaction is durable once it is in the WAL: a checkpoint the disk refuses is not its
   * failure (the WAL still holds every commit, which load() applies over a main file written
   * part way). It is tried again once the WAL has grown as much again, so a main file that
   * stays refused costs each commit O(1) on average, not a re-read of the whole WAL.
   */
  #checkpointAfterCommit(): void {
    try {
      this.checkpoint();
    } catch {
      // (A WAL already emptied, whose emptying only failed to sync, starts over as usual.)
      if (this.#walBytes > 0) this.#checkpointAt = 2 * this.#walFrames;
    }
  }

  /** Copies the WAL's transactions into the main file and empties the WAL. */
  checkpoint(): void {
    if (this.#walBytes === 0) return;
    const wal = readFileSync(this.walPath).subarray(0, this.#walBytes);
    const log = readWal(wal);
    if (log === undefined || log.validBytes !== this.#walBytes) {
      throw new Error(`durasim internal: the WAL ${this.walPath} changed under this process`);
    }
    this.#checkpointCommits(log.commits);
    this.#resetWal();
  }

  /**
   * Writes the main file whole, in one atomic step (a new database's first commit has every
   * page; replace() swaps one in). The WAL is empty then. Until it returns, a load() reads the
   * file that was there before, if any.
   */
  #writeMain(pages: ReadonlyMap<number, Uint8Array>, pageCount: number): void {
    const page1 = pages.get(1);
    if (page1 === undefined || !isDatabaseImage(page1)) {
      throw new Error("durasim internal: a database written whole must have page 1");
    }
    const pageSize = pageSizeOf(page1);
    const image = new Uint8Array(pageCount * pageSize);
    for (let pageNumber = 1; pageNumber <= pageCount; pageNumber++) {
      const page = pages.get(pageNumber);
      if (page === undefined) throw new Error(`durasim internal: a database written whole lacks page ${pageNumber}`);
      image.set(page, (pageNumber - 1) * pageSize);
    }
    makeDirectory(dirname(this.path), this.#durability);
    writeFileAtomically(this.path, image, this.#durability);
    this.#mainExists = true;
    this.#pageSize = pageSize;
  }

  #appendToWal(pages: ReadonlyMap<number, Uint8Array>, pageCount: number): void {
    const fresh = this.#walBytes === 0;
    if (fresh) this.#encoder = new WalEncoder(this.#pageSize!, randomInt(2 ** 32), randomInt(2 ** 32));
    const encoder = this.#encoder!;
    const frames = encoder.encodeCommit(pages, pageCount);
    const fd = openSync(this.walPath, fresh ? "w" : "r+");
    try {
      // The header and the first frames go in one write; later commits append at the end of
      // the valid log, so a failed earlier attempt is simply overwritten.
      if (fresh) writeAll(fd, encoder.header, 0);
      writeAll(fd, frames.bytes, fresh ? encoder.header.byteLength : this.#walBytes);
      syncData(fd, this.#durability);
      // A new WAL file's directory entry is part of what makes its first commit durable.
      if (fresh) syncDirectory(dirname(this.walPath), this.#durability);
    } catch (error) {
      // A commit that failed must not come back: frames written in full before a failed fsync
      // (or a later write, or the directory's sync) would be a valid commit to the next load(),
      // which would return the transaction the caller was told failed. Cut the log back to its
      // last commit.
      cutBack(fd, this.#walBytes, this.#durability);
      throw error;
    } finally {
      closeSync(fd);
    }
    if (fresh) this.#walBytes = encoder.header.byteLength;
    encoder.accept(frames.chain);
    this.#walBytes += frames.bytes.byteLength;
    this.#walFrames += pages.size;
  }

  /**
   * load()'s checkpoint of the WAL it found; false when the disk refuses it, and then the WAL is
   * kept whole, as this object's log (a main file written part way is what load() reads under it).
   */
  #checkpointLoaded(log: WalContents): boolean {
    try {
      this.#checkpointCommits(log.commits);
      return true;
    } catch {
      this.#walBytes = log.validBytes;
      return false;
    }
  }

  /** Writes the final version of every page the commits touched into the main file. */
  #checkpointCommits(commits: readonly WalCommit[]): void {
    const pageSize = this.#pageSize!;
    const latest = new Map<number, Uint8Array>();
    for (const commit of commits) for (const [pageNumber, page] of commit.pages) latest.set(pageNumber, page);
    const pageCount = commits.at(-1)!.pageCount;
    if (!this.#mainExists) makeDirectory(dirname(this.path), this.#durability);
    const fd = openSync(this.path, this.#mainExists ? "r+" : "w");
    try {
      for (const [pageNumber, page] of latest) {
        if (pageNumber <= pageCount) writeAll(fd, page, (pageNumber - 1) * pageSize);
      }
      ftruncateSync(fd, pageCount * pageSize);
      syncData(fd, this.#durability);
    } finally {
      closeSync(fd);
    }
    if (!this.#mainExists) syncDirectory(dirname(this.path), this.#durability);
    this.#mainExists = true;
  }

  /**
   * Empties the WAL once its content is safe in the main file; the next commit starts a new log.
   * The emptying is synced like every other change to the files, so that after a crash the disk
   * holds what this object last described, not an earlier log (whose commits the main file has
   * already). Once truncated, the file is empty whatever its sync says: this object's view
   * follows the truncation before a failed sync is thrown (a failed checkpoint, not a lost commit),
   * or ignored (`mustSync: false`) where the main file already holds every commit the log had.
   */
  #resetWal({ mustSync = true }: { mustSync?: boolean } = {}): void {
    let fd: number;
    try {
      fd = openSync(this.walPath, "r+");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      this.#forgetWal();
      return;
    }
    try {
      ftruncateSync(fd, 0);
      this.#forgetWal();
      try {
        syncData(fd, this.#durability);
      } catch (error) {
        if (mustSync) throw error;
      }
    } finally {
      closeSync(fd);
    }
  }

  #forgetWal(): void {
    this.#encoder = undefined;
    this.#walBytes = 0;
    this.#walFrames = 0;
    this.#checkpointAt = this.#checkpointFrames;
  }
}

/**
 * Truncates the file to `length`, and syncs that, if the disk lets it (the caller is already
 * failing). Unsynced, the truncation could be lost to a crash while the cut frames, written
 * before, still reach the disk by the kernel's writeback.
 */
function cutBack(fd: number, length: number, durability: Durability): void {
  try {
    ftruncateSync(fd, length);
    syncData(fd, durability);
  } catch {
    // Then the next commit overwrites the frames from `length` on, and a crash before it may
    // bring the failed transaction back: the disk has refused twice in a row.
  }
}

/** A transaction's pages as the disk keeps them: page 1 says WAL (the engine's says rollback journal). */
function onDisk(pages: ReadonlyMap<number, Uint8Array>): Map<number, Uint8Array> {
  const diskPages = new Map(pages);
  const page1 = pages.get(1);
  if (page1 !== undefined) {
    const copy = new Uint8Array(page1);
    setJournalFormat(copy, "wal");
    diskPages.set(1, copy);
  }
  return diskPages;
}

import { closeSync, copyFileSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * The fsync policy. A commit returns (and the output gate releases the result that waited on
 * it) only after its bytes were handed to the file system; with `fsync: true`, the default,
 * also only after the file system reported them on stable storage, so they survive a power
 * loss or an operating-system crash. `fsync: false` skips that wait: the data still survives
 * the process being killed (the kernel holds it), which is all a test suite needs, at a
 * fraction of the cost per commit.
 */
export interface Durability {
  readonly fsync: boolean;
}

export const DURABLE: Durability = Object.freeze({ fsync: true });

/** Waits for `fd`'s data to reach stable storage, when the policy asks for it. */
export function syncData(fd: number, durability: Durability): void {
  if (durability.fsync) fsyncSync(fd);
}

/** The bytes of the file at `path`, or undefined if there is none (any other failure throws). */
export function readIfExists(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** Whether syncDirectory() does anything under `durability` (on this platform). */
function syncsDirectories(durability: Durability): boolean {
  return durability.fsync && process.platform !== "win32";
}

/**
 * Makes a directory's entries (a created, renamed or removed file) durable. Windows cannot
 * open a directory for syncing; NTFS journals the metadata itself, so there it is skipped.
 */
export function syncDirectory(directory: string, durability: Durability): void {
  if (!syncsDirectories(durability)) return;
  const fd = openSync(directory, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Creates `directory` and any missing parents, durably (their entries are synced too). */
export function makeDirectory(directory: string, durability: Durability): void {
  const firstCreated = mkdirSync(directory, { recursive: true });
  if (firstCreated !== undefined) syncDirectory(dirname(firstCreated), durability);
}

/**
 * Replaces `path` with `bytes` so that a crash leaves either the old file or the new one: the
 * bytes go to a temporary file in the same directory, which is synced and renamed over `path`.
 *
 * The write is durable only once the directory's sync has confirmed the rename; until then a
 * failure is the write's failure, so it is undone: the file that was at `path` (kept under a
 * second name, a hard link or a copy, while the rename is unconfirmed) goes back, or the new
 * file goes when there was none; a write that cannot keep the old file fails before renaming.
 * The caller that is told the write failed then finds the old file, as does every later reader.
 * Removing the kept name after the sync is cleanup: the write is made. (Without directory
 * syncs, fsync off or on Windows, the rename is the write, and nothing is kept.)
 */
export function writeFileAtomically(path: string, bytes: Uint8Array, durability: Durability): void {
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, "w");
  try {
    writeAll(fd, bytes, 0);
    syncData(fd, durability);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  let previous: string | typeof NOTHING | undefined;
  try {
    previous = syncsDirectories(durability) ? keepPrevious(path) : undefined;
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  try {
    renameSync(temporary, path);
  } catch (error) {
    // A refused rename (the path a directory, say) must not leave the temporary file behind.
    rmSync(temporary, { force: true });
    forget(previous);
    throw error;
  }
  try {
    syncDirectory(dirname(path), durability);
  } catch (error) {
    undoRename(path, previous);
    throw error;
  }
  forget(previous);
}

/** What keepPrevious() returns when there was no file at the path: undoing the rename removes the new one. */
const NOTHING = Symbol("nothing was at the path");

/**
 * A second name for the file at `path`, so that it survives being renamed over: a hard link,
 * or a copy on a file system without them. When neither can be made, the copy's error is
 * thrown before anything is renamed: a rename the directory's sync then did not confirm could
 * not be undone, and the write would half-apply (fail, yet leave the new file).
 */
function keepPrevious(path: string): string | typeof NOTHING {
  const previous = `${path}.${process.pid}.previous`;
  try {
    rmSync(previous, { force: true });
    linkSync(path, previous);
    return previous;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return NOTHING;
  }
  try {
    copyFileSync(path, previous);
    return previous;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return NOTHING;
    forget(previous); // a copy cut short
    throw error;
  }
}

/** Puts back what was at `path` before an unconfirmed rename, if the disk lets it (the caller is already failing). */
function undoRename(path: string, previous: string | typeof NOTHING | undefined): void {
  try {
    if (previous === NOTHING) rmSync(path, { force: true });
    else if (previous !== undefined) renameSync(previous, path);
  } catch {
    // A second refusal in a row: the new file stays, which every later reader takes as written.
    forget(previous);
  }
}

/** Removes the kept name once it is not needed (cleanup: a failure leaves a stray file nothing reads). */
function forget(previous: string | typeof NOTHING | undefined): void {
  if (typeof previous !== "string") return;
  try {
    rmSync(previous, { force: true });
  } catch {
    // Nothing reads `<path>.<pid>.previous`.
  }
}

/** The names writeFileAtomically() gives its own files next to `<file>`: the new bytes, and the kept old file. */
const WRITE_IN_PROGRESS = /^(.+)\.([0-9]+)\.(tmp|previous)$/;

/**
 * How old (by mtime) a leftover must be before it is taken for a crash's. A pid only says "gone"
 * within one pid namespace: a process in another container sharing the directory (a bind-mounted
 * .wrangler/state) looks gone while it writes, and its `.tmp` must survive until its rename. No
 * write takes this long between its last byte and its rename.
 */
const LEFTOVER_AGE_MS = 10 * 60_000;

/**
 * Removes from `directory` what writeFileAtomically() calls cut short by a crash left there: a
 * `.tmp` (a write whose rename never happened: it did not take place) and a `.previous` (a
 * second name for the file before a rename: the file at its own name is the current one).
 * Only a process that is gone left them, and only long ago (LEFTOVER_AGE_MS): another's, or
 * this one's, may be writing now, and a pid seen from another pid namespace may be gone here
 * yet running there. (A `.previous` is a hard link, so its mtime is its file's: an old one of a
 * writer running in another namespace may go, which costs that writer only the undoing of a
 * rename whose directory sync failed.) A `.previous` whose file is missing stays, as it may be
 * the one copy left of it. Removal is cleanup: what cannot be removed (or listed) stays for the
 * next open, as do the leftovers of an earlier process with this one's pid (a container's pid 1).
 */
export function removeInterruptedWrites(directory: string): void {
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch {
    return;
  }
  let now: number | undefined;
  for (const name of names) {
    const match = WRITE_IN_PROGRESS.exec(name);
    if (match === null || isRunning(Number(match[2]))) continue;
    if (match[3] === "previous" && !existsSync(join(directory, match[1]!))) continue;
    try {
      const path = join(directory, name);
      now ??= fileSystemNow(directory);
      if (now - statSync(path).mtimeMs < LEFTOVER_AGE_MS) continue;
      rmSync(path, { force: true });
    } catch {
      // Left for the next open.
    }
  }
}

/**
 * The time now by the clock that stamps `directory`'s files: a file's mtime, written now. Ages
 * of files are measured with it, not Date.now(), which a test's fake timers may replace, even
 * before durasim is imported (and a directory shared with another machine or container is
 * stamped by its file system's clock, not this process's). The file is named as a write in
 * progress of this process, so one a crash leaves is removed as such.
 */
function fileSystemNow(directory: string): number {
  const probe = join(directory, `.clock.${process.pid}.tmp`);
  writeFileSync(probe, "");
  try {
    return statSync(probe).mtimeMs;
  } finally {
    rmSync(probe, { force: true });
  }
}

/** Whether a process `pid` may exist (EPERM: it does, owned by another user). */
function isRunning(pid: number): boolean {
  if (pid === process.pid || !Number.isSafeInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Writes all of `bytes` at `position` (a write may be partial, e.g. on a full disk). */
export function writeAll(fd: number, bytes: Uint8Array, position: number): void {
  let done = 0;
  while (done < bytes.byteLength) {
    done += writeSync(fd, bytes, done, bytes.byteLength - done, position + done);
  }
}

import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { dirname } from "node:path";

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

/**
 * Makes a directory's entries (a created, renamed or removed file) durable. Windows cannot
 * open a directory for syncing; NTFS journals the metadata itself, so there it is skipped.
 */
export function syncDirectory(directory: string, durability: Durability): void {
  if (!durability.fsync || process.platform === "win32") return;
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
  try {
    renameSync(temporary, path);
  } catch (error) {
    // A refused rename (the path a directory, say) must not leave the temporary file behind.
    rmSync(temporary, { force: true });
    throw error;
  }
  syncDirectory(dirname(path), durability);
}

/** Writes all of `bytes` at `position` (a write may be partial, e.g. on a full disk). */
export function writeAll(fd: number, bytes: Uint8Array, position: number): void {
  let done = 0;
  while (done < bytes.byteLength) {
    done += writeSync(fd, bytes, done, bytes.byteLength - done, position + done);
  }
}

import { randomUUID } from "node:crypto";
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";
import { join, resolve } from "node:path";

/**
 * One writer per directory. Two processes writing the same SQLite files through different
 * engines would corrupt them, so an emulator takes this lock before it touches a persistence
 * directory and refuses to start when another writer is there:
 *
 * - another emulator in this process: a registry of held directories;
 * - another durasim process: a lock file holding its pid, stale (and taken over) once that
 *   process is gone, so a killed process never blocks the next run;
 * - a running `wrangler dev` / workerd: workerd holds POSIX locks on the SQLite files it has
 *   open (at least each namespace's metadata.sqlite, from start-up), which Linux lists in
 *   /proc/locks. Other systems have no such list; there only durasim processes are detected.
 */

export class DirectoryInUseError extends Error {
  override name = "DirectoryInUseError";
}

const held = new Map<string, string>();

export class DirectoryLock {
  readonly directory: string;
  readonly #file: string;
  readonly #token: string;
  #released = false;

  private constructor(directory: string, file: string, token: string) {
    this.directory = directory;
    this.#file = file;
    this.#token = token;
  }

  /**
   * Locks `directory` (created if missing), whose data lives in `dataDirectory` (where workerd's
   * open files are looked for); the lock file goes in `lockDirectory`.
   */
  static acquire(dataDirectory: string, lockDirectory: string): DirectoryLock {
    const directory = resolve(dataDirectory);
    if (held.has(directory)) {
      throw new DirectoryInUseError(
        `The persistence directory ${directory} is already used by another Emulator in this process. ` +
          "Dispose of that one first (await emu.dispose()), or give each emulator its own directory.",
      );
    }
    mkdirSync(lockDirectory, { recursive: true });
    const file = join(lockDirectory, "lock");
    const token = randomUUID();
    takeLockFile(file, directory, token);
    try {
      refuseIfWorkerdHasFilesOpen(directory);
    } catch (error) {
      rmSync(file, { force: true });
      throw error;
    }
    held.set(directory, token);
    return new DirectoryLock(directory, file, token);
  }

  release(): void {
    if (this.#released) return;
    this.#released = true;
    held.delete(this.directory);
    const owner = readOwner(this.#file);
    if (owner?.token === this.#token) rmSync(this.#file, { force: true });
  }
}

interface Owner {
  pid: number;
  token: string;
}

function takeLockFile(file: string, directory: string, token: string): void {
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number | undefined;
    try {
      fd = openSync(file, "wx");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw unwritable(directory, file, error);
    }
    if (fd !== undefined) {
      try {
        writeSync(fd, JSON.stringify({ pid: process.pid, token } satisfies Owner));
      } catch (error) {
        // No empty lock file stays behind for the user to wonder about (it names no owner).
        rmSync(file, { force: true });
        throw unwritable(directory, file, error);
      } finally {
        closeSync(fd);
      }
      return;
    }
    const owner = readOwner(file);
    if (owner !== undefined && isAlive(owner)) {
      throw new DirectoryInUseError(
        `The persistence directory ${directory} is in use by another durasim process (pid ${owner.pid}). ` +
          `Stop that process, or, if it is not durasim, delete ${file}.`,
      );
    }
    // The owner is gone (killed, crashed): its lock is stale.
    rmSync(file, { force: true });
  }
  throw new DirectoryInUseError(`Could not lock the persistence directory ${directory}: ${file} keeps reappearing.`);
}

/** The lock could not be written (a full disk, a read-only mount): the error names the directory and the option. */
function unwritable(directory: string, file: string, error: unknown): Error {
  return new Error(
    `durasim: cannot lock the persistence directory ${directory} (the \`persist\` option): writing ${file} failed: ` +
      `${(error as Error).message}. Free space there or make it writable, or persist elsewhere.`,
    { cause: error },
  );
}

function readOwner(file: string): Owner | undefined {
  try {
    const owner = JSON.parse(readFileSync(file, "utf8")) as Partial<Owner>;
    return typeof owner.pid === "number" && typeof owner.token === "string" ? (owner as Owner) : undefined;
  } catch {
    // Missing, or half written by a process killed while creating it: either way not an owner.
    return undefined;
  }
}

/** Whether the lock's owner still runs. This process owns only the locks in its registry. */
function isAlive(owner: Owner): boolean {
  if (owner.pid === process.pid) return [...held.values()].includes(owner.token);
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Throws if another process holds a POSIX lock on a SQLite file under `directory` (Linux). */
function refuseIfWorkerdHasFilesOpen(directory: string): void {
  let locks: string;
  try {
    locks = readFileSync("/proc/locks", "utf8");
  } catch {
    return;
  }
  const inodes = sqliteFileInodes(directory);
  if (inodes.size === 0) return;
  for (const line of locks.split("\n")) {
    // "1: POSIX  ADVISORY  READ 1674 fe:00:2220915 128 128"
    const fields = line.trim().split(/\s+/);
    if (fields[1] !== "POSIX" && fields[1] !== "OFDLCK") continue;
    const pid = Number(fields[4]);
    const path = inodes.get(fields[5] ?? "");
    if (path === undefined || pid === process.pid) continue;
    throw new DirectoryInUseError(
      `The persistence directory ${directory} is in use by another program (pid ${pid}${commandOf(pid)}), ` +
        `which has ${path} open: probably wrangler dev or workerd. Stop it before starting durasim on this directory.`,
    );
  }
}

/**
 * File identity as /proc/locks prints it (`major:minor:inode`, device numbers in hex) to path,
 * for the files workerd locks while it runs: each namespace's metadata.sqlite (opened at
 * start-up) and the `-shm` index of every database it has open.
 */
function sqliteFileInodes(directory: string): Map<string, string> {
  const inodes = new Map<string, string>();
  let namespaces: string[];
  try {
    namespaces = readdirSync(directory);
  } catch {
    return inodes;
  }
  for (const namespace of namespaces) {
    let files: string[];
    try {
      files = readdirSync(join(directory, namespace));
    } catch {
      continue;
    }
    for (const file of files) {
      if (file !== "metadata.sqlite" && !file.endsWith(".sqlite-shm")) continue;
      const path = join(directory, namespace, file);
      try {
        const { dev, ino } = statSync(path);
        inodes.set(`${hex2((dev >> 8) & 0xfff)}:${hex2((dev & 0xff) | ((dev >> 12) & 0xfff00))}:${ino}`, path);
      } catch {
        // Removed meanwhile.
      }
    }
  }
  return inodes;
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, "0");
}

function commandOf(pid: number): string {
  try {
    return `, ${readFileSync(`/proc/${pid}/comm`, "utf8").trim()}`;
  } catch {
    return "";
  }
}

import { randomUUID } from "node:crypto";
import { type Dirent, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import type { SqlitePersistence } from "../backends/sqlite.js";
import { AlarmIndex, type ScheduledAlarm } from "./alarm-index.js";
import { DamagedFileError } from "./damaged-file.js";
import { DatabaseFile } from "./database-file.js";
import { type Durability, makeDirectory, removeInterruptedWrites, syncDirectory, writeFileAtomically } from "./durability.js";
import { type BindingKind, PersistLayout } from "./layout.js";
import { DirectoryLock } from "./lock.js";

/**
 * An emulator's persistence directory, open: the layout, the one-writer lock, the fsync policy,
 * each namespace's alarm index, and durasim's own record of applied migrations. Everything the
 * layers above need from the disk goes through here; only the layout knows paths.
 *
 * Deleting a namespace never half-applies: its directory is first renamed into durasim's own
 * directory (one atomic step per namespace, undone if a later one fails), and only removed once
 * the caller has made the change that goes with it (recorded a migration, dropped its objects).
 * A removal that fails then, or a crash before it, leaves a trash directory nothing reads; the
 * next emulator to open the directory removes it.
 */

/** Namespaces' directories moved aside: put back (the change they went with failed) or discarded (it is made). */
export interface DetachedNamespaces {
  restore(): void;
  discard(): void;
}
export interface PersistenceOptions {
  layout: PersistLayout;
  durability: Durability;
}

export class Persistence {
  readonly layout: PersistLayout;
  readonly durability: Durability;
  readonly #lock: DirectoryLock;
  readonly #alarmIndexes = new Map<string, AlarmIndex>();
  #closed = false;

  /** Opens (creating it if needed) and locks the directory; throws DirectoryInUseError if another writer has it. */
  constructor({ layout, durability }: PersistenceOptions) {
    this.layout = layout;
    this.durability = durability;
    makeDirectory(layout.durableObjectsDirectory, durability);
    this.#lock = DirectoryLock.acquire(layout.durableObjectsDirectory, layout.durasimDirectory);
    this.#removeTrash();
    this.#removeInterruptedWrites();
  }

  /** Where one object's database lives, and the alarm index that hears of its alarms. */
  objectStorage(uniqueKey: string, id: string, name: () => string | undefined): SqlitePersistence {
    const store = new DatabaseFile(this.layout.objectPath(uniqueKey, id), this.durability);
    const index = () => this.#alarmIndex(uniqueKey);
    return {
      store,
      alarms: {
        scheduled: (time) => index().scheduled(id, time, name()),
        cleared: () => index().cleared(id),
      },
    };
  }

  /** Ids of the namespace's objects that have storage on disk. */
  storedIds(uniqueKey: string): string[] {
    return this.layout.objectIds(uniqueKey);
  }

  /** The namespace's indexed alarms (to arm when the emulator opens). */
  scheduledAlarms(uniqueKey: string): ScheduledAlarm[] {
    return this.#alarmIndex(uniqueKey).entries();
  }

  /**
   * Moves the directories of namespaces whose objects are being deleted out of the data, all or
   * none: when one cannot move, those moved already go back and the file system's error is thrown.
   */
  detachNamespaces(uniqueKeys: Iterable<string>): DetachedNamespaces {
    const moved: Array<{ from: string; to: string }> = [];
    // Puts back what it can. One that cannot go back (a second fault) stays in the trash, which
    // the next open removes: that is the deletion the caller was making, and a migration whose
    // record could not be written applies it again at the next start.
    const restore = () => {
      for (const { from, to } of moved.reverse()) {
        try {
          renameSync(to, from);
        } catch {
          continue;
        }
      }
      moved.length = 0;
    };
    try {
      for (const uniqueKey of new Set(uniqueKeys)) {
        // The index reopens on its next use, from wherever the namespace's files then are.
        this.#alarmIndexes.get(uniqueKey)?.close();
        this.#alarmIndexes.delete(uniqueKey);
        makeDirectory(this.layout.durasimDirectory, this.durability);
        const from = this.layout.namespaceDirectory(uniqueKey);
        const to = this.layout.trashPath(randomUUID());
        try {
          renameSync(from, to);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === "ENOENT") continue; // nothing stored
          throw error;
        }
        moved.push({ from, to });
        syncDirectory(dirname(from), this.durability);
        syncDirectory(dirname(to), this.durability);
      }
    } catch (error) {
      restore();
      throw error;
    }
    return {
      restore,
      discard: () => {
        for (const { to } of moved) removeQuietly(to);
        moved.length = 0;
      },
    };
  }

  /**
   * The applied-migrations state the config layer keeps (plain JSON, whose shape `isState`
   * knows), or undefined if none was saved. A file that is not such JSON is a DamagedFileError.
   */
  readMigrationState<T>(isState: (value: unknown) => value is T): T | undefined {
    const path = this.#migrationsPath();
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
    const damaged = (problem: string, cause?: unknown) =>
      new DamagedFileError(
        path,
        "durasim's record of applied migrations,",
        problem,
        "restore it from a backup, or delete it: the next emulator then applies the whole migrations list again, as on a directory wrangler dev wrote " +
          "(so a deleted_classes step deletes that class's stored objects again).",
        cause === undefined ? undefined : { cause },
      );
    let state: unknown;
    try {
      state = JSON.parse(text);
    } catch (error) {
      throw damaged(`it is not JSON (${(error as Error).message})`, error);
    }
    if (!isState(state)) throw damaged("its JSON does not have the shape durasim writes");
    return state;
  }

  writeMigrationState(state: unknown): void {
    makeDirectory(this.layout.durasimDirectory, this.durability);
    writeFileAtomically(this.#migrationsPath(), new TextEncoder().encode(JSON.stringify(state)), this.durability);
  }

  /** Where a KV namespace or R2 bucket keeps its files (names made safe; see PersistLayout). */
  bindingPath(kind: BindingKind, ...names: string[]): string {
    return this.layout.bindingPath(kind, ...names);
  }

  /** Releases the directory (the files stay). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const index of this.#alarmIndexes.values()) index.close();
    this.#alarmIndexes.clear();
    this.#lock.release();
  }

  #alarmIndex(uniqueKey: string): AlarmIndex {
    let index = this.#alarmIndexes.get(uniqueKey);
    if (index === undefined) {
      index = new AlarmIndex(this.layout.alarmIndexPath(uniqueKey), this.durability);
      this.#alarmIndexes.set(uniqueKey, index);
    }
    return index;
  }

  /** Removes what deletions left in the trash (see the class comment). */
  #removeTrash(): void {
    let names: string[];
    try {
      names = readdirSync(this.layout.durasimDirectory);
    } catch {
      return;
    }
    for (const name of names) if (this.layout.isTrash(name)) removeQuietly(join(this.layout.durasimDirectory, name));
  }

  /** Removes what atomic writes a crash cut short left in durasim's directory and the namespaces' (see removeInterruptedWrites). */
  #removeInterruptedWrites(): void {
    let entries: Dirent[];
    try {
      entries = readdirSync(this.layout.durableObjectsDirectory, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) if (entry.isDirectory()) removeInterruptedWrites(join(this.layout.durableObjectsDirectory, entry.name));
  }

  #migrationsPath(): string {
    return join(this.layout.durasimDirectory, "migrations.json");
  }
}

/**
 * Removes a trash directory. Its removal comes after the change it went with is made, so a
 * failure is not that change's; what stays is removed when the directory is next opened.
 */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch {
    // Left for the next open (Persistence's constructor).
  }
}

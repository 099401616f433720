import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { SqlitePersistence } from "../backends/sqlite.js";
import { AlarmIndex, type ScheduledAlarm } from "./alarm-index.js";
import { DamagedFileError } from "./damaged-file.js";
import { DatabaseFile } from "./database-file.js";
import { type Durability, makeDirectory, writeFileAtomically } from "./durability.js";
import { type BindingKind, PersistLayout } from "./layout.js";
import { DirectoryLock } from "./lock.js";

/**
 * An emulator's persistence directory, open: the layout, the one-writer lock, the fsync policy,
 * each namespace's alarm index, and durasim's own record of applied migrations. Everything the
 * layers above need from the disk goes through here; only the layout knows paths.
 */
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

  /** Deletes every object of a namespace (a migration deleted its class). */
  deleteNamespace(uniqueKey: string): void {
    this.#alarmIndexes.get(uniqueKey)?.close();
    this.#alarmIndexes.delete(uniqueKey);
    rmSync(this.layout.namespaceDirectory(uniqueKey), { recursive: true, force: true });
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

  #migrationsPath(): string {
    return join(this.layout.durasimDirectory, "migrations.json");
  }
}

import { randomUUID } from "node:crypto";
import { type Dirent, existsSync, readdirSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import type { SqlitePersistence } from "../backends/sqlite.js";
import { AlarmIndex, type ScheduledAlarm } from "./alarm-index.js";
import { DamagedFileError } from "./damaged-file.js";
import { DatabaseFile } from "./database-file.js";
import { FacetIndexes } from "./facet-index.js";
import { type Durability, makeDirectory, readIfExists, removeInterruptedWrites, syncDirectory, writeFileAtomically } from "./durability.js";
import { type BindingKind, PersistLayout } from "./layout.js";
import { DirectoryLock } from "./lock.js";
import { returnNamespace } from "./namespace-return.js";

/** A facet's alarm index entry: facets cannot set alarms, so there is nothing to index. */
const NO_ALARMS = { scheduled: () => {}, cleared: () => {} };

/**
 * An emulator's persistence directory, open: the layout, the one-writer lock, the fsync policy,
 * each namespace's alarm index, and durasim's own record of applied migrations. Everything the
 * layers above need from the disk goes through here; only the layout knows paths.
 *
 * Deleting namespaces never half-applies, even across a crash: their directories are first
 * renamed into one trash directory in durasim's own directory (one atomic step per namespace,
 * undone if a later one fails), which holds a marker saying the deletion is not committed yet.
 * It commits when the change that goes with it is durable: the record of applied migrations
 * the marker names is written (a migration), or the marker is removed (a reset). Only then
 * are the directories removed. The next emulator to open the directory finishes what a crash
 * or a failed removal left: it removes a committed trash directory, and puts an uncommitted
 * one's namespaces back where they were.
 */

/** Namespaces' directories moved aside: put back (the change they went with failed) or discarded (it is made). */
export interface DetachedNamespaces {
  /** Commits the deletion by itself (a reset's; a migration's commits with its record): throws if the disk refuses, and then restore() puts everything back. */
  commit(): void;
  restore(): void;
  /** Removes the moved directories once the deletion is committed (cleanup: what stays, the next open removes). */
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
  readonly #facetIndexes: FacetIndexes;
  /** Committed trash directories whose marker could not be removed (see writeMigrationState). */
  readonly #markedTrash = new Set<string>();
  /**
   * The migrations record's text as the file holds it (as last read or written here; undefined
   * when unknown), so that opening a directory with an unchanged configuration need write
   * nothing: a full disk must still let an emulator open and read what it holds.
   */
  #recordOnDisk: string | undefined;
  #closed = false;

  /** Opens (creating it if needed) and locks the directory; throws DirectoryInUseError if another writer has it. */
  constructor({ layout, durability }: PersistenceOptions) {
    this.layout = layout;
    this.durability = durability;
    this.#facetIndexes = new FacetIndexes((uniqueKey, id) => layout.facetIndexPath(uniqueKey, id), durability);
    makeDirectory(layout.durableObjectsDirectory, durability);
    this.#lock = DirectoryLock.acquire(layout.durableObjectsDirectory, layout.durasimDirectory);
    this.#settleTrash();
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

  /**
   * Where the facet at `path` (names from the object down) of object `id` keeps its database,
   * beside the object's as workerd keeps it (`<id>.<n>.sqlite`, numbered in `<id>.facets`).
   * Facets set no alarms: none is indexed.
   */
  facetStorage(uniqueKey: string, id: string, path: readonly string[]): SqlitePersistence {
    const number = this.#facetIndexes.number(uniqueKey, id, path, true)!;
    return { store: new DatabaseFile(this.layout.facetPath(uniqueKey, id, number), this.durability), alarms: NO_ALARMS };
  }

  /** Whether the facet at `path` of object `id` has a database on disk. */
  holdsFacet(uniqueKey: string, id: string, path: readonly string[]): boolean {
    const number = this.#facetIndexes.number(uniqueKey, id, path, false);
    if (number === undefined) return false;
    const file = this.layout.facetPath(uniqueKey, id, number);
    return existsSync(file) || existsSync(`${file}-wal`);
  }

  /** The names of the facets of the facet at `path` (of the object itself: []) of object `id` ever used. */
  facetNames(uniqueKey: string, id: string, path: readonly string[]): string[] {
    return this.#facetIndexes.children(uniqueKey, id, path);
  }

  /** Ids of the namespace's objects that have storage on disk. */
  storedIds(uniqueKey: string): string[] {
    return this.layout.objectIds(uniqueKey);
  }

  /** The namespace's indexed alarms (to arm when the emulator opens). */
  scheduledAlarms(uniqueKey: string): ScheduledAlarm[] {
    this.#addReturnedAlarms(uniqueKey);
    return this.#alarmIndex(uniqueKey).entries();
  }

  /**
   * Adds to the namespace's alarm index the rows of an index put back from the trash beside it
   * (see returnNamespace), where the namespace's own index has none for the object, then
   * removes it. A row for an object whose newer copy has no alarm only makes the object be
   * looked at: its alarm is what its own storage holds. Done now, not when the trash is
   * settled: reading an index needs the SQLite engine, loaded by now. A returned index that
   * cannot be read, or whose rows the namespace's index refuses, fails the open as the
   * namespace's own index would (its objects' alarms would otherwise not be armed, unseen); only
   * its removal, once its rows are in, may fail quietly: the next open adds the same rows again.
   */
  #addReturnedAlarms(uniqueKey: string): void {
    for (const path of this.layout.returnedAlarmIndexPaths(uniqueKey)) {
      const rows = readReturnedAlarms(path, this.durability);
      const index = this.#alarmIndex(uniqueKey);
      const indexed = new Set(index.entries().map(({ id }) => id));
      for (const { id, time, name } of rows) if (!indexed.has(id)) index.scheduled(id, time, name);
      removeQuietly(path);
    }
  }

  /**
   * Moves the directories of namespaces whose objects are being deleted out of the data, all or
   * none: when one cannot move, those moved already go back and the file system's error is thrown.
   * `record` is the migrations state whose writing commits the deletion; without one, commit() does.
   */
  detachNamespaces(uniqueKeys: Iterable<string>, record?: unknown): DetachedNamespaces {
    const moved: Array<{ from: string; to: string }> = [];
    let trash: string | undefined;
    // Puts back what it can. What cannot go back (a second fault) stays in the trash, still
    // uncommitted, and the next open puts it back.
    const restore = () => {
      for (const { from, to } of moved.reverse()) {
        try {
          renameSync(to, from);
        } catch {
          continue;
        }
      }
      if (moved.length > 0) syncQuietly(this.layout.durableObjectsDirectory, this.durability);
      if (trash !== undefined) this.#removeIfEmpty(trash);
      moved.length = 0;
    };
    try {
      for (const uniqueKey of new Set(uniqueKeys)) {
        // The index reopens on its next use, from wherever the namespace's files then are.
        this.#alarmIndexes.get(uniqueKey)?.close();
        this.#alarmIndexes.delete(uniqueKey);
        this.#facetIndexes.forget(uniqueKey);
        const from = this.layout.namespaceDirectory(uniqueKey);
        if (!existsSync(from)) continue; // nothing stored
        trash ??= this.#uncommittedTrash(record);
        const to = this.layout.detachedNamespacePath(trash, uniqueKey);
        renameSync(from, to);
        moved.push({ from, to });
        syncDirectory(dirname(from), this.durability);
        syncDirectory(trash, this.durability);
      }
    } catch (error) {
      restore();
      throw error;
    }
    const marker = trash === undefined ? undefined : this.layout.uncommittedMarkerPath(trash);
    return {
      restore,
      commit: () => {
        if (marker === undefined) return;
        rmSync(marker);
        syncDirectory(dirname(marker), this.durability);
      },
      discard: () => {
        moved.length = 0;
        if (trash !== undefined) this.#removeCommittedTrash(trash);
      },
    };
  }

  /**
   * Removes a trash directory whose deletion is committed. The marker goes first, alone, and its
   * removal is made durable: a later record must not make the next open take the committed
   * deletion for an uncommitted one, and put back what is half removed. A marker that stays is
   * remembered, for writeMigrationState to remove (or fail) before it writes a newer record.
   */
  #removeCommittedTrash(trash: string): void {
    try {
      this.#unmark(trash);
    } catch {
      this.#markedTrash.add(trash);
      return; // all of it stays, for the next open
    }
    removeQuietly(trash);
  }

  /** Removes a trash directory's marker (if any) durably: synced before anything written after it. */
  #unmark(trash: string): void {
    rmSync(this.layout.uncommittedMarkerPath(trash), { force: true });
    syncDirectory(trash, this.durability);
  }

  /** A new trash directory holding its marker (durable before any directory moves in: see the class comment). */
  #uncommittedTrash(record: unknown): string {
    makeDirectory(this.layout.durasimDirectory, this.durability);
    const trash = this.layout.trashPath(randomUUID());
    makeDirectory(trash, this.durability);
    const marker: UncommittedMarker = { committedBy: record === undefined ? null : recordText(record) };
    writeFileAtomically(this.layout.uncommittedMarkerPath(trash), new TextEncoder().encode(JSON.stringify(marker)), this.durability);
    return trash;
  }

  /**
   * The applied-migrations state the config layer keeps (plain JSON, whose shape `isState`
   * knows), or undefined if none was saved. A file that is not such JSON is a DamagedFileError.
   */
  readMigrationState<T>(isState: (value: unknown) => value is T): T | undefined {
    const path = this.#migrationsPath();
    const text = readIfExists(path)?.toString("utf8");
    if (text === undefined) return undefined;
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
    this.#recordOnDisk = text;
    return state;
  }

  /** Whether the record on disk is `state` already (as this process last read or wrote it). */
  holdsMigrationState(state: unknown): boolean {
    return this.#recordOnDisk === recordText(state);
  }

  /**
   * Writes the applied-migrations state. A committed trash directory whose marker is still there
   * (its removal failed) must lose it first: the marker names the record on disk now, and a newer
   * one would make the next open take that deletion for an uncommitted one and put it back.
   */
  writeMigrationState(state: unknown): void {
    for (const trash of this.#markedTrash) {
      this.#unmark(trash);
      this.#markedTrash.delete(trash);
      removeQuietly(trash);
    }
    const text = recordText(state);
    // Unknown until the write succeeds: a failed one puts the old file back, if it can.
    this.#recordOnDisk = undefined;
    makeDirectory(this.layout.durasimDirectory, this.durability);
    writeFileAtomically(this.#migrationsPath(), new TextEncoder().encode(text), this.durability);
    this.#recordOnDisk = text;
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

  /** Finishes the deletions a crash or a failed removal left in the trash (see the class comment). */
  #settleTrash(): void {
    let names: string[];
    try {
      names = readdirSync(this.layout.durasimDirectory).filter((name) => this.layout.isTrash(name));
    } catch {
      return;
    }
    if (names.length === 0) return;
    let record: string | undefined;
    try {
      record = readIfExists(this.#migrationsPath())?.toString("utf8");
    } catch {
      return; // (the record's own reading reports it) nothing can be settled without it
    }
    for (const name of names) {
      const trash = join(this.layout.durasimDirectory, name);
      const marker = readMarker(this.layout.uncommittedMarkerPath(trash));
      const committed = marker === undefined || (marker !== "unreadable" && marker.committedBy !== null && marker.committedBy === record);
      if (committed) this.#removeCommittedTrash(trash);
      else this.#putBack(trash);
    }
  }

  /**
   * Puts an uncommitted trash directory's namespaces back, then removes it if it is empty. A
   * namespace whose place is taken again (objects were created there since: by the run whose
   * open could not put it back, or by wrangler dev) is merged into it object by object, the
   * newer copy of an object winning (see returnNamespace): kept whole, the trash's copies would
   * come back the first time the place is empty, after a reset() or a deletion of that very
   * class, and dropped whole, objects only the trash holds would be lost.
   */
  #putBack(trash: string): void {
    try {
      for (const entry of readdirSync(trash)) {
        if (this.layout.isUncommittedMarker(entry)) continue;
        const to = this.layout.reattachedNamespacePath(entry);
        if (existsSync(to)) returnNamespace(this.layout, join(trash, entry), to, this.durability);
        else renameSync(join(trash, entry), to);
      }
      syncDirectory(this.layout.durableObjectsDirectory, this.durability);
      syncDirectory(trash, this.durability);
      this.#removeIfEmpty(trash);
    } catch {
      // Left for the next open, still uncommitted: nothing of it is removed.
    }
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

  /** Removes a trash directory that holds nothing but its marker. */
  #removeIfEmpty(trash: string): void {
    try {
      if (!readdirSync(trash).every((name) => this.layout.isUncommittedMarker(name))) return;
    } catch {
      return;
    }
    removeQuietly(trash);
  }

  #migrationsPath(): string {
    return join(this.layout.durasimDirectory, "migrations.json");
  }
}

/**
 * Removes a trash directory. Its removal comes after the change it went with is made, so a
 * failure is not that change's; what stays is removed when the directory is next opened.
 */
/**
 * The rows of an alarm index put back from the trash. A damaged one is reported as such, with
 * what its loss means: the objects it lists keep their alarms in their own storage, but none is
 * armed until its object is next used.
 */
function readReturnedAlarms(path: string, durability: Durability): ScheduledAlarm[] {
  const returned = new AlarmIndex(path, durability);
  try {
    return returned.entries();
  } catch (error) {
    if (!(error instanceof DamagedFileError)) throw error;
    throw new DamagedFileError(
      path,
      "the alarm index of objects put back from a deletion that never committed,",
      error.problem,
      "move it out of the directory, or restore it from a backup; without it the objects it lists keep their alarms, but each is armed only once its object is next used.",
      { cause: error },
    );
  } finally {
    returned.close();
  }
}

function removeQuietly(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch {
    // Left for the next open (Persistence's constructor).
  }
}

/** What a trash directory's marker holds: the text of the migrations record that commits it, or null (only its own removal does). */
interface UncommittedMarker {
  committedBy: string | null;
}

/** The marker at `path`: undefined when there is none (committed), "unreadable" when it is not what durasim writes (then it is kept uncommitted: nothing is lost). */
function readMarker(path: string): UncommittedMarker | "unreadable" | undefined {
  const text = readIfExists(path)?.toString("utf8");
  if (text === undefined) return undefined;
  try {
    const marker = JSON.parse(text) as unknown;
    if (typeof marker === "object" && marker !== null && "committedBy" in marker && (typeof marker.committedBy === "string" || marker.committedBy === null)) {
      return { committedBy: marker.committedBy };
    }
  } catch {
    // Below.
  }
  return "unreadable";
}

/** The migrations record as written to disk (and named by a trash directory's marker). */
function recordText(state: unknown): string {
  return JSON.stringify(state);
}

/** Syncs a directory after a change that is already being undone (the caller is failing). */
function syncQuietly(directory: string, durability: Durability): void {
  try {
    syncDirectory(directory, durability);
  } catch {
    // A second refusal: what the disk keeps the next open settles.
  }
}

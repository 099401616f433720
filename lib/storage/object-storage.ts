import { DurableObjectStorage, type StorageOwner } from "./api/storage.js";
import { SqliteFeatures } from "./api/sqlite-features.js";
import type { BackendSnapshot, StorageEntry } from "./backend.js";
import { MemoryBackend } from "./backends/memory.js";
import { SqliteBackend, type SqlitePersistence } from "./backends/sqlite.js";
import { BookmarkLog } from "./bookmarks.js";
import { WriteCoalescer } from "./coalescer.js";
import type { StorageMeter } from "./meter.js";
import { utf8Length } from "../util/utf8.js";
import { KV_ON_DISK_POLICY, KV_POLICY, SQLITE_POLICY, type StoragePolicy } from "./policy.js";

/** Which storage a Durable Object class has: KV-backed (`new_classes`) or SQLite-backed. */
export type StorageKind = StoragePolicy["kind"];

/**
 * An object's committed storage at one moment. `state` names that content: every commit (and
 * every restore) gives storage a state number no other content ever had, so equal numbers mean
 * equal content, and a snapshot of storage that has not changed since costs nothing.
 */
export interface StorageSnapshot {
  readonly state: number;
  readonly backend: BackendSnapshot;
  /** The alarm it holds, so restoring can re-arm it without opening the storage. */
  readonly alarm: number | null;
}

/** What a storage holds whatever its backend: the KV entries and the alarm. */
export interface StorageContent {
  readonly entries: StorageEntry[];
  readonly alarm: number | null;
}

let lastState = 0;

/**
 * What only some objects' storage keeps, in one object: SQLite-backed storage's bookmark log,
 * and the last snapshot taken (a snapshot of unchanged storage reuses it). Made with SQLite-backed
 * storage, else by the first snapshot or restore, so a KV-backed object never snapshotted costs
 * one field.
 */
class StorageExtras {
  lastSnapshot: StorageSnapshot | undefined;

  constructor(readonly bookmarks: BookmarkLog | undefined) {}
}

/**
 * One object's storage, which outlives its instances: the backend, the policy chosen with it,
 * the write coalescer and (SQLite) the bookmark log. Each instance gets its own `ctx.storage`
 * view of it, so that a reset instance's view stops working while the data stays.
 *
 * It is its own write coalescer, and the base class of the object's record
 * (runtime/object/record.ts), which hears of each commit through the methods below: one
 * object per Durable Object rather than a record, a storage, a coalescer and closures, each
 * of which would cost bytes on every object.
 */
export abstract class ObjectStorage<M extends StorageMeter = StorageMeter> extends WriteCoalescer<M> {
  /** Names the committed content (see StorageSnapshot). */
  #state = ++lastState;
  /** The bookmark log and the last snapshot (see StorageExtras): made with SQLite-backed storage, else by the first snapshot. */
  #extras: StorageExtras | undefined;

  /**
   * Makes the backend of `kind` and, with it, the policy every layer above consults. `meter`
   * (made for the same kind) counts what the storage does. With `persistence` the storage lives
   * on disk, in a SQLite database whatever the kind, as in workerd's local storage.
   */
  protected constructor(kind: StorageKind, meter: M, persistence?: SqlitePersistence) {
    const sqliteBackend = kind === "sqlite" || persistence !== undefined ? new SqliteBackend(undefined, persistence) : undefined;
    super(sqliteBackend ?? new MemoryBackend(), meter);
    if (kind === "sqlite") this.#extras = new StorageExtras(new BookmarkLog(sqliteBackend!, this));
  }

  /**
   * The rules of the backend chosen with the kind: told by the backend (in memory: KV-backed;
   * SQLite with a bookmark log: SQLite-backed; SQLite without: KV-backed on disk) rather than kept
   * in a field, as every object has a storage.
   */
  get policy(): StoragePolicy {
    if (this.backend instanceof MemoryBackend) return KV_POLICY;
    return this.bookmarks !== undefined ? SQLITE_POLICY : KV_ON_DISK_POLICY;
  }

  /**
   * SQLite-backed storage's bookmark log, which with its backend makes the SQLite-only surfaces
   * (SQL, storage.kv, transactionSync, PITR); undefined on KV-backed objects (on disk too).
   */
  private get bookmarks(): BookmarkLog | undefined {
    return this.#extras?.bookmarks;
  }

  /** Object code's time (SQLite bookmarks record it). */
  abstract now(): number;

  /** A batch committed: what the object does then (the alarm schedule follows the stored alarm). */
  protected abstract afterCommit(): void;

  /** The write coalescer of this storage (itself; see the class comment). */
  get coalescer(): WriteCoalescer {
    return this;
  }

  committed(): void {
    this.#state = ++lastState;
    this.bookmarks?.committed();
    this.afterCommit();
  }

  /** The number naming the committed content (see StorageSnapshot). */
  get state(): number {
    return this.#state;
  }

  /** The committed content; O(1) when nothing was committed since the last snapshot. */
  snapshot(): StorageSnapshot {
    const extras = (this.#extras ??= new StorageExtras(undefined));
    if (extras.lastSnapshot?.state !== this.#state) {
      extras.lastSnapshot = { state: this.#state, backend: this.backend.snapshot(), alarm: this.backend.getAlarm() };
    }
    return extras.lastSnapshot;
  }

  /**
   * Replaces the content with a snapshot's (undefined: empty). No batch may be open: the
   * object's instance must be gone. Free when the content is already the snapshot's; returns
   * whether anything changed.
   */
  restoreContent(snapshot: StorageSnapshot | undefined): boolean {
    if (snapshot !== undefined && snapshot.state === this.#state) return false;
    this.backend.restore(snapshot?.backend);
    this.#state = snapshot?.state ?? ++lastState;
    if (snapshot !== undefined) (this.#extras ??= new StorageExtras(undefined)).lastSnapshot = snapshot;
    else if (this.#extras !== undefined) this.#extras.lastSnapshot = undefined;
    return true;
  }

  /** Its KV entries and alarm, for the same object's storage on the other backend (takeContent). */
  content(): StorageContent {
    return { entries: this.backend.list({}), alarm: this.backend.getAlarm() };
  }

  /**
   * Takes `content`, the KV entries and alarm of the same object's storage on the other backend,
   * which a reconfiguration switching the namespace's backend replaces (workerd's local storage
   * keeps them, one SQLite database per object whatever the backend; SQL tables have no place in
   * KV-backed storage). This storage must be new, with no batch open.
   */
  takeContent({ entries, alarm }: StorageContent): void {
    this.backend.begin();
    if (this.backend.putAll !== undefined) this.backend.putAll(entries);
    else for (const [key, value] of entries) this.backend.put(key, value);
    this.backend.setAlarm(alarm);
    this.backend.commit();
    this.committed();
  }

  /**
   * Holds nothing a new storage would not, so an evicted object's record may be dropped and its
   * storage made anew by the next event: no write pending, and KV-backed, no key and no alarm;
   * SQLite-backed, a database as new (see SqliteBackend.parkedAsNew, which parks it to tell)
   * and no point-in-time history (a new log would know none of its bookmarks). Storage that
   * cannot be read (a parked database whose file the disk refuses) may hold something: asked
   * by an eviction, which runs in a timer, the failure would escape as an uncaught exception;
   * the record stays, and the next event that reads meets the failure as its own.
   */
  protected holdsNothing(): boolean {
    if (this.hasPendingWrites) return false;
    const bookmarks = this.bookmarks;
    if (bookmarks !== undefined) return !bookmarks.recording && (this.backend as SqliteBackend).parkedAsNew();
    try {
      return this.backend.getAlarm() === null && this.backend.list({ limit: 1 }).length === 0;
    } catch {
      return false;
    }
  }

  /**
   * What the object stores now, as billed: SQLite-backed, the database's size (`databaseBytes`,
   * what `sql.databaseSize` reports); KV-backed, the keys and their bytes (key and value).
   */
  stored(): { databaseBytes: number; keys: number; bytes: number } {
    if (this.bookmarks !== undefined) return { databaseBytes: (this.backend as SqliteBackend).storedBytes(), keys: 0, bytes: 0 };
    let bytes = 0;
    const entries = this.backend.list({});
    for (const [key, value] of entries) bytes += utf8Length(key) + value.byteLength;
    return { databaseBytes: 0, keys: entries.length, bytes };
  }

  /**
   * `ctx.storage` for a new instance (`owner`, which is also its writer); applies a restore
   * scheduled by the previous one.
   */
  open(owner: StorageOwner): DurableObjectStorage {
    const bookmarks = this.bookmarks;
    if (bookmarks !== undefined) (this.backend as SqliteBackend).startSession();
    if (bookmarks?.applyPendingRestore()) this.#state = ++lastState;
    const features = bookmarks && new SqliteFeatures(this.backend as SqliteBackend, owner, bookmarks, this.meter);
    return new DurableObjectStorage(this.backend, this.policy, owner, features, this.meter);
  }
}

import type { BookmarkLog } from "../bookmarks.js";
import type { BatchWriter } from "../coalescer.js";
import { STORAGE_IO, type StorageIoType } from "../io-types.js";
import type { StorageMeter } from "../meter.js";
import { SqlStorage, type SqlStorageHooks } from "./sql-storage.js";
import { SyncKvStorage, type SyncKvHooks } from "./sync-kv.js";
import type { ValueFormat } from "./validation.js";
import { SQLITE_HOOKS } from "./sqlite-only.js";
import { transactionSync } from "./transaction-sync.js";
import type { SqliteBackend } from "../backends/sqlite.js";

/**
 * What only SQLite-backed objects have on `ctx.storage`: the SQL API, synchronous KV,
 * transactionSync() and point-in-time recovery. Every statement and write opens the implicit
 * transaction first, so SQL, KV and alarm writes of one turn commit together.
 */
export class SqliteFeatures implements SqlStorageHooks, SyncKvHooks {
  readonly sql: SqlStorage;
  readonly kv: SyncKvStorage;

  constructor(
    readonly backend: SqliteBackend,
    private readonly writer: BatchWriter & ValueFormat,
    readonly bookmarks: BookmarkLog,
    readonly meter: StorageMeter,
  ) {
    // It is the hooks of both (no closures or hook objects of their own).
    this.sql = new SqlStorage(this);
    // A new instance: workerd's statement cache, one per SqlStorage, starts empty.
    backend.connection.forgetStatements();
    this.kv = new SyncKvStorage(this);
  }

  /** What tells these hooks from a KV-backed object's owner (see SQLITE_HOOKS). */
  get [SQLITE_HOOKS](): true {
    return true;
  }

  get enhancedErrorSerialization(): boolean {
    return this.writer.enhancedErrorSerialization;
  }

  reachableBackend(): SqliteBackend {
    this.writer.assertOwnContext(STORAGE_IO);
    this.writer.assertUsable();
    return this.backend;
  }

  assertOwnContext(ioType: StorageIoType): void {
    this.writer.assertOwnContext(ioType);
  }

  assertUsable(): void {
    this.writer.assertUsable();
  }

  beforeStatement(): void {
    this.writer.beginWrite();
  }

  beforeWrite(): void {
    this.writer.beginWrite();
  }

  /** `callback` is already checked to be a function (see DurableObjectStorage.transactionSync). */
  transactionSync<T>(callback: () => T): T {
    return transactionSync(this.backend, this.writer, this.meter, callback);
  }
}

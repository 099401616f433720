import type { BookmarkLog } from "../bookmarks.js";
import type { BatchWriter } from "../coalescer.js";
import type { StorageMeter } from "../meter.js";
import { SqlStorage } from "./sql-storage.js";
import { SyncKvStorage } from "./sync-kv.js";
import { transactionSync } from "./transaction-sync.js";
import type { SqliteBackend } from "../backends/sqlite.js";

/**
 * What only SQLite-backed objects have on `ctx.storage`: the SQL API, synchronous KV,
 * transactionSync() and point-in-time recovery. Every statement and write opens the implicit
 * transaction first, so SQL, KV and alarm writes of one turn commit together.
 */
export class SqliteFeatures {
  readonly sql: SqlStorage;
  readonly kv: SyncKvStorage;

  constructor(
    readonly backend: SqliteBackend,
    private readonly writer: BatchWriter,
    readonly bookmarks: BookmarkLog,
    private readonly meter: StorageMeter,
  ) {
    const openBatch = () => writer.beginWrite();
    this.sql = new SqlStorage(backend, { beforeStatement: openBatch, meter });
    this.kv = new SyncKvStorage(backend, { beforeWrite: openBatch, meter });
  }

  /** `callback` is already checked to be a function (see DurableObjectStorage.transactionSync). */
  transactionSync<T>(callback: () => T): T {
    return transactionSync(this.backend, this.writer, this.meter, callback);
  }
}

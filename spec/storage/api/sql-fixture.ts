import { loadSqlEngine } from "../../../lib/sqlite/engine.js";
import { SqlStorage } from "../../../lib/storage/api/sql-storage.js";
import { SQLITE_HOOKS } from "../../../lib/storage/api/sqlite-only.js";
import { SyncKvStorage } from "../../../lib/storage/api/sync-kv.js";
import { SqliteBackend } from "../../../lib/storage/backends/sqlite.js";
import { StorageMeter } from "../../../lib/storage/meter.js";

await loadSqlEngine();

/** A SQLite-backed object's storage, opening the implicit batch the way the storage layer does. */
export function sqliteStorage(bytes?: Uint8Array) {
  const backend = new SqliteBackend(bytes);
  const openBatch = () => {
    if (!backend.inBatch) backend.begin();
  };
  const meter = new StorageMeter("sqlite");
  const reachableBackend = () => backend;
  // No I/O contexts here: the fixture's storage belongs to the test code using it.
  const assertOwnContext = () => undefined;
  // Nor an instance to reset or evict: the storage stays usable.
  const assertUsable = () => undefined;
  const sql = new SqlStorage({ [SQLITE_HOOKS]: true, backend, reachableBackend, beforeStatement: openBatch, meter, assertOwnContext, assertUsable });
  const kv = new SyncKvStorage({ [SQLITE_HOOKS]: true, reachableBackend, beforeWrite: openBatch, meter, assertOwnContext, assertUsable });
  /** Ends the turn: commits the implicit batch. */
  const commit = () => {
    if (backend.inBatch) backend.commit();
  };
  return { backend, sql, kv, openBatch, commit, meter };
}

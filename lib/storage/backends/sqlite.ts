import type { Database } from "sql.js";
import type { BackendSnapshot, KeyRange, StorageBackend, StorageEntry } from "../backend.js";
import { type DatabaseStore, SqliteConnection } from "../../sqlite/connection.js";
import type { BoundValue, PreparedStatement, SqlStorageValue } from "../../sqlite/statement.js";
import { type DatabaseMarks, UndoJournal } from "./sqlite-undo.js";
import { errorReference } from "../../util/error-reference.js";
import { takeCriticalError } from "../../sqlite/critical-errors.js";
import { damageOf } from "../../sqlite/damaged-database.js";
import { codeOfMessage, sqliteError } from "../../sqlite/sqlite-error.js";
import { extendedCodeName } from "../../sqlite/extended-codes.js";
import { appendOwn } from "../../util/own-arrays.js";
import { atTurnEnd } from "../../util/turn.js";

/**
 * The SQLite backend: KV entries, the alarm and the user's tables live in one sql.js database,
 * in workerd's own schema, so one SQL transaction covers all three. A batch is a real
 * transaction (BEGIN ... COMMIT) and savepoints are SQL savepoints.
 *
 *   _cf_KV       (key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID  -- created on first write
 *   _cf_METADATA (key INTEGER PRIMARY KEY, value BLOB)             -- key 1: alarm, nanoseconds
 */

// Spaced as workerd writes them: SQLite keeps the text, which `SELECT sql FROM sqlite_master` shows.
const CREATE_KV = "CREATE TABLE IF NOT EXISTS _cf_KV (\n        key TEXT PRIMARY KEY,\n        value BLOB\n      ) WITHOUT ROWID";
const CREATE_METADATA = "CREATE TABLE IF NOT EXISTS _cf_METADATA (\n        key INTEGER PRIMARY KEY,\n        value BLOB\n      )";
const ALARM_KEY = 1;
/** What the undo journal compares (see sqlite-undo.ts), in one query. */
const MARKS =
  "SELECT total_changes(), page_count, freelist_count, EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1') " +
  "FROM pragma_page_count, pragma_freelist_count";
const CHANGES = "SELECT total_changes()";
/** How SQLite's message begins when COMMIT is refused while a statement is still in progress. */
const COMMIT_REFUSED = "cannot commit transaction";

/** The committed database file (never written after it is taken). */
interface SqliteSnapshot extends BackendSnapshot {
  bytes: Uint8Array;
}

/**
 * An index of scheduled alarms kept outside the object's database (workerd's per-namespace
 * `metadata.sqlite`), so a restarted emulator knows which objects to wake. It is told of a new
 * alarm before the commit that stores it and of a removed one after, so it never misses an
 * alarm the object holds; an entry the object no longer holds is noticed when it falls due.
 */
export interface AlarmIndexEntry {
  scheduled(time: number): void;
  cleared(): void;
}

/** Persistence of one object: where its database lives, and the alarm index it reports to. */
export interface SqlitePersistence {
  store: DatabaseStore;
  alarms: AlarmIndexEntry;
}

export class SqliteBackend implements StorageBackend {
  /** The database, for the SQL API; fetch the sql.js Database from it on every use. */
  readonly connection: SqliteConnection;
  #inBatch = false;
  /** Handles of the open savepoints, outermost first; a savepoint's depth is its name. */
  #savepoints: number[] = [];
  #nextSavepoint = 1;
  /**
   * Handles of savepoints a deleteAll() wiped away with the database: ending one is workerd's
   * internal error (see deleteAll()).
   */
  readonly #wipedSavepoints = new Set<number>();
  /**
   * deleteAll() wiped the database inside the open batch (inside transactionSync(): elsewhere
   * the storage commits the wipe at once). The wipe is durable, as workerd recreates the file:
   * a rollback of the batch goes back to an empty database.
   */
  #wiped = false;
  /**
   * A batch that wiped the database (deleteAll()) committed in this turn: workerd commits the
   * wipe itself later, at the end of the turn, and until then writes an unset alarm as it does
   * inside that batch (see setAlarm()).
   */
  #wipeCommittedThisTurn = false;
  readonly #alarms: AlarmIndexEntry | undefined;
  /** The open batch may have changed the alarm. */
  #alarmTouched = false;
  /** What the KV and alarm writes changed since the last snapshot, so restoring it is O(change). */
  readonly #journal = new UndoJournal<SqliteSnapshot>();

  /**
   * @param bytes a database file to start from; empty when omitted.
   * @param persistence where the database lives on disk, when it does.
   */
  constructor(bytes?: Uint8Array, persistence?: SqlitePersistence) {
    this.connection = new SqliteConnection(bytes, persistence?.store);
    this.#alarms = persistence?.alarms;
  }

  /** Rows the last list() read: its statement is the one workerd lists with, counted alike. */
  listRowsRead = 0;

  /** What the holder of the list cursor is told when a newer list takes it (see takeListCursor()). */
  #listCursorTaken: WeakRef<() => void> | undefined;

  /**
   * workerd's SQLite KV has one list cursor, which every list over a non-empty range takes:
   * `storage.kv.list()`'s and the async `list()`'s alike. The `kv.list()` iterator that held it
   * is told (it is then invalidated). `onTaken` is the new holder's; an async list, which reads
   * its rows at once, passes none. Held weakly: an iterator dropped unfinished holds nothing.
   */
  takeListCursor(onTaken?: () => void): void {
    const previous = this.#listCursorTaken?.deref();
    this.#listCursorTaken = onTaken === undefined ? undefined : new WeakRef(onTaken);
    previous?.();
  }

  get(key: string): Uint8Array | undefined {
    if (!this.#hasTable("_cf_KV")) return undefined;
    const statement = this.connection.cached("SELECT value FROM _cf_KV WHERE key = ?");
    statement.bind([key]);
    // Its value alone, read as a BLOB (see PreparedStatement.blob); reset as in #firstRow.
    const value = statement.step() ? statement.blob(0) : undefined;
    statement.reset();
    return value;
  }

  has(key: string): boolean {
    return this.#hasTable("_cf_KV") && this.#anyRow("SELECT 1 FROM _cf_KV WHERE key = ?", [key]);
  }

  list(range: KeyRange): StorageEntry[] {
    this.listRowsRead = 0;
    if (!this.#hasTable("_cf_KV") || (range.limit !== undefined && range.limit <= 0)) return [];
    const [sql, bounds] = listQuery(range);
    const statement = this.connection.cached(sql);
    statement.bind(bounds);
    statement.beginCountedRun("select");
    const entries: StorageEntry[] = [];
    while (statement.step()) appendOwn(entries, listedEntry(statement));
    statement.countRows("select", entries.length);
    this.listRowsRead = statement.rowsRead;
    statement.reset();
    return entries;
  }

  /**
   * The entries of `range` as workerd's `storage.kv.list()` reads them: a live statement over
   * `_cf_KV`, bound and ready for its first step, which the caller owns and releases to the
   * connection (whose cache keeps it, its program read, for the next list of the same shape);
   * undefined when nothing can be listed (no `_cf_KV` yet, a limit of 0).
   */
  openList(range: KeyRange): PreparedStatement | undefined {
    if (!this.#hasTable("_cf_KV") || (range.limit !== undefined && range.limit <= 0)) return undefined;
    const [sql, bounds] = listQuery(range);
    const statement = this.connection.lendCached(sql);
    statement.bind(bounds);
    statement.beginCountedRun("select");
    return statement;
  }

  put(key: string, value: Uint8Array): void {
    this.#requireBatch();
    const before = this.#journal.tracks(key) ? this.#valueBefore(key) : undefined;
    this.createKvTable();
    this.#run("INSERT INTO _cf_KV VALUES (?, ?) ON CONFLICT DO UPDATE SET value = excluded.value", [key, value]);
    this.#journal.wroteKey(key, this.#rowsChanged(), before);
  }

  /** A delete makes the table too, even of a key it does not find, as workerd's KV does. */
  delete(key: string): boolean {
    this.#requireBatch();
    const before = this.#journal.tracks(key) ? this.#valueBefore(key) : undefined;
    this.createKvTable();
    this.#run("DELETE FROM _cf_KV WHERE key = ?", [key]);
    const rows = this.#rowsChanged();
    this.#journal.wroteKey(key, rows, before);
    return rows > 0;
  }

  /** workerd's KV creates its table on its first write of any kind, whether or not it changes a row. */
  createKvTable(): void {
    this.#requireBatch();
    this.#run(CREATE_KV);
  }

  /**
   * Wipes the whole database, as workerd does by recreating the file; the batch continues on a
   * fresh empty database, which a rollback keeps (see #wiped).
   */
  deleteAll(): void {
    this.#requireBatch();
    this.#alarmTouched = true;
    this.#journal.spoil();
    // Inside transactionSync() (transaction() refuses deleteAll() before it gets here) workerd
    // still wipes the database at once; the savepoints go with it, so the transactionSync()
    // ending one then throws an internal error, whether its callback returned or threw, and
    // the wipe stays.
    for (const savepoint of this.#savepoints) this.#wipedSavepoints.add(savepoint);
    this.#savepoints = [];
    this.connection.database().exec("ROLLBACK");
    this.#wiped = true;
    this.connection.replace(undefined);
    this.connection.database().exec("BEGIN");
  }

  getAlarm(): number | null {
    if (!this.#hasTable("_cf_METADATA")) return null;
    // Integer division in SQL: nanoseconds past 2^53 would lose precision as a JS number.
    const value = this.#firstRow("SELECT value / 1000000 FROM _cf_METADATA WHERE key = ?", [ALARM_KEY])?.[0];
    return typeof value === "number" ? value : null;
  }

  setAlarm(scheduledTime: number | null): void {
    this.#requireBatch();
    this.#alarmTouched = true;
    if (this.#journal.tracksAlarm && !this.#hasTable("_cf_METADATA")) this.#journal.spoil();
    const before = this.#journal.tracksAlarm ? this.getAlarm() : undefined;
    let rows = 0;
    if (scheduledTime === null) {
      if (this.#hasTable("_cf_METADATA")) {
        this.#run("DELETE FROM _cf_METADATA WHERE key = ?", [ALARM_KEY]);
        rows = this.#rowsChanged();
      } else if (this.#wiped || this.#wipeCommittedThisTurn) {
        // Until the end of the turn of a deleteAll() that wiped the file (when workerd commits
        // the wipe), workerd writes an unset alarm as any other (creating the table) rather than
        // skip it as on a database never given one.
        this.#run(CREATE_METADATA);
      }
    } else {
      this.#run(CREATE_METADATA);
      // CAST keeps the nanosecond count an exact 64-bit INTEGER, as workerd stores it.
      this.#run(
        "INSERT INTO _cf_METADATA VALUES (?, CAST(? AS INTEGER) * 1000000) ON CONFLICT DO UPDATE SET value = excluded.value",
        [ALARM_KEY, scheduledTime],
      );
      rows = this.#rowsChanged();
    }
    this.#journal.wroteAlarm(rows, before);
  }

  get inBatch(): boolean {
    return this.#inBatch;
  }

  begin(): void {
    if (this.#inBatch) throw new Error("durasim internal: batch already open");
    // The first batch after a snapshot: what the database looks like before anything changes it.
    if (this.#journal.needsMarks) this.#journal.mark(this.#marks());
    takeCriticalError(this.connection.database());
    this.connection.database().exec("BEGIN");
    this.connection.pin();
    this.#inBatch = true;
  }

  commit(): void {
    this.#requireBatch();
    const alarm = this.#alarms !== undefined && this.#alarmTouched ? this.getAlarm() : undefined;
    if (alarm != null) this.#alarms!.scheduled(alarm);
    try {
      this.#commitStatement();
    } catch (error) {
      // A failed COMMIT (deferred foreign keys, a writing statement still in progress) leaves
      // the transaction open: undo it, as workerd does, and report why. After a critical
      // error (which may have ended the transaction) workerd resets the object with that error.
      // A commit that meets damaged pages of a stored file names it (see damageOf): the caller
      // sees the runtime's internal error, and the log beside it says which file.
      const extendedCode = this.connection.lastExtendedCode();
      const database = this.connection.database();
      const critical = takeCriticalError(database);
      this.rollback();
      throw critical === undefined ? damageOf(database, commitFailure(error, extendedCode)) : Object.assign(new Error(critical.message), { durableObjectReset: true });
    }
    try {
      // On failure the connection is back to what the disk holds: the batch is gone.
      this.connection.persist();
    } catch (error) {
      this.#endBatch();
      throw new Error(`${error instanceof Error ? error.message : String(error)}: SQLITE_IOERR`);
    }
    if (this.#wiped && !this.#wipeCommittedThisTurn) {
      this.#wipeCommittedThisTurn = true;
      atTurnEnd(() => (this.#wipeCommittedThisTurn = false));
    }
    this.#endBatch();
    if (alarm === null) this.#clearIndexedAlarm();
  }

  /**
   * Takes a deleted alarm out of the namespace's index, after the commit that deleted it. The
   * index may name more alarms than objects hold (it is written before a commit that sets one,
   * so no alarm is ever missing from it), and an entry whose object holds no alarm fires
   * nothing. So a refused write here is not the committed deletion's failure: the entry stays.
   */
  #clearIndexedAlarm(): void {
    try {
      this.#alarms!.cleared();
    } catch {
      return;
    }
  }

  /**
   * COMMIT. One of durasim's own statements may still be in progress, which COMMIT refuses: a
   * stack overflow in object code that writes at every level of its recursion can strike inside
   * a write, between its statement's step and its reset. The runtime's write is never cut short
   * that way (the overflow is thrown before the call: the object's writes commit and it goes on),
   * so those statements are reset and COMMIT tried once more. A statement of the object's own
   * (an unfinished cursor of a writing statement) still fails the commit, as in the runtime.
   */
  #commitStatement(): void {
    const database = this.connection.database();
    try {
      database.exec("COMMIT");
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith(COMMIT_REFUSED))) throw error;
      this.connection.resetCached();
      database.exec("COMMIT");
    }
  }

  /** Undoes the batch; only a resetting object does this, so its live cursors end too. */
  rollback(): void {
    this.#requireBatch();
    this.connection.finalizeLive();
    if (this.#wiped) {
      this.connection.replace(undefined);
      this.#clearIndexedAlarm();
      try {
        this.connection.persist();
      } catch {
        // The store keeps the old file, marked stale: the next commit writes the whole database.
      }
    } else {
      rollbackIfOpen(this.connection.database());
    }
    this.connection.schema.invalidate();
    this.#endBatch();
  }

  get inSavepoint(): boolean {
    return this.#savepoints.length > 0;
  }

  savepoint(): number {
    this.#requireBatch();
    const handle = this.#nextSavepoint++;
    this.#savepoints.push(handle);
    this.connection.database().exec(`SAVEPOINT _cf_savepoint_${this.#savepoints.length}`);
    return handle;
  }

  release(savepoint: number): void {
    this.#requireBatch();
    const depth = this.#depth(savepoint);
    // After rollbackTo() the savepoint is already gone; releasing it then is a no-op.
    if (depth === 0) return;
    const database = this.connection.database();
    try {
      database.exec(`RELEASE _cf_savepoint_${depth}`);
    } catch {
      // SQLite refuses while a write statement runs on under the savepoint (an INSERT ...
      // RETURNING cursor not read to its end). workerd then rolls back to it: the savepoint's
      // writes are undone (none half-applies) and the caller gets its internal error. The
      // emptied savepoint stays open in SQLite until the batch ends; it is no longer ours.
      database.exec(`ROLLBACK TO _cf_savepoint_${depth}`);
      this.#savepoints.length = depth - 1;
      this.connection.schema.invalidate();
      throw new Error(`internal error; reference = ${errorReference()}`);
    }
    this.#savepoints.length = depth - 1;
  }

  /** Undoes everything since `savepoint` and discards it (and any savepoints inside it). */
  rollbackTo(savepoint: number): void {
    this.#requireBatch();
    const depth = this.#depth(savepoint);
    if (depth === 0) throw new Error("durasim internal: unknown savepoint");
    const database = this.connection.database();
    database.exec(`ROLLBACK TO _cf_savepoint_${depth}`);
    this.#savepoints.length = depth - 1;
    this.connection.schema.invalidate();
    try {
      database.exec(`RELEASE _cf_savepoint_${depth}`);
    } catch {
      // Refused as in release(): the writes are undone all the same; the caller gets workerd's internal error.
      throw new Error(`internal error; reference = ${errorReference()}`);
    }
  }

  /** 1-based depth of an open savepoint, 0 when it has ended; a wiped one throws workerd's error. */
  #depth(savepoint: number): number {
    if (this.#wipedSavepoints.delete(savepoint)) throw new Error(`internal error; reference = ${errorReference()}`);
    return this.#savepoints.indexOf(savepoint) + 1;
  }

  /** The committed database file, for point-in-time recovery and persistence. */
  fileBytes(): Uint8Array {
    if (this.#inBatch) throw new Error("durasim internal: snapshot() while a batch is open");
    return this.connection.exportBytes();
  }

  /**
   * Replaces the whole database (KV, alarm and tables) with a file's bytes (none: empty). The
   * bytes are only read (the engine copies them when it opens the file), never kept for writing.
   */
  replaceFile(bytes: Uint8Array | undefined): void {
    if (this.#inBatch) throw new Error("durasim internal: restore() while a batch is open");
    this.#journal.spoil();
    this.connection.replace(bytes);
    // As a commit does: the index hears of the file's alarm before the file is on disk, so a
    // refused index leaves the old file (and the next emulator arms every alarm the disk holds),
    // and of a removed one after, when a refusal only leaves an entry that fires nothing.
    const alarm = this.#alarms === undefined ? undefined : this.getAlarm();
    if (alarm != null) {
      try {
        this.#alarms!.scheduled(alarm);
      } catch (error) {
        this.connection.revertToStore();
        throw error;
      }
    }
    this.connection.persist();
    if (alarm === null) this.#clearIndexedAlarm();
  }

  snapshot(): BackendSnapshot {
    const snapshot: SqliteSnapshot = { backendSnapshot: true, bytes: this.fileBytes() };
    this.#journal.rebase(snapshot);
    return snapshot;
  }

  /** Undoes the writes since `snapshot` when the journal can (see sqlite-undo.ts), else loads its file. */
  restore(snapshot: BackendSnapshot | undefined): void {
    const target = snapshot as SqliteSnapshot | undefined;
    if (this.#inBatch) throw new Error("durasim internal: restore() while a batch is open");
    const undone = this.#undo(target);
    if (undone === undefined) this.replaceFile(target?.bytes);
    this.#journal.rebase(target);
    if (undone !== undefined) this.#journal.mark(undone);
  }

  /**
   * Writes back each journaled key's and the alarm's value at `target`. Returns the marks of the
   * database after, when that restored it exactly; undefined when the file must be loaded.
   */
  #undo(target: SqliteSnapshot | undefined): DatabaseMarks | undefined {
    if (!this.#journal.journals(target)) return undefined;
    const [changes] = this.#firstRow(CHANGES, []) as number[];
    const writes = this.#journal.undoTo(target, { changes: changes!, generation: this.connection.schema.generation, handle: this.connection.opens });
    if (writes === undefined) return undefined;
    this.begin();
    try {
      for (const [key, value] of writes.values) {
        if (value === undefined) this.delete(key);
        else this.put(key, value);
      }
      if (writes.alarm !== undefined) this.setAlarm(writes.alarm.time);
      this.commit();
    } catch {
      if (this.#inBatch) this.rollback();
      return undefined;
    }
    const after = this.#marks();
    return after.pages === writes.pages && after.freePages === writes.freePages ? after : undefined;
  }

  /** `(page_count - freelist_count) * page_size`, as workerd reports `sql.databaseSize`. */
  databaseSize(): number {
    const [[pages, free, size]] = this.connection.database().exec(
      "SELECT page_count, freelist_count, page_size FROM pragma_page_count, pragma_freelist_count, pragma_page_size",
    )[0]!.values as number[][] as [[number, number, number]];
    return (pages - free) * size;
  }

  /** databaseSize(), without reopening a parked database (usage reports ask every object). */
  storedBytes(): number {
    return this.connection.usedBytes();
  }

  park(): void {
    // An open batch lives only in the open database. Cursors do not keep it open here, as they
    // do under the pool's pressure: they belong to the evicted instance, whose database the
    // runtime closes, so they end (left unread, they would keep it open until some later GC).
    if (this.#inBatch) return;
    this.connection.finalizeLive();
    this.connection.park();
  }

  /**
   * A new instance of the object starts: workerd opens the database anew for each instance, so
   * the PRAGMAs an earlier one set on its connection (`foreign_keys = OFF`) are gone. A database
   * open with such settings is parked, to be reopened with the defaults. No batch is open then
   * (park() would keep the database, settings and all): the last instance's batch was committed
   * or dropped as it ended, one its open transaction held too (Incarnation.evict).
   */
  startSession(): void {
    if (this.#inBatch) throw new Error("durasim internal: a new instance's storage opened with a batch open");
    if (this.connection.forgetSettings()) this.park();
  }

  /**
   * Parks the database (see park()) and tells whether it holds what a new database holds: no
   * KV entry, alarm, table or setting, not even the `_cf_*` tables a first write creates, so a
   * new backend in its place reports the same `databaseSize`, `sqlite_master` and PRAGMAs.
   */
  parkedAsNew(): boolean {
    this.park();
    return this.connection.parkedAsNew;
  }

  close(): void {
    this.connection.close();
    this.#inBatch = false;
  }

  #endBatch(): void {
    this.#inBatch = false;
    this.#alarmTouched = false;
    this.#savepoints = [];
    this.#wipedSavepoints.clear();
    this.#wiped = false;
    this.connection.unpin();
  }

  /** Rows the last INSERT, UPDATE or DELETE changed. */
  #rowsChanged(): number {
    return this.connection.database().getRowsModified();
  }

  #marks(): DatabaseMarks {
    const [changes, pages, freePages, hasStatistics] = this.#firstRow(MARKS, []) as number[];
    const { generation } = this.connection.schema;
    return { changes: changes!, generation, handle: this.connection.opens, pages: pages!, freePages: freePages!, hasStatistics: hasStatistics === 1 };
  }

  /**
   * A key's value before a journaled write changes it. The journal cannot undo the creation of
   * the KV table (the file keeps its page), so a write that will create it ends journaling.
   */
  #valueBefore(key: string): { value: Uint8Array | undefined } | undefined {
    if (!this.#hasTable("_cf_KV")) {
      this.#journal.spoil();
      return undefined;
    }
    return { value: this.get(key) };
  }

  #run(sql: string, values: BoundValue[] = []): void {
    const statement = this.connection.cached(sql);
    statement.bind(values);
    while (statement.step());
    statement.reset();
  }

  /** Runs a query for its first row; the statement is reset so no read stays in progress. */
  #firstRow(sql: string, values: BoundValue[]): SqlStorageValue[] | undefined {
    const statement = this.connection.cached(sql);
    statement.bind(values);
    const row = statement.step() ? statement.row() : undefined;
    statement.reset();
    return row;
  }

  /** Whether a query has a row, its values not read; the statement is reset as in #firstRow. */
  #anyRow(sql: string, values: BoundValue[]): boolean {
    const statement = this.connection.cached(sql);
    statement.bind(values);
    const found = statement.step();
    statement.reset();
    return found;
  }

  #hasTable(name: string): boolean {
    return this.#anyRow("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name]);
  }

  #requireBatch(): void {
    if (!this.#inBatch) throw new Error("durasim internal: storage write outside a batch");
  }
}

/** The entry a list statement (list()'s, openList()'s) stands on. */
export function listedEntry(statement: PreparedStatement): StorageEntry {
  const [key, value] = statement.row();
  return [key as string, toBytes(value)];
}

function toBytes(value: unknown): Uint8Array {
  return value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(0);
}

/** What SQLite says when there is no transaction to end. */
const NO_TRANSACTION = /^cannot (?:commit|rollback) - no transaction is active$/;

/**
 * ROLLBACK, unless SQLite already ended the transaction: a trigger's `RAISE(ROLLBACK, ...)`
 * rolls back the whole transaction, and the writes after it autocommit (as in workerd, whose
 * commit at the end of the turn then fails and resets the object).
 */
function rollbackIfOpen(database: Database): void {
  try {
    database.exec("ROLLBACK");
  } catch (error) {
    if (!(error instanceof Error && NO_TRANSACTION.test(error.message))) throw error;
  }
}

/**
 * sql.js reports only the message; the codes are added as workerd formats them: the primary
 * one the message stands for, the extended one the connection recorded (a deferred foreign
 * key's SQLITE_CONSTRAINT_FOREIGNKEY).
 */
function commitFailure(error: unknown, extendedCode: number): Error {
  const message = error instanceof Error ? error.message : String(error);
  const code = codeOfMessage(message);
  return sqliteError(message, code, { extended: extendedCodeName(extendedCode, code) });
}

/** The statement that lists `range` of `_cf_KV` (workerd's text), and its bound values. */
function listQuery({ start = "", end, reverse = false, limit }: KeyRange): [string, BoundValue[]] {
  const bounds: BoundValue[] = [start];
  let sql = "SELECT key, value FROM _cf_KV WHERE key >= ?";
  if (end !== undefined) {
    sql += " AND key < ?";
    bounds.push(end);
  }
  sql += reverse ? " ORDER BY key DESC" : " ORDER BY key";
  if (limit !== undefined && limit !== Infinity) {
    sql += " LIMIT ?";
    bounds.push(limit);
  }
  return [sql, bounds];
}

import type { SqliteConnection } from "../../sqlite/connection.js";
import { CURSOR_IO, type StorageIoType } from "../io-types.js";
import type { StorageMeter } from "../meter.js";
import { inCodeRealm } from "../../util/code-realm.js";
import { errorReference } from "../../util/error-reference.js";
import { microtask } from "../../util/turn.js";
import { defineInterface } from "../../util/webidl.js";
import type { StatementShape } from "../../sqlite/row-counters.js";
import type { PreparedStatement, SqlStorageValue } from "../../sqlite/statement.js";
import { appendOwn } from "../../util/own-arrays.js";

type Row = Record<string, SqlStorageValue>;

/** What a cursor needs of its storage (SqlStorage's hooks): the meter it bills, the refusal of other I/O contexts. */
export interface CursorHooks {
  readonly meter: StorageMeter;
  assertOwnContext(ioType: StorageIoType): void;
  /** Throws the runtime's error once the object was reset or evicted (its storage closed). */
  assertUsable(): void;
}

/**
 * A cursor abandoned before its end still holds a statement, which keeps its database open;
 * release it once the cursor is garbage.
 */
const abandoned = new FinalizationRegistry<{ connection: SqliteConnection; statement: PreparedStatement }>(
  ({ connection, statement }) => connection.release(statement),
);

/**
 * Cursors made since the last microtask checkpoint. Most finish before it (a write, `one()`,
 * `toArray()`), so they are registered with `abandoned` only if still open then, in one
 * microtask per batch: registering costs about as much as the rest of a point query. Until
 * then this array holds them, so none can be collected unregistered.
 */
// One array, emptied in place: a fresh `[]` per batch starts with another map (no elements
// yet) than the array it replaces, and code V8 optimised for either deoptimises on the other.
const unregistered: SqlStorageCursor<Row>[] = [];
/**
 * Whether registerOpenCursors is queued. A cursor that finishes at once leaves the array empty
 * again, so its length cannot tell: a loop of point queries would queue a microtask each.
 */
let registrationQueued = false;

function registerLater(cursor: SqlStorageCursor<Row>): void {
  unregistered.push(cursor);
  if (registrationQueued) return;
  registrationQueued = true;
  microtask(registerOpenCursors);
}

function registerOpenCursors(): void {
  registrationQueued = false;
  // Registering calls no code that makes cursors, so nothing is added while this runs.
  for (let i = 0; i < unregistered.length; i++) SqlStorageCursor.registerIfOpen(unregistered[i]!);
  unregistered.length = 0;
}

/**
 * The result of `sql.exec()`, as workerd's `Cursor`: the statement has already been stepped to
 * its first row, the cursor stays one row ahead, and object rows, `raw()` arrays, `toArray()`
 * and `one()` all consume the same rows. As in the runtime, a cursor is iterable but not its
 * own iterator: `[Symbol.iterator]()` and `raw()` return new iterators over the same rows.
 */
export class SqlStorageCursor<T extends Row = Row> {
  /**
   * Every result column, duplicates included: the statement's shared array until the getter
   * first hands it out, then the cursor's own copy (which the user may change).
   */
  #columnNames: readonly string[];
  #ownsColumnNames = false;
  /** The statement's result columns: what a failed step's NULL row has, whatever the caller did to `columnNames`. */
  readonly #columnCount: number;
  #connection: SqliteConnection;
  /** The connection's replacements when the statement ran: a later one deleted its database. */
  #replacements: number;
  #statement: PreparedStatement | undefined;
  #shape: StatementShape;
  /** The row already stepped to, not yet returned. */
  #ahead: SqlStorageValue[] | undefined;
  #returned = 0;
  /**
   * What earlier runs read and wrote: a step after a failed one starts the statement over.
   * `pending`: that step has not happened yet, so the counters still show the failed run.
   */
  #earlierRuns: { read: number; written: number; pending: boolean } | undefined;
  #rowsRead = 0;
  #rowsWritten = 0;
  #registered = false;
  /** Its storage: bills the rows as the counters above move (see StorageMeter), refuses other I/O contexts. */
  #hooks: CursorHooks;

  /** @internal Built by `SqlStorage.exec()` after the first step. */
  constructor(connection: SqliteConnection, statement: PreparedStatement, shape: StatementShape, hasRow: boolean, hooks: CursorHooks) {
    this.#connection = connection;
    this.#replacements = connection.replacements;
    this.#statement = statement;
    this.#shape = shape;
    this.#hooks = hooks;
    this.#columnNames = statement.columnNames();
    this.#columnCount = this.#columnNames.length;
    if (hasRow) {
      this.#ahead = this.#stepped(statement);
      registerLater(this);
    } else {
      this.#finish(true);
    }
  }

  get columnNames(): string[] {
    if (!this.#ownsColumnNames) {
      this.#columnNames = inCodeRealm(this.#columnNames.slice());
      this.#ownsColumnNames = true;
    }
    return this.#columnNames as string[];
  }

  get rowsRead(): number {
    this.#requireReachable();
    this.#requireDatabase();
    this.#countLive();
    return this.#rowsRead;
  }

  get rowsWritten(): number {
    this.#requireReachable();
    this.#requireDatabase();
    this.#countLive();
    return this.#rowsWritten;
  }

  next(): IteratorResult<T, undefined> {
    return SqlStorageCursor.nextRow(this);
  }

  [Symbol.iterator](): RowIterator<T> {
    return new RowIterator(this);
  }

  toArray(): T[] {
    this.#requireReachable();
    const rows: T[] = [];
    for (let row = this.#take(); row !== undefined; row = this.#take()) appendOwn(rows, this.#toObject(row));
    return inCodeRealm(rows);
  }

  one(): T {
    this.#requireReachable();
    const row = this.#take();
    if (row === undefined) throw inCodeRealm(new Error("Expected exactly one result from SQL query, but got no results."));
    if (this.#ahead !== undefined) {
      this.#ahead = undefined;
      this.#finish(false);
      throw inCodeRealm(new Error("Expected exactly one result from SQL query, but got multiple results."));
    }
    return this.#toObject(row);
  }

  /** The same rows as arrays of values, in column order (duplicate names kept). */
  raw<U extends SqlStorageValue[] = SqlStorageValue[]>(): RawIterator<U> {
    return new RawIterator<U>(this);
  }

  /** The next row as an object. workerd's exhausted result is `{ done: true, value: undefined }` (the key is present). */
  static nextRow<T extends Row>(cursor: SqlStorageCursor<T>): IteratorResult<T, undefined> {
    cursor.#requireReachable();
    const row = cursor.#take();
    return row === undefined ? { done: true, value: undefined } : { done: false, value: cursor.#toObject(row) };
  }

  /** The next row as an array of values. */
  static nextRaw<U extends SqlStorageValue[]>(cursor: SqlStorageCursor): IteratorResult<U, undefined> {
    cursor.#requireReachable();
    const row = cursor.#take();
    return row === undefined ? { done: true, value: undefined } : { done: false, value: inCodeRealm(row as U) };
  }

  static registerIfOpen(cursor: SqlStorageCursor<Row>): void {
    const statement = cursor.#statement;
    if (statement === undefined) return;
    cursor.#registered = true;
    abandoned.register(cursor, { connection: cursor.#connection, statement }, cursor);
  }

  static isCursor(value: unknown): boolean {
    return typeof value === "object" && value !== null && #columnNames in value;
  }

  /**
   * A cursor still holding its statement belongs to its object: code of another I/O context is
   * refused; a finished one answers anyone. Asked once per call (not per row of a toArray()).
   */
  #requireReachable(): void {
    if (this.#statement === undefined) return;
    this.#hooks.assertOwnContext(CURSOR_IO);
    // Code of a reset or evicted instance that goes on finds its storage closed, cursors too
    // (an eviction finalized their statements: they must not end as if read to the end).
    this.#hooks.assertUsable();
  }

  /**
   * workerd cancels every unfinished query when deleteAll() deletes the database: the cursor's
   * rows (even the one already stepped to) and counters are gone; a finished cursor is not.
   */
  #requireDatabase(): void {
    if (this.#statement !== undefined && this.#connection.replacements !== this.#replacements) {
      throw new Error("SQLite query was canceled because the database was deleted.");
    }
  }

  #take(): SqlStorageValue[] | undefined {
    this.#requireDatabase();
    const row = this.#ahead;
    if (row === undefined) return undefined;
    try {
      this.#ahead = this.#advance();
    } catch (error) {
      // As workerd's cursor, one whose step failed goes on: its next row is the failed
      // statement's (every column NULL), and the step after it starts the statement over
      // (SQLite resets a statement stepped after an error), its counters running on. The row
      // has the statement's columns, not the caller's names: a raw() row has them all, and an
      // object row fails as any row does once the names no longer pair up with it.
      this.#ahead = Array.from({ length: this.#columnCount }, () => null);
      const statement = this.#statement;
      if (statement !== undefined && !statement.finalized) {
        this.#count(statement, false);
        this.#earlierRuns = { read: this.#rowsRead, written: this.#rowsWritten, pending: true };
        this.#returned = 0;
      }
      throw inCodeRealm(error);
    }
    return row;
  }

  #advance(): SqlStorageValue[] | undefined {
    const statement = this.#statement;
    // A statement finalized elsewhere (deleteAll() or restore() replaced the database) ends.
    if (statement === undefined || statement.finalized) {
      this.#finish(false);
      return undefined;
    }
    const earlier = this.#earlierRuns;
    if (earlier?.pending) {
      earlier.pending = false;
      statement.restartCountedRun();
    }
    if (statement.step()) return this.#stepped(statement);
    this.#finish(true);
    return undefined;
  }

  #stepped(statement: PreparedStatement): SqlStorageValue[] {
    this.#returned++;
    return statement.row();
  }

  /**
   * workerd reads the counters after every step; here they are read when asked for, which gives
   * the same figures (nothing steps the statement between its last step and the read), and when
   * the statement is let go. The meter bills what they moved by.
   */
  #countLive(): void {
    const statement = this.#statement;
    if (statement !== undefined && !statement.finalized) this.#count(statement, false);
  }

  #count(statement: PreparedStatement, finished: boolean): void {
    const earlier = this.#earlierRuns;
    let read = 0;
    let written = 0;
    if (!earlier?.pending) {
      statement.countRows(this.#shape.kind, this.#returned);
      read = statement.rowsRead;
      written = statement.rowsWritten;
    }
    if (earlier !== undefined) {
      read += earlier.read;
      written += earlier.written;
    }
    this.#hooks.meter.rows(read - this.#rowsRead, written - this.#rowsWritten, finished && (written > 0 || this.#shape.changesSchema));
    this.#rowsRead = read;
    this.#rowsWritten = written;
  }

  #finish(completed: boolean): void {
    const statement = this.#statement;
    if (statement === undefined) return;
    this.#statement = undefined;
    if (this.#registered) abandoned.unregister(this);
    // The usual case (`one()`, a loop to the end) finishes before the next cursor is made:
    // holding it until the microtask would keep it alive through a scavenge.
    else if (unregistered.at(-1) === this) unregistered.pop();
    if (!statement.finalized) this.#count(statement, completed);
    this.#connection.release(statement);
  }

  #toObject(row: SqlStorageValue[]): T {
    // Each column is assigned as workerd assigns it, a later duplicate winning: a column named
    // `__proto__` runs Object.prototype's setter (NULL or a BLOB replaces the row's prototype,
    // other values vanish), so the row is made in the code's realm before its values land.
    const names = this.#columnNames;
    // The names are those `columnNames` handed out, as workerd keys rows by its cached array, so
    // a caller's renaming shows in the rows; one that changed its length fails the row (workerd's
    // assertion that names and values pair up), which is consumed all the same.
    if (names.length !== row.length) throw inCodeRealm(new Error(`internal error; reference = ${errorReference()}`));
    const object: Row = inCodeRealm({});
    for (let i = 0; i < names.length; i++) object[names[i]!] = inCodeRealm(row[i]!);
    return object as T;
  }
}

/** The public constructor of cursors (SqlStorage.prototype.Cursor shows it). */
export const CURSOR_CONSTRUCTOR = defineInterface(SqlStorageCursor, "Cursor", SqlStorageCursor.isCursor, {
  order: ["next", "toArray", "one", "raw", "columnNames", "rowsRead", "rowsWritten"],
});

/** What `cursor[Symbol.iterator]()` returns: object rows, sharing the cursor's position. */
class RowIterator<T extends Row> {
  readonly #cursor: SqlStorageCursor<T>;

  constructor(cursor: SqlStorageCursor<T>) {
    this.#cursor = cursor;
  }

  next(): IteratorResult<T, undefined> {
    return SqlStorageCursor.nextRow(this.#cursor);
  }

  [Symbol.iterator](): this {
    return this;
  }

  static {
    defineInterface(this, "RowIterator", (value) => typeof value === "object" && value !== null && #cursor in value, { iterator: true });
  }
}

/** What `cursor.raw()` returns: rows as arrays, sharing the cursor's position. */
class RawIterator<U extends SqlStorageValue[]> {
  readonly #cursor: SqlStorageCursor;

  constructor(cursor: SqlStorageCursor) {
    this.#cursor = cursor;
  }

  next(): IteratorResult<U, undefined> {
    return SqlStorageCursor.nextRaw<U>(this.#cursor);
  }

  [Symbol.iterator](): this {
    return this;
  }

  static {
    defineInterface(this, "RawIterator", (value) => typeof value === "object" && value !== null && #cursor in value, { iterator: true });
  }
}

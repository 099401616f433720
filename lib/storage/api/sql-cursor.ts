import type { SqliteConnection } from "../../sqlite/connection.js";
import { defineInterface } from "../../util/webidl.js";
import { finishedStatementCounts, sortsInTempBtree, type StatementShape } from "../../sqlite/row-counters.js";
import type { PreparedStatement, SqlStorageValue } from "../../sqlite/statement.js";

type Row = Record<string, SqlStorageValue>;

/**
 * A cursor abandoned before its end still holds a statement, which keeps its database open;
 * release it once the cursor is garbage.
 */
const abandoned = new FinalizationRegistry<{ connection: SqliteConnection; statement: PreparedStatement }>(
  ({ connection, statement }) => connection.release(statement),
);

/**
 * The result of `sql.exec()`, as workerd's `Cursor`: the statement has already been stepped to
 * its first row, the cursor stays one row ahead, and object rows, `raw()` arrays, `toArray()`
 * and `one()` all consume the same rows. As in the runtime, a cursor is iterable but not its
 * own iterator: `[Symbol.iterator]()` and `raw()` return new iterators over the same rows.
 */
export class SqlStorageCursor<T extends Row = Row> {
  /** Every result column, duplicates included. */
  readonly #columnNames: string[];
  #connection: SqliteConnection;
  #statement: PreparedStatement | undefined;
  #shape: StatementShape;
  /** The row already stepped to, not yet returned. */
  #ahead: SqlStorageValue[] | undefined;
  #returned = 0;
  #rowsRead = 0;
  #rowsWritten = 0;

  /** @internal Built by `SqlStorage.exec()` after the first step. */
  constructor(connection: SqliteConnection, statement: PreparedStatement, shape: StatementShape, hasRow: boolean) {
    this.#connection = connection;
    this.#statement = statement;
    this.#shape = shape;
    this.#columnNames = statement.columnNames();
    abandoned.register(this, { connection, statement }, this);
    if (hasRow) this.#ahead = this.#stepped(statement);
    else this.#finish(true);
  }

  get columnNames(): string[] {
    return this.#columnNames;
  }

  get rowsRead(): number {
    return this.#rowsRead;
  }

  get rowsWritten(): number {
    return this.#rowsWritten;
  }

  next(): IteratorResult<T, undefined> {
    return SqlStorageCursor.nextRow(this);
  }

  [Symbol.iterator](): RowIterator<T> {
    return new RowIterator(this);
  }

  toArray(): T[] {
    const rows: T[] = [];
    for (let row = this.#take(); row !== undefined; row = this.#take()) rows.push(this.#toObject(row));
    return rows;
  }

  one(): T {
    const row = this.#take();
    if (row === undefined) throw new Error("Expected exactly one result from SQL query, but got no results.");
    if (this.#ahead !== undefined) {
      this.#ahead = undefined;
      this.#finish(false);
      throw new Error("Expected exactly one result from SQL query, but got multiple results.");
    }
    return this.#toObject(row);
  }

  /** The same rows as arrays of values, in column order (duplicate names kept). */
  raw<U extends SqlStorageValue[] = SqlStorageValue[]>(): RawIterator<U> {
    return new RawIterator<U>(this);
  }

  /** The next row as an object. workerd's exhausted result is `{ done: true, value: undefined }` (the key is present). */
  static nextRow<T extends Row>(cursor: SqlStorageCursor<T>): IteratorResult<T, undefined> {
    const row = cursor.#take();
    return row === undefined ? { done: true, value: undefined } : { done: false, value: cursor.#toObject(row) };
  }

  /** The next row as an array of values. */
  static nextRaw<U extends SqlStorageValue[]>(cursor: SqlStorageCursor): IteratorResult<U, undefined> {
    const row = cursor.#take();
    return row === undefined ? { done: true, value: undefined } : { done: false, value: row as U };
  }

  static isCursor(value: unknown): boolean {
    return typeof value === "object" && value !== null && #columnNames in value;
  }

  #take(): SqlStorageValue[] | undefined {
    const row = this.#ahead;
    if (row === undefined) return undefined;
    this.#ahead = this.#advance();
    return row;
  }

  #advance(): SqlStorageValue[] | undefined {
    const statement = this.#statement;
    // A statement finalized elsewhere (deleteAll() or restore() replaced the database) ends.
    if (statement === undefined || statement.finalized) {
      this.#finish(false);
      return undefined;
    }
    let hasRow: boolean;
    try {
      hasRow = statement.step();
    } catch (error) {
      this.#finish(false);
      throw error;
    }
    if (hasRow) return this.#stepped(statement);
    this.#finish(true);
    return undefined;
  }

  #stepped(statement: PreparedStatement): SqlStorageValue[] {
    this.#returned++;
    if (this.#shape.kind === "select" || this.#shape.kind === "other") this.#rowsRead = this.#returned;
    return statement.row();
  }

  #finish(completed: boolean): void {
    const statement = this.#statement;
    if (statement === undefined) return;
    this.#statement = undefined;
    abandoned.unregister(this);
    if (completed) {
      const database = this.#connection.database();
      const counts = finishedStatementCounts(this.#shape, this.#returned, database.getRowsModified(), {
        indexCount: (table) => this.#connection.schema.indexCount(table),
        sortsInTempBtree: () => sortsInTempBtree(database, statement.sql),
      });
      this.#rowsRead = counts.read;
      this.#rowsWritten = counts.written;
    }
    this.#connection.release(statement);
  }

  #toObject(row: SqlStorageValue[]): T {
    // Object.fromEntries lets a later duplicate column win, as workerd does.
    return Object.fromEntries(this.#columnNames.map((name, i) => [name, row[i]])) as T;
  }
}

/** The public constructor of cursors (SqlStorage.prototype.Cursor shows it). */
export const CURSOR_CONSTRUCTOR = defineInterface(SqlStorageCursor, "Cursor", SqlStorageCursor.isCursor);

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

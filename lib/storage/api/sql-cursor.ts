import type { SqliteConnection } from "../../sqlite/connection.js";
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
 * The result of `sql.exec()`, as workerd's `SqlStorageCursor`: the statement has already been
 * stepped to its first row, the cursor stays one row ahead, and object rows, `raw()` arrays,
 * `toArray()` and `one()` all consume the same rows.
 */
export class SqlStorageCursor<T extends Row = Row> implements IterableIterator<T> {
  /** Every result column, duplicates included. */
  readonly columnNames: string[];
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
    this.columnNames = statement.columnNames();
    abandoned.register(this, { connection, statement }, this);
    if (hasRow) this.#ahead = this.#stepped(statement);
    else this.#finish(true);
  }

  get rowsRead(): number {
    return this.#rowsRead;
  }

  get rowsWritten(): number {
    return this.#rowsWritten;
  }

  next(): IteratorResult<T> {
    const row = this.#take();
    // workerd's exhausted result is `{ done: true, value: undefined }` (the key is present).
    return row === undefined ? { done: true, value: undefined } : { done: false, value: this.#toObject(row) };
  }

  [Symbol.iterator](): this {
    return this;
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
  raw<U extends SqlStorageValue[] = SqlStorageValue[]>(): IterableIterator<U> {
    const take = () => this.#take();
    return {
      next: () => {
        const row = take();
        return row === undefined ? { done: true, value: undefined } : { done: false, value: row as U };
      },
      [Symbol.iterator]() {
        return this;
      },
    };
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
    return Object.fromEntries(this.columnNames.map((name, i) => [name, row[i]])) as T;
  }
}

import { damageOf } from "./damaged-database.js";
import type { Database, Statement } from "sql.js";
import { utf8Length } from "../util/utf8.js";
import { getSqlEngine } from "./engine.js";
import { ProgramCounter, type StatementKind } from "./row-counters.js";
import { noteIfCritical } from "./critical-errors.js";
import { codeName, sqliteError } from "./sqlite-error.js";
import { extendedCodeName } from "./extended-codes.js";
import { rowKeepingMarks } from "./text-rows.js";
import { parsedText } from "./parsed-texts.js";
import { isKeyword } from "./tokenizer.js";

/** A value as it is bound to a parameter (REAL for every number, as workerd binds them). */
export type BoundValue = null | number | string | Uint8Array;

/** A value as a row returns it. */
export type SqlStorageValue = ArrayBuffer | string | number | null;

const SQLITE_BLOB = 4;
const SQLITE_ROW = 100;
const SQLITE_DONE = 101;
/** Tells SQLite to copy a bound value, so our WASM buffer can be freed at once. */
const SQLITE_TRANSIENT = -1;

/**
 * A prepared statement driven through SQLite's C API where sql.js's wrapper loses information:
 * numbers are bound as REAL (sql.js binds int32 values as INTEGER) and stepping keeps the
 * result code, which sql.js throws away, so failures carry workerd's code names.
 */
export class PreparedStatement {
  readonly #statement: Statement;
  /** The database it was prepared on (the connection finalizes it before closing that one). */
  readonly #database: Database;
  readonly #pointer: number;
  readonly #databasePointer: number;
  #finalized = false;
  #columnNames: string[] | undefined;
  /** Counts its rows as workerd does; null when its program could not be read (see row-counters.ts). */
  #counter: ProgramCounter | null | undefined;
  /** Rows this run's upsert updated, and whether the database's update hook counts them. */
  #updated = 0;
  #hooked = false;
  /** This run has ended (SQLITE_DONE). */
  #done = false;
  /** What the last `countRows()` found. */
  rowsRead = 0;
  rowsWritten = 0;

  constructor(statement: Statement, database: Database, databasePointer: number) {
    this.#statement = statement;
    this.#database = database;
    this.#pointer = getSqlEngine().statementPointer(statement);
    this.#databasePointer = databasePointer;
  }

  /** The statement's SQL text, exactly the part of the input SQLite consumed. */
  get sql(): string {
    const engine = getSqlEngine();
    return engine.keepByteOrderMark(this.#statement.getSQL(), engine.wasm._sqlite3_sql(this.#pointer));
  }

  get finalized(): boolean {
    return this.#finalized;
  }

  /** Read from SQLite once per statement; the array is shared, so callers copy it to change it. */
  columnNames(): readonly string[] {
    if (this.#columnNames === undefined) {
      const engine = getSqlEngine();
      this.#columnNames = this.#statement
        .getColumnNames()
        .map((name, i) => engine.keepByteOrderMark(name, engine.wasm._sqlite3_column_name(this.#pointer, i)));
    }
    return this.#columnNames;
  }

  /** Binds `values` from index `from` on to the parameters, in order. */
  bind(values: readonly unknown[], from = 0): void {
    const wasm = getSqlEngine().wasm;
    for (let k = from; k < values.length; k++) {
      const value = values[k] as BoundValue;
      const index = k - from + 1;
      let code: number;
      if (value === null) {
        code = wasm._sqlite3_bind_blob(this.#pointer, index, 0, 0, 0);
      } else if (typeof value === "number") {
        code = wasm._sqlite3_bind_double(this.#pointer, index, value);
      } else if (typeof value === "string") {
        const text = wasm.stringToNewUTF8(value);
        try {
          code = wasm._sqlite3_bind_text(this.#pointer, index, text, utf8Length(value), SQLITE_TRANSIENT);
        } finally {
          wasm._free(text);
        }
      } else {
        const blob = wasm._malloc(Math.max(1, value.length));
        try {
          wasm.writeArrayToMemory(value, blob);
          code = wasm._sqlite3_bind_blob(this.#pointer, index, blob, value.length, SQLITE_TRANSIENT);
        } finally {
          wasm._free(blob);
        }
      }
      if (code !== 0) throw this.#failure(code);
    }
  }

  /** Advances to the next row; false when the statement has finished. */
  step(): boolean {
    const code = getSqlEngine().wasm._sqlite3_step(this.#pointer);
    if (code === SQLITE_ROW) return true;
    if (code === SQLITE_DONE) {
      this.#done = true;
      return false;
    }
    throw this.#failure(code);
  }

  /** The current row; BLOBs become ArrayBuffers, INTEGERs numbers (lossy past 2^53). */
  row(): SqlStorageValue[] {
    const row = rowKeepingMarks(this.#statement, this.#pointer) as Array<SqlStorageValue | Uint8Array>;
    for (let i = 0; i < row.length; i++) {
      const value = row[i];
      if (!(value instanceof Uint8Array)) continue;
      const { buffer, byteOffset, byteLength } = value;
      row[i] =
        byteOffset === 0 && byteLength === buffer.byteLength
          ? (buffer as ArrayBuffer)
          : (buffer.slice(byteOffset, byteOffset + byteLength) as ArrayBuffer);
    }
    return row as SqlStorageValue[];
  }

  /**
   * Column `column` of the current row as a BLOB's bytes, copied out of SQLite's heap in one
   * piece (a value of another type reads as no bytes): for a value read alone, without the
   * row's array, sql.js's byte-by-byte copy and an ArrayBuffer between.
   */
  blob(column: number): Uint8Array {
    const engine = getSqlEngine();
    const wasm = engine.wasm;
    if (wasm._sqlite3_column_type(this.#pointer, column) !== SQLITE_BLOB) return new Uint8Array(0);
    // The pointer first, then the size: SQLite's documented order (the size may convert the value).
    const pointer = wasm._sqlite3_column_blob(this.#pointer, column);
    const size = wasm._sqlite3_column_bytes(this.#pointer, column);
    return new Uint8Array(engine.fileWrites.memory!.buffer, pointer, size).slice();
  }

  /**
   * Starts a run whose rows `countRows()` reports. The first run reads the program (EXPLAIN on
   * the database that prepared this statement) before it executes. An upsert whose update and
   * insert code count differently has its updates counted by SQLite's update hook until
   * `reset()` (rowid tables report them; the hook costs a call per row, so only then).
   */
  beginCountedRun(kind: StatementKind): void {
    let counter = this.#counter;
    if (counter === undefined) counter = this.#readProgram(kind);
    if (counter === null) return;
    this.restartCountedRun();
    if (counter.needsUpdates) this.#hookUpdates();
  }

  /** Starts the counters over for a run SQLite began by itself (a step after a failed one). */
  restartCountedRun(): void {
    this.#counter?.restart(this.#pointer);
    this.#updated = 0;
  }

  /**
   * Counts the rows read and written so far in this run, which has returned `returned` rows,
   * into `rowsRead` and `rowsWritten`. Without a readable program: the rows returned, and for
   * a write the rows it changed.
   */
  countRows(kind: StatementKind, returned: number): void {
    const write = kind === "insert" || kind === "update" || kind === "delete";
    const counter = this.#counter;
    if (counter) {
      // SQLite hands the statement's count to the connection when it halts.
      const changes = !write ? 0 : this.#done ? getSqlEngine().wasm._sqlite3_changes(this.#databasePointer) : counter.changes(this.#pointer);
      counter.count(this.#pointer, kind, returned, changes, this.#updated);
      this.rowsRead = counter.read;
      this.rowsWritten = counter.written;
      return;
    }
    const changes = write ? getSqlEngine().wasm._sqlite3_changes(this.#databasePointer) : 0;
    this.rowsRead = Math.max(returned, changes);
    this.rowsWritten = changes;
  }

  /** Rewinds for another run with new bindings. */
  reset(): void {
    this.#statement.reset();
    this.#done = false;
    this.#unhook();
  }

  finalize(): void {
    if (this.#finalized) return;
    this.#finalized = true;
    this.#unhook();
    this.#statement.free();
  }

  #readProgram(kind: StatementKind): ProgramCounter | null {
    const layout = getSqlEngine().vdbe;
    this.#counter = (layout && ProgramCounter.of(this.#database, this.sql, isKeyword(parsedText(this.sql).tokens[0], "EXPLAIN"), this.#pointer, layout, kind)) ?? null;
    return this.#counter;
  }

  #hookUpdates(): void {
    this.#hooked = true;
    this.#database.updateHook((operation) => {
      if (operation === "update") this.#updated++;
    });
  }

  #unhook(): void {
    if (!this.#hooked) return;
    this.#database.updateHook(null);
    this.#hooked = false;
  }

  #failure(code: number): Error {
    const wasm = getSqlEngine().wasm;
    const message = wasm.UTF8ToString(wasm._sqlite3_errmsg(this.#databasePointer));
    const extended = extendedCodeName(getSqlEngine().extendedCode(this.#databasePointer), codeName(code));
    const error = sqliteError(message, codeName(code), { extended });
    noteIfCritical(this.#database, codeName(code), error);
    return damageOf(this.#database, error);
  }
}

import type { SqlValue, Statement } from "sql.js";
import { getSqlEngine, type SqlEngine } from "./engine.js";

/**
 * The current row of a sql.js statement, as `statement.get()` reads it, with each TEXT value's
 * leading byte-order mark kept (sql.js's decoder drops it: byte-order-marks.ts). Every read of
 * text durasim stored goes through here, whatever reads it (SQL rows, the schema lookups of the
 * authorizer and error codes, the alarm index, the bindings' key tables), so a key or name that
 * starts with U+FEFF reads back as it was written.
 */
export function rowKeepingMarks(statement: Statement, pointer = getSqlEngine().statementPointer(statement)): SqlValue[] {
  const row = statement.get();
  let engine: SqlEngine | undefined;
  for (let i = 0; i < row.length; i++) {
    const value = row[i];
    if (typeof value !== "string") continue;
    engine ??= getSqlEngine();
    row[i] = engine.keepByteOrderMark(value, engine.wasm._sqlite3_column_text(pointer, i));
  }
  return row;
}

/**
 * Every row `statement` (freshly bound) steps to, as arrays in column order; the statement is
 * freed. For durasim's own queries of stored text, the schema's names among it: a view, table
 * or column named with a leading U+FEFF is another object than the one named without it.
 */
export function rowsKeepingMarks(statement: Statement): SqlValue[][] {
  try {
    const pointer = getSqlEngine().statementPointer(statement);
    const rows: SqlValue[][] = [];
    while (statement.step()) rows.push(rowKeepingMarks(statement, pointer));
    return rows;
  } finally {
    statement.free();
  }
}

/** Every row `statement` (freshly bound) steps to, as objects by column name; the statement is freed. */
export function objectsKeepingMarks(statement: Statement): Array<Record<string, SqlValue>> {
  // The names are durasim's own column aliases (ASCII), read before the rows free the statement.
  const names = statement.getColumnNames();
  return rowsKeepingMarks(statement).map((row) => Object.fromEntries(names.map((name, i) => [name, row[i]!])));
}

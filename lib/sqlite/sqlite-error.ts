/**
 * SQLite failures formatted the way workerd formats them (`dbErrorMessage` in
 * workerd/util/sqlite.c++): `<errmsg>[ at offset <n>]: <CODE>[ (extended: <EXTENDED>)]`.
 * sql.js exposes neither `sqlite3_error_offset` nor extended result codes, so callers pass the
 * offset they located themselves and the extended code they read (extended-codes.ts).
 */

const PRIMARY_CODES: Record<number, string> = {
  1: "SQLITE_ERROR", 2: "SQLITE_INTERNAL", 3: "SQLITE_PERM", 4: "SQLITE_ABORT", 5: "SQLITE_BUSY",
  6: "SQLITE_LOCKED", 7: "SQLITE_NOMEM", 8: "SQLITE_READONLY", 9: "SQLITE_INTERRUPT",
  10: "SQLITE_IOERR", 11: "SQLITE_CORRUPT", 12: "SQLITE_NOTFOUND", 13: "SQLITE_FULL",
  14: "SQLITE_CANTOPEN", 15: "SQLITE_PROTOCOL", 16: "SQLITE_EMPTY", 17: "SQLITE_SCHEMA",
  18: "SQLITE_TOOBIG", 19: "SQLITE_CONSTRAINT", 20: "SQLITE_MISMATCH", 21: "SQLITE_MISUSE",
  22: "SQLITE_NOLFS", 23: "SQLITE_AUTH", 24: "SQLITE_FORMAT", 25: "SQLITE_RANGE", 26: "SQLITE_NOTADB",
};

export function codeName(resultCode: number): string {
  return PRIMARY_CODES[resultCode & 0xff] ?? `SQLITE_UNKNOWN(${resultCode})`;
}

/**
 * The primary code of a failure sql.js reports by its message alone (a COMMIT, a statement it
 * could not prepare): SQLite's fixed texts for the codes such a failure can have, SQLITE_ERROR
 * for any other text. A message may go on after the fixed text ("malformed database schema (t)
 * - near ...", "file is not a database" with the name of what failed).
 */
export function codeOfMessage(message: string): string {
  for (const [text, code] of MESSAGE_CODES) if (message.startsWith(text)) return code;
  return "SQLITE_ERROR";
}

const MESSAGE_CODES: ReadonlyArray<readonly [text: string, code: string]> = [
  ["FOREIGN KEY constraint failed", "SQLITE_CONSTRAINT"],
  ["database disk image is malformed", "SQLITE_CORRUPT"],
  ["malformed database schema", "SQLITE_CORRUPT"],
  ["file is not a database", "SQLITE_NOTADB"],
  ["cannot commit transaction", "SQLITE_BUSY"],
  ["database is locked", "SQLITE_BUSY"],
  ["disk I/O error", "SQLITE_IOERR"],
  ["database or disk is full", "SQLITE_FULL"],
  ["statement too long", "SQLITE_TOOBIG"],
  ["string or blob too big", "SQLITE_TOOBIG"],
  ["out of memory", "SQLITE_NOMEM"],
];

export interface SqliteErrorDetails {
  /** Byte offset of the offending token within the statement, when SQLite records one. */
  offset?: number | undefined;
  /** Extended result code name, e.g. SQLITE_CONSTRAINT_UNIQUE. */
  extended?: string | undefined;
}

export function sqliteError(message: string, code: string, details: SqliteErrorDetails = {}): Error {
  const at = details.offset === undefined ? "" : ` at offset ${details.offset}`;
  const extended = details.extended === undefined ? "" : ` (extended: ${details.extended})`;
  return new Error(`${message}${at}: ${code}${extended}`);
}

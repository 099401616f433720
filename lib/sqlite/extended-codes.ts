import type { Database, SqlJsStatic } from "sql.js";
import { codeName } from "./sqlite-error.js";
import { learnConnectionField } from "./connection-fields.js";

/**
 * The extended result code of a connection's last failure (`sqlite3_extended_errcode`), which
 * workerd prints after the primary code. sql.js exports neither that function nor extended
 * codes from `sqlite3_step`, so the code is read where SQLite keeps it: the `errCode` field of
 * `struct sqlite3`, which holds the full extended code whatever the connection's error mask.
 * Reading it, rather than guessing from the message, tells apart failures whose texts look
 * alike: an `ON DELETE RESTRICT` action and a trigger's `RAISE(ABORT, 'UNIQUE constraint
 * failed: ...')` are SQLITE_CONSTRAINT_TRIGGER, as SQLite codes both as a RAISE.
 *
 * The field is learnt (connection-fields.ts) as the slot that holds SQLITE_CONSTRAINT_UNIQUE
 * after a UNIQUE failure and SQLITE_CONSTRAINT_NOTNULL after a NOT NULL one.
 */
export type ExtendedCodeReader = (databasePointer: number) => number;

const SQLITE_CONSTRAINT_UNIQUE = 19 | (8 << 8);
const SQLITE_CONSTRAINT_NOTNULL = 19 | (5 << 8);

/** Finds where this build keeps a connection's last result code; throws if it cannot (another sql.js). */
export function learnExtendedCodes(
  sqlJs: SqlJsStatic,
  memory: { buffer: ArrayBuffer } | undefined,
  pointerOf: (database: Database) => number,
): ExtendedCodeReader {
  const offset = learnConnectionField(sqlJs, memory, pointerOf, "CREATE TABLE t (u UNIQUE, n NOT NULL); INSERT INTO t VALUES (1, 1)", [
    ["INSERT INTO t VALUES (1, 2)", SQLITE_CONSTRAINT_UNIQUE],
    ["INSERT INTO t VALUES (2, NULL)", SQLITE_CONSTRAINT_NOTNULL],
  ]);
  if (offset === undefined || memory === undefined) throw notFound();
  return (databasePointer) => new DataView(memory.buffer).getInt32(databasePointer + offset, true);
}

const notFound = () => new Error("durasim internal: cannot find where this sql.js build keeps SQLite's extended result code; pin sql.js 1.16");

/**
 * The name of extended result code `code` of a failure whose primary code is `primaryName`, as
 * workerd prints it; undefined for a primary code (no extended part), or for one of another
 * failure: the connection keeps the last code SQLite recorded, and a few failures (a misuse of
 * the API) record none, so what it holds then belongs to an earlier one. The suffixes are
 * those of sqlite3.h, by primary code and number.
 */
export function extendedCodeName(code: number, primaryName: string): string | undefined {
  if (codeName(code) !== primaryName) return undefined;
  const suffix = EXTENDED_SUFFIXES[code & 0xff]?.[(code >> 8) - 1];
  return suffix === undefined ? undefined : `${primaryName}_${suffix}`;
}

const EXTENDED_SUFFIXES: Record<number, readonly (string | undefined)[]> = {
  1: ["MISSING_COLLSEQ", "RETRY", "SNAPSHOT", "RESERVESIZE", "KEY", "UNABLE"],
  4: [undefined, "ROLLBACK"],
  5: ["RECOVERY", "SNAPSHOT", "TIMEOUT"],
  6: ["SHAREDCACHE", "VTAB"],
  8: ["RECOVERY", "CANTLOCK", "ROLLBACK", "DBMOVED", "CANTINIT", "DIRECTORY"],
  10: [
    "READ", "SHORT_READ", "WRITE", "FSYNC", "DIR_FSYNC", "TRUNCATE", "FSTAT", "UNLOCK", "RDLOCK", "DELETE", "BLOCKED",
    "NOMEM", "ACCESS", "CHECKRESERVEDLOCK", "LOCK", "CLOSE", "DIR_CLOSE", "SHMOPEN", "SHMSIZE", "SHMLOCK", "SHMMAP",
    "SEEK", "DELETE_NOENT", "MMAP", "GETTEMPPATH", "CONVPATH", "VNODE", "AUTH", "BEGIN_ATOMIC", "COMMIT_ATOMIC",
    "ROLLBACK_ATOMIC", "DATA", "CORRUPTFS", "IN_PAGE", "BADKEY", "CODEC",
  ],
  11: ["VTAB", "SEQUENCE", "INDEX"],
  14: ["NOTEMPDIR", "ISDIR", "FULLPATH", "CONVPATH", "DIRTYWAL", "SYMLINK"],
  19: ["CHECK", "COMMITHOOK", "FOREIGNKEY", "FUNCTION", "NOTNULL", "PRIMARYKEY", "TRIGGER", "UNIQUE", "VTAB", "ROWID", "PINNED", "DATATYPE"],
  23: ["USER"],
};

import type { Database } from "sql.js";

/**
 * SQLite's findings that a database file's pages are damaged (SQLITE_CORRUPT, SQLITE_NOTADB),
 * as sql.js words them (a statement's failure adds workerd's `: CODE` after them).
 */
const DAMAGE = /^(?:database disk image is malformed|malformed database schema|file is not a database)/;

/** How each database kept in a store reports its file damaged (see SqliteConnection). */
const reporters = new WeakMap<Database, (finding: string) => Error>();

/** Makes SQLite's findings of damage in `database` the error `report` makes of them. */
export function reportDamage(database: Database, report: (finding: string) => Error): void {
  reporters.set(database, report);
}

/**
 * `error`, a failure of `database` (undefined: a database being opened, reported by `report`),
 * as its code meets it: SQLite's finding of damage, when the database has a reporter, becomes
 * the reporter's error; anything else stays as it is.
 */
export function damageReported(error: unknown, report: ((finding: string) => Error) | undefined): unknown {
  return report !== undefined && error instanceof Error && DAMAGE.test(error.message) ? report(error.message) : error;
}

/** damageReported() with the reporter `database` was given, if any. */
export function damageOf(database: Database, error: Error): Error {
  return damageReported(error, reporters.get(database)) as Error;
}

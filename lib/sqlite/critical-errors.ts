import type { Database } from "sql.js";

/**
 * SQLite errors workerd treats as critical: after one, SQLite may have rolled the whole
 * transaction back, and workerd resets the object with that error (flagged
 * `durableObjectReset`), even if the code caught it. Invariant: the error a database's
 * statement last failed with, while it is one of these and no batch has begun since.
 */
const CRITICAL = new Set(["SQLITE_FULL", "SQLITE_IOERR", "SQLITE_NOMEM", "SQLITE_INTERRUPT"]);

const met = new WeakMap<Database, Error>();

/** Records `error`, a statement's failure with result code `code`, when it is critical. */
export function noteIfCritical(database: Database, code: string, error: Error): void {
  if (CRITICAL.has(code)) met.set(database, error);
}

/** The critical error a statement of `database` met since the last call, if any (forgotten now). */
export function takeCriticalError(database: Database): Error | undefined {
  const error = met.get(database);
  met.delete(database);
  return error;
}

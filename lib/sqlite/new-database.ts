import { openDatabase } from "./engine.js";

/**
 * Header fields a commit changes without changing anything SQL can read: the file change counter
 * (bytes 24..27) and the version-valid-for number (92..95), which a transaction that wrote
 * nothing (an empty batch, or one whose writes all cancelled out) still bumps.
 */
const COUNTERS = [24, 92] as const;

/** The file of a new database as openDatabase() makes it (one header page), made once. */
let newFile: Uint8Array | undefined;

/**
 * Whether `file` holds exactly what a new database holds: no table, index or trigger (not even
 * workerd's `_cf_*`), no free page, the header's settings (user_version, application_id, page
 * size, encoding) untouched. Such a database can be replaced by a new one without anything
 * `sql.databaseSize`, `sqlite_master` or a PRAGMA reports telling the two apart.
 */
export function isNewDatabaseFile(file: Uint8Array): boolean {
  const expected = (newFile ??= exportNew());
  if (file.byteLength !== expected.byteLength) return false;
  for (let i = 0; i < file.byteLength; i++) {
    if (file[i] !== expected[i] && !COUNTERS.some((start) => i >= start && i < start + 4)) return false;
  }
  return true;
}

function exportNew(): Uint8Array {
  const database = openDatabase();
  try {
    return database.export();
  } finally {
    database.close();
  }
}

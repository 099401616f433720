import type { Database, SqlJsStatic } from "sql.js";
import { learnConnectionField } from "./connection-fields.js";

/**
 * The byte offset SQLite recorded for a connection's last failure to prepare
 * (`sqlite3_error_offset`, the `at offset <n>` part of workerd's messages), or -1 where it
 * recorded none. sql.js does not export that function, but its SQLite keeps the offset in the
 * `errByteOffset` field of `struct sqlite3`, so it is read there, learnt (connection-fields.ts)
 * as the slot holding each known offset of a few unknown columns. Reading SQLite's own record
 * places every error exactly as SQLite does: the last of several errors its resolver met, none
 * for a name in a trigger's or view's body (text from the schema), none in a join's ON clause.
 */
export type ErrorOffsetReader = (databasePointer: number) => number;

/** Finds where this build keeps the offset; throws if it cannot (another sql.js). */
export function learnErrorOffsets(
  sqlJs: SqlJsStatic,
  memory: { buffer: ArrayBuffer } | undefined,
  pointerOf: (database: Database) => number,
): ErrorOffsetReader {
  const offset = learnConnectionField(sqlJs, memory, pointerOf, "", [
    ["SELECT nope", 7],
    ["SELECT 1, nope", 10],
    ["SELECT 12345, nope", 14],
  ]);
  if (offset === undefined || memory === undefined) {
    throw new Error("durasim internal: cannot find where this sql.js build keeps SQLite's error offset; pin sql.js 1.16");
  }
  return (databasePointer) => new DataView(memory.buffer).getInt32(databasePointer + offset, true);
}

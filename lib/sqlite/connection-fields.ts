import type { Database, SqlJsStatic } from "sql.js";

/**
 * Finding a field of SQLite's `struct sqlite3` that sql.js has no export for. Where a field sits
 * belongs to one build of sql.js, so it is learnt, not assumed: a scratch connection runs
 * statements that fail in known ways, and the one 4-byte slot that holds each failure's known
 * value is the field.
 */

/** How far into `struct sqlite3` to look (the error fields sit about 70 bytes in). */
const SEARCH_BYTES = 512;

/**
 * The byte offset of the int32 field of `struct sqlite3` that holds `value` after each of
 * `failures` (`[failing SQL, value]`) fails on a scratch connection made by `setup`; undefined
 * when no single slot does.
 */
export function learnConnectionField(
  sqlJs: SqlJsStatic,
  memory: { buffer: ArrayBuffer } | undefined,
  pointerOf: (database: Database) => number,
  setup: string,
  failures: readonly (readonly [string, number])[],
): number | undefined {
  if (memory === undefined) return undefined;
  const scratch = new sqlJs.Database();
  try {
    if (setup !== "") scratch.exec(setup);
    let slots = Array.from({ length: SEARCH_BYTES / 4 }, (_, i) => i * 4);
    for (const [failing, value] of failures) {
      try {
        scratch.exec(failing);
        return undefined;
      } catch {
        const heap = new DataView(memory.buffer);
        const connection = pointerOf(scratch);
        slots = slots.filter((offset) => heap.getInt32(connection + offset, true) === value);
      }
    }
    return slots.length === 1 ? slots[0] : undefined;
  } finally {
    scratch.close();
  }
}

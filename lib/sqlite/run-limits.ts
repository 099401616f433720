import type { Database, SqlJsStatic } from "sql.js";
import { MAX_LENGTH } from "./bound-values.js";

/**
 * Limits workerd sets with `sqlite3_limit()` that SQLite checks while a statement runs, on
 * values no look at the SQL text can see: the length of a string, blob or record a statement
 * builds (`zeroblob(n)`, `||`, a row of two large values), the length of a LIKE or GLOB pattern
 * (a literal, a bound value or a column's), and how deep triggers nest. A statement that meets
 * one fails as a whole, as any SQLite error does: nothing it wrote stays.
 *
 * sql.js does not export `sqlite3_limit()`. All that function does, though, is store the value
 * in the connection's `aLimit[]` array (clamped to the build's maxima, far above these), so
 * writing the array in the WebAssembly heap has the same effect. Where the array sits inside
 * `struct sqlite3` belongs to one build of sql.js, so it is learnt, not assumed: a scratch
 * connection is searched for the run of this build's default limits, and the place found is
 * only trusted once lowering its LIKE slot there makes a LIKE fail with SQLite's own error. If
 * no place passes, these limits go unenforced (sql.js's far higher defaults apply).
 *
 * The limits SQLite checks while parsing (columns, expression depth, compound terms, function
 * arguments, parameters) are checked on a statement's tokens instead (parse-limits.ts,
 * parameters.ts); the length of a bound value, before it is bound (bound-values.ts).
 *
 * Invariant: only the three slots below are written, and only on SqliteConnection's databases
 * (an object's storage, the alarm index); a binding's database keeps sql.js's defaults, as its
 * SQL is durasim's own, not an object's.
 */
export interface RunLimits {
  /** Gives `database` workerd's run-time limits. */
  apply(database: Database): void;
}

/** Indexes into `aLimit[]` (SQLITE_LIMIT_*), and workerd's values for them. */
const LENGTH = 0;
const LIKE_PATTERN_LENGTH = 8;
const TRIGGER_DEPTH = 10;
const WORKERD_LIMITS: ReadonlyArray<readonly [slot: number, value: number]> = [
  [LENGTH, MAX_LENGTH],
  [LIKE_PATTERN_LENGTH, 50],
  [TRIGGER_DEPTH, 10],
];

/** SQLITE_LIMIT_LENGTH and SQLITE_LIMIT_SQL_LENGTH at their compile-time default: where the array starts. */
const DEFAULT_LENGTH = 1_000_000_000;
/** How far into `struct sqlite3` to look (the array sits about 120 bytes in, in sql.js 1.16). */
const SEARCH_BYTES = 1024;

export function learnRunLimits(
  sqlJs: SqlJsStatic,
  memory: { buffer: ArrayBuffer } | undefined,
  pointerOf: (database: Database) => number,
): RunLimits | undefined {
  if (memory === undefined) return undefined;
  // Growing the memory detaches its old buffer: always view the current one.
  const heap = () => new DataView(memory.buffer);
  const database = new sqlJs.Database();
  try {
    const connection = pointerOf(database);
    for (let offset = 0; offset < SEARCH_BYTES; offset += 4) {
      const at = connection + offset;
      if (heap().getInt32(at, true) !== DEFAULT_LENGTH || heap().getInt32(at + 4, true) !== DEFAULT_LENGTH) continue;
      if (likeFailsWithSlot(database, heap(), at)) {
        return {
          apply(target) {
            const view = heap();
            const array = pointerOf(target) + offset;
            for (const [slot, value] of WORKERD_LIMITS) view.setInt32(array + 4 * slot, value, true);
          },
        };
      }
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    database.close();
  }
}

/** Whether a LIKE pattern longer than the value written to `array`'s LIKE slot fails there (the slot is put back). */
function likeFailsWithSlot(database: Database, view: DataView, array: number): boolean {
  const slot = array + 4 * LIKE_PATTERN_LENGTH;
  const saved = view.getInt32(slot, true);
  view.setInt32(slot, 1, true);
  try {
    database.exec("SELECT 'a' LIKE 'ab'");
    return false;
  } catch (error) {
    return (error as Error).message === "LIKE or GLOB pattern too complex";
  } finally {
    view.setInt32(slot, saved, true);
  }
}

import type { Database, SqlJsStatic } from "sql.js";
import { MAX_PARAMETERS } from "./parameters.js";

/**
 * Limits workerd sets with `sqlite3_limit()` that SQLite enforces itself here too, once told:
 * those it checks while a statement runs, on values no look at the SQL text can see (the length
 * of a string, blob or record a statement builds: `zeroblob(n)`, `||`, a row of two large
 * values; the length of a LIKE or GLOB pattern, a literal's, a bound value's or a column's; how
 * deep triggers nest), and two it checks while parsing whose rules are SQLite's own to get
 * right (expression depth, measured node by node, with subqueries adding to the expressions
 * around them; terms of a compound SELECT, with its exemptions; parameters, whose error another
 * raised in the same parser step overwrites). A statement that meets one
 * fails as any SQLite error fails it: nothing it wrote stays.
 *
 * sql.js does not export `sqlite3_limit()`. All that function does, though, is store the value
 * in the connection's `aLimit[]` array (clamped to the build's maxima, far above these), so
 * writing the array in the WebAssembly heap has the same effect. Where the array sits inside
 * `struct sqlite3` belongs to one build of sql.js, so it is learnt, not assumed: a scratch
 * connection is searched for the run of this build's default limits, and the place found is
 * only trusted once lowering its LIKE slot there makes a LIKE fail with SQLite's own error.
 *
 * The other limits workerd sets are checked before or after sql.js prepares a statement, where
 * durasim places their errors as workerd does: the length of a bound value (bound-values.ts),
 * columns and function arguments (parse-limits.ts).
 *
 * Invariant: only the slots below are written, and only on SqliteConnection's databases (an
 * object's storage, the alarm index); a binding's database keeps sql.js's defaults, as its SQL
 * is durasim's own, not an object's.
 */
export interface NativeLimits {
  /** Gives `database` workerd's values for the limits below. */
  apply(database: Database): void;
}

/**
 * SQLite's length limit (SQLITE_LIMIT_LENGTH) as workerd 1.20261117 sets it, found by bisection
 * there: a bound string or blob of 8,388,642 bytes passes and one of 8,388,643 fails with
 * "string or blob too big", and so does a row whose record is longer (the reference's 4 MiB is
 * no longer what the runtime enforces). A bound value is checked before it reaches sql.js
 * (bound-values.ts), where workerd's binding refuses it.
 */
export const MAX_LENGTH = 8_388_642;

/** Indexes into `aLimit[]` (SQLITE_LIMIT_*), and workerd's values for them. */
const LENGTH = 0;
const EXPR_DEPTH = 3;
const COMPOUND_SELECT = 4;
const LIKE_PATTERN_LENGTH = 8;
const VARIABLE_NUMBER = 9;
const TRIGGER_DEPTH = 10;
const WORKERD_LIMITS: ReadonlyArray<readonly [slot: number, value: number]> = [
  [LENGTH, MAX_LENGTH],
  [EXPR_DEPTH, 100],
  [COMPOUND_SELECT, 5],
  [LIKE_PATTERN_LENGTH, 50],
  [VARIABLE_NUMBER, MAX_PARAMETERS],
  [TRIGGER_DEPTH, 10],
];

/** SQLITE_LIMIT_LENGTH and SQLITE_LIMIT_SQL_LENGTH at their compile-time default: where the array starts. */
const DEFAULT_LENGTH = 1_000_000_000;
/** How far into `struct sqlite3` to look (the array sits 120 bytes in, in sql.js 1.16). */
const SEARCH_BYTES = 1024;

/** Finds where this build keeps a connection's limits; throws if it cannot (another sql.js). */
export function learnNativeLimits(
  sqlJs: SqlJsStatic,
  memory: { buffer: ArrayBuffer } | undefined,
  pointerOf: (database: Database) => number,
): NativeLimits {
  if (memory === undefined) throw notFound();
  // Growing the memory detaches its old buffer: always view the current one.
  const heap = () => new DataView(memory.buffer);
  const scratch = new sqlJs.Database();
  try {
    const connection = pointerOf(scratch);
    for (let offset = 0; offset < SEARCH_BYTES; offset += 4) {
      const at = connection + offset;
      if (heap().getInt32(at, true) !== DEFAULT_LENGTH || heap().getInt32(at + 4, true) !== DEFAULT_LENGTH) continue;
      if (!likeFailsWithSlot(scratch, heap(), at)) continue;
      return {
        apply(database) {
          const view = heap();
          const array = pointerOf(database) + offset;
          for (const [slot, value] of WORKERD_LIMITS) view.setInt32(array + 4 * slot, value, true);
        },
      };
    }
  } finally {
    scratch.close();
  }
  throw notFound();
}

const notFound = () => new Error("durasim internal: cannot find where this sql.js build keeps SQLite's limits; pin sql.js 1.16");

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

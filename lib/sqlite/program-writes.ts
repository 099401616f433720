import type { Database } from "sql.js";

/**
 * Opcodes that make SQLite's program a writer (`sqlite3_stmt_readonly()` false): a write
 * transaction (Transaction with a non-zero p2), and the journal, checkpoint and vacuum
 * operations (SQLite marks a `CREATE ... IF NOT EXISTS` of an existing object so with a
 * JournalMode query).
 */
const WRITERS = new Set(["Vacuum", "JournalMode", "Checkpoint"]);

/**
 * Whether the program `explain` (an `EXPLAIN ...` statement) lists may write, as SQLite decides
 * `sqlite3_stmt_readonly()`, which sql.js does not export. EXPLAIN runs nothing of it.
 */
export function programWrites(database: Database, explain: string): boolean {
  const rows = (database.exec(explain)[0]?.values ?? []) as [number, string, number, number][];
  return rows.some(([, opcode, , p2]) => (opcode === "Transaction" && p2 !== 0) || WRITERS.has(opcode));
}

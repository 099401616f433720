import { describe, expect, it } from "vitest";
import type { Database } from "sql.js";
import { getSqlEngine, loadSqlEngine, openDatabase } from "../../lib/sqlite/engine.js";
import { OPENS, programListing, type Instruction } from "../../lib/sqlite/program-listing.js";

await loadSqlEngine();

const SCHEMA = `CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT, w UNIQUE); CREATE INDEX tv ON t(v) WHERE v > 'a';
  CREATE TABLE u (a, b, c, PRIMARY KEY (a, b)) WITHOUT ROWID; CREATE TABLE log (x);
  CREATE TRIGGER tr AFTER UPDATE ON t BEGIN INSERT INTO log VALUES (new.v); END;
  CREATE VIEW vw AS SELECT k, v FROM t WHERE k > 1`;

const STATEMENTS = [
  "SELECT * FROM t",
  "SELECT v FROM t WHERE k = ?",
  "INSERT OR REPLACE INTO t VALUES (?, ?, ?)",
  "DELETE FROM t WHERE w IN (SELECT a FROM u)",
  "SELECT count(*) FROM t JOIN u ON t.k = u.a GROUP BY u.b ORDER BY 1 LIMIT ?",
  "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 5) SELECT * FROM c",
  "SELECT k, row_number() OVER (PARTITION BY v ORDER BY w) FROM t",
  "SELECT * FROM vw",
  "CREATE TABLE IF NOT EXISTS t (x)",
  "CREATE TABLE n (x, y DEFAULT (unixepoch()))",
  "CREATE INDEX IF NOT EXISTS tw ON t(w)",
  "PRAGMA table_info(t)",
  "INSERT INTO u SELECT k, v, w FROM t",
  "SELECT DISTINCT v FROM t UNION SELECT b FROM u EXCEPT SELECT 1",
  "UPDATE u SET c = c + 1 WHERE a = 1 RETURNING *",
  "SELECT * FROM t NATURAL JOIN u",
];

/** A statement's listing, and whether EXPLAIN ran for it. */
function listing(database: Database, sql: string): { rows: Instruction[] | undefined; explained: boolean } {
  const statement = database.prepare(sql);
  const exec = database.exec;
  let explained = false;
  database.exec = (...args) => {
    explained = true;
    return exec.apply(database, args);
  };
  try {
    return { rows: programListing(database, sql, /^\s*EXPLAIN\b/i.test(sql), getSqlEngine().statementPointer(statement), getSqlEngine().vdbe!), explained };
  } finally {
    database.exec = exec;
    statement.free();
  }
}

/** What the row counters read of a row: all but Init's p1 (its run count), and of p4 only an Open's KeyInfo. */
function read(rows: readonly Instruction[]): unknown[] {
  return rows.map(([addr, name, p1, p2, p3, p4, p5]) => [addr, name, addr === 0 ? 0 : p1, p2, p3, OPENS.has(name) && String(p4).startsWith("k("), p5]);
}

describe("programListing", () => {
  it("reads from the heap, once EXPLAIN has shown its opcodes, what EXPLAIN lists", () => {
    const database = openDatabase();
    database.exec(SCHEMA);
    for (const sql of STATEMENTS) listing(database, sql);
    for (const sql of STATEMENTS) {
      const { rows, explained } = listing(database, sql);
      expect(explained, sql).toBe(false);
      expect(read(rows!), sql).toEqual(read(database.exec(`EXPLAIN ${sql}`)[0]!.values as Instruction[]));
    }
    database.close();
  });

  it("leaves a program with a trigger's subprogram, and an EXPLAIN statement, to EXPLAIN, which does not describe them", () => {
    const database = openDatabase();
    database.exec(SCHEMA);
    for (const sql of ["UPDATE t SET v = 'x' WHERE v > ?", "EXPLAIN SELECT * FROM t"]) {
      listing(database, sql);
      expect(listing(database, sql), sql).toEqual({ rows: undefined, explained: true });
    }
    database.close();
  });
});

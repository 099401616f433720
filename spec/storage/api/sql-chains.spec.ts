import { describe, expect, it } from "vitest";
import type { SqlStorage } from "../../../lib/storage/api/sql-storage.js";
import { thrown } from "../../helpers.js";
import { sqliteStorage } from "./sql-fixture.js";

const BUSY = "A SQL prepared statement can only be executed once at a time.";

/** How an exec of `text` ended: its rows, or the error's message. */
function ended(sql: SqlStorage, text: string): unknown {
  try {
    return sql.exec(text).toArray();
  } catch (error) {
    return (error as Error).message;
  }
}

describe("sql.exec: texts of several statements, as workerd's statement cache keeps them", () => {
  it("keeps a text cached across deleteAll(), with nothing busy: its later runs never refuse", () => {
    const { sql, backend } = sqliteStorage();
    sql.exec("CREATE TABLE t(a); INSERT INTO t VALUES (1), (2)");
    const cached = "SELECT a FROM t; SELECT 1 AS y";
    const busyAtDelete = "SELECT a FROM t; SELECT 3 AS y";
    expect(sql.exec(cached).toArray()).toEqual([{ y: 1 }]);
    expect(thrown(() => sql.exec(cached)).message).toBe(BUSY);
    expect(sql.exec(busyAtDelete).toArray()).toEqual([{ y: 3 }]);
    backend.deleteAll();
    sql.exec("CREATE TABLE t(a); INSERT INTO t VALUES (5)");
    for (let run = 0; run < 3; run++) {
      expect(sql.exec(cached).toArray()).toEqual([{ y: 1 }]);
      expect(sql.exec(busyAtDelete).toArray()).toEqual([{ y: 3 }]);
    }
    // A text first run after it is a first run: it leaves its read busy.
    const fresh = "SELECT a FROM t; SELECT 2 AS y";
    expect(sql.exec(fresh).toArray()).toEqual([{ y: 2 }]);
    expect(thrown(() => sql.exec(fresh)).message).toBe(BUSY);
    expect(sql.exec(fresh).toArray()).toEqual([{ y: 2 }]);
  });

  it("judges whether the text's last cursor is open by that cursor, not by a single-statement cursor over the same SQL", () => {
    const { sql } = sqliteStorage();
    sql.exec("CREATE TABLE t(x); INSERT INTO t VALUES (1), (2), (3)");
    const text = "SELECT 1 AS a; SELECT x FROM t";
    const rows = [{ x: 1 }, { x: 2 }, { x: 3 }];
    expect(sql.exec(text).toArray()).toEqual(rows);
    // The last statement's cursor ended; this one may hold the very statement it used.
    const single = sql.exec("SELECT x FROM t");
    single.next();
    expect(thrown(() => sql.exec(text)).message).toBe(BUSY);
    expect(sql.exec(text).toArray()).toEqual(rows);
    expect(single.toArray()).toEqual([{ x: 2 }, { x: 3 }]);
    expect(sql.exec(text).toArray()).toEqual(rows);
  });

  /** One-statement texts of `bytes` UTF-8 bytes each (the padding in a comment of `unit`s), all different. */
  const padding = (tag: string, bytes: number, unit = "x") => {
    const head = `SELECT '${tag}' AS p /*`;
    return head + unit.repeat((bytes - head.length - 2) / Buffer.byteLength(unit)) + "*/";
  };

  it("drops a text of several statements once it and the texts run since pass 1 MiB of UTF-8; its next run is a first run", () => {
    const { sql } = sqliteStorage();
    const run = (text: string) => ended(sql, text);
    for (const [over, unit] of [[0, "x"], [1, "x"], [1, "\u00e9"]] as const) {
      const text = `SELECT 1 AS a; SELECT 2 AS b /* ${over}${unit} */`;
      run(text);
      // 1 MiB with the text itself, then `over` bytes more: 10 texts of 100,000 bytes and the rest.
      for (let i = 0; i < 10; i++) run(padding(`${over}${unit}${i}`, 100_000, unit));
      run(padding(`${over}${unit}last`, 1024 * 1024 + over - 1_000_000 - text.length, "x"));
      const runs = [run(text), run(text)];
      expect([over, unit, runs]).toEqual([over, unit, over === 0 ? [BUSY, [{ b: 2 }]] : [[{ b: 2 }], BUSY]]);
    }
  });

  it("holds a text that failed to prepare, which pushes nothing out until a text is run from the cache or prepared", () => {
    for (const next of [undefined, "SELECT 'cached' AS c", "SELECT 'prepared' AS p"]) {
      const { sql } = sqliteStorage();
      const run = (text: string) => ended(sql, text);
      const text = "SELECT 1 AS a; SELECT 2 AS b";
      run(text);
      run("SELECT 'cached' AS c");
      for (let i = 0; i < 11; i++) expect(run(padding(`failed${i}`, 99_000) + " nope")).toMatch(/syntax error/);
      // Over the bound now. Run first, the text itself is the most recent and stays.
      if (next !== undefined) run(next);
      const runs = [run(text), run(text)];
      expect([next, runs]).toEqual([next, next === undefined ? [BUSY, [{ b: 2 }]] : [[{ b: 2 }], BUSY]]);
    }
  });

  it("refuses a busy statement of a cached text before recompiling it for a changed schema", () => {
    const { sql } = sqliteStorage();
    sql.exec("CREATE TABLE t(x); INSERT INTO t VALUES (1)");
    const text = "SELECT x FROM t; SELECT 1 AS a";
    expect(sql.exec(text).toArray()).toEqual([{ a: 1 }]);
    sql.exec("ALTER TABLE t RENAME COLUMN x TO y");
    expect(ended(sql, text)).toBe(BUSY);
    expect(ended(sql, text)).toBe("no such column: x at offset 7: SQLITE_ERROR");
  });

  it("checks a cached statement's bindings before preparing it again for a changed schema, until deleteAll()", () => {
    const { sql, backend } = sqliteStorage();
    sql.exec("CREATE TABLE q(a)");
    const text = "SELECT ?, a FROM q";
    expect(sql.exec(text, 1).toArray()).toEqual([]);
    sql.exec("ALTER TABLE q RENAME COLUMN a TO b");
    const wrong = "Wrong number of parameter bindings for SQL query.";
    const broken = "no such column: a at offset 10: SQLITE_ERROR";
    expect([thrown(() => sql.exec(text)).message, thrown(() => sql.exec(text, 1, 2)).message]).toEqual([wrong, wrong]);
    expect(thrown(() => sql.exec(text, 1)).message).toBe(broken);
    expect(thrown(() => sql.exec(text)).message).toBe(wrong);
    backend.deleteAll();
    sql.exec("CREATE TABLE q(b)");
    expect(thrown(() => sql.exec(text)).message).toBe(broken);
  });

  it("opens the implicit transaction at the run that prepares a statement again for a changed schema as it was, an EXPLAIN as it is", () => {
    const { backend, sql, commit } = sqliteStorage();
    const opened = (text: string) => {
      sql.exec(text).toArray();
      const inBatch = backend.inBatch;
      commit();
      return inBatch;
    };
    sql.exec("CREATE TABLE t(a)");
    commit();
    expect([opened("REINDEX t"), opened("EXPLAIN REINDEX t")]).toEqual([false, false]);
    sql.exec("CREATE INDEX ta ON t(a)");
    commit();
    expect([opened("REINDEX t"), opened("REINDEX t"), opened("EXPLAIN REINDEX t")]).toEqual([false, true, true]);
    sql.exec("DROP INDEX ta");
    commit();
    expect([opened("REINDEX t"), opened("REINDEX t")]).toEqual([true, false]);
  });
});


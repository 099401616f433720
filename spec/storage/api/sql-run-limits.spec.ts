/**
 * The limits workerd sets with sqlite3_limit() that SQLite checks while a statement runs, on
 * values the SQL text does not show (a LIKE/GLOB pattern's length, the length of a value or row
 * a statement builds, how deep triggers nest), and expression depth and compound terms however
 * far past the limit. Driven through a SQLite-backed object; each outcome was checked against
 * workerd (conformance: "faults: limits SQLite checks while a statement runs"). A statement that
 * meets one fails whole, and the object goes on.
 */
import { describe, expect, it } from "vitest";
import { setOpenDatabaseLimit } from "../../../lib/sqlite/connection-pool.js";
import { DurableObject } from "../../../lib/modules/workers.js";
import { type AnyStub, emulator } from "../../helpers.js";

interface Sql {
  exec(query: string, ...bindings: unknown[]): { toArray(): Record<string, unknown>[] };
}
const sqlOf = (object: DurableObject): Sql => (object.ctx as unknown as { storage: { sql: Sql } }).storage.sql;

class Limited extends DurableObject {
  /** Rows, or the error's message. */
  query(query: string, ...bindings: unknown[]) {
    try {
      return sqlOf(this).exec(query, ...bindings).toArray();
    } catch (error) {
      return (error as Error).message;
    }
  }
  async queryAfterATurn(query: string, ...bindings: unknown[]) {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return this.query(query, ...bindings);
  }
}

function limited(name = "a"): { stub: AnyStub; emu: ReturnType<typeof emulator> } {
  const emu = emulator({ module: { Limited }, durableObjects: { NS: { className: "Limited", sqlite: true } } });
  return { stub: (emu.env as AnyStub).NS.getByName(name), emu };
}

const PATTERN_TOO_COMPLEX = "LIKE or GLOB pattern too complex: SQLITE_ERROR";
const TOO_BIG = "string or blob too big: SQLITE_TOOBIG";

describe("sql.exec: limits SQLite checks while a statement runs", () => {
  it("a LIKE or GLOB pattern may be 50 bytes long, however the statement gets it", async () => {
    const { stub } = limited();
    const longPattern = "%".repeat(51);
    expect(await stub.query(`SELECT 'a' LIKE '${"%".repeat(50)}' AS r`)).toEqual([{ r: 1 }]);
    expect(await stub.query(`SELECT 'a' LIKE '${longPattern}' AS r`)).toBe(PATTERN_TOO_COMPLEX);
    expect(await stub.query(`SELECT 'a' GLOB '${"*".repeat(51)}' AS r`)).toBe(PATTERN_TOO_COMPLEX);
    expect(await stub.query(`SELECT like('${longPattern}', 'a', '!') AS r`)).toBe(PATTERN_TOO_COMPLEX);
    expect(await stub.query("SELECT 'a' NOT LIKE ? AS r", longPattern)).toBe(PATTERN_TOO_COMPLEX);
    // Bytes, not characters: 26 two-byte characters are 52 bytes.
    expect(await stub.query("SELECT 'a' LIKE ? AS r", "é".repeat(26))).toBe(PATTERN_TOO_COMPLEX);
    expect(await stub.query("SELECT 'a' LIKE ? AS r", new Uint8Array(51))).toBe(PATTERN_TOO_COMPLEX);
    // The value matched against may be any length.
    expect(await stub.query("SELECT ? LIKE 'a%' AS r", "a".repeat(200))).toEqual([{ r: 1 }]);
    // A pattern from a column fails when a row brings it.
    await stub.query("CREATE TABLE p (pattern TEXT)");
    await stub.query("INSERT INTO p VALUES ('b'), (?)", longPattern);
    expect(await stub.query("SELECT pattern FROM p WHERE 'b' LIKE pattern")).toBe(PATTERN_TOO_COMPLEX);
  });

  it("a statement that meets a limit writes nothing, and the object goes on", async () => {
    const { stub } = limited();
    await stub.query("CREATE TABLE t (x)");
    expect(await stub.query("INSERT INTO t VALUES (1), (2)")).toEqual([]);
    expect(await stub.query("INSERT INTO t SELECT x + 10 FROM t WHERE ? LIKE ?", "a", "%".repeat(51))).toBe(PATTERN_TOO_COMPLEX);
    expect(await stub.query("INSERT INTO t VALUES (3), (zeroblob(8388643))")).toBe(TOO_BIG);
    expect(await stub.queryAfterATurn("SELECT x FROM t")).toEqual([{ x: 1 }, { x: 2 }]);
  });

  it("a string, blob or row a statement builds is limited as a bound value is (8,388,642 bytes)", async () => {
    const { stub } = limited();
    expect(await stub.query("SELECT length(zeroblob(8388642)) AS n")).toEqual([{ n: 8_388_642 }]);
    expect(await stub.query("SELECT length(zeroblob(8388643)) AS n")).toBe(TOO_BIG);
    expect(await stub.query("SELECT length(? || ?) AS n", "x".repeat(5_000_000), "y".repeat(5_000_000))).toBe(TOO_BIG);
    await stub.query("CREATE TABLE t (a, b)");
    expect(await stub.query("INSERT INTO t VALUES (?, ?)", new Uint8Array(5_000_000), new Uint8Array(5_000_000))).toBe(TOO_BIG);
    expect(await stub.query("SELECT count(*) AS n FROM t")).toEqual([{ n: 0 }]);
  });

  it("triggers nest at most 10 deep: an insert whose trigger chain goes deeper fails, and no table keeps anything of it", async () => {
    const { stub } = limited();
    const tables = 13;
    for (let i = 0; i < tables; i++) await stub.query(`CREATE TABLE t${i} (x)`);
    for (let i = 0; i + 1 < tables; i++) {
      await stub.query(`CREATE TRIGGER g${i} AFTER INSERT ON t${i} BEGIN INSERT INTO t${i + 1} VALUES (new.x); END`);
    }
    const counts = async () => {
      const rows = [];
      for (let i = 0; i < tables; i++) rows.push(((await stub.query(`SELECT count(*) AS n FROM t${i}`)) as [{ n: number }])[0].n);
      return rows;
    };
    expect(await stub.query("INSERT INTO t0 VALUES (1)")).toBe("triggers nested too deep: SQLITE_ERROR");
    expect(await counts()).toEqual(Array(tables).fill(0));
    expect(await stub.query("INSERT INTO t2 VALUES (2)")).toEqual([]);
    expect(await counts()).toEqual([0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
  });

  it("expression depth and compound terms are limited as SQLite measures them, with workerd's maxima, however far past them", async () => {
    const { stub } = limited();
    const ors = (n: number) => Array.from({ length: n }, (_, i) => `x = ${i}`).join(" OR ");
    const tooDeep = "Expression tree is too large (maximum depth 100): SQLITE_ERROR";
    expect(await stub.query(`SELECT count(*) AS n FROM (SELECT 1 AS x) WHERE ${ors(99)}`)).toEqual([{ n: 1 }]);
    expect(await stub.query(`SELECT count(*) AS n FROM (SELECT 1 AS x) WHERE ${ors(100)}`)).toBe(tooDeep);
    // Past sql.js's own maximum (1000) too.
    expect(await stub.query(`SELECT count(*) AS n FROM (SELECT 1 AS x) WHERE ${ors(2000)}`)).toBe(tooDeep);
    const compound = (n: number) => Array.from({ length: n }, (_, i) => `SELECT ${i}`).join(" UNION ALL ");
    expect(await stub.query(compound(5))).toHaveLength(5);
    expect(await stub.query(compound(600))).toBe("too many terms in compound SELECT: SQLITE_ERROR");
  });

  it("hold on a database reopened: after eviction, and when the pool parks it", async () => {
    const { stub, emu } = limited();
    const pattern = "%".repeat(51);
    await stub.query("CREATE TABLE t (x)");
    await emu.evict();
    expect(await stub.query("SELECT 'a' LIKE ? AS r", pattern)).toBe(PATTERN_TOO_COMPLEX);
    setOpenDatabaseLimit(1);
    try {
      const other = (emu.env as AnyStub).NS.getByName("b");
      await other.query("CREATE TABLE u (x)");
      expect(await stub.query("SELECT 'a' LIKE ? AS r", pattern)).toBe(PATTERN_TOO_COMPLEX);
      expect(await other.query("SELECT length(zeroblob(8388643)) AS n")).toBe(TOO_BIG);
    } finally {
      setOpenDatabaseLimit(1000);
    }
  });
});

import { describe, expect, it } from "vitest";
import { StatementCache } from "../../lib/sqlite/statement-cache.js";
import type { StatementAnalysis } from "../../lib/sqlite/statement-analysis.js";
import type { PreparedStatement } from "../../lib/sqlite/statement.js";
import { DurableObject } from "../../lib/modules/workers.js";
import { type AnyStub, emulator, thrown } from "../helpers.js";
import { sqliteStorage } from "../storage/api/sql-fixture.js";

/**
 * The statement cache keeps the analysis (authorizer decision, parameter count, limits) and the
 * prepared statement of SQL already run. None of it may outlive the schema it was made under:
 * each test runs the very same SQL text before and after a schema change, and expects what a
 * fresh statement gets (an equivalent text with other spacing is never a cache hit).
 */

const NOT_AUTHORIZED = "not authorized: SQLITE_AUTH";

function storageWithKv() {
  const storage = sqliteStorage();
  storage.kv.put("a", 1);
  return storage;
}

/** The outcome of an exec: its rows, or its error message. */
function outcome(run: () => { toArray(): unknown[] }): unknown {
  try {
    return run().toArray();
  } catch (error) {
    return (error as Error).message;
  }
}

describe("statement cache: the authorizer's decision follows the schema", () => {
  it("refuses a statement it allowed once a trigger it fires reads _cf_KV, and allows it again once the trigger is gone", () => {
    const { sql } = storageWithKv();
    sql.exec("CREATE TABLE t(a)");
    const insert = "INSERT INTO t VALUES (1)";
    expect(outcome(() => sql.exec(insert))).toEqual([]);
    expect(outcome(() => sql.exec(insert))).toEqual([]);
    sql.exec("CREATE TRIGGER spy AFTER INSERT ON t BEGIN DELETE FROM _cf_KV; END");
    expect(outcome(() => sql.exec(insert))).toBe(NOT_AUTHORIZED);
    expect(outcome(() => sql.exec("INSERT  INTO t VALUES (1)"))).toBe(NOT_AUTHORIZED);
    sql.exec("DROP TRIGGER spy");
    expect(outcome(() => sql.exec(insert))).toEqual([]);
    expect(sql.exec("SELECT count(*) AS n FROM t").one()).toEqual({ n: 3 });
  });

  it("refuses a read through a view that was replaced by one over _cf_KV", () => {
    const { sql } = storageWithKv();
    sql.exec("CREATE VIEW v AS SELECT 'plain' AS key");
    const read = "SELECT key FROM v";
    expect(outcome(() => sql.exec(read))).toEqual([{ key: "plain" }]);
    expect(outcome(() => sql.exec(read))).toEqual([{ key: "plain" }]);
    sql.exec("DROP VIEW v; CREATE VIEW v AS SELECT key FROM _cf_KV");
    const fresh = outcome(() => sql.exec("SELECT key  FROM v"));
    expect(fresh).toBe("access to _cf_KV.key is prohibited: SQLITE_AUTH");
    expect(outcome(() => sql.exec(read))).toBe(fresh);
  });

  it("does not keep a refusal: a statement refused while a trigger exists runs once it is dropped", () => {
    const { sql } = storageWithKv();
    sql.exec("CREATE TABLE t(a); CREATE TRIGGER spy AFTER INSERT ON t BEGIN SELECT value FROM _cf_KV; END");
    const insert = "INSERT INTO t VALUES (?)";
    expect(outcome(() => sql.exec(insert, 1))).toBe("access to _cf_KV.value is prohibited: SQLITE_AUTH");
    expect(outcome(() => sql.exec(insert, 1))).toBe("access to _cf_KV.value is prohibited: SQLITE_AUTH");
    sql.exec("DROP TRIGGER spy");
    expect(outcome(() => sql.exec(insert, 2))).toEqual([]);
    expect(sql.exec("SELECT a FROM t").toArray()).toEqual([{ a: 2 }]);
  });

  it("follows a rolled-back transactionSync(): a trigger created inside it stops refusing after the rollback", async () => {
    class Store extends DurableObject {
      run() {
        const storage = (this.ctx as unknown as { storage: StorageWithSql }).storage;
        const insert = "INSERT INTO t VALUES (1)";
        storage.sql.exec("CREATE TABLE t(a)");
        storage.kv.put("k", 1);
        const seen: unknown[] = [outcome(() => storage.sql.exec(insert))];
        try {
          storage.transactionSync(() => {
            storage.sql.exec("CREATE TRIGGER spy AFTER INSERT ON t BEGIN DELETE FROM _cf_KV; END");
            seen.push(outcome(() => storage.sql.exec(insert)));
            throw new Error("roll back");
          });
        } catch (error) {
          seen.push((error as Error).message);
        }
        seen.push(outcome(() => storage.sql.exec(insert)));
        seen.push(storage.sql.exec("SELECT count(*) AS n FROM t").one());
        return seen;
      }
    }
    const emu = emulator({ module: { Store }, durableObjects: { NS: { className: "Store", sqlite: true } } });
    const stub = (emu.env.NS as AnyStub).getByName("a");
    expect(await stub.run()).toEqual([[], NOT_AUTHORIZED, "roll back", [], { n: 2 }]);
  });
});

interface StorageWithSql {
  sql: { exec(query: string, ...bindings: unknown[]): { toArray(): unknown[]; one(): unknown } };
  kv: { put(key: string, value: unknown): void };
  transactionSync<T>(fn: () => T): T;
}

describe("statement cache: prepared statements follow the schema", () => {
  it("reports a dropped table as missing, as when the statement was first prepared", () => {
    const { sql } = sqliteStorage();
    sql.exec("CREATE TABLE t(a); INSERT INTO t VALUES (1)");
    const read = "SELECT a FROM t";
    expect(outcome(() => sql.exec(read))).toEqual([{ a: 1 }]);
    sql.exec("DROP TABLE t");
    const fresh = outcome(() => sql.exec("SELECT a  FROM t"));
    expect(fresh).toBe("no such table: t: SQLITE_ERROR");
    expect(outcome(() => sql.exec(read))).toBe(fresh);
  });

  it("sees columns added since, through SELECT *", () => {
    const { sql } = sqliteStorage();
    sql.exec("CREATE TABLE t(a); INSERT INTO t VALUES (1)");
    const read = "SELECT * FROM t";
    expect(sql.exec(read).columnNames).toEqual(["a"]);
    sql.exec("ALTER TABLE t ADD COLUMN b DEFAULT 2");
    expect(sql.exec(read).columnNames).toEqual(["a", "b"]);
    expect(sql.exec(read).one()).toEqual({ a: 1, b: 2 });
  });

  it("starts over on a database deleteAll() replaced", () => {
    const { sql, backend, commit } = sqliteStorage();
    sql.exec("CREATE TABLE t(a)");
    const insert = "INSERT INTO t VALUES (1)";
    sql.exec(insert);
    commit();
    backend.begin();
    backend.deleteAll();
    expect(outcome(() => sql.exec(insert))).toBe("no such table: t: SQLITE_ERROR");
  });

  it("keeps a DDL no-op (CREATE TABLE IF NOT EXISTS) from disturbing later statements", () => {
    const { sql } = sqliteStorage();
    for (let i = 0; i < 3; i++) {
      sql.exec("CREATE TABLE IF NOT EXISTS t(a)");
      sql.exec("INSERT INTO t VALUES (?)", i);
    }
    expect(sql.exec("SELECT a FROM t").toArray()).toEqual([{ a: 0 }, { a: 1 }, { a: 2 }]);
  });
});

describe("statement cache: one text, several cursors", () => {
  it("gives each open cursor a statement of its own", () => {
    const { sql } = sqliteStorage();
    sql.exec("CREATE TABLE t(a); INSERT INTO t VALUES (1), (2), (3)");
    const read = "SELECT a FROM t ORDER BY a";
    const first = sql.exec(read);
    const second = sql.exec(read);
    expect(first.next().value).toEqual({ a: 1 });
    expect(second.toArray()).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
    expect(first.toArray()).toEqual([{ a: 2 }, { a: 3 }]);
    expect(sql.exec(read).toArray()).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
  });

  it("rewinds a statement a cursor left half read before it is used again", () => {
    const { sql } = sqliteStorage();
    sql.exec("CREATE TABLE t(a); INSERT INTO t VALUES (1), (2)");
    const read = "SELECT a FROM t ORDER BY a";
    expect(thrown(() => sql.exec(read).one()).message).toBe(
      "Expected exactly one result from SQL query, but got multiple results.",
    );
    expect(sql.exec(read).toArray()).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it("counts rows the same on every run of a statement", () => {
    const { sql } = sqliteStorage();
    sql.exec("CREATE TABLE t(k INTEGER PRIMARY KEY, v); CREATE INDEX by_v ON t(v)");
    const counts = [];
    for (let i = 0; i < 3; i++) {
      const write = sql.exec("INSERT INTO t VALUES (?, ?)", i, "x");
      const read = sql.exec("SELECT v FROM t ORDER BY v");
      read.toArray();
      counts.push([write.rowsRead, write.rowsWritten, read.rowsRead, read.rowsWritten]);
    }
    expect(counts).toEqual([
      [1, 2, 1, 0],
      [1, 2, 2, 0],
      [1, 2, 3, 0],
    ]);
  });

  it("checks the number of bindings on every run", () => {
    const { sql } = sqliteStorage();
    sql.exec("CREATE TABLE t(a)");
    const insert = "INSERT INTO t VALUES (?)";
    sql.exec(insert, 1);
    expect(thrown(() => sql.exec(insert)).message).toBe("Wrong number of parameter bindings for SQL query.");
    expect(thrown(() => sql.exec(insert, 1, 2)).message).toBe("Wrong number of parameter bindings for SQL query.");
    sql.exec(insert, 2);
    expect(sql.exec("SELECT count(*) AS n FROM t").one()).toEqual({ n: 2 });
  });
});

describe("statement cache: what workerd holds past many texts", () => {
  it("checks the bindings of a statement run before 200 other texts against the statement it was, after a schema change", () => {
    const { sql } = sqliteStorage();
    sql.exec("CREATE TABLE q(a)");
    const read = "SELECT ?, a FROM q";
    expect(outcome(() => sql.exec(read, 1))).toEqual([]);
    for (let i = 0; i < 200; i++) sql.exec(`SELECT ${i} AS n`);
    sql.exec("ALTER TABLE q RENAME COLUMN a TO b");
    expect(outcome(() => sql.exec(read, 1, 2))).toBe("Wrong number of parameter bindings for SQL query.");
    expect(outcome(() => sql.exec(read, 1))).toBe("no such column: a at offset 10: SQLITE_ERROR");
  });

  it("prepares a text afresh, checked against nothing, while a cursor holds the statement workerd caches for it", () => {
    const { sql } = sqliteStorage();
    sql.exec("CREATE TABLE q(a); INSERT INTO q VALUES (1), (2)");
    const read = "SELECT ?, a FROM q";
    const held = sql.exec(read, 1);
    held.next();
    sql.exec("ALTER TABLE q RENAME COLUMN a TO b");
    expect(outcome(() => sql.exec(read, 1, 2))).toBe("no such column: a at offset 10: SQLITE_ERROR");
    expect(held.toArray()).toEqual([{ "?": 1, a: 2 }]);
    expect(outcome(() => sql.exec(read, 1, 2))).toBe("Wrong number of parameter bindings for SQL query.");
  });

  it("starts empty for a new instance of the object: a text the previous one ran is prepared afresh", async () => {
    class Store extends DurableObject {
      prime() {
        const { sql } = (this.ctx as unknown as { storage: StorageWithSql }).storage;
        sql.exec("CREATE TABLE q(a)");
        sql.exec("SELECT ?, a FROM q", 1).toArray();
      }
      stop() {
        (this.ctx as unknown as { abort(reason: string): void }).abort("restart");
      }
      after() {
        const { sql } = (this.ctx as unknown as { storage: StorageWithSql }).storage;
        sql.exec("ALTER TABLE q RENAME COLUMN a TO b");
        return outcome(() => sql.exec("SELECT ?, a FROM q", 1, 2));
      }
    }
    const emu = emulator({ module: { Store }, durableObjects: { NS: { className: "Store", sqlite: true } } });
    await (emu.env.NS as AnyStub).getByName("a").prime();
    await (emu.env.NS as AnyStub).getByName("a").stop().catch(() => undefined);
    expect(await (emu.env.NS as AnyStub).getByName("a").after()).toBe("no such column: a at offset 10: SQLITE_ERROR");
  });
});

describe("StatementCache", () => {
  const analysis = {} as StatementAnalysis;
  /** A statement, not lent to a cursor (`slot` -1) until a test says so. */
  const statement = () => {
    const state = { finalized: false, resets: 0 };
    const fake = {
      get finalized() {
        return state.finalized;
      },
      reset: () => void state.resets++,
      finalize: () => void (state.finalized = true),
      slot: -1,
      lends: 0,
    };
    return Object.assign(fake as unknown as PreparedStatement & { slot: number; lends: number }, { state });
  };

  it("drops every entry, finalizing idle statements, once the schema's generation moves on", () => {
    let generation = 0;
    const cache = new StatementCache(() => generation);
    const entry = cache.add("SELECT 1", analysis, true);
    const idle = statement();
    cache.giveBack(entry, idle);
    expect(cache.lookup("SELECT 1", true)).toBe(entry);
    generation++;
    expect(cache.lookup("SELECT 1", true)).toBeUndefined();
    expect(idle.state.finalized).toBe(true);
    // A statement lent before the change is finalized when it comes back.
    const late = statement();
    cache.giveBack(entry, late);
    expect(late.state.finalized).toBe(true);
  });

  it("keeps one idle statement per text, reset; a second one handed back is finalized", () => {
    const cache = new StatementCache(() => 0);
    const entry = cache.add("SELECT 1", analysis, true);
    const [a, b] = [statement(), statement()];
    cache.giveBack(entry, a);
    cache.giveBack(entry, b);
    expect(entry.idle).toBe(a);
    expect(a.state).toEqual({ finalized: false, resets: 1 });
    expect(b.state.finalized).toBe(true);
  });

  it("keeps prepared statements for the 64 most recently used texts only", () => {
    const cache = new StatementCache(() => 0);
    const kept = cache.add("SELECT 'kept'", analysis, true);
    const first = cache.add("SELECT 0", analysis, true);
    const idle = statement();
    cache.giveBack(first, idle);
    for (let i = 1; i < 200; i++) {
      cache.add(`SELECT ${i}`, analysis, true);
      cache.lookup("SELECT 'kept'", true);
    }
    expect(cache.lookup("SELECT 'kept'", true)).toBe(kept);
    expect(cache.lookup("SELECT 0", true)).toBeUndefined();
    expect(idle.state.finalized).toBe(true);
    expect(cache.lookup("SELECT 199", true)).toBeDefined();
  });

  it("is bounded by the total length of its SQL, as workerd's is (1 MiB)", () => {
    const cache = new StatementCache(() => 0);
    const long = (i: number) => `SELECT '${String(i).padEnd(300_000, "x")}'`;
    for (let i = 0; i < 4; i++) cache.add(long(i), analysis, true);
    expect(cache.lookup(long(0), true)).toBeUndefined();
    expect(cache.lookup(long(3), true)).toBeDefined();
  });

  const single = (parameters: number) => ({ rest: "", parameters, opensTransaction: false }) as unknown as StatementAnalysis;
  type Cache = StatementCache<ReturnType<typeof statement>>;
  /** `sql` prepared and run, its cursor done. */
  const ran = (cache: Cache, sql: string, analysis: StatementAnalysis, whole = true) => cache.lend(cache.add(sql, analysis, whole), statement());

  it("knows the statement of a text run before 200 others after the schema moved on, until 1 MiB of texts pushes it out", () => {
    let generation = 0;
    const cache: Cache = new StatementCache(() => generation);
    ran(cache, "SELECT ?", single(1), true);
    for (let i = 0; i < 200; i++) cache.add(`SELECT ${i}`, analysis, true);
    expect(cache.heldParameters("SELECT ?")).toBeUndefined();
    generation++;
    expect(cache.heldParameters("SELECT ?")).toBe(1);
    for (let i = 0; i < 3; i++) cache.add(`SELECT '${String(i).padEnd(300_000, "x")}'`, analysis, true);
    expect(cache.heldParameters("SELECT ?")).toBe(1);
    cache.failed(`SELECT '${"y".padEnd(300_000, "x")}' nope`, true);
    expect(cache.heldParameters("SELECT ?")).toBe(1);
    cache.add("SELECT 'found or prepared'", analysis, true);
    expect(cache.heldParameters("SELECT ?")).toBeUndefined();
  });

  it("lets the rest of a text go with the text", () => {
    let generation = 0;
    const cache: Cache = new StatementCache(() => generation);
    ran(cache, "SELECT 1; SELECT ?", { ...single(0), rest: "SELECT ?" } as StatementAnalysis, true);
    ran(cache, "SELECT ?", single(1), false);
    ran(cache, "SELECT 2", single(0), true);
    generation++;
    expect(cache.heldParameters("SELECT ?")).toBe(1);
    cache.add(`SELECT '${"x".repeat(1024 * 1024 - 30)}'`, analysis, true);
    expect(cache.heldParameters("SELECT ?")).toBeUndefined();
    expect(cache.heldParameters("SELECT 2")).toBe(0);
  });

  it("holds nothing from before a replaced file", () => {
    let generation = 0;
    const cache: Cache = new StatementCache(() => generation);
    ran(cache, "SELECT ?", single(1), true);
    cache.preparedAfresh();
    generation++;
    expect(cache.heldParameters("SELECT ?")).toBeUndefined();
  });

  it("checks nothing against the statement workerd holds while a cursor holds it, nor recompiles it for a run meanwhile", () => {
    let generation = 0;
    const cache: Cache = new StatementCache(() => generation);
    const cursor = statement();
    Object.assign(cursor, { slot: 0, lends: 1 });
    cache.lend(cache.add("SELECT ?", single(1), true), cursor);
    generation++;
    expect(cache.heldParameters("SELECT ?")).toBeUndefined();
    // A run meanwhile prepares it afresh: the statement held stays as it was.
    expect(cache.lend(cache.add("SELECT ?", single(1), true), statement())).toBeUndefined();
    cursor.slot = -1;
    expect(cache.heldParameters("SELECT ?")).toBe(1);
    const entry = cache.add("SELECT ?", single(1), true);
    expect(cache.lend(entry, statement())).toBe(false);
    cache.recompiled(entry);
    expect(cache.heldParameters("SELECT ?")).toBeUndefined();
  });

  it("starts empty for a new instance of the object", () => {
    let generation = 0;
    const cache: Cache = new StatementCache(() => generation);
    ran(cache, "SELECT ?", single(1));
    cache.reset();
    generation++;
    expect(cache.heldParameters("SELECT ?")).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { TRANSACTION_MESSAGE } from "../../lib/sqlite/authorizer.js";
import { thrown } from "../helpers.js";
import { sqliteStorage } from "../storage/api/sql-fixture.js";

const NOT_AUTHORIZED = "not authorized: SQLITE_AUTH";

function storageWithKv() {
  const storage = sqliteStorage();
  storage.kv.put("a", 1);
  storage.backend.setAlarm(Date.now() + 1000);
  return storage;
}

describe("authorizer: transactions", () => {
  it.each(["BEGIN", "begin transaction", "COMMIT", "END", "ROLLBACK", "SAVEPOINT a", "RELEASE a", "ROLLBACK TO a", "EXPLAIN BEGIN"])(
    "refuses %s with workerd's message",
    (statement) => {
      const { sql } = sqliteStorage();
      expect(thrown(() => sql.exec(statement)).message).toBe(TRANSACTION_MESSAGE);
    },
  );

  it("is not fooled by BEGIN inside literals, quoted names or comments", () => {
    const { sql } = sqliteStorage();
    expect(sql.exec("SELECT 'BEGIN' AS \"COMMIT\" /* ROLLBACK */").one()).toEqual({ COMMIT: "BEGIN" });
    sql.exec("CREATE TABLE t(a); CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END");
  });
});

describe("authorizer: _cf_ names", () => {
  it.each([
    "CREATE TABLE _cf_foo(x)",
    'CREATE TABLE "_Cf_bar"(x)',
    "CREATE TABLE [_CF_baz](x)",
    "ALTER TABLE t RENAME TO _cf_x",
    "CREATE INDEX _cf_i ON t(a)",
    "CREATE TRIGGER _cf_tr AFTER INSERT ON t BEGIN SELECT 1; END",
    "CREATE VIEW _cf_v AS SELECT 1",
  ])("refuses %s", (statement) => {
    const { sql } = sqliteStorage();
    sql.exec("CREATE TABLE t(a)");
    expect(thrown(() => sql.exec(statement)).message).toBe(NOT_AUTHORIZED);
  });

  it.each([
    "UPDATE _cf_KV SET value = 1",
    "DELETE FROM _cf_KV WHERE key = 'a'",
    "INSERT INTO _cf_KV VALUES ('c', 1)",
    "INSERT INTO _cf_KV SELECT * FROM _cf_KV",
    "REPLACE INTO _cf_KV VALUES ('c', 1)",
    "DROP TABLE _cf_KV",
    "ALTER TABLE _cf_KV ADD COLUMN z",
    "CREATE INDEX i2 ON _cf_KV(value)",
    "CREATE TRIGGER tr AFTER INSERT ON _cf_KV BEGIN SELECT 1; END",
    "SELECT count(*) FROM _cf_KV",
    "SELECT 1 FROM _cf_KV",
    "SELECT * FROM pragma_table_info('_cf_KV')",
  ])("refuses writes and column-less reads of internal tables: %s", (statement) => {
    const { sql } = storageWithKv();
    expect(thrown(() => sql.exec(statement)).message).toBe(NOT_AUTHORIZED);
  });

  it.each([
    ["SELECT * FROM _cf_KV", "_cf_KV.key"],
    ["SELECT * FROM _CF_kv", "_cf_KV.key"],
    ["SELECT * FROM main._cf_KV", "_cf_KV.key"],
    ["SELECT value FROM _cf_KV", "_cf_KV.value"],
    ["SELECT value, key FROM _cf_KV", "_cf_KV.value"],
    ["SELECT key FROM _cf_KV WHERE value = 1", "_cf_KV.key"],
    ["SELECT * FROM _cf_METADATA", "_cf_METADATA.key"],
    ["SELECT * FROM t WHERE a IN (SELECT key FROM _cf_KV)", "_cf_KV.key"],
    ["SELECT t.a FROM t, _cf_KV", NOT_AUTHORIZED],
  ])("names the first column read: %s", (statement, expected) => {
    const { sql } = storageWithKv();
    sql.exec("CREATE TABLE t(a)");
    const message = expected === NOT_AUTHORIZED ? expected : `access to ${expected} is prohibited: SQLITE_AUTH`;
    expect(thrown(() => sql.exec(statement)).message).toBe(message);
  });

  it("allows creating a view over _cf_KV but refuses reading through it", () => {
    const { sql } = storageWithKv();
    sql.exec("CREATE VIEW v AS SELECT * FROM _cf_KV; CREATE VIEW v2 AS SELECT value FROM _cf_KV");
    sql.exec("CREATE VIEW outer_v AS SELECT * FROM v2");
    expect(thrown(() => sql.exec("SELECT * FROM v")).message).toBe("access to _cf_KV.key is prohibited: SQLITE_AUTH");
    expect(thrown(() => sql.exec("SELECT * FROM outer_v")).message).toBe(
      "access to _cf_KV.value is prohibited: SQLITE_AUTH",
    );
  });

  it("checks a trigger's body when it fires, not when it is created (errors name no place)", () => {
    const { sql } = storageWithKv();
    sql.exec("CREATE TABLE t(a); CREATE TABLE u(a)");
    sql.exec("CREATE TRIGGER wipe AFTER INSERT ON t BEGIN DELETE FROM _cf_KV; END");
    sql.exec("CREATE TRIGGER version AFTER DELETE ON u BEGIN SELECT sqlite_version(); END");
    expect(thrown(() => sql.exec("INSERT INTO t VALUES (1)")).message).toBe(NOT_AUTHORIZED);
    expect(sql.exec("SELECT count(*) AS n FROM t").one()).toEqual({ n: 0 });
    sql.exec("INSERT INTO u VALUES (1)"); // an INSERT does not fire a DELETE trigger
    expect(thrown(() => sql.exec("DELETE FROM u")).message).toBe("not authorized to use function: sqlite_version: SQLITE_ERROR");
    // Triggers that fire each other are each checked once.
    sql.exec("CREATE TABLE ping(a); CREATE TABLE pong(a)");
    sql.exec("CREATE TRIGGER p1 AFTER INSERT ON ping BEGIN INSERT INTO pong VALUES (new.a); END");
    sql.exec("CREATE TRIGGER p2 AFTER INSERT ON pong BEGIN INSERT INTO ping SELECT a + 1 FROM pong WHERE 0; END");
    sql.exec("INSERT INTO ping VALUES (1)");
    expect(sql.exec("SELECT count(*) AS n FROM pong").one()).toEqual({ n: 1 });
  });

  it("allows _cf_ as a column name, alias, CTE name or string", () => {
    const { sql } = storageWithKv();
    sql.exec("CREATE TABLE t2(_cf_col)");
    expect(sql.exec("SELECT 1 AS _cf_alias").columnNames).toEqual(["_cf_alias"]);
    expect(sql.exec("WITH _cf_x AS (SELECT 1 AS n) SELECT * FROM _cf_x").one()).toEqual({ n: 1 });
    expect(sql.exec("SELECT '_cf_KV' AS s").one()).toEqual({ s: "_cf_KV" });
  });

  it("reports a missing _cf_ table as missing, as workerd does", () => {
    const { sql } = sqliteStorage();
    expect(thrown(() => sql.exec("SELECT * FROM _cf_KV")).message).toBe("no such table: _cf_KV: SQLITE_ERROR");
  });

  it("lists the internal tables in sqlite_master (workerd does too)", () => {
    const { sql } = storageWithKv();
    const names = sql.exec<{ name: string }>("SELECT name FROM sqlite_master").toArray().map((r) => r.name);
    expect(names).toEqual(["_cf_KV", "_cf_METADATA"]);
  });
});

describe("authorizer: attached and temporary databases", () => {
  it.each([
    "ATTACH 'x' AS y",
    "DETACH y",
    "CREATE TEMP TABLE tt(x)",
    "CREATE TEMPORARY VIEW tv AS SELECT 1",
    "CREATE TABLE temp.tt(x)",
  ])("refuses %s", (statement) => {
    const { sql } = sqliteStorage();
    expect(thrown(() => sql.exec(statement)).message).toBe(NOT_AUTHORIZED);
  });
});

describe("authorizer: PRAGMA allow-list", () => {
  it.each([
    "PRAGMA foreign_keys",
    "PRAGMA foreign_keys = yes",
    "PRAGMA foreign_keys = 'ON'",
    'PRAGMA foreign_keys = "off"',
    "PRAGMA foreign_keys = truex",
    "PRAGMA foreign_keys = 10",
    "PRAGMA foreign_keys(1)",
    "PRAGMA main.foreign_keys = 1",
    "PRAGMA table_info(t)",
    "PRAGMA table_info('t')",
    "PRAGMA table_xinfo(t)",
    "PRAGMA table_list",
    "PRAGMA page_size",
    "PRAGMA data_version",
    "PRAGMA quick_check",
    "PRAGMA optimize",
    "PRAGMA foreign_key_check",
    "PRAGMA foreign_key_list(t)",
    "PRAGMA index_list(t)",
    "PRAGMA defer_foreign_keys = 1",
    "PRAGMA case_sensitive_like = 1",
    "SELECT * FROM pragma_table_list",
    "SELECT * FROM pragma_table_info('t')",
  ])("allows %s", (statement) => {
    const { sql } = sqliteStorage();
    sql.exec("CREATE TABLE t(a)");
    expect(() => sql.exec(statement)).not.toThrow();
  });

  it.each([
    "PRAGMA user_version",
    "PRAGMA journal_mode",
    "PRAGMA integrity_check",
    "PRAGMA compile_options",
    "PRAGMA foreign_keys = 2",
    "PRAGMA foreign_keys = -1",
    "PRAGMA page_size = 8192",
    "PRAGMA data_version = 1",
    "PRAGMA table_info",
    "PRAGMA foreign_key_list",
    "PRAGMA table_info(_cf_KV)",
    "PRAGMA foreign_key_check(_cf_KV)",
    "PRAGMA temp.foreign_keys",
    "SELECT * FROM pragma_user_version",
    "SELECT * FROM pragma_function_list",
  ])("refuses %s", (statement) => {
    const { sql } = storageWithKv();
    expect(thrown(() => sql.exec(statement)).message).toBe(NOT_AUTHORIZED);
  });

  it("has foreign keys on by default", () => {
    const { sql } = sqliteStorage();
    expect(sql.exec("PRAGMA foreign_keys").one()).toEqual({ foreign_keys: 1 });
  });
});

describe("authorizer: function allow-list", () => {
  it.each([
    ["SELECT power(2, 3)", "power", 7],
    ["SELECT POWER(2, 3)", "POWER", 7],
    ['SELECT "power"(2, 3)', "power", 7],
    ["SELECT 1, power(2,3)", "power", 10],
    ["SELECT 'é', power(2,3)", "power", 13],
    ["SELECT '😀', power(2,3)", "power", 15],
    ["/* c */ SELECT power(1,2)", "power", 15],
    ["SELECT 1;  SELECT power(1,2)", "power", 7],
    ["SELECT log10(10)", "log10", 7],
    ["SELECT ceiling(1.5)", "ceiling", 7],
    ["SELECT unistr('a')", "unistr", 7],
    ["SELECT if(1, 2, 3)", "if", 7],
    ["SELECT sqlite_version()", "sqlite_version", 7],
    ["SELECT json_pretty('[1]')", "json_pretty", 7],
    // An alias after the call must not make it look like a CTE column list `c(x) AS (...)`.
    ["SELECT power(2, 3) AS v", "power", 7],
    ["SELECT 1 AS a, unistr('a') AS v", "unistr", 15],
    ["WITH c AS (SELECT 1) SELECT ceiling(1.5) AS v FROM c", "ceiling", 28],
  ])("refuses %s", (statement, name, offset) => {
    const { sql } = sqliteStorage();
    expect(thrown(() => sql.exec(statement)).message).toBe(
      `not authorized to use function: ${name} at offset ${offset}: SQLITE_ERROR`,
    );
  });

  it("allows the listed functions and operators", () => {
    const { sql } = sqliteStorage();
    const row = sql
      .exec(
        "SELECT pow(2,3) AS p, ceil(1.2) AS c, iif(1,2,3) AS i, format('%d',1) AS f, concat('a','b') AS k, " +
          "unixepoch('2020-01-01') AS u, '[1]' ->> '$[0]' AS j, 'a' LIKE 'a' AS l, replace('ab','a','c') AS r",
      )
      .one();
    expect(row).toEqual({ p: 8, c: 2, i: 2, f: "1", k: "ab", u: 1577836800, j: 1, l: 1, r: "cb" });
  });

  it("does not take table names, CTE names or type names for calls", () => {
    const { sql } = sqliteStorage();
    sql.exec("CREATE TABLE power(x)");
    sql.exec("INSERT INTO power(x) VALUES (1)");
    sql.exec("REPLACE INTO power(x) VALUES (2)");
    sql.exec("CREATE TABLE IF NOT EXISTS log10(x)");
    sql.exec("CREATE TABLE tt(a DECIMAL(10, 2), b power(3), c INTEGER REFERENCES power(x))");
    sql.exec("CREATE INDEX i ON power(x)");
    sql.exec("CREATE VIEW ceiling(y) AS SELECT x FROM power");
    expect(sql.exec("WITH power(x) AS (SELECT 1) SELECT * FROM power").one()).toEqual({ x: 1 });
    expect(sql.exec("WITH a AS (SELECT 1), log10(x) AS MATERIALIZED (SELECT 2) SELECT * FROM log10").one()).toEqual({ x: 2 });
    expect(sql.exec("WITH a AS (SELECT 1), log10(x) AS NOT MATERIALIZED (SELECT 3) SELECT * FROM log10").one()).toEqual({ x: 3 });
    expect(sql.exec("WITH a AS (SELECT 1), log10(x) AS (SELECT 4) SELECT * FROM log10").one()).toEqual({ x: 4 });
    expect(sql.exec("SELECT CAST(1 AS power(3)) AS v").one()).toEqual({ v: 1 });
  });

  it("reports FTS3 helpers as unknown, like workerd (which lacks FTS3)", () => {
    const { sql } = sqliteStorage();
    expect(thrown(() => sql.exec("SELECT matchinfo(1)")).message).toBe("no such function: matchinfo at offset 7: SQLITE_ERROR");
  });

  it("refuses load_extension with workerd's message", () => {
    const { sql } = sqliteStorage();
    expect(thrown(() => sql.exec("SELECT load_extension('x')")).message).toBe("not authorized: SQLITE_ERROR");
  });

  it("refuses load_extension only as a row calls it, and schema code calling it at all", () => {
    const { sql } = sqliteStorage();
    sql.exec("CREATE TABLE e (a); CREATE TABLE t (a); INSERT INTO t VALUES (1)");
    expect(sql.exec("SELECT load_extension('x', 'y') FROM e").toArray()).toEqual([]);
    expect(sql.exec("SELECT 1 AS v WHERE 0 AND load_extension('x')").toArray()).toEqual([]);
    expect(thrown(() => sql.exec("SELECT load_extension(a) FROM t").toArray()).message).toBe("not authorized: SQLITE_ERROR");
    expect(thrown(() => sql.exec("SELECT load_extension()")).message).toBe("wrong number of arguments to function load_extension() at offset 7: SQLITE_ERROR");
    expect(thrown(() => sql.exec("CREATE INDEX i ON t (load_extension(a))")).message).toBe("unsafe use of load_extension(): SQLITE_ERROR");
  });
});

describe("authorizer: virtual tables", () => {
  it("refuses modules workerd refuses", () => {
    const { sql } = sqliteStorage();
    expect(thrown(() => sql.exec("CREATE VIRTUAL TABLE f4 USING fts4(a)")).message).toBe(NOT_AUTHORIZED);
  });

  it.each(["fts5", "rtree"])("says durasim's engine lacks %s", (module) => {
    const { sql } = sqliteStorage();
    expect(thrown(() => sql.exec(`CREATE VIRTUAL TABLE v USING ${module}(a, b, c)`)).message).toMatch(
      new RegExp(`^durasim's SQLite engine \\(sql.js\\) lacks the "${module}" virtual table module`),
    );
  });
});

describe("authorizer: each database's own schema", () => {
  // The parse of a statement's text is shared by every database in the process; what the
  // authorizer decides must still come from the schema of the database that runs it.
  it("allows a text in one database and refuses the same text in another, in either order", () => {
    const plain = storageWithKv();
    plain.sql.exec("CREATE TABLE v (key, value); CREATE TABLE t (a)");
    const guarded = storageWithKv();
    guarded.sql.exec("CREATE VIEW v AS SELECT key, value FROM _cf_KV; CREATE TABLE t (a)");
    guarded.sql.exec("CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT value FROM _cf_KV; END");
    for (const [text, column] of [["SELECT * FROM v", "key"], ["INSERT INTO t VALUES (1)", "value"]] as const) {
      expect(plain.sql.exec(text).toArray()).toEqual([]);
      expect(thrown(() => guarded.sql.exec(text)).message).toBe(`access to _cf_KV.${column} is prohibited: SQLITE_AUTH`);
      expect(plain.sql.exec(text).toArray()).toEqual([]);
    }
    const fresh = storageWithKv();
    expect(thrown(() => fresh.sql.exec("SELECT * FROM v")).message).toBe("no such table: v: SQLITE_ERROR");
  });

  it("refuses a text after its database's schema changes, though other databases allow it", () => {
    const other = storageWithKv();
    other.sql.exec("CREATE TABLE w (key)");
    const changing = storageWithKv();
    changing.sql.exec("CREATE TABLE w (key)");
    expect(changing.sql.exec("SELECT key FROM w").toArray()).toEqual([]);
    changing.sql.exec("DROP TABLE w; CREATE VIEW w AS SELECT key FROM _cf_KV");
    expect(other.sql.exec("SELECT key FROM w").toArray()).toEqual([]);
    expect(thrown(() => changing.sql.exec("SELECT key FROM w")).message).toBe("access to _cf_KV.key is prohibited: SQLITE_AUTH");
  });
});

describe("authorizer: checks of the text alone, once shared", () => {
  it("refuses a call past the argument limit each time the text runs, in every database", () => {
    const text = `SELECT max(${Array.from({ length: 128 }, () => "1").join(", ")})`;
    for (const { sql } of [sqliteStorage(), sqliteStorage()]) {
      for (let run = 0; run < 2; run++) expect(thrown(() => sql.exec(text)).message).toBe("too many arguments on function max at offset 7: SQLITE_ERROR");
    }
  });
});

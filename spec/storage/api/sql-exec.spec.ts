import { describe, expect, it } from "vitest";
import { checkKeyValueRecord } from "../../../lib/sqlite/bound-values.js";
import { thrown } from "../../helpers.js";
import { sqliteStorage } from "./sql-fixture.js";

describe("sql.exec: statements", () => {
  it("runs every statement and returns the last one's cursor", () => {
    const { sql } = sqliteStorage();
    const cursor = sql.exec("CREATE TABLE t(a); INSERT INTO t VALUES (1); SELECT a FROM t");
    expect(cursor.toArray()).toEqual([{ a: 1 }]);
  });

  it("cancels unfinished cursors when deleteAll() deletes the database, as workerd does", () => {
    const { sql, backend } = sqliteStorage();
    sql.exec("CREATE TABLE t(a); INSERT INTO t VALUES (1), (2)");
    const open = sql.exec("SELECT a FROM t");
    const done = sql.exec("SELECT count(*) AS n FROM t");
    expect(done.next()).toEqual({ done: false, value: { n: 2 } });
    backend.deleteAll();
    const canceled = "SQLite query was canceled because the database was deleted.";
    expect(thrown(() => open.toArray()).message).toBe(canceled);
    expect(thrown(() => open.rowsRead).message).toBe(canceled);
    expect(open.columnNames).toEqual(["a"]);
    expect(done.next()).toEqual({ done: true, value: undefined });
    expect(sql.exec("SELECT 1 AS b").toArray()).toEqual([{ b: 1 }]);
  });

  it("leaves an earlier statement that returned a row busy after its text's first run, failing the text's next run once", () => {
    const { sql, openBatch, commit } = sqliteStorage();
    sql.exec("CREATE TABLE t(a); INSERT INTO t VALUES (1)");
    commit();
    const text = "INSERT INTO t VALUES (2); SELECT a FROM t; SELECT 5 AS f";
    expect(sql.exec(text).toArray()).toEqual([{ f: 5 }]);
    // The busy read keeps its table locked.
    expect(thrown(() => sql.exec("DROP TABLE t")).message).toBe("database table is locked: SQLITE_LOCKED");
    // The next run reaches it after the INSERT before it, rewinds it and throws; later runs go through.
    expect(thrown(() => sql.exec(text)).message).toBe("A SQL prepared statement can only be executed once at a time.");
    expect(sql.exec(text).toArray()).toEqual([{ f: 5 }]);
    expect(sql.exec(text).toArray()).toEqual([{ f: 5 }]);
    expect(sql.exec("SELECT count(*) AS n FROM t").one()).toEqual({ n: 5 });
    openBatch();
    commit();
  });

  it("keeps nothing busy for a text whose first run failed, or run again beside its open cursor", () => {
    const { sql } = sqliteStorage();
    sql.exec("CREATE TABLE t(a); INSERT INTO t VALUES (1)");
    expect(thrown(() => sql.exec("SELECT a FROM t; SELECT * FROM nope")).message).toBe("no such table: nope: SQLITE_ERROR");
    expect(sql.exec("DROP TABLE t").toArray()).toEqual([]);
    const text = "SELECT 1 AS a; SELECT 2 AS b UNION ALL SELECT 3";
    const open = sql.exec(text);
    expect(sql.exec(text).toArray()).toEqual([{ b: 2 }, { b: 3 }]);
    expect(open.toArray()).toEqual([{ b: 2 }, { b: 3 }]);
  });

  it("steps the statement at exec time, so writes happen without iterating", () => {
    const { sql } = sqliteStorage();
    sql.exec("CREATE TABLE t(a)");
    sql.exec("INSERT INTO t VALUES (1)");
    expect(sql.exec("SELECT count(*) AS n FROM t").one()).toEqual({ n: 1 });
  });

  it("opens the implicit transaction for a statement that may write, not for reads or connection settings", () => {
    const { backend, sql } = sqliteStorage();
    sql.exec("SELECT 1");
    sql.exec("PRAGMA table_info(x)");
    sql.exec("PRAGMA foreign_keys = OFF");
    expect(backend.inBatch).toBe(false);
    expect(sql.exec("PRAGMA foreign_keys").one()).toEqual({ foreign_keys: 0 });
    sql.exec("CREATE TABLE t(a)");
    expect(backend.inBatch).toBe(true);
    // Inside the transaction SQLite ignores the setting, as in workerd.
    sql.exec("PRAGMA foreign_keys = ON");
    expect(sql.exec("PRAGMA foreign_keys").one()).toEqual({ foreign_keys: 0 });
  });

  it("decides from the program where the statement's words cannot tell: EXPLAIN, REINDEX, PRAGMA optimize", () => {
    const { backend, sql, commit } = sqliteStorage();
    sql.exec("CREATE TABLE t(a)");
    commit();
    for (const text of ["REINDEX", "REINDEX t", "PRAGMA optimize", "EXPLAIN SELECT * FROM t", "EXPLAIN QUERY PLAN SELECT 1", "EXPLAIN REINDEX"]) {
      sql.exec(text).toArray();
      expect([text, backend.inBatch]).toEqual([text, false]);
    }
    for (const text of ["EXPLAIN INSERT INTO t VALUES (1)", "EXPLAIN QUERY PLAN DELETE FROM t", "EXPLAIN CREATE TABLE IF NOT EXISTS t(a)"]) {
      sql.exec(text).toArray();
      expect([text, backend.inBatch]).toEqual([text, true]);
      commit();
    }
    sql.exec("CREATE INDEX ta ON t(a)");
    commit();
    sql.exec("REINDEX ta");
    expect(backend.inBatch).toBe(true);
  });

  it.each(["", "  ", "-- only", "SELECT 1;;", "SELECT 1; -- c", "SELECT 1; /* c */"])(
    "refuses SQL without a statement: %j",
    (query) => {
      const { sql } = sqliteStorage();
      expect(thrown(() => sql.exec(query)).message).toBe("SQL code did not contain a statement.");
    },
  );

  it.each(["; SELECT 1", "SELECT 1;\t", "SELECT 1;\r\n", "SELECT 1 /* t */;"])("accepts %j", (query) => {
    const { sql } = sqliteStorage();
    expect(sql.exec(query).raw().next().value).toEqual([1]);
  });

  it("lets only the last statement have parameters", () => {
    const { sql } = sqliteStorage();
    expect(sql.exec("SELECT 1; SELECT ?", 5).one()).toEqual({ "?": 5 });
    expect(sql.exec("SELECT ?;\t", 5).one()).toEqual({ "?": 5 });
    expect(thrown(() => sql.exec("SELECT ?; SELECT 2", 1)).message).toBe(
      "When executing multiple SQL statements in a single call, only the last statement can have parameters.",
    );
  });

  it.each([
    ["SELECT ?", []],
    ["SELECT ?", [1, 2]],
    ["SELECT ?, ?", [1]],
    ["SELECT 1; SELECT 2; SELECT ?", []],
  ])("checks the binding count: %s", (query, args) => {
    const { sql } = sqliteStorage();
    expect(thrown(() => sql.exec(query, ...args)).message).toBe("Wrong number of parameter bindings for SQL query.");
  });

  it("numbers parameters as SQLite does", () => {
    const { sql } = sqliteStorage();
    expect(sql.exec("SELECT ?1, ?1", 5).raw().next().value).toEqual([5, 5]);
    expect(sql.exec("SELECT ?3, ?", 1, 2, 3, 4).raw().next().value).toEqual([3, 4]);
    expect(sql.exec("SELECT :a, @a, $a, :a", 1, 2, 3).raw().next().value).toEqual([1, 2, 3, 1]);
  });

  it("limits parameters to 100, located at the offending one", () => {
    const { sql } = sqliteStorage();
    const list = (n: number) => Array(n).fill("?").join(",");
    expect(sql.exec(`SELECT 1 WHERE 1 IN (${list(100)})`, ...Array(100).fill(1)).one()).toBeDefined();
    expect(thrown(() => sql.exec(`SELECT 1 WHERE 1 IN (${list(101)})`)).message).toBe(
      "too many SQL variables at offset 221: SQLITE_ERROR",
    );
    expect(thrown(() => sql.exec("SELECT ?101")).message).toBe(
      "variable number must be between ?1 and ?100 at offset 7: SQLITE_ERROR",
    );
  });

  it("reports what SQLite raised last in the parser step that met the 101st parameter", () => {
    const { sql } = sqliteStorage();
    // The parse ends there: a syntax error after it is never reached.
    expect(thrown(() => sql.exec(`SELECT ${Array(101).fill("?").join(",")} FROM FROM`)).message).toBe(
      "too many SQL variables at offset 207: SQLITE_ERROR",
    );
    // Reducing the 101st term of a sum also makes it 101 deep, which SQLite reports instead.
    expect(thrown(() => sql.exec(`SELECT ${Array(101).fill("?").join(" + ")}`)).message).toBe(
      "Expression tree is too large (maximum depth 100): SQLITE_ERROR",
    );
  });

  it("limits expressions to depth 100, as workerd's SQLITE_LIMIT_EXPR_DEPTH", () => {
    const { sql } = sqliteStorage();
    const TOO_DEEP = "Expression tree is too large (maximum depth 100): SQLITE_ERROR";
    const chain = (n: number, op = "+") => Array(n).fill("1").join(` ${op} `);
    expect(sql.exec(`SELECT ${chain(100)} AS s`).one()).toEqual({ s: 100 });
    expect(thrown(() => sql.exec(`SELECT ${chain(101)}`)).message).toBe(TOO_DEEP);
    // Each `x = 1 OR` term adds one OR node above a comparison of height 2.
    const ors = (n: number) => Array.from({ length: n }, (_, i) => `x = ${i}`).join(" OR ");
    sql.exec("CREATE TABLE t(x)");
    expect(sql.exec(`SELECT count(*) AS n FROM t WHERE ${ors(99)}`).one()).toEqual({ n: 0 });
    expect(thrown(() => sql.exec(`SELECT count(*) FROM t WHERE ${ors(100)}`)).message).toBe(TOO_DEEP);
    // Boundaries measured in workerd: parentheses and row values add no depth; calls, NOT IN,
    // COLLATE and unary minus add one.
    expect(sql.exec(`SELECT ((${chain(100)})) AS s`).one()).toEqual({ s: 100 });
    expect(sql.exec(`SELECT abs(${chain(99)}) AS s`).one()).toEqual({ s: 99 });
    expect(sql.exec(`SELECT (${chain(98)}) NOT IN (1) AS s`).one()).toEqual({ s: 1 });
    expect(sql.exec(`SELECT (${chain(99)}, 1) = (1, 1) AS s`).one()).toEqual({ s: 0 });
    for (const deep of [`abs(${chain(100)})`, `-(${chain(100)})`, `(${chain(99)}) NOT IN (1)`, `(${chain(100)}) COLLATE NOCASE`]) {
      expect(thrown(() => sql.exec(`SELECT ${deep}`)).message).toBe(TOO_DEEP);
    }
    // Resolving names adds a subquery's depth to the expression around it: 100 + 99.
    expect(thrown(() => sql.exec(`SELECT (SELECT ${chain(99)})`)).message).toBe(TOO_DEEP);
    expect(thrown(() => sql.exec(`SELECT ${chain(50)} + (SELECT ${chain(50)})`)).message).toBe(TOO_DEEP);
    expect(sql.exec(`SELECT ${chain(20)} + (SELECT ${chain(40)}) AS s`).one()).toEqual({ s: 60 });
    // Long lists are not deep.
    const list = Array.from({ length: 500 }, (_, i) => i).join(", ");
    expect(sql.exec(`SELECT 1 IN (${list}) AS a, CASE ${"WHEN 0 THEN 0 ".repeat(200)} ELSE 1 END AS b`).one()).toEqual({ a: 1, b: 1 });
    sql.exec(`INSERT INTO t VALUES ${Array(300).fill("(1)").join(", ")}`);
  });

  it("limits a compound SELECT to 5 terms, as workerd's SQLITE_LIMIT_COMPOUND_SELECT", () => {
    const { sql } = sqliteStorage();
    const compound = (n: number, op = "UNION ALL") => Array.from({ length: n }, (_, i) => `SELECT ${i}`).join(` ${op} `);
    expect(sql.exec(compound(5)).toArray()).toHaveLength(5);
    expect(thrown(() => sql.exec(compound(6, "EXCEPT"))).message).toBe("too many terms in compound SELECT: SQLITE_ERROR");
    // Each subquery has a compound of its own.
    expect(sql.exec(`SELECT * FROM (${compound(5)}) UNION SELECT * FROM (${compound(5)})`).toArray()).toHaveLength(5);
    expect(thrown(() => sql.exec(`CREATE VIEW v AS SELECT * FROM (${compound(6)})`)).message).toBe(
      "too many terms in compound SELECT: SQLITE_ERROR",
    );
    // As in workerd, a compound ending in a one-row VALUES is exempt; one ending in more rows is not.
    expect(sql.exec(`${compound(5, "UNION")} UNION VALUES (9)`).toArray()).toHaveLength(6);
    expect(thrown(() => sql.exec(`${compound(5, "UNION")} UNION VALUES (8), (9)`)).message).toBe(
      "too many terms in compound SELECT: SQLITE_ERROR",
    );
  });

  it("limits columns to 100 and function arguments to 127, as workerd's SQLITE_LIMIT_COLUMN and _FUNCTION_ARG", () => {
    const { sql } = sqliteStorage();
    const list = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join(", ");
    expect(thrown(() => sql.exec(`CREATE TABLE t (${list(101, (i) => `c${i}`)})`)).message).toBe("too many columns on t: SQLITE_ERROR");
    sql.exec(`CREATE TABLE t (${list(100, (i) => `c${i}`)})`);
    expect(thrown(() => sql.exec("SELECT *, 1 FROM t")).message).toBe("too many columns in result set: SQLITE_ERROR");
    expect(thrown(() => sql.exec("SELECT count(*) FROM (SELECT *, 1 FROM t)")).message).toBe("too many columns in result set: SQLITE_ERROR");
    expect(thrown(() => sql.exec("ALTER TABLE t ADD COLUMN x")).message).toBe("too many columns on sqlite_altertab_t: SQLITE_ERROR");
    expect(thrown(() => sql.exec(`SELECT 1 FROM t ORDER BY ${list(101, () => "1")}`)).message).toBe("too many terms in ORDER BY clause: SQLITE_ERROR");
    expect(thrown(() => sql.exec(`SELECT max(${list(128, () => "1")})`)).message).toBe("too many arguments on function max at offset 7: SQLITE_ERROR");
    expect(thrown(() => sql.exec(`SELECT nosuch(${list(128, () => "1")})`)).message).toBe("too many arguments on function nosuch at offset 7: SQLITE_ERROR");
    expect(sql.exec(`SELECT 1 IN (${list(500, (i) => String(i))}) AS v`).one()).toEqual({ v: 1 });
  });

  it("limits SQL to 100,000 bytes", () => {
    const { sql } = sqliteStorage();
    expect(() => sql.exec(`SELECT 1 --${"x".repeat(99_989)}`)).not.toThrow();
    expect(thrown(() => sql.exec(`SELECT 1 --${"x".repeat(99_990)}`)).message).toBe("statement too long: SQLITE_TOOBIG");
  });

  it("limits bound strings and blobs", () => {
    const { sql } = sqliteStorage();
    // workerd's limit, found by bisection there: 8,388,642 bytes pass, one more fails.
    expect(sql.exec("SELECT length(?) AS n", "x".repeat(8_388_642)).one()).toEqual({ n: 8_388_642 });
    expect(sql.exec("SELECT length(?) AS n", new Uint8Array(8_388_642)).one()).toEqual({ n: 8_388_642 });
    expect(thrown(() => sql.exec("SELECT length(?)", "x".repeat(8_388_643))).message).toBe("string or blob too big: SQLITE_TOOBIG");
    expect(thrown(() => sql.exec("SELECT length(?)", new Uint8Array(8_388_643))).message).toBe(
      "string or blob too big: SQLITE_TOOBIG",
    );
  });

  it("limits a key-value row (its record: header, key and serialised value) to the same length", () => {
    // workerd's largest stored values, by bisection there: a one-byte string of 8,388,628
    // characters (8,388,635 bytes serialised) under a one-byte key, 1,000 characters less under
    // a 1,000-byte key (whose serial type takes a second byte).
    expect(() => checkKeyValueRecord(1, 8_388_635)).not.toThrow();
    expect(thrown(() => checkKeyValueRecord(1, 8_388_636)).message).toBe("string or blob too big: SQLITE_TOOBIG");
    expect(() => checkKeyValueRecord(1000, 8_387_635)).not.toThrow();
    expect(thrown(() => checkKeyValueRecord(1000, 8_387_636)).message).toBe("string or blob too big: SQLITE_TOOBIG");
    const { kv } = sqliteStorage();
    kv.put("s", "x".repeat(8_388_628));
    expect((kv.get("s") as string).length).toBe(8_388_628);
    expect(thrown(() => kv.put("t", "x".repeat(8_388_629))).message).toBe("string or blob too big: SQLITE_TOOBIG");
  });
});

describe("sql.exec: errors formatted as workerd formats them", () => {
  it.each([
    ["SELEC 1", 'near "SELEC": syntax error at offset 0: SQLITE_ERROR'],
    ["SELECT 1; SELEC 2", 'near "SELEC": syntax error at offset 0: SQLITE_ERROR'],
    ["SELECT 1;\n  SELEC 2", 'near "SELEC": syntax error at offset 0: SQLITE_ERROR'],
    ["SELECT (1 FROM t", 'near "FROM": syntax error at offset 10: SQLITE_ERROR'],
    ["SELECT 1 +", "incomplete input: SQLITE_ERROR"],
    ["SELECT x'zz'", "unrecognized token: \"x'zz'\" at offset 7: SQLITE_ERROR"],
    ["SELECT 'abc", "unrecognized token: \"'abc\" at offset 7: SQLITE_ERROR"],
    ["SELECT 1__0", 'unrecognized token: "1__0": SQLITE_ERROR'],
    ["PRAGMA [x y].table_info(t)", "unknown database [x y] at offset 7: SQLITE_ERROR"],
    ["SELECT * FROM (SELECT * FROM t JOIN t)", "ambiguous column name: main.t.a at offset 22: SQLITE_ERROR"],
    ["CREATE INDEX i ON t (a) WHERE abs(random()) > 0", "non-deterministic functions prohibited in partial index WHERE clauses at offset 34: SQLITE_ERROR"],
    ["SELECT 0x_1", 'unrecognized token: "0x_1" at offset 7: SQLITE_ERROR'],
    ["SELECT 1, -0x1_0000_0000_0000_0000", "hex literal too big: -0x10000000000000000 at offset 11: SQLITE_ERROR"],
    ["SELECT * FROM nope", "no such table: nope: SQLITE_ERROR"],
    ["SELECT nope FROM t", "no such column: nope at offset 7: SQLITE_ERROR"],
    ["SELECT a, nope3 FROM t", "no such column: nope3 at offset 10: SQLITE_ERROR"],
    ["SELECT a FROM t AS x WHERE x.nope4 = 1", "no such column: x.nope4 at offset 27: SQLITE_ERROR"],
    ["SELECT nofn(1)", "no such function: nofn at offset 7: SQLITE_ERROR"],
    ["SELECT abs(1,2)", "wrong number of arguments to function abs() at offset 7: SQLITE_ERROR"],
    // SQLite's resolver goes on past an unknown column inside a call, and reports the last error it met.
    ["SELECT abs(c) + c FROM t", "no such column: c at offset 16: SQLITE_ERROR"],
    ["SELECT count(c) FILTER (WHERE c) FROM t", "no such column: c at offset 30: SQLITE_ERROR"],
    ["SELECT (c LIKE c) FROM t", "no such column: c at offset 15: SQLITE_ERROR"],
  ])("%s", (query, message) => {
    const { sql } = sqliteStorage();
    sql.exec("CREATE TABLE t(a)");
    expect(thrown(() => sql.exec(query)).message).toBe(message);
  });

  it("names no place for an unknown column inside a trigger's body, though the statement names one alike", () => {
    const { sql } = sqliteStorage();
    sql.exec("CREATE TABLE t(a, b); CREATE TRIGGER g BEFORE UPDATE ON t BEGIN SELECT RAISE(ABORT, 'n') WHERE b; END");
    expect(thrown(() => sql.exec("UPDATE t SET a = 1 WHERE b")).message).toBe("no such column: b: SQLITE_ERROR");
    expect(thrown(() => sql.exec("SELECT b FROM t WHERE c")).message).toBe("no such column: c at offset 22: SQLITE_ERROR");
  });

  it("adds extended codes to constraint failures", () => {
    const { sql } = sqliteStorage();
    sql.exec(
      "CREATE TABLE t(id INTEGER PRIMARY KEY, g UNIQUE, v NOT NULL DEFAULT 1, c CHECK (c > 0), p REFERENCES t(id));" +
        "CREATE TABLE s(a INTEGER) STRICT; CREATE TABLE r(a INTEGER PRIMARY KEY);" +
        "CREATE TABLE pk2(a, b, PRIMARY KEY (a, b)); INSERT INTO pk2 VALUES (1, 1);" +
        "CREATE TRIGGER tr BEFORE INSERT ON r WHEN new.a = 7 BEGIN SELECT RAISE(ABORT, 'custom boom'); END;" +
        "INSERT INTO t(id, g, c) VALUES (1, 1, 1)",
    );
    const failure = (query: string) => thrown(() => sql.exec(query)).message;
    const constraint = (ext: string) => `: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_${ext})`;
    expect(failure("INSERT INTO t(id, g, c) VALUES (1, 2, 1)")).toBe("UNIQUE constraint failed: t.id" + constraint("PRIMARYKEY"));
    expect(failure("INSERT INTO t(id, g, c) VALUES (2, 1, 1)")).toBe("UNIQUE constraint failed: t.g" + constraint("UNIQUE"));
    expect(failure("INSERT INTO t(id, g, v, c) VALUES (3, 3, NULL, 1)")).toBe("NOT NULL constraint failed: t.v" + constraint("NOTNULL"));
    expect(failure("INSERT INTO t(id, g, c) VALUES (4, 4, -1)")).toBe("CHECK constraint failed: c > 0" + constraint("CHECK"));
    expect(failure("INSERT INTO t(id, g, c, p) VALUES (5, 5, 1, 99)")).toBe("FOREIGN KEY constraint failed" + constraint("FOREIGNKEY"));
    expect(failure("INSERT INTO s VALUES ('x')")).toBe("cannot store TEXT value in INTEGER column s.a" + constraint("DATATYPE"));
    expect(failure("INSERT INTO pk2 VALUES (1, 1)")).toBe("UNIQUE constraint failed: pk2.a, pk2.b" + constraint("PRIMARYKEY"));
    expect(failure("INSERT INTO r VALUES (7)")).toBe("custom boom" + constraint("TRIGGER"));
    expect(failure("INSERT INTO r VALUES ('x')")).toBe("datatype mismatch: SQLITE_MISMATCH");
  });

  it("says durasim's engine lacks UPDATE/DELETE ... LIMIT instead of reporting a syntax error", () => {
    const { sql } = sqliteStorage();
    sql.exec("CREATE TABLE t(a)");
    expect(thrown(() => sql.exec("DELETE FROM t WHERE a = 1 LIMIT 1")).message).toMatch(/^durasim's SQLite engine .* lacks UPDATE \.\.\. LIMIT/);
    expect(thrown(() => sql.exec("UPDATE t SET a = 1 LIMIT 1")).message).toMatch(/lacks UPDATE \.\.\. LIMIT/);
    // RETURNING belongs before the LIMIT in workerd's grammar too: its syntax error comes first.
    expect(thrown(() => sql.exec("DELETE FROM t WHERE a > 1 LIMIT 1 returning a")).message).toBe(
      'near "returning": syntax error at offset 34: SQLITE_ERROR',
    );
  });

  it("a failing statement does not undo earlier statements of the batch", () => {
    const { sql } = sqliteStorage();
    sql.exec("CREATE TABLE t(a UNIQUE); INSERT INTO t VALUES (1)");
    thrown(() => sql.exec("INSERT INTO t VALUES (2), (1)"));
    expect(sql.exec("SELECT a FROM t").toArray()).toEqual([{ a: 1 }]);
  });
});

describe("sql.exec: bindings and results", () => {
  it("keeps a lone surrogate of a binding or of the SQL text as its WTF-8 bytes, reading it back as three U+FFFD, as workerd does", () => {
    const { sql } = sqliteStorage();
    sql.exec("CREATE TABLE t(k TEXT PRIMARY KEY, v)");
    // Distinct keys, ordered by those bytes: U+D7FF (ED 9F BF) < U+D800 (ED A0 80) < U+DFFF (ED BF BF) < U+E000.
    sql.exec("INSERT INTO t VALUES (?, 1), (?, 2), (?, 3), (?, 4)", "\uE000", "\uDFFF", "\uD800", "\uD7FF");
    expect(sql.exec("SELECT v, hex(k) AS h FROM t ORDER BY k").toArray()).toEqual([
      { v: 4, h: "ED9FBF" },
      { v: 3, h: "EDA080" },
      { v: 2, h: "EDBFBF" },
      { v: 1, h: "EE8080" },
    ]);
    expect(sql.exec("SELECT ? AS s", "a\uD800").one()).toEqual({ s: "a\uFFFD\uFFFD\uFFFD" });
    // The statement after one holding a lone surrogate starts where SQLite's text ended.
    expect(sql.exec("SELECT '\uDC00'; SELECT hex('\uDC00') AS h").one()).toEqual({ h: "EDB080" });
  });

  it("binds numbers as REAL, booleans as text, undefined as NULL, objects via String()", () => {
    const { sql } = sqliteStorage();
    const row = sql
      .exec("SELECT typeof(?) AS n, ? AS b, ? AS u, ? AS o, json_object('a', ?) AS j", 1, true, undefined, { x: 1 }, 7)
      .one();
    expect(row).toEqual({ n: "real", b: "true", u: null, o: "[object Object]", j: '{"a":7.0}' });
  });

  it("refuses BigInt", () => {
    const { sql } = sqliteStorage();
    const error = thrown(() => sql.exec("SELECT ?", 5n));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe("Cannot convert a BigInt value to a number");
  });

  it("stores numbers through column affinity and returns blobs as ArrayBuffers", () => {
    const { sql } = sqliteStorage();
    sql.exec("CREATE TABLE t(i INTEGER, b BLOB)");
    sql.exec("INSERT INTO t VALUES (?, ?)", 3, new Uint8Array([1, 2, 3]).subarray(1));
    sql.exec("INSERT INTO t VALUES (?, ?)", 4, new Uint16Array([0x0201]).buffer);
    const rows = sql.exec<{ i: number; b: ArrayBuffer; t: string }>("SELECT i, b, typeof(i) AS t FROM t").toArray();
    expect(rows.map((r) => r.t)).toEqual(["integer", "integer"]);
    expect(rows[0]!.b).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(rows[0]!.b)]).toEqual([2, 3]);
    expect([...new Uint8Array(rows[1]!.b)]).toEqual([1, 2]);
  });

  it("binds a detached ArrayBuffer, or a view over one, as an empty BLOB", () => {
    const { sql } = sqliteStorage();
    const buffer = new ArrayBuffer(8);
    const view = new Uint8Array(buffer, 2, 4);
    structuredClone(buffer, { transfer: [buffer] });
    const row = sql.exec<{ a: string; n: number; v: string }>("SELECT typeof(?) AS a, length(?) AS n, typeof(?) AS v", buffer, buffer, view).one();
    expect(row).toEqual({ a: "blob", n: 0, v: "blob" });
  });

  it("returns integers beyond 2^53 as lossy numbers", () => {
    const { sql } = sqliteStorage();
    expect(sql.exec("SELECT 9007199254740993 AS n").one()).toEqual({ n: 9007199254740992 });
  });
});

describe("sql.exec: cursor", () => {
  it("keeps duplicate columns: last wins in objects, all in raw() and columnNames", () => {
    const { sql } = sqliteStorage();
    const cursor = sql.exec("SELECT 1 AS a, 2 AS a");
    expect(cursor.columnNames).toEqual(["a", "a"]);
    expect(cursor.one()).toEqual({ a: 2 });
    expect([...sql.exec("SELECT 1 AS a, 2 AS a").raw()]).toEqual([[1, 2]]);
  });

  it("keeps returning { done: true, value: undefined } after the end (as workerd does)", () => {
    const { sql } = sqliteStorage();
    const cursor = sql.exec("SELECT 1 AS a");
    expect(cursor.next()).toEqual({ done: false, value: { a: 1 } });
    const end = cursor.next();
    expect(end).toStrictEqual({ done: true, value: undefined });
    expect(Object.keys(end)).toEqual(["done", "value"]);
    expect(cursor.next()).toStrictEqual({ done: true, value: undefined });
  });

  it("shares one position between raw() and object iteration", () => {
    const { sql } = sqliteStorage();
    const cursor = sql.exec("SELECT 1 AS a UNION ALL SELECT 2 UNION ALL SELECT 3");
    expect(cursor.next().value).toEqual({ a: 1 });
    expect(cursor.raw().next().value).toEqual([2]);
    expect(cursor.toArray()).toEqual([{ a: 3 }]);
  });

  it("one() demands exactly one row", () => {
    const { sql } = sqliteStorage();
    expect(thrown(() => sql.exec("SELECT 1 WHERE 0").one()).message).toBe(
      "Expected exactly one result from SQL query, but got no results.",
    );
    expect(thrown(() => sql.exec("SELECT 1 UNION ALL SELECT 2").one()).message).toBe(
      "Expected exactly one result from SQL query, but got multiple results.",
    );
  });

  it("has no column names for statements without results", () => {
    const { sql } = sqliteStorage();
    expect(sql.exec("CREATE TABLE t(a)").columnNames).toEqual([]);
  });

  it("is iterable with for...of", () => {
    const { sql } = sqliteStorage();
    const seen = [];
    for (const row of sql.exec("SELECT 1 AS a UNION ALL SELECT 2")) seen.push(row.a);
    expect(seen).toEqual([1, 2]);
  });

  it("cancels cursors on a database that deleteAll() replaced, the row already stepped to too (workerd: edges scenario 'cursors across deleteAll()')", () => {
    const { backend, sql } = sqliteStorage();
    const cursor = sql.exec("SELECT 1 AS a UNION ALL SELECT 2 UNION ALL SELECT 3");
    cursor.next();
    backend.begin();
    backend.deleteAll();
    expect(thrown(() => cursor.toArray()).message).toBe("SQLite query was canceled because the database was deleted.");
  });
});

describe("sql.exec: rowsRead and rowsWritten", () => {
  it("matches workerd's counts (reference storage-internals §2.4 and the sql-counters scenarios)", () => {
    const { sql } = sqliteStorage();
    sql.exec("CREATE TABLE big(id INTEGER PRIMARY KEY, g, v); CREATE INDEX big_g ON big(g)");
    const counts = (query: string) => {
      const cursor = sql.exec(query);
      cursor.toArray();
      return [cursor.rowsRead, cursor.rowsWritten];
    };
    const items = JSON.stringify([...Array(20).keys()]);
    expect(counts(`INSERT INTO big(g, v) SELECT value % 10, 'x' || value FROM json_each('${items}')`)).toEqual([20, 40]);
    expect(counts("SELECT * FROM big")).toEqual([20, 0]);
    expect(counts("SELECT * FROM big WHERE id = 5")).toEqual([1, 0]);
    expect(counts("UPDATE big SET g = 11 WHERE id = 1")).toEqual([1, 2]); // the row and its index entry
    expect(counts("SELECT * FROM big WHERE g = 3")).toEqual([3, 0]); // 2 entries, and the one after them
    expect(counts("SELECT count(*) FROM big")).toEqual([20, 0]);
    expect(counts("INSERT INTO big(g) VALUES (1) RETURNING id")).toEqual([1, 2]);
    expect(counts("DELETE FROM big")).toEqual([0, 21]);
    sql.exec("CREATE TABLE wr(k TEXT PRIMARY KEY, v) WITHOUT ROWID; CREATE TABLE u(a UNIQUE, b)");
    expect(counts("INSERT INTO wr VALUES ('a', 1)")).toEqual([0, 1]);
    expect(counts("INSERT INTO u VALUES (1, 2)")).toEqual([0, 2]);
    expect(counts("UPDATE u SET b = 3")).toEqual([1, 1]);
  });

  it("counts sorted rows twice, from the table and from the sorter, as workerd does", () => {
    const { sql } = sqliteStorage();
    sql.exec("CREATE TABLE r(a, b); INSERT INTO r VALUES (1, 2), (2, 3), (3, 4)");
    const read = (query: string) => {
      const cursor = sql.exec(query);
      cursor.toArray();
      return cursor.rowsRead;
    };
    // workerd 1.20261117: 6, 6, 6, 3 (the rowid order needs no sort), 3.
    expect(read("SELECT a FROM r ORDER BY b")).toBe(6);
    expect(read("SELECT * FROM (SELECT a FROM r ORDER BY b)")).toBe(6);
    expect(read("SELECT a, count(*) FROM r GROUP BY b")).toBe(6);
    expect(read("SELECT a FROM r ORDER BY rowid")).toBe(3);
    expect(read("SELECT DISTINCT a FROM r")).toBe(3);
  });

  it("counts the row a unique key's seek finds even when the rest of the WHERE drops it", () => {
    const { sql } = sqliteStorage();
    sql.exec("CREATE TABLE b(client TEXT PRIMARY KEY, tokens INTEGER); INSERT INTO b VALUES ('a', 0), ('b', 3)");
    const counts = (query: string) => {
      const cursor = sql.exec(query);
      cursor.toArray();
      return [cursor.rowsRead, cursor.rowsWritten];
    };
    // workerd 1.20261117 (conformance probe): found and filtered reads 1; a missing key reads 0.
    expect(counts("SELECT * FROM b WHERE client = 'a' AND tokens > 0")).toEqual([1, 0]);
    expect(counts("UPDATE b SET tokens = tokens - 1 WHERE client = 'a' AND tokens > 0")).toEqual([1, 0]);
    expect(counts("UPDATE b SET tokens = tokens - 1 WHERE client = 'a' AND tokens > 0 RETURNING tokens")).toEqual([2, 0]);
    expect(counts("DELETE FROM b WHERE client = 'a' AND tokens > 0")).toEqual([1, 0]);
    expect(counts("UPDATE b SET tokens = tokens - 1 WHERE client = 'zz' AND tokens > 0")).toEqual([0, 0]);
    expect(counts("UPDATE b SET tokens = tokens - 1 WHERE client = 'b' AND tokens > 0 RETURNING tokens")).toEqual([2, 1]);
  });

  it("counts no row for a one-pass UPDATE's missing key, and the row of a found one it ignores", () => {
    const { sql } = sqliteStorage();
    sql.exec("CREATE TABLE p(id INTEGER PRIMARY KEY, name TEXT UNIQUE, v); INSERT INTO p VALUES (1, 'a', 1), (2, 'b', 2)");
    const counts = (query: string) => {
      const cursor = sql.exec(query);
      cursor.toArray();
      return [cursor.rowsRead, cursor.rowsWritten];
    };
    // workerd 1.20261117 (conformance: "one-pass writes by a unique key"): the UPDATE sets the
    // row's rowid register NULL before its seek, which a missing key leaves so.
    expect(counts("UPDATE p SET id = 40 WHERE name = 'zz'")).toEqual([0, 0]);
    expect(counts("UPDATE p SET v = 9 WHERE name = 'zz'")).toEqual([0, 0]);
    expect(counts("UPDATE OR IGNORE p SET name = 'a' WHERE name = 'b'")).toEqual([1, 0]);
  });

  it("counts only the last statement of a multi-statement exec", () => {
    const { sql } = sqliteStorage();
    const cursor = sql.exec("CREATE TABLE t(a); INSERT INTO t VALUES (1), (2); INSERT INTO t VALUES (3)");
    expect([cursor.rowsRead, cursor.rowsWritten]).toEqual([0, 1]);
  });
});

describe("sql.databaseSize", () => {
  it("is (page_count - freelist_count) * page_size: one page per new table", () => {
    const { sql } = sqliteStorage();
    sql.exec("CREATE TABLE first(a)");
    const before = sql.databaseSize;
    sql.exec("CREATE TABLE t(a)");
    expect(sql.databaseSize).toBe(before + 4096);
  });
});

describe("sql.exec: where errors point", () => {
  it.each([
    ["SELECT ?0", "variable number must be between ?1 and ?100 at offset 7: SQLITE_ERROR"],
    ["SELECT 1, ?40000", "variable number must be between ?1 and ?100 at offset 10: SQLITE_ERROR"],
    ["SELECT #1", 'near "#1": syntax error at offset 7: SQLITE_ERROR'],
    ["SELECT 1e", 'unrecognized token: "1e" at offset 7: SQLITE_ERROR'],
    ["UPDATE t SET a = 1, nope = 2", "no such column: nope: SQLITE_ERROR"],
    ["UPDATE t SET a = nope", "no such column: nope at offset 17: SQLITE_ERROR"],
    ["ALTER TABLE t DROP COLUMN nope", 'no such column: "nope" at offset 26: SQLITE_ERROR'],
    ["CREATE TABLE t (x)", "table t already exists at offset 13: SQLITE_ERROR"],
    ["SELECT a FROM t ORDER BY -1", "1st ORDER BY term out of range - should be between 1 and 1 at offset 26: SQLITE_ERROR"],
    ["SELECT a FROM t ORDER BY 2", "1st ORDER BY term out of range - should be between 1 and 1: SQLITE_ERROR"],
    ["SELECT 1 UNION SELECT 2 ORDER BY 3", "1st ORDER BY term out of range - should be between 1 and 1 at offset 33: SQLITE_ERROR"],
    ["SELECT sum(a), sum(sum(a)) FROM t", "misuse of aggregate function sum() at offset 19: SQLITE_ERROR"],
    ["SELECT count(*) FROM t WHERE count(*) > 1", "misuse of aggregate: count() at offset 29: SQLITE_ERROR"],
    ["SELECT a FROM t ORDER BY a COLLATE nope", "no such collation sequence: nope: SQLITE_ERROR (extended: SQLITE_ERROR_MISSING_COLLSEQ)"],
    ["PRAGMA synchronous = OFF", "not authorized: SQLITE_AUTH"],
    // SQLite quotes text as it reads it back (a lone surrogate as three U+FFFD); offsets count its three WTF-8 bytes.
    ["SELECT n\uD800", "no such column: n\uFFFD\uFFFD\uFFFD at offset 7: SQLITE_ERROR"],
    ["SELECT '\uDC00', f\uD800(1)", "no such function: f\uFFFD\uFFFD\uFFFD at offset 14: SQLITE_ERROR"],
  ])("%s", (statement, message) => {
    const { sql } = sqliteStorage();
    sql.exec("CREATE TABLE t (a)");
    expect(thrown(() => sql.exec(statement)).message).toBe(message);
  });
});

// Corners of SQLite-backed storage beside the ones the other sql-*.mjs files cover: errors of
// built-in functions, PRAGMA table-valued functions and schema tables, statements of every
// kind (CTEs, windows, RETURNING, generated columns, views, virtual tables, VACUUM and ANALYZE),
// the cursor's methods over several statements and failing steps, bindings of every JS type and
// parameter spelling, limits, transactionSync() nesting, and the synchronous KV API's values.
import { inside, sqlStatements } from "../scenario.mjs";

const statements = sqlStatements("sql corners");

export default [
  statements("function errors", "CREATE TABLE t (a, b); INSERT INTO t VALUES (1, 'x'), (2, 'y')", [
    "SELECT length(randomblob(-1)) AS v", "SELECT length(randomblob(0)) AS v", "SELECT length(randomblob(9000000)) AS v", "SELECT length(zeroblob(-5)) AS v", "SELECT length(zeroblob(9000000)) AS v",
    "SELECT char(1114112) AS v", "SELECT char(-1) AS v", "SELECT likelihood(1, 2) AS v", "SELECT likelihood(1, 0.5) AS v", "SELECT likelihood(1, ?) AS v",
    "SELECT json_object(1, 2) AS v", "SELECT json_object(NULL, 2) AS v", "SELECT json_group_object(NULL, 1) AS v", "SELECT json_insert('[1]', '$[', 2) AS v", "SELECT json_set('{}', 'x', 1) AS v",
    "SELECT json_array_length('x') AS v", "SELECT json(repeat) AS v FROM (SELECT '[' AS repeat)", "SELECT json('" + "[".repeat(1001) + "1" + "]".repeat(1001) + "') AS v",
    "SELECT jsonb('x') AS v", "SELECT json(x'00') AS v", "SELECT json_extract('[1]', '$[-1]') AS v", "SELECT '{}' -> 'a.b' AS v", "SELECT '[1]' -> NULL AS v",
    "SELECT ntile(-1) OVER () AS v FROM t", "SELECT lag(a, -1) OVER () AS v FROM t", "SELECT nth_value(a, 'x') OVER () AS v FROM t", "SELECT lead(a, 1, 2, 3) OVER () FROM t",
    "SELECT strftime('%Q', 'now') AS v", "SELECT date('now', 'bogus') AS v", "SELECT datetime('2024-01-01', 'localtime') AS v", "SELECT datetime('2024-06-01 12:00', 'utc') AS v",
    "SELECT unixepoch('2024-01-01', 'localtime') AS v", "SELECT time('12:00', '+25 hours') AS v", "SELECT strftime('%f %S %H', 86400.999, 'unixepoch') AS v",
    "SELECT substr('abc', 9223372036854775807) AS v", "SELECT round(1.5, 400) AS v", "SELECT round(1.5, -1) AS v", "SELECT abs('x') AS v", "SELECT abs(x'01') AS v",
    "SELECT 9223372036854775807 * 2 AS v", "SELECT -9223372036854775808 - 1 AS v", "SELECT CAST(9223372036854775808 AS INTEGER) AS v", "SELECT CAST('9223372036854775808' AS INTEGER) AS v",
    "SELECT sum(a) FILTER (WHERE a > 1) AS v FROM t", "SELECT group_concat(DISTINCT b, ',') AS v FROM t", "SELECT count(DISTINCT) FROM t", "SELECT typeof(total_changes()) AS v",
    "SELECT iif(1, 2) AS v", "SELECT iif(0, 1, 0, 2, 3) AS v", "SELECT format() AS v", "SELECT printf(NULL) AS v", "SELECT quote(zeroblob(3)) AS v", "SELECT unhex('0g') AS v",
    "SELECT percentile(a, 50) FROM t", "SELECT median(a) FROM t", "SELECT octet_length(NULL) AS v", "SELECT concat() AS v", "SELECT concat_ws(',') AS v",
  ]),
  statements("pragma functions and schema tables", "CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT); CREATE INDEX t_b ON t (b); CREATE VIEW v AS SELECT a FROM t", [
    "SELECT * FROM pragma_table_info('t')", "SELECT name FROM pragma_table_list ORDER BY name", "SELECT * FROM pragma_index_list('t')", "SELECT * FROM pragma_index_info('t_b')",
    "SELECT * FROM pragma_function_list", "SELECT * FROM pragma_compile_options", "SELECT * FROM pragma_user_version", "SELECT * FROM pragma_foreign_keys", "SELECT * FROM pragma_table_info('_cf_KV')",
    "SELECT * FROM pragma_page_count", "SELECT * FROM pragma_database_list", "SELECT * FROM pragma_module_list", "SELECT * FROM pragma_collation_list",
    "PRAGMA page_count", "PRAGMA freelist_count", "PRAGMA encoding", "PRAGMA auto_vacuum", "PRAGMA database_list", "PRAGMA index_xinfo(t_b)", "PRAGMA table_xinfo(v)",
    "PRAGMA table_info(nope)", "PRAGMA table_info", "PRAGMA index_list(_cf_KV)", "PRAGMA foreign_key_list", "PRAGMA quick_check(5)", "PRAGMA quick_check(t)", "PRAGMA integrity_check",
    "PRAGMA optimize(0xfffe)", "PRAGMA optimize = 2", "PRAGMA table_list(t)", "PRAGMA table_list('v')", "PRAGMA foreign_keys = 2", "PRAGMA recursive_triggers('on')",
    "SELECT name, type FROM sqlite_schema ORDER BY name", "SELECT * FROM sqlite_temp_master", "SELECT * FROM temp.sqlite_master", "SELECT * FROM sqlite_stat1", "SELECT * FROM sqlite_sequence",
    "SELECT * FROM sqlite_dbpage", "SELECT * FROM dbstat", "SELECT * FROM json_each('[1]') AS j JOIN generate_series(1, 3)", "SELECT * FROM sqlite_master WHERE 0",
    "ANALYZE t", "SELECT * FROM sqlite_stat1", "DROP TABLE sqlite_stat1", "DELETE FROM sqlite_stat1", "UPDATE sqlite_master SET sql = ''", "DROP TABLE sqlite_sequence",
  ]),
  statements("statements", "CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT); INSERT INTO t VALUES (1, 'x'), (2, 'y'), (3, 'z')", [
    "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5000) SELECT count(*) AS c FROM r", "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT n FROM r LIMIT 3",
    "WITH a AS MATERIALIZED (SELECT 1 AS x), b AS NOT MATERIALIZED (SELECT 2 AS y) SELECT * FROM a, b", "WITH r AS (SELECT * FROM r) SELECT * FROM r",
    "SELECT a, sum(a) OVER (ORDER BY a ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS s, rank() OVER w AS r FROM t WINDOW w AS (ORDER BY b DESC)",
    "SELECT a, sum(a) OVER (ORDER BY a GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE CURRENT ROW) AS s FROM t", "SELECT a, sum(a) OVER (RANGE BETWEEN 'x' PRECEDING AND CURRENT ROW) FROM t",
    "SELECT a FROM t ORDER BY a NULLS LAST", "SELECT * FROM t AS x INDEXED BY nope", "SELECT * FROM t NOT INDEXED", "SELECT * FROM t RIGHT JOIN t AS u USING (a)", "SELECT * FROM t FULL JOIN t AS u ON 0",
    "UPDATE t SET b = u.b FROM (SELECT 1 AS a, 'q' AS b) AS u WHERE t.a = u.a RETURNING *", "DELETE FROM t WHERE a = 3 RETURNING a, b, rowid", "INSERT INTO t VALUES (3, 'z') RETURNING a + 1 AS n, *",
    "INSERT INTO t DEFAULT VALUES RETURNING a", "REPLACE INTO t VALUES (1, 'r') RETURNING *", "INSERT INTO t SELECT a + 10, b FROM t WHERE true ON CONFLICT DO NOTHING RETURNING a",
    "SELECT * FROM t WHERE a IN (SELECT value FROM json_each('[1,2]'))", "VALUES (1, 2), (3, 4)", "SELECT * FROM (VALUES (1), (2)) ORDER BY 1 DESC",
    "CREATE TABLE g (a, b GENERATED ALWAYS AS (a || '!') VIRTUAL, c AS (length(b)) STORED); INSERT INTO g (a) VALUES ('hi'); SELECT * FROM g", "CREATE TABLE g2 (a, b AS (c), c AS (b))",
    "CREATE TABLE wr (a INTEGER PRIMARY KEY, b) WITHOUT ROWID; INSERT INTO wr VALUES (1, 2); SELECT rowid FROM wr", "CREATE VIEW vv AS SELECT * FROM t; DELETE FROM vv",
    "CREATE VIEW vv2 AS SELECT * FROM t; CREATE TRIGGER vt INSTEAD OF DELETE ON vv2 BEGIN DELETE FROM t WHERE a = OLD.a; END; DELETE FROM vv2 WHERE a = 2; SELECT count(*) AS n FROM t",
    "CREATE TEMP TRIGGER tt AFTER INSERT ON t BEGIN SELECT 1; END", "CREATE TRIGGER tt2 AFTER INSERT ON t BEGIN INSERT INTO t VALUES (NEW.a + 100, 'x') RETURNING *; END",
    "SAVEPOINT a; RELEASE a", "BEGIN IMMEDIATE", "BEGIN EXCLUSIVE", "COMMIT TRANSACTION", "ROLLBACK TO a", "DETACH other", "ATTACH 'x' AS y", "ATTACH DATABASE ? AS z", "VACUUM INTO 'file.db'", "VACUUM main", "VACUUM temp",
    "REINDEX t", "REINDEX nocase", "REINDEX t_nope", "ANALYZE main", "ANALYZE sqlite_master", "EXPLAIN SELECT 1", "EXPLAIN QUERY PLAN SELECT * FROM t WHERE a = 1",
    "CREATE VIRTUAL TABLE v1 USING json_each", "CREATE VIRTUAL TABLE v2 USING fts4(x)", "CREATE VIRTUAL TABLE v3 USING fts3(x)", "CREATE VIRTUAL TABLE v5 USING generate_series",
    "SELECT * FROM t ORDER BY a LIMIT -1 OFFSET 1", "SELECT * FROM t LIMIT 'x'", "SELECT * FROM t LIMIT 1.5", "SELECT * FROM t LIMIT 1, 2",
    "SELECT a FROM t UNION SELECT a FROM t INTERSECT SELECT a FROM t EXCEPT SELECT 1", "SELECT * FROM t WHERE b IS DISTINCT FROM 'x'", "SELECT 1 IS TRUE AS a, 0 IS NOT FALSE AS b",
    "SELECT 1_000 AS v", "SELECT 0x1_0 AS v", "SELECT CAST('1_000' AS INTEGER) AS v", "SELECT * FROM t WHERE b COLLATE NOCASE = 'X'", "SELECT b FROM t ORDER BY b COLLATE RTRIM",
  ]),
  inside("sql corners: cursor api", "sqlite", `    const sql = s.sql;
    sql.exec("CREATE TABLE t (a INTEGER PRIMARY KEY, b); INSERT INTO t VALUES (1, 'x'), (2, 'y'), (3, 'z')");
    const info = (c) => ({ cols: c.columnNames, read: c.rowsRead, written: c.rowsWritten });
    const run = (f) => outcomeSync(f);
    const out = {};
    out.multi = run(() => { const c = sql.exec("INSERT INTO t VALUES (4, 'w'); SELECT * FROM t; UPDATE t SET b = 'q' WHERE a > 2; SELECT count(*) AS n FROM t"); const before = info(c); return { before, rows: c.toArray(), after: info(c) }; });
    out.multiNoResult = run(() => { const c = sql.exec("SELECT 1 AS one; CREATE TABLE u (x)"); return { before: info(c), rows: c.toArray(), after: info(c) }; });
    out.emptyStatements = run(() => { const c = sql.exec(";;; SELECT 5 AS f;;"); return { rows: c.toArray(), info: info(c) }; });
    out.onlyComment = run(() => { const c = sql.exec("-- nothing"); return { rows: c.toArray(), info: info(c) }; });
    out.empty = run(() => { const c = sql.exec(""); return { rows: c.toArray(), info: info(c) }; });
    out.whitespace = run(() => sql.exec("   ").toArray());
    out.oneNone = run(() => sql.exec("SELECT * FROM t WHERE a > 100").one());
    out.oneTwo = run(() => sql.exec("SELECT * FROM t").one());
    out.oneWrite = run(() => sql.exec("UPDATE t SET b = b").one());
    out.oneAfterNext = run(() => { const c = sql.exec("SELECT a FROM t ORDER BY a"); c.next(); return c.one(); });
    out.rawThenToArray = run(() => { const c = sql.exec("SELECT a, b FROM t ORDER BY a"); const r = c.raw(); const first = r.next(); return { first, rest: c.toArray(), rawDone: r.next() }; });
    out.rawToArray = run(() => sql.exec("SELECT a, b FROM t ORDER BY a").raw().toArray());
    out.rawColumnNames = run(() => { const r = sql.exec("SELECT a AS x, b AS x FROM t LIMIT 1").raw(); return { names: r.columnNames, rows: r.toArray() }; });
    out.nextShape = run(() => { const c = sql.exec("SELECT a FROM t ORDER BY a LIMIT 1"); return [c.next(), c.next(), c.next()]; });
    out.iteratorIsSelf = run(() => { const c = sql.exec("SELECT 1"); return c[Symbol.iterator]() === c; });
    out.rawIteratorIsSelf = run(() => { const r = sql.exec("SELECT 1").raw(); return r[Symbol.iterator]() === r; });
    out.toArrayTwice = run(() => { const c = sql.exec("SELECT a FROM t ORDER BY a"); return [c.toArray(), c.toArray()]; });
    out.countersAfterDone = run(() => { const c = sql.exec("SELECT a FROM t"); c.toArray(); return info(c); });
    out.cursorProto = run(() => Object.getOwnPropertyNames(Object.getPrototypeOf(sql.exec("SELECT 1"))).sort());
    out.rawProto = run(() => Object.getOwnPropertyNames(Object.getPrototypeOf(sql.exec("SELECT 1").raw())).sort());
    out.sqlProto = run(() => Object.getOwnPropertyNames(Object.getPrototypeOf(sql)).sort());
    out.cursorTag = run(() => [Object.prototype.toString.call(sql.exec("SELECT 1")), Object.prototype.toString.call(sql.exec("SELECT 1").raw()), Object.prototype.toString.call(sql)]);
    out.midIterationError = run(() => { const c = sql.exec("SELECT a, CASE WHEN a = 2 THEN json('bad') ELSE a END AS v FROM t ORDER BY a"); const got = []; for (let i = 0; i < 5; i++) got.push(outcomeSync(() => c.next())); return { got, info: info(c) }; });
    out.midMultiError = run(() => { const c = sql.exec("INSERT INTO t VALUES (10, 'a'); INSERT INTO t VALUES (10, 'b'); SELECT 1"); return c.toArray(); });
    out.afterMidMulti = run(() => sql.exec("SELECT a FROM t WHERE a = 10").toArray());
    out.errorInSecondOfMulti = run(() => sql.exec("SELECT 1; SELEC 2"));
    out.afterSecondSyntax = run(() => sql.exec("SELECT count(*) AS n FROM t").one());
    return out;`),
  inside("sql corners: bindings", "sqlite", `    const sql = s.sql;
    const q = (text, ...b) => outcomeSync(() => sql.exec(text, ...b).toArray());
    const out = {};
    out.named = q("SELECT :a AS a, @b AS b, $c AS c", 1, 2, 3);
    out.namedRepeat = q("SELECT :a AS a, :a AS b", 1);
    out.namedRepeatTwo = q("SELECT :a AS a, :a AS b", 1, 2);
    out.numbered = q("SELECT ?2 AS a, ?1 AS b", "x", "y");
    out.numberedGap = q("SELECT ?3 AS a", 1);
    out.numberedGap3 = q("SELECT ?3 AS a", 1, 2, 3);
    out.mixed = q("SELECT ?, ?5, ? AS c", 1, 2, 3, 4, 5, 6);
    out.mixed6 = q("SELECT ?, ?5, ? AS c", 1, 2, 3, 4, 5, 6);
    out.namedAndQ = q("SELECT :x, ?, :x AS z", 1, 2);
    out.tooFew = q("SELECT ?, ?", 1);
    out.tooMany = q("SELECT ?", 1, 2);
    out.noneButGiven = q("SELECT 1", 1);
    out.multiBind = q("SELECT ? AS a; SELECT ? AS b", 1, 2);
    out.multiBindOne = q("SELECT ? AS a; SELECT ? AS b", 1);
    out.multiBindFirstOnly = q("SELECT ? AS a; SELECT 2 AS b", 1);
    out.multiBindLastOnly = q("SELECT 1 AS a; SELECT ? AS b", 2);
    out.undef = q("SELECT ? AS v, typeof(?) AS t", undefined, undefined);
    out.nul = q("SELECT ? AS v, typeof(?) AS t", null, null);
    out.date = q("SELECT ? AS v", new Date(0));
    out.int = q("SELECT ? AS v, typeof(?) AS t", 5, 5);
    out.negZero = q("SELECT ? AS v, typeof(?) AS t", -0, -0);
    out.nan = q("SELECT ? AS v, typeof(?) AS t", NaN, NaN);
    out.inf = q("SELECT ? AS v, typeof(?) AS t", Infinity, -Infinity);
    out.bigNumber = q("SELECT ? AS v, typeof(?) AS t", 2 ** 63, 2 ** 63);
    out.int53 = q("SELECT ? + 1 AS v", Number.MAX_SAFE_INTEGER);
    out.bool = q("SELECT ? AS v, ? AS w, typeof(?) AS t", true, false, true);
    out.dataView = q("SELECT hex(?) AS v", new DataView(new Uint8Array([1, 2, 3, 4]).buffer, 1, 2));
    out.subarray = q("SELECT hex(?) AS v", new Uint8Array([1, 2, 3, 4]).subarray(2));
    out.float64 = q("SELECT length(?) AS v", new Float64Array([1.5]));
    out.emptyBuffer = q("SELECT ? AS v, typeof(?) AS t, length(?) AS l", new ArrayBuffer(0), new ArrayBuffer(0), new ArrayBuffer(0));
    out.emptyString = q("SELECT ? AS v, typeof(?) AS t", "", "");
    out.loneSurrogate = q("SELECT hex(?) AS v", "a\\ud800b");
    out.nulChar = q("SELECT length(?) AS v, hex(?) AS h", "a\\u0000b", "a\\u0000b");
    out.array = q("SELECT ? AS v", [1, 2]);
    out.promise = q("SELECT ? AS v", Promise.resolve(1));
    out.regexp = q("SELECT ? AS v", /x/);
    out.err = q("SELECT ? AS v", new Error("e"));
    out.boxedBool = q("SELECT ? AS v", new Boolean(false));
    out.bigint = q("SELECT ? AS v", 1n);
    out.bindInPragma = q("PRAGMA table_info(?)", "t");
    out.bindInLimit = q("SELECT 1 AS v LIMIT ?", "2");
    out.bindInDDL = q("CREATE TABLE b (x DEFAULT ?)", 1);
    out.bindInView = q("CREATE VIEW bv AS SELECT ? AS x", 1);
    out.bindInTriggerWhen = q("CREATE TABLE bt (x); CREATE TRIGGER btt AFTER INSERT ON bt WHEN ? BEGIN SELECT 1; END", 1);
    out.bindZero = q("SELECT ?0 AS v", 1);
    out.bindHuge = q("SELECT ?9223372036854775808 AS v", 1);
    out.bindNamedNumericLike = q("SELECT :1 AS v", 5);
    out.bindColon = q("SELECT : AS v", 5);
    out.bindDollarParens = q("SELECT $a::b(c) AS v", 5);
    out.bindAtOnly = q("SELECT @ AS v", 5);
    return out;`),
  inside("sql corners: limits", "sqlite", `    const sql = s.sql;
    // Rows, or (a long text or blob) how many rows and how long their JSON is.
    const shown = (rows) => { const json = JSON.stringify(rows); return json.length > 300 ? { rows: rows.length, chars: json.length } : rows; };
    const q = (text, ...b) => outcomeSync(() => shown(sql.exec(text, ...b).toArray()));
    const out = {};
    out.string8m = q("SELECT length(?) AS n", "x".repeat(8388642));
    out.string8mPlus = q("SELECT length(?) AS n", "x".repeat(8388643));
    out.replicate = q("SELECT length(replace(hex(zeroblob(4194322)), '0', 'ab')) AS n");
    out.likeEscape = q("SELECT 'a' LIKE ? ESCAPE '\\\\' AS v", "\\\\" + "a".repeat(50));
    out.like51 = q("SELECT 'a' LIKE ? AS v", "%".repeat(51));
    out.glob51 = q("SELECT 'a' GLOB ? AS v", "*".repeat(51));
    out.likeFn = q("SELECT like(?, 'a') AS v", "%".repeat(51));
    out.cols100 = q("CREATE TABLE c100 (" + Array.from({ length: 100 }, (_, i) => "c" + i).join(", ") + ")");
    out.select100star = q("SELECT * FROM c100");
    out.select100starPlus = q("SELECT *, 1 FROM c100");
    out.join200 = q("SELECT * FROM c100 a, c100 b");
    out.insert100 = q("INSERT INTO c100 VALUES (" + Array(100).fill("1").join(", ") + ")");
    out.addCol101 = q("ALTER TABLE c100 ADD COLUMN c100");
    out.view101 = q("CREATE VIEW v101 AS SELECT *, 1 AS extra FROM c100");
    out.index101 = q("CREATE INDEX i101 ON c100 (" + Array.from({ length: 100 }, (_, i) => "c" + i).join(", ") + ", c0)");
    out.inList = q("SELECT 1 WHERE 1 IN (" + Array.from({ length: 15000 }, (_, i) => i).join(",") + ")");
    out.caseWhens = q("SELECT CASE 1 " + Array.from({ length: 4000 }, (_, i) => "WHEN " + i + " THEN " + i).join(" ") + " END AS v");
    out.manyJoins = q("SELECT 1 FROM " + Array.from({ length: 64 }, (_, i) => "c100 t" + i).join(", "));
    out.manyJoins65 = q("SELECT 1 FROM " + Array.from({ length: 65 }, (_, i) => "c100 t" + i).join(", "));
    out.cte = q("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 200000) SELECT max(n) FROM r");
    out.statement100000 = q("SELECT '" + "x".repeat(99990) + "'");
    out.statement100001 = q("SELECT '" + "x".repeat(99991) + "'");
    out.multiStatementLong = q("SELECT 1;" + " ".repeat(99000) + "SELECT '" + "x".repeat(5000) + "'");
    out.attachLimit = q("ATTACH ':memory:' AS a");
    out.blobLiteral = q("SELECT length(x'" + "00".repeat(49990) + "') AS n");
    out.unionOf5 = q("SELECT 1 UNION SELECT 2 UNION SELECT 3 UNION SELECT 4 UNION SELECT 5");
    out.unionOf6 = q("SELECT 1 UNION SELECT 2 UNION SELECT 3 UNION SELECT 4 UNION SELECT 5 UNION SELECT 6");
    out.values6 = q("VALUES (1), (2), (3), (4), (5), (6), (7)");
    out.groupConcatBig = q("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 9000) SELECT length(group_concat(hex(zeroblob(500)))) FROM r");
    return out;`),
  inside("sql corners: transactionSync", "sqlite", `    const sql = s.sql;
    sql.exec("CREATE TABLE t (a)");
    const out = {};
    const run = (f) => outcomeSync(f);
    out.returnsPromise = run(() => { const p = s.transactionSync(async () => 1); return typeof p?.then; });
    out.nested = run(() => s.transactionSync(() => { sql.exec("INSERT INTO t VALUES (1)"); return s.transactionSync(() => { sql.exec("INSERT INTO t VALUES (2)"); return "inner"; }); }));
    out.innerThrows = run(() => s.transactionSync(() => { sql.exec("INSERT INTO t VALUES (3)"); try { s.transactionSync(() => { sql.exec("INSERT INTO t VALUES (4)"); throw new Error("inner"); }); } catch (e) { return e.message; } }));
    out.rows = run(() => sql.exec("SELECT a FROM t ORDER BY a").toArray());
    out.throwsString = run(() => s.transactionSync(() => { throw "str"; }));
    out.throwsUndefined = run(() => s.transactionSync(() => { throw undefined; }));
    out.noArgs = run(() => s.transactionSync());
    out.notFn = run(() => s.transactionSync(5));
    out.args = run(() => s.transactionSync(function (...a) { return a.length + ":" + typeof this; }));
    out.sqlErrorInside = run(() => s.transactionSync(() => { sql.exec("INSERT INTO t VALUES (9)"); sql.exec("SELEC"); }));
    out.afterSqlError = run(() => sql.exec("SELECT count(*) AS n FROM t WHERE a = 9").one());
    out.kvInside = run(() => { try { s.transactionSync(() => { s.kv.put("k", 1); throw new Error("x"); }); } catch {} return s.kv.get("k") ?? "none"; });
    out.alarmInside = await outcome(async () => { try { s.transactionSync(() => { s.setAlarm(Date.now() + 60000); throw new Error("x"); }); } catch (e) { return [e.message, await s.getAlarm()]; } });
    out.asyncInsideSync = run(() => s.transactionSync(() => s.put("p", 1)) instanceof Promise);
    out.putVisible = await outcome(() => s.get("p"));
    out.txnInsideSync = await outcome(async () => { let p; s.transactionSync(() => { p = s.transaction(async () => 1); }); return await p; });
    out.syncInsideTxn = await outcome(() => s.transaction(async (txn) => s.transactionSync(() => { sql.exec("INSERT INTO t VALUES (50)"); return "ok"; })));
    return out;`, { alarmHandler: true }),
  inside("sql corners: kv", "sqlite", `    const kv = s.kv;
    const out = {};
    const run = (f) => outcomeSync(f);
    out.missing = run(() => kv.get("nope"));
    out.putUndefined = run(() => kv.put("u", undefined));
    out.getUndefined = run(() => kv.get("u"));
    out.deleteMissing = run(() => kv.delete("nope"));
    out.deleteExisting = run(() => { kv.put("d", 1); return kv.delete("d"); });
    out.emptyKey = run(() => { kv.put("", "empty"); return kv.get(""); });
    out.bigKey = run(() => kv.put("k".repeat(2049), 1));
    out.key2048 = run(() => kv.put("k".repeat(2048), 1));
    out.valueTypes = run(() => { const vals = { m: new Map([[1, 2]]), s: new Set([1]), d: new Date(0), r: /x/g, b: new Uint8Array([1]), n: -0, big: 10n, err: new RangeError("r"), nested: { a: [1, { b: 2 }] } }; for (const [k, v] of Object.entries(vals)) kv.put("v_" + k, v); return Object.fromEntries(Object.keys(vals).map((k) => { const v = kv.get("v_" + k); return [k, Object.prototype.toString.call(v) + ":" + (v instanceof Error ? v.message : JSON.stringify(v, (kk, x) => typeof x === "bigint" ? String(x) + "n" : x instanceof Map ? [...x] : x instanceof Set ? [...x] : x))]; })); });
    out.fn = run(() => kv.put("f", () => 1));
    out.sym = run(() => kv.put("s", Symbol()));
    out.listPrefix = run(() => [...kv.list({ prefix: "v_", limit: 3, reverse: true })].map(([k]) => k));
    out.listStartEnd = run(() => [...kv.list({ start: "v_b", end: "v_n" })].map(([k]) => k));
    out.listLimit0 = run(() => [...kv.list({ limit: 0 })].length);
    out.listStartAfter = run(() => [...kv.list({ startAfter: "v_m", limit: 2 })].map(([k]) => k));
    out.listIterShape = run(() => { const it = kv.list(); return [Object.prototype.toString.call(it), typeof it.next, it[Symbol.iterator]() === it, Object.getOwnPropertyNames(Object.getPrototypeOf(it))]; });
    out.sqlSees = run(() => s.sql.exec("SELECT count(*) AS n FROM _cf_KV").one());
    out.sqlWrite = run(() => s.sql.exec("INSERT INTO _cf_KV VALUES ('x', x'00')").toArray());
    out.sqlSchema = run(() => s.sql.exec("SELECT sql FROM sqlite_master WHERE name = '_cf_KV'").toArray());
    out.tableInfo = run(() => s.sql.exec("PRAGMA table_info(_cf_KV)").toArray());
    return out;`),
];

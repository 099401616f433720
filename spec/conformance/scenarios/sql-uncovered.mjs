// Corners of ctx.storage.sql that no other file drives, each compared whole against workerd:
// statements that reach the internal tables in less usual ways (recursive CTEs, user triggers
// and views over them, a trigger's WHEN condition, upserts, window clauses), maintenance statements (VACUUM, ATTACH,
// REINDEX, ANALYZE), which math and JSON functions exist, savepoints and nesting inside
// transactionSync(), multi-statement exec() texts failing in the middle, cursors read partly
// then mixed with raw(), and values at the 2 MB row limit.
import { inside } from "../scenario.mjs";
import { withInternalTables } from "./sql-protected-tables.mjs";

const statements = withInternalTables("sql uncovered");

export default [
  statements("internal tables through CTEs, views, triggers and upserts", "CREATE TABLE t (x, key UNIQUE); INSERT INTO t VALUES (1, 'k'); CREATE TABLE u (y)", [
    "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < (SELECT count(*) FROM _cf_KV)) SELECT n FROM r",
    "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT n FROM r, _cf_KV",
    "WITH RECURSIVE r(k) AS (SELECT key FROM _cf_KV UNION SELECT k FROM r) SELECT 1 AS v FROM r",
    "WITH c AS (SELECT key FROM _cf_KV) SELECT 1 AS v WHERE 'k' IN c", "WITH c AS (SELECT 1 AS z) SELECT * FROM c, _cf_KV",
    "SELECT row_number() OVER (ORDER BY key) AS n FROM _cf_KV", "SELECT count(*) OVER () AS n FROM _cf_KV", "SELECT oid FROM _cf_KV", "SELECT _rowid_ FROM _cf_KV",
    "SELECT typeof(key) FROM _cf_KV", "SELECT 1 AS v FROM _cf_KV WHERE key LIKE 'k%'", "SELECT * FROM _cf_KV k JOIN _cf_KV k2 USING (key)", "SELECT count(*) AS n FROM _cf_KV k JOIN _cf_KV k2 USING (key, value)",
    "SELECT x FROM t WHERE EXISTS (SELECT * FROM _cf_KV)", "SELECT (SELECT * FROM _cf_KV) AS v", "UPDATE t SET x = k.value FROM _cf_KV k", "UPDATE t SET x = 1 FROM _cf_KV",
    "DELETE FROM t WHERE x IN (SELECT value FROM _cf_KV)", "SELECT count(*) FILTER (WHERE value IS NULL) AS n FROM _cf_KV", "SELECT x FROM t LIMIT (SELECT count(*) FROM _cf_KV)",
    "INSERT INTO t VALUES (5, 'k') ON CONFLICT (key) DO UPDATE SET x = (SELECT length(value) FROM _cf_KV)", "INSERT INTO _cf_KV VALUES ('k', x'00') ON CONFLICT (key) DO NOTHING",
    "SELECT 1 AS v FROM _cf_KV INDEXED BY sqlite_autoindex__cf_KV_1", "EXPLAIN QUERY PLAN SELECT 1 FROM _cf_KV", "SELECT * FROM (SELECT * FROM _cf_KV) AS s",
    "CREATE VIEW v1 AS SELECT * FROM _cf_KV", "CREATE VIEW v2 AS SELECT 1 AS one FROM v1", "SELECT * FROM v2", "SELECT count(*) AS n FROM v1",
    "CREATE TRIGGER tw AFTER INSERT ON u BEGIN INSERT INTO _cf_KV VALUES ('x', x'00'); END", "INSERT INTO u VALUES (2)", "DROP TRIGGER tw",
    "CREATE TRIGGER tu BEFORE UPDATE ON t BEGIN UPDATE _cf_KV SET value = x'01'; END", "UPDATE t SET x = 9", "DROP TRIGGER tu",
    "CREATE TRIGGER tw2 AFTER INSERT ON u WHEN EXISTS (SELECT key FROM _cf_KV) BEGIN SELECT 1; END", "INSERT INTO u VALUES (1)", "DROP TRIGGER tw2",
    "CREATE TRIGGER ti INSTEAD OF INSERT ON v1 BEGIN SELECT 1; END", "INSERT INTO v1 VALUES ('a', 'b')", "DELETE FROM v1",
    "SELECT name FROM sqlite_master WHERE name = '_cf_KV'", "DELETE FROM _cf_KV RETURNING *", "CREATE TABLE x2 AS SELECT * FROM _cf_KV WHERE 0",
    "ALTER TABLE t RENAME COLUMN x TO y", "ALTER TABLE t RENAME TO t2", "ALTER TABLE t2 RENAME TO _cf_t", "DROP VIEW v2", "DROP VIEW v1", "SELECT count(*) AS n FROM t2",
  ]),
  // SQLite resolves a trigger's WHEN condition as the trigger fires, before its body.
  statements("a trigger's WHEN condition is checked as the trigger fires", "CREATE TABLE u (y); CREATE TABLE w (z)", [
    "CREATE TRIGGER a1 AFTER INSERT ON u WHEN EXISTS (SELECT key FROM _cf_KV) BEGIN SELECT 1; END", "INSERT INTO u VALUES (1)", "DROP TRIGGER a1",
    "CREATE TRIGGER a2 AFTER INSERT ON u WHEN (SELECT count(*) FROM _cf_KV) > 0 BEGIN SELECT 1; END", "INSERT INTO u VALUES (2)", "DROP TRIGGER a2",
    "CREATE TRIGGER a3 AFTER INSERT ON u WHEN new.y > 0 AND sqlite_version() > '' BEGIN SELECT 1; END", "INSERT INTO u VALUES (3)", "DROP TRIGGER a3",
    "CREATE TRIGGER a4 AFTER INSERT ON u WHEN new.y IN (SELECT value FROM _cf_KV) BEGIN SELECT key FROM _cf_KV; END", "INSERT INTO u VALUES (4)", "DROP TRIGGER a4",
    "CREATE TRIGGER a5 AFTER INSERT ON u WHEN 0 BEGIN SELECT key FROM _cf_KV; END", "INSERT INTO u VALUES (5)", "DROP TRIGGER a5",
    "CREATE TRIGGER a6 BEFORE DELETE ON u FOR EACH ROW WHEN old.y = 1 OR EXISTS (SELECT 1 FROM _cf_METADATA m WHERE m.value) BEGIN DELETE FROM w; END", "DELETE FROM u", "INSERT INTO u VALUES (6)",
    "CREATE TRIGGER a7 AFTER UPDATE OF y ON u WHEN CASE WHEN new.y THEN (SELECT key FROM _cf_KV) END BEGIN SELECT 1; END", "UPDATE u SET y = 7", "INSERT INTO w VALUES (1)", "SELECT count(*) AS n FROM u",
  ]),
  statements("maintenance statements, virtual tables and generated or STRICT columns", "CREATE TABLE t (x)", [
    "VACUUM", "VACUUM main", "VACUUM INTO 'x.db'", "ATTACH ':memory:' AS a", "DETACH a", "REINDEX", "REINDEX t", "ANALYZE", "ANALYZE t", "SELECT * FROM sqlite_stat1",
    "CREATE INDEX ti ON t (x)", "ANALYZE", "SELECT tbl, idx FROM sqlite_stat1", "DELETE FROM sqlite_stat1", "DROP TABLE sqlite_stat1", "ANALYZE sqlite_master", "PRAGMA optimize",
    "SELECT * FROM sqlite_temp_master", "SELECT * FROM temp.sqlite_master", "CREATE TABLE temp.x (y)", "SELECT * FROM sqlite_dbpage", "SELECT * FROM dbstat",
    "SELECT * FROM generate_series(1, 3)", "SELECT * FROM json_each('[1,2]')", "SELECT key, value FROM json_tree('{\"a\":1}')", "SELECT * FROM carray", "SELECT * FROM sqlite_stmt",
    "CREATE TABLE j (a, b AS (a * 2), c AS (json_object('a', a)) STORED)", "INSERT INTO j (a) VALUES (1) RETURNING *", "INSERT INTO j VALUES (1, 2, 3)", "UPDATE j SET b = 1",
    "CREATE TABLE s (a INT, b TEXT, c ANY) STRICT", "INSERT INTO s VALUES ('x', 1, 1)", "INSERT INTO s VALUES (1, 1, x'00') RETURNING typeof(b), typeof(c)", "CREATE TABLE s2 (a FOO) STRICT", "CREATE TABLE s3 (a) STRICT",
  ]),
  statements("math, JSON, text and date functions", "", [
    "SELECT pi() AS a, sqrt(2) AS b, ln(1) AS c, log(100) AS d, log2(8) AS e, pow(2, 10) AS f, mod(7, 3) AS g, ceil(1.2) AS h, floor(-1.2) AS i, trunc(1.7) AS j, sign(-3) AS k",
    "SELECT degrees(pi()) AS a, radians(180) AS b, acos(1) AS c, atanh(0.5) AS d, exp(1) AS e, sqrt(-1) AS f, log(2, 8) AS g, ln(0) AS h, power(2, 0.5) AS i, log10(1000) AS j",
    "SELECT jsonb('{}') AS a", "SELECT json_pretty('{\"a\":1}') AS a", "SELECT json('{\"a\" : 1}') AS a", "SELECT json_valid('{', 6) AS a", "SELECT '{\"a\":[1,2]}' -> '$.a' AS a, '{\"a\":[1,2]}' ->> '$.a[#-1]' AS b",
    "SELECT json_group_object(k, v) AS a FROM (SELECT 'x' AS k, 1 AS v)", "SELECT json_patch('{\"a\":1}', '{\"b\":2}') AS a", "SELECT json_error_position('{') AS a", "SELECT jsonb_extract(jsonb('[1]'), '$[0]') AS a",
    "SELECT json_set('{}', '$.a', json('[1]')) AS a", "SELECT json_remove('[1,2]', '$[0]') AS a", "SELECT json('x') AS a",
    "SELECT concat('a', NULL, 1) AS a, concat_ws('-', 'a', NULL, 'b') AS b, format('%05d', 3) AS c, unhex('4142') AS d, octet_length('é') AS e", "SELECT string_agg(x, ',') AS a FROM (SELECT 'a' AS x UNION ALL SELECT 'b')",
    "SELECT timediff('2024-01-02', '2024-01-01') AS a", "SELECT unistr('\\u0041') AS a", "SELECT if(1, 2, 3) AS a", "SELECT iif(0, 2) AS a", "SELECT median(1) AS a", "SELECT percentile(1, 50) AS a",
    "SELECT soundex('x') AS a", "SELECT sqlite_compileoption_used('THREADSAFE') AS a", "SELECT sqlite_offset(1) AS a", "SELECT likely(1) AS a, unlikely(0) AS b, likelihood(1, 0.5) AS c", "SELECT fts5_source_id() AS a",
    "SELECT unixepoch('2024-01-01', 'subsec') AS b, datetime(0, 'unixepoch') AS c, strftime('%J', '2024-01-01') AS d, date('2024-01-31', '+1 month') AS e",
    "SELECT date('2024-01-31', '+1 month', 'floor') AS a", "SELECT strftime('%G-%V-%u', '2024-01-01') AS a", "SELECT strftime('%e|%k|%l|%p|%P|%R|%T|%U|%W', '2024-01-01 13:05') AS a",
    "SELECT total(x) AS a, avg(x) AS c FROM (SELECT 9223372036854775807 AS x UNION ALL SELECT 1)", "SELECT sum(x) AS b FROM (SELECT 9223372036854775807 AS x UNION ALL SELECT 1)",
    "SELECT group_concat(x ORDER BY x DESC) AS a FROM (SELECT 1 AS x UNION ALL SELECT 2)", "SELECT 1e999 AS a, -1e999 AS b", "SELECT 9223372036854775807 + 1 AS a", "SELECT abs(-9223372036854775808) AS a",
    "SELECT CAST('12abc' AS INTEGER) AS a, CAST(x'41' AS TEXT) AS b, CAST(1.5 AS BLOB) AS c", "SELECT 10 / 0 AS a, 10 % 0 AS b, 1 / 2 AS c, 1.0 / 2 AS d",
  ]),
  inside("sql uncovered: savepoints and nesting inside transactionSync()", "sqlite", `
    const sql = s.sql;
    sql.exec("CREATE TABLE t (x)");
    const out = {};
    const rows = () => sql.exec("SELECT x FROM t ORDER BY x").toArray().map((r) => r.x);
    out.savepoint = outcomeSync(() => s.transactionSync(() => { sql.exec("INSERT INTO t VALUES (1)"); sql.exec("SAVEPOINT a"); }));
    out.rows1 = rows();
    out.release = outcomeSync(() => s.transactionSync(() => sql.exec("RELEASE a")));
    out.rollbackTo = outcomeSync(() => s.transactionSync(() => sql.exec("ROLLBACK TO a")));
    out.nested = outcomeSync(() => s.transactionSync(() => { sql.exec("INSERT INTO t VALUES (2)"); try { s.transactionSync(() => { sql.exec("INSERT INTO t VALUES (3)"); throw new Error("inner"); }); } catch (e) { return String(e); } }));
    out.rows2 = rows();
    out.nestedDeep = outcomeSync(() => s.transactionSync(() => s.transactionSync(() => s.transactionSync(() => { sql.exec("INSERT INTO t VALUES (4)"); return sql.exec("SELECT count(*) AS n FROM t").one(); }))));
    out.insideExecFails = outcomeSync(() => s.transactionSync(() => { sql.exec("INSERT INTO t VALUES (5); INSERT INTO nope VALUES (1); INSERT INTO t VALUES (6)"); }));
    out.rows3 = rows();
    out.caught = outcomeSync(() => s.transactionSync(() => { try { sql.exec("INSERT INTO t VALUES (7); INSERT INTO nope VALUES (1)"); } catch (e) { } return rows(); }));
    out.rows4 = rows();
    out.returnsCursor = outcomeSync(() => { const c = s.transactionSync(() => sql.exec("SELECT x FROM t ORDER BY x")); return c.toArray(); });
    out.beginInside = outcomeSync(() => s.transactionSync(() => sql.exec("BEGIN")));
    out.vacuumInside = outcomeSync(() => s.transactionSync(() => sql.exec("VACUUM")));
    out.pragmaFkInside = outcomeSync(() => s.transactionSync(() => sql.exec("PRAGMA foreign_keys = ON").toArray()));
    out.rows5 = rows();
    return out;`),
  inside("sql uncovered: exec() texts failing in the middle", "sqlite", `
    const sql = s.sql;
    sql.exec("CREATE TABLE t (x UNIQUE)");
    const out = {};
    const rows = () => sql.exec("SELECT x FROM t ORDER BY x").toArray().map((r) => r.x);
    out.middleConstraint = outcomeSync(() => sql.exec("INSERT INTO t VALUES (1); INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)").toArray());
    out.rows1 = rows();
    out.middleSyntax = outcomeSync(() => sql.exec("INSERT INTO t VALUES (3); SELEC 1; INSERT INTO t VALUES (4)").toArray());
    out.rows2 = rows();
    out.middleAuth = outcomeSync(() => sql.exec("INSERT INTO t VALUES (5); SELECT sqlite_version(); INSERT INTO t VALUES (6)").toArray());
    out.rows3 = rows();
    out.middleRuntime = outcomeSync(() => sql.exec("INSERT INTO t VALUES (7); SELECT abs(-9223372036854775808); INSERT INTO t VALUES (8)").toArray());
    out.rows4 = rows();
    out.middleRows = outcomeSync(() => { const c = sql.exec("SELECT 1 AS a; SELECT 2 AS b; SELECT x FROM t WHERE x > 100"); return [c.columnNames, c.toArray(), c.rowsRead, c.rowsWritten]; });
    out.ddlThenFail = outcomeSync(() => sql.exec("CREATE TABLE u (y); INSERT INTO u VALUES (1); INSERT INTO nope VALUES (1)").toArray());
    out.u = outcomeSync(() => sql.exec("SELECT * FROM u").toArray());
    out.returningMiddle = outcomeSync(() => { const c = sql.exec("INSERT INTO t VALUES (20), (21) RETURNING x; SELECT 5 AS five"); return [c.toArray(), c.rowsWritten]; });
    out.rows5 = rows();
    return out;`),
  inside("sql uncovered: cursors read partly, then mixed with raw()", "sqlite", `
    const sql = s.sql;
    sql.exec("CREATE TABLE t (x INTEGER PRIMARY KEY, y)");
    for (let i = 1; i <= 10; i++) sql.exec("INSERT INTO t VALUES (?, ?)", i, "v" + i);
    const out = {};
    const c = sql.exec("SELECT x, y FROM t WHERE x > 2 ORDER BY x");
    out.a = [c.next(), c.rowsRead, c.rowsWritten, c.columnNames];
    const raw = c.raw();
    out.b = [raw.next(), c.rowsRead];
    out.c = [c.next(), raw.next(), c.rowsRead];
    out.d = [raw.toArray(), c.rowsRead, c.next(), c.toArray(), raw.next()];
    const u = sql.exec("UPDATE t SET y = 'w' WHERE x < 5 RETURNING x");
    out.e = [u.rowsWritten, u.next(), u.rowsWritten, u.rowsRead, u.toArray().length, u.rowsWritten, u.rowsRead];
    const d = sql.exec("DELETE FROM t WHERE x > 8 RETURNING x");
    out.f = [d.rowsWritten, d.raw().next(), d.rowsRead];
    out.g = sql.exec("SELECT count(*) AS n FROM t").one();
    const one = sql.exec("SELECT x FROM t ORDER BY x LIMIT 3");
    one.next();
    out.h = outcomeSync(() => one.one());
    const e = sql.exec("SELECT x FROM t WHERE 0");
    out.i = [e.columnNames, e.next(), e.rowsRead, outcomeSync(() => e.one()), e.raw().toArray()];
    const it = sql.exec("SELECT x FROM t ORDER BY x");
    out.j = [];
    for (const r of it) { out.j.push(r.x); if (r.x === 2) break; }
    out.k = [it.next(), it.rowsRead];
    const big = sql.exec("SELECT x FROM t ORDER BY x");
    out.l = [[...big.raw()].length, big.rowsRead, [...big].length];
    return out;`),
  inside("sql uncovered: strings and blobs around the 2 MB limit", "sqlite", `
    const sql = s.sql;
    sql.exec("CREATE TABLE t (x)");
    const out = {};
    const MB = 1024 * 1024;
    for (const n of [2 * MB - 100, 2 * MB, 2 * MB + 1, 4 * MB]) {
      out["blob" + n] = outcomeSync(() => { sql.exec("INSERT INTO t VALUES (?)", new Uint8Array(n)); return sql.exec("SELECT length(x) AS l FROM t ORDER BY rowid DESC LIMIT 1").one(); });
      out["str" + n] = outcomeSync(() => { sql.exec("INSERT INTO t VALUES (?)", "a".repeat(n)); return sql.exec("SELECT length(x) AS l FROM t ORDER BY rowid DESC LIMIT 1").one(); });
    }
    out.zeroblob = outcomeSync(() => sql.exec("SELECT length(zeroblob(3000000)) AS l").one());
    out.zeroblobInsert = outcomeSync(() => sql.exec("INSERT INTO t VALUES (zeroblob(3000000))").toArray());
    out.hex = outcomeSync(() => sql.exec("SELECT length(hex(zeroblob(1500000))) AS l").one());
    out.rowSplit = outcomeSync(() => { sql.exec("CREATE TABLE w (a, b)"); sql.exec("INSERT INTO w VALUES (?, ?)", "a".repeat(1.5 * MB), "b".repeat(1.5 * MB)); return sql.exec("SELECT length(a) + length(b) AS l FROM w").one(); });
    out.count = sql.exec("SELECT count(*) AS n FROM t").one();
    return out;`),
];

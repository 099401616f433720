// Functions workerd's authorizer refuses (`sqlite_version()` and the like), called where SQLite
// resolves them at another time than the statement's: a view's body when a statement reads the
// view (the refusal then names no place), an added column's CHECK only as rows are written, its
// DEFAULT at once; an index's or generated column's expression, where the refusal and SQLite's
// "non-deterministic functions prohibited" compete (the last failing call of the first failing
// expression is reported). Plus operator positions a call can follow. Each statement runs on its
// own, in order, against one object where `_cf_KV` and `_cf_METADATA` exist. And load_extension(),
// which refuses only as it runs: after the last statement's bindings are counted, not at all
// where no row calls it, after the rows a cursor read before; SQLite's arity error for another
// number of arguments; "unsafe use" in a CHECK or index.
import { inside } from "../scenario.mjs";
import { withInternalTables } from "./sql-protected-tables.mjs";

const statements = withInternalTables("sql refused calls");

export default [
  inside("sql refused calls: load_extension() after the bindings are counted", "sqlite", `    const sql = s.sql;
    const run = (text, ...args) => outcomeSync(() => sql.exec(text, ...args).toArray());
    return [run("SELECT load_extension('x')", 1), run("SELECT load_extension('x')"), run("SELECT load_extension(?)", "x"), run("SELECT load_extension(?)"),
      run("SELECT load_extension('x', ?)", 1, 2), run("SELECT 1; SELECT load_extension('x')", 1), run("SELECT load_extension('x'); SELECT 1", 1),
      run("SELECT load_extension('x');", 1), run("SELECT load_extension('x') -- c", 1)];`),
  inside("sql refused calls: load_extension() only as it runs", "sqlite", `    const sql = s.sql;
    sql.exec("CREATE TABLE t (a); INSERT INTO t VALUES (1), (2); CREATE TABLE e (a)");
    const run = (text) => outcomeSync(() => sql.exec(text).toArray());
    const c = sql.exec("SELECT a, CASE WHEN a = 2 THEN load_extension('x') END AS l FROM t");
    return [run("SELECT load_extension('x') FROM e"), run("SELECT 1 AS v WHERE 0 AND load_extension('x')"), run("SELECT LOAD_EXTENSION('x', 'y') FROM e"),
      run("SELECT load_extension()"), run("SELECT load_extension('x', 'y', 'z')"), outcomeSync(() => c.next()), outcomeSync(() => c.next()),
      run("CREATE TABLE c (a CHECK (load_extension(a)))"), run("CREATE INDEX i ON t (load_extension(a))"), run("CREATE TABLE d (a DEFAULT (load_extension('x')))")];`),
  statements("after operators and as quoted names", "CREATE TABLE t (x)", [
    "SELECT 1 IS DISTINCT FROM sqlite_version() AS v", "SELECT 1 IS NOT DISTINCT FROM sqlite_version() AS v", "SELECT x FROM t WHERE x IS DISTINCT FROM sqlite_source_id()",
    "SELECT \"sqlite_version\"() AS v", "SELECT [sqlite_version]() AS v", "SELECT `sqlite_version`() AS v", "SELECT SQLITE_VERSION() AS v", "SELECT CASE WHEN 1 THEN 2 END || sqlite_version() AS v",
    "SELECT x FROM t ORDER BY x NULLS FIRST, sqlite_version()", "SELECT 1 WHERE 1 IS NOT sqlite_version()", "SELECT ~sqlite_version() AS v", "SELECT 1 AS v FROM t WHERE x ISNULL AND sqlite_version()",
    "SELECT CAST(sqlite_version() AS TEXT) AS v", "SELECT 1 AS v WHERE EXISTS (SELECT sqlite_version())", "SELECT 1 AS sqlite_version", "SELECT sqlite_version FROM (SELECT 1 AS sqlite_version)",
    "CREATE TABLE h (sqlite_version)", "INSERT INTO h (sqlite_version) VALUES (1) RETURNING sqlite_version", "SELECT x FROM t WHERE x IN (1, sqlite_version())", "SELECT x FROM t GROUP BY x HAVING sqlite_version()",
    "SELECT printf('%s', sqlite_source_id()) AS v", "SELECT * FROM pragma_table_info('t') WHERE name = sqlite_version()", "SELECT * FROM json_each(sqlite_version())",
    "SELECT x FROM t WHERE x = 1 COLLATE nocase OR sqlite_version()", "SELECT sum(x) OVER (ORDER BY x ROWS sqlite_version() PRECEDING) FROM t",
  ]),
  statements("in index expressions, partial indexes and generated columns", "CREATE TABLE t (x)", [
    "CREATE TABLE g (a, b AS (sqlite_version()))", "CREATE INDEX pi ON t (x) WHERE sqlite_version() > ''", "CREATE INDEX ei ON t (sqlite_version())", "CREATE TABLE gs (a, b AS (upper(sqlite_version())) STORED)",
    "CREATE TABLE g1 (a, b AS (random() + sqlite_version()))", "CREATE TABLE g2 (a, b AS (sqlite_version() + random()))", "CREATE TABLE g3 (a, b AS (random() + changes()))",
    "CREATE TABLE g4 (a, b AS (changes()), c AS (sqlite_version()))", "CREATE TABLE g5 (a, b AS (sqlite_version()), c AS (random()))", "CREATE INDEX ix1 ON t (x, random(), sqlite_version())",
    "CREATE INDEX ix2 ON t (random() + changes())", "CREATE INDEX ix3 ON t (x) WHERE random() > changes()", "CREATE INDEX ix4 ON t (x + changes(), random())", "CREATE INDEX ix5 ON t (x + sqlite_version(), random())",
    "CREATE INDEX ix6 ON t (random(), x + sqlite_version())", "SELECT name FROM sqlite_master ORDER BY name",
  ]),
  statements("in views, refused where the view is read", "CREATE TABLE t (x); INSERT INTO t VALUES (1)", [
    "CREATE VIEW a AS SELECT sqlite_version() AS v", "CREATE VIEW b AS SELECT * FROM a", "SELECT * FROM b", "SELECT x FROM t WHERE x IN (SELECT 1 FROM a)",
    "CREATE VIEW c AS SELECT * FROM pragma_compile_options", "SELECT count(*) AS n FROM c", "CREATE VIEW e AS SELECT x, sqlite_source_id() AS s FROM t", "SELECT x FROM e",
    "CREATE VIEW f AS SELECT x FROM t WHERE sqlite_version() > ''", "SELECT * FROM f", "CREATE VIEW g AS WITH w AS (SELECT sqlite_version() AS v) SELECT 1 AS one", "SELECT * FROM g",
    "CREATE VIEW kv AS SELECT key FROM _cf_KV WHERE sqlite_version() > ''", "SELECT * FROM kv", "DROP VIEW a", "SELECT * FROM b", "ALTER TABLE t RENAME TO t2", "SELECT name FROM sqlite_master ORDER BY name",
  ]),
  statements("in ALTER TABLE ADD COLUMN", "CREATE TABLE t (x); INSERT INTO t VALUES (1)", [
    "ALTER TABLE t ADD COLUMN y CHECK (sqlite_version() > '')", "INSERT INTO t (x) VALUES (2)", "ALTER TABLE t ADD COLUMN v DEFAULT (1) CHECK (sqlite_version() > '')",
    "ALTER TABLE t ADD COLUMN z DEFAULT (sqlite_version())", "ALTER TABLE t ADD COLUMN w AS (sqlite_version())", "ALTER TABLE t ADD COLUMN u DEFAULT (random())", "SELECT * FROM t ORDER BY x",
  ]),
  statements("in CREATE TABLE defaults and checks, triggers, and load_extension() in schema code", "CREATE TABLE t (x)", [
    "CREATE TABLE d (a, b DEFAULT (sqlite_version()))", "CREATE TABLE c (a CHECK (sqlite_version() > ''))", "CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT sqlite_version(); END",
    "INSERT INTO t VALUES (5)", "DROP TRIGGER tr", "CREATE VIEW h AS SELECT x FROM t", "CREATE TRIGGER hi INSTEAD OF INSERT ON h BEGIN INSERT INTO t VALUES (sqlite_version()); END",
    "INSERT INTO h VALUES (1)", "CREATE VIEW l AS SELECT load_extension('x') AS v", "SELECT * FROM l", "SELECT load_extension('x') AS v", "CREATE TABLE u (y)",
    "CREATE TRIGGER le AFTER INSERT ON u BEGIN SELECT load_extension('x'); END", "INSERT INTO u VALUES (3)", "SELECT count(*) AS n FROM t",
  ]),
];

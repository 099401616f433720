// workerd's authorizer and the tables it keeps to itself, `_cf_KV` (the KV API's) and
// `_cf_METADATA` (the alarm's), in the places a statement can name them: through an alias (a
// refused read names the column, `access to _cf_KV.key is prohibited`), in an UPDATE (SQLite
// asks about each assignment's column after resolving its expression, so `SET key = key` is
// refused on the read), in joins (a USING list's columns are joined without asking), and in
// common table expressions (one nothing uses is never resolved, so never refused; one named
// `_cf_KV` is what the statement reads by that name). Each statement runs on its own, in
// order, against one object where both tables exist.
import { sqlStatements } from "../scenario.mjs";

/** `sqlStatements` for an object whose `_cf_KV` and `_cf_METADATA` exist (a put and an alarm made them). */
export const withInternalTables = (prefix) =>
  sqlStatements(prefix, {
    prelude: `    await s.put("k", 1);\n    await s.setAlarm(Date.now() + 3600000);\n`,
    map: "(rows) => rows.map((r) => show(r))",
    alarmHandler: true,
  });

const statements = withInternalTables("sql protected tables");

export default [
  statements("columns read through an alias", "CREATE TABLE t (x)", [
    "SELECT k.key FROM _cf_KV AS k", "SELECT k.value FROM _cf_KV k", "SELECT k.* FROM _cf_KV AS k", "SELECT count(k.value) FROM _cf_KV AS k", "SELECT t.x FROM t JOIN _cf_KV AS k ON k.value = t.x",
    "SELECT x FROM t WHERE x IN (SELECT k.key FROM _cf_KV k)", "DELETE FROM _cf_KV AS k WHERE k.key = 'a'", "SELECT \"k\".\"key\" FROM _cf_KV AS \"k\"", "SELECT m.value FROM _cf_METADATA m",
    "SELECT k.key, k2.value FROM _cf_KV k, _cf_KV k2", "UPDATE t SET x = (SELECT k.key FROM _cf_KV k)", "SELECT * FROM t AS _cf_KV", "SELECT _cf_KV.x FROM t AS _cf_KV",
    "CREATE TRIGGER ta AFTER INSERT ON t BEGIN SELECT k.value FROM _cf_KV k; END", "INSERT INTO t VALUES (2)", "DROP TRIGGER ta", "CREATE VIEW va AS SELECT k.value FROM _cf_KV AS k", "SELECT * FROM va",
  ]),
  statements("an UPDATE is refused at its first assignment", "CREATE TABLE t (x)", [
    "UPDATE _cf_KV SET key = key WHERE 0", "UPDATE _cf_KV SET value = x'00' WHERE key = 'a'", "UPDATE _cf_KV SET value = value || x'00'", "UPDATE _cf_KV SET value = x'', key = key",
    "UPDATE _cf_KV SET (key, value) = (value, key)", "UPDATE _cf_KV SET key = upper(key)", "UPDATE OR IGNORE _cf_KV SET key = key", "UPDATE _cf_KV SET key = t.x FROM t",
    "UPDATE _cf_KV SET value = (SELECT 1)", "UPDATE main._cf_KV SET key = key", "UPDATE _cf_KV AS k SET key = k.key", "UPDATE _cf_KV SET key = _cf_KV.key", "UPDATE _cf_METADATA SET value = value",
    "UPDATE _cf_KV SET value = rowid", "UPDATE _cf_KV SET value = ?1", "UPDATE _cf_KV SET value = 1 WHERE key = 'k' RETURNING key", "WITH x AS (SELECT 1) UPDATE _cf_KV SET key = key",
  ]),
  statements("joins, USING lists and subqueries", "CREATE TABLE t (x, key); INSERT INTO t VALUES (1, 'a')", [
    "SELECT x FROM t JOIN _cf_KV USING (key)", "SELECT * FROM t JOIN _cf_KV USING (key)", "SELECT _cf_KV.* FROM t JOIN _cf_KV USING (key)", "SELECT x FROM t JOIN _cf_KV AS k USING (key) WHERE k.value IS NULL",
    "SELECT t.x FROM _cf_KV JOIN t USING (key)", "SELECT t.* FROM _cf_KV JOIN t USING (key)", "SELECT * FROM _cf_KV JOIN t USING (key)", "SELECT value FROM _cf_KV k JOIN t USING (key)",
    "REPLACE INTO _cf_KV VALUES ('a', x'00')", "INSERT INTO t VALUES (1, 'z') RETURNING (SELECT count(*) FROM _cf_KV) AS n",
    "SELECT x, (SELECT count(*) FROM _cf_KV) AS n FROM t", "SELECT x FROM t WHERE key IN (SELECT key FROM _cf_KV)", "SELECT t.key FROM t, _cf_KV", "SELECT t.*, 1 AS one FROM t, _cf_KV",
    "SELECT count(*) AS n FROM t, _cf_KV", "SELECT _cf_KV.rowid FROM _cf_KV", "SELECT x FROM t LEFT JOIN _cf_KV ON 1", "SELECT value FROM t, _cf_KV",
    "SELECT x FROM t WHERE EXISTS (SELECT 1 FROM _cf_KV WHERE _cf_KV.key = t.key)", "SELECT max(length(value)) AS m FROM _cf_KV", "SELECT x FROM t UNION SELECT key FROM _cf_KV",
    "SELECT * FROM (SELECT * FROM _cf_KV)", "SELECT x FROM t ORDER BY (SELECT key FROM _cf_KV LIMIT 1)", "INSERT INTO t (x) SELECT length(value) FROM _cf_KV", "SELECT json_group_array(key) AS j FROM _cf_KV",
  ]),
  statements("IF NOT EXISTS, triggers, ALTER TABLE and CREATE ... AS over them", "CREATE TABLE t (x)", [
    "CREATE TABLE IF NOT EXISTS _cf_KV (key, value)", "CREATE TABLE IF NOT EXISTS _cf_new (x)", "CREATE INDEX IF NOT EXISTS _cf_i ON t (x)", "CREATE TRIGGER tk AFTER INSERT ON _cf_KV BEGIN SELECT 1; END",
    "CREATE TRIGGER tm BEFORE DELETE ON _cf_METADATA BEGIN SELECT 1; END", "ALTER TABLE _cf_KV ADD COLUMN z", "ALTER TABLE _cf_METADATA RENAME COLUMN value TO v", "CREATE TABLE c AS SELECT * FROM _cf_KV",
    "CREATE TABLE c2 AS SELECT 1 AS n FROM _cf_KV", "INSERT INTO t SELECT key FROM _cf_KV", "SELECT 1 FROM _cf_KV", "SELECT count(1) AS n FROM _cf_KV", "SELECT EXISTS (SELECT 1 FROM _cf_KV) AS e",
    "DELETE FROM _cf_KV WHERE 0", "SELECT * FROM _cf_METADATA", "SELECT name FROM _cf_METADATA", "SELECT count(*) FROM _cf_METADATA", "SELECT * FROM main._cf_KV", "SELECT * FROM \"main\".\"_cf_KV\"",
    "DROP TABLE _cf_METADATA", "CREATE TRIGGER tk2 AFTER INSERT ON t BEGIN SELECT 1 FROM _cf_KV; END", "INSERT INTO t VALUES (1)", "SELECT count(*) AS n FROM t",
  ]),
  statements("sqlite_sequence is the user's, other sqlite_ names are reserved", "CREATE TABLE q (id INTEGER PRIMARY KEY AUTOINCREMENT, v)", [
    "INSERT INTO q (v) VALUES (1)", "SELECT * FROM sqlite_sequence", "INSERT INTO sqlite_sequence VALUES ('x', 1)", "UPDATE sqlite_sequence SET seq = 100 WHERE name = 'q'", "INSERT INTO q (v) VALUES (2) RETURNING id",
    "DELETE FROM sqlite_sequence", "INSERT INTO q (v) VALUES (3) RETURNING id", "CREATE TABLE sqlite_sequence (x)", "CREATE TABLE sqlite_stat4 (x)", "CREATE TABLE \"sqlite_x\" (y)", "CREATE INDEX sqlite_i ON q (v)",
    "CREATE VIEW sqlite_v AS SELECT 1", "SELECT name, type FROM sqlite_master ORDER BY name", "SELECT name FROM pragma_table_list ORDER BY name",
  ]),
  statements("a refused read and another error met while resolving: the first met wins", "CREATE TABLE t (x, key); INSERT INTO t VALUES (1, 'k')", [
    "SELECT key, nope FROM _cf_KV", "SELECT nope, key FROM _cf_KV", "SELECT count(*) FROM _cf_KV GROUP BY nope", "SELECT key FROM _cf_KV ORDER BY 5", "SELECT key FROM _cf_KV WHERE nosuchfn(1)",
    "SELECT * FROM _cf_KV, nope", "SELECT key FROM _cf_KV UNION SELECT 1, 2", "SELECT sqlite_version(), key FROM _cf_KV", "SELECT key, sqlite_version() FROM _cf_KV",
    "SELECT k.value, k.nope FROM _cf_KV AS k", "SELECT x FROM t WHERE x IN (SELECT key, value FROM _cf_KV)", "SELECT * FROM _cf_KV WHERE nope = 1", "SELECT value FROM _cf_KV ORDER BY nope",
    "SELECT substr(key) FROM _cf_KV", "SELECT nosuchfn(value) FROM _cf_KV", "SELECT max(key) OVER w FROM _cf_KV", "SELECT sqlite_source_id(), count(*) FROM _cf_KV",
    "SELECT 1 FROM _cf_KV WHERE sqlite_version() > key", "SELECT key FROM _cf_KV WHERE sqlite_version() > ''",
  ]),
  statements("common table expressions nothing uses", "CREATE TABLE t (x)", [
    "WITH k AS (SELECT * FROM _cf_KV) SELECT 1 AS v", "WITH k AS (SELECT key FROM _cf_KV) SELECT count(*) AS n FROM k", "WITH a AS (SELECT * FROM _cf_KV), b AS (SELECT * FROM a) SELECT 1 AS v",
    "WITH a AS (SELECT key FROM _cf_KV), b AS (SELECT * FROM a) SELECT * FROM b", "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n FROM r, _cf_KV) SELECT 1 AS v",
    "SELECT (WITH k AS (SELECT * FROM _cf_KV) SELECT 2) AS v", "WITH k AS (SELECT * FROM _cf_KV) SELECT * FROM t", "WITH k AS MATERIALIZED (SELECT * FROM _cf_KV) SELECT 1 AS v",
    "WITH k(a, b) AS (SELECT * FROM _cf_KV) SELECT 1 AS v", "WITH k AS (SELECT * FROM _cf_KV) SELECT * FROM (SELECT 1) AS k", "WITH k AS (SELECT 1 AS z) SELECT * FROM _cf_KV",
    "WITH k AS (SELECT * FROM _cf_KV) INSERT INTO t VALUES (1)", "CREATE VIEW vk AS WITH k AS (SELECT * FROM _cf_KV) SELECT 1 AS x", "SELECT * FROM vk",
    "WITH k AS (SELECT * FROM _cf_KV) SELECT 1 AS v FROM t WHERE EXISTS (SELECT 1 FROM k)", "WITH k AS (SELECT * FROM _cf_KV), j AS (SELECT * FROM k) SELECT * FROM j",
    "WITH k AS (SELECT sqlite_version()) SELECT 1 AS v", "WITH k AS (SELECT * FROM pragma_compile_options) SELECT 1 AS v", "WITH k AS (SELECT sqlite_version() AS v) SELECT v FROM k",
    "WITH _cf_KV AS (SELECT 1 AS key) SELECT key FROM _cf_KV", "WITH _cf_x AS (SELECT 1 AS v) SELECT v FROM _cf_x", "WITH _cf_KV AS (SELECT * FROM _cf_KV) SELECT 1 AS v",
    "WITH _cf_KV AS (SELECT key FROM _cf_KV) SELECT * FROM _cf_KV", "WITH RECURSIVE _cf_KV(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM _cf_KV WHERE n < 3) SELECT n FROM _cf_KV",
  ]),
];

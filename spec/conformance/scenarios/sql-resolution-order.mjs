// Which refused read of `_cf_KV` a statement reports is the first SQLite's resolver meets, and
// it meets a SELECT's parts out of written order: result columns, HAVING, WHERE, then the
// joins' ON clauses (appended to WHERE), ORDER BY, GROUP BY; a compound's arms last first.
// `x IN t` is `x IN (SELECT * FROM t)`, a read of the table's first column before its column
// count is checked. A NATURAL join, like USING, joins on the shared columns without asking, and
// an unqualified shared name or `*` then means the left table's column. A view's body is
// resolved where the statement names it (FROM first), before the statement's own later errors.
// Each statement runs on its own, in order, against one object where `_cf_KV` and
// `_cf_METADATA` exist. Within one expression the resolver goes on past a refused read to the
// next bare column, whose refusal then replaces the first.
import { withInternalTables } from "./sql-protected-tables.mjs";

const statements = withInternalTables("sql resolution order");

const TABLES = "CREATE TABLE t (x, key); INSERT INTO t VALUES (1, 'k'); CREATE TABLE u (y); CREATE VIEW vt AS SELECT x, key FROM t";

export default [
  statements("NATURAL joins with _cf_KV", TABLES, [
    "SELECT * FROM t NATURAL JOIN _cf_KV", "SELECT x FROM t NATURAL JOIN _cf_KV", "SELECT count(*) FROM t NATURAL JOIN _cf_KV", "SELECT 1 FROM t NATURAL LEFT JOIN _cf_KV",
    "SELECT * FROM _cf_KV NATURAL JOIN t", "SELECT count(*) FROM _cf_KV NATURAL JOIN t", "SELECT x FROM _cf_KV NATURAL JOIN t", "SELECT * FROM u NATURAL JOIN _cf_KV",
    "SELECT x FROM u NATURAL JOIN _cf_KV", "SELECT x FROM vt NATURAL JOIN _cf_KV", "SELECT * FROM vt NATURAL JOIN _cf_KV", "SELECT x FROM (SELECT x, key FROM t) NATURAL JOIN _cf_KV",
    "SELECT x FROM t, u NATURAL JOIN _cf_KV", "SELECT x FROM t JOIN u NATURAL JOIN _cf_KV", "SELECT x FROM t NATURAL JOIN _cf_KV NATURAL JOIN u", "SELECT x FROM t NATURAL JOIN _cf_KV WHERE value IS NULL",
    "SELECT x FROM t NATURAL JOIN _cf_KV WHERE key = 'k'", "SELECT key FROM t NATURAL JOIN _cf_KV", "SELECT x FROM t JOIN _cf_KV USING (key) WHERE key = 'k'", "SELECT x FROM _cf_KV JOIN t USING (key) WHERE key = 'k'",
  ]),
  statements("x IN a protected table", TABLES, [
    "SELECT x FROM t WHERE x IN _cf_KV", "SELECT x FROM t WHERE key IN _cf_KV", "SELECT x FROM t WHERE key NOT IN _cf_KV", "SELECT x FROM t WHERE key IN main._cf_KV",
    "SELECT 1 IN _cf_METADATA AS v", "SELECT x FROM t WHERE (x, key) IN _cf_KV", "SELECT x FROM t WHERE x IN u", "WITH c AS (SELECT 1) SELECT x FROM t WHERE x IN c",
    "WITH c AS (SELECT * FROM _cf_KV) SELECT x FROM t WHERE x IN c",
  ]),
  statements("ON clauses after WHERE, HAVING before WHERE, ORDER BY before GROUP BY", TABLES, [
    "SELECT t.x FROM t JOIN _cf_KV k WHERE t.x = 1 AND k.value = 2", "SELECT t.x FROM t LEFT JOIN _cf_KV k ON k.key = t.key WHERE t.x = 1",
    "SELECT t.x FROM t JOIN _cf_KV k ON k.value = 1 WHERE k.key = 1", "SELECT t.x FROM t JOIN _cf_KV k ON k.key = 1 WHERE k.value = 1",
    "SELECT t.x FROM t JOIN _cf_KV k ON t.x = 1 JOIN u ON k.value = u.y WHERE k.key = 1", "SELECT t.x FROM t JOIN _cf_KV k ON 1 WHERE k.value = 2 ORDER BY k.key",
    "SELECT 1 FROM t LEFT JOIN _cf_KV k ON k.value = 1 WHERE k.key IS NULL", "SELECT 1 FROM t JOIN _cf_KV k ON k.value = 1 WHERE k.key", "SELECT 1 FROM t JOIN _cf_KV k ON k.value WHERE k.key = 1",
    "SELECT (SELECT 1 FROM t JOIN _cf_KV k ON k.value = 1 WHERE k.key = 1) AS v", "SELECT x FROM t WHERE x IN (SELECT 1 FROM t JOIN _cf_KV k ON k.value = 1 WHERE k.key = 1)",
    "SELECT * FROM (SELECT 1 FROM t JOIN _cf_KV k ON k.value = 1 WHERE k.key = 1)", "SELECT count(*) FROM _cf_KV k WHERE k.key = 1 HAVING max(k.value)",
    "SELECT 1 FROM _cf_KV k GROUP BY k.key ORDER BY k.value", "SELECT 1 FROM _cf_KV k WHERE k.value = 1 GROUP BY k.key", "SELECT 1 FROM _cf_KV k WHERE k.value = 1 ORDER BY k.key",
    "SELECT 1 FROM t JOIN _cf_KV k ON k.value = 1 ORDER BY k.key", "SELECT 1 FROM t JOIN _cf_KV k ON k.value = 1 GROUP BY k.key HAVING k.key",
    "SELECT k2.value, k.key FROM _cf_KV k, _cf_KV k2", "SELECT m.value, k.key FROM _cf_KV k, _cf_METADATA m",
  ]),
  statements("a refused read and another error, out of written order", TABLES, [
    "SELECT 1 FROM t JOIN _cf_KV k ON k.value = 1 WHERE nope = 1", "SELECT 1 FROM t JOIN _cf_KV k ON nope = 1 WHERE k.value = 1", "SELECT 1 FROM t JOIN _cf_KV k ON k.value = 1 JOIN u ON u.nope = 1",
    "SELECT x FROM t JOIN _cf_KV k ON k.value = 1 WHERE nope = 1 OR k.key", "SELECT 1 FROM _cf_KV k WHERE k.key = 1 HAVING nope", "SELECT 1 FROM _cf_KV k GROUP BY nope ORDER BY k.value",
    "SELECT 1 FROM _cf_KV k GROUP BY k.value ORDER BY nope",
  ]),
  statements("a compound's arms, last first", TABLES, [
    "SELECT 1 FROM t JOIN _cf_KV k ON k.value = 1 UNION SELECT 2 FROM t JOIN _cf_KV k2 ON 1 WHERE k2.key", "SELECT k.key FROM _cf_KV k UNION SELECT k.value FROM _cf_KV k UNION SELECT 1 FROM _cf_METADATA m WHERE m.key",
    "SELECT 1 FROM t UNION SELECT k.value FROM _cf_KV k ORDER BY 1", "SELECT k.value FROM _cf_KV k UNION ALL SELECT 1 FROM t WHERE nope", "SELECT k.value FROM _cf_KV k EXCEPT SELECT k.key FROM _cf_KV k",
    "SELECT x FROM t UNION SELECT k.key FROM _cf_KV k ORDER BY nope", "WITH c AS (SELECT 1) SELECT k.key FROM _cf_KV k INTERSECT SELECT k.value FROM _cf_KV k", "INSERT INTO u SELECT k.key FROM _cf_KV k UNION SELECT k.value FROM _cf_KV k",
  ]),
  statements("a view's body is resolved where the statement names it", `${TABLES}; CREATE VIEW v1 AS SELECT * FROM _cf_KV; CREATE VIEW v3 AS SELECT key FROM _cf_KV; CREATE VIEW vs AS SELECT sqlite_version() AS s`, [
    "SELECT * FROM t WHERE x IN v1", "SELECT nope FROM v1", "SELECT * FROM v1 WHERE nope", "SELECT x FROM t WHERE x IN (SELECT * FROM v1)", "SELECT nope FROM t, v1", "SELECT nope FROM vs",
    "SELECT * FROM t WHERE x IN vs", "SELECT x FROM t WHERE x IN v3", "SELECT x FROM t WHERE (x, key) IN v1", "SELECT x, nope FROM t WHERE x IN v3", "SELECT nope FROM t WHERE x IN v3",
  ]),
  statements("named windows, and what an INSERT's SELECT reads", "CREATE TABLE t (x, key UNIQUE); INSERT INTO t VALUES (1, 'k'); CREATE TABLE u (y)", [
    "SELECT 1 AS v FROM _cf_KV WINDOW w AS (ORDER BY value)", "SELECT 1 AS v FROM _cf_KV WINDOW w AS (ORDER BY value), w2 AS (PARTITION BY key)",
    "SELECT count(*) OVER w2 AS v FROM _cf_KV WINDOW w AS (ORDER BY value), w2 AS (PARTITION BY key)", "SELECT count(*) OVER w AS n, key FROM _cf_KV WINDOW w AS (ORDER BY value)",
    "SELECT key, count(*) OVER w AS n FROM _cf_KV WINDOW w AS (ORDER BY value)", "SELECT count(key) OVER w AS n FROM _cf_KV WINDOW w AS (ORDER BY value)",
    "SELECT count(key) OVER (ORDER BY value) AS n FROM _cf_KV", "SELECT count(key) OVER (PARTITION BY value) AS n FROM _cf_KV",
    "INSERT INTO t (x, key) SELECT 1, 'z' FROM _cf_KV WHERE true ON CONFLICT (key) DO UPDATE SET x = 2", "INSERT INTO t (x, key) SELECT 1, 'z' FROM _cf_KV WHERE true ON CONFLICT (key) DO UPDATE SET x = excluded.key",
    "INSERT INTO u SELECT 1 FROM _cf_KV RETURNING y", "INSERT INTO t (x, key) SELECT 1, 'z' FROM _cf_KV RETURNING key", "INSERT INTO t (x) SELECT 1 FROM _cf_KV WHERE true ON CONFLICT DO NOTHING",
    "REPLACE INTO t (x, key) SELECT 3, 'q' FROM _cf_KV RETURNING x, key", "INSERT INTO t (x, key) SELECT 1, key FROM _cf_KV WHERE true ON CONFLICT (key) DO NOTHING",
    "INSERT INTO t (key) SELECT value FROM _cf_KV", "WITH c AS (SELECT 1) INSERT INTO t (x, key) SELECT 1, 'y' FROM _cf_KV", "INSERT INTO t (key, x) VALUES ((SELECT count(*) FROM _cf_KV), 1) RETURNING key",
  ]),
  // The resolver goes on past a refused read to the next bare column of the same expression
  // (a later refusal, or "no such column", replaces the message) and stops at any other node.
  statements("within one expression the walk goes on to the next bare column", "CREATE TABLE t (x, key); INSERT INTO t VALUES (1, 'k')", [
    "SELECT key || value AS c FROM _cf_KV", "SELECT key || value || 'x' AS c FROM _cf_KV", "SELECT 1 AS v FROM _cf_KV WHERE key + 1 AND value", "SELECT coalesce(key, value) AS c FROM _cf_KV",
    "SELECT max(key, value) AS m FROM _cf_KV", "SELECT key = value AS e FROM _cf_KV", "SELECT key + value * 2 AS e FROM _cf_KV", "SELECT key * value + 2 AS e FROM _cf_KV",
    "SELECT 1 AS v FROM _cf_KV WHERE key AND nope", "SELECT 1 AS v FROM _cf_KV k WHERE k.key AND k.nope", "SELECT 1 AS v FROM _cf_KV WHERE key IS NOT value", "SELECT key LIKE value AS l FROM _cf_KV",
    "SELECT group_concat(key, value) AS g FROM _cf_KV", "SELECT group_concat(key ORDER BY value) AS g FROM _cf_KV", "SELECT count(key) FILTER (WHERE value) AS n FROM _cf_KV",
    "SELECT count(key + 1) FILTER (WHERE value = 1) AS n FROM _cf_KV", "SELECT group_concat(key + 1, ',' ORDER BY value + 1) AS g FROM _cf_KV", "SELECT key, value FROM _cf_KV",
    "SELECT k.key AND x AS a FROM _cf_KV k, t", "SELECT k.key AND t.x AND k.value AS a FROM _cf_KV k, t", "SELECT 1 AS v FROM t JOIN _cf_KV k ON k.value WHERE k.key",
    "SELECT 1 AS v FROM t JOIN _cf_KV k ON k.value = 1 WHERE k.key", "SELECT 1 AS v FROM t JOIN _cf_KV k ON k.value AND 1 WHERE k.key", "SELECT 1 AS v FROM t JOIN _cf_KV k ON t.x JOIN t t2 ON k.value",
    "SELECT (key) AND (value) AS a FROM _cf_KV", "SELECT abs(key) AND value AS a FROM _cf_KV", "SELECT key AND value + 0 AS a FROM _cf_KV", "SELECT key -> value AS a FROM _cf_KV",
    "SELECT count(key) OVER (ORDER BY value) AS n FROM _cf_KV", "SELECT key AND NOT value AS a FROM _cf_KV", "SELECT key AND value, 1 AS a FROM _cf_KV", "SELECT 1 AS v FROM _cf_KV ORDER BY key, value",
    "SELECT 1 AS v FROM _cf_KV GROUP BY key, value", "SELECT 1 AS v FROM _cf_KV WHERE key = 'a' OR value", "SELECT 1 AS v FROM _cf_KV WHERE key OR value = 'a'", "UPDATE t SET x = 1 WHERE key AND x",
    "SELECT x FROM t WHERE x IN (SELECT key || value FROM _cf_KV)", "SELECT instr(key, value) AS i FROM _cf_KV", "SELECT iif(key, value, 1) AS i FROM _cf_KV", "SELECT key AND nope AS a FROM _cf_KV",
    "SELECT key AND value BETWEEN 1 AND 2 AS a FROM _cf_KV", "SELECT key AND value IN (1) AS a FROM _cf_KV", "SELECT key OR value NOT NULL AS a FROM _cf_KV", "SELECT key AND value COLLATE nocase AS a FROM _cf_KV",
    "SELECT key = value IS NULL AS a FROM _cf_KV", "SELECT key AND value LIKE 'a' AS a FROM _cf_KV",
    "SELECT key OR value IS NULL AS a FROM _cf_KV", "SELECT key OR value IS NOT NULL AS a FROM _cf_KV", "SELECT key OR value ISNULL AS a FROM _cf_KV", "SELECT key OR value IS 1 AS a FROM _cf_KV",
    "SELECT key OR value IS NULL OR nope AS a FROM _cf_KV", "SELECT key = value ISNULL AS a FROM _cf_KV", "SELECT key AND value NOTNULL AND 1 AS a FROM _cf_KV", "SELECT key AND value IS NOT NULL AND x AS a FROM _cf_KV, t",
    "SELECT key BETWEEN value AND 1 AS a FROM _cf_KV", "SELECT key NOT BETWEEN 1 AND value AS a FROM _cf_KV", "SELECT key BETWEEN value AND x AS a FROM _cf_KV, t", "SELECT key IN (value, 1) AS a FROM _cf_KV",
    "SELECT key NOT IN (1, value) AS a FROM _cf_KV", "SELECT key IN (x, value) AS a FROM _cf_KV, t", "SELECT key IN (value + 1) AS a FROM _cf_KV", "SELECT CASE key WHEN value THEN 1 END AS a FROM _cf_KV",
    "SELECT CASE WHEN key THEN value END AS a FROM _cf_KV", "SELECT CASE WHEN key = 1 THEN value END AS a FROM _cf_KV", "SELECT CASE key WHEN 1 THEN value ELSE value END AS a FROM _cf_KV",
  ]),
];

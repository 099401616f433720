// Where SQLite places a name it cannot resolve (the `at offset <n>` part of the error), found by
// differential fuzzing (spec/conformance/fuzz-sql.mjs): the mention met first in resolution
// order (WHERE before the joins' ON clauses, an IN's subquery before its left operand), in the
// statement that failed; none for a column in an ON clause, an UPDATE's SET value before its
// target, never the INSERT's column list nor a mention a subquery's own tables resolve; an
// index's column (its ON is no join's), one written as a string too; `trigger ... already
// exists` at the name; a parameter in schema text at the parameter; a refused call (log10)
// before an unknown column SQLite meets later, unless the walk goes on from the call to that
// column. SQLite reports the last error its resolver met: it goes on past an unknown column
// inside a call (to the call's FILTER, window and next sibling: `abs(c) + c` fails on the second
// `c`, LIKE's pattern before its subject), and names none inside a trigger's body; of misused
// aggregates (a correlated one too) the last met. All sqlite.
import { sqlStatements } from "../scenario.mjs";

const statements = sqlStatements("sql error places");
const SETUP = "CREATE TABLE t (a, b); CREATE TABLE u (a, b); INSERT INTO t VALUES (1, 2); CREATE TABLE k (a PRIMARY KEY, b); INSERT INTO k VALUES (1, 2)";

export default [
  statements("join constraints", SETUP, [
    "SELECT t.a FROM t JOIN u ON t.c = u.a", "SELECT t.a FROM t JOIN u ON c = 1", "SELECT t.a FROM t LEFT JOIN u ON u.a = 1 + c", "SELECT t.a FROM t RIGHT JOIN u ON (c)",
    "SELECT t.a FROM t JOIN u ON c = 1 WHERE c", "SELECT c FROM t JOIN u ON c = 1", "SELECT u.a FROM t LEFT JOIN u ON (u.a IN (SELECT c FROM t))",
    "SELECT u.a FROM t JOIN u ON u.a = t.a GROUP BY c ORDER BY c", "SELECT t.a FROM t JOIN u ON t.a = u.a AND u.a = t.a",
    "INSERT INTO k VALUES (1, 2) ON CONFLICT (c) DO NOTHING",
  ]),
  statements("update assignments", SETUP, [
    "UPDATE t SET c = c + 1", "UPDATE t SET c = 1", "UPDATE t SET b = 1, c = c + 1", "UPDATE t SET c = 1, b = c", "UPDATE t SET b = c, c = 1",
    "UPDATE t SET c = b WHERE c", "UPDATE t SET a = 1 WHERE c", "UPDATE t SET c = (SELECT c FROM u)", "UPDATE t SET (c, b) = (c, 1)", "UPDATE t SET (b, c) = (1, 2)",
    "UPDATE t SET c = 1 FROM u WHERE c", "UPDATE t SET c = u.a FROM u", "UPDATE t SET b = c FROM u",
    "INSERT INTO k VALUES (1, 2) ON CONFLICT (a) DO UPDATE SET b = c", "INSERT INTO k VALUES (1, 2) ON CONFLICT (a) DO UPDATE SET c = 1",
    "INSERT INTO k VALUES (1, 2) ON CONFLICT (a) DO UPDATE SET c = c + 1",
  ]),
  statements("subqueries", "CREATE TABLE t (a, b); INSERT INTO t VALUES (1, 2); CREATE TABLE u (c, d)", [
    "SELECT (SELECT group_concat(c) FROM u) AS x, CAST(c AS BLOB) FROM t",
    "SELECT * FROM t WHERE c IN (SELECT c FROM u)",
    "SELECT * FROM t WHERE a IN (SELECT c FROM u) OR EXISTS (SELECT 1 FROM t WHERE c) ORDER BY 1",
    "SELECT printf('%q', (SELECT max(c) FROM u)) AS x, c AS y FROM t ORDER BY c",
    "SELECT * FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.c = t.c)",
    "SELECT * FROM t WHERE EXISTS (SELECT 1 FROM u WHERE e = 1)",
    "SELECT (SELECT e FROM u), e FROM t",
    "SELECT ifnull((SELECT group_concat(c) FROM u), c) FROM t",
    "SELECT * FROM (SELECT c FROM u) WHERE a",
    "SELECT * FROM t WHERE c IN (SELECT c FROM t) ORDER BY 1", "SELECT * FROM t WHERE c NOT IN (SELECT c FROM t)", "SELECT * FROM t WHERE c IN (SELECT c FROM u)", "SELECT * FROM t WHERE c IN (SELECT e FROM u WHERE c)", "SELECT * FROM t WHERE c IN (c, 1)", "SELECT c IN (SELECT c FROM t) FROM t", "SELECT * FROM t WHERE (c) IN (SELECT c FROM t)", "SELECT * FROM t WHERE c + 1 IN (SELECT c FROM t)",
  ]),
  statements("several statements", SETUP, [
    "SELECT * FROM t WHERE c IN (SELECT a FROM u) ORDER BY 1; UPDATE t SET b = c", "SELECT c FROM t; UPDATE t SET c = 1", "SELECT 1; SELECT c FROM t; SELECT c",
    "SELECT a FROM t WHERE c; SELECT c FROM t JOIN u ON c", "UPDATE t SET b = 1 WHERE c; UPDATE t SET c = c",
  ]),
  statements("insert column lists", `${SETUP}; CREATE TABLE w (x); CREATE TRIGGER g AFTER INSERT ON u BEGIN SELECT b FROM w; END`, [
    "INSERT INTO u (a, b) VALUES (1, 2)", "INSERT INTO t (a, b) SELECT 1, b FROM w", "INSERT INTO t AS y (b, a) SELECT b, 1 FROM w", "INSERT INTO main.t (b, a) SELECT x, a FROM w",
    "INSERT INTO t (a, c) VALUES (1, 2)", "REPLACE INTO t (a, b) SELECT 1, b FROM w", "INSERT INTO t (a, b) SELECT a, c FROM u",
  ]),
  statements("existing triggers", `${SETUP}; CREATE TRIGGER g AFTER INSERT ON t BEGIN SELECT 1; END`, [
    "CREATE TRIGGER g AFTER INSERT ON t BEGIN SELECT 1; END", "CREATE TRIGGER main.g AFTER INSERT ON t BEGIN SELECT 1; END", "CREATE TRIGGER \"g\" BEFORE DELETE ON u BEGIN SELECT 1; END",
    "CREATE TRIGGER IF NOT EXISTS g AFTER INSERT ON t BEGIN SELECT 1; END", "CREATE TABLE g (x)",
  ]),
  statements("schema text", SETUP, [
    "CREATE INDEX i1 ON t (c DESC)", "CREATE INDEX i2 ON t (a + c)", "CREATE INDEX i3 ON t (a, c) WHERE d", "CREATE INDEX main.i4 ON t (c)",
    "CREATE INDEX i7 ON t (a, '1e3')", "CREATE INDEX i8 ON t (a, '')", "CREATE INDEX i9 ON t ('x' DESC)", "CREATE INDEX i10 ON t (\"y\")", "CREATE INDEX i11 ON t ('a', 'z')",
    "CREATE INDEX i5 ON t (a, ?)", "CREATE INDEX i6 ON t (a) WHERE a = ?", "CREATE TABLE g (a, b AS (a + ?))", "CREATE TABLE g2 (a CHECK (a > :x))",
  ]),
  statements("refused calls and unknown columns", SETUP, [
    "SELECT :p AS x, log10((SELECT max(rowid) FROM w)) AS y FROM t ORDER BY rowid", "SELECT log10(c) FROM t", "SELECT log10(1), c FROM t", "SELECT log10(1) AS x, c FROM t",
    "SELECT c, log10(1) FROM t", "SELECT c + log10(1) FROM t", "SELECT log10(1) + c FROM t", "SELECT log10(1) + 1 + c FROM t", "SELECT coalesce(log10(1), c) FROM t",
    "SELECT a FROM t WHERE log10(1) GROUP BY c", "SELECT a FROM t WHERE c ORDER BY log10(1)", "SELECT a FROM t WHERE log10(1) AND c", "SELECT a FROM t WHERE a IN (log10(1), c)",
    "SELECT ifnull(1, printf('%s', log10(2))) AS x, (CASE WHEN NULL THEN c END)", "SELECT sqlite_version(), c FROM t", "SELECT c FROM t WHERE sqlite_version()",
  ]),
  statements("the resolver going on after a call", SETUP, [
    "SELECT count(c) FILTER (WHERE c) FROM t", "SELECT sum(c) OVER (PARTITION BY c ORDER BY c) FROM t", "SELECT sum(a) OVER (PARTITION BY c, c ORDER BY a) FROM t",
    "SELECT count(*) FILTER (WHERE c) OVER (PARTITION BY c) FROM t", "SELECT abs(c) + c FROM t", "SELECT abs(c) + (c * 2) FROM t", "SELECT abs(c) + abs(c) FROM t",
    "SELECT coalesce(c, c) FROM t", "SELECT (c LIKE c) FROM t", "SELECT (c -> '$') + c FROM t", "SELECT c ISNULL AND c FROM t", "SELECT CASE WHEN abs(c) THEN c END FROM t",
    "SELECT a FROM t WHERE abs(c) AND c", "SELECT abs((SELECT c FROM u)) + c FROM t", "SELECT a FROM t ORDER BY abs(c), c", "SELECT a FROM t GROUP BY c IS c",
  ]),
  statements("trigger bodies", `${SETUP}; CREATE TABLE w (a, b); CREATE TRIGGER g BEFORE UPDATE ON w BEGIN SELECT RAISE(ABORT, 'n') WHERE b; END;
    CREATE TRIGGER h AFTER INSERT ON w BEGIN INSERT INTO u (a) VALUES (c); END; CREATE TRIGGER k AFTER DELETE ON w BEGIN UPDATE u SET a = nope(1); END`, [
    "UPDATE w SET a = 1 WHERE b", "INSERT INTO w VALUES (1, 2)", "INSERT INTO w VALUES (1, 2) RETURNING b", "DELETE FROM w WHERE b",
  ]),
  statements("misused aggregates", "CREATE TABLE t (a, b); INSERT INTO t VALUES (1, 2); CREATE TABLE r (a PRIMARY KEY) WITHOUT ROWID", [
    "UPDATE t SET a = (SELECT max(rowid) FROM r) WHERE (SELECT max(rowid) FROM r)", "UPDATE t SET a = (SELECT max(rowid) FROM r)",
    "UPDATE t SET a = 1 WHERE (SELECT max(rowid) FROM r) RETURNING (SELECT max(rowid) FROM r)", "SELECT (SELECT max(rowid) FROM r) FROM t WHERE (SELECT max(rowid) FROM r)",
    "SELECT a FROM t WHERE max(a) AND max(b)", "SELECT max(max(a)), max(max(b)) FROM t", "UPDATE t SET a = max(a), b = max(b)",
  ]),
];

// Where SQLite places a name it cannot resolve (the `at offset <n>` part of the error), found by
// differential fuzzing (spec/conformance/fuzz-sql.mjs): the mention met first in resolution
// order (WHERE before the joins' ON clauses), none for a column in an ON clause, an UPDATE's
// SET expression before its target, never the INSERT's column list; `trigger ... already exists`
// at the trigger's name. All sqlite.
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
  statements("insert column lists", `${SETUP}; CREATE TABLE w (x); CREATE TRIGGER g AFTER INSERT ON u BEGIN SELECT b FROM w; END`, [
    "INSERT INTO u (a, b) VALUES (1, 2)", "INSERT INTO t (a, b) SELECT 1, b FROM w", "INSERT INTO t AS y (b, a) SELECT b, 1 FROM w", "INSERT INTO main.t (b, a) SELECT x, a FROM w",
    "INSERT INTO t (a, c) VALUES (1, 2)", "REPLACE INTO t (a, b) SELECT 1, b FROM w", "INSERT INTO t (a, b) SELECT a, c FROM u",
  ]),
  statements("existing triggers", `${SETUP}; CREATE TRIGGER g AFTER INSERT ON t BEGIN SELECT 1; END`, [
    "CREATE TRIGGER g AFTER INSERT ON t BEGIN SELECT 1; END", "CREATE TRIGGER main.g AFTER INSERT ON t BEGIN SELECT 1; END", "CREATE TRIGGER \"g\" BEFORE DELETE ON u BEGIN SELECT 1; END",
    "CREATE TRIGGER IF NOT EXISTS g AFTER INSERT ON t BEGIN SELECT 1; END", "CREATE TABLE g (x)",
  ]),
];

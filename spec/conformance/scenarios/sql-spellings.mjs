// How SQLite reads what a statement spells, where durasim's view of the text must agree with
// it: names written as string literals (SQLite's grammar takes 'x' wherever it takes a table,
// index or PRAGMA name), byte-order marks (white space to SQLite's tokenizer, kept in values),
// and functions workerd compiles but refuses, or SQLite calls for an operator. Each statement
// runs on its own, in order, against one object whose KV table exists.
import { inside, sqlStatements } from "../scenario.mjs";

const statements = sqlStatements("sql spellings", {
  prelude: `    await s.put("k", 1); // creates _cf_KV\n`,
  map: "(rows) => rows.map((r) => show(r))",
});

export default [
  statements("names written as string literals", "CREATE TABLE t (x)", [
    "SELECT * FROM '_cf_KV'", "SELECT count(*) AS n FROM '_cf_KV'", "INSERT INTO '_cf_KV' VALUES ('a', x'00')", "UPDATE '_cf_KV' SET value = x''", "DELETE FROM '_cf_KV'",
    "CREATE TABLE '_cf_x' (y)", "CREATE INDEX i ON '_cf_KV' (key)", "CREATE INDEX '_cf_i' ON t (x)", "CREATE VIEW '_cf_v' AS SELECT 1",
    "CREATE TRIGGER '_cf_tr' AFTER INSERT ON t BEGIN SELECT 1; END", "DROP TABLE '_cf_KV'", "ALTER TABLE '_cf_KV' RENAME TO x", "ALTER TABLE t RENAME TO '_cf_y'",
    "CREATE TABLE 'temp'.'x' (y)", "CREATE TABLE temp.'x' (y)", "CREATE TABLE 'ok' (y)", "SELECT * FROM 'ok'", "PRAGMA 'foreign_keys'", "PRAGMA 'foreign_keys' = 'yes'",
    "PRAGMA 'table_info'(t)", "PRAGMA 'table_info'('_cf_KV')", "PRAGMA main.'foreign_keys'", "PRAGMA 'main'.foreign_keys", "PRAGMA 'temp'.table_info(t)",
    "PRAGMA 'page_size' = 1024", "PRAGMA 'nope'", "SELECT name FROM sqlite_master ORDER BY name",
  ]),
  statements("DROP IF EXISTS, REINDEX and ANALYZE of protected names", "CREATE TABLE t (x)", [
    "DROP TABLE IF EXISTS _cf_nope", "DROP TABLE IF EXISTS \"_cf_nope\"", "DROP TABLE IF EXISTS '_cf_nope'", "DROP INDEX IF EXISTS _cf_nope", "DROP VIEW IF EXISTS _cf_nope",
    "DROP TRIGGER IF EXISTS _cf_nope", "DROP TABLE IF EXISTS _cf_KV", "DROP VIEW IF EXISTS _cf_KV", "DROP INDEX IF EXISTS _cf_KV", "DROP TABLE IF EXISTS main._CF_kv", "DROP TABLE _cf_nope", "DROP TABLE IF EXISTS temp.t",
    "REINDEX _cf_KV", "REINDEX \"_cf_KV\"", "REINDEX '_cf_KV'", "REINDEX _cf_nope", "REINDEX temp._cf_KV", "ANALYZE _cf_KV", "ANALYZE main._cf_KV", "ANALYZE '_cf_KV'",
    "ANALYZE _cf_nope", "ANALYZE main", "ANALYZE temp", "ALTER TABLE _cf_nope RENAME TO x", "SELECT name FROM sqlite_master ORDER BY name",
  ]),
  statements("byte-order marks in statements and values", "CREATE TABLE t (v TEXT)", [
    "\uFEFFSELECT 1 AS a", "\uFEFF\uFEFFSELECT 1 AS a", "SELECT\uFEFF1 AS a", "  \uFEFFSELECT 1 AS a", "SELECT 1 AS a; \uFEFFSELECT 2 AS b", "SELECT 1 AS a;\uFEFF",
    "\uFEFF", "\uFEFFSELEC 1", "SELECT 1 AS \uFEFFa", "SELECT 1 AS \"\uFEFFa\", 2 AS '\uFEFF'", "SELECT '\uFEFF' AS v", "SELECT '\uFEFF\uFEFFx' AS v, length('\uFEFF\uFEFFx') AS l, hex('\uFEFFx') AS h",
    "SELECT 'a\uFEFF' AS v", "INSERT INTO t VALUES ('\uFEFFstored') RETURNING v", "SELECT v, length(v) AS l FROM t", "SELECT CAST(x'efbbbf41' AS TEXT) AS v",
    "SELECT json_quote('\uFEFF') AS v", "SELECT group_concat(v) AS v FROM t",
  ]),
  inside("sql spellings: byte-order marks in bound values, raw rows and keys", "sqlite", `    const sql = s.sql;
    sql.exec("CREATE TABLE t (k TEXT PRIMARY KEY, v)");
    sql.exec("INSERT INTO t VALUES (?, ?)", "\\uFEFFkey", "\\uFEFF");
    await s.put("\\uFEFFkv", "\\uFEFFvalue");
    return { bound: sql.exec("SELECT ?1 AS v, length(?1) AS l", "\\uFEFFy").one(), raw: sql.exec("SELECT k, v FROM t").raw().next().value,
      lookup: sql.exec("SELECT count(*) AS n FROM t WHERE k = ?", "\\uFEFFkey").one().n, kvKeys: [...(await s.list()).keys()], kvValue: await s.get("\\uFEFFkv") };`),
  inside("sql spellings: byte-order marks in schema names (views, triggers, primary keys)", "sqlite", `    const sql = s.sql;
    const q = (text) => outcomeSync(() => sql.exec(text).toArray());
    await s.put("k", "v");
    // "\\uFEFFv" and "v" are two names to SQLite: each object keeps its own access checks and kind.
    const view = [q('CREATE VIEW "\\uFEFFv" AS SELECT * FROM _cf_KV'), q('SELECT key FROM "\\uFEFFv"')];
    const tableBesideView = [q("CREATE TABLE v (x)"), q("INSERT INTO v VALUES (1)"), q("SELECT * FROM v")];
    const viewBesideView = [q("CREATE TABLE t (x)"), q("INSERT INTO t VALUES (2)"), q("CREATE VIEW w AS SELECT * FROM _cf_KV"),
      q('CREATE VIEW "\\uFEFFw" AS SELECT x FROM t'), q('SELECT * FROM "\\uFEFFw"'), q("SELECT key FROM w")];
    const trigger = [q('CREATE TABLE "\\uFEFFu" (x)'), q("CREATE TABLE log (k)"),
      q('CREATE TRIGGER tr AFTER INSERT ON "\\uFEFFu" BEGIN INSERT INTO log SELECT key FROM _cf_KV; END'), q('INSERT INTO "\\uFEFFu" VALUES (1)'), q("SELECT * FROM log"),
      q('CREATE TRIGGER tw AFTER INSERT ON "\\uFEFFu" BEGIN INSERT INTO _cf_KV VALUES (\\'evil\\', new.x); END'), q('INSERT INTO "\\uFEFFu" VALUES (2)')];
    const primaryKey = [q('CREATE TABLE p ("\\uFEFFk" PRIMARY KEY, k UNIQUE)'), q("INSERT INTO p VALUES (1, 1)"), q("INSERT INTO p VALUES (1, 2)"), q("INSERT INTO p VALUES (2, 1)")];
    return { view, tableBesideView, viewBesideView, trigger, primaryKey, keys: await s.list().then((m) => [...m.keys()], (e) => String(e)) };`),
  inside("sql spellings: schema names that differ only outside ASCII (SQLite folds ASCII letters only)", "sqlite", `    const sql = s.sql;
    const q = (text) => outcomeSync(() => sql.exec(text).toArray());
    await s.put("secret", "v");
    // The Kelvin sign lowercases to "k" in JavaScript, but "\u212Av" and "kv" are two views to SQLite.
    const kelvinLast = [q("CREATE TABLE t (a)"), q('CREATE VIEW kv AS SELECT a FROM t'), q('CREATE VIEW "\u212Av" AS SELECT key FROM _cf_KV'),
      q('SELECT * FROM "\u212Av"'), q("SELECT * FROM kv")];
    const kelvinFirst = [q('CREATE VIEW "\u212Aw" AS SELECT key FROM _cf_KV'), q('CREATE VIEW kw AS SELECT a FROM t'),
      q('SELECT * FROM "\u212Aw"'), q("SELECT * FROM kw")];
    const trigger = [q('CREATE TABLE "\u212Ax" (a)'), q("CREATE TABLE kx (a)"), q("CREATE TABLE log (k)"),
      q('CREATE TRIGGER tr AFTER INSERT ON "\u212Ax" BEGIN INSERT INTO log SELECT key FROM _cf_KV; END'),
      q("INSERT INTO kx VALUES (1)"), q('INSERT INTO "\u212Ax" VALUES (1)'), q("SELECT * FROM log")];
    return { kelvinLast, kelvinFirst, trigger };`),
  statements("functions workerd refuses that sql.js lacks, and operators SQLite runs as functions", "", [
    "SELECT fts5_source_id() AS v", "SELECT FTS5_Source_Id() AS v", "SELECT fts5(1) AS v", "SELECT rtreenode(1, x'') AS v", "SELECT rtreedepth(x'') AS v",
    "SELECT fts5_locale('a', 'b') AS v", "SELECT fts5_insttoken('a') AS v", "SELECT fts5_get_locale('a', 1) AS v", "SELECT fts5_source_id(1, 2) AS v",
    "SELECT fts5(1, 2) AS v", "SELECT rtreenode(1) AS v", "SELECT rtreedepth() AS v", "SELECT fts5_source_id(*) AS v", "SELECT count(fts5_source_id())",
    "SELECT x FROM (SELECT 1 AS x) WHERE x = fts5_source_id()", "SELECT geopoly_json(x'') AS v",
    "SELECT 'a' REGEXP 'a' AS v", "SELECT 1, 'a' regexp 'a' AS v", "SELECT 1 WHERE 'a' NOT REGEXP 'b'", "SELECT nope, 'a' REGEXP 'a'", "SELECT regexp('a', 'a') AS v",
    "SELECT 'a' MATCH 'a' AS v",
  ]),
  // The Kelvin sign folds to "k", the long s to "S" and the dotless i to "I" in JavaScript, not
  // in SQLite: a pragma so spelt is one SQLite does not know (refused), and a keyword so spelt a name.
  statements("letters outside ASCII that JavaScript folds to ASCII ones", "CREATE TABLE t (a, b REFERENCES t(a))", [
    "PRAGMA quic\u212A_check", "PRAGMA QUIC\u212A_CHECK(t)", "PRAGMA foreign_\u212Aey_list(t)", "PRAGMA foreign_\u212Aey_check", "PRAGMA quick_check",
    "SELECT * FROM pragma_foreign_\u212Aey_list('t')", "PRAGMA table_info(t)", "PRAGMA main.quic\u212A_check",
    "\u017Felect 1", "SELECT 1 L\u0131MIT 1", "SELECT * FROM _cf_\u212AV", "SELECT * FROM _cf_kv", "CREATE TABLE _cf_\u212Ax (a)",
    "CREATE TEMP TABLE x (a)", "CREATE TEMPORARY TABLE x (a)", "CREATE TEMPORAR\u0131 TABLE x (a)",
  ]),
];

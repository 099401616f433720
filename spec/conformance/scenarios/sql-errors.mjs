// SQLite error texts as workerd reports them: prepare-time errors carry " at offset N" (a UTF-8
// byte offset into the statement), step-time errors do not, and every message ends with the
// result code name. One scenario per class of error; each statement runs on its own against
// the same schema.
import { inside } from "../scenario.mjs";

const SCHEMA = `CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b INTEGER NOT NULL DEFAULT 0, c TEXT UNIQUE, CHECK (b >= 0));
CREATE TABLE u (id INTEGER PRIMARY KEY, a TEXT, tid INTEGER REFERENCES t(id));
CREATE INDEX t_a ON t(a);
CREATE VIEW v AS SELECT id, a FROM t;
CREATE TABLE s (i INTEGER, r REAL, x TEXT) STRICT;
INSERT INTO t VALUES (1, 'x', 1, 'c1'), (2, 'y', 2, 'c2');`;

/** Each statement of `list` on its own; the record maps statement -> rows | error. `kvFirst`
 * writes one KV pair first, so that _cf_KV exists. */
const statements = (name, list, { setup = SCHEMA, kvFirst = false, ...rest } = {}) =>
  inside(`sql errors: ${name}`, "sqlite", `    const sql = s.sql;
    ${kvFirst ? `await s.put("k", 1); // creates _cf_KV` : ""}
    sql.exec(${JSON.stringify(setup)});
    const out = {};
    for (const text of ${JSON.stringify(list)}) out[text] = outcomeSync(() => sql.exec(text).toArray());
    return out;`, rest);

export default [
  statements("syntax", [
    "SELEC 1", "SELECT", "SELECT 1 FROM", "SELECT * FROM t WHERE", "SELECT (1", "SELECT 1)", "SELECT 'abc", "SELECT #1", "SELECT 1,",
    "SELECT * FROM t ORDER", "INSERT INTO t VALUES", "CREATE TABLE", "SELECT x'GG'", "SELECT 1e", "SELECT ?1000000", "SELECT 1 FROM t t2 t3",
    "  \n\t SELEC 1", "SELECT 1 -- comment\nFROM", "SELECT 'é', 'ü' FROM WHERE", "SELECT '😀' FROM WHERE", "SELECT \"unterminated", "SELECT [x",
    "UPDATE t SET", "DELETE t", "SELECT 1 UNION", "WITH x AS SELECT 1", "SELECT * FROM t LIMIT", "SELECT CASE WHEN 1 THEN 2", "SELECT 1 AS",
  ]),
  statements("unknown names", [
    "SELECT * FROM nope", "INSERT INTO nope VALUES (1)", "UPDATE nope SET a = 1", "DELETE FROM nope", "DROP TABLE nope", "CREATE INDEX i ON nope (a)",
    "SELECT nope FROM t", "SELECT * FROM t WHERE nope = 1", "SELECT * FROM t ORDER BY nope", "UPDATE t SET nope = 1", "INSERT INTO t (nope) VALUES (1)",
    "SELECT t2.id FROM t", "SELECT id FROM t, u", "SELECT a FROM t JOIN u ON t.id = u.tid", "DROP INDEX nope", "DROP VIEW nope", "DROP TRIGGER nope",
    "SELECT nosuchfn(1)", "SELECT a FROM t ORDER BY a COLLATE nope", "SELECT * FROM nope.t", "SELECT * FROM main.nope", "SELECT 1 FROM t WHERE a MATCH 'x'",
    "CREATE TABLE w (x) ; SELECT y FROM w", "SELECT * FROM t NATURAL JOIN nope", "SELECT * FROM t JOIN u USING (nope)", "ALTER TABLE nope ADD COLUMN z",
    "ALTER TABLE t RENAME COLUMN nope TO z", "ALTER TABLE t DROP COLUMN nope", "SELECT \"nope\" FROM t",
  ]),
  statements("counts and arity", [
    "INSERT INTO t VALUES (1, 2)", "INSERT INTO t (a, b) VALUES (1, 2, 3)", "INSERT INTO t (a) VALUES (1), (2, 3)", "SELECT substr()", "SELECT substr('a', 1, 2, 3)",
    "SELECT count(1, 2)", "SELECT count(DISTINCT a, b) FROM t", "SELECT 1 UNION SELECT 1, 2", "SELECT (SELECT 1, 2)", "SELECT * FROM t WHERE (1, 2) = 1",
    "SELECT 1 ORDER BY 2", "SELECT a FROM t ORDER BY 0", "SELECT a FROM t GROUP BY 3", "SELECT 1 UNION SELECT 2 ORDER BY nope", "SELECT (1, 2)",
    "SELECT max()", "SELECT json_object('a')", "SELECT iif(1)", "SELECT coalesce(1)", "INSERT INTO t SELECT 1, 2",
  ]),
  statements("aggregates, windows and clause order", [
    "SELECT * FROM t WHERE count(*) > 1", "SELECT a FROM t GROUP BY sum(b)", "SELECT sum(sum(b)) FROM t", "UPDATE t SET b = max(b)",
    "SELECT a FROM t HAVING b > 1", "SELECT row_number() FROM t", "SELECT row_number() OVER w FROM t", "SELECT lower(a) FILTER (WHERE b > 1) FROM t",
    "SELECT a FROM t ORDER BY a UNION SELECT a FROM t", "SELECT a FROM t LIMIT 1 UNION SELECT a FROM t", "SELECT a FROM t WHERE row_number() OVER () > 1",
    "SELECT * FROM t GROUP BY a ORDER BY count(*) OVER (ORDER BY nope)", "SELECT count(*) FROM t GROUP BY 1", "SELECT sum(a) OVER (ROWS 1 PRECEDING) FROM t",
    "SELECT group_concat(a ORDER BY b) FROM t", "SELECT ntile(0) OVER () FROM t", "SELECT nth_value(a, 0) OVER () FROM t",
  ]),
  statements("schema statements", [
    "CREATE TABLE t (x)", "CREATE INDEX t_a ON t (b)", "CREATE VIEW v AS SELECT 1", "CREATE TABLE d (x, x)", "CREATE TABLE w (x) WITHOUT ROWID",
    "CREATE TABLE ai (x TEXT PRIMARY KEY AUTOINCREMENT)", "CREATE TABLE pk (x PRIMARY KEY, y PRIMARY KEY)", "CREATE TABLE dv (x DEFAULT (random()), y DEFAULT (a))",
    "INSERT INTO v VALUES (1, 'a')", "CREATE INDEX vi ON v (a)", "CREATE TABLE sqlite_x (y)", "CREATE INDEX t ON u (a)", "ALTER TABLE t ADD COLUMN z NOT NULL",
    "ALTER TABLE t ADD COLUMN z UNIQUE", "ALTER TABLE t ADD COLUMN z PRIMARY KEY", "ALTER TABLE t DROP COLUMN id", "ALTER TABLE t DROP COLUMN c",
    "CREATE TABLE st (x BOGUS) STRICT", "CREATE TABLE g (x, y AS (x + 1)); UPDATE g SET y = 1", "CREATE TRIGGER tr AFTER INSERT ON nope BEGIN SELECT 1; END",
    "CREATE TABLE e ()", "DROP TABLE sqlite_master", "CREATE TABLE ck (x CHECK (x > (SELECT 1)))", "CREATE VIEW vv (a, b) AS SELECT 1",
    "ALTER TABLE t RENAME TO u", "CREATE TABLE fk (x REFERENCES t (nope)); INSERT INTO fk VALUES (1)", "CREATE UNIQUE INDEX ub ON t (b)",
  ]),
  statements("constraints and runtime errors", [
    "INSERT INTO t (id, a, b, c) VALUES (3, 'z', 1, 'c1')", "INSERT INTO t (id, a, b) VALUES (1, 'z', 1)", "INSERT INTO t (a, b) VALUES ('z', NULL)",
    "INSERT INTO t (a, b) VALUES ('z', -1)", "INSERT INTO u (tid) VALUES (99)", "DELETE FROM t WHERE id = 1; INSERT INTO u (tid) VALUES (2); DELETE FROM t",
    "INSERT INTO t (id) VALUES ('abc')", "INSERT INTO s (i) VALUES ('abc')", "INSERT INTO s (r) VALUES (x'00')", "UPDATE t SET c = 'c2' WHERE id = 1",
    "SELECT abs(-9223372036854775808)", "SELECT json('{')", "SELECT json_extract('{}', 'x')", "SELECT json_object('a', x'00')", "SELECT sum(9223372036854775807) FROM t",
    "CREATE TABLE r (x); CREATE TRIGGER rt BEFORE INSERT ON r BEGIN SELECT RAISE(ABORT, 'custom abort'); END; INSERT INTO r VALUES (1)",
    "SELECT RAISE(IGNORE)", "SELECT zeroblob(2000000000)", "SELECT CAST(x'ff' AS TEXT) > 'a'",
    "SELECT 1/0, 1%0, typeof(1/0)", "SELECT load_extension('x')", "SELECT char(1114112)", "SELECT json_array_length('[1', '$')",
  ]),
  statements("offsets across statements and encodings", [
    "SELECT 1; SELECT * FROM nope", "SELECT 1;\nSELECT 2;\nSELEC 3", "CREATE TABLE m (x); INSERT INTO m VALUES (1); SELEC", "SELECT * FROM m",
    "SELECT 'ééé' AS a; SELECT * FROM nope", "SELECT '😀😀' AS a, nope", "/* 😀 */ SELECT nope", "SELECT 1 WHERE 'a' = 'b' AND nope",
    "   SELECT * FROM nope   ", "SELECT\n\n\n*\nFROM\nnope", "SELECT ?; SELECT * FROM nope", "SELECT a FROM t WHERE a = ? AND nope = 1",
  ]),
  statements("authorizer denials and where they point", [
    "SELECT 1, sqlite_version()", "SELECT a, b, sqlite_source_id() FROM t", "SELECT * FROM t WHERE a = sqlite_compileoption_used('x')",
    "SELECT * FROM t, _cf_KV", "SELECT t.a FROM t JOIN _cf_KV ON 1", "INSERT INTO _cf_KV VALUES ('k', x'00')", "SELECT * FROM sqlite_master WHERE 0",
    "SELECT name FROM sqlite_schema WHERE 0", "SELECT * FROM sqlite_temp_master", "UPDATE sqlite_master SET sql = ''", "SELECT * FROM pragma_table_info('t')",
    "SELECT * FROM pragma_user_version", "ATTACH ':memory:' AS x", "DETACH x", "SELECT load_extension('a', 'b')", "CREATE TABLE _cf_x (y)",
    "SELECT * FROM t WHERE a IN (SELECT key FROM _cf_KV)", "CREATE VIEW kv AS SELECT * FROM _cf_KV", "CREATE TRIGGER tt AFTER INSERT ON t BEGIN DELETE FROM _cf_KV; END",
    "SELECT sqlite_offset(a) FROM t", "SELECT unknown_fn(1), sqlite_version()", "BEGIN IMMEDIATE", "SAVEPOINT x",
  ], { kvFirst: true }),
  // A write whose triggers SQLite refuses fails with the first refusal in the order SQLite codes
  // them: BEFORE triggers, then AFTER ones, each newest first (a recreated trigger is newest).
  inside("sql errors: which of several refused triggers a write reports", "sqlite", `    const sql = s.sql;
    await s.put("k", 1);
    const READS = "INSERT INTO log SELECT key FROM _cf_KV", WRITES = "INSERT INTO _cf_KV VALUES ('evil', x'00')";
    sql.exec("CREATE TABLE log (k)");
    const insert = (table, triggers) => {
      sql.exec(\`CREATE TABLE \${table} (x)\`);
      triggers.forEach(([name, when, body]) => sql.exec(\`CREATE TRIGGER \${name} \${when} INSERT ON \${table} BEGIN \${body}; END\`));
      return outcomeSync(() => sql.exec(\`INSERT INTO \${table} VALUES (1)\`).toArray());
    };
    const recreated = () => { sql.exec("DROP TRIGGER d1"); sql.exec(\`CREATE TRIGGER d1 AFTER INSERT ON d BEGIN \${READS}; END\`); return outcomeSync(() => sql.exec("INSERT INTO d VALUES (1)").toArray()); };
    return {
      readsThenWrites: insert("a", [["a1", "AFTER", READS], ["a2", "AFTER", WRITES]]),
      writesThenReads: insert("b", [["b1", "AFTER", WRITES], ["b2", "AFTER", READS]]),
      olderBefore: insert("c", [["c1", "BEFORE", READS], ["c2", "AFTER", WRITES]]),
      unsaidIsBefore: insert("e", [["e1", "AFTER", WRITES], ["e2", "", READS], ["e3", "AFTER", WRITES]]),
      beforeDropped: insert("d", [["d1", "AFTER", READS], ["d2", "AFTER", WRITES]]),
      recreated: recreated(),
    };`),
  // The schema reads query builders make: Kysely's introspection (a CTE over sqlite_master joined
  // to pragma_table_info with a column as its argument), and the other table-valued pragmas.
  statements("schema introspection as query builders write it", [
    "SELECT * FROM pragma_foreign_key_list('u')", "SELECT * FROM pragma_index_info('t_a')", "SELECT name, type FROM pragma_table_list WHERE schema = 'main' ORDER BY name",
    "SELECT * FROM pragma_table_xinfo('t')", "PRAGMA foreign_key_check", "SELECT * FROM pragma_foreign_key_check('u')",
    "SELECT * FROM pragma_table_info('_cf_KV')", "PRAGMA table_info(_cf_KV)", "SELECT * FROM pragma_index_list('_cf_KV')", "PRAGMA index_list(_cf_KV)",
  ], { kvFirst: true }),
  statements("schema introspection with a pragma argument per row, once the KV table exists", [
    "WITH tl AS (SELECT name, sql, type FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name) " +
      "SELECT tl.name AS \"table\", p.cid, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk FROM tl, pragma_table_info(tl.name) AS p ORDER BY tl.name, p.cid",
    "SELECT m.name, i.name AS idx, i.\"unique\" FROM sqlite_master m JOIN pragma_index_list(m.name) i WHERE m.type = 'table' ORDER BY 1, 2",
  ], {
    kvFirst: true,
    differs:
      "durasim authorizes a table-valued PRAGMA's argument from the statement's text when it is prepared: a literal naming _cf_KV is refused as in workerd, but an argument computed per row (Kysely's introspection, pragma_table_info(tl.name) over sqlite_master) is not checked, where workerd's authorizer sees each value as the pragma runs and refuses the statement once a row names _cf_KV (not authorized: SQLITE_AUTH)",
  }),
  statements("schema introspection before the KV table exists", [
    "WITH tl AS (SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%') " +
      "SELECT tl.name AS \"table\", p.name FROM tl, pragma_table_info(tl.name) AS p ORDER BY tl.name, p.cid",
  ]),
  inside("sql errors: bound values and their errors", "sqlite", `    const sql = s.sql;
    sql.exec(${JSON.stringify(SCHEMA)});
    const q = (text, ...b) => outcomeSync(() => sql.exec(text, ...b).toArray());
    return { uniqueBound: q("INSERT INTO t (a, c) VALUES (?, ?)", "z", "c1"), notNullBound: q("INSERT INTO t (a, b) VALUES (?, ?)", "z", null),
      strictBound: q("INSERT INTO s (i) VALUES (?)", "abc"), strictRealBound: q("INSERT INTO s (i) VALUES (?)", 1.5), strictIntegerFromReal: q("INSERT INTO s (i) VALUES (?) RETURNING i, typeof(i) AS t", 2),
      jsonBound: q("SELECT json(?)", "{"), fkBound: q("INSERT INTO u (tid) VALUES (?)", 1234), tooFew: q("SELECT ?, ?", 1), tooMany: q("SELECT ?", 1, 2),
      numberedGap: q("SELECT ?3", 1, 2, 3), numberedGapShort: q("SELECT ?3", 1), namedColon: q("SELECT :a", 1), namedDollar: q("SELECT $a", 1), namedAt: q("SELECT @a", 1),
      mixed: q("SELECT ?, ?1", 1), zeroIndex: q("SELECT ?0", 1), afterError: q("SELECT count(*) AS n FROM t") };`),
  inside("sql errors: the error objects", "sqlite", `    const sql = s.sql;
    const shape = (f) => { try { f(); return "no error"; } catch (e) {
      return { name: e.name, ctor: e.constructor?.name, message: e.message, ownKeys: Object.getOwnPropertyNames(e).sort(), keys: Object.keys(e), tag: Object.prototype.toString.call(e), cause: show(e.cause) }; } };
    sql.exec("CREATE TABLE k (x UNIQUE); INSERT INTO k VALUES (1)");
    return { prepare: shape(() => sql.exec("SELEC")), step: shape(() => sql.exec("INSERT INTO k VALUES (1)")), auth: shape(() => sql.exec("SELECT sqlite_version()")),
      noStatement: shape(() => sql.exec("")), params: shape(() => sql.exec("SELECT ?")), one: shape(() => sql.exec("SELECT 1 WHERE 0").one()) };`),
  // SQLite names the IN's left operand (its leftmost leaf) for `x IN (SELECT ...)`, and no place
  // for `(SELECT ...)` or `EXISTS (...)`.
  statements("subqueries prohibited in a schema expression: where the error points", [
    "CREATE TABLE c1 (a CHECK (EXISTS (SELECT 1)))", "CREATE TABLE c2 (a CHECK ((SELECT 1)))", "CREATE TABLE c3 (a CHECK (a + 1 IN (SELECT 1)))", "CREATE TABLE c4 (a CHECK (abs(a) IN (SELECT 1)))",
    "CREATE TABLE c5 (a CHECK (1 IN (SELECT 1)))", "CREATE TABLE c6 (a CHECK (a > 0 AND a IN (SELECT 1)))", "CREATE TABLE c7 (a CHECK (NOT a IN (SELECT 1)))", "CREATE TABLE c8 (a CHECK (a NOT IN (SELECT 1)))",
    "CREATE TABLE c9 (a CHECK (-a IN (SELECT 1)))", "CREATE TABLE c10 (a CHECK ((a) IN (SELECT 1)))", "CREATE TABLE c11 (a CHECK (a = 1 IN (SELECT 1)))", "CREATE TABLE c12 (a CHECK (a IN (1, (SELECT 2))))",
    "CREATE TABLE c13 (a, CHECK (a IN (SELECT 1)))", "CREATE TABLE c14 (a, b AS (a IN (SELECT 1)))", "CREATE TABLE c15 (a, b AS ((SELECT 1)))", "CREATE TABLE c16 (a DEFAULT ((SELECT 1)))",
    "CREATE INDEX i1 ON u (a) WHERE a IN (SELECT 1)", "CREATE INDEX i2 ON u (a) WHERE EXISTS (SELECT 1)", "CREATE INDEX i3 ON u ((SELECT 1))", "CREATE INDEX i4 ON u (a IN (SELECT 1))",
    "CREATE INDEX i5 ON u (a) WHERE a = (SELECT 1)", "CREATE INDEX i6 ON u (a) WHERE 'a' || a IN (SELECT 1)", "CREATE TABLE c17 (a CHECK (a IN u))", "CREATE TABLE c18 (a CHECK (CAST(a AS INT) IN (SELECT 1)))",
    "CREATE TABLE c19 (a CHECK (a COLLATE nocase IN (SELECT 1)))", "CREATE TABLE c20 (a CHECK (x'00' IN (SELECT 1)))", "CREATE TABLE c21 (a CHECK (? IN (SELECT 1)))",
    "CREATE TABLE c22 (a CHECK (EXISTS (SELECT 1) OR a IN (SELECT 1)))", "CREATE TABLE c23 (a CHECK (a > 1), b CHECK (t.b IN (SELECT 1)))", "ALTER TABLE t ADD COLUMN z CHECK (z IN (SELECT 1))",
  ]),
];

// Checklist §10.20–22 and §3.7: SQL bindings, cursors, errors, the authorizer, storage.kv.
// All sqlite. `q(sql, ...b)` records a statement's rows or its error.
import { inside, cls, sqlStatements } from "../scenario.mjs";

const sqlScenario = (name, body) =>
  inside(`sql: ${name}`, "sqlite", `    const sql = s.sql;
    const q = (text, ...b) => outcomeSync(() => sql.exec(text, ...b).toArray());
${body}`);

const statements = sqlStatements("sql");

export default [
  sqlScenario("binding conversions", `
    const t = (v) => q("SELECT typeof(?) AS t, ? AS v", v, v)[0] ?? q("SELECT typeof(?) AS t, ? AS v", v, v);
    return { int: t(1), real: t(1.5), negZero: t(-0), string: t("s"), nullV: t(null), undef: t(undefined),
      boolTrue: t(true), boolFalse: t(false), object: t({ a: 1 }), array: t([1, 2]), buffer: t(new Uint8Array([1, 2]).buffer),
      typed: t(new Uint8Array([3])), dataView: t(new DataView(new ArrayBuffer(1))), bigint: q("SELECT ?", 1n),
      nan: t(NaN), infinity: t(Infinity), date: outcomeSync(() => typeof sql.exec("SELECT typeof(?) AS t", new Date(0)).one().t) };`),
  sqlScenario("integer columns and large integers", `
    sql.exec("CREATE TABLE t (i INTEGER, r REAL, x ANY, s TEXT) STRICT");
    sql.exec("INSERT INTO t VALUES (?, ?, ?, ?)", 1, 1, 1, 1);
    sql.exec("INSERT INTO t VALUES (9007199254740993, 2.5, 'x', 'y')");
    return { rows: q("SELECT i, typeof(i) AS ti, r, typeof(r) AS tr, x, typeof(x) AS tx, s FROM t"),
      big: q("SELECT 9007199254740993 AS b, -9223372036854775808 AS m"), strictMismatch: q("INSERT INTO t (i) VALUES ('abc')") };`),
  sqlScenario("cursor API", `
    sql.exec("CREATE TABLE t (a, b); INSERT INTO t VALUES (1, 'x'), (2, 'y')");
    const c = sql.exec("SELECT a, b FROM t ORDER BY a");
    const first = c.next();
    const rest = [...c];
    const end = [c.next(), c.next()];
    return {
      first: show(first), rest, end: show(end), columnNames: c.columnNames, rowsRead: c.rowsRead, rowsWritten: c.rowsWritten,
      raw: [...sql.exec("SELECT 1 AS a, 2 AS a").raw()], dupObject: sql.exec("SELECT 1 AS a, 2 AS a").toArray(),
      dupNames: sql.exec("SELECT 1 AS a, 2 AS a").columnNames,
      oneOk: outcomeSync(() => sql.exec("SELECT a FROM t WHERE a = 1").one()),
      oneNone: outcomeSync(() => sql.exec("SELECT a FROM t WHERE a = 3").one()),
      oneMany: outcomeSync(() => sql.exec("SELECT a FROM t").one()),
      nonReturning: (() => { const c2 = sql.exec("UPDATE t SET b = 'z'"); return { names: c2.columnNames, rows: c2.toArray(), rr: c2.rowsRead, rw: c2.rowsWritten }; })(),
      mixedRaw: (() => { const c3 = sql.exec("SELECT a FROM t ORDER BY a"); const r = c3.raw(); return { firstRaw: r.next().value, thenObj: c3.next().value ?? null }; })(),
    };`),
  sqlScenario("multiple statements return the last cursor", `
    const c = sql.exec("CREATE TABLE t (x); INSERT INTO t VALUES (1); INSERT INTO t VALUES (2); SELECT count(*) AS n FROM t");
    const ins = sql.exec("INSERT INTO t VALUES (3); INSERT INTO t VALUES (4)");
    return { rows: c.toArray(), names: c.columnNames, insRows: ins.toArray(), rr: ins.rowsRead, rw: ins.rowsWritten,
      paramsInLast: q("SELECT 1; SELECT ? AS v", 5), paramsInFirst: q("SELECT ?; SELECT 1", 5),
      trailingSemicolons: q("SELECT 1 AS a;;;"), trailingComment: q("SELECT 1 AS a; -- done") };`),
  statements("error messages", "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT CHECK (length(v) < 3) UNIQUE)", [
    "SELEC 1", "SELECT * FROM nope", "", "   ", "-- only a comment", "/* block */", "INSERT INTO t VALUES (1, 'toolong')",
    "INSERT INTO t VALUES (1, 'a'); INSERT INTO t VALUES (1, 'b')", "INSERT INTO t VALUES (2, 'a')", "SELECT 1 UNION SELECT 2 UNION SELECT 3 UNION SELECT 4 UNION SELECT 5 UNION SELECT 6",
    "SELECT nosuchfn(1)", "SELECT 1 +", "INSERT INTO t (nocol) VALUES (1)",
  ]),
  sqlScenario("wrong parameter counts", `
    return { tooFew: q("SELECT ?, ?", 1), tooMany: q("SELECT ?", 1, 2), numbered: q("SELECT ?2 AS b, ?1 AS a", "a", "b"),
      named: q("SELECT :x AS x", 1), p100: outcomeSync(() => sql.exec("SELECT " + Array(100).fill("?").join("+") + " AS s", ...Array(100).fill(1)).one().s),
      p101: q("SELECT " + Array(101).fill("?").join(", "), ...Array(101).fill(1)),
      deepExpression: q("SELECT " + Array(101).fill("1").join("+")) };`),
  { ...statements("authorizer: transactions, _cf_ names, attach, temp", "", [
    "BEGIN", "BEGIN TRANSACTION", "COMMIT", "ROLLBACK", "SAVEPOINT sp", "RELEASE sp", "END",
    "CREATE TABLE _cf_foo (x)", "CREATE TABLE _CF_foo (x)", "CREATE TABLE \"_cf_quoted\" (x)", "CREATE TABLE cf_ok (x)",
    "CREATE INDEX _cf_idx ON cf_ok (x)", "SELECT * FROM _cf_KV", "SELECT * FROM _cf_METADATA", "SELECT key FROM _cf_KV",
    "ATTACH DATABASE ':memory:' AS other", "DETACH DATABASE other", "CREATE TEMP TABLE tt (x)", "CREATE TEMPORARY VIEW tv AS SELECT 1",
    "CREATE VIRTUAL TABLE ft USING fts5(body)", "CREATE VIRTUAL TABLE rt USING rtree(id, a, b)", "CREATE VIRTUAL TABLE bad USING dbstat",
    "ALTER TABLE cf_ok RENAME TO _cf_renamed", "VACUUM", "ANALYZE", "REINDEX",
  ]), differs:
    "sql.js is built without FTS5 and R*Tree (storage-internals §2.2): durasim refuses CREATE VIRTUAL TABLE ... USING fts5 / rtree with an error naming that engine gap, where workerd creates the tables; every other statement agrees" },
  { ...statements("authorizer: pragmas", "CREATE TABLE t (x)", [
    "PRAGMA user_version", "PRAGMA user_version = 5", "PRAGMA journal_mode", "PRAGMA foreign_keys", "PRAGMA foreign_keys = off",
    "PRAGMA table_list", "PRAGMA table_info(t)", "PRAGMA page_size", "PRAGMA page_size = 8192", "PRAGMA data_version",
    "PRAGMA defer_foreign_keys = 'yes'", "PRAGMA case_sensitive_like = TRUE", "PRAGMA quick_check", "PRAGMA optimize",
    "PRAGMA max_page_count", "PRAGMA schema_version", "PRAGMA compile_options", "PRAGMA main.table_info(t)", "pragma TABLE_INFO(t)",
  ]), differs:
    "PRAGMA data_version: workerd's database is in WAL mode, whose first read transaction resets SQLite's page cache and so counts one data version (2); durasim keeps sql.js in a MEMORY journal (WAL makes opening objects about a quarter slower), so it reports 1. It only changes when another connection commits, which happens in neither, so both stay constant; every other PRAGMA agrees" },
  statements("authorizer: functions", "", [
    "SELECT power(2, 3) AS v", "SELECT pow(2, 3) AS v", "SELECT log10(100) AS v", "SELECT log(100) AS v", "SELECT ceiling(1.5) AS v",
    "SELECT ceil(1.5) AS v", "SELECT sqlite_version()", "SELECT load_extension('x')", "SELECT iif(1, 'y', 'n') AS v",
    "SELECT format('%d', 5) AS v", "SELECT printf('%s', 'p') AS v", "SELECT concat('a', 'b') AS v", "SELECT json_extract('{\"a\":1}', '$.a') AS v",
    "SELECT '{\"a\":[1,2]}' ->> '$.a[1]' AS v", "SELECT unistr('a') AS v", "SELECT random() IS NOT NULL AS v", "SELECT randomblob(2) IS NOT NULL AS v",
    "SELECT zeroblob(2) AS v", "SELECT hex(x'00ff') AS v", "SELECT sqlite_source_id()", "SELECT unixepoch(0) AS v", "SELECT typeof(changes()) AS v",
  ]),
  statements("lookalikes: comments, strings and quoted identifiers", "", [
    "SELECT 'BEGIN TRANSACTION' AS v", "-- BEGIN\nSELECT 1 AS v", "/* ATTACH DATABASE 'x' AS y */ SELECT 2 AS v",
    "CREATE TABLE \"BEGIN\" (\"COMMIT\" TEXT); INSERT INTO \"BEGIN\" VALUES ('ROLLBACK'); SELECT * FROM \"BEGIN\"",
    "CREATE TABLE [savepoint] (x); SELECT name FROM sqlite_master WHERE name = 'savepoint'", "SELECT 'PRAGMA user_version' AS v",
    "SELECT '_cf_KV' AS v", "SELECT \"_cf_x\" FROM (SELECT 1 AS \"_cf_x\")", "CREATE TABLE t2 (_cf_col INTEGER); SELECT _cf_col FROM t2",
    "SELECT 1 AS \"power\"", "CREATE TABLE `_cf_tick` (x)", "SELECT 1 AS v -- ; BEGIN", "SELECT 1 AS v; /* ; COMMIT */",
  ]),
  { ...sqlScenario("foreign keys, RETURNING, DELETE LIMIT, FTS5", `
    sql.exec("CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (pid INTEGER REFERENCES p(id))");
    return { fkImmediate: q("INSERT INTO c VALUES (1)"), fkOn: q("PRAGMA foreign_keys"),
      returning: q("INSERT INTO p VALUES (1), (2), (3) RETURNING id"), deleteLimit: q("DELETE FROM p WHERE id > 1 LIMIT 1"), left: q("SELECT id FROM p ORDER BY id"),
      deleteLimitReturning: q("DELETE FROM p WHERE id > 1 LIMIT 1 RETURNING id"),
      fts: q("CREATE VIRTUAL TABLE f USING fts5(body); INSERT INTO f VALUES ('hello world'), ('bye'); SELECT body FROM f WHERE f MATCH 'hello'"),
      upsert: q("INSERT INTO p VALUES (1) ON CONFLICT (id) DO UPDATE SET id = 10 RETURNING id") };`), differs:
    "sql.js is built without SQLITE_ENABLE_UPDATE_DELETE_LIMIT and FTS5: deleteLimit and fts fail with durasim's engine-gap error (so `left` keeps the row workerd deleted). deleteLimitReturning agrees: RETURNING after LIMIT is a syntax error in workerd's grammar too, and durasim reports workerd's error rather than the engine gap, since that SQL fails in production as well" },
  sqlScenario("blobs round-trip as ArrayBuffer", `
    sql.exec("CREATE TABLE b (v BLOB)");
    sql.exec("INSERT INTO b VALUES (?), (?), (x'0001ff')", new Uint8Array([1, 2, 3]), new Uint8Array(0).buffer);
    return sql.exec("SELECT v, typeof(v) AS t, length(v) AS n FROM b").toArray().map((r) => show(r));`),
  sqlScenario("KV data lives in _cf_KV and deleteAll wipes everything", `
    sql.exec("CREATE TABLE t (x); INSERT INTO t VALUES (1)");
    await s.put("k", 1);
    const before = sql.exec("SELECT name FROM sqlite_master ORDER BY name").toArray().map((r) => r.name);
    const read = { all: q("SELECT * FROM _cf_KV"), key: q("SELECT key FROM _cf_KV"), count: q("SELECT count(*) FROM _cf_KV"),
      quoted: q('SELECT * FROM "_cf_kv"'), write: q("INSERT INTO _cf_KV VALUES ('x', x'00')"), drop: q("DROP TABLE _cf_KV") };
    const sizeBefore = sql.databaseSize > 0;
    await s.deleteAll();
    return { before, read, after: sql.exec("SELECT name FROM sqlite_master").toArray(), table: q("SELECT * FROM t"), kv: show(await s.get("k")),
      sizeBefore, sizeType: typeof sql.databaseSize };`),
  sqlScenario("databaseSize grows by pages", `
    const a = sql.databaseSize;
    sql.exec("CREATE TABLE t (x)");
    const b = sql.databaseSize;
    return { multipleOf4096: a % 4096 === 0 && b % 4096 === 0, grew: b - a };`),
  {
    // The still-active writing statement makes the implicit commit fail (§4.2 "Hazard").
    name: "sql: an unconsumed INSERT ... RETURNING cursor breaks the commit",
    backend: "sqlite",
    source: cls(`  async setup() { this.ctx.storage.sql.exec("CREATE TABLE t (x)"); }
  async half() { const c = this.ctx.storage.sql.exec("INSERT INTO t VALUES (1), (2) RETURNING x"); return c.next().value; }
  async count() { return this.ctx.storage.sql.exec("SELECT count(*) AS n FROM t").one().n; }`),
    drive: async (env) => {
      await env.DO.getByName("h").setup();
      const half = await outcome(() => env.DO.getByName("h").half());
      return { half, count: await outcome(() => env.DO.getByName("h").count()) };
    },
  },
  sqlScenario("storage.kv sync API", `
    const kv = s.kv;
    kv.put("b", 2); kv.put("a", { o: 1 }); kv.put("😀", 3); kv.put("｡", 4);
    const asyncSees = show(await s.get(["a", "b"]));
    await s.put("c", "from async");
    // Evaluated in this order on purpose: a new kv.list() invalidates the previous iterator.
    const r = { get: show(kv.get("a")), missing: show(kv.get("zz")), asyncSees, syncSeesAsync: kv.get("c") };
    r.list = [...kv.list()].map(([k]) => k);
    r.reverseLimit = [...kv.list({ reverse: true, limit: 2 })].map(([k]) => k);
    const it = kv.list();
    r.firstPair = show(it.next().value);
    const it2 = kv.list({ prefix: "c" });
    r.invalidated = outcomeSync(() => it.next());
    r.second = outcomeSync(() => [...it2].map(([k]) => k));
    r.exhaustedAfterNewList = outcomeSync(() => { const a = kv.list(); const all = [...a]; kv.list(); return [all.length, a.next()]; });
    return { ...r,
      deleteExisting: kv.delete("a"), deleteMissing: kv.delete("a"),
      putUndefined: outcomeSync(() => kv.put("u", undefined)), listBoth: outcomeSync(() => [...kv.list({ start: "a", startAfter: "a" })]),
      listLimit0: outcomeSync(() => [...kv.list({ limit: 0 })]), bigValue: outcomeSync(() => kv.put("big", "x".repeat(200000))),
      returnsOfPut: show(kv.put("r", 1)),
    };`),
];

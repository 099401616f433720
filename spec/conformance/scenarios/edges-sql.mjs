// Audit of reference §4 against the suite (session 7): SQL corners the other files leave thin:
// every kind of binding view (offsets, element sizes), cursor state across mixed consumption,
// counters before and after iteration, transactionSync's cursors and values, databaseSize after
// drops and deleteAll(), column naming. All sqlite; `q(sql, ...b)` records rows or the error.
import { inside, cls } from "../scenario.mjs";

const sqlEdge = (name, body) =>
  inside(`edges: sql ${name}`, "sqlite", `    const sql = s.sql;
    const q = (text, ...b) => outcomeSync(() => sql.exec(text, ...b).toArray().map((r) => show(r)));
${body}`);

export default [
  sqlEdge("text holding NUL characters (literal, stored, bound, in a name)", `
    sql.exec("CREATE TABLE n (t TEXT, b BLOB)");
    sql.exec("INSERT INTO n VALUES (?, ?)", "a\\u0000b", "x");
    return { lit: q("SELECT 'a'||char(0)||'b' AS v, length('a'||char(0)||'b') AS l"), stored: q("SELECT t, length(t) AS l, hex(t) AS h FROM n"),
      bound: q("SELECT ?1 AS v, length(?1) AS l", "p\\u0000q"), name: outcomeSync(() => sql.exec("SELECT 1 AS \\"a\\u0000b\\"").columnNames) };`),
  sqlEdge("bindings of views, boxed values and odd numbers", `
    const t = (v) => q("SELECT typeof(?1) AS t, quote(?1) AS v", v);
    const base = new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7]);
    return {
      subarray: t(base.subarray(2, 5)), emptyView: t(base.subarray(3, 3)), int16: t(new Int16Array([1, -1])),
      float64: t(new Float64Array([1.5])), bigInt64: t(new BigInt64Array([1n])), dataViewOffset: t(new DataView(base.buffer, 5, 2)),
      uint8Clamped: t(new Uint8ClampedArray([9])), emptyBuffer: t(new ArrayBuffer(0)), slicedBuffer: t(base.buffer.slice(6)),
      numberObject: t(new Number(3)), stringObject: t(new String("boxed")), booleanObject: t(new Boolean(false)),
      symbol: t(Symbol("s")), fn: t(function f() { return 1; }), withToString: t({ toString() { return "custom"; } }),
      withValueOf: t({ valueOf() { return 7; } }), nullProto: t(Object.create(null)), map: t(new Map()),
      maxSafe: t(2 ** 53), beyondSafe: t(2 ** 53 + 2), tiny: t(5e-324), huge: t(1.7976931348623157e308), negative: t(-42),
      negZeroInt: (() => { sql.exec("CREATE TABLE z (i INTEGER)"); sql.exec("INSERT INTO z VALUES (?)", -0); return q("SELECT i, typeof(i) AS t FROM z"); })(),
      boolInIntColumn: (() => { sql.exec("CREATE TABLE bi (i INTEGER, r REAL, n NUMERIC)"); sql.exec("INSERT INTO bi VALUES (?, ?, ?)", true, false, true); return q("SELECT i, typeof(i) AS ti, r, typeof(r) AS tr, n, typeof(n) AS tn FROM bi"); })(),
      stringNumberInIntColumn: (() => { sql.exec("CREATE TABLE si (i INTEGER)"); sql.exec("INSERT INTO si VALUES (?), (?), (?)", "12", " 7 ", "1e3"); return q("SELECT i, typeof(i) AS t FROM si"); })(),
      realInIntColumn: (() => { sql.exec("CREATE TABLE ri (i INTEGER)"); sql.exec("INSERT INTO ri VALUES (?), (?)", 3.0, 3.5); return q("SELECT i, typeof(i) AS t FROM ri"); })(),
    };`),
  sqlEdge("blob results are fresh ArrayBuffers", `
    sql.exec("CREATE TABLE b (v BLOB)");
    const src = new Uint8Array([1, 2, 3]);
    sql.exec("INSERT INTO b VALUES (?)", src);
    src[0] = 99;
    const a = sql.exec("SELECT v FROM b").one().v;
    new Uint8Array(a)[1] = 42;
    const b = sql.exec("SELECT v FROM b").one().v;
    const raw = sql.exec("SELECT v, x'' AS e, zeroblob(0) AS z FROM b").raw().next().value;
    return { tag: Object.prototype.toString.call(b), bytes: [...new Uint8Array(b)], same: a === b, raw: raw.map((x) => show(x)),
      emptyTag: Object.prototype.toString.call(raw[1]), byteLength: [raw[1].byteLength, raw[2].byteLength] };`),
  sqlEdge("cursor state across mixed consumption", `
    sql.exec("CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT); INSERT INTO t VALUES (1, 'x'), (2, 'y'), (3, 'z')");
    const c = sql.exec("SELECT a, b FROM t ORDER BY a");
    const atStart = { names: c.columnNames, rr: c.rowsRead, rw: c.rowsWritten };
    const first = c.next().value;
    const afterOne = c.rowsRead;
    const rest = c.toArray();
    const afterAll = { rr: c.rowsRead, again: c.toArray(), oneAfter: outcomeSync(() => c.one()), rawAfter: [...c.raw()] };
    const c2 = sql.exec("SELECT a FROM t ORDER BY a");
    c2.next();
    const oneAfterNext = outcomeSync(() => c2.one());
    const c3 = sql.exec("SELECT a FROM t ORDER BY a");
    const r3 = c3.raw();
    const rawIdentity = { iterSelf: c3[Symbol.iterator]() === c3, rawIterSelf: r3[Symbol.iterator]() === r3, rawTag: Object.prototype.toString.call(r3) };
    const mixed = [r3.next().value, c3.next().value, ...r3];
    const c4 = sql.exec("SELECT a FROM t WHERE a = 2");
    const oneThenNext = [c4.one(), c4.next(), c4.rowsRead];
    const c5 = sql.exec("SELECT a FROM t");
    const spread = [...c5, ...c5];
    return { atStart, first, afterOne, rest, afterAll, oneAfterNext, rawIdentity, mixed, oneThenNext: show(oneThenNext), spread };`),
  sqlEdge("counters before and after iteration", `
    sql.exec("CREATE TABLE t (a); INSERT INTO t VALUES (1), (2), (3), (4)");
    const sel = sql.exec("SELECT a FROM t");
    const counts = [[sel.rowsRead, sel.rowsWritten]];
    for (const _ of sel) counts.push([sel.rowsRead, sel.rowsWritten]);
    const upd = sql.exec("UPDATE t SET a = a + 1 WHERE a > 2 RETURNING a");
    const updCounts = [[upd.rowsRead, upd.rowsWritten]];
    for (const _ of upd) updCounts.push([upd.rowsRead, upd.rowsWritten]);
    const none = sql.exec("UPDATE t SET a = 0 WHERE a > 100");
    const del = sql.exec("DELETE FROM t");
    const create = sql.exec("CREATE TABLE u (x)");
    return { counts, updCounts, none: [none.rowsRead, none.rowsWritten], del: [del.rowsRead, del.rowsWritten], create: [create.rowsRead, create.rowsWritten] };`),
  sqlEdge("column names", `
    sql.exec("CREATE TABLE t (id INTEGER, \\"odd name\\" TEXT, Mixed TEXT); INSERT INTO t VALUES (1, 'o', 'm')");
    const names = (text) => outcomeSync(() => sql.exec(text).columnNames);
    return {
      star: names("SELECT * FROM t"), expr: names("SELECT 1+1, id*2, 'lit', NULL FROM t"), aliasQuoted: names("SELECT id AS 'x y', id AS \\"q\\" FROM t"),
      qualified: names("SELECT t.id, t.Mixed FROM t"), joinStar: names("SELECT * FROM t a JOIN t b ON a.id = b.id"),
      subquery: names("SELECT (SELECT max(id) FROM t), count(*) FROM t"), returning: outcomeSync(() => { const c = sql.exec("INSERT INTO t (id) VALUES (2) RETURNING id, Mixed AS m"); const n = c.columnNames; c.toArray(); return n; }),
      pragma: names("PRAGMA table_info(t)"), caseRow: outcomeSync(() => sql.exec("SELECT id AS ID, Mixed FROM t LIMIT 1").one()),
      emptyResult: names("SELECT id FROM t WHERE 0"),
    };`),
  sqlEdge("transactionSync values and cursors", `
    sql.exec("CREATE TABLE t (x); INSERT INTO t VALUES (1), (2)");
    const c = s.transactionSync(() => sql.exec("SELECT x FROM t ORDER BY x"));
    const afterRelease = outcomeSync(() => c.toArray());
    const insRows = s.transactionSync(() => sql.exec("INSERT INTO t VALUES (3) RETURNING x").toArray());
    const rolledCursor = outcomeSync(() => s.transactionSync(() => { const r = sql.exec("SELECT x FROM t"); r.next(); throw new Error("out"); }));
    const values = {
      undef: show(s.transactionSync(() => {})), obj: s.transactionSync(() => ({ a: 1 })), thrownString: outcomeSync(() => s.transactionSync(() => { throw "s"; })),
      kvInside: s.transactionSync(() => { s.kv.put("k", 1); return s.kv.get("k"); }),
      asyncPutInside: outcomeSync(() => s.transactionSync(() => { s.put("p", 1); return "ok"; })),
    };
    await null;
    return { afterRelease, insRows, rolledCursor, values, rows: sql.exec("SELECT x FROM t ORDER BY x").toArray().map((r) => r.x),
      p: show(await s.get("p")), k: show(s.kv.get("k")) };`),
  sqlEdge("databaseSize after drops and deleteAll", `
    const sizes = { fresh: sql.databaseSize };
    sql.exec("CREATE TABLE t (x)");
    sizes.table = sql.databaseSize;
    sql.exec("INSERT INTO t SELECT zeroblob(1000) FROM (WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c WHERE n < 50) SELECT n FROM c)");
    sizes.filled = sql.databaseSize;
    sql.exec("DELETE FROM t");
    sizes.emptied = sql.databaseSize;
    sql.exec("DROP TABLE t");
    sizes.dropped = sql.databaseSize;
    await s.put("k", 1);
    sizes.kv = sql.databaseSize;
    await s.deleteAll();
    sizes.afterDeleteAll = sql.databaseSize;
    return sizes;`),
  sqlEdge("statements that change nothing and odd statement texts", `
    return {
      leadingComment: q("/* c */ SELECT 1 AS a"), trailingWhitespace: q("SELECT 1 AS a   \\n\\t"), trailingSemicolonSpace: q("SELECT 1 AS a; "),
      semicolonOnly: q(";"), twoSemicolons: q(";;"), leadingSemicolon: q("; SELECT 1 AS a"), values: q("VALUES (1, 'a'), (2, 'b')"),
      withCte: q("WITH x(n) AS (SELECT 5) SELECT n FROM x"), explain: outcomeSync(() => sql.exec("EXPLAIN SELECT 1").toArray().length > 0),
      explainQueryPlan: outcomeSync(() => sql.exec("EXPLAIN QUERY PLAN SELECT 1").columnNames),
      createIfNotExists: q("CREATE TABLE IF NOT EXISTS t (x); CREATE TABLE IF NOT EXISTS t (x)"), dropMissing: q("DROP TABLE IF EXISTS nope"),
      selectNoFrom: q("SELECT 1 WHERE 0"), nulChar: q("SELECT 'a' AS v\\u0000 garbage"),
    };`),
  sqlEdge("errors mid-statement keep earlier statements", `
    sql.exec("CREATE TABLE t (x UNIQUE)");
    const multi = q("INSERT INTO t VALUES (1); INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)");
    const partialInsert = q("INSERT INTO t VALUES (3), (1), (4)");
    const badSyntaxLater = q("INSERT INTO t VALUES (5); SELEC 1");
    return { multi, partialInsert, badSyntaxLater, rows: sql.exec("SELECT x FROM t ORDER BY x").toArray().map((r) => r.x) };`),
  {
    // workerd wipes the database at once (deleteAll() recreates it), so the savepoint is gone
    // and ending it is an internal error; the wipe stays and the object is not reset.
    name: "edges: sql deleteAll() inside transactionSync",
    backend: "sqlite",
    source: cls(`  async alarm() {}
  async go() {
    const s = this.ctx.storage, sql = s.sql;
    sql.exec("CREATE TABLE t (x); INSERT INTO t VALUES (1)");
    await s.put("k", 1);
    await s.setAlarm(Date.now() + 60000);
    let p, inside;
    const returned = outcomeSync(() => s.transactionSync(() => { sql.exec("INSERT INTO t VALUES (2)"); p = s.deleteAll(); inside = sql.exec("SELECT name FROM sqlite_master").toArray(); return "ret"; }));
    const promise = await outcome(p);
    const after = { master: sql.exec("SELECT name FROM sqlite_master").toArray(), k: show(s.kv.get("k")), alarm: await s.getAlarm() };
    sql.exec("CREATE TABLE t2 (x); INSERT INTO t2 VALUES (1)");
    s.kv.put("k2", 1);
    const thrown = outcomeSync(() => s.transactionSync(() => { s.deleteAll(); throw new Error("undo"); }));
    const afterThrow = { master: sql.exec("SELECT name FROM sqlite_master").toArray(), k2: show(s.kv.get("k2")) };
    const nested = outcomeSync(() => s.transactionSync(() => s.transactionSync(() => { s.deleteAll(); return 1; })));
    const inTransaction = await outcome(() => s.transaction(async () => { const r = s.transactionSync(() => s.deleteAll()); return outcome(r); }));
    sql.exec("CREATE TABLE t3 (x)");
    return { returned, inside, promise, after, thrown, afterThrow, nested, inTransaction };
  }
  async check() { return { master: this.ctx.storage.sql.exec("SELECT name FROM sqlite_master").toArray(), kv: [...this.ctx.storage.kv.list()].length }; }`),
    drive: async (env) => {
      const st = env.DO.getByName("x");
      return { go: await outcome(() => st.go()), sameStub: await outcome(() => st.check()), fresh: await outcome(() => env.DO.getByName("x").check()) };
    },
  },
  sqlEdge("a cursor while its table is written", `
    sql.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v)");
    for (let i = 1; i <= 5; i++) sql.exec("INSERT INTO t VALUES (?, ?)", i, i);
    const seen = [];
    const r = outcomeSync(() => { for (const row of sql.exec("SELECT id FROM t ORDER BY id")) { seen.push(row.id); if (row.id === 2) { sql.exec("DELETE FROM t WHERE id = 3"); sql.exec("DELETE FROM t WHERE id = 4"); sql.exec("INSERT INTO t VALUES (9, 9)"); } sql.exec("UPDATE t SET v = v * 10 WHERE id = ?", row.id); } });
    const c = sql.exec("SELECT id FROM t");
    c.next();
    const drop = q("DROP TABLE t");
    const rest = outcomeSync(() => c.toArray());
    const c2 = sql.exec("SELECT id FROM t");
    c2.next();
    const alter = outcomeSync(() => { sql.exec("ALTER TABLE t ADD COLUMN w"); return "altered"; });
    const rest2 = outcomeSync(() => c2.toArray());
    return { r, seen, rows: q("SELECT * FROM t ORDER BY id"), drop, rest, alter, rest2 };`),
  // deleteAll() deletes the database under every unfinished statement.
  sqlEdge("cursors across deleteAll()", `
    sql.exec("CREATE TABLE t (x); INSERT INTO t VALUES (1), (2), (3)");
    const out = {};
    const started = sql.exec("SELECT x AS col FROM t"); started.next(); await s.deleteAll();
    out.started = outcomeSync(() => started.toArray());
    sql.exec("CREATE TABLE t (x); INSERT INTO t VALUES (1), (2), (3)");
    const c = sql.exec("SELECT x AS col FROM t"); s.deleteAll();
    out.unstarted = { columnNames: outcomeSync(() => c.columnNames), rowsRead: outcomeSync(() => c.rowsRead), rowsWritten: outcomeSync(() => c.rowsWritten),
      one: outcomeSync(() => c.one()), raw: outcomeSync(() => [...c.raw()]), next: outcomeSync(() => c.next()), iterator: outcomeSync(() => typeof c[Symbol.iterator]().next) };
    sql.exec("CREATE TABLE t (x); INSERT INTO t VALUES (1)");
    const finished = sql.exec("SELECT x FROM t"); finished.next(); await s.deleteAll();
    out.finished = outcomeSync(() => [finished.next(), finished.rowsRead]);
    const constant = sql.exec("SELECT 1 AS a"); await s.deleteAll();
    out.constant = outcomeSync(() => constant.toArray());
    sql.exec("CREATE TABLE t (x)");
    const returning = sql.exec("INSERT INTO t VALUES (1), (2) RETURNING x");
    out.deleteAllOverReturning = await outcome(() => s.deleteAll());
    out.returning = outcomeSync(() => returning.toArray());
    const kept = sql.exec("SELECT 1 AS a");
    sql.exec("CREATE TABLE q (x)");
    out.otherWritesKeepCursors = outcomeSync(() => kept.toArray());
    out.master = q("SELECT name FROM sqlite_master");
    return out;`),
  // workerd sets SQLITE_LIMIT_COLUMN to 100 (sql.js has no sqlite3_limit: durasim checks it).
  sqlEdge("the 100-column limit", `
    const count = (text, ...b) => outcomeSync(() => sql.exec(text, ...b).toArray().length);
    const cols = (n, p = "c") => Array.from({ length: n }, (_, i) => p + i).join(", ");
    sql.exec("CREATE TABLE w (" + cols(100) + ")");
    sql.exec("CREATE TABLE v (" + cols(60, "d") + ")");
    return {
      table100WithConstraints: count("CREATE TABLE t1 (" + cols(100) + ", PRIMARY KEY (c0), UNIQUE (c1), CHECK (c2 > 0), CONSTRAINT k UNIQUE (c3))"),
      table101: count("CREATE TABLE t101 (" + cols(101) + ")"), quoted101: count('CREATE TABLE IF NOT EXISTS "Odd T" (' + cols(101) + ")"),
      asSelect101: count("CREATE TABLE t3 AS SELECT " + Array.from({ length: 101 }, (_, i) => i + " AS a" + i).join(", ")),
      alterAdd: count("ALTER TABLE w ADD COLUMN extra"), alterAddOnWide: count("ALTER TABLE v ADD COLUMN extra"),
      select100: count("SELECT " + Array.from({ length: 100 }, (_, i) => i + " AS a" + i).join(", ")),
      select101: count("SELECT " + Array.from({ length: 101 }, (_, i) => i + " AS a" + i).join(", ")),
      joinStar: count("SELECT * FROM w, v"), joinCount: count("SELECT count(*) FROM w, v"), values101: count("VALUES (" + Array(101).fill(1).join(",") + ")"),
      orderBy101: count("SELECT 1 FROM w ORDER BY " + cols(100) + ", 1"), groupBy101: count("SELECT 1 FROM w GROUP BY " + cols(100) + ", 1"),
      windowOrderBy101: count("SELECT row_number() OVER (ORDER BY " + cols(100) + ", 1) FROM w"),
      index101: count("CREATE INDEX i ON w (" + cols(100) + ", c0)"), insert100: count("INSERT INTO w (" + cols(100) + ") VALUES (" + Array(100).fill(1).join(",") + ")"),
      update101: count("UPDATE w SET " + Array.from({ length: 101 }, (_, i) => "c" + (i % 100) + " = 1").join(", ")),
      view101: count("CREATE VIEW vv AS SELECT * FROM w, v"), subquery101: count("SELECT count(*) FROM (SELECT * FROM w, v)"),
      returning101: count("INSERT INTO w DEFAULT VALUES RETURNING *, 1"), starInSubquery: count("SELECT c0 FROM (SELECT *, 1 AS extra FROM w)"),
      inExists: count("SELECT EXISTS (SELECT * FROM w, v) AS e"),
    };`),
  // workerd sets SQLITE_LIMIT_FUNCTION_ARG to 127, checked before the function is looked up.
  sqlEdge("the 127-argument limit", `
    const count = (text) => outcomeSync(() => sql.exec(text).toArray().length);
    const args = (n) => Array(n).fill(1).join(",");
    sql.exec("CREATE TABLE t (x)");
    return {
      max127: count("SELECT max(" + args(127) + ") AS m"), max128: count("SELECT max(" + args(128) + ") AS m"),
      nested: count("SELECT 1, coalesce(NULL, max(" + args(128) + ")) AS m"), unknown: count("SELECT nosuch(" + args(128) + ")"),
      fixedArity: count("SELECT power(" + args(128) + ")"), jsonArray: count("SELECT json_array(" + args(128) + ") AS j"),
      inList: count("SELECT 1 IN (" + args(500) + ") AS v"), values: count("SELECT count(*) AS n FROM (VALUES (1)," + Array(200).fill("(1)").join(",") + ")"),
      printf: count("SELECT printf('%d'" + ",1".repeat(127) + ") AS p"), unicodeOffset: count("SELECT 'é😀', max(" + args(128) + ")"),
      inTrigger: count("CREATE TRIGGER tg AFTER INSERT ON t BEGIN SELECT max(" + args(128) + "); END"),
      inView: count("CREATE VIEW v AS SELECT max(" + args(128) + ") AS m"), inInsert: count("INSERT INTO t (x) VALUES (max(" + args(128) + "))"),
      secondStatement: count("SELECT 1; SELECT max(" + args(128) + ")"),
      rows: count("SELECT * FROM t"),
    };`),
  {
    ...sqlEdge("limits sql.js cannot set", `
    sql.exec("CREATE TABLE tr (n INTEGER)");
    sql.exec("CREATE TRIGGER tg AFTER INSERT ON tr WHEN new.n < 50 BEGIN INSERT INTO tr VALUES (new.n + 1); END");
    sql.exec("PRAGMA recursive_triggers = ON");
    return {
      like50: q("SELECT 'a' LIKE ? AS v", "%".repeat(50)), like51: q("SELECT 'a' LIKE ? AS v", "%".repeat(51)), glob51: q("SELECT 'a' GLOB ? AS v", "*".repeat(51)),
      likeOnEmptyTable: q("SELECT n FROM tr WHERE n LIKE ?", "%".repeat(60)),
      triggerDepth: q("INSERT INTO tr VALUES (1)"), rowsAfterTriggers: q("SELECT count(*) AS n FROM tr"),
      printfWidth: q("SELECT length(printf('%.*c', 200000, 'x')) AS n"),
    };`),
    differs:
      "workerd's SQLite is built with printf() precision capped at 100,000 (SQLITE_PRINTF_PRECISION_LIMIT, a compile-time option, not a sqlite3_limit() durasim can set on sql.js's connections); the LIKE pattern and trigger depth limits agree",
  },
];

// SQL behaviour that depends on state: authorizer and PRAGMA decisions after a write in the
// same turn, inside transactionSync() and transaction(), databaseSize as the database
// changes, and cursors of every statement type (when the statement runs, what the cursor
// reports before and after iteration; its row counters are in sql-counters.mjs).
import { cls, inside } from "../scenario.mjs";

const sqlite = (name, body, rest) => inside(`sql state: ${name}`, "sqlite", `    const sql = s.sql;
    const q = (text, ...b) => outcomeSync(() => sql.exec(text, ...b).toArray());
${body}`, rest);

const PRAGMAS = ["PRAGMA foreign_keys", "PRAGMA foreign_keys = OFF", "PRAGMA foreign_keys", "PRAGMA foreign_keys = ON", "PRAGMA defer_foreign_keys = ON",
  "PRAGMA defer_foreign_keys", "PRAGMA defer_foreign_keys = OFF", "PRAGMA case_sensitive_like = ON", "PRAGMA recursive_triggers = ON", "PRAGMA recursive_triggers",
  "PRAGMA ignore_check_constraints = ON", "PRAGMA ignore_check_constraints", "PRAGMA legacy_alter_table = ON", "PRAGMA reverse_unordered_selects = ON",
  "PRAGMA foreign_key_check", "PRAGMA quick_check", "PRAGMA optimize", "PRAGMA table_info(p)", "PRAGMA index_list(p)", "PRAGMA user_version = 3",
  "PRAGMA journal_mode = WAL", "PRAGMA synchronous = OFF", "PRAGMA cache_size = 10", "PRAGMA busy_timeout = 5"];

/** Runs the PRAGMA list (in order; some repeat) where `wrap` says; records [text, outcome] pairs. */
const pragmas = (wrap) => `
    const run = () => ${JSON.stringify(PRAGMAS)}.map((p) => [p, q(p)]);
    sql.exec("CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (pid INTEGER REFERENCES p (id))");
    ${wrap}`;

/**
 * What each object's first instance does to its storage before ctx.abort() ends it; the next
 * instance reports what it finds. An object left as a new one is (durasim then forgets it once
 * evicted, and makes its storage anew) must report what a new object does.
 */
const EMPTYING = {
  untouched: "",
  sizeRead: "sql.databaseSize;",
  putDeleteAll: 'await s.put("k", 1); await s.deleteAll();',
  putDelete: 'await s.put("k", 1); await s.delete("k");',
  kvPutDelete: 's.kv.put("k", 1); s.kv.delete("k");',
  alarmSetDeleted: "await s.setAlarm(Date.now() + 3600000); await s.deleteAlarm();",
  createDrop: 'sql.exec("CREATE TABLE t (a)"); sql.exec("DROP TABLE t");',
  createDropDeleteAll: 'sql.exec("CREATE TABLE t (a)"); await s.sync(); await s.deleteAll();',
  threeCreatedDropped: 'sql.exec("CREATE TABLE a (x); CREATE TABLE b (x); CREATE TABLE c (x)"); sql.exec("DROP TABLE a; DROP TABLE b; DROP TABLE c");',
  foreignKeysOff: 'sql.exec("PRAGMA foreign_keys = OFF");',
};

export default [
  {
    name: "sql state: what a new instance finds after the last one left its storage empty",
    backend: "sqlite",
    source: cls(`
  async empty(how) {
    const s = this.ctx.storage, sql = s.sql;
    switch (how) {
${Object.entries(EMPTYING).map(([how, code]) => `      case ${JSON.stringify(how)}: ${code} break;`).join("\n")}
    }
    await s.sync();
  }
  async stop() { this.ctx.abort("restart"); }
  alarm() {}
  async find() {
    const s = this.ctx.storage, sql = s.sql;
    const q = (text) => outcomeSync(() => sql.exec(text).toArray());
    const found = { size: sql.databaseSize, master: q("SELECT * FROM sqlite_master"), tables: q("PRAGMA table_list"), foreignKeys: q("PRAGMA foreign_keys"),
      alarm: await s.getAlarm(), keys: [...(await s.list()).keys()] };
    sql.exec("CREATE TABLE n (a); CREATE TABLE m (a)");
    found.created = { size: sql.databaseSize, roots: q("SELECT name, rootpage FROM sqlite_master ORDER BY name") };
    return found;
  }`),
    drive: `async (env) => {
      const found = {};
      for (const how of ${JSON.stringify(Object.keys(EMPTYING))}) {
        const stub = env.DO.getByName(how);
        await stub.empty(how);
        const stopped = await outcome(() => stub.stop());
        found[how] = { stopped, found: await env.DO.getByName(how).find() };
      }
      found.neverReached = await env.DO.getByName("never").find();
      return found;
    }`,
  },
  sqlite("PRAGMAs with no write pending", pragmas(`await s.sync(); return run();`)),
  sqlite("PRAGMAs after a write in the same turn", pragmas(`await s.sync(); sql.exec("INSERT INTO p VALUES (1)"); return run();`)),
  sqlite("PRAGMAs inside transactionSync", pragmas(`await s.sync(); return outcomeSync(() => s.transactionSync(() => run()));`)),
  sqlite("PRAGMAs inside transaction()", pragmas(`await s.sync(); return await outcome(() => s.transaction(async () => run()));`)),
  sqlite("foreign_keys toggled around writes", `
    sql.exec("CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (pid INTEGER REFERENCES p (id))");
    await s.sync();
    const offFirst = q("PRAGMA foreign_keys = OFF");
    const orphanAllowed = q("INSERT INTO c VALUES (99)");
    const stillOff = q("PRAGMA foreign_keys");
    const onAfterWrite = q("PRAGMA foreign_keys = ON");
    const stateAfterOn = q("PRAGMA foreign_keys");
    await s.sync();
    const nextTurn = q("PRAGMA foreign_keys");
    const check = q("PRAGMA foreign_key_check");
    const deferOn = q("PRAGMA defer_foreign_keys = ON");
    const deferredOrphan = q("INSERT INTO c VALUES (98)");
    const fixed = q("INSERT INTO p VALUES (98)");
    await s.sync();
    return { offFirst, orphanAllowed, stillOff, onAfterWrite, stateAfterOn, nextTurn, check, deferOn, deferredOrphan, fixed,
      deferAfterCommit: q("PRAGMA defer_foreign_keys"), rows: q("SELECT pid FROM c ORDER BY pid") };`),
  sqlite("databaseSize as the database changes", `
    const sizes = { start: sql.databaseSize };
    sql.exec("CREATE TABLE t (x)"); sizes.createTable = sql.databaseSize;
    sql.exec("CREATE INDEX tx ON t (x)"); sizes.createIndex = sql.databaseSize;
    sql.exec("INSERT INTO t VALUES (1)"); sizes.oneRow = sql.databaseSize;
    sql.exec("WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 2000) INSERT INTO t SELECT printf('%0100d', i * 7919 % 2000) FROM r"); sizes.manyRows = sql.databaseSize;
    sql.exec("DELETE FROM t"); sizes.deleted = sql.databaseSize;
    sql.exec("DROP TABLE t"); sizes.dropped = sql.databaseSize;
    await s.put("k", "v"); sizes.kvPut = sql.databaseSize;
    s.kv.put("k2", "x".repeat(10000)); sizes.bigKvValue = sql.databaseSize;
    await s.setAlarm(Date.now() + 3600000); sizes.alarm = sql.databaseSize;
    await s.deleteAll(); sizes.deleteAll = sql.databaseSize;
    sql.exec("CREATE TABLE u (x)"); sizes.afterDeleteAll = sql.databaseSize;
    const pages = Object.fromEntries(Object.entries(sizes).map(([k, v]) => [k, v / 4096]));
    return { pages, allWhole: Object.values(sizes).every((v) => Number.isInteger(v / 4096)) };`, { alarmHandler: true }),
  sqlite("columnNames a caller changes", `
    const text = "SELECT 1 AS a, 2 AS b";
    const renamed = outcomeSync(() => { const c = sql.exec(text); c.columnNames[0] = "changed"; return { rows: c.toArray(), names: c.columnNames }; });
    const beforeRows = outcomeSync(() => { const c = sql.exec(text); const first = c.next(); c.columnNames[1] = "late"; return { first: first.value, rest: c.toArray(), names: c.columnNames }; });
    const grown = outcomeSync(() => { const c = sql.exec(text); c.columnNames.push("extra"); return c.toArray(); });
    const shrunk = outcomeSync(() => { const c = sql.exec(text); c.columnNames.length = 1; return c.toArray(); });
    const raw = outcomeSync(() => { const c = sql.exec(text); c.columnNames[0] = "changed"; return [...c.raw()]; });
    const fresh = outcomeSync(() => { const c = sql.exec(text); return { names: c.columnNames, rows: c.toArray() }; });
    const grownNext = outcomeSync(() => { const c = sql.exec(text); c.columnNames.push("extra"); const n = outcomeSync(() => c.next()); return { n, again: outcomeSync(() => c.next()), one: outcomeSync(() => sql.exec(text).one()) }; });
    const grownOne = outcomeSync(() => { const c = sql.exec(text); c.columnNames.push("extra"); return c.one(); });
    const grownRaw = outcomeSync(() => { const c = sql.exec(text); c.columnNames.push("extra"); return [...c.raw()]; });
    const grownEmpty = outcomeSync(() => { const c = sql.exec("SELECT 1 AS a WHERE 0"); c.columnNames.push("extra"); return c.toArray(); });
    const odd = (value) => outcomeSync(() => { const c = sql.exec(text); c.columnNames[0] = value; return c.toArray(); });
    const values = { number: odd(5), nul: odd(null), object: odd({ toString: () => "obj" }), symbol: odd(Symbol("s")), hole: outcomeSync(() => { const c = sql.exec(text); delete c.columnNames[0]; return c.toArray(); }),
      proto: odd("__proto__"), same: odd("b") };
    const replaced = outcomeSync(() => { const c = sql.exec(text); Object.defineProperty(c.columnNames, 0, { get() { return "getter"; } }); return c.toArray(); });
    // A step that fails (integer overflow at row 2) leaves a row of the statement's NULLs next, as many as it has columns.
    const overflow = "SELECT CASE WHEN column1 = 2 THEN abs(-9223372036854775807 - 1) ELSE column1 END AS a FROM (VALUES (1), (2), (3))";
    const failing = (change, raw) => { const c = sql.exec(overflow); change(c.columnNames); const rows = raw ? c.raw() : c; return [1, 2, 3, 4, 5].map(() => outcomeSync(() => rows.next())); };
    const failedStep = { kept: failing(() => {}), grown: failing((n) => n.push("extra")), grownRaw: failing((n) => n.push("extra"), true),
      shrunk: failing((n) => { n.length = 0; }), shrunkRaw: failing((n) => { n.length = 0; }, true) };
    return { renamed, beforeRows, grown, shrunk, raw, fresh, grownNext, grownOne, grownRaw, grownEmpty, values, replaced, failedStep };`),
  sqlite("cursors of every statement type", `
    sql.exec("CREATE TABLE t (a, b)");
    const facts = (text, ...b) => outcomeSync(() => {
      const c = sql.exec(text, ...b);
      const before = { names: c.columnNames, count: sql.exec("SELECT count(*) AS n FROM t").one().n };
      const rows = c.toArray();
      return { before, rows, after: { names: c.columnNames }, again: c.toArray(), next: show(c.next()) };
    });
    return {
      insert: facts("INSERT INTO t VALUES (1, 'x')"), insertReturning: facts("INSERT INTO t VALUES (2, 'y'), (3, 'z') RETURNING a"),
      select: facts("SELECT * FROM t ORDER BY a"), update: facts("UPDATE t SET b = 'u' WHERE a = 1"), updateReturning: facts("UPDATE t SET b = 'r' RETURNING a, b"),
      delete: facts("DELETE FROM t WHERE a = 3"), deleteReturning: facts("DELETE FROM t WHERE a = 2 RETURNING *"), create: facts("CREATE TABLE t2 (x)"),
      pragma: facts("PRAGMA table_info(t)"), explain: facts("EXPLAIN QUERY PLAN SELECT * FROM t WHERE a = 1"), emptySelect: facts("SELECT * FROM t WHERE 0"),
      values: facts("VALUES (1, 2), (3, 4)"), withInsert: facts("WITH x(v) AS (SELECT 9) INSERT INTO t SELECT v, 'w' FROM x"),
      selectParams: facts("SELECT ? AS p, ? AS q", 1, "two"), multiEndingInInsert: facts("SELECT 1; INSERT INTO t VALUES (7, 'm')"),
    };`),
  sqlite("when a cursor's statement runs", `
    sql.exec("CREATE TABLE t (a); INSERT INTO t VALUES (1), (2), (3)");
    const count = () => sql.exec("SELECT count(*) AS n FROM t").one().n;
    const ins = sql.exec("INSERT INTO t VALUES (10), (11) RETURNING a");
    const afterExecInsert = count();
    const lazy = sql.exec("SELECT a FROM t ORDER BY a");
    const firstLazy = lazy.next().value;
    sql.exec("INSERT INTO t VALUES (0), (99)");
    const restLazy = lazy.toArray();
    const upd = sql.exec("UPDATE t SET a = a + 100 WHERE a < 5 RETURNING a");
    const afterExecUpdate = sql.exec("SELECT count(*) AS n FROM t WHERE a > 100").one().n;
    const firstUpd = upd.next().value;
    const del = sql.exec("DELETE FROM t WHERE a > 100 RETURNING a");
    const afterExecDelete = count();
    return { afterExecInsert, insRows: ins.toArray(), firstLazy, restLazy, afterExecUpdate, firstUpd, updRest: upd.toArray(), afterExecDelete, delRows: del.toArray().length,
      finalCount: count(), sameTextTwice: (() => { const a = sql.exec("SELECT a FROM t ORDER BY a"); const b = sql.exec("SELECT a FROM t ORDER BY a"); a.next(); return { b: b.toArray().length, a: a.toArray().length }; })() };`),
];

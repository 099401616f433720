// Differential probes of SQLite-backed storage beyond the other sql files: which lists take
// the database's one list cursor from an open storage.kv.list() iterator; named parameters in
// the forms SQLite's tokenizer reads (Tcl's); what the first run of a text of several
// statements leaves busy; where number literals are refused; which statements open the
// implicit transaction where their words cannot tell; where errors of `*` expansion and of
// non-deterministic functions point; the schema text of workerd's own tables; statements naming
// a database that does not exist; a trigger's RAISE(ROLLBACK); a critical SQLite error. All sqlite.
import { cls, eachMethodThenRows, inside } from "../scenario.mjs";

const sqlite = (name, body) => inside(`sql more: ${name}`, "sqlite", body);

export default [
  // `probe(label, newer)`: an iterator read once, then `newer()`; records the iterator's rest.
  sqlite("lists that take storage.kv.list()'s cursor", `
    const kv = s.kv;
    const out = { beforeWrites: kv.list() };
    for (const k of ["a", "b", "c"]) kv.put(k, k);
    out.beforeWrites = outcomeSync(() => show(out.beforeWrites.next()));
    const rest = (it) => outcomeSync(() => [...it].map(([k]) => k));
    const probe = async (label, newer) => { const it = kv.list(); it.next(); await outcome(newer); out[label] = rest(it); };
    await probe("asyncList", () => s.list());
    await probe("asyncNoRows", () => s.list({ prefix: "zz" }));
    await probe("asyncEmptyRange", () => s.list({ start: "b", end: "b" }));
    await probe("asyncRefused", () => s.list({ limit: 0 }));
    await probe("txnList", () => s.transaction((txn) => txn.list({ reverse: true })));
    await probe("asyncGetMany", () => s.get(["a", "b"]));
    await probe("syncEmptyRange", () => kv.list({ prefix: "b", end: "a" }));
    await probe("syncNoRows", () => kv.list({ prefix: "zz" }));
    const unread = kv.list({ prefix: "zz" });
    kv.list();
    out.noRowsUnread = outcomeSync(() => show(unread.next()));
    const ended = kv.list({ prefix: "zz" });
    ended.next();
    await s.list();
    out.noRowsEnded = outcomeSync(() => show(ended.next()));
    const allRead = kv.list();
    allRead.next(); allRead.next(); allRead.next();
    await s.list();
    out.allRowsReadNotEnded = outcomeSync(() => show(allRead.next()));
    return out;`),
  // Each text with its bindings; records the column names and rows, or the error.
  sqlite("named parameters in Tcl's forms", `
    const run = (text, ...b) => outcomeSync(() => { const c = s.sql.exec(text, ...b); return [c.columnNames, [...c.raw()]]; });
    return [
      run("SELECT $a::b, $a", 1, 2), run("SELECT @a::b::c", 1), run("SELECT :a:::b", 1, 2), run("SELECT $a:b", 1, 2), run("SELECT $::a, $a::", 1, 2),
      run("SELECT $a(:b), $a(:b), $a(c)", 1, 2), run("SELECT $a::b(c)", 1), run("SELECT $a((b))", 1), run("SELECT $a(b c)", 1), run("SELECT $a(", 1),
      run("SELECT $(b)", 1), run("SELECT $a('x)')", 1), run("SELECT #a, #a, ?", 1, 2), run("SELECT #1", 1), run("SELECT $a(b); SELECT ?", 1),
    ];`),
  // `run(text)` records how an exec of the text ended (its rows, or the error).
  sqlite("a text's first run leaves its earlier statements that returned a row busy", `
    const sql = s.sql;
    const run = (text) => outcomeSync(() => sql.exec(text).toArray());
    sql.exec("CREATE TABLE t (x); INSERT INTO t VALUES (0)");
    const out = {};
    const text = "INSERT INTO t VALUES (1); SELECT x FROM t; SELECT 5 AS f";
    out.runs = [run(text), run(text), run(text), run(text)];
    out.count = run("SELECT count(*) AS n FROM t");
    const two = "SELECT 1 AS a; SELECT 2 AS b; SELECT 3 AS c";
    out.twoBusy = [run(two), run(two), run(two), run(two)];
    out.tail = [run("SELECT 2 AS b; SELECT 3 AS c"), run("SELECT 2 AS b; SELECT 3 AS c"), run("SELECT 2 AS b")];
    out.noRow = [run("SELECT x FROM t WHERE 0; SELECT 6 AS f"), run("SELECT x FROM t WHERE 0; SELECT 6 AS f")];
    const locking = "SELECT x FROM t; SELECT 7 AS f";
    out.locked = [run(locking), run("DROP TABLE t"), run(locking), run("CREATE TABLE u (y); INSERT INTO u VALUES (1)")];
    out.failedFirst = [run("SELECT y FROM u; SELECT * FROM nope"), run("DROP TABLE u")];
    const open = "SELECT 1 AS a; SELECT 2 AS b UNION ALL SELECT 3";
    const c = sql.exec(open);
    c.next();
    out.besideOpenCursor = [run(open), outcomeSync(() => c.toArray()), run(open)];
    return out;`),
  // Which first runs cache their text (leaving statements busy): one whose last statement fails
  // does, one whose earlier statement fails does not; a rollback rewinds what it left busy.
  sqlite("a text's first run that fails, is rolled back, or leaves its cursor unread", `
    const sql = s.sql;
    const run = (text, ...b) => outcomeSync(() => sql.exec(text, ...b).toArray());
    sql.exec("CREATE TABLE t (x NOT NULL); INSERT INTO t VALUES (0)");
    const lastFails = "SELECT x FROM t; INSERT INTO t VALUES (NULL)";
    const bindings = "SELECT x FROM t; SELECT ? AS v";
    const earlierFails = "SELECT x FROM t; INSERT INTO t VALUES (NULL); SELECT 5 AS f";
    const unread = "SELECT x FROM t; SELECT 5 AS f UNION ALL SELECT 6";
    const rolledBack = "SELECT x FROM t; SELECT 7 AS f";
    return {
      lastFails: [run(lastFails), run(lastFails), run(lastFails)], bindings: [run(bindings), run(bindings, 1), run(bindings, 2)],
      earlierFails: [run(earlierFails), run(earlierFails)], unread: [sql.exec(unread) && "left", run(unread), run(unread)],
      rolledBack: [outcomeSync(() => s.transactionSync(() => { sql.exec(rolledBack); throw new Error("undo"); })), run(rolledBack), run(rolledBack)],
      oneAndRaw: [outcomeSync(() => sql.exec(rolledBack).one()), outcomeSync(() => [...sql.exec(rolledBack).raw()])],
    };`),
  {
    // A busy write keeps the turn's implicit transaction (or a savepoint) from ending; a run of
    // the text that rewinds it (its cursor finished) saves the commit, one beside its open cursor does not.
    name: "sql more: a busy earlier write statement fails the commit",
    backend: "sqlite",
    source: cls(`  async setup() { this.ctx.storage.sql.exec("CREATE TABLE t (x)"); }
  async once() { return this.ctx.storage.sql.exec("INSERT INTO t VALUES (1) RETURNING x; SELECT 5 AS f").toArray(); }
  async twice() { const sql = this.ctx.storage.sql, text = "INSERT INTO t VALUES (2) RETURNING x; SELECT 6 AS f"; sql.exec(text).toArray(); return outcomeSync(() => sql.exec(text).toArray()); }
  async inTransactionSync() { return this.ctx.storage.transactionSync(() => this.ctx.storage.sql.exec("INSERT INTO t VALUES (3) RETURNING x; SELECT 7 AS f").toArray()); }
  async besideCursor() { const sql = this.ctx.storage.sql, text = "INSERT INTO t VALUES (4) RETURNING x; SELECT 8 AS f"; sql.exec(text); return sql.exec(text).toArray(); }
  async rows() { return this.ctx.storage.sql.exec("SELECT x FROM t ORDER BY x").toArray().map((r) => r.x); }`),
    drive: eachMethodThenRows(["once", "twice", "inTransactionSync", "besideCursor"]),
  },
  // Each text's rows or error: which refusals of a literal carry an offset.
  sqlite("number literals with digit separators, and hex literals too big", `
    const texts = ["SELECT 1_000 AS n", "SELECT 0x1_F AS n", "SELECT 1e1_0 AS n", "SELECT 1_", "SELECT 1__000", "SELECT 1_.5", "SELECT 1._5", "SELECT 12_3_",
      "SELECT 0x1_", "SELECT 0x_1", "SELECT 1e5_", "SELECT .5_", "SELECT 1_a", "SELECT 0x1_g", "SELECT 1, -0x10000000000000000", "SELECT 0x1_0000_0000_0000_0000",
      "SELECT 0X10000000000000000 + 0x10000000000000000", "SELECT 0xFFFFFFFFFFFFFFFF AS n"];
    return texts.map((text) => [text, outcomeSync(() => s.sql.exec(text).toArray())]);`),
  // Whether each statement opened the turn's implicit transaction: inside one SQLite ignores
  // PRAGMA foreign_keys = OFF, so the setting reads back 1.
  sqlite("statements that open the implicit transaction only as their program says", `
    const sql = s.sql;
    sql.exec("CREATE TABLE t (x)");
    const opens = async (text) => {
      await s.sync();
      const ran = outcomeSync(() => sql.exec(text).toArray().length > 0);
      sql.exec("PRAGMA foreign_keys = OFF");
      const inTransaction = sql.exec("PRAGMA foreign_keys").one().foreign_keys === 1;
      await s.sync();
      sql.exec("PRAGMA foreign_keys = ON");
      return [text, ran, inTransaction];
    };
    const out = [];
    for (const text of ["REINDEX", "REINDEX t", "PRAGMA optimize", "EXPLAIN PRAGMA optimize", "EXPLAIN SELECT * FROM t", "EXPLAIN QUERY PLAN SELECT 1",
      "EXPLAIN PRAGMA foreign_keys = OFF", "EXPLAIN INSERT INTO t VALUES (1)", "EXPLAIN QUERY PLAN DELETE FROM t", "EXPLAIN UPDATE t SET x = 1",
      "EXPLAIN CREATE TABLE IF NOT EXISTS t (x)", "EXPLAIN DROP TABLE IF EXISTS nope", "EXPLAIN ANALYZE", "CREATE TABLE IF NOT EXISTS t (x)",
      "CREATE INDEX tx ON t (x)", "REINDEX tx", "EXPLAIN REINDEX"]) out.push(await opens(text));
    return out;`),
  {
    // An EXPLAIN of a write is a writing statement: left unfinished, it keeps the commit from happening.
    name: "sql more: an unfinished EXPLAIN of a write fails the commit",
    backend: "sqlite",
    source: cls(`  async setup() { this.ctx.storage.sql.exec("CREATE TABLE t (x)"); }
  async explain() { return this.ctx.storage.sql.exec("EXPLAIN INSERT INTO t VALUES (1)").next().value.opcode; }
  async rows() { return this.ctx.storage.sql.exec("SELECT count(*) AS n FROM t").one().n; }`),
    drive: async (env) => {
      const stub = env.DO.getByName("e");
      await stub.setup();
      return { explain: await outcome(() => stub.explain()), sameStub: await outcome(() => stub.rows()), fresh: await outcome(() => env.DO.getByName("e").rows()) };
    },
  },
  sqlite("offsets of ambiguous names a star expands to, and of non-deterministic calls", `
    s.sql.exec("CREATE TABLE t (x UNIQUE, y); INSERT INTO t VALUES (1, 2)");
    const texts = ["SELECT * FROM t JOIN t", "SELECT t.* FROM t JOIN t", "SELECT count(*), * FROM t JOIN t", "SELECT * FROM (SELECT * FROM t JOIN t)",
      "SELECT * FROM t JOIN t USING (x)", "WITH c AS (SELECT 1) SELECT * FROM c, c", "SELECT x FROM t JOIN t", "SELECT x * 2, * FROM t AS a JOIN t AS b ON a.x = b.x",
      "CREATE INDEX i1 ON t (random())", "CREATE INDEX i2 ON t (x + random())", "CREATE INDEX i3 ON t (x) WHERE abs(RANDOM()) > 0",
      "CREATE INDEX i4 ON t (x) WHERE x > 1 AND changes() > 0", "CREATE TABLE c1 (a DEFAULT (random()), b AS (last_insert_rowid()))",
      "CREATE INDEX i5 ON t (x) WHERE date('now') > 0", "CREATE TABLE c2 (a CHECK (random() > 0))"];
    return texts.map((text) => [text, outcomeSync(() => s.sql.exec(text).toArray())]);`),
  sqlite("the CREATE text of workerd's own tables", `
    await s.put("k", 1);
    s.sql.exec("CREATE TABLE t (x)");
    await s.deleteAlarm();
    return s.sql.exec("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name").toArray();`),
  sqlite("statements naming a database that does not exist", `
    s.sql.exec("CREATE TABLE t (x)");
    const texts = ["PRAGMA nope.table_list", "PRAGMA \\"nope\\".foreign_keys", "PRAGMA [x y].table_info(t)", "PRAGMA nope.user_version", "PRAGMA nope.nope",
      "PRAGMA temp.table_list", "PRAGMA main.table_list", "CREATE TABLE nope.t2 (x)", "CREATE INDEX nope.i ON t (x)", "SELECT * FROM nope.t", "INSERT INTO nope.t VALUES (1)",
      "ALTER TABLE nope.t ADD COLUMN y", "ANALYZE nope.t"];
    return texts.map((text) => [text, outcomeSync(() => s.sql.exec(text).toArray().length)]);`),
  {
    // RAISE(ROLLBACK) ends the whole transaction: writes after it autocommit, and the turn's
    // commit (or transactionSync's savepoint) then fails, resetting the object.
    name: "sql more: a trigger's RAISE(ROLLBACK) ends the implicit transaction",
    backend: "sqlite",
    source: cls(`  async setup() { this.ctx.storage.sql.exec("CREATE TABLE tr (x); CREATE TRIGGER t3 BEFORE INSERT ON tr WHEN new.x = 3 BEGIN SELECT raise(ROLLBACK, 'three'); END; INSERT INTO tr VALUES (0)"); }
  async alone() { return outcomeSync(() => this.ctx.storage.sql.exec("INSERT INTO tr VALUES (3)").toArray()); }
  async writesAround() { const sql = this.ctx.storage.sql; sql.exec("INSERT INTO tr VALUES (1)"); this.ctx.storage.kv.put("k", 1); const r = outcomeSync(() => sql.exec("INSERT INTO tr VALUES (3)")); sql.exec("INSERT INTO tr VALUES (2)"); return r; }
  async inTransactionSync() { return this.ctx.storage.transactionSync(() => { this.ctx.storage.sql.exec("INSERT INTO tr VALUES (1)"); return outcomeSync(() => this.ctx.storage.sql.exec("INSERT INTO tr VALUES (3)")); }); }
  async rows() { return { rows: this.ctx.storage.sql.exec("SELECT x FROM tr ORDER BY x").toArray().map((r) => r.x), k: this.ctx.storage.kv.get("k") ?? null }; }`),
    drive: async (env) => {
      const out = {};
      for (const method of ["alone", "writesAround", "inTransactionSync"]) {
        const stub = env.DO.getByName(method);
        await stub.setup();
        out[method] = { result: await outcome(() => stub[method]()), sameStub: await outcome(() => stub.rows()), fresh: await outcome(() => env.DO.getByName(method).rows()) };
      }
      return out;
    },
  },
  {
    // SQLITE_FULL (here: AUTOINCREMENT past the largest rowid) is critical to workerd: the object
    // resets with that error, flagged, even when the code caught it.
    name: "sql more: a critical SQLite error resets the object with that error",
    backend: "sqlite",
    source: cls(`  async setup() { this.ctx.storage.sql.exec("CREATE TABLE a (id INTEGER PRIMARY KEY AUTOINCREMENT, v); INSERT INTO a VALUES (1, 0)"); }
  async uncaught() { const sql = this.ctx.storage.sql; sql.exec("INSERT INTO a VALUES (9223372036854775807, 1)"); sql.exec("INSERT INTO a (v) VALUES (2)"); }
  async caught() { const sql = this.ctx.storage.sql; sql.exec("INSERT INTO a VALUES (9223372036854775807, 1)"); return outcomeSync(() => sql.exec("INSERT INTO a (v) VALUES (2)")); }
  async inTransactionSync() { return this.ctx.storage.transactionSync(() => { this.ctx.storage.sql.exec("INSERT INTO a VALUES (9223372036854775807, 1)"); return outcomeSync(() => this.ctx.storage.sql.exec("INSERT INTO a (v) VALUES (2)")); }); }
  async rows() { return this.ctx.storage.sql.exec("SELECT count(*) AS n FROM a").one().n; }`),
    drive: async (env) => {
      const out = {};
      for (const method of ["uncaught", "caught", "inTransactionSync"]) {
        const stub = env.DO.getByName(method);
        await stub.setup();
        out[method] = { result: await outcome(() => stub[method]()), sameStub: await outcome(() => stub.rows()), fresh: await outcome(() => env.DO.getByName(method).rows()) };
      }
      return out;
    },
  },
];

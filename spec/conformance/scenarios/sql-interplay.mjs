// Where the SQL API meets the rest of storage on one SQLite-backed object: transactionSync()
// nesting and what a throw rolls back (SQL rows, sync and async KV writes, the alarm), cursors
// left open across writes and later statements, and the binding of every JavaScript type.
import { CALL_HELPERS, insideWith } from "./webidl-helpers.mjs";

const sqlite = (name, body, rest) => insideWith(CALL_HELPERS, `sql interplay: ${name}`, "sqlite", body, rest);

export default [
  sqlite("what a throw inside transactionSync() rolls back: rows, storage.kv, async put(), the alarm", `
    const sql = s.sql;
    sql.exec("CREATE TABLE t (a)");
    const out = {};
    out.threw = outcomeSync(() => s.transactionSync(() => {
      sql.exec("INSERT INTO t VALUES (1)");
      s.kv.put("kv", 1);
      s.put("async", 1);
      s.setAlarm(Date.now() + 60000);
      throw new Error("boom");
    }));
    await sleep(1);
    out.rows = sql.exec("SELECT a FROM t").toArray();
    out.kv = show(s.kv.get("kv"));
    out.async = show(await s.get("async"));
    out.alarm = (await s.getAlarm()) === null;
    return out;`, { alarmHandler: true }),
  sqlite("nested transactionSync(): an inner throw caught by the outer undoes only the inner writes", `
    const sql = s.sql;
    sql.exec("CREATE TABLE t (a)");
    const out = {};
    out.result = outcomeSync(() => s.transactionSync(() => {
      sql.exec("INSERT INTO t VALUES (1)");
      const inner = outcomeSync(() => s.transactionSync(() => { sql.exec("INSERT INTO t VALUES (2)"); s.kv.put("inner", 2); throw new TypeError("inner"); }));
      const inner2 = outcomeSync(() => s.transactionSync(() => { sql.exec("INSERT INTO t VALUES (3)"); return s.transactionSync(() => { sql.exec("INSERT INTO t VALUES (4)"); return "deep"; }); }));
      return { inner, inner2, seen: sql.exec("SELECT a FROM t ORDER BY a").toArray().map((r) => r.a) };
    }));
    out.rows = sql.exec("SELECT a FROM t ORDER BY a").toArray().map((r) => r.a);
    out.inner = show(s.kv.get("inner"));
    return out;`),
  sqlite("transactionSync() callbacks that return promises, thenables, undefined, or are not functions", `
    const sql = s.sql;
    sql.exec("CREATE TABLE t (a)");
    const out = await howAll({
      promise: () => s.transactionSync(() => { sql.exec("INSERT INTO t VALUES (1)"); return Promise.resolve(5); }),
      rejected: () => s.transactionSync(() => { sql.exec("INSERT INTO t VALUES (2)"); return Promise.reject(new Error("later")); }),
      asyncFn: () => s.transactionSync(async () => { sql.exec("INSERT INTO t VALUES (3)"); throw new Error("async throw"); }),
      thenable: () => s.transactionSync(() => ({ then(r) { r(7); } })),
      undef: () => s.transactionSync(() => {}),
      noArg: () => s.transactionSync(),
      notFn: () => s.transactionSync("x"),
      args: () => s.transactionSync(function (...a) { return a.length; }, 1, 2),
      thisValue: () => s.transactionSync(function () { return this === undefined ? "undefined" : typeof this; }),
    });
    out.rows = sql.exec("SELECT a FROM t ORDER BY a").toArray().map((r) => r.a);
    return out;`),
  sqlite("transaction() and transactionSync() inside each other; BEGIN/SAVEPOINT/COMMIT statements inside transactionSync()", `
    const sql = s.sql;
    sql.exec("CREATE TABLE t (a)");
    return howAll({
      asyncInSync: () => s.transactionSync(() => { const p = s.transaction(async (txn) => { await txn.put("x", 1); return "a"; }); return typeof p.then; }),
      syncInAsync: () => s.transaction(async () => s.transactionSync(() => { sql.exec("INSERT INTO t VALUES (1)"); return "sync"; })),
      syncInAsyncThrows: () => s.transaction(async () => { s.transactionSync(() => { sql.exec("INSERT INTO t VALUES (2)"); throw new RangeError("r"); }); }),
      afterAsync: async () => { await sleep(1); return [sql.exec("SELECT a FROM t ORDER BY a").toArray().map((r) => r.a), show(await s.get("x"))]; },
      begin: () => s.transactionSync(() => sql.exec("BEGIN").toArray()),
      savepoint: () => s.transactionSync(() => sql.exec("SAVEPOINT sp").toArray()),
      release: () => s.transactionSync(() => sql.exec("RELEASE sp").toArray()),
      commit: () => s.transactionSync(() => sql.exec("COMMIT").toArray()),
      rollback: () => s.transactionSync(() => sql.exec("ROLLBACK").toArray()),
      endOutside: () => sql.exec("END").toArray(),
      rows: () => sql.exec("SELECT a FROM t ORDER BY a").toArray().map((r) => r.a),
    });`),
  sqlite("cursors: next() after done, toArray()/one()/raw() after partial iteration, iterator identity", `
    const sql = s.sql;
    sql.exec("CREATE TABLE t (a, b)");
    for (let i = 1; i <= 4; i++) sql.exec("INSERT INTO t VALUES (?, ?)", i, "v" + i);
    const out = {};
    const c1 = sql.exec("SELECT * FROM t ORDER BY a");
    out.first = show(c1.next());
    out.restArray = outcomeSync(() => c1.toArray());
    out.afterDone = [show(c1.next()), show(c1.next())];
    out.toArrayAgain = outcomeSync(() => c1.toArray());
    out.oneAfterDone = outcomeSync(() => c1.one());
    out.counts = [c1.rowsRead, c1.rowsWritten];
    const c2 = sql.exec("SELECT * FROM t ORDER BY a");
    c2.next();
    out.oneAfterPartial = outcomeSync(() => c2.one());
    out.c2counts = [c2.rowsRead, c2.rowsWritten];
    const c3 = sql.exec("SELECT * FROM t ORDER BY a");
    c3.next();
    out.rawAfterPartial = outcomeSync(() => c3.raw().toArray());
    out.rawNames = c3.columnNames;
    const c4 = sql.exec("SELECT * FROM t ORDER BY a");
    out.identity = [c4[Symbol.iterator]() === c4, typeof c4.raw, c4.raw() === c4.raw(), c4.raw()[Symbol.iterator]() !== c4];
    const r1 = c4.raw();
    const r2 = c4.raw();
    out.twoRaws = [show(r1.next()), show(r2.next()), show(c4.next()), c4.rowsRead];
    const c5 = sql.exec("SELECT * FROM t ORDER BY a");
    out.spread = outcomeSync(() => { let n = 0; for (const row of c5) { if (++n === 2) break; } return [n, show(c5.next()), c5.rowsRead]; });
    const c6 = sql.exec("SELECT * FROM t ORDER BY a");
    out.returnMethod = outcomeSync(() => [typeof c6.return, typeof c6.throw]);
    return out;`),
  sqlite("cursors: left open while the table changes, while another statement runs, across a transactionSync()", `
    const sql = s.sql;
    sql.exec("CREATE TABLE t (a)");
    for (let i = 1; i <= 5; i++) sql.exec("INSERT INTO t VALUES (?)", i);
    const out = {};
    const c = sql.exec("SELECT a FROM t ORDER BY a");
    out.first = show(c.next());
    out.insert = outcomeSync(() => sql.exec("INSERT INTO t VALUES (6)").rowsWritten);
    out.del = outcomeSync(() => sql.exec("DELETE FROM t WHERE a = 3").rowsWritten);
    out.rest = outcomeSync(() => c.toArray().map((r) => r.a));
    const d = sql.exec("SELECT a FROM t ORDER BY a");
    d.next();
    out.txn = outcomeSync(() => s.transactionSync(() => sql.exec("UPDATE t SET a = a * 10").rowsWritten));
    out.dRest = outcomeSync(() => d.toArray().map((r) => r.a));
    const e = sql.exec("SELECT a FROM t ORDER BY a");
    e.next();
    out.drop = outcomeSync(() => sql.exec("DROP TABLE t").toArray());
    out.eRest = outcomeSync(() => e.toArray());
    out.tableAfter = outcomeSync(() => sql.exec("SELECT count(*) AS n FROM t").one());
    return out;`),
  sqlite("exec() of several statements: which result comes back, counters, and what a failure mid-batch leaves", `
    const sql = s.sql;
    const out = {};
    const c = sql.exec("CREATE TABLE t (a UNIQUE); INSERT INTO t VALUES (1); INSERT INTO t VALUES (2); SELECT a FROM t ORDER BY a");
    out.multi = { rows: c.toArray(), names: c.columnNames, read: c.rowsRead, written: c.rowsWritten };
    const selFirst = sql.exec("SELECT a FROM t; INSERT INTO t VALUES (3)");
    out.selectFirst = { rows: outcomeSync(() => selFirst.toArray()), names: selFirst.columnNames, read: selFirst.rowsRead, written: selFirst.rowsWritten };
    out.midFail = outcomeSync(() => sql.exec("INSERT INTO t VALUES (4); INSERT INTO t VALUES (1); INSERT INTO t VALUES (5)").toArray());
    out.afterMidFail = sql.exec("SELECT a FROM t ORDER BY a").toArray().map((r) => r.a);
    out.syntaxLater = outcomeSync(() => sql.exec("INSERT INTO t VALUES (6); SELEC nope").toArray());
    out.afterSyntax = sql.exec("SELECT a FROM t ORDER BY a").toArray().map((r) => r.a);
    out.bindingsMulti = outcomeSync(() => sql.exec("INSERT INTO t VALUES (?); INSERT INTO t VALUES (?)", 7, 8).toArray());
    out.afterBindings = sql.exec("SELECT a FROM t ORDER BY a").toArray().map((r) => r.a);
    out.emptyish = {};
    for (const text of ["", " ", ";", ";;", "-- only a comment", "/* c */", "SELECT 1;;", "SELECT 1; -- tail", "SELECT 1 /* tail */ ;  "]) out.emptyish[JSON.stringify(text)] = outcomeSync(() => { const k = sql.exec(text); return [k.toArray(), k.columnNames]; });
    return out;`),
  sqlite("bindings of every JavaScript type: what SQLite stores and reads back, and which are refused", `
    const sql = s.sql;
    const buf = new Uint8Array([1, 2, 3, 4, 5, 6]).buffer;
    const shared = new SharedArrayBuffer(2);
    const cases = {
      true: true, false: false, date: new Date(0), int16: new Int16Array([1, -1]), dataView: new DataView(buf, 1, 2),
      sub: new Uint8Array(buf, 2, 3), arrayBuffer: buf, shared, sharedView: new Uint8Array(shared), float64: new Float64Array([0.5]),
      bigSafe: 5n, bigMax: 9223372036854775807n, bigOver: 9223372036854775808n, bigMin: -9223372036854775808n, bigUnder: -9223372036854775809n,
      nan: NaN, inf: Infinity, negZero: -0, maxSafe: 2 ** 53, over53: 2 ** 53 + 2, frac: 0.1, int32: 2 ** 31,
      nul: null, undef: undefined, obj: {}, arr: [1], sym: Symbol("s"), fn: () => 1, boxedStr: new String("s"), boxedNum: new Number(2),
      boxedBool: new Boolean(false), str: "x\\u0000y", lone: "\\ud800", empty: "", map: new Map(),
    };
    const out = {};
    for (const [k, v] of Object.entries(cases)) out[k] = outcomeSync(() => sql.exec("SELECT ? AS v, typeof(?1) AS t", v).one());
    out.countTooMany = outcomeSync(() => sql.exec("SELECT ? AS v", 1, 2).one());
    out.countTooFew = outcomeSync(() => sql.exec("SELECT ? AS a, ? AS b", 1).one());
    out.numbered = outcomeSync(() => sql.exec("SELECT ?2 AS a, ?1 AS b", "one", "two").one());
    out.named = outcomeSync(() => sql.exec("SELECT :x AS a", 1).one());
    out.dollar = outcomeSync(() => sql.exec("SELECT $x AS a, $x AS b", 1).one());
    out.at = outcomeSync(() => sql.exec("SELECT @x AS a", 1).one());
    out.numberedGap = outcomeSync(() => sql.exec("SELECT ?3 AS a", 1, 2, 3).one());
    out.numberedGapShort = outcomeSync(() => sql.exec("SELECT ?3 AS a", 1).one());
    return out;`),
];

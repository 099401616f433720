// Storage calls beside and inside each other: transactions nested with rollbacks at either
// level (on the KV backend an inner transaction commits on its own, so an outer rollback keeps
// its writes), keys named as Object.prototype's members, the alarm methods with every option,
// list() limits among unawaited writes of one turn, and the async API called inside
// transactionSync() (its writes roll back with it; a sync() or transaction() started there
// settles after it). And writes of every kind followed by ctx.abort() in the same call on
// SQLite: the reset drops what has not committed (a put awaited too), keeps what a timer, a
// sync() or an awaited transaction() let commit, and keeps a deleteAll() whatever came before
// or after it (inside transactionSync() too): workerd recreates the database file at once.
import { cls } from "../scenario.mjs";
import { insideWith, insideWithBoth, CALL_HELPERS } from "./webidl-helpers.mjs";

/** An alarm set, then deleteAll() (alone, inside transactionSync(), or with a new alarm after it) and ctx.abort() in one call. */
const WIPE_ABORT_ALARM = {
  backend: "sqlite",
  source: cls(`  async alarm() {}
  async arm() { await this.ctx.storage.setAlarm(Date.now() + 600000); await this.ctx.storage.put("seed", 1); }
  async act(how) {
    const s = this.ctx.storage;
    if (how === "plain") s.deleteAll();
    if (how === "inSync") { try { s.transactionSync(() => s.deleteAll()); } catch {} }
    if (how === "setAfter") { s.deleteAll(); s.setAlarm(Date.now() + 900000); }
    this.ctx.abort("after");
  }
  async state() { const a = await this.ctx.storage.getAlarm(); return { alarm: a === null ? null : "set", keys: [...(await this.ctx.storage.list()).keys()].join(",") }; }`),
  drive: async (env) => {
    const out = {};
    for (const h of ["plain", "inSync", "setAfter"]) {
      await env.DO.getByName(h).arm();
      const r = await outcome(() => env.DO.getByName(h).act(h));
      out[h] = { r: r.error?.message, ...(await env.DO.getByName(h).state()) };
    }
    return out;
  },
};
export default [
  ...insideWithBoth(CALL_HELPERS, "storage interplay: transaction() nested, an inner or outer rollback(), the outer txn used inside the inner, a txn returned, delete counts", `
    const keys = async () => [...(await s.list())].map(([k, v]) => k + "=" + v).join(",");
    const out = {};
    out.innerRollback = await how(() => s.transaction(async (outer) => {
      await outer.put("o1", 1);
      const r = await s.transaction(async (inner) => { await inner.put("i1", 1); inner.rollback(); return "inner done"; });
      await outer.put("o2", 2);
      return [r, show(await outer.get(["o1", "i1", "o2"]))];
    }));
    out.afterInnerRollback = await keys();
    await s.deleteAll();
    out.outerRollback = await how(() => s.transaction(async (outer) => {
      await outer.put("o1", 1);
      const r = await s.transaction(async (inner) => { await inner.put("i1", 1); return show(await inner.get(["o1", "i1"])); });
      outer.rollback();
      return r;
    }));
    out.afterOuterRollback = await keys();
    await s.deleteAll();
    out.rollbackThenThrow = await how(() => s.transaction(async (txn) => { await txn.put("x", 1); txn.rollback(); throw new RangeError("after rollback"); }));
    out.afterRollbackThenThrow = await keys();
    out.outerInInner = await how(() => s.transaction(async (outer) => {
      await outer.put("a", 1);
      const r = await s.transaction(async (inner) => { await outer.put("b", 2); await inner.put("c", 3); return show(await outer.get(["a", "b", "c"])); });
      return [r, show(await outer.get(["a", "b", "c"]))];
    }));
    out.afterOuterInInner = await keys();
    out.returnTxn = await how(async () => { const t = await s.transaction(async (txn) => txn); return [Object.prototype.toString.call(t), await how(() => t.get("a"))]; });
    out.deleteCounts = await how(() => s.transaction(async (txn) => {
      await txn.put({ p: 1, q: 2 });
      const one = await txn.delete("p");
      const again = await txn.delete("p");
      const many = await txn.delete(["p", "q", "a", "zz", "q"]);
      return [one, again, many, show(await txn.get(["p", "q", "a"]))];
    }));
    out.final = await keys();
    return out;`),
  ...insideWithBoth(CALL_HELPERS, "storage interplay: keys named as Object.prototype's members, in get, put(entries), list, delete and a transaction", `
    const names = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "length", "0", "prototype"];
    const out = {};
    out.putEach = await how(async () => { for (const n of names) await s.put(n, "v:" + n); return "ok"; });
    out.getEach = await how(async () => { const r = []; for (const n of names) r.push(await s.get(n)); return r.join(","); });
    out.getMany = await how(async () => [...(await s.get(names))].map(([k, v]) => k + "=" + v).join(","));
    out.list = await how(async () => [...(await s.list())].map(([k, v]) => k + "=" + v).join(","));
    out.deleteMany = await how(() => s.delete(names));
    const entries = JSON.parse('{"__proto__": 1, "constructor": 2, "toString": 3}');
    out.putEntries = await how(() => s.put(entries));
    out.afterEntries = await how(async () => [...(await s.list())].map(([k, v]) => k + "=" + v).join(","));
    out.txn = await how(() => s.transaction(async (t) => { await t.put(JSON.parse('{"__proto__": "t", "hasOwnProperty": "h"}')); return [...(await t.list())].map(([k, v]) => k + "=" + v).join(","); }));
    return out;`),
  ...insideWithBoth(CALL_HELPERS, "storage interplay: the alarm methods with every option, their results, the largest time and fractions", `
    const out = {};
    const t = Date.now() + 60000;
    out.set = await how(() => s.setAlarm(t, { allowConcurrency: true, allowUnconfirmed: true }));
    out.get = await how(async () => (await s.getAlarm({ allowConcurrency: true })) === t);
    out.setDate = await how(() => s.setAlarm(new Date(t + 5), { allowUnconfirmed: false }));
    out.getAfterDate = await how(async () => (await s.getAlarm()) - t);
    out.del = await how(() => s.deleteAlarm({ allowConcurrency: true, allowUnconfirmed: true }));
    out.delAgain = await how(() => s.deleteAlarm());
    out.getNull = await how(() => s.getAlarm());
    out.setAt8_64e15 = await how(async () => { await s.setAlarm(8.64e15); return (await s.getAlarm()) === 8.64e15; });
    out.setFractionDate = await how(async () => { await s.setAlarm(new Date(t + 0.9)); return (await s.getAlarm()) - t; });
    out.setNegativeFraction = await how(() => s.setAlarm(-0.5));
    out.setTinyPositive = await how(async () => { const before = Date.now(); await s.setAlarm(0.5); const a = await s.getAlarm(); return a >= before; });
    out.syncResult = await how(() => s.sync());
    out.deleteAllResult = await how(() => s.deleteAll({ allowUnconfirmed: true, noCache: true }));
    out.afterDeleteAll = await how(() => s.getAlarm());
    return out;`, { alarmHandler: true }),
  ...insideWithBoth(CALL_HELPERS, "storage interplay: list() limits and reverse among unawaited writes of the same turn", `
    const out = {};
    const keys = (m) => [...m.keys()].join(",");
    await s.put({ a: 1, b: 2, c: 3, d: 4, e: 5 });
    const p1 = s.list({ limit: 2 });
    s.delete("a");
    const p2 = s.list({ limit: 2 });
    s.put("aa", 0);
    const p3 = s.list({ limit: 2, reverse: true });
    s.put("z", 9);
    const p4 = s.list({ limit: 2, reverse: true });
    s.delete(["z", "e"]);
    const p5 = s.list({ limit: 2, reverse: true, end: "d" });
    const p6 = s.list({ startAfter: "aa", limit: 1 });
    out.lists = (await Promise.all([p1, p2, p3, p4, p5, p6])).map(keys);
    out.final = keys(await s.list());
    return out;`),
  insideWith(CALL_HELPERS, "storage interplay: storage calls made inside transactionSync(), committed or rolled back with it", "sqlite", `
    const out = {};
    out.getInside = await how(() => { let p; const r = s.transactionSync(() => { s.put("a", 1); p = s.get("a"); return "ret"; }); return p.then((v) => [r, v]); });
    out.listInside = await how(() => { let p; s.transactionSync(() => { s.put("b", 2); p = s.list(); throw new Error("undo"); }); return p; });
    out.afterUndo = await how(async () => [...(await s.list()).keys()].join(","));
    out.deleteInside = await how(() => { let p; try { s.transactionSync(() => { p = s.delete("a"); throw new Error("undo"); }); } catch {} return p; });
    out.afterDeleteUndo = await how(() => s.get("a"));
    out.alarmInside = await how(() => { let p; try { s.transactionSync(() => { s.setAlarm(Date.now() + 60000); p = s.getAlarm().then((v) => v === null ? null : "set"); throw new Error("undo"); }); } catch {} return p; });
    out.alarmAfter = await how(() => s.getAlarm());
    out.syncInside = await how(() => { let p; s.transactionSync(() => { s.put("c", 3); p = s.sync(); }); return p; });
    out.txnInside = await how(() => { let p; s.transactionSync(() => { p = s.transaction(async (t) => { await t.put("d", 4); return "inner"; }); }); return p; });
    out.final = await how(async () => [...(await s.list())].map(([k, v]) => k + "=" + v).join(","));
    return out;`, { alarmHandler: true }),
  {
    name: "storage interplay: writes of every kind, then ctx.abort() in the same call: which survive (a deleteAll() does, at once)",
    backend: "sqlite",
    source: cls(`  async alarm() {}
  async act(how) {
    const s = this.ctx.storage;
    switch (how) {
      case "putSameTurn": s.put("k", 1); break;
      case "putUnconfirmedSameTurn": s.put("k", 1, { allowUnconfirmed: true }); break;
      case "putAwaited": await s.put("k", 1); break;
      case "putUnconfirmedAwaited": await s.put("k", 1, { allowUnconfirmed: true }); break;
      case "putThenTimer": s.put("k", 1); await new Promise((r) => setTimeout(r, 5)); break;
      case "putThenSync": s.put("k", 1); await s.sync(); break;
      case "deleteAllUnconfirmedSameTurn": s.deleteAll({ allowUnconfirmed: true }); break;
      case "setAlarmUnconfirmedSameTurn": s.setAlarm(Date.now() + 60000, { allowUnconfirmed: true }); break;
      case "setAlarmAwaited": await s.setAlarm(Date.now() + 60000); break;
      case "transactionAwaited": await s.transaction(async (t) => { await t.put("k", 1); }); break;
      case "transactionNotAwaited": s.transaction(async (t) => { await t.put("k", 1); }); break;
      case "transactionSync": s.transactionSync(() => s.kv.put("k", 1)); break;
      case "kvPut": s.kv.put("k", 1); break;
      case "sqlInsert": s.sql.exec("CREATE TABLE IF NOT EXISTS t(a)"); s.sql.exec("INSERT INTO t VALUES (1)"); break;
      case "deleteAllSameTurn": s.deleteAll(); break;
      case "deleteAllAwaited": await s.deleteAll(); break;
      case "putThenDeleteAll": s.put("k", 1); s.deleteAll(); break;
      case "deleteAllThenPut": s.deleteAll(); s.put("k", 1); break;
      case "deleteAllThenPutUnconfirmed": s.deleteAll(); s.put("k", 1, { allowUnconfirmed: true }); break;
      case "setAlarmThenDeleteAll": s.setAlarm(Date.now() + 60000); s.deleteAll(); break;
      case "deleteAllThenSetAlarm": s.deleteAll(); s.setAlarm(Date.now() + 60000); break;
      case "sqlThenDeleteAll": s.sql.exec("CREATE TABLE IF NOT EXISTS t(a)"); s.sql.exec("INSERT INTO t VALUES (1)"); s.deleteAll(); break;
      case "deleteAllThenSql": s.deleteAll(); s.sql.exec("CREATE TABLE IF NOT EXISTS t(a)"); s.sql.exec("INSERT INTO t VALUES (1)"); break;
      case "deleteAllThenThrow": s.deleteAll(); throw new Error("boom"); 
      case "getThenPut": await s.get("x"); s.put("k", 1); break;
      case "putThenGet": s.put("k", 1); await s.get("x"); break;
    }
    this.ctx.abort("after " + how);
  }
  async seedAll() { await this.ctx.storage.put("seed", 1); }
  async state() {
    const s = this.ctx.storage;
    const a = await s.getAlarm();
    let rows = null;
    try { rows = s.sql.exec("SELECT count(*) AS n FROM t").one().n; } catch (e) { rows = "no table"; }
    return { k: (await s.get("k")) ?? null, seed: (await s.get("seed")) ?? null, alarm: a === null ? null : "set", rows };
  }`),
    drive: async (env) => {
      const hows = ["deleteAllSameTurn", "deleteAllAwaited", "putThenDeleteAll", "deleteAllThenPut", "deleteAllThenPutUnconfirmed", "setAlarmThenDeleteAll", "deleteAllThenSetAlarm", "sqlThenDeleteAll", "deleteAllThenSql", "deleteAllThenThrow", "putSameTurn", "putUnconfirmedSameTurn", "putAwaited", "putUnconfirmedAwaited", "putThenTimer", "putThenSync", "deleteAllUnconfirmedSameTurn", "setAlarmUnconfirmedSameTurn", "setAlarmAwaited", "transactionAwaited", "transactionNotAwaited", "transactionSync", "kvPut", "sqlInsert", "getThenPut", "putThenGet"];
      const out = {};
      for (const h of hows) {
        await env.DO.getByName(h).seedAll();
        const r = await outcome(() => env.DO.getByName(h).act(h));
        out[h] = { r: r.error?.message ?? r.ok, ...(await env.DO.getByName(h).state()) };
      }
      return out;
    },
  },
  {
    name: "storage interplay: deleteAll() beside what resets the object: a constraint failing at commit, an abort after transactionSync(), sync() or transaction(), a failing blockConcurrencyWhile()",
    backend: "sqlite",
    source: cls(`  async alarm() {}
  async act(how) {
    const s = this.ctx.storage;
    const sql = s.sql;
    switch (how) {
      case "fkFailureAfterWipe":
        s.deleteAll();
        sql.exec("CREATE TABLE p(id INTEGER PRIMARY KEY); CREATE TABLE c(pid INTEGER REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED); INSERT INTO c VALUES (5)");
        s.put("k", 1);
        return "returned";
      case "fkFailureBeforeWipe":
        sql.exec("CREATE TABLE p(id INTEGER PRIMARY KEY); CREATE TABLE c(pid INTEGER REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED); INSERT INTO c VALUES (5)");
        s.deleteAll();
        s.put("k", 1);
        return "returned";
      case "wipeInTransactionSyncThenAbort":
        try { s.transactionSync(() => { s.deleteAll(); }); } catch (e) { s.put("err", e.message.replace(/reference = .*/, "ref")); }
        this.ctx.abort("after");
        break;
      case "wipeSyncThenAbort":
        s.deleteAll(); s.put("k", 1); await s.sync(); s.put("k2", 2);
        this.ctx.abort("after");
        break;
      case "transactionThenWipeThenAbort":
        await s.transaction(async (t) => { await t.put("k", 1); });
        s.deleteAll();
        this.ctx.abort("after");
        break;
      case "wipeThenTransactionThenAbort":
        s.deleteAll();
        await s.transaction(async (t) => { await t.put("k", 1); });
        this.ctx.abort("after");
        break;
      case "wipeTwiceThenAbort":
        s.deleteAll(); s.put("k", 1); s.deleteAll(); s.put("k2", 1);
        this.ctx.abort("after");
        break;
      case "wipeInBlockConcurrencyThenAbort":
        await this.ctx.blockConcurrencyWhile(async () => { s.deleteAll(); s.put("k", 1); throw new Error("section fails"); });
        break;
    }
  }
  async seedAll() { await this.ctx.storage.put("seed", 1); this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS t(a)"); }
  async state() {
    const s = this.ctx.storage;
    return { keys: [...(await s.list()).keys()].join(","), tables: s.sql.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '_cf_%' ORDER BY name").toArray().map((r) => r.name).join(",") };
  }`),
    drive: async (env) => {
      const hows = ["fkFailureAfterWipe", "fkFailureBeforeWipe", "wipeInTransactionSyncThenAbort", "wipeSyncThenAbort", "transactionThenWipeThenAbort", "wipeThenTransactionThenAbort", "wipeTwiceThenAbort", "wipeInBlockConcurrencyThenAbort"];
      const out = {};
      for (const h of hows) {
        await env.DO.getByName(h).seedAll();
        const r = await outcome(() => env.DO.getByName(h).act(h));
        out[h] = { r: r.error ? r.error.message.replace(/reference = .*/, "ref") : r.ok, ...(await env.DO.getByName(h).state()) };
      }
      return out;
    },
  },
  { ...WIPE_ABORT_ALARM, name: "storage interplay: an alarm, then deleteAll() and ctx.abort() in one call" },
  {
    ...WIPE_ABORT_ALARM,
    name: "storage interplay: an alarm, then deleteAll() and ctx.abort() in one call, before 2026-02-24 (deleteAll() keeps the alarm, in writes the reset drops)",
    compatibilityDate: "2026-01-01",
  },
];

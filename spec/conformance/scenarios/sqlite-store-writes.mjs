// What the storage API's calls write to a SQLite-backed object's database. workerd's KV creates
// its `_cf_KV` table on its first write of any kind, so a delete() of a key never stored and a
// put() of no entries leave the table behind (sqlite_master lists it, databaseSize counts its
// page), while reads, a delete() of no keys, deleteAll() and the alarm methods without an alarm
// do not; a write rolled back takes the table with it. A bookmark asked for inside
// transactionSync() or transaction() commits nothing early: the transaction still rolls back.
// The alarm's `_cf_METADATA` is made by the first setAlarm(), and by a deleteAlarm() only while
// the deleteAll() that wiped the database is not yet committed.
import { cls } from "../scenario.mjs";
import { CALL_HELPERS, insideWith } from "./webidl-helpers.mjs";

const CALLS = {
  nothing: "() => 0",
  kvGet: '() => s.kv.get("a")',
  kvDelete: '() => s.kv.delete("a")',
  kvList: "() => [...s.kv.list()]",
  kvPut: '() => s.kv.put("a", 1)',
  get: '() => s.get("a")',
  getMany: '() => s.get(["a", "b"])',
  deleteMissing: '() => s.delete("a")',
  deleteManyMissing: '() => s.delete(["a", "b"])',
  deleteNoKeys: "() => s.delete([])",
  deleteUnconfirmed: '() => s.delete("a", { allowUnconfirmed: true })',
  list: "() => s.list()",
  putNoEntries: "() => s.put({})",
  txnDelete: '() => s.transaction(async (txn) => { await txn.delete("a"); })',
  txnDeleteRolledBack: '() => s.transaction(async (txn) => { await txn.delete("a"); txn.rollback(); })',
  txnPutNoEntries: "() => s.transaction(async (txn) => { await txn.put({}); })",
  txnDeleteNoKeys: "() => s.transaction(async (txn) => { await txn.delete([]); })",
  txnGetAndList: '() => s.transaction(async (txn) => { await txn.get("a"); await txn.list(); })',
  kvDeleteRolledBack: '() => { try { s.transactionSync(() => { s.kv.delete("a"); throw new Error("undo"); }); } catch {} }',
  deleteThenDeleteAll: 'async () => { await s.delete("a"); await s.deleteAll(); }',
  alarmMethods: "async () => [await s.getAlarm(), await s.deleteAlarm()]",
  sync: "() => s.sync()",
};

export default [
  {
    name: "sqlite store writes: which storage calls leave the KV table behind",
    backend: "sqlite",
    source: CALL_HELPERS + cls(`
  async call(which) {
    const s = this.ctx.storage;
    const calls = { ${Object.entries(CALLS).map(([k, f]) => `${k}: ${f}`).join(",\n      ")} };
    const outcome = await how(calls[which]);
    await s.sync();
    return { outcome, tables: s.sql.exec("SELECT name FROM sqlite_master").raw().toArray().flat(), size: s.sql.databaseSize };
  }`),
    drive: `async (env) => {
    const out = {};
    for (const which of ${JSON.stringify(Object.keys(CALLS))}) out[which] = await env.DO.getByName(which).call(which);
    return out;
  }`,
  },
  {
    name: "sqlite store writes: deleteAlarm() before and after a deleteAll() is committed",
    backend: "sqlite",
    source: CALL_HELPERS + cls(`
  async alarm() {}
  async wipe() { await this.ctx.storage.deleteAll(); }
  async tables() { return this.ctx.storage.sql.exec("SELECT name FROM sqlite_master").raw().toArray().flat(); }
  async run(which) {
    const s = this.ctx.storage;
    const runs = {
      fresh: () => s.deleteAlarm(),
      setThenDelete: async () => { await s.setAlarm(Date.now() + 1e7); await s.deleteAlarm(); },
      sameTurn: () => { s.deleteAll(); return s.deleteAlarm(); },
      awaited: async () => { await s.deleteAll(); await s.deleteAlarm(); },
      alarmWiped: async () => { await s.setAlarm(Date.now() + 1e7); await s.deleteAll(); await s.deleteAlarm(); },
      putBetween: async () => { await s.deleteAll(); await s.put("x", 1); await s.deleteAlarm(); },
      afterSync: async () => { await s.deleteAll(); await s.sync(); await s.deleteAlarm(); },
      afterTimer: async () => { await s.deleteAll(); await new Promise((resolve) => setTimeout(resolve, 50)); await s.deleteAlarm(); },
    };
    const outcome = await how(runs[which]);
    await s.sync();
    return { outcome, alarm: await s.getAlarm(), tables: await this.tables(), size: s.sql.databaseSize };
  }`),
    drive: `async (env) => {
    const out = {};
    for (const which of ["fresh", "setThenDelete", "sameTurn", "awaited", "alarmWiped", "putBetween", "afterSync", "afterTimer"]) out[which] = await env.DO.getByName(which).run(which);
    const later = env.DO.getByName("nextRequest");
    await later.wipe();
    out.nextRequest = await later.run("fresh");
    return out;
  }`,
  },
  insideWith(CALL_HELPERS, "sqlite store writes: getCurrentBookmark() inside transactionSync() and transaction() commits nothing early", "sqlite", `
    const sql = s.sql;
    sql.exec("CREATE TABLE t (a)");
    const rows = () => sql.exec("SELECT a FROM t ORDER BY a").raw().toArray().flat();
    const out = {};
    let inSync;
    out.syncThrows = await how(() => s.transactionSync(() => { sql.exec("INSERT INTO t VALUES (1)"); inSync = s.getCurrentBookmark(); throw new Error("undo"); }));
    out.inSync = await how(() => inSync.then((b) => typeof b));
    out.afterSync = rows();
    out.nestedSync = await how(() => s.transactionSync(() => { sql.exec("INSERT INTO t VALUES (2)"); try { s.transactionSync(() => { sql.exec("INSERT INTO t VALUES (3)"); s.getCurrentBookmark(); throw new Error("inner"); }); } catch {} return rows(); }));
    out.rolledBack = await how(() => s.transaction(async (txn) => { sql.exec("INSERT INTO t VALUES (4)"); const b = await s.getCurrentBookmark(); txn.rollback(); return typeof b; }));
    out.afterRolledBack = rows();
    out.committed = await how(() => s.transaction(async () => { sql.exec("INSERT INTO t VALUES (5)"); return typeof (await s.getCurrentBookmark()); }));
    out.afterCommitted = rows();
    out.outside = await how(() => { sql.exec("INSERT INTO t VALUES (6)"); return s.getCurrentBookmark().then((b) => typeof b); });
    out.end = rows();
    return out;`),
];

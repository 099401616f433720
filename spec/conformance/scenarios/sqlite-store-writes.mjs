// What the storage API's calls write to a SQLite-backed object's database. workerd's KV creates
// its `_cf_KV` table on its first write of any kind, so a delete() of a key never stored and a
// put() of no entries leave the table behind (sqlite_master lists it, databaseSize counts its
// page), while reads, a delete() of no keys, deleteAll() and the alarm methods without an alarm
// do not; a write rolled back takes the table with it.
import { cls } from "../scenario.mjs";
import { CALL_HELPERS } from "./webidl-helpers.mjs";

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
];

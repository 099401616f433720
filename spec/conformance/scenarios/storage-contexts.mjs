// An object's storage belongs to its instance's I/O context. Reached from another object's code
// or a Worker request's through a module-level variable, every surface refuses once its
// arguments are converted: "(I/O type: ActorCacheInterface)" for ctx.storage, sql.exec() and
// storage.kv, "Transaction" for a txn, "State" for a SQL cursor that has rows left (a finished
// one answers; columnNames always), "ListCursor" for a kv.list() iterator. From a Worker
// request, delete() and setAlarm() fail with the runtime's internal error instead. An RpcTarget
// or a function the object hands out runs as the object's code, so its storage answers there.
import { cls } from "../scenario.mjs";
import { CALL_HELPERS } from "./webidl-helpers.mjs";

const USES = (backend) => `${CALL_HELPERS}
let stash;
async function useStash() {
  const s = stash.s;
  const uses = await howAll({
    getNoArgs: () => s.get(), getBadOpts: () => s.get("k", 5), get: () => s.get("k"), getMany: () => s.get(["k"]), put: () => s.put("k2", 2), putUndef: () => s.put("k2", undefined),
    putEntries: () => s.put({ e: 1 }), list: () => s.list().then((m) => [...m.keys()]), listBad: () => s.list({ limit: 0 }), del: () => s.delete("k2"), delMany: () => s.delete(["k2"]), delBad: () => s.delete(),
    deleteAll: () => s.deleteAll(), getAlarm: () => s.getAlarm(), setAlarm: () => s.setAlarm(Date.now() + 60000), setAlarmBad: () => s.setAlarm(0), deleteAlarm: () => s.deleteAlarm(),
    sync: () => s.sync(), txn: () => s.transaction(async (t) => t.get("k")), txnBad: () => s.transaction(5), txnSyncBad: () => s.transactionSync(5), txnSync: () => s.transactionSync(() => 1),
    bookmark: () => s.getCurrentBookmark().then((b) => typeof b),
    txnHeld: () => stash.txn.get("k"), txnHeldPut: () => stash.txn.put("z", 1), txnHeldDel: () => stash.txn.delete("z"), txnHeldRollback: () => stash.txn.rollback(),
    sqlGetter: () => typeof s.sql, kvGetter: () => typeof s.kv,
    ${backend === "sqlite" ? `sqlExec: () => stash.sql.exec("SELECT 1 AS x").one(), sqlBad: () => stash.sql.exec(), dbSize: () => typeof stash.sql.databaseSize,
    cursorNext: () => stash.cursor.next(), cursorCols: () => stash.cursor.columnNames, cursorRowsRead: () => stash.cursor.rowsRead, cursorRaw: () => stash.cursor.raw().next(), cursorRawOnly: () => typeof stash.cursor.raw(), cursorIter: () => typeof stash.cursor[Symbol.iterator](), cursorToArray: () => stash.cursor.toArray(), cursorOne: () => stash.cursor.one(), cursorWritten: () => stash.cursor.rowsWritten,
    doneCursor: () => stash.done.next(), doneCursorRead: () => stash.done.rowsRead, doneKvIter: () => stash.doneIter.next(),
    kvGet: () => stash.kv.get("k"), kvPut: () => stash.kv.put("k3", 1), kvList: () => stash.kvIter.next(), kvListNew: () => [...stash.kv.list()].length, kvBad: () => stash.kv.get(),` : ""}
  });
  stash.used = true;
  return uses;
}`;

const scenario = (backend) => ({
  name: `storage contexts: an object's storage, transaction, cursors and kv.list() iterators used by another object and by a Worker request [${backend}]`,
  backend,
  source: `${USES(backend)}
${cls(`  async alarm() {}
  async keep() {
    const s = this.ctx.storage;
    await s.put("k", 1);
    stash = { s };
    ${backend === "sqlite" ? `stash.sql = s.sql; stash.kv = s.kv; stash.cursor = s.sql.exec("SELECT 1 AS a UNION ALL SELECT 2 UNION ALL SELECT 3"); stash.done = s.sql.exec("SELECT 1"); stash.done.toArray(); stash.doneIter = s.kv.list({ prefix: "none" }); stash.kvIter = s.kv.list();` : ""}
  }
  async use() { return useStash(); }
  // The transaction stays open until another context has used it (a flag, not a timer's
  // guess: a loaded machine once stalled the event loop past a fixed hold, so the txn had
  // committed first), with a deadline so that a broken run still ends.
  async holdTxn() {
    await this.ctx.storage.transaction(async (txn) => {
      stash.txn = txn;
      for (const deadline = Date.now() + 10000; !stash.used && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 10));
    });
  }
  async keys() { return [...(await this.ctx.storage.list()).keys()]; }`)}`,
  services: { SELF: "test" },
  entry: `{ async fetch(req, env) { return Response.json(await useStash()); } }`,
  drive: async (env) => {
    await env.DO.getByName("a").keep();
    const holding = env.DO.getByName("a").holdTxn();
    await sleep(100);
    const otherObject = await env.DO.getByName("b").use();
    await holding;
    const workerRequest = await (await env.SELF.fetch("http://self/")).json();
    return { otherObject, workerRequest, keysOfA: await env.DO.getByName("a").keys(), keysOfB: await env.DO.getByName("b").keys() };
  },
});

/** What an object hands out runs as its own code: its storage, reached through them, answers. */
const HANDED_OUT = ["sqlite", "kv"].map((backend) => ({
  name: `storage contexts: an object's storage reached through an RpcTarget and callbacks it handed to another object (they run as its own code) [${backend}]`,
  backend,
  source: `
class Store extends RpcTarget {
  constructor(s) { super(); this.s = s; }
  async read(k) { return this.s.get(k); }
  async write(k, v) { await this.s.put(k, v); return [...(await this.s.list()).keys()]; }
}
${cls(`  async handOut() {
    await this.ctx.storage.put("a", 1);
    const s = this.ctx.storage;
    return this.env.DO.getByName("b").useThem(new Store(s), async (k) => s.get(k), (k, v) => s.put(k, v));
  }
  async useThem(store, read, write) {
    const out = {};
    out.read = await store.read("a");
    out.write = await store.write("b", 2);
    out.callbackRead = await read("b");
    out.callbackWrite = await outcome(async () => { await write("c", 3); return "ok"; });
    out.mine = [...(await this.ctx.storage.list()).keys()];
    return out;
  }
  async keys() { return [...(await this.ctx.storage.list()).keys()]; }`)}`,
  drive: async (env) => ({ seen: await env.DO.getByName("a").handOut(), keysOfA: await env.DO.getByName("a").keys() }),
}));

/**
 * An instance after a reset is another context: the storage its predecessor kept in a module
 * variable refuses it as another object's would. (On a KV-backed object local workerd's
 * in-memory storage also loses committed data at a reset, a declared difference, so only the
 * SQLite-backed one reads its own storage back.)
 */
const AFTER_RESET = ["sqlite", "kv"].map((backend) => ({
  name: `storage contexts: a new instance uses the storage its reset predecessor kept in a module variable [${backend}]`,
  backend,
  source: `${CALL_HELPERS}
let kept;
${cls(`  async keep() { kept = this.ctx.storage; await kept.put("k", 1); }
  async abortNow() { this.ctx.abort("bye"); }
  async useKept() { return howAll({ get: () => kept.get("k"), put: () => kept.put("k2", 1), del: () => kept.delete("k"), 
    ${backend === "sqlite" ? `own: () => this.ctx.storage.get("k"), exec: () => kept.sql.exec("SELECT 1").one(), kv: () => kept.kv.get("k"),` : ""} }); }`)}`,
  drive: async (env) => {
    await env.DO.getByName("a").keep();
    const abort = await outcome(() => env.DO.getByName("a").abortNow());
    return { abort, after: await env.DO.getByName("a").useKept() };
  },
}));

export default [scenario("sqlite"), scenario("kv"), ...HANDED_OUT, ...AFTER_RESET];

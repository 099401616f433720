// Checklist §10.18–19: transaction() and transactionSync().
import { inside, insideBoth, cls, both } from "../scenario.mjs";

export default [
  insideBoth("txn: commit returns the closure's value and keeps the writes", `
    const r = await s.transaction(async (txn) => {
      await txn.put("a", 1);
      txn.put({ b: 2, c: 3 });
      await txn.delete("c");
      return { inside: show(await txn.get(["a", "b", "c"])), list: [...(await txn.list()).keys()] };
    });
    return { r, after: Object.fromEntries(await s.list()) };`),
  both({
    name: "txn: a throw rolls back, rethrows, and does not reset",
    source: cls(`  memory = 0;
  async run() {
    const s = this.ctx.storage;
    await s.put("a", "before");
    this.memory = 1;
    const r = await outcome(() => s.transaction(async (txn) => { await txn.put("a", "inside"); await txn.put("b", 1); throw new RangeError("txn boom"); }));
    return { r, after: Object.fromEntries(await s.list()) };
  }
  async memoryLeft() { return this.memory; }`),
    drive: async (env) => {
      const stub = env.DO.getByName("t");
      return { run: await stub.run(), sameStub: await outcome(() => stub.memoryLeft()) };
    },
  }),
  insideBoth("txn: rollback() is idempotent and later ops fail", `
    await s.put("a", "orig");
    const r = await s.transaction(async (txn) => {
      await txn.put("a", "changed");
      txn.rollback();
      const second = outcomeSync(() => txn.rollback());
      return {
        second,
        get: await outcome(() => txn.get("a")),
        put: await outcome(() => txn.put("a", 1)),
        delete: await outcome(() => txn.delete("a")),
        list: await outcome(() => txn.list()),
        getAlarm: await outcome(() => txn.getAlarm()),
      };
    });
    return { r, after: await s.get("a") };`),
  insideBoth("txn: using txn after the closure finished", `
    let leaked;
    await s.transaction(async (txn) => { leaked = txn; await txn.put("a", 1); });
    return {
      get: await outcome(() => leaked.get("a")),
      put: await outcome(() => leaked.put("a", 2)),
      delete: await outcome(() => leaked.delete("a")),
      list: await outcome(() => leaked.list()),
      rollback: outcomeSync(() => leaked.rollback()),
      value: await s.get("a"),
    };`),
  insideBoth("txn: deleteAll inside a transaction", `
    await s.put("a", 1);
    const viaTxn = await outcome(() => s.transaction(async (txn) => { await txn.put("b", 2); await txn.deleteAll(); return "done"; }));
    const viaStorage = await outcome(() => s.transaction(async (txn) => { await txn.put("c", 3); await s.deleteAll(); return "done"; }));
    return { viaTxn, viaStorage, after: [...(await s.list()).keys()] };`),
  insideBoth("txn: direct storage writes inside the closure", `
    await s.put("d", "orig");
    const r = await outcome(() => s.transaction(async (txn) => {
      await txn.put("t", "txn");
      await s.put("d", "changed-direct");
      const seen = { directSeesTxn: show(await s.get("t")), txnSeesDirect: show(await txn.get("d")) };
      throw Object.assign(new Error("rollback"), { seen });
    }).catch((e) => e.seen));
    return { seen: r, after: Object.fromEntries(await s.list()) };`),
  inside("txn: nested transactions (sqlite savepoints)", "sqlite", `
    const r = await s.transaction(async (outer) => {
      await outer.put("o", 1);
      const inner = await outcome(() => s.transaction(async (t) => { await t.put("i", 1); throw new Error("inner fails"); }));
      const ok = await s.transaction(async (t) => { await t.put("j", 2); return "inner ok"; });
      return { inner, ok };
    });
    return { r, after: Object.fromEntries(await s.list()) };`),
  inside("txn: SQL and KV roll back together (sqlite)", "sqlite", `
    const sql = s.sql;
    sql.exec("CREATE TABLE t (x)");
    const r = await outcome(() => s.transaction(async () => {
      sql.exec("INSERT INTO t VALUES (1)");
      s.kv.put("k", 1);
      await s.put("a", 1);
      throw new Error("undo all");
    }));
    return { r, rows: sql.exec("SELECT count(*) AS n FROM t").one().n, kv: show(s.kv.get("k")), a: show(await s.get("a")) };`),
  insideBoth("txn: the closure's non-promise and rejected values", `
    return {
      plain: await outcome(() => s.transaction(() => 5)),
      undef: await outcome(() => s.transaction(async () => {})),
      rejectString: await outcome(() => s.transaction(async () => { throw "str"; })),
      notAFunction: await outcome(() => s.transaction(5)),
    };`),
  inside("txn: transactionSync returns, rolls back, nests", "sqlite", `
    const sql = s.sql;
    sql.exec("CREATE TABLE t (x)");
    const value = s.transactionSync(() => { sql.exec("INSERT INTO t VALUES (1)"); return "v"; });
    const thrown = outcomeSync(() => s.transactionSync(() => { sql.exec("INSERT INTO t VALUES (2)"); s.kv.put("k", "x"); throw new TypeError("sync boom"); }));
    const nested = s.transactionSync(() => {
      sql.exec("INSERT INTO t VALUES (3)");
      const inner = outcomeSync(() => s.transactionSync(() => { sql.exec("INSERT INTO t VALUES (4)"); throw new Error("inner"); }));
      return inner;
    });
    return { value, thrown, nested, rows: sql.exec("SELECT x FROM t ORDER BY x").toArray().map((r) => r.x), kv: show(s.kv.get("k")) };`),
  inside("txn: transactionSync with an async callback", "sqlite", `
    const sql = s.sql;
    sql.exec("CREATE TABLE t (x)");
    const r = s.transactionSync(async () => { sql.exec("INSERT INTO t VALUES (1)"); await null; throw new Error("after await"); });
    const isThenable = typeof r?.then === "function";
    const settled = await outcome(r);
    return { isThenable, settled, rows: sql.exec("SELECT count(*) AS n FROM t").one().n };`),
  inside("txn: transactionSync argument errors", "sqlite", `
    return { noArg: outcomeSync(() => s.transactionSync()), notFn: outcomeSync(() => s.transactionSync(1)),
      beginInside: outcomeSync(() => s.transactionSync(() => s.sql.exec("BEGIN"))) };`),
  inside("txn: storage.transaction inside transactionSync", "sqlite", `
    const r = outcomeSync(() => s.transactionSync(() => { const p = s.transaction(async () => 1); return typeof p.then; }));
    return { r };`),
  insideBoth("txn: get and list inside transaction see pending writes in order", `
    await s.put({ b: 1, "😀": 2 });
    return await s.transaction(async (txn) => {
      await txn.put("｡", 3);
      await txn.delete("b");
      await txn.put("a", 4);
      return { list: [...(await txn.list()).keys()], many: show(await txn.get(["😀", "b", "｡", "a"])), reverse: [...(await txn.list({ reverse: true })).keys()],
        // Limits over a mix of pending and stored keys (the kv backend merges them).
        limit2: [...(await txn.list({ limit: 2 })).keys()], reverseLimit2: [...(await txn.list({ reverse: true, limit: 2 })).keys()],
        reverseLimit1: [...(await txn.list({ reverse: true, limit: 1 })).keys()] };
    });`),
  {
    name: "txn: a finished transaction's result waits for its commit's confirmation, as a put()'s: the call queued behind starts first",
    backend: "sqlite",
    source: cls(`  async write(how) {
    if (how === "transaction") await this.ctx.storage.transaction(async (txn) => txn.put("key", how));
    else await this.ctx.storage.put("key", how);
    log.push(how + " returns");
    return how;
  }
  ping() { log.push("ping behind"); }`, { extra: "const log = [];" }),
    drive: async (env) => {
      const out = {};
      const stub = env.DO.getByName("order");
      for (const how of ["transaction", "put"]) {
        log.length = 0;
        const result = stub.write(how).then((v) => log.push(v + " result"));
        await Promise.all([result, stub.ping()]);
        out[how] = [...log];
      }
      return out;
    },
  },
];

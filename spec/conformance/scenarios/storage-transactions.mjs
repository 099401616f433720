// transaction() and transactionSync() where they meet other storage: nesting on a KV-backed
// object, async KV calls inside transactionSync(), the two kinds nested, and cursors still open
// when a savepoint ends. SQLite cannot release (or, after ROLLBACK TO, end) a savepoint while an
// INSERT ... RETURNING cursor has rows left: workerd then rolls the savepoint back and throws its
// internal error (transactionSync(); the object goes on) or resets the object (transaction()).
import { cls, inside } from "../scenario.mjs";

const src = `let constructed = 0;
${cls(`  constructor(ctx, env) { super(ctx, env); constructed++; }
  async setup() { const s = this.ctx.storage; s.sql.exec("CREATE TABLE t (v)"); s.sql.exec("INSERT INTO t VALUES (1), (2), (3)"); }
  async bad(how) {
    const s = this.ctx.storage;
    s.kv.put("before", 1);
    s.sql.exec("INSERT INTO t VALUES (10)");
    let c;
    const run = () => { c = s.sql.exec("INSERT INTO t VALUES (4), (5) RETURNING v"); c.next(); s.kv.put("inside", 1); if (how.endsWith("throw")) throw new Error("undo"); return "done"; };
    let r;
    if (how.startsWith("sync")) { try { r = { ok: s.transactionSync(run) }; } catch (e) { r = { error: err(e) }; } }
    else { try { r = { ok: await s.transaction(async () => run()) }; } catch (e) { r = { error: err(e) }; } }
    const rest = outcomeSync(() => c.toArray());
    const state = () => ({ rows: s.sql.exec("SELECT v FROM t ORDER BY v").toArray().map((x) => x.v), keys: [...s.kv.list()].map(([k]) => k) });
    const now = outcomeSync(state);
    const later = await outcome(async () => { s.kv.put("after", 1); await s.sync(); return state(); });
    return { r, rest, now, later };
  }
  async state() { const s = this.ctx.storage; return { constructed, rows: s.sql.exec("SELECT v FROM t ORDER BY v").toArray().map((x) => x.v), keys: [...s.kv.list()].map(([k]) => k) }; }`)}`;

const UNENDABLE = ["sync-commit", "sync-throw", "async-commit", "async-throw"].map((how) => ({
  name: `storage transactions: what a savepoint SQLite cannot end leaves behind (${how})`,
  backend: "sqlite",
  source: src,
  drive: `async function drive(env) {
    const stub = env.DO.getByName("a");
    await stub.setup();
    const call = await outcome(() => stub.bad(${JSON.stringify(how)}));
    const after = await outcome(() => env.DO.getByName("a").state());
    return { call, after };
  }`,
}));

/** An unfinished SELECT cursor when a transaction ends: harmless (the savepoint ends, the cursor reads on). */
const OPEN_SELECT = ["transaction", "transactionSync"].flatMap((api) =>
  ["throw", "return"].map((ending) =>
    inside(`storage transactions: ${api}() ending by ${ending === "throw" ? "a throw" : "returning"} with an unfinished SELECT cursor`, "sqlite", `
    s.sql.exec("CREATE TABLE t (v)");
    s.sql.exec("INSERT INTO t VALUES (1), (2), (3)");
    await s.sync();
    let c;
    const body = () => { c = s.sql.exec("SELECT v FROM t"); c.next(); ${ending === "throw" ? 'throw new Error("undo");' : 'return "done";'} };
    const r = ${api === "transaction" ? "await outcome(() => s.transaction(async () => body()))" : "outcomeSync(() => s.transactionSync(body))"};
    const rest = outcomeSync(() => c.toArray());
    const rows = s.sql.exec("SELECT v FROM t").toArray().length;
    await s.sync();
    return { r, rest, rows, after: s.sql.exec("SELECT v FROM t").toArray().length };`),
  ),
);

export default [
  inside("storage transactions: transaction() nested on a KV-backed object, committed and with a failing inner one", "kv", `
    const r = await outcome(() => s.transaction(async (t1) => { await t1.put("a", 1); return await s.transaction(async (t2) => { await t2.put("b", 2); return [show(await t2.get("a")), show(await t1.get("b")), show(await s.get("a"))]; }); }));
    const r2 = await outcome(() => s.transaction(async (t1) => { await t1.put("c", 1); try { await s.transaction(async (t2) => { await t2.put("d", 2); throw new Error("inner"); }); } catch (e) { return err(e); } }));
    return { r, r2, keys: [...(await s.list()).keys()] };`),
  inside("storage transactions: transactionSync() rolls back async put(), delete() and setAlarm() calls made in it", "sqlite", `
    const a = outcomeSync(() => s.transactionSync(() => { s.put("x", 1); s.delete("y"); s.setAlarm(Date.now() + 60000); throw new Error("no"); }));
    await s.put("y", 2);
    const b = outcomeSync(() => s.transactionSync(() => { s.delete("y"); s.put({ p: 1, q: 2 }); throw new Error("no"); }));
    return { a, b, x: show(await s.get("x")), y: show(await s.get("y")), p: show(await s.get("p")), alarm: await s.getAlarm() };`, { alarmHandler: true }),
  inside("storage transactions: transactionSync() inside transaction(), the outer one rolling back or catching the inner throw", "sqlite", `
    s.sql.exec("CREATE TABLE t (v)");
    const r = await outcome(() => s.transaction(async (txn) => { s.transactionSync(() => { s.sql.exec("INSERT INTO t VALUES (1)"); s.kv.put("a", 1); }); await txn.put("b", 2); throw new Error("outer"); }));
    const r2 = await outcome(() => s.transaction(async (txn) => { try { s.transactionSync(() => { s.sql.exec("INSERT INTO t VALUES (2)"); throw new Error("inner"); }); } catch (e) {} s.sql.exec("INSERT INTO t VALUES (3)"); return s.sql.exec("SELECT v FROM t").toArray().map((r) => r.v); }));
    return { r, r2, rows: s.sql.exec("SELECT v FROM t").toArray().map((r) => r.v), a: show(s.kv.get("a")), b: show(s.kv.get("b")) };`),
  inside("storage transactions: sync() after a write whose commit fails", "sqlite", `
    s.sql.exec("CREATE TABLE p (id INTEGER PRIMARY KEY)");
    s.sql.exec("CREATE TABLE c (pid REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED)");
    await s.sync();
    s.sql.exec("INSERT INTO c VALUES (5)");
    return await outcome(() => s.sync());`),
  ...OPEN_SELECT,
  ...UNENDABLE,
];

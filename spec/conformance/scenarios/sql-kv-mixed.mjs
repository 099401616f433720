// SQL beside the rest of a SQLite-backed object's storage: KV writes (awaited or not) as SQL sees
// them in the same turn, cursors kept open across awaits and the commits between them, errors
// caught inside transactionSync() and transaction() (a failed statement undoes only itself), and
// databaseSize across a rolled-back transactionSync().
import { cls, inside } from "../scenario.mjs";

const sqlite = (name, body) => inside(`sql with kv: ${name}`, "sqlite", `    const sql = s.sql;
${body}`);

export default [
  sqlite("KV writes as SQL sees them in the same turn", `
    const out = {};
    const names = () => sql.exec("SELECT name FROM sqlite_master ORDER BY name").raw().toArray().flat();
    out.before = [names(), sql.databaseSize];
    const p = s.put("k", "v");
    out.afterUnawaitedPut = [names(), sql.databaseSize, show(s.kv.get("k"))];
    await p;
    s.delete("k");
    out.afterUnawaitedDelete = [names(), show(s.kv.get("k"))];
    s.put({ a: 1, b: 2 });
    out.listSync = [...s.kv.list()].map(([k]) => k);
    const c = sql.exec("SELECT name FROM sqlite_master");
    s.kv.put("c", 3);
    out.cursorAfterKvPut = outcomeSync(() => c.toArray());
    out.asyncList = [...(await s.list())].map(([k]) => k);
    return out;`),
  {
    name: "sql with kv: cursors kept across awaits and commits",
    backend: "sqlite",
    source: cls(`  async go() {
    const s = this.ctx.storage, sql = s.sql;
    sql.exec("CREATE TABLE t (a); INSERT INTO t VALUES (1), (2), (3), (4)");
    const out = {};
    const sel = sql.exec("SELECT a FROM t ORDER BY a");
    out.first = sel.next().value;
    sql.exec("INSERT INTO t VALUES (5)");
    await s.sync();
    out.afterSync = outcomeSync(() => sel.toArray());
    const sel2 = sql.exec("SELECT a FROM t ORDER BY a");
    sel2.next();
    await new Promise((r) => setTimeout(r, 5));
    sql.exec("DELETE FROM t WHERE a = 3");
    out.afterTimer = outcomeSync(() => [sel2.toArray(), sel2.rowsRead]);
    const upd = sql.exec("UPDATE t SET a = a * 10 RETURNING a");
    out.updFirst = upd.next().value;
    out.syncWithOpenUpdate = await outcome(() => s.sync());
    out.updRest = outcomeSync(() => upd.toArray());
    out.rows = sql.exec("SELECT a FROM t ORDER BY a").toArray().map((r) => r.a);
    return out;
  }
  async rows() { return this.ctx.storage.sql.exec("SELECT a FROM t ORDER BY a").toArray().map((r) => r.a); }`),
    drive: async (env) => ({ go: await outcome(() => env.DO.getByName("a").go()), rows: await outcome(() => env.DO.getByName("a").rows()) }),
  },
  sqlite("a constraint failure caught inside transactionSync()", `
    sql.exec("CREATE TABLE t (a UNIQUE)");
    const rows = () => sql.exec("SELECT a FROM t ORDER BY a").raw().toArray().flat();
    const out = {};
    out.result = outcomeSync(() => s.transactionSync(() => {
      sql.exec("INSERT INTO t VALUES (1)");
      const dup = outcomeSync(() => sql.exec("INSERT INTO t VALUES (2), (1)"));
      s.kv.put("k", 1);
      const inner = outcomeSync(() => s.transactionSync(() => { sql.exec("INSERT INTO t VALUES (3)"); return outcomeSync(() => sql.exec("INSERT INTO t VALUES (3)")); }));
      sql.exec("INSERT INTO t VALUES (4)");
      return { dup, inner, seen: rows() };
    }));
    out.rows = rows();
    out.kv = show(s.kv.get("k"));
    return out;`),
  sqlite("SQL errors and rollbacks inside transaction()", `
    sql.exec("CREATE TABLE t (a UNIQUE)");
    const rows = () => sql.exec("SELECT a FROM t ORDER BY a").raw().toArray().flat();
    const out = {};
    out.committed = await outcome(() => s.transaction(async () => { sql.exec("INSERT INTO t VALUES (1)"); await s.put("k1", 1); return rows(); }));
    out.rolledBack = await outcome(() => s.transaction(async (txn) => { sql.exec("INSERT INTO t VALUES (2)"); await txn.put("k2", 2); txn.rollback(); return rows(); }));
    out.thrown = await outcome(() => s.transaction(async () => { sql.exec("INSERT INTO t VALUES (3)"); throw new RangeError("undo"); }));
    out.sqlErrorCaught = await outcome(() => s.transaction(async () => { sql.exec("INSERT INTO t VALUES (4)"); try { sql.exec("INSERT INTO t VALUES (1)"); } catch (e) { return [e.message, rows()]; } }));
    out.sqlErrorThrown = await outcome(() => s.transaction(async () => { sql.exec("INSERT INTO t VALUES (5)"); sql.exec("INSERT INTO t VALUES (1)"); }));
    out.after = rows();
    out.kv = [show(await s.get("k1")), show(await s.get("k2"))];
    return out;`),
  sqlite("databaseSize inside a transactionSync() that rolls back", `
    sql.exec("CREATE TABLE t (v)");
    await s.sync();
    const out = { before: sql.databaseSize };
    out.threw = outcomeSync(() => s.transactionSync(() => {
      sql.exec("INSERT INTO t VALUES (zeroblob(100000))");
      out.inside = sql.databaseSize;
      s.kv.put("k", "x".repeat(50000));
      out.insideKv = sql.databaseSize;
      throw new Error("undo");
    }));
    out.after = sql.databaseSize;
    sql.exec("INSERT INTO t VALUES (zeroblob(100000))");
    out.kept = sql.databaseSize;
    sql.exec("DELETE FROM t");
    out.deleted = sql.databaseSize;
    return out;`),
];

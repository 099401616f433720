// Writes that fail part-way (issue: nothing half-applies): a transaction callback that throws
// after SQL and KV writes, a multi-statement exec() whose later statement fails (at prepare or
// while it runs), a put() batch holding one value that cannot be cloned, a savepoint's failure
// caught inside an outer transaction: what stays, seen through the same stub and a fresh one.
import { cls, eachMethodThenRows } from "../scenario.mjs";

const METHODS = {
  txnThrowsAfterWrites: `await this.ctx.storage.transaction(async (txn) => { sql.exec("INSERT INTO t VALUES (1)"); await txn.put("x", 1); throw new Error("boom"); });`,
  txnSyncThrowsAfterWrites: `this.ctx.storage.transactionSync(() => { sql.exec("INSERT INTO t VALUES (1)"); this.ctx.storage.kv.put("x", 1); throw new Error("boom"); });`,
  execLaterStatementUnprepared: `sql.exec("INSERT INTO t VALUES (1); INSERT INTO nope VALUES (2); INSERT INTO t VALUES (3)");`,
  execLaterStatementFailsRunning: `sql.exec("INSERT INTO t VALUES (1); INSERT INTO u VALUES (1); INSERT INTO u VALUES (1); INSERT INTO t VALUES (3)");`,
  execLaterStatementFailsCaught: `try { sql.exec("INSERT INTO t VALUES (1); INSERT INTO u VALUES (1); INSERT INTO u VALUES (1)"); } catch (e) { return "caught " + e.message; }`,
  execLaterStatementFailsInTxn: `this.ctx.storage.transactionSync(() => { try { sql.exec("INSERT INTO t VALUES (1); INSERT INTO nope VALUES (2)"); } catch {} sql.exec("INSERT INTO t VALUES (5)"); });`,
  putBatchUncloneable: `await this.ctx.storage.put({ a: 1, b: () => 1, c: 3 });`,
  putBatchUncloneableCaught: `try { await this.ctx.storage.put({ a: 1, b: () => 1, c: 3 }); } catch (e) { return "caught " + e.message; }`,
  innerTxnCaught: `this.ctx.storage.transactionSync(() => { sql.exec("INSERT INTO t VALUES (1)"); try { this.ctx.storage.transactionSync(() => { sql.exec("INSERT INTO t VALUES (2)"); this.ctx.storage.kv.put("in", 1); throw new Error("inner"); }); } catch {} this.ctx.storage.kv.put("out", 1); });`,
  txnRollbackThenWrite: `await this.ctx.storage.transaction(async (txn) => { await txn.put("r", 1); txn.rollback(); });`,
  deleteBatchThenThrow: `this.ctx.storage.kv.put("d", 1); await this.ctx.storage.delete(["d", "x"]); throw new Error("after");`,
};

const source = cls(`  async setup() {
    const sql = this.ctx.storage.sql;
    sql.exec("CREATE TABLE IF NOT EXISTS t (a); CREATE TABLE IF NOT EXISTS u (a PRIMARY KEY)");
  }
  async rows() {
    const sql = this.ctx.storage.sql;
    return { t: sql.exec("SELECT a FROM t").toArray().map((r) => r.a), u: sql.exec("SELECT a FROM u").toArray().map((r) => r.a), kv: [...this.ctx.storage.kv.list()].map(([k]) => k) };
  }
${Object.entries(METHODS).map(([name, body]) => `  async ${name}() { const sql = this.ctx.storage.sql; ${body} return "returned"; }`).join("\n")}`);

export default [
  {
    name: "faults-half-applied: writes that fail part-way, in transactions, multi-statement exec() and put() batches",
    backend: "sqlite",
    source,
    drive: eachMethodThenRows(Object.keys(METHODS)),
  },
];

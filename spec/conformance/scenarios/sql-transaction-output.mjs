// A transaction() that spans turns on a SQLite-backed object, and another event already
// running when it opened. In the runtime that event cannot resume (after a timer, say) until
// the transaction ends, so its writes follow the transaction's, a rollback leaves them alone,
// and its result leaves after the transaction.
import { cls } from "../scenario.mjs";

const source = `const log = [];
let txnOpen = false;
${cls(`  async setup() { this.ctx.storage.sql.exec("CREATE TABLE x (v)"); }
  async transact(fail) {
    try {
      await this.ctx.storage.transaction(async (t) => {
        await t.put("inTxn", 1);
        txnOpen = true;
        await new Promise((r) => setTimeout(r, 80));
        log.push("transaction ends");
        if (fail) throw new Error("undo");
      });
      return "committed";
    } catch (e) {
      return "threw " + e.message;
    }
  }
  async writeWhenOpen(kind) {
    while (!txnOpen) await new Promise((r) => setTimeout(r, 5));
    if (kind === "put") this.ctx.storage.put("other", 2);
    else this.ctx.storage.sql.exec("INSERT INTO x VALUES (1)");
    return "written";
  }
  async read() {
    const s = this.ctx.storage;
    return { inTxn: (await s.get("inTxn")) ?? null, other: (await s.get("other")) ?? null, rows: s.sql.exec("SELECT count(*) AS n FROM x").one().n };
  }`)}`;

/** Per case: the writer starts first and polls; the transaction opens; each result notes
 * whether it arrived after the transaction ended. */
const drive = (cases) => `async function drive(env) {
  const out = {};
  for (const [fail, kind] of ${JSON.stringify(cases)}) {
    const name = kind + (fail ? " then rollback" : " then commit");
    log.length = 0;
    txnOpen = false;
    const stub = env.DO.getByName(name);
    await stub.setup();
    const arrived = (who) => (v) => ({ [who]: v, afterTransactionEnded: log.includes("transaction ends") });
    const writer = env.DO.getByName(name).writeWhenOpen(kind).then(arrived("writer"), (e) => ({ writerThrew: err(e) }));
    await sleep(10);
    const txn = env.DO.getByName(name).transact(fail).then(arrived("transaction"));
    out[name] = { writer: await writer, transaction: await txn, after: await env.DO.getByName(name).read() };
  }
  return out;
}`;

export default [
  {
    name: "sql transaction output: another event's writes and result wait for a transaction spanning turns",
    backend: "sqlite",
    source,
    drive: drive([[false, "put"], [false, "sql"]]),
  },
  {
    name: "sql transaction output: another event's writes under a transaction that rolls back",
    backend: "sqlite",
    source,
    drive: drive([[true, "put"], [true, "sql"]]),
  },
];

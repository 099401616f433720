// A SQL failure part way through: which earlier effects stay. Each statement is atomic (a
// multi-row INSERT that meets a constraint writes none of its rows); a later statement of one
// exec() failing keeps the statements before it; transactionSync() undoes them all; a method
// that throws after its writes keeps them (no reset); a KV put and a SQL write in one
// transactionSync() go or stay together.
import { cls } from "../scenario.mjs";

export default [
  {
    name: "sql: what a failure part way through keeps",
    backend: "sqlite",
    source: cls(`  setup() { this.ctx.storage.sql.exec("CREATE TABLE t (a UNIQUE)"); this.ctx.storage.sql.exec("INSERT INTO t VALUES (0)"); }
  rows() { return this.ctx.storage.sql.exec("SELECT a FROM t ORDER BY a").toArray().map((r) => r.a); }
  attempt(kind) {
    const { sql } = this.ctx.storage;
    if (kind === "multiRow") sql.exec("INSERT INTO t VALUES (1), (2), (0)");
    if (kind === "laterStatement") sql.exec("INSERT INTO t VALUES (3); INSERT INTO t VALUES (4), (0); INSERT INTO t VALUES (5)");
    if (kind === "transactionSync") this.ctx.storage.transactionSync(() => { sql.exec("INSERT INTO t VALUES (6)"); this.ctx.storage.kv.put("k6", 6); sql.exec("INSERT INTO t VALUES (0)"); });
    if (kind === "throwAfter") { sql.exec("INSERT INTO t VALUES (7)"); this.ctx.storage.kv.put("k7", 7); throw new TypeError("after the writes"); }
    if (kind === "bindFails") sql.exec("INSERT INTO t VALUES (8); INSERT INTO t VALUES (?)", {});
    return "no error";
  }
  kv() { return [...this.ctx.storage.kv.list()].map(([k]) => k); }`),
    drive: async (env) => {
      const s = env.DO.getByName("a");
      await s.setup();
      const out = {};
      for (const kind of ["multiRow", "laterStatement", "transactionSync", "throwAfter", "bindFails"]) {
        out[kind] = { outcome: await outcome(() => s.attempt(kind)), rows: await s.rows() };
      }
      out.kv = await s.kv();
      return out;
    },
  },
];

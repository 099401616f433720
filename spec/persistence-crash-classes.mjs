// The classes and options the crash test's writer and checker share. A KV-backed batch writes
// three multi-page values at once; a SQLite-backed batch appends to a log table and moves a
// counter in one transaction. Either must be seen whole or not at all: state() returns the
// numbers one batch sets, which agree unless a batch is torn.
import { DurableObject } from "../dist/modules/workers.js";

const PAD = "x".repeat(3000);

export const OBJECTS = [
  ["KV", "k0"], ["SQL", "s0"], ["KV", "k1"], ["SQL", "s1"],
];

export class CrashKv extends DurableObject {
  async write(n) {
    await this.ctx.storage.put({ a: { n, PAD }, b: { n, PAD }, c: { n, PAD } });
  }
  async state() {
    const values = await this.ctx.storage.get(["a", "b", "c"]);
    return ["a", "b", "c"].map((key) => values.get(key)?.n ?? 0);
  }
}

export class CrashSql extends DurableObject {
  write(n) {
    const sql = this.ctx.storage.sql;
    this.ctx.storage.transactionSync(() => {
      sql.exec("CREATE TABLE IF NOT EXISTS log(n INTEGER PRIMARY KEY, pad TEXT)");
      sql.exec("INSERT INTO log VALUES (?, ?)", n, PAD);
      this.ctx.storage.kv.put("last", n);
    });
  }
  /** The counter, the number of log rows and the last row: batches 1..n leave n, n, n. */
  state() {
    const sql = this.ctx.storage.sql;
    const hasLog = sql.exec("SELECT count(*) AS c FROM sqlite_master WHERE name = 'log'").one().c > 0;
    const { count, max } = hasLog ? sql.exec("SELECT count(*) AS count, coalesce(max(n), 0) AS max FROM log").one() : { count: 0, max: 0 };
    return [this.ctx.storage.kv.get("last") ?? 0, count, max];
  }
}

/** Emulator options over `dir`; fsync off: SIGKILL kills the process, not the kernel's cache. */
export function crashOptions(dir, classes) {
  return {
    name: "crash",
    module: classes,
    durableObjects: { KV: "CrashKv", SQL: { className: "CrashSql", sqlite: true } },
    persist: { path: dir, fsync: false },
  };
}

// SQLite-backed objects: sql.exec inside an object against raw sql.js and Miniflare 4 in the
// same run (one request doing 10,000 INSERT+SELECT pairs, the peers' workload shape), KV on
// SQLite, and opening many SQLite-backed objects.
import { fileURLToPath } from "node:url";
import initSqlJs from "sql.js";
import { Emulator } from "durasim";
import { DurableObject } from "durasim/workers";
import { duration, formatRate, printTable, putGetLoop, throughput } from "./harness.js";
import { miniflareSqlRate } from "./miniflare.js";

class SqlBench extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS t (k INTEGER PRIMARY KEY, v TEXT)");
  }
  sqlLoop(n) {
    const sql = this.ctx.storage.sql;
    const start = performance.now();
    for (let i = 0; i < n; i++) {
      sql.exec("INSERT OR REPLACE INTO t VALUES (?, ?)", i % 1000, "value");
      sql.exec("SELECT v FROM t WHERE k = ?", i % 1000).one();
    }
    return performance.now() - start;
  }
  kvLoop(n) {
    return putGetLoop(this.ctx.storage, n);
  }
  touch() {
    return 1;
  }
}

export async function runSqlBenchmarks() {
  const emu = new Emulator({ module: { SqlBench }, durableObjects: { SQL: { className: "SqlBench", sqlite: true } } });
  const stub = emu.env.SQL.getByName("hot");
  const rows = [];

  const ops = 10_000;
  const inObject = await duration(() => stub.sqlLoop(ops));
  const SQL = await initSqlJs();
  const raw = new SQL.Database();
  raw.run("PRAGMA journal_mode=MEMORY; CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)");
  const insert = raw.prepare("INSERT OR REPLACE INTO t VALUES (?, ?)");
  const select = raw.prepare("SELECT v FROM t WHERE k = ?");
  const rawMs = await duration(async () => {
    const start = performance.now();
    raw.run("BEGIN");
    for (let i = 0; i < ops; i++) {
      insert.run([i % 1000, "value"]);
      select.bind([i % 1000]);
      select.step();
      select.get();
      select.reset();
    }
    raw.run("COMMIT");
    return performance.now() - start;
  });
  const rate = ops / (inObject / 1000);
  rows.push({ workload: "sql.exec INSERT + point SELECT inside an object", durasim: formatRate(rate), baseline: `${formatRate(ops / (rawMs / 1000))} raw sql.js, prepared, one transaction`, ratio: `${(inObject / rawMs).toFixed(2)}x`, target: "—" });
  const miniflare = await miniflareSqlRate(ops);
  rows.push({
    workload: "the same pairs: durasim against Miniflare 4 (workerd, native SQLite)",
    durasim: formatRate(rate),
    baseline: miniflare.rate === undefined ? `not measured: ${miniflare.missing}` : `${formatRate(miniflare.rate)} Miniflare 4, timed from Node less a no-op call's round trip`,
    ratio: miniflare.rate === undefined ? "—" : `${(rate / miniflare.rate).toFixed(2)}x Miniflare 4's rate`,
    target: "≥ 1.2x Miniflare 4's rate",
  });

  const kvMs = await duration(() => stub.kvLoop(ops));
  rows.push({ workload: "KV put+get on a SQLite-backed object", durasim: formatRate(ops / (kvMs / 1000)), baseline: "—", ratio: "—", target: "—" });

  let prefix = 0;
  const opened = await throughput(async (n) => {
    prefix++;
    for (let i = 0; i < n; i++) await emu.env.SQL.getByName(`open-${prefix}-${i}`).touch();
  }, 10_000);
  rows.push({ workload: "open 10,000 SQLite-backed objects (table created in each)", durasim: `${formatRate(opened)} objects`, baseline: "—", ratio: "—", target: "—" });

  await emu.dispose();
  printTable("SQLite-backed objects (sql.js)", rows);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await runSqlBenchmarks();
}

// Storage semantics, in speed and in billed units: the same counter on the KV backend, on a
// SQLite-backed object through ctx.storage.kv, and in SQL (one row, and one row per name with
// an index), each driven by sequential RPC calls. The units come from emu.usage(), the monthly
// cost from estimateCost() at 10 million increments a month; times are relative to the first row.
import { Emulator, estimateCost } from "durasim";
import { DurableObject } from "durasim/workers";
import { formatRate, throughput } from "./harness.js";

class KvCounter extends DurableObject {
  async increment() {
    const next = ((await this.ctx.storage.get("n")) ?? 0) + 1;
    await this.ctx.storage.put("n", next);
    return next;
  }
}

class SyncKvCounter extends DurableObject {
  increment() {
    const kv = this.ctx.storage.kv;
    const next = (kv.get("n") ?? 0) + 1;
    kv.put("n", next);
    return next;
  }
}

class SqlCounter extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)");
  }
  increment() {
    return this.ctx.storage.sql.exec("INSERT INTO counter VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET n = n + 1 RETURNING n").one().n;
  }
}

/** One counter per name among 1,000, in a table indexed by name: the write also updates the index. */
class NamedSqlCounter extends DurableObject {
  #i = 0;
  constructor(ctx, env) {
    super(ctx, env);
    ctx.storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS counters (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, n INTEGER NOT NULL)",
    );
  }
  increment() {
    const name = `c${this.#i++ % 1000}`;
    return this.ctx.storage.sql
      .exec("INSERT INTO counters (name, n) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET n = n + 1 RETURNING n", name)
      .one().n;
  }
}

const MONTH = 10_000_000;

export async function runUsageBenchmarks() {
  const emu = new Emulator({
    module: { KvCounter, SyncKvCounter, SqlCounter, NamedSqlCounter },
    durableObjects: {
      KV: "KvCounter",
      SYNC_KV: { className: "SyncKvCounter", sqlite: true },
      SQL: { className: "SqlCounter", sqlite: true },
      NAMED: { className: "NamedSqlCounter", sqlite: true },
    },
  });
  const workloads = [
    ["counter on the KV backend (get + put)", "KV"],
    ["counter on SQLite through ctx.storage.kv", "SYNC_KV"],
    ["counter in SQL, one row (upsert … RETURNING)", "SQL"],
    ["1,000 named counters in SQL, name UNIQUE (indexed)", "NAMED"],
  ];
  const rows = [];
  let baseline;
  for (const [workload, binding] of workloads) {
    const stub = emu.env[binding].getByName("bench");
    await stub.increment();
    const rate = await throughput(async (n) => { for (let i = 0; i < n; i++) await stub.increment(); }, 5_000);
    // Billed units of 1,000 increments on a warm object.
    emu.resetUsage();
    for (let i = 0; i < 1_000; i++) await stub.increment();
    const usage = emu.usage(stub);
    const per = (value) => (value / 1_000).toFixed(2).replace(/\.00$/, "");
    const units = binding === "KV"
      ? `${per(usage.kv.readUnits)} read + ${per(usage.kv.writeUnits)} write units`
      : `${per(usage.sqlite.rowsRead)} rows read + ${per(usage.sqlite.rowsWritten)} written`;
    const cost = estimateCost(usage, { requestsPerMonth: MONTH }).total;
    baseline ??= rate;
    rows.push(`| ${workload} | ${formatRate(rate)} | ${(baseline / rate).toFixed(2)}x | ${per(usage.requests.billed)} request, ${units}, ${per(usage.commits.count)} commit | $${cost.toFixed(2)} |`);
  }
  await emu.dispose();
  console.log("\n### Storage semantics: one counter, four ways (emu.usage(), estimateCost())\n");
  console.log("| workload | calls/s | time vs the first | billed per call | estimateCost at 10M calls a month |");
  console.log("|---|---|---|---|---|");
  for (const row of rows) console.log(row);
}

if (import.meta.url === `file://${process.argv[1]}`) await runUsageBenchmarks();

// emu.snapshot() / emu.restore() as per-test isolation uses them: a snapshot before each test
// and a restore after it, with a test that writes to one KV-backed and one SQLite-backed
// object. The state holds 100 KV-backed objects of 100 keys and 20 SQLite-backed objects of
// 1,000 rows. Baseline (same run): the same test without isolation, so the ratio is what
// isolating it costs on top of running it.
import { Emulator } from "durasim";
import { DurableObject } from "durasim/workers";
import { duration, printTable } from "./harness.js";

class Kv extends DurableObject {
  fill(n) {
    const entries = {};
    for (let i = 0; i < n; i++) entries[`key${i}`] = { i, text: "x".repeat(40) };
    return this.ctx.storage.put(entries);
  }
  put(key, value) {
    return this.ctx.storage.put(key, value);
  }
}

class Sql extends DurableObject {
  fill(n) {
    const sql = this.ctx.storage.sql;
    sql.exec("CREATE TABLE IF NOT EXISTS rows(id INTEGER PRIMARY KEY, text TEXT)");
    for (let i = 0; i < n; i++) sql.exec("INSERT INTO rows(text) VALUES (?)", "y".repeat(60));
  }
  add() {
    this.ctx.storage.sql.exec("INSERT INTO rows(text) VALUES ('test')");
  }
}

const options = { module: { Kv, Sql }, durableObjects: { KV: "Kv", SQL: { className: "Sql", sqlite: true } } };

export async function runSnapshotBenchmarks() {
  const emu = new Emulator(options);
  for (let i = 0; i < 100; i++) await emu.env.KV.getByName(`kv${i}`).fill(100);
  for (let i = 0; i < 20; i++) await emu.env.SQL.getByName(`sql${i}`).fill(1_000);
  await emu.snapshot();

  let round = 0;
  const test = async () => {
    round++;
    await emu.env.KV.getByName(`kv${round % 100}`).put("touched", round);
    await emu.env.SQL.getByName(`sql${round % 20}`).add();
  };
  const alone = await duration(test);
  const unchanged = await duration(() => emu.snapshot());
  const isolated = await duration(async () => {
    const snapshot = await emu.snapshot();
    await test();
    await emu.restore(snapshot);
  });
  await emu.dispose();
  const ms = (value) => `${value.toFixed(3)} ms`;
  printTable("Snapshot and restore (120 objects, 1.2 MiB of SQLite)", [
    { workload: "snapshot(), nothing changed since the last", durasim: ms(unchanged), baseline: ms(alone), ratio: (unchanged / alone).toFixed(2), target: "well under 1" },
    { workload: "snapshot, the test, restore", durasim: ms(isolated), baseline: ms(alone), ratio: (isolated / alone).toFixed(2), target: "under 2" },
  ]);
}

if (import.meta.url === `file://${process.argv[1]}`) await runSnapshotBenchmarks();

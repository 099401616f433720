// Persistence through the Emulator (`persist`): a commit of one small write into an object
// holding 1 MiB and 100 MiB (O(change): the big figure should stay within 2x of the small one),
// reopening 10,000 persisted objects, and persisted against in-memory throughput in the same
// run. `node bench/persist.js [bigMiB] [objects]`; needs `npm run build`. Not part of
// `npm run bench`: it writes a few hundred MiB.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Emulator } from "durasim";
import { DurableObject } from "durasim/workers";
import { duration, formatRate, printTable, throughput } from "./harness.js";

const BIG_MIB = Number(process.argv[2] ?? 100);
const OBJECTS = Number(process.argv[3] ?? 10_000);

class Store extends DurableObject {
  fill(mib) {
    const sql = this.ctx.storage.sql;
    sql.exec("CREATE TABLE IF NOT EXISTS rows(id INTEGER PRIMARY KEY, data BLOB)");
    const rows = Math.round((mib * 2 ** 20) / 250);
    sql.exec(`WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ${rows}) INSERT INTO rows(data) SELECT randomblob(200) FROM c`);
    return rows;
  }
  touch(id) {
    this.ctx.storage.sql.exec("UPDATE rows SET data = x'00' WHERE id = ?", id);
  }
  put(key, value) {
    return this.ctx.storage.put(key, value);
  }
  get(key) {
    return this.ctx.storage.get(key);
  }
}

const options = (persist) => ({ module: { Store }, durableObjects: { STORE: { className: "Store", sqlite: true } }, persist });
const work = mkdtempSync(join(tmpdir(), "durasim-persist-bench-"));
const ms = (value) => `${value.toFixed(3)} ms`;

try {
  // 1. One small write committed into a 1 MiB and a big object (fsync on: the default).
  const commit = {};
  for (const mib of [1, BIG_MIB]) {
    const emu = new Emulator(options(join(work, `size-${mib}`)));
    const stub = emu.env.STORE.getByName("big");
    const rows = await stub.fill(mib);
    commit[mib] = await duration(() => stub.touch(1 + Math.floor(Math.random() * rows)));
    await emu.dispose();
  }
  // 2. Reopening many persisted objects: a new emulator reads each one once.
  const many = join(work, "many");
  let emu = new Emulator(options({ path: many, fsync: false }));
  for (let i = 0; i < OBJECTS; i++) await emu.env.STORE.getByName(`o${i}`).put("k", i);
  await emu.dispose();
  emu = new Emulator(options({ path: many, fsync: false }));
  const start = performance.now();
  for (let i = 0; i < OBJECTS; i++) await emu.env.STORE.getByName(`o${i}`).get("k");
  const reopen = (performance.now() - start) / 1000;
  await emu.dispose();
  // 3. Calls that each write one value (each call's commit precedes its result): in memory,
  // persisted with and without fsync. Every value is new: rewriting identical bytes changes no
  // page, so it commits nothing.
  const rates = {};
  let written = 0;
  for (const [label, persist] of [["no fsync", { path: join(work, "rate-os"), fsync: false }], ["fsync", { path: join(work, "rate-fsync") }], ["memory", false]]) {
    const e = new Emulator(options(persist));
    const stub = e.env.STORE.getByName("rate");
    rates[label] = await throughput(async (n) => {
      for (let i = 0; i < n; i++) await stub.put(`k${i % 1000}`, { written: written++, text: "value" });
    }, label === "fsync" ? 200 : 2_000);
    await e.dispose();
  }
  printTable("Persistence (SQLite-backed objects on disk)", [
    { workload: `commit of one small write into a ${BIG_MIB} MiB object`, durasim: ms(commit[BIG_MIB]), baseline: `${ms(commit[1])} into 1 MiB`, ratio: (commit[BIG_MIB] / commit[1]).toFixed(2), target: "< 2" },
    { workload: `reopen ${OBJECTS.toLocaleString("en")} persisted objects (one read each)`, durasim: `${formatRate(OBJECTS / reopen)} objects`, baseline: "—", ratio: "—", target: "—" },
    { workload: "calls writing one value each, persisted with fsync", durasim: formatRate(rates.fsync), baseline: `${formatRate(rates.memory)} in memory`, ratio: (rates.fsync / rates.memory).toFixed(3), target: "—" },
    { workload: "calls writing one value each, persisted, fsync: false", durasim: formatRate(rates["no fsync"]), baseline: `${formatRate(rates.memory)} in memory`, ratio: (rates["no fsync"] / rates.memory).toFixed(3), target: "—" },
  ]);
} finally {
  rmSync(work, { recursive: true, force: true });
}

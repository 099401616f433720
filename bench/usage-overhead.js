// What usage counting costs on the hot paths: the built package against a copy of it whose
// counting methods (ObjectUsage's and StorageMeter's) return at once, both loaded in this
// process, in alternating rounds (CPU time of the process, so the machine's other load weighs
// less): the median ratio of counted to uncounted time, and its interquartile range. (A CPU
// profile cannot say it: the counting methods are small enough that V8 inlines them into their
// callers, and the profiler charges their samples there.) The two copies share one SQLite
// engine, as any two copies of durasim in a process do (sqlite/engine.ts), so both count
// `cursor.rowsRead` exactly; what differs is the usage counting alone.
// Run after `npm run build`: `node bench/usage-overhead.js` (ROUNDS=n to change the rounds);
// `/usr/bin/node bench/usage-overhead.js` for Node 20. CONTROL=1 leaves counting on in both
// copies: what it prints then is the bench's own noise (copies, order, the machine's load).
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { median } from "./harness.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const ROUNDS = Number(process.env.ROUNDS ?? 31);
const CONTROL = process.env.CONTROL === "1";

/** The methods that count, by built file: each gets `return;` as its first statement. */
const COUNTING = {
  "runtime/usage/object-usage.js": ["request", "eventStarted", "eventsEnded", "webSocketOpened", "webSocketClosed", "timerSet", "timerDone", "waited", "outputHeld", "instanceReset"],
  "storage/meter.js": ["read", "listed", "wrote", "deleted", "deletedAll", "alarmSet", "alarmDeleted", "alarmRead", "statement", "rows", "committed", "discarded"],
};

/**
 * Two copies of dist/ beside node_modules (so their imports resolve), one as built and one with
 * counting turned off: the two load the same way, and a rebuild during the run touches neither.
 */
function copies() {
  const cache = join(root, "node_modules", ".cache", "durasim-usage-overhead");
  rmSync(cache, { recursive: true, force: true });
  const copy = (name) => {
    const dist = join(cache, name, "dist");
    mkdirSync(dist, { recursive: true });
    cpSync(join(root, "dist"), dist, { recursive: true, filter: (path) => !path.startsWith(join(root, "dist", "cjs")) });
    return dist;
  };
  const counted = copy("counted");
  const uncounted = copy("uncounted");
  if (CONTROL) return { counted, uncounted };
  for (const [file, methods] of Object.entries(COUNTING)) {
    const path = join(uncounted, file);
    let source = readFileSync(path, "utf8");
    for (const method of methods) {
      const declaration = new RegExp(`^(\\s+${method}\\([^)]*\\) \\{)$`, "gm");
      if (!declaration.test(source)) throw new Error(`bench/usage-overhead.js: no method ${method}() in dist/${file}; update COUNTING`);
      source = source.replace(declaration, "$1 return;");
    }
    writeFileSync(path, source);
  }
  return { counted, uncounted };
}

/** The workloads, on one build: each runs `n` operations. */
async function workloads(dist) {
  const { Emulator } = await import(pathToFileURL(join(dist, "index.js")).href);
  const { DurableObject } = await import(pathToFileURL(join(dist, "modules", "workers.js")).href);
  class Hot extends DurableObject {
    noop(x) {
      return x;
    }
    async fetch(request) {
      const echoed = await request.text();
      return new Response(echoed);
    }
    async kv(n) {
      for (let i = 0; i < n; i++) {
        await this.ctx.storage.put(`k${i % 1000}`, i);
        await this.ctx.storage.get(`k${i % 1000}`);
      }
    }
    sql(n) {
      const sql = this.ctx.storage.sql;
      sql.exec("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v)");
      for (let i = 0; i < n; i++) {
        sql.exec("INSERT OR REPLACE INTO t VALUES (?, ?)", i % 1000, i);
        sql.exec("SELECT v FROM t WHERE id = ?", i % 1000).one();
      }
    }
  }
  const emu = new Emulator({ module: { Hot }, durableObjects: { KV: "Hot", SQL: { className: "Hot", sqlite: true } } });
  const kv = emu.env.KV.getByName("hot");
  const sql = emu.env.SQL.getByName("hot");
  await kv.noop(0);
  await sql.noop(0);
  return {
    "sequential RPC": [5_000, async (n) => { for (let i = 0; i < n; i++) await kv.noop(i); }],
    "stub.fetch": [2_000, async (n) => { for (let i = 0; i < n; i++) await (await kv.fetch("http://do/", { method: "POST", body: "x" })).text(); }],
    "KV put + get in an object": [2_000, (n) => kv.kv(n)],
    "SQL upsert + point SELECT": [2_000, (n) => sql.sql(n)],
  };
}

function cpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

async function timed(fn, n) {
  const start = cpuMs();
  await fn(n);
  return cpuMs() - start;
}

const built = copies();
const counted = await workloads(built.counted);
const uncounted = await workloads(built.uncounted);
const percent = (ratio) => `${ratio >= 1 ? "+" : "−"}${Math.abs((ratio - 1) * 100).toFixed(1)} %`;
const title = CONTROL ? "Control: both copies counting" : "What usage counting costs";
console.log(`\n### ${title} (Node ${process.versions.node}, ${ROUNDS} alternating rounds, CPU time)\n`);
console.log("| workload | counted / uncounted (median) | interquartile range |");
console.log("|---|---|---|");
for (const name of Object.keys(counted)) {
  const [n, withCounting] = counted[name];
  const [, withoutCounting] = uncounted[name];
  await withCounting(n);
  await withoutCounting(n);
  const ratios = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which goes first, so neither always runs on a warmer (or busier) machine.
    let on;
    let off;
    if (round % 2 === 0) {
      on = await timed(withCounting, n);
      off = await timed(withoutCounting, n);
    } else {
      off = await timed(withoutCounting, n);
      on = await timed(withCounting, n);
    }
    ratios.push(on / off);
  }
  const sorted = [...ratios].sort((a, b) => a - b);
  const quartile = (q) => sorted[Math.floor((sorted.length - 1) * q)];
  console.log(`| ${name} | ${percent(median(ratios))} | ${percent(quartile(0.25))} … ${percent(quartile(0.75))} |`);
}

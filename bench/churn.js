// Emulator churn: 5,000 emulators created from an inline `script`, each making one call to a
// KV-backed and one to a SQLite-backed object, then disposed, as a test suite that makes an
// emulator per test does. Memory must plateau: the table shows heap and RSS (after a forced GC)
// every 500 emulators, and the slope of the heap over the second half (bytes per emulator;
// about 0 when nothing is kept). Runs in a child process of its own (`node --expose-gc
// bench/churn.js` to run it alone).
import { fileURLToPath } from "node:url";
import { Emulator } from "durasim";
import { inChildProcess } from "./harness.js";

const EMULATORS = Number(process.env.BENCH_EMULATORS ?? 5_000);
const EVERY = EMULATORS / 10;

const script = `
  import { DurableObject } from "cloudflare:workers";
  export class Counter extends DurableObject {
    async increment() {
      const n = ((await this.ctx.storage.get("n")) ?? 0) + 1;
      await this.ctx.storage.put("n", n);
      return n;
    }
  }
  export class Table extends DurableObject {
    insert() {
      this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS t (v)");
      this.ctx.storage.sql.exec("INSERT INTO t VALUES (1)");
      return this.ctx.storage.sql.exec("SELECT count(*) AS n FROM t").one().n;
    }
  }
`;

/** In a child process: churn the emulators, sampling memory as it goes. */
async function measure() {
  const samples = [];
  const sample = (done) => {
    global.gc?.();
    const { heapUsed, rss } = process.memoryUsage();
    samples.push({ done, heap: heapUsed, rss });
  };
  sample(0);
  const start = performance.now();
  for (let i = 1; i <= EMULATORS; i++) {
    const emu = new Emulator({ script, durableObjects: { COUNTER: "Counter", TABLE: { className: "Table", sqlite: true } } });
    await emu.env.COUNTER.getByName("a").increment();
    await emu.env.TABLE.getByName("a").insert();
    await emu.dispose();
    // A test runner yields to the event loop between tests; work left for the end of the
    // turn (commit checks, gate checks) runs then.
    await new Promise((resolve) => setImmediate(resolve));
    if (i % EVERY === 0) sample(i);
  }
  return { samples, ms: performance.now() - start };
}

const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

export async function runChurnBenchmarks() {
  const { samples, ms } = await inChildProcess(fileURLToPath(import.meta.url));
  console.log(`\n### Emulator churn: ${EMULATORS.toLocaleString("en")} emulators (inline script, a KV and a SQLite call each) created and disposed\n`);
  console.log("| emulators disposed | heap used | RSS |");
  console.log("|---|---|---|");
  for (const { done, heap, rss } of samples) console.log(`| ${done.toLocaleString("en")} | ${mib(heap)} | ${mib(rss)} |`);
  const half = samples[Math.floor(samples.length / 2)];
  const last = samples.at(-1);
  const slope = (last.heap - half.heap) / (last.done - half.done);
  console.log(
    `\nHeap slope over the second half: ${slope.toFixed(0)} bytes per emulator ` +
      `(${((ms / EMULATORS) * 1000).toFixed(0)} µs per emulator, ${(ms / 1000).toFixed(1)} s in all).`,
  );
}

if (process.argv[2] === "--child") {
  process.stdout.write(JSON.stringify(await measure()));
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await runChurnBenchmarks();
}

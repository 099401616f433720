// Memory with and without the live-instance cap: RSS after touching 100,000 objects, each of
// which keeps ~4 KiB in memory. Each configuration runs in its own process (RSS never shrinks
// back, so two runs in one process would measure each other); the baseline is the same process
// before it touched anything.
import { fileURLToPath } from "node:url";
import { Emulator } from "durasim";
import { DurableObject } from "durasim/workers";
import { inChildProcess } from "./harness.js";

const OBJECTS = Number(process.env.BENCH_OBJECTS ?? 100_000);
const CAP = 1_000;

class Holder extends DurableObject {
  // What an object typically keeps in fields: a cache, some buffers.
  cache = new Float64Array(512);
  touch() {
    return this.cache.length;
  }
}

const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** In a child process: touch OBJECTS objects and report memory before and after. */
async function measure(maxLiveObjects) {
  global.gc?.();
  const before = process.memoryUsage();
  const emu = new Emulator({ module: { Holder }, durableObjects: { NS: "Holder" }, maxLiveObjects });
  const ns = emu.env.NS;
  const start = performance.now();
  for (let i = 0; i < OBJECTS; i++) await ns.getByName(`object-${i}`).touch();
  const ms = performance.now() - start;
  global.gc?.();
  const after = process.memoryUsage();
  await emu.dispose();
  return { before: before.rss, rss: after.rss, heap: after.heapUsed, ms };
}

export async function runLifecycleBenchmarks() {
  const uncapped = await inChildProcess(fileURLToPath(import.meta.url), [""]);
  const capped = await inChildProcess(fileURLToPath(import.meta.url), [String(CAP)]);
  console.log(`\n### Live-instance cap: memory after touching ${OBJECTS.toLocaleString("en")} objects (~4 KiB each)\n`);
  console.log("| configuration | RSS after | RSS before (same process) | heap used | time | RSS growth vs no cap |");
  console.log("|---|---|---|---|---|---|");
  for (const [label, run] of [
    ["no cap", uncapped],
    [`maxLiveObjects: ${CAP.toLocaleString("en")}`, capped],
  ]) {
    const growth = (run.rss - run.before) / (uncapped.rss - uncapped.before);
    console.log(
      `| ${label} | ${mib(run.rss)} | ${mib(run.before)} | ${mib(run.heap)} | ${(run.ms / 1000).toFixed(1)} s | ${growth.toFixed(2)}x |`,
    );
  }
}

if (process.argv[2] === "--child") {
  const cap = process.argv[3] ? Number(process.argv[3]) : undefined;
  process.stdout.write(JSON.stringify(await measure(cap)));
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await runLifecycleBenchmarks();
}

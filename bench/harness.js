// Small benchmark harness: repeated timed runs, median throughput, ratios against a baseline
// measured in the same process run. No timed assertions anywhere: this only reports.
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

/**
 * Median ops/s of `fn(n)` (which performs n operations) over RUNS runs, after one warm-up run of
 * `warmUp` operations (n / 10 unless given), and in the same runs the median CPU time of the
 * process per operation, in nanoseconds: on a shared machine, time the process is not scheduled
 * does not count (the wall clock's rates swing with the load far more than this does).
 */
export async function rateAndCpu(fn, n, warmUp = Math.max(1, Math.floor(n / 10))) {
  await fn(warmUp);
  const rates = [];
  const costs = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    await fn(n);
    const cpu = process.cpuUsage(cpuStart);
    rates.push(n / ((performance.now() - start) / 1000));
    costs.push(((cpu.user + cpu.system) * 1000) / n);
  }
  return { rate: median(rates), cpu: median(costs) };
}

/** Median ops/s of `fn(n)` (which performs n operations) over RUNS runs, after one warm-up. */
export async function throughput(fn, n) {
  return (await rateAndCpu(fn, n)).rate;
}

/** Median milliseconds of one `fn()` over RUNS runs, after one warm-up. */
export async function duration(fn) {
  await fn();
  const times = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** The KV workload, run inside an object: put then get over 1,000 keys; returns milliseconds. */
export async function putGetLoop(storage, n) {
  const value = { a: 1, b: "hello", c: [1, 2, 3] };
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const key = `k${i % 1000}`;
    await storage.put(key, value);
    await storage.get(key);
  }
  return performance.now() - start;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export function formatRate(rate) {
  if (rate >= 1e6) return `${(rate / 1e6).toFixed(2)}M/s`;
  if (rate >= 1e3) return `${(rate / 1e3).toFixed(1)}k/s`;
  return `${rate.toFixed(0)}/s`;
}

/** Prints rows of { workload, durasim, baseline, ratio, target } as a Markdown table. */
export function printTable(title, rows) {
  console.log(`\n### ${title}\n`);
  console.log("| workload | durasim | baseline (same run) | ratio | target |");
  console.log("|---|---|---|---|---|");
  for (const row of rows) {
    console.log(`| ${row.workload} | ${row.durasim} | ${row.baseline} | ${row.ratio} | ${row.target} |`);
  }
}

/**
 * Runs `script --child ...args` in a fresh Node process with `--expose-gc` (and `nodeFlags`, for
 * a diagnostic run) and returns the JSON it writes to stdout: memory is measured where nothing
 * else has grown the heap (RSS never shrinks back, so two runs in one process would measure each
 * other).
 */
export function inChildProcess(script, args = [], nodeFlags = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--expose-gc", ...nodeFlags, script, "--child", ...args], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`bench child ${script} exited with ${code}`))));
  });
}

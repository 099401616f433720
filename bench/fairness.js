// Fairness of one object under 100 concurrent callers (issue 15): are callers served in arrival
// order, and how long does each call wait, at p50 and p99. The wait is wall-clock time, so beside
// it stands what the process did meanwhile (CPU time, garbage collections, pauses, time spent
// waiting for a core), measured alike for durasim and for a bare baseline in the same run.
// Beside the per-call figures stands a per-caller view: each caller's mean wait over its calls,
// across the callers. A pause stalls every call in flight, so it raises every caller's mean
// alike; this view shows whether any caller gets more than its share of the waiting.
// `node bench/fairness.js` (after `npm run build`) prints this row alone.
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { PerformanceObserver, constants, performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

const CALLERS = 100;
const CALLS_EACH = 200;
const MEASURED_RUNS = 3;
/**
 * Discarded runs of each before the measured ones. One was not enough: V8 was still optimising
 * durasim's call path (`--trace-opt`: TurboFan finished the call, its send and its dispatch,
 * compiled on a background thread for up to ~70 ms each, during the first measured run, and
 * still after two warm-up runs), so the first measured run served its first calls in slower
 * code, with the compiler sharing the cores, which the steady state a caller sees never does.
 * After three none of durasim's path compiles in the measured runs (the bare method's is
 * optimised within the first).
 */
const WARMUP_RUNS = 3;
/**
 * A stretch longer than this in which no call was issued or completed is a pause. Between two
 * such events durasim does a few microseconds of work (one call's share); an event-loop turn of
 * the starvation guard (util/turn.ts), with the calls it lets through, takes ~10-40 µs.
 */
const PAUSE_MS = 0.1;

/**
 * One row: after WARMUP_RUNS discarded runs of each (they compile the paths both take),
 * MEASURED_RUNS runs of each, alternating, pooled. `durasimCall(i)` and `bareCall(i)` each make
 * one call.
 */
export async function fairnessRow(durasimCall, bareCall) {
  const gcs = collections();
  for (let run = 0; run < WARMUP_RUNS; run++) {
    await fairnessRun(durasimCall, gcs);
    await fairnessRun(bareCall, gcs);
  }
  const durasimRuns = [];
  const bareRuns = [];
  for (let run = 0; run < MEASURED_RUNS; run++) {
    durasimRuns.push(await fairnessRun(durasimCall, gcs));
    bareRuns.push(await fairnessRun(bareCall, gcs));
  }
  gcs.stop();
  const durasim = pooled(durasimRuns);
  const bare = pooled(bareRuns);
  return {
    workload:
      `${CALLERS} callers × ${CALLS_EACH} calls in a row (async method): wait per call p50 / p99, largest lead; ` +
      `${MEASURED_RUNS} runs each after ${WARMUP_RUNS} warm-up runs each, alternating; load ${loadavg()[0].toFixed(1)}`,
    durasim: describe(durasim),
    baseline: `${describe(bare)}; bare await obj.method()`,
    ratio: `${(durasim.p50 / bare.p50).toFixed(1)}x p50`,
    target: "lead ≤ 1 (FIFO); p99 ≤ 2× p50",
  };
}

function describe(s) {
  const times = [`wall ${s.wallMs.toFixed(0)} ms`, `process CPU ${s.cpuMs.toFixed(0)} ms`];
  if (s.queuedMs !== undefined) times.push(`waiting for a core ${s.queuedMs.toFixed(0)} ms`);
  return (
    `${micros(s.p50)} / ${micros(s.p99)} (p99 ${(s.p99 / s.p50).toFixed(1)}× p50), lead ${s.lead}; ` +
    `runs: ${times.join(", ")}, ${s.gcCount} GCs (${s.majorGcs} major; ${s.gcMs.toFixed(1)} ms; ${callsPerGc(s)}), ` +
    `${s.pauseCount} pauses > ${PAUSE_MS * 1000} µs (${s.pauseMs.toFixed(1)} ms, ${s.pausesWithGc} with a GC); ` +
    `wait without the pauses ${micros(s.netP50)} / ${micros(s.netP99)} (${(s.netP99 / s.netP50).toFixed(1)}×); ` +
    `per caller (its mean wait over its ${CALLS_EACH} calls), p50 / p99 across the ${CALLERS} callers, by run: ` +
    s.perCaller.map(({ p50, p99 }) => `${micros(p50)} / ${micros(p99)} (${(p99 / p50).toFixed(2)}×)`).join(", ")
  );
}

/**
 * How many calls the runs made per collection. A collection stalls the ~100 calls in flight,
 * and the pooled p99 leaves 1 % of the calls above it, so a p99 within 2× p50 needs at least
 * ~10,000 calls per collection: this is the figure that decides the target once the queueing is
 * fair, and unlike the waits it holds on a loaded machine.
 */
function callsPerGc(s) {
  const calls = s.perCaller.length * CALLERS * CALLS_EACH;
  return s.gcCount === 0 ? `none in ${calls} calls` : `one per ${Math.round(calls / s.gcCount)} calls`;
}

/**
 * 100 callers, each awaiting 200 calls in a row. Per call: the wait (issue to result); per run:
 * the largest lead any caller had over the slowest one in completed calls (1 when callers are
 * served in arrival order, round after round; 199 when one caller runs its whole loop while the
 * others wait), wall and CPU time, the collections and pauses in it. Timestamps go into
 * preallocated arrays, so the records themselves make no garbage per call.
 */
async function fairnessRun(call, gcs) {
  const calls = CALLERS * CALLS_EACH;
  const issued = new Float64Array(calls);
  const settled = new Float64Array(calls);
  const completedBy = new Uint8Array(calls);
  let completed = 0;
  const queued0 = runQueueNanos();
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CALLERS }, async (_, caller) => {
      for (let i = 0; i < CALLS_EACH; i++) {
        const slot = i * CALLERS + caller;
        issued[slot] = performance.now();
        await call(i);
        settled[slot] = performance.now();
        completedBy[completed++] = caller;
      }
    }),
  );
  const end = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const queued1 = runQueueNanos();
  // Node reports a collection from the event loop's next turn; wait for it.
  await new Promise((resolve) => setImmediate(resolve));
  const collections = gcs.between(start, end);
  const pauses = findPauses(issued, settled);
  const waits = settled.map((at, slot) => at - issued[slot]);
  return {
    waits,
    perCaller: acrossCallers(waits),
    netWaits: settled.map((at, slot) => at - issued[slot] - pauses.within(issued[slot], at)),
    lead: largestLead(completedBy),
    wallMs: end - start,
    cpuMs: (cpu.user + cpu.system) / 1000,
    queuedMs: queued0 === undefined || queued1 === undefined ? undefined : (queued1 - queued0) / 1e6,
    gcCount: collections.length,
    gcMs: collections.reduce((sum, entry) => sum + entry.duration, 0),
    majorGcs: collections.filter((entry) => entry.detail?.kind !== constants.NODE_PERFORMANCE_GC_MINOR).length,
    pauseCount: pauses.count,
    pauseMs: pauses.total,
    pausesWithGc: pauses.overlapping(collections),
  };
}

/** The garbage collections V8 reports (perf_hooks "gc" entries), by when they started. */
function collections() {
  const seen = [];
  const observer = new PerformanceObserver((list) => seen.push(...list.getEntries()));
  observer.observe({ entryTypes: ["gc"] });
  return {
    between(start, end) {
      seen.push(...observer.takeRecords());
      return seen.filter((entry) => entry.startTime >= start && entry.startTime <= end);
    },
    stop: () => observer.disconnect(),
  };
}

/**
 * The stretches longer than PAUSE_MS in which no call was issued or completed, and, for any two
 * of those instants, the pause time between them.
 */
function findPauses(issued, settled) {
  const times = new Float64Array(issued.length + settled.length);
  times.set(issued);
  times.set(settled, issued.length);
  times.sort();
  // pausedBefore[i]: pause time between times[0] and times[i].
  const pausedBefore = new Float64Array(times.length);
  const starts = [];
  const lengths = [];
  for (let i = 1; i < times.length; i++) {
    const gap = times[i] - times[i - 1];
    const pause = gap > PAUSE_MS ? gap : 0;
    if (pause > 0) {
      starts.push(times[i - 1]);
      lengths.push(gap);
    }
    pausedBefore[i] = pausedBefore[i - 1] + pause;
  }
  const indexOf = (t) => {
    let lo = 0;
    let hi = times.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (times[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return {
    count: starts.length,
    total: lengths.reduce((sum, length) => sum + length, 0),
    within: (from, to) => pausedBefore[indexOf(to)] - pausedBefore[indexOf(from)],
    overlapping: (collections) =>
      starts.filter((at, i) => collections.some((gc) => gc.startTime < at + lengths[i] && gc.startTime + gc.duration > at)).length,
  };
}

/**
 * Each caller's mean wait over its calls (a call's slot is `i * CALLERS + caller`), and the p50
 * and p99 of those means across the run's callers (of 100, the p99 is the largest). Within one run,
 * so that runs with more or longer pauses than others do not pass for callers served unequally.
 */
function acrossCallers(waits) {
  const means = new Float64Array(CALLERS);
  for (let slot = 0; slot < waits.length; slot++) means[slot % CALLERS] += waits[slot] / CALLS_EACH;
  means.sort();
  return { p50: means[Math.floor(CALLERS * 0.5)], p99: means[Math.floor(CALLERS * 0.99)] };
}

function largestLead(completedBy) {
  const counts = new Array(CALLERS).fill(0);
  const callersWith = [CALLERS]; // callersWith[n]: how many callers have completed n calls
  let slowest = 0;
  let lead = 0;
  for (const caller of completedBy) {
    const n = counts[caller]++;
    callersWith[n]--;
    callersWith[n + 1] = (callersWith[n + 1] ?? 0) + 1;
    while (callersWith[slowest] === 0) slowest++;
    lead = Math.max(lead, n + 1 - slowest);
  }
  return lead;
}

function pooled(runs) {
  const sum = (key) => runs.reduce((total, run) => total + run[key], 0);
  const sorted = (key) => {
    const all = new Float64Array(runs.reduce((n, run) => n + run[key].length, 0));
    let at = 0;
    for (const run of runs) {
      all.set(run[key], at);
      at += run[key].length;
    }
    return all.sort();
  };
  const waits = sorted("waits");
  const netWaits = sorted("netWaits");
  const at = (values, q) => values[Math.floor(values.length * q)];
  return {
    p50: at(waits, 0.5),
    p99: at(waits, 0.99),
    netP50: at(netWaits, 0.5),
    netP99: at(netWaits, 0.99),
    perCaller: runs.map((run) => run.perCaller),
    lead: Math.max(...runs.map((run) => run.lead)),
    wallMs: sum("wallMs"),
    cpuMs: sum("cpuMs"),
    queuedMs: runs.some((run) => run.queuedMs === undefined) ? undefined : sum("queuedMs"),
    gcCount: sum("gcCount"),
    gcMs: sum("gcMs"),
    majorGcs: sum("majorGcs"),
    pauseCount: sum("pauseCount"),
    pauseMs: sum("pauseMs"),
    pausesWithGc: sum("pausesWithGc"),
  };
}

/** Linux: how long this thread has waited, runnable, for a core (nanoseconds); elsewhere undefined. */
function runQueueNanos() {
  try {
    return Number(readFileSync("/proc/thread-self/schedstat", "utf8").split(" ")[1]);
  } catch {
    return undefined;
  }
}

function micros(ms) {
  return ms >= 1 ? `${ms.toFixed(1)} ms` : `${(ms * 1000).toFixed(0)} µs`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { Emulator } = await import("durasim");
  const { DurableObject } = await import("durasim/workers");
  const { printTable } = await import("./harness.js");
  class Bench extends DurableObject {
    async tick(x) {
      await null;
      return x;
    }
  }
  const bare = { async tick(x) { await null; return x; } };
  const emu = new Emulator({ module: { Bench }, durableObjects: { BENCH: "Bench" } });
  const stub = emu.env.BENCH.getByName("hot");
  await stub.tick(0);
  printTable(`Fairness (node ${process.version})`, [await fairnessRow((i) => stub.tick(i), (i) => bare.tick(i))]);
  await emu.dispose();
}

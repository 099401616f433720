#!/usr/bin/env node
// Differential conformance run: every scenario on workerd and on durasim, records compared.
//
//   node spec/conformance/run.mjs [--workerd-only] [--filter TEXT] [--shard K/N] [--show]
//                                  [--jobs N] [--save FILE] [--keep] [--workerd-records FILE]
//
//   --workerd-only  run only the workerd side (prints every record, one line each); durasim
//                   is not loaded
//   --filter TEXT   only scenarios whose name contains TEXT
//   --shard K/N     only the K-th of N interleaved shares of the scenarios (1 <= K <= N), so
//                   that N processes run them all at once: durasim runs one scenario at a time
//                   in a process (see main()), and a run mostly waits on the scenarios' timers
//   --show          print both records for agreeing scenarios too
//   --jobs N        workerd processes in parallel (default: 2, this runs on 2-core machines)
//   --save FILE     write { name: { workerd, durasim } } as JSON, for reviewing records
//   --keep          keep workerd's temp directories (configs, modules, databases)
//   --workerd-records FILE
//                   compare durasim against the workerd outcomes a `--workerd-only --save FILE`
//                   run wrote, instead of running workerd again. workerd is one native binary
//                   whatever Node drives this harness, so CI runs it once and compares durasim
//                   on each Node against the same records; a scenario the file lacks fails.
//
// Exit status is non-zero on any undeclared difference, any failure of either side, or
// when workerd cannot start. The last line is always the summary.
import { readFile, writeFile } from "node:fs/promises";
import { isDeepStrictEqual, parseArgs } from "node:util";
import { loadScenarios } from "./scenarios/index.mjs";
import { checkWorkerd, runOnWorkerd } from "./workerd-runner.mjs";
import { runOnDurasim } from "./durasim-runner.mjs";
import { diffPaths } from "./diff-paths.mjs";

// The runtime only logs a promise rejection nobody handled; scenarios that leave one behind
// must not bring the whole run down on the durasim side either.
process.on("unhandledRejection", () => {});

const { values: opt } = parseArgs({
  options: {
    "workerd-only": { type: "boolean", default: false },
    filter: { type: "string" },
    shard: { type: "string" },
    show: { type: "boolean", default: false },
    jobs: { type: "string", default: "2" },
    save: { type: "string" },
    keep: { type: "boolean", default: false },
    "workerd-records": { type: "string" },
  },
});

const pretty = (side) => ("record" in side ? JSON.stringify(side.record, null, 2) : `FAILURE: ${side.failure}`);
const indent = (text) => text.replace(/^/gm, "    ");

/** Splits `list` into `n` interleaved chunks (slow alarm scenarios cluster by file). */
function chunks(list, n) {
  const out = Array.from({ length: Math.max(1, Math.min(n, list.length)) }, () => []);
  list.forEach((x, i) => out[i % out.length].push(x));
  return out;
}

/** The K-th of N interleaved shares of `list` for `--shard K/N`; all of it without the option. */
function shareOf(list, shard) {
  if (shard === undefined) return list;
  const [k, n] = /^\d+\/\d+$/.test(shard) ? shard.split("/").map(Number) : [];
  if (!(n >= 1 && k >= 1 && k <= n)) throw new Error(`--shard takes K/N with 1 <= K <= N, not ${JSON.stringify(shard)}`);
  return chunks(list, n)[k - 1] ?? [];
}

/** Every scenario on workerd, `--jobs` processes at a time. */
async function runAllOnWorkerd(scenarios) {
  const version = checkWorkerd(); // throws (=> exit 1) when the binary cannot run
  const parts = await Promise.all(chunks(scenarios, Number(opt.jobs)).map((c) => runOnWorkerd(c, { keepDir: opt.keep })));
  return { version, onWorkerd: new Map(parts.flatMap((m) => [...m])) };
}

/** The outcomes a `--workerd-only --save FILE` run wrote; a scenario missing from it fails. */
async function recordedOnWorkerd(file, scenarios) {
  const saved = JSON.parse(await readFile(file, "utf8"));
  const onWorkerd = new Map();
  for (const s of scenarios) {
    const w = Object.hasOwn(saved, s.name) ? saved[s.name].workerd : undefined;
    onWorkerd.set(s.name, w && ("record" in w || "failure" in w) ? w : { failure: `${file} holds no workerd outcome for this scenario` });
  }
  return { version: `records from ${file}`, onWorkerd };
}

/** Whether a side ran out of time (its driver's timeout, or workerd's silence limit) rather
 * than producing an outcome: on a loaded machine that says how busy it was, not how it behaves. */
function ranOutOfTime(side) {
  if ("failure" in side) return /ms of silence|durasim did not answer/.test(side.failure);
  return typeof side.record === "object" && side.record !== null && "driveTimedOut" in side.record;
}

/**
 * A scenario whose records differ because a side ran out of time runs that side once more (a
 * timed-out workerd alone in a process of its own; not with --workerd-records). Nothing else is
 * retried: a side that hangs hangs again, and one that answers must answer the same.
 */
async function retryTimedOut(s, w, d) {
  const retryWorkerd = ranOutOfTime(w) && !opt["workerd-records"];
  const retryDurasim = ranOutOfTime(d);
  if (!retryWorkerd && !retryDurasim) return undefined;
  console.log(`retried   ${s.name}  (${[retryWorkerd && "workerd", retryDurasim && "durasim"].filter(Boolean).join(" and ")} ran out of time)`);
  return {
    w: retryWorkerd ? (await runOnWorkerd([{ ...s, ownProcess: true }])).get(s.name) : w,
    d: retryDurasim ? await runOnDurasim(s) : d,
  };
}

async function main() {
  let scenarios = await loadScenarios();
  if (opt.filter) scenarios = scenarios.filter((s) => s.name.includes(opt.filter));
  scenarios = shareOf(scenarios, opt.shard);

  const t0 = Date.now();
  const { version, onWorkerd } = opt["workerd-records"] ? await recordedOnWorkerd(opt["workerd-records"], scenarios) : await runAllOnWorkerd(scenarios);
  const workerdMs = Date.now() - t0;

  const saved = {};
  let agree = 0;
  let differ = 0;
  const declared = [];

  if (opt["workerd-only"]) {
    for (const s of scenarios) {
      let w = onWorkerd.get(s.name);
      if (ranOutOfTime(w)) w = (await retryTimedOut(s, w, { record: {} })).w;
      saved[s.name] = { workerd: w };
      // One line per record keeps a full pass reviewable; --show pretty-prints.
      const text = "record" in w ? (opt.show ? pretty(w) : JSON.stringify(w.record)) : pretty(w);
      console.log(`${"record" in w ? "ok  " : "FAIL"} ${s.name}\n${indent(text)}`);
      if ("record" in w) agree++;
      else differ++;
    }
    if (opt.save) await writeFile(opt.save, JSON.stringify(saved, null, 2));
    console.log(`(workerd ${version}: ${scenarios.length} scenarios in ${workerdMs} ms; durasim not run)`);
    console.log(`conformance: ${scenarios.length} scenarios, ${agree} ran on workerd, ${differ} failed on workerd`);
    process.exitCode = differ > 0 ? 1 : 0;
    return;
  }

  // durasim runs in this process, one scenario at a time: scenarios measure timing and
  // concurrency, so they must not compete with each other.
  const agreeing = (w, d) => "record" in w && "record" in d && isDeepStrictEqual(w.record, d.record);
  for (const s of scenarios) {
    let w = onWorkerd.get(s.name);
    let d = await runOnDurasim(s);
    if (!agreeing(w, d)) ({ w, d } = (await retryTimedOut(s, w, d)) ?? { w, d });
    saved[s.name] = { workerd: w, durasim: d };
    const same = agreeing(w, d);
    if (same) {
      agree++;
      if (opt.show) console.log(`agree   ${s.name}\n${indent(pretty(w))}`);
      continue;
    }
    const canDiffer = s.differs && "record" in w && "record" in d;
    if (canDiffer) {
      agree++;
      declared.push(s);
    } else {
      differ++;
    }
    console.log(`${canDiffer ? "DECLARED DIFFERENCE" : "DIFFER"}  ${s.name}${s.differs ? `  (declared: ${s.differs})` : ""}`);
    if ("record" in w && "record" in d) console.log(indent(diffPaths(w.record, d.record).join("\n")));
    console.log(`  workerd:\n${indent(pretty(w))}\n  durasim:\n${indent(pretty(d))}`);
  }
  if (opt.save) await writeFile(opt.save, JSON.stringify(saved, null, 2));
  if (declared.length > 0) {
    console.log(`declared differences (counted as agree): ${declared.map((s) => s.name).join("; ")}`);
  }
  console.log(`(workerd ${version}: ${workerdMs} ms)`);
  console.log(`conformance: ${scenarios.length} scenarios, ${agree} agree, ${differ} differ`);
  process.exitCode = differ > 0 ? 1 : 0;
}

main().catch((e) => {
  console.error(e?.stack ?? e);
  process.exitCode = 1;
  console.log(`conformance: aborted: ${String(e?.message ?? e).split("\n")[0]}`);
});

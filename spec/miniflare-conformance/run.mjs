#!/usr/bin/env node
// Differential run of the KV and R2 bindings: every scenario on Miniflare 4 (the oracle) and
// on durasim, records compared.
//
//   node spec/miniflare-conformance/run.mjs [--miniflare-only] [--filter TEXT] [--show]
//                                           [--save FILE]
//
//   --miniflare-only  run only the Miniflare side and print every record (durasim not loaded)
//   --filter TEXT     only scenarios whose name contains TEXT
//   --show            print both records for agreeing scenarios too
//   --save FILE       write { name: { miniflare, durasim } } as JSON
//   --update-records  rewrite records.json from this run's Miniflare records (the copy the
//                     Vitest suite replays durasim against, on every Node version)
//
// Needs Node >= 22 (Miniflare 4). Exit status is non-zero on any undeclared difference, any
// failure of either side, or when Miniflare cannot start. The last line is always the summary.
import { readFile, writeFile } from "node:fs/promises";
import { isDeepStrictEqual, parseArgs } from "node:util";
import { buildModule, KV_BINDINGS, R2_BINDINGS } from "./scenario.mjs";
import { loadScenarios } from "./scenarios/index.mjs";
import { runOnMiniflare } from "./miniflare-runner.mjs";
import { runOnDurasim } from "./durasim-runner.mjs";
import { asProductionWouldRecord, GLOBAL_DIFFERENCES } from "./declared-differences.mjs";

const RECORDS_FILE = new URL("./records.json", import.meta.url);

const { values: opt } = parseArgs({
  options: {
    "miniflare-only": { type: "boolean", default: false },
    filter: { type: "string" },
    show: { type: "boolean", default: false },
    save: { type: "string" },
    "update-records": { type: "boolean", default: false },
  },
});

/** Paths where two records differ, printed above the full records. */
function differences(a, b, path = "$", out = []) {
  if (isDeepStrictEqual(a, b)) return out;
  if (a && b && typeof a === "object" && typeof b === "object" && Array.isArray(a) === Array.isArray(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) differences(a[k], b[k], `${path}.${k}`, out);
  } else {
    const j = (x) => (x === undefined ? "(absent)" : JSON.stringify(x));
    out.push(`${path}: miniflare ${j(a)} | durasim ${j(b)}`);
  }
  return out;
}

const pretty = (side) => ("record" in side ? JSON.stringify(side.record, null, 2) : `FAILURE: ${side.failure}`);
const indent = (text) => text.replace(/^/gm, "    ");

async function main() {
  let scenarios = await loadScenarios();
  if (opt.filter) scenarios = scenarios.filter((s) => s.name.includes(opt.filter));
  scenarios = scenarios.map((s) => ({ ...s, module: buildModule(s) }));

  const t0 = Date.now();
  const onMiniflare = await runOnMiniflare(scenarios, { kvBindings: KV_BINDINGS, r2Buckets: R2_BINDINGS });
  const miniflareMs = Date.now() - t0;
  const saved = {};

  if (opt["miniflare-only"]) {
    let failed = 0;
    for (const s of scenarios) {
      const m = onMiniflare.get(s.name);
      saved[s.name] = { miniflare: m };
      if (!("record" in m)) failed++;
      console.log(`${"record" in m ? "ok  " : "FAIL"} ${s.name}\n${indent(opt.show || !("record" in m) ? pretty(m) : JSON.stringify(m.record))}`);
    }
    if (opt.save) await writeFile(opt.save, JSON.stringify(saved, null, 2));
    console.log(`(Miniflare: ${scenarios.length} scenarios in ${miniflareMs} ms; durasim not run)`);
    console.log(`bindings conformance: ${scenarios.length} scenarios, ${scenarios.length - failed} ran on Miniflare, ${failed} failed on Miniflare`);
    process.exitCode = failed > 0 ? 1 : 0;
    return;
  }

  let agree = 0;
  let differ = 0;
  const declared = [];
  for (const s of scenarios) {
    const raw = onMiniflare.get(s.name);
    const m = "record" in raw ? { record: asProductionWouldRecord(raw.record) } : raw;
    const d = await runOnDurasim(s, { kvBindings: KV_BINDINGS, r2Buckets: R2_BINDINGS });
    saved[s.name] = { miniflare: m, durasim: d };
    const bothRan = "record" in m && "record" in d;
    if (bothRan && isDeepStrictEqual(m.record, d.record)) {
      agree++;
      if (opt.show) console.log(`agree   ${s.name}\n${indent(pretty(m))}`);
      continue;
    }
    const canDiffer = Boolean(s.differs) && bothRan;
    if (canDiffer) {
      agree++;
      declared.push(s.name);
    } else {
      differ++;
    }
    console.log(`${canDiffer ? "DECLARED DIFFERENCE" : "DIFFER"}  ${s.name}${s.differs ? `  (declared: ${s.differs})` : ""}`);
    if (bothRan) console.log(indent(differences(m.record, d.record).join("\n")));
    console.log(`  miniflare:\n${indent(pretty(m))}\n  durasim:\n${indent(pretty(d))}`);
  }
  if (opt.save) await writeFile(opt.save, JSON.stringify(saved, null, 2));
  const stale = await checkRecordsFile(scenarios, onMiniflare);
  console.log(`declared differences applied to every Miniflare record: ${GLOBAL_DIFFERENCES.join("; ")}`);
  if (declared.length > 0) console.log(`declared differences (counted as agree): ${declared.join("; ")}`);
  console.log(`(Miniflare: ${miniflareMs} ms)`);
  console.log(`bindings conformance: ${scenarios.length} scenarios, ${agree} agree, ${differ} differ`);
  process.exitCode = differ > 0 || stale > 0 ? 1 : 0;
}

/**
 * records.json holds Miniflare's records for the Vitest replay. A full run checks that it still
 * says what Miniflare says (a stale record fails the run) or, with
 * --update-records, rewrites it.
 */
async function checkRecordsFile(scenarios, onMiniflare) {
  const current = Object.fromEntries(scenarios.filter((s) => "record" in onMiniflare.get(s.name)).map((s) => [s.name, onMiniflare.get(s.name).record]));
  if (opt["update-records"]) {
    if (opt.filter) throw new Error("--update-records needs the whole suite: drop --filter");
    await writeFile(RECORDS_FILE, `${JSON.stringify(current, null, 1)}\n`);
    console.log(`records.json rewritten: ${Object.keys(current).length} records`);
    return 0;
  }
  const stored = JSON.parse(await readFile(RECORDS_FILE, "utf8"));
  const stale = Object.keys(current).filter((name) => !isDeepStrictEqual(stored[name], current[name]));
  if (!opt.filter) stale.push(...Object.keys(stored).filter((name) => !(name in current)));
  for (const name of stale) console.log(`STALE RECORD  ${name}: records.json differs from Miniflare; run with --update-records`);
  return stale.length;
}

main().catch((e) => {
  console.error(e?.stack ?? e);
  process.exitCode = 1;
  console.log(`bindings conformance: aborted: ${String(e?.message ?? e).split("\n")[0]}`);
});

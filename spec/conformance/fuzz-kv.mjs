#!/usr/bin/env node
// Off-CI differential fuzzing of the storage KV API: seeded random programs of get/put/delete
// (single keys and arrays), list() with every option, deleteAll, transaction() (rollback,
// throws), transactionSync and storage.kv (SQLite), alarms in and out of transactions, the
// allowConcurrency/noCache/allowUnconfirmed options, odd keys and values near the size limits,
// operations issued together (what each gives and the order they settle in),
// run on workerd and on durasim for both backends, records compared seed by seed.
//
//   node spec/conformance/fuzz-kv.mjs [--from N] [--to M] [--per K] [--backend sqlite|kv]
//
// Seeds N..M (default 1..40), K seeds per scenario (default 10, one object per seed). Needs
// dist/ (`npm run build`). Prints each differing seed with the paths that differ; a finding is
// then pinned as a fixed scenario (`randomFrom(seed)` or a hand-written one) in scenarios/.
import { isDeepStrictEqual, parseArgs } from "node:util";
import { cls, normalize } from "./scenario.mjs";
import { runOnWorkerd } from "./workerd-runner.mjs";
import { runOnDurasim } from "./durasim-runner.mjs";
import { randomFrom } from "./scenarios/edges-api.mjs";

process.on("unhandledRejection", () => {});

const { values: opt } = parseArgs({
  options: {
    from: { type: "string", default: "1" },
    to: { type: "string", default: "40" },
    per: { type: "string", default: "10" },
    backend: { type: "string" },
  },
});

/** The method body of one random program (arguments `first`, its seed, and `sqlite`); returns the log. */
const PROGRAM = `
    ${randomFrom("first")}
    const s = this.ctx.storage;
    const K2048 = "k".repeat(2048);
    const KEYS = ["", "a", "a\\u0000", "\\u0000", "ab", "abc", "b", "b/", "b/1", "\\u00e9", "\\uff61", "\\ud83d\\ude00", "\\ud800", "z", "\\uffff",
      K2048, K2048 + "k", "\\u00e9".repeat(1024), "\\u00e9".repeat(1023) + "ab", 7, undefined];
    const key = () => KEYS[rand(KEYS.length)];
    const hash = (t) => { let h = 0; for (let i = 0; i < t.length; i++) h = (Math.imul(h, 31) + t.charCodeAt(i)) | 0; return h; };
    const compact = (x) => typeof x === "string" ? (x.length > 40 ? "~" + x.length + ":" + hash(x) : x)
      : Array.isArray(x) ? x.map(compact) : x && typeof x === "object" ? Object.fromEntries(Object.entries(x).map(([k, v]) => [compact(k), compact(v)])) : x;
    const kd = (k) => compact(String(k));
    const value = () => {
      switch (rand(16)) {
        case 0: return rand(1000);
        case 1: return "s" + rand(10);
        case 2: return null;
        case 3: return undefined;
        case 4: return { a: rand(3), b: [1, 2] };
        case 5: return new Map([[1, "x"]]);
        case 6: return new Uint8Array([1, 2, rand(256)]);
        case 7: return "x".repeat(131072 - 8 + rand(12));
        case 8: return [-0, NaN][rand(2)];
        case 9: return () => 1;
        case 10: return Symbol("q");
        case 11: return new Date(rand(2) ? 0 : NaN);
        case 12: return 2n ** 70n;
        case 13: return "\\u00e9".repeat(65536 - 8 + rand(12));
        case 14: return new Uint8Array(131072 - 10 + rand(12));
        default: return "v" + rand(100);
      }
    };
    const opts = () => [undefined, undefined, { allowConcurrency: true }, { noCache: true }, { allowUnconfirmed: true }, { allowConcurrency: true, noCache: true }, {}][rand(7)];
    const keys = () => {
      const r = rand(12);
      if (r === 0) return [];
      if (r === 1) return Array.from({ length: 128 + rand(2) }, (_, i) => "m" + i);
      const out = [];
      for (let i = rand(4) + 1; i > 0; i--) out.push(key());
      return out;
    };
    const entries = () => {
      const r = rand(12);
      if (r === 0) return {};
      if (r === 1) return Object.fromEntries(Array.from({ length: 128 + rand(2) }, (_, i) => ["m" + i, i]));
      const e = {};
      for (let i = rand(3) + 1; i > 0; i--) e[key()] = value();
      return e;
    };
    const ODD = [null, 0, 5, true, {}, [], "x", -0, 1e21, Symbol.iterator];
    const LIMITS = [0, 1, 2, 3, -1, 1.5, "2", NaN, 2 ** 31, undefined];
    const listOptions = () => {
      const o = {};
      if (rand(2)) o.prefix = key();
      if (rand(2)) o.start = key();
      if (rand(3) === 0) o.startAfter = key();
      if (rand(2)) o.end = key();
      if (rand(2)) o.reverse = rand(2) === 0;
      if (rand(2)) o.limit = LIMITS[rand(LIMITS.length)];
      if (rand(10) === 0) o[["prefix", "start", "startAfter", "end", "reverse", "limit"][rand(6)]] = ODD[rand(ODD.length)];
      const more = opts();
      return more ? { ...o, ...more } : o;
    };
    const listed = (m) => [...m].map(([k, v]) => kd(k) + "=" + JSON.stringify(compact(show(v))));
    const ALARMS = [4102444800000, 4102444800000 + 1, 4102444801234.5, new Date(4102444802000), NaN, "x", undefined, 2 ** 53];
    // One operation: its label and a function that calls it (and renders what it resolves to).
    const op = (api, inTxn) => {
      const o = opts();
      const [label, f] = opOf(api, inTxn, o);
      return [o === undefined ? label : label + " " + JSON.stringify(o), f];
    };
    const opOf = (api, inTxn, o) => {
      switch (rand(14)) {
        case 0: case 1: { const k = key(); const v = value(); return ["put " + kd(k), () => api.put(k, v, o)]; }
        case 2: { const e = entries(); return ["putMany " + Object.keys(e).map(kd).join("|"), () => api.put(e, o)]; }
        case 3: case 4: { const k = key(); return ["get " + kd(k), async () => compact(show(await api.get(k, o)))]; }
        case 5: { const ks = keys(); return ["getMany " + ks.map(kd).join("|"), async () => listed(await api.get(ks, o))]; }
        case 6: { const k = key(); return ["delete " + kd(k), () => api.delete(k, o)]; }
        case 7: { const ks = keys(); return ["deleteMany " + ks.map(kd).join("|"), () => api.delete(ks, o)]; }
        case 8: case 9: { const lo = listOptions(); return ["list " + JSON.stringify(compact(show(lo))), async () => listed(await api.list(lo))]; }
        case 10: { const t = ALARMS[rand(ALARMS.length)]; return ["setAlarm " + String(t), () => api.setAlarm(t, o)]; }
        case 11: return ["getAlarm", () => api.getAlarm(o)];
        case 12: return ["deleteAlarm", () => api.deleteAlarm(o)];
        default: {
          if (inTxn || !sqlite) return ["sync", () => s.sync()];
          const [label, f] = kvOp();
          return ["kv " + label, async () => f()];
        }
      }
    };
    const step = async (api, log, inTxn) => {
      const [label, f] = op(api, inTxn);
      log.push([label, await outcome(f)]);
    };
    // Several operations issued together: what each gives, and the order they settle in.
    const burst = async (api, log, inTxn) => {
      const order = [];
      const issued = [];
      for (let i = rand(5) + 2; i > 0; i--) {
        const [label, f] = op(api, inTxn);
        const n = issued.length;
        issued.push(outcome(f).then((r) => { order.push(n); return [label, r]; }));
      }
      log.push(["burst", await Promise.all(issued), order.join(",")]);
    };
    const kvOp = () => {
      const kv = s.kv;
      switch (rand(5)) {
        case 0: { const k = key(); const v = value(); return ["put " + kd(k), () => kv.put(k, v)]; }
        case 1: { const k = key(); return ["get " + kd(k), () => compact(show(kv.get(k)))]; }
        case 2: { const k = key(); return ["delete " + kd(k), () => kv.delete(k)]; }
        default: { const lo = listOptions(); return ["list " + JSON.stringify(compact(show(lo))), () => listed(kv.list(lo))]; }
      }
    };
    const kvStep = () => {
      const [label, f] = kvOp();
      return [label, outcomeSync(f)];
    };
    const log = [];
    for (let round = 0; round < 60; round++) {
      const what = rand(14);
      if (what === 0) {
        const inner = [];
        const r = await outcome(() => s.transaction(async (txn) => {
          for (let i = rand(6) + 1; i > 0; i--) await step(txn, inner, true);
          if (rand(3) === 0) txn.rollback();
          else if (rand(4) === 0) throw new Error("abandon");
          return "done";
        }));
        log.push(["txn", inner, r]);
      } else if (what === 1 && rand(4) === 0) {
        log.push(["deleteAll", await outcome(() => s.deleteAll(opts()))]);
      } else if (what === 3) {
        await burst(s, log, false);
      } else if (what === 4) {
        const inner = [];
        const r = await outcome(() => s.transaction(async (txn) => {
          for (let i = rand(3) + 1; i > 0; i--) {
            if (rand(2)) await burst(txn, inner, true);
            else if (sqlite) inner.push(["kv", kvStep()]);
            else await step(txn, inner, true);
          }
          if (rand(3) === 0) txn.rollback();
          return "done";
        }));
        log.push(["txnBurst", inner, r]);
      } else if (what === 2) {
        const inner = [];
        const r = outcomeSync(() => s.transactionSync(() => {
          for (let i = rand(4) + 1; i > 0; i--) inner.push(kvStep());
          if (rand(3) === 0) throw new Error("abandon");
          return "done";
        }));
        log.push(["txnSync", inner, r]);
      } else {
        await step(s, log, false);
      }
    }
    log.push(["final", listed(await s.list()), await outcome(() => s.getAlarm())]);
    return log;`;

function scenario(backend, seeds) {
  return normalize({
    name: `fuzz-kv ${seeds[0]}-${seeds.at(-1)} [${backend}]`,
    backend,
    source: cls(`  async alarm() {}\n  async go(first, sqlite) {\n${PROGRAM}\n  }`),
    drive: `async (env) => {
      const out = {};
      for (const seed of ${JSON.stringify(seeds)}) out[seed] = await outcome(() => env.DO.getByName("s" + seed).go(seed, ${backend === "sqlite"}));
      return out;
    }`,
    timeoutMs: 20_000 * seeds.length,
  });
}

function diffPaths(a, b, path = "$", out = []) {
  if (isDeepStrictEqual(a, b) || out.length >= 6) return out;
  if (a && b && typeof a === "object" && typeof b === "object") {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) diffPaths(a[k], b[k], `${path}.${k}`, out);
    return out;
  }
  out.push(`${path}: workerd ${JSON.stringify(a)} | durasim ${JSON.stringify(b)}`);
  return out;
}

const [from, to, per] = [opt.from, opt.to, opt.per].map(Number);
const scenarios = [];
for (const backend of opt.backend ? [opt.backend] : ["sqlite", "kv"]) {
  for (let a = from; a <= to; a += per) {
    scenarios.push(scenario(backend, Array.from({ length: Math.min(per, to - a + 1) }, (_, i) => a + i)));
  }
}
const onWorkerd = await runOnWorkerd(scenarios);
let differing = 0;
for (const s of scenarios) {
  const w = onWorkerd.get(s.name);
  const d = await runOnDurasim(s);
  if (!("record" in w) || !("record" in d)) {
    differing++;
    console.log(`FAILED ${s.name}\n  workerd: ${JSON.stringify(w).slice(0, 600)}\n  durasim: ${JSON.stringify(d).slice(0, 600)}`);
    continue;
  }
  for (const seed of Object.keys(w.record)) {
    const paths = diffPaths(w.record[seed], d.record[seed]);
    if (paths.length === 0) continue;
    differing++;
    console.log(`DIFFER seed ${seed} [${s.backend}]\n  ${paths.join("\n  ")}`);
    // The first log entry that differs, whole on both sides: enough to write a fixed scenario.
    const [w1, d1] = [w.record[seed].ok ?? [], d.record[seed].ok ?? []];
    const at = w1.findIndex((entry, i) => !isDeepStrictEqual(entry, d1[i]));
    if (at >= 0) console.log(`  workerd entry ${at}: ${JSON.stringify(w1[at]).slice(0, 3000)}\n  durasim entry ${at}: ${JSON.stringify(d1[at]).slice(0, 3000)}`);
  }
}
console.log(`fuzz-kv: seeds ${from}..${to}, ${scenarios.length} scenarios, ${differing} differing`);
process.exitCode = differing > 0 ? 1 : 0;

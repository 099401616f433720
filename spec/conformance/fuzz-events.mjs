#!/usr/bin/env node
// Off-CI differential fuzzing of event ordering through the input and output gates: each seed
// is a random program of a few events (RPC calls and stub.fetch()es, from the test code itself
// or through the main Worker's fetch handler) issued together, in random order and in waves,
// to two Durable Objects of one seed. Each event runs random steps: storage put/get/delete
// (awaited or not, with allowConcurrency / allowUnconfirmed), sql.exec (SQLite backend), a
// 0/1/5 ms timer, an RPC into the other object, blockConcurrencyWhile (resolving or throwing,
// which resets the object), waitUntil, transaction() (committing, rolled back, throwing),
// setAlarm (the alarm() handler logs), a plain throw or ctx.abort(). Every step appends to one
// log ("A e3 s1 get k2 ..."), every caller logs each answer as it arrives; the log is compared
// with workerd's, seed by seed, order and values.
//
//   node spec/conformance/fuzz-events.mjs [--from N] [--to M] [--per K] [--backend sqlite|kv] [--print] [--full]
//   node spec/conformance/fuzz-events.mjs --reduce SEED [--backend sqlite|kv] [--full]
//
// Seeds N..M (default 1..40), K seeds per scenario (default 10). Needs dist/ (`npm run build`).
// `--print` prints the seeds' programs (as JSON) and stops; `--full` prints whole differing streams.
// `--reduce` shrinks a differing seed's program one edit at a time (an event, a step, a wave
// boundary, an option fewer; every candidate of a round runs in one scenario) while it still
// differs, and prints the smallest with both logs: the start of a fixed scenario.
//
// Determinism: the log lives in a module global, which both runtimes share between the
// objects and the Worker of one seed (one isolate, one module instance), so its order is what
// the gates and the event loop decide. workerd runs every batch twice: a seed whose two workerd
// logs differ is timing-dependent on workerd itself and is reported as such, not compared.
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
    print: { type: "boolean", default: false },
    full: { type: "boolean", default: false },
    reduce: { type: "string" },
  },
});

// ---- programs (generated here, interpreted by the objects) ---------------------------------

function generator(seed) {
  const rand = new Function(`${randomFrom(seed | 0)}\n    return rand;`)();
  const pick = (a) => a[rand(a.length)];
  return { rand, pick };
}

const KEYS = ["k1", "k2", "k3"];

/** One seed's program: `{ waves: [[event, ...], ...] }`, each event `{ n, who, caller, via, steps }`. */
function program(seed, sqlite) {
  const { rand, pick } = generator(seed);
  const storageOptions = () => pick([undefined, undefined, undefined, { allowConcurrency: true }, { allowUnconfirmed: true }]);
  // Either B only answers A's calls, or both take events and never call each other: events
  // that reach one object by different paths (or a call racing a caller's event) arrive in an
  // order the transport decides, not a gate. Programs with calls set no timers: which of a timer
  // and another object's answer comes first is wall time (seed 23 before this rule).
  const calls = rand(2) === 0;
  const leaf = () => {
    switch (rand(sqlite ? 7 : 6)) {
      case 0: case 1: return { op: "put", k: pick(KEYS), v: rand(100), o: storageOptions(), wait: rand(3) !== 0 };
      case 2: case 3: return { op: "get", k: pick(KEYS), o: storageOptions() };
      case 4: return { op: "del", k: pick(KEYS), wait: rand(2) === 0 };
      case 5: return calls ? leaf() : { op: "sleep", ms: pick([0, 1, 5]) };
      default: return { op: "sql", write: rand(2) === 0, k: pick(KEYS), v: rand(100) };
    }
  };
  const leaves = (n) => Array.from({ length: rand(n) + 1 }, leaf);
  const step = () => {
    const r = rand(24);
    if (r < 12) return leaf();
    switch (r) {
      case 12: case 13: return calls ? { op: "call", steps: leaves(3) } : leaf();
      case 14: case 15: return { op: "bcw", steps: leaves(3), throws: rand(4) === 0 };
      case 16: return { op: "waitUntil", steps: leaves(3) };
      case 17: case 18: return { op: "txn", steps: Array.from({ length: rand(3) + 1 }, leaf).filter((s) => s.op !== "sleep" && s.op !== "sql"), end: pick(["commit", "commit", "rollback", "throw"]) };
      case 19: return { op: "alarm" };
      case 20: return { op: "throw", reset: rand(3) === 0 };
      default: return { op: "return", v: rand(100) };
    }
  };
  const events = [];
  for (let n = 0, count = rand(4) + 2; n < count; n++) {
    const steps = [];
    for (let k = rand(4) + 1; k > 0; k--) {
      const s = step();
      steps.push(s);
      if (s.op === "throw" || s.op === "return") break;
    }
    events.push({ n, who: calls ? "A" : pick(["A", "A", "B"]), steps });
  }
  // Random issue order, cut into waves: a wave is issued once every answer of the one before
  // came. The events of one wave to one object take one path (caller and via), for the reason above.
  for (let i = events.length - 1; i > 0; i--) {
    const j = rand(i + 1);
    [events[i], events[j]] = [events[j], events[i]];
  }
  const waves = [];
  const pathOf = {};
  for (const e of events) {
    if (waves.length === 0 || rand(4) === 0) {
      waves.push([]);
      for (const who of ["A", "B"]) pathOf[who] = { caller: pick(["test", "test", "worker"]), via: pick(["rpc", "rpc", "fetch"]) };
    }
    waves.at(-1).push({ ...e, ...pathOf[e.who] });
  }
  return { waves };
}

// ---- the module both runtimes run ---------------------------------------------------------

/** The log (a module global: one per isolate), its writer, and the step interpreter. */
const EXTRA = `
const LOG = [];
const text = (parts) => parts.map((p) => typeof p === "string" ? p : JSON.stringify(p === undefined ? null : p)).join(" ");
// The first word of a step's tag names its object ("A e2 s0 ..."); others say it themselves.
const note = (...parts) => LOG.push([parts[0].split(" ")[0], text(parts)]);
const noteOf = (who, ...parts) => LOG.push([who, text(parts)]);
// waitUntil() work still running: the driver reads the log once there is none.
let pending = 0;
const failure = (e) => (e && e.message) + (e && e.durableObjectReset ? " (reset)" : "") + (e && e.remote ? " (remote)" : "");
// Un-awaited promises: their outcome is logged when it settles, never left unhandled.
const settle = (tag, p) => { p.then((v) => note(tag, "settled", v), (e) => note(tag, "failed", failure(e))); };
`;

const CLASS_BODY = `
  constructor(ctx, env) {
    super(ctx, env);
    this.who = String(ctx.id.name).slice(-1);
    noteOf(this.who, "ctor");
  }
  // When an alarm set for now runs is timer timing on workerd too: it has a stream of its own.
  async alarm(info) {
    noteOf("alarms of " + this.who, "alarm", info && info.retryCount);
  }
  async run(ev) {
    return this.steps(ev.who + " e" + ev.n, ev.steps, ev);
  }
  async fetch(req) {
    const ev = await req.json();
    return Response.json(await this.run(ev));
  }
  async steps(tag, steps, ev) {
    let last = tag + " done";
    for (let k = 0; k < steps.length; k++) {
      const r = await this.step(tag + " s" + k, steps[k], ev, this.ctx.storage);
      if (r !== undefined) last = r;
    }
    return last;
  }
  async step(tag, st, ev, api) {
    const s = this.ctx.storage;
    switch (st.op) {
      case "put": {
        const p = api.put(st.k, st.v, st.o);
        if (!st.wait) { note(tag, "put (not awaited)", st.k, st.v, st.o); settle(tag, p); return; }
        note(tag, "put", st.k, st.v, st.o, await p);
        return;
      }
      case "get": note(tag, "get", st.k, st.o, await api.get(st.k, st.o)); return;
      case "del": {
        const p = api.delete(st.k);
        if (!st.wait) { note(tag, "delete (not awaited)", st.k); settle(tag, p); return; }
        note(tag, "delete", st.k, await p);
        return;
      }
      case "sleep": await new Promise((resolve) => setTimeout(resolve, st.ms)); note(tag, "slept", st.ms); return;
      case "sql": {
        s.sql.exec("CREATE TABLE IF NOT EXISTS t (k TEXT PRIMARY KEY, v INTEGER)");
        if (st.write) s.sql.exec("INSERT OR REPLACE INTO t VALUES (?, ?)", st.k, st.v);
        note(tag, "sql", st.write ? "write " + st.k + "=" + st.v : "read", s.sql.exec("SELECT k, v FROM t ORDER BY k").toArray().map((r) => r.k + "=" + r.v).join(","));
        return;
      }
      case "call": {
        const other = ev.who === "A" ? "B" : "A";
        note(tag, "call", other);
        const r = await outcome(() => this.env.DO.getByName(ev.prefix + other).run({ prefix: ev.prefix, who: other, n: tag.replace(/ /g, "") + ">", steps: st.steps }));
        note(tag, "called", r);
        return;
      }
      case "bcw": {
        note(tag, "bcw");
        const r = await outcome(() => this.ctx.blockConcurrencyWhile(async () => {
          const v = await this.steps(tag + " bcw", st.steps, ev);
          if (st.throws) throw new Error("bcw throws");
          return v;
        }));
        note(tag, "bcw ended", r);
        return;
      }
      case "waitUntil":
        note(tag, "waitUntil");
        pending++;
        this.ctx.waitUntil(this.steps(tag + " wu", st.steps, ev).then((v) => note(tag, "waitUntil done", v), (e) => note(tag, "waitUntil failed", failure(e))).finally(() => pending--));
        return;
      case "txn": {
        note(tag, "txn");
        const r = await outcome(() => s.transaction(async (txn) => {
          for (let i = 0; i < st.steps.length; i++) await this.step(tag + " t" + i, st.steps[i], ev, txn);
          if (st.end === "rollback") txn.rollback();
          if (st.end === "throw") throw new Error("txn throws");
          return st.end;
        }));
        note(tag, "txn ended", r);
        return;
      }
      case "alarm": note(tag, "setAlarm", await outcome(() => s.setAlarm(Date.now()))); return;
      case "throw":
        note(tag, st.reset ? "abort" : "throw");
        if (st.reset) this.ctx.abort("aborted by " + tag);
        throw new Error("thrown by " + tag);
      case "return": note(tag, "return", st.v); return tag + " returns " + st.v;
    }
  }
`;

/** The main Worker: forwards an event it is sent to the object, by RPC or by fetch. */
const ENTRY = `{
  async fetch(req, env) {
    const { ev, via, name } = await req.json();
    const stub = env.DO.getByName(name);
    const r = await outcome(() => via === "rpc" ? stub.run(ev) : stub.fetch("http://do/", { method: "POST", body: JSON.stringify(ev) }).then((res) => res.json()));
    return Response.json(r);
  }
}`;

/** The driver: per seed, issues each wave's events together and logs each answer as it comes. */
const DRIVE = `async (env) => {
  const out = {};
  for (const [seed, plan] of Object.entries(PLANS)) {
    const prefix = "s" + seed;
    for (const wave of plan.waves) {
      await Promise.all(wave.map((ev) => {
        const name = prefix + ev.who;
        const stub = env.DO.getByName(name);
        ev = { ...ev, prefix };
        const body = JSON.stringify(ev);
        let p;
        if (ev.caller === "worker") p = env.SELF.fetch("http://worker/", { method: "POST", body: JSON.stringify({ ev, via: ev.via, name }) }).then((res) => res.json());
        else if (ev.via === "rpc") p = stub.run(ev);
        else p = stub.fetch("http://do/", { method: "POST", body }).then((res) => res.json());
        return outcome(() => p).then((r) => noteOf("answers from " + ev.who + " to " + ev.caller + " " + ev.via, "e" + ev.n, r));
      }));
    }
    // An alarm set by the program has fired (and logged) before the log is read.
    for (const who of ["A", "B"]) await waitFor(async () => !(await env.DO.getByName(prefix + who).alarmPending()));
    await waitFor(async () => pending === 0);
    out[seed] = LOG.splice(0);
  }
  return out;
}`;

/** One scenario running the programs `plans` ({ key: program }), each on objects of its own. */
function scenario(backend, plans, name) {
  return normalize({
    name: `fuzz-events ${name} [${backend}]`,
    backend,
    source: cls(`${CLASS_BODY}\n  async alarmPending() { return (await this.ctx.storage.getAlarm()) !== null; }`, { extra: `${EXTRA}\nconst PLANS = ${JSON.stringify(plans)};` }),
    drive: DRIVE,
    entry: ENTRY,
    services: { SELF: "test" },
    timeoutMs: 10_000 * Object.keys(plans).length,
  });
}

// ---- run and compare ----------------------------------------------------------------------

/**
 * One seed's log cut into streams whose order is meaningful: each object's own entries, and
 * the answers that reach one kind of caller from one object by one path. How two objects
 * interleave, or answers that took different paths, is transport timing, not a gate's doing.
 */
function streams(log) {
  const out = {};
  for (const [stream, entry] of log ?? []) (out[stream] ??= []).push(entry);
  return out;
}

function firstDifference(a, b) {
  const at = a.findIndex((entry, i) => entry !== b[i]);
  return at >= 0 ? at : a.length;
}

/** Runs `plans` on both sides (workerd `runs` times); per key: "same" | "unstable" | { workerd, durasim } streams. */
async function compare(backend, plans, name, runs = 2) {
  const s = scenario(backend, plans, name);
  const onWorkerd = [];
  for (let i = 0; i < runs; i++) onWorkerd.push((await runOnWorkerd([s])).get(s.name));
  const d = await runOnDurasim(s);
  const failed = [...onWorkerd, d].find((r) => !("record" in r) || !r.record || "driveThrew" in r.record || "driveTimedOut" in r.record);
  if (failed) throw new Error(`${s.name} failed: ${JSON.stringify(failed).slice(0, 600)}`);
  const out = {};
  for (const key of Object.keys(plans)) {
    const [w, d1] = [streams(onWorkerd[0].record[key]), streams(d.record[key])];
    if (onWorkerd.slice(1).some((again) => !isDeepStrictEqual(w, streams(again.record[key])))) out[key] = "unstable";
    else out[key] = isDeepStrictEqual(w, d1) ? "same" : { workerd: w, durasim: d1 };
  }
  return out;
}

function report(label, { workerd, durasim }) {
  for (const name of new Set([...Object.keys(workerd), ...Object.keys(durasim)])) {
    const [a, b] = [workerd[name] ?? [], durasim[name] ?? []];
    if (isDeepStrictEqual(a, b) && !opt.full) continue;
    const at = firstDifference(a, b);
    console.log(`DIFFER ${label} ${name}, from entry ${at}`);
    for (let i = opt.full ? 0 : Math.max(0, at - 3); i < Math.max(a.length, b.length) && (opt.full || i < at + 6); i++) {
      console.log(`  ${String(i).padStart(3)} workerd ${a[i] ?? "(none)"}\n      durasim ${b[i] ?? "(none)"}`);
    }
  }
}

/** Every program one edit smaller than `plan`: an event, a step or a wave boundary fewer, an option dropped. */
function* smaller(plan) {
  const copy = () => structuredClone(plan);
  const waves = plan.waves;
  for (let w = 0; w < waves.length; w++) {
    for (let e = 0; e < waves[w].length; e++) {
      const p = copy();
      p.waves[w].splice(e, 1);
      p.waves = p.waves.filter((wave) => wave.length > 0);
      yield p;
    }
    if (w + 1 < waves.length) {
      const p = copy();
      p.waves.splice(w, 2, [...p.waves[w], ...p.waves[w + 1]]);
      yield p;
    }
  }
  // Steps at any depth, by path: [wave, event, step, nested step...].
  const stepLists = (steps, path, out) => {
    steps.forEach((st, k) => {
      out.push([...path, k]);
      if (st.steps) stepLists(st.steps, [...path, k], out);
    });
    return out;
  };
  const paths = [];
  waves.forEach((wave, w) => wave.forEach((ev, e) => stepLists(ev.steps, [w, e], paths)));
  const at = (p, path) => {
    let steps = p.waves[path[0]][path[1]].steps;
    for (const k of path.slice(2, -1)) steps = steps[k].steps;
    return [steps, path.at(-1)];
  };
  for (const path of paths) {
    const p = copy();
    const [steps, k] = at(p, path);
    if (steps.length === 1 && path.length === 3) continue;
    steps.splice(k, 1);
    yield p;
    const q = copy();
    const [qs, qk] = at(q, path);
    const st = qs[qk];
    if (st.o !== undefined) { delete st.o; yield q; }
    else if (st.wait === false) { st.wait = true; yield q; }
    else if (st.throws || st.end === "throw" || st.end === "rollback") { delete st.throws; st.end = st.end && "commit"; yield q; }
  }
}

/** Shrinks a differing seed one edit at a time (every candidate of a round in one run), then prints it. */
async function reduce(backend, seed) {
  let plan = program(seed, backend === "sqlite");
  let last = (await compare(backend, { [seed]: plan }, `reduce ${seed}`))[seed];
  if (typeof last === "string") return console.log(`seed ${seed} [${backend}]: ${last}`);
  for (;;) {
    const candidates = [...smaller(plan)];
    if (candidates.length === 0) break;
    const results = await compare(backend, Object.fromEntries(candidates.map((c, i) => [i, c])), `reduce ${seed}`, 1);
    const i = candidates.findIndex((_, i) => typeof results[i] === "object");
    if (i < 0) break;
    [plan, last] = [candidates[i], results[i]];
  }
  // The smallest program's difference, with workerd run twice to be sure it is not timing.
  const final = (await compare(backend, { [seed]: plan }, `reduce ${seed}`))[seed];
  console.log(`seed ${seed} [${backend}] reduced (${typeof final === "string" ? final : "differs"}):\n  ${JSON.stringify(plan)}`);
  if (typeof final === "object") report(`seed ${seed} [${backend}] reduced`, final);
}

const [from, to, per] = [opt.from, opt.to, opt.per].map(Number);
const backends = opt.backend ? [opt.backend] : ["sqlite", "kv"];
if (opt.reduce) {
  for (const backend of backends) await reduce(backend, Number(opt.reduce));
  process.exit(0);
}
let differing = 0;
let unstable = 0;
let batches = 0;
for (const backend of backends) {
  for (let a = from; a <= to; a += per) {
    const seeds = Array.from({ length: Math.min(per, to - a + 1) }, (_, i) => a + i);
    const plans = Object.fromEntries(seeds.map((seed) => [seed, program(seed, backend === "sqlite")]));
    if (opt.print) {
      for (const seed of seeds) console.log(`seed ${seed} [${backend}]`, JSON.stringify(plans[seed]));
      continue;
    }
    batches++;
    let results;
    try {
      results = await compare(backend, plans, `${seeds[0]}-${seeds.at(-1)}`);
    } catch (e) {
      differing++;
      console.log(`FAILED ${e.message}`);
      continue;
    }
    for (const [seed, r] of Object.entries(results)) {
      if (r === "unstable") {
        unstable++;
        console.log(`UNSTABLE seed ${seed} [${backend}]: workerd's two runs differ`);
      } else if (r !== "same") {
        differing++;
        report(`seed ${seed} [${backend}]`, r);
      }
    }
  }
}
if (!opt.print) {
  console.log(`fuzz-events: seeds ${from}..${to}, ${batches} scenarios, ${differing} differing, ${unstable} timing-dependent on workerd`);
  process.exitCode = differing > 0 ? 1 : 0;
}

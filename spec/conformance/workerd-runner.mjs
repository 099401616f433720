// Runs scenarios inside the real runtime: the `workerd` binary from the npm package.
//
// Speed: starting workerd costs ~80 ms, but one process can host many Workers. So a batch of
// scenarios becomes one config with one Worker (= one isolate) per scenario, each with its own
// Durable Object namespace and its own storage directory; `workerd test` then calls every
// Worker's `test()` handler one after another. Scenarios are isolated (separate isolates,
// namespaces and databases) while the process start is paid once per batch.
//
// Robustness: a scenario that breaks the config (syntax error, bad class list) stops the whole
// process at start-up, and one that hangs stops the batch. Both are attributed to their
// scenario (workerd prefixes start-up errors with "service <name>:"; the hung one is the last
// that printed @@START@@ without @@RESULT@@), recorded as failures, and the rest re-run.
import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, mkdir, writeFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { buildModule, buildWorkerModule, MAIN_WORKER } from "./scenario.mjs";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const WORKERD_BIN = process.env.WORKERD_BIN ?? join(REPO, "node_modules", ".bin", "workerd");
export const COMPATIBILITY_DATE = "2026-11-01";

/** Kill a batch when workerd prints no marker line for this long (covers start-up too), or
 * for longer when one of its scenarios may run longer (see silenceLimit). */
const SILENCE_LIMIT_MS = 20_000;

/** The silence a batch is allowed: the usual limit, or a scenario's own driver timeout with
 * half the usual limit beside it, so that a slow scenario times itself out (and reports it)
 * before its process is killed. */
function silenceLimit(scenarios) {
  return Math.max(SILENCE_LIMIT_MS, ...scenarios.map((s) => s.timeoutMs + SILENCE_LIMIT_MS / 2));
}

/** Most scenarios per process: start-up compiles every Worker before the first marker, and on
 * a loaded 2-core machine a process of ~175 Workers stayed silent past SILENCE_LIMIT_MS, and
 * one of 60 did too at a load of 13 (it took 11-20 s where it finished). A process start costs
 * ~80 ms, so smaller batches cost little. */
const MAX_BATCH = 20;

/** Throws unless the binary runs; a conformance run must never pass without workerd. */
export function checkWorkerd() {
  const r = spawnSync(WORKERD_BIN, ["--version"], { encoding: "utf8" });
  if (r.error || r.status !== 0) {
    const why = r.error ? r.error.message : `exit ${r.status}: ${r.stderr}`;
    throw new Error(`workerd cannot start (${WORKERD_BIN}): ${why}`);
  }
  return r.stdout.trim();
}

/** Service name of a scenario's other Worker (start-up errors still name "s<i>"). */
const otherService = (i, name) => `s${i}-${name}`;

/** A capnp service binding for `{ name, entrypoint, props }` of scenario `i`. */
function serviceBinding(i, binding, { name, entrypoint, props }) {
  const fields = [`name = ${JSON.stringify(name === MAIN_WORKER ? `s${i}` : otherService(i, name))}`];
  if (entrypoint !== undefined) fields.push(`entrypoint = ${JSON.stringify(entrypoint)}`);
  if (props !== undefined) fields.push(`props = (json = ${JSON.stringify(JSON.stringify(props))})`);
  return `(name = ${JSON.stringify(binding)}, service = (${fields.join(", ")}))`;
}

/** The capnp config: one Worker per scenario, service names s0..sN (the marker tags), plus the
 * scenario's other Workers as s<i>-<name>. */
function capnpConfig(scenarios) {
  const services = [];
  const workers = [];
  const worker = (id, file, rest, flags = [], date = COMPATIBILITY_DATE) => `const ${id} :Workerd.Worker = (
  compatibilityDate = "${date}",${flags.length > 0 ? `\n  compatibilityFlags = ${JSON.stringify(flags)},` : ""}
  modules = [ (name = "main.js", esModule = embed "${file}") ],
  ${rest} );`;
  scenarios.forEach((s, i) => {
    const sql = s.backend === "sqlite";
    services.push(`(name = "s${i}", worker = .w${i})`);
    if (sql) services.push(`(name = "disk${i}", disk = (path = "data/s${i}", writable = true))`);
    const namespaces = Object.values(s.classes).map(
      (c) => `(className = ${JSON.stringify(c)}, uniqueKey = ${JSON.stringify(`test-${c}`)}, enableSql = ${sql})`,
    );
    const bindings = [
      ...Object.entries(s.classes).map(([b, c]) => `(name = ${JSON.stringify(b)}, durableObjectNamespace = ${JSON.stringify(c)})`),
      ...Object.entries(s.services).map(([b, d]) => serviceBinding(i, b, d)),
    ];
    workers.push(worker(`w${i}`, `s${i}.js`, `durableObjectNamespaces = [ ${[...new Set(namespaces)].join(", ")} ],
  durableObjectStorage = ${sql ? `(localDisk = "disk${i}")` : "(inMemory = void)"},
  bindings = [ ${bindings.join(", ")} ]`, s.compatibilityFlags, s.compatibilityDate));
    Object.entries(s.workers).forEach(([name, w], j) => {
      services.push(`(name = ${JSON.stringify(otherService(i, name))}, worker = .w${i}x${j})`);
      workers.push(worker(`w${i}x${j}`, `${otherService(i, name)}.js`, "bindings = [ ]", [], w.compatibilityDate));
    });
  });
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = ( services = [
  ${services.join(",\n  ")} ] );
${workers.join("\n")}
`;
}

/** One workerd process over `scenarios`. Returns { results: Map<index, record>, started:
 * Set<index>, code, stdout, stderr, timedOut }. */
async function runProcess(scenarios, keepDir) {
  const dir = await mkdtemp(join(tmpdir(), "durasim-conformance-"));
  try {
    await Promise.all(
      scenarios.map(async (s, i) => {
        await writeFile(join(dir, `s${i}.js`), buildModule(s, "workerd", `s${i}`));
        for (const [name, w] of Object.entries(s.workers)) await writeFile(join(dir, `${otherService(i, name)}.js`), buildWorkerModule(w));
        if (s.backend === "sqlite") await mkdir(join(dir, "data", `s${i}`), { recursive: true });
      }),
    );
    await writeFile(join(dir, "config.capnp"), capnpConfig(scenarios));
    // Experimental compatibility flags need --experimental; batches without flags run without it.
    const experimental = scenarios.some((s) => s.compatibilityFlags.length > 0) ? ["--experimental"] : [];
    const out = await spawnCollect(WORKERD_BIN, ["test", ...experimental, "config.capnp"], dir, silenceLimit(scenarios));
    return { ...out, ...parseMarkers(out.stdout), dir };
  } finally {
    if (!keepDir) await rm(dir, { recursive: true, force: true });
  }
}

/** Spawns and collects output; kills the process after `silenceMs` without a marker. */
function spawnCollect(bin, args, cwd, silenceMs) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    let timer;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        child.kill("SIGKILL");
      }, silenceMs);
    };
    arm();
    // Decoded across chunks: a chunk may end inside a character's UTF-8 bytes, which decoding
    // each chunk alone would turn into U+FFFD (a record with "😀" differed at random).
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (d) => {
      stdout += d;
      if (String(d).includes("@@")) arm();
    });
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(new Error(`workerd cannot start (${bin}): ${e.message}`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

/** Marker lines are `@@START@@s<i>` and `@@RESULT@@s<i> <json>`; anything else on stdout is
 * the scenarios' own console output and is ignored. */
function parseMarkers(stdout) {
  const results = new Map();
  const started = [];
  for (const line of stdout.split("\n")) {
    let m;
    if ((m = /^@@START@@s(\d+)$/.exec(line))) started.push(Number(m[1]));
    else if ((m = /^@@RESULT@@s(\d+) (.*)$/.exec(line))) {
      try {
        results.set(Number(m[1]), JSON.parse(m[2]));
      } catch (e) {
        results.set(Number(m[1]), { unparsableResult: String(e.message) });
      }
    }
  }
  return { results, started };
}

/** Indexes of scenarios named by workerd's start-up errors ("service s3: Uncaught ..."). */
function blamedByStartup(stderr) {
  return new Set([...stderr.matchAll(/service s(\d+)\b/g)].map((m) => Number(m[1])));
}

/**
 * Runs `scenarios` (normalized) in as few workerd processes as possible.
 * Returns Map<name, { record } | { failure }> with every scenario present.
 */
export async function runOnWorkerd(scenarios, { keepDir = false } = {}) {
  const out = new Map();
  for (const s of scenarios.filter((x) => x.ownProcess)) {
    for (const [k, v] of await runBatches([s], keepDir)) out.set(k, v);
  }
  const shared = scenarios.filter((x) => !x.ownProcess);
  for (let i = 0; i < shared.length; i += MAX_BATCH) {
    for (const [k, v] of await runBatches(shared.slice(i, i + MAX_BATCH), keepDir)) out.set(k, v);
  }
  return out;
}

/** One batch, re-run without the scenarios that broke it until every one has an outcome. */
async function runBatches(scenarios, keepDir) {
  const out = new Map();
  let pending = scenarios;
  while (pending.length > 0) {
    const r = await runProcess(pending, keepDir);
    const next = [];
    const blamed = r.code !== 0 && r.results.size === 0 ? blamedByStartup(r.stderr) : new Set();
    const hung = r.timedOut ? r.started.findLast((i) => !r.results.has(i)) : undefined;
    const details = `exit ${r.code}${r.signal ? ` (${r.signal})` : ""}${r.timedOut ? `, killed after ${silenceLimit(pending)} ms of silence` : ""}\n${r.stderr.trim()}`;
    pending.forEach((s, i) => {
      if (r.results.has(i)) out.set(s.name, { record: r.results.get(i) });
      else if (blamed.has(i)) out.set(s.name, { failure: `workerd rejected this scenario at start-up: ${details}` });
      else if (i === hung) out.set(s.name, { failure: `workerd hung in this scenario: ${details}` });
      else if (blamed.size > 0 || (r.timedOut && hung !== undefined)) next.push(s); // innocent: retry
      else out.set(s.name, { failure: `workerd produced no result for this scenario: ${details}` });
    });
    pending = next;
  }
  return out;
}

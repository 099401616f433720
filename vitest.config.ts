import { existsSync, readFileSync, readdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, relative, resolve } from "node:path";
import { configDefaults, defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

// .ci/run sets DURASIM_VITEST_JSON to collect a JSON report for its summary line.
const jsonReport = process.env.DURASIM_VITEST_JSON;

/** This repository's build (Vite's module ids use "/" separators). */
const distFiles = new RegExp(`^${resolve(import.meta.dirname, "dist").split("\\").join("/").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/`);

/**
 * A spec file's text and its neighbours' (the modules of its own directory it imports, as the
 * runners-*.spec.ts files share nested-runs.ts): what the file runs.
 */
function sourcesOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const neighbours = [...text.matchAll(/from "\.\/([\w.-]+)\.js"/g)].map((match) => resolve(dirname(file), `${match[1]}.ts`));
  return [text, ...neighbours.filter((path) => existsSync(path)).map((path) => readFileSync(path, "utf8"))];
}

/**
 * Vitest runs the longest files first once it has timings of a previous run; without them (a
 * fresh clone, as in CI) it runs the largest first, and a short file that starts child
 * processes (the slowest kind here) could start last and run alone at the end. So until every
 * file has a timing, files that import node:child_process, themselves or through a module of
 * their own directory (the runners-*.spec.ts files share nested-runs.ts), go first.
 */
class ChildProcessesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const timed = (file: TestSpecification) =>
      this.ctx.cache.getFileTestResults(`${file.project.name}:${relative(this.ctx.config.root, file.moduleId)}`) !== undefined;
    if (sorted.every(timed)) return sorted;
    const startsProcesses = (file: TestSpecification) => sourcesOf(file.moduleId).some((source) => source.includes("node:child_process"));
    return [...sorted.filter(startsProcesses), ...sorted.filter((file) => !startsProcesses(file))];
  }
}

/**
 * Spec files that may share a worker process (Vitest's isolate: false) with the files before
 * them: a fresh process per file cost each one Node's start and the whole of dist/ imported
 * again: the 72 files of the API layers' directories took 112 s of CPU on Node 20 and 101 s on
 * Node 24 a process each, 20 s and 15 s sharing (2026-12-05, this 2-core machine, loaded).
 * Sharing is what a user's suite does anyway (many emulators, one process), so every spec file
 * shares, except a file whose text (or a module of its own directory it imports) touches what
 * is the process's own rather than an emulator's: fake timers (but see FAKE_TIMERS_SHARE),
 * stubbed or assigned globals and spies on them, process listeners, exit code and environment,
 * module hooks and mocks, child processes (but see CHILDREN_SHARE), warnings Node prints once,
 * counts the process keeps (the SQLite pool's open databases, its memory and handles), built-ins
 * the process may lack and durasim adds to its global once a Worker's modules load (URLPattern on
 * Node 20: a file asking for the native one saw durasim's after another file), the Cloudflare
 * global Worker code freezes (one object for the process's life). Those and the files of
 * HEAVY_HEAP keep a process per file, as do the examples' specs (users' projects).
 * Spies on console's methods are not among them: durasim looks console.error/warn/log up at each
 * call and keeps no copy, so a spy put back when its file ends (SHARED_SETUP makes sure) leaves
 * nothing a later file sees. Nine files that spied on console and touched nothing else of the
 * process (and one that names durasim/register in a comment) took a process each for it.
 */
const PROCESS_WIDE =
  /stubGlobal|stubEnv|globalThis\.\w+ *=[^=]|\(globalThis as [^)]+\)(\.\w+|\[\w+\]) *=[^=]|defineProperty\(globalThis|delete \(?globalThis|process\.(on|once|off|removeListener|exitCode)\b|process\.env\.\w+ *=[^=]|module\.register|registerHooks|\/register(\.js)?["']|vi\.mock|emitWarning|spyOn\((globalThis|process)\b|openDatabaseCount|memoryUsage|getActiveResourcesInfo|globalThis as (unknown as )?\{ URLPattern|freeze\(Cloudflare\)/;
/**
 * Fake timers are process-wide while installed, so a file that installs them keeps a process of
 * its own unless it is one of FAKE_TIMERS_SHARE: files whose tests install them only after
 * durasim is imported and put the real ones back after each test (SHARED_SETUP does too when the
 * file ends, should a test fail first). A durasim module imported while fakes are installed
 * still takes the machine's timers (lib/util/unfaked.ts), so nothing of a faked file outlives
 * it. The others fake the clock before they import durasim (persistence-leftover-clock.spec),
 * load the Jest environment's globals here (jest-environment.spec) or keep a process for another
 * reason too (kv.spec: HEAVY_HEAP; events.spec: CURRENT_EMULATOR; the rest patch more).
 */
const FAKE_TIMERS = /useFakeTimers/;
const FAKE_TIMERS_SHARE = new Set(
  [
    "bindings/cache",
    "bindings/ratelimit",
    "runtime/gates/gates",
    "runtime/gates/transaction-output",
    "runtime/lifecycle/alarm-chain-fake-timers",
    "runtime/lifecycle/alarm-writes-then-io",
    "runtime/lifecycle/clock",
    "runtime/rpc/event-loop",
    "runtime/usage/duration",
  ].map((name) => `spec/${name}.spec.ts`),
);
/**
 * cloudflare:test's env and SELF act on the emulator useEmulator() bound, else on the newest
 * one still alive (lib/modules/test/target.ts), which is the process's: a file importing them
 * that binds none itself acted, sharing, on one an earlier file left bound or alive (on Node 20
 * events.spec's and stacks.spec's tests met another Worker). Such a file keeps a process, as
 * does one installing the runners' `caches`, whose entries go to that same emulator (with none
 * alive it stores nothing, which cache-storage.spec checks: it stored, sharing, in a CI run).
 */
const CURRENT_EMULATOR = /import \{[^}]*\b(SELF|env)\b[^}]*\} from "[^"]*\/modules\/test\/index\.js"|\binstallCacheStorage\b/;
/**
 * Files whose tests run for seconds, most of them allocating much (thousands of sockets, trials
 * or rows, values of tens of MiB): a process of their own costs them little, and in a shared one
 * the collector had the earlier files' heap to walk too (on a loaded machine 32768 WebSockets
 * in one object took 33 s instead of 9 s, 1000 commit-failure trials 60 s instead of 29 s, a
 * 25 MiB KV value 30 s instead of 12 s: past their timeouts; on Node 20 a thousand WebSocket
 * connections, io-contexts.spec, outlasted its 20 s there, and persistence.spec's snapshot cycles
 * over persisted KV and R2 took 10-20 s instead of 7 s).
 */
const HEAVY_HEAP = new Set(
  [
    "bindings/differential",
    "bindings/kv",
    "bindings/r2",
    "persistence",
    "runtime/gates/fifo",
    "runtime/io-contexts",
    "runtime/rpc/rpc",
    "runtime/websockets/hibernation",
    "sqlite/statement-cache",
    "storage/api/sql-exec",
    "storage/api/sqlite-objects",
    "storage/backends/memory",
    "storage/backends/sqlite-undo",
    "storage/fault-injection",
    "storage/persist/workerd-interop",
  ].map((name) => `spec/${name}.spec.ts`),
);
/** The spec files under `dir`, not those of the fixture projects nested runners run (with their node_modules). */
function specFiles(dir: string): string[] {
  return readdirSync(resolve(import.meta.dirname, dir), { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return entry.name === "fixtures" || entry.name === "node_modules" ? [] : specFiles(`${dir}/${entry.name}`);
    return entry.name.endsWith(".spec.ts") ? [`${dir}/${entry.name}`] : [];
  });
}
/**
 * A file that starts child processes keeps a process of its own too, unless it is one of
 * CHILDREN_SHARE: a child's state is its own, and these files, which touch nothing else of this
 * process (PROCESS_WIDE still applies to them), were checked to pass sharing on Node 20 and 24.
 * The others were not: the nested runners' suites, the package, leaks, crashes, the type
 * fixtures, the Miniflare runs (their children are most of their CPU, so sharing would save them
 * little), readiness.spec (its in-process test wants a process whose SQL engine has not loaded
 * yet), worker-globals.spec (it loads the Worker globals' module into this process) and
 * front-doors.spec.
 */
const STARTS_CHILDREN = /child_process/;
const CHILDREN_SHARE = new Set(
  [
    "modules/worker-prelude-declarations",
    "modules/worker-prelude-paths",
    "runtime/lifecycle/fake-timers-before-import",
    "runtime/object/event-handlers-retention",
    "runtime/rpc/messages",
    "storage/persist/lock",
  ].map((name) => `spec/${name}.spec.ts`),
);
/** Restores the spies and real timers when each shared file ends (see PROCESS_WIDE). */
const SHARED_SETUP = "spec/shared-file-end.ts";
const sharedFiles = specFiles("spec").filter((file) => {
  if (HEAVY_HEAP.has(file)) return false;
  const sources = sourcesOf(resolve(import.meta.dirname, file));
  const processWide = (source: string) =>
    PROCESS_WIDE.test(source) ||
    (FAKE_TIMERS.test(source) && !FAKE_TIMERS_SHARE.has(file)) ||
    (CURRENT_EMULATOR.test(source) && !source.includes("useEmulator("));
  return !sources.some(processWide) && (CHILDREN_SHARE.has(file) || !sources.some((source) => STARTS_CHILDREN.test(source)));
});

// Vitest's experimental fsModuleCache (transformed modules kept on disk between runs) stays off:
// its key for a module hashes the resolve config, whose `external` lists the running Node's
// built-in modules (Node 24 has node:sqlite, node:sea, node:test), so CI's Node 20 run found
// none of what its Node 24 run had stored, and within one run it saved nothing measurable
// (spec/storage and spec/modules on Node 24: 22.4 s of CPU with it, 23.3 s without, 2026-12-05).
export default defineConfig({
  test: {
    testTimeout: 20_000,
    // Specs that import the build (dist/) get Node's own loader, as the Vitest plugin gives
    // users: through Vite, the first import of dist's module graph in a worker was transformed
    // and fetched module by module over RPC, which on a loaded machine outlasted a test's timeout.
    server: { deps: { external: [distFiles] } },
    hookTimeout: 60_000,
    // Vitest keeps a core for its main process (cores - 1 workers): on a 2-core machine such as
    // CI that is one worker, and files ran one at a time although many of them mostly wait on
    // the child processes they start. The main process is nearly idle once modules are
    // transformed, so two workers there; larger machines keep Vitest's default.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    sequence: { sequencer: ChildProcessesFirst },
    projects: [
      // Each project's include is its own: an array the root gave would be joined to it. The
      // fixtures are users' projects, each run by its own runner and config (nested-runs.ts): a
      // fixture whose tests are named *.spec.ts is not this suite's.
      { extends: true, test: { name: "isolated", include: ["spec/**/*.spec.ts", "examples/**/*.spec.ts"], exclude: [...configDefaults.exclude, "spec/testing/fixtures/**", ...sharedFiles] } },
      { extends: true, test: { name: "shared", include: sharedFiles, isolate: false, setupFiles: [SHARED_SETUP] } },
    ],
    reporters: jsonReport ? ["default", "json"] : ["default"],
    outputFile: jsonReport ? { json: jsonReport } : undefined,
  },
});

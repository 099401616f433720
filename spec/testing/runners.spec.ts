/**
 * The example projects under each test runner, run as a user runs them (a child process, the
 * built package): the Vitest suite written the way Cloudflare's docs write theirs, the same
 * suite under Jest (CommonJS and ESM modes), and node:test with an emulator the test builds.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const repo = resolve(import.meta.dirname, "../..");
const scratch = mkdtempSync(join(tmpdir(), "durasim-runners-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The environment without this Vitest run's own variables, which would confuse a nested runner. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("VITEST") && key !== "NODE_OPTIONS"));
  return { ...env, ...extra };
}

function run(args: string[], extraEnv?: Record<string, string>): string {
  return runLogged(args, extraEnv).stdout;
}

/**
 * The nested runners' scripts. Their tests get a minute each instead of the runners' 5 s: in CI
 * these suites run beside the outer Vitest run on two cores, where a fixture's test can outlast
 * 5 s only because the machine is busy, which says nothing about durasim.
 */
const NESTED_RUNNERS = new Set(["node_modules/vitest/vitest.mjs", "node_modules/jest/bin/jest.js"]);
const NESTED_TEST_TIMEOUT = "--testTimeout=60000";

/** run(), with what the runner wrote to stderr too (Jest writes the tests' console there). */
function runLogged(args: string[], extraEnv?: Record<string, string>): { stdout: string; stderr: string } {
  const argv = NESTED_RUNNERS.has(args[0]) ? [...args, NESTED_TEST_TIMEOUT] : args;
  // A runner that hangs fails here, before the test's own timeout (which cannot stop a synchronous call).
  const { status, stdout, stderr } = spawnSync(process.execPath, argv, { cwd: repo, env: cleanEnv(extraEnv), encoding: "utf8", timeout: TIMEOUT - 30_000 });
  if (status !== 0) throw new Error(`${argv.join(" ")} failed (${status}):\n${stdout}\n${stderr}${reportedFailures(argv)}`);
  return { stdout, stderr };
}

/**
 * What a failed nested run's JSON report (its --outputFile, in Vitest's and Jest's shared shape)
 * says went wrong: with the report in a file, the runner's own output hardly names the failure.
 */
function reportedFailures(args: string[]): string {
  const file = args.find((arg) => arg.startsWith("--outputFile="))?.slice("--outputFile=".length);
  if (!file || !existsSync(file)) return "";
  type FileResult = { name: string; message?: string; assertionResults: { fullName: string; status: string; failureMessages: string[] }[] };
  const { testResults } = JSON.parse(readFileSync(file, "utf8")) as { testResults: FileResult[] };
  const lines = testResults.flatMap((result) => [
    ...(result.message ? [`${result.name}: ${result.message}`] : []),
    ...result.assertionResults.filter((test) => test.status === "failed").map((test) => `${result.name} > ${test.fullName}: ${test.failureMessages.join("\n")}`),
  ]);
  return lines.length ? `\nfailures in the report:\n${lines.join("\n")}` : "";
}

/** "VM modules on": CommonJS test files with NODE_OPTIONS=--experimental-vm-modules, as a project that set it once for ESM. */
type SuiteRunner = "Vitest" | "Jest (CommonJS)" | "Jest (ESM)" | "Jest (CommonJS, VM modules on)";

const JEST_ESM_ENV = { NODE_OPTIONS: "--experimental-vm-modules --no-warnings" };

/**
 * Runs a fixture's suite with `runner` (its JSON report written to the scratch directory) and
 * gives its counts (Jest reads `jestConfig` in the fixture): tests passed and failed, suites failed.
 */
function suiteCounts(fixture: string, runner: SuiteRunner, jestConfig = runner === "Jest (ESM)" ? "jest.esm.config.cjs" : "jest.config.cjs"): { passed: number; failed: number; suites: number } {
  const root = `spec/testing/fixtures/${fixture}`;
  const report = join(scratch, `${fixture}-${runner.replace(/\W/g, "")}.json`);
  const args = runner === "Vitest" ? ["node_modules/vitest/vitest.mjs", "run", "--root", root, "--reporter=json"] : ["node_modules/jest/bin/jest.js", "-c", `${root}/${jestConfig}`, "--json"];
  run([...args, `--outputFile=${report}`], runner === "Jest (ESM)" || runner === "Jest (CommonJS, VM modules on)" ? JEST_ESM_ENV : {});
  const result = JSON.parse(readFileSync(report, "utf8"));
  return { passed: result.numPassedTests, failed: result.numFailedTests, suites: result.numFailedTestSuites };
}

const TIMEOUT = 180_000;

/**
 * Installs what a fixture that is a package of its own lists in its package-lock.json (npm
 * packages Workers use, such as hono or itty-router, and durasim as `file:../../../..`), once,
 * as a user's `npm ci` would: the fixture then resolves them, durasim included, from its own
 * node_modules. Scripts are skipped (durasim's `prepare` would rebuild the dist/ the other
 * tests load while they run).
 */
function installOwnDependencies(fixture: string): void {
  const root = resolve(repo, "spec/testing/fixtures", fixture);
  if (existsSync(join(root, "node_modules/.package-lock.json"))) return;
  const { status, stdout, stderr } = spawnSync("npm", ["ci", "--no-audit", "--no-fund", "--ignore-scripts"], { cwd: root, env: cleanEnv(), encoding: "utf8", timeout: INSTALL_TIMEOUT });
  if (status !== 0) throw new Error(`npm ci in ${root} failed (${status}):\n${stdout}\n${stderr}`);
}

/** npm ci of a fixture's few packages (their download included). */
const INSTALL_TIMEOUT = 120_000;

/** The TypeScript compiler's complaints about a fixture's tsconfig.json (empty when it compiles). */
function typeErrors(fixture: string): string {
  const { stdout } = spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", `spec/testing/fixtures/${fixture}`], { cwd: repo, encoding: "utf8" });
  return stdout;
}

describe("example suites", () => {
  it("Vitest: the Cloudflare-style suite passes with only the plugin import changed", () => {
    const report = join(scratch, "vitest.json");
    run(["node_modules/vitest/vitest.mjs", "run", "--root", "examples/vitest", "--reporter=json", `--outputFile=${report}`]);
    const result = JSON.parse(readFileSync(report, "utf8"));
    expect({ passed: result.numPassedTests, failed: result.numFailedTests, suites: result.numFailedTestSuites }).toEqual({
      passed: result.numTotalTests,
      failed: 0,
      suites: 0,
    });
    expect(result.numTotalTests).toBeGreaterThanOrEqual(4);
  }, TIMEOUT);

  it("Vitest: the chat-room example (hibernatable WebSockets through SELF, evictDurableObject's webSockets option) passes", () => {
    const report = join(scratch, "chat-room.json");
    run(["node_modules/vitest/vitest.mjs", "run", "--root", "examples/chat-room", "--reporter=json", `--outputFile=${report}`]);
    const result = JSON.parse(readFileSync(report, "utf8"));
    expect({ passed: result.numPassedTests, failed: result.numFailedTests, suites: result.numFailedTestSuites }).toEqual({
      passed: 10,
      failed: 0,
      suites: 0,
    });
  }, TIMEOUT);

  it("Vitest: V8 coverage reaches the Worker's code (everything runs in the test process)", () => {
    const summary = join(scratch, "coverage");
    run([
      "node_modules/vitest/vitest.mjs", "run", "--root", "examples/vitest", "--coverage.enabled", "--coverage.provider=v8",
      "--coverage.include=src/**", "--coverage.reporter=json-summary", `--coverage.reportsDirectory=${summary}`,
    ]);
    const report = JSON.parse(readFileSync(join(summary, "coverage-summary.json"), "utf8"));
    const worker = Object.entries(report).find(([file]) => file.endsWith("src/index.ts"))?.[1] as { lines: { pct: number } };
    expect(worker.lines.pct).toBeGreaterThan(80);
  }, TIMEOUT);

  it("Vitest and Jest: isolation \"test\" (the default) undoes each test's writes and keeps beforeAll's, describe by describe; isolation \"file\" keeps them for the file's next tests; usage sees the timers the test file's code sets in an object", () => {
    const report = join(scratch, "isolation.json");
    run(["node_modules/vitest/vitest.mjs", "run", "--root", "examples/vitest-isolation", "--reporter=json", `--outputFile=${report}`]);
    const vitest = JSON.parse(readFileSync(report, "utf8"));
    expect({ passed: vitest.numPassedTests, failed: vitest.numFailedTests }).toEqual({ passed: 8, failed: 0 });
    // reportUsage: each test's usage reaches the reporters as task meta.
    const perTest = vitest.testResults.find((file: { name: string }) => file.name.endsWith("isolation.test.ts"));
    const second = perTest.assertionResults.find((test: { title: string }) => test.title.startsWith("starts again"));
    expect(second.meta.durasimUsage).toMatchObject({ requests: 4, readUnits: 0, writeUnits: 0 });
    const jestReport = join(scratch, "isolation-jest.json");
    const printed = run(["node_modules/jest/bin/jest.js", "-c", "examples/jest/jest.isolation.config.cjs", "--json", `--outputFile=${jestReport}`]);
    const jest = JSON.parse(readFileSync(jestReport, "utf8"));
    expect({ passed: jest.numPassedTests, failed: jest.numFailedTests }).toEqual({ passed: 8, failed: 0 });
    // durasim/jest/usage-reporter: the same test's row in the table it prints, one row per test.
    const table = printed.slice(printed.indexOf("durasim usage per test"));
    const row = table.split("\n").find((line) => line.startsWith("test/isolation.test.ts > ") && line.includes(" > starts again"));
    const cells = row?.split(/\s{2,}/) ?? [];
    expect([cells[1], cells[4], cells[5]]).toEqual(["4", "0", "0"]); // requests, KV read and write units
    expect(table.split("\n").filter((line) => line.startsWith("test/"))).toHaveLength(8);
  }, TIMEOUT);

  it("Vitest: Miniflare options written as functions (service bindings: functions, { node } services, WebSocket answers) run in Vitest's main process, from static and function-form options; miniflare.modulesRules, and define, alias and rules from function-form options, apply; fetch() goes to the top-level outboundService, and an auxiliary Worker's (its objects' too) to its own", () => {
    const report = join(scratch, "miniflare-options.json");
    run(["node_modules/vitest/vitest.mjs", "run", "--root", "spec/testing/fixtures/vitest-miniflare", "--reporter=json", `--outputFile=${report}`]);
    const result = JSON.parse(readFileSync(report, "utf8"));
    expect({ passed: result.numPassedTests, failed: result.numFailedTests, suites: result.numFailedTestSuites }).toEqual({ passed: 34, failed: 0, suites: 0 });
  }, TIMEOUT);

  it("Vitest: a test file's vi.mock reaches the modules the Worker imports (through SELF, objects and the imported handler), with a setup file importing cloudflare:test; the next file gets the real module", () => {
    const report = join(scratch, "mocks.json");
    run(["node_modules/vitest/vitest.mjs", "run", "--root", "spec/testing/fixtures/module-mocks", "--reporter=json", `--outputFile=${report}`]);
    const result = JSON.parse(readFileSync(report, "utf8"));
    expect({ passed: result.numPassedTests, failed: result.numFailedTests, suites: result.numFailedTestSuites }).toEqual({ passed: 2, failed: 0, suites: 0 });
    // The mocked file first (the fixture's sequencer), so the real one runs after it in the same worker.
    const files = [...result.testResults].sort((a: { startTime: number }, b: { startTime: number }) => a.startTime - b.startTime);
    expect(files.map((file: { name: string }) => file.name.split("/test/vitest/")[1])).toEqual(["mocked.test.js", "real.test.js"]);
  }, TIMEOUT);

  it("Vitest: a Worker that does not export a class its wrangler file binds fails the file with durasim's ConfigError, once the held-back modules load; a file that throws reports its own error, and its Worker never loads", () => {
    const report = join(scratch, "missing-class.json");
    const loads = join(scratch, "missing-class-loads.txt");
    expect(() =>
      run(["node_modules/vitest/vitest.mjs", "run", "--root", "spec/testing/fixtures/missing-class", "--reporter=json", `--outputFile=${report}`], { DURASIM_LOAD_LOG: loads }),
    ).toThrow();
    // never.test.js's load alone: broken.test.js failed before its tests, so its Worker stayed held back.
    expect(readFileSync(loads, "utf8")).toBe("loaded\n");
    const result = JSON.parse(readFileSync(report, "utf8"));
    expect({ passed: result.numPassedTests, suites: result.numFailedTestSuites }).toEqual({ passed: 0, suites: 2 });
    const message = (name: string) => result.testResults.find((file: { name: string }) => file.name.endsWith(name)).message;
    expect(message("never.test.js")).toContain('durasim: Worker "missing-class" does not export a class named "Gone"');
    // A file that throws on its own reports its own error, not the load failure met on the way out.
    expect(message("broken.test.js")).toContain("the test file's own error");
    expect(message("broken.test.js")).not.toContain("Gone");
  }, TIMEOUT);

  it("Vitest: a vm pool (--pool=vmThreads), whose contexts cannot register durasim's module hooks, is refused by name, not with Vitest's own error about register()", () => {
    expect(() => run(["node_modules/vitest/vitest.mjs", "run", "--root", "examples/vitest-isolation", "--pool=vmThreads"])).toThrow(
      'durasim: cloudflareTest() runs test files in Vitest\'s "forks" pool (the default) or "threads", not "vmThreads"',
    );
  }, TIMEOUT);

  it("Vitest: a file whose test fails half-way (a call hanging, a socket open, an alarm armed, an interval ticking, fake timers, spies, stubbed globals and env left behind) leaves nothing to the next files in the same process: none of its timers fires, and its socket, instance and emulator are garbage", () => {
    const report = join(scratch, "failing-file.json");
    expect(() => run(["node_modules/vitest/vitest.mjs", "run", "--root", "spec/testing/fixtures/failing-file", "--reporter=json", `--outputFile=${report}`])).toThrow();
    const result = JSON.parse(readFileSync(report, "utf8"));
    const files = [...result.testResults].sort((a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name));
    const outcomes = files.flatMap((file: { assertionResults: { title: string; status: string }[] }) => file.assertionResults.map((test) => test.status));
    expect(outcomes).toEqual(["failed", "passed", "passed", "passed", "passed"]);
    const failed = files[0].assertionResults[0];
    expect(failed.failureMessages[0]).toContain("expected [ 'ada', 'grace' ] to deeply equal [ 'ada' ]");
  }, TIMEOUT);

  for (const [mode, config, env] of [
    ["CommonJS", "examples/jest/jest.config.cjs", {}],
    ["ESM", "examples/jest/jest.esm.config.cjs", { NODE_OPTIONS: "--experimental-vm-modules --no-warnings" }],
  ] as const) {
    it(`Jest (${mode}): the same suite passes under the preset`, () => {
      const report = join(scratch, `jest-${mode}.json`);
      run(["node_modules/jest/bin/jest.js", "-c", config, "--json", `--outputFile=${report}`], env);
      const result = JSON.parse(readFileSync(report, "utf8"));
      expect({ success: result.success, failed: result.numFailedTests }).toEqual({ success: true, failed: 0 });
      expect(result.numPassedTests).toBeGreaterThanOrEqual(4);
    }, TIMEOUT);
  }

  for (const [mode, config, mock, env] of [
    ["CommonJS", "jest.config.cjs", "jest.mock", {}],
    ["ESM", "jest.esm.config.cjs", "jest.unstable_mockModule", { NODE_OPTIONS: "--experimental-vm-modules --no-warnings" }],
  ] as const) {
    it(`Jest (${mode}): a test file's ${mock} reaches the modules the Worker imports (through SELF, objects and the imported handler); the next file in the same worker gets the real module`, () => {
      const report = join(scratch, `jest-mocks-${mode}.json`);
      run(["node_modules/jest/bin/jest.js", "-c", `spec/testing/fixtures/module-mocks/${config}`, "--runInBand", "--json", `--outputFile=${report}`], env);
      const result = JSON.parse(readFileSync(report, "utf8"));
      expect({ passed: result.numPassedTests, failed: result.numFailedTests, suites: result.numFailedTestSuites }).toEqual({ passed: 2, failed: 0, suites: 0 });
      // The mocked file first, so the real one runs after it in the same Jest runtime's process.
      expect(result.testResults.map((file: { name: string }) => file.name.split("/test/jest/")[1])).toEqual([
        `${mode === "ESM" ? "esm" : "cjs"}/mocked.test.ts`,
        "real.test.ts",
      ]);
    }, TIMEOUT);
  }

  for (const [mode, config, env] of [
    ["CommonJS", "jest.config.cjs", {}],
    ["ESM", "jest.esm.config.cjs", { NODE_OPTIONS: "--experimental-vm-modules --no-warnings" }],
  ] as const) {
    it(`Jest (${mode}): Worker code and tests see the runtime's navigator, self, URL and atob, and URLPattern results that are the file's realm's plain objects; calls a test leaves in flight when the file ends are logged, not the end of the run; the test file's own buffers and SharedArrayBuffers are bytes to KV, R2 and SQL, and SQL hands back its realm's arrays (raw().toArray() too); a data blob is its realm's ArrayBuffer; what the runtime's globals and Node's built-ins throw or reject with is instanceof the file's error classes, in Worker code and in tests, fetch() refusals (a stub's, SELF's, Worker code's) its realm's TypeErrors`, () => {
      const report = join(scratch, `jest-worker-scope-${mode}.json`);
      const { stderr } = runLogged(["node_modules/jest/bin/jest.js", "-c", `spec/testing/fixtures/jest-worker-scope/${config}`, "--runInBand", "--json", `--outputFile=${report}`], env);
      const result = JSON.parse(readFileSync(report, "utf8"));
      expect({ passed: result.numPassedTests, failed: result.numFailedTests, suites: result.numFailedTestSuites }).toEqual({ passed: 12, failed: 0, suites: 0 });
      expect(stderr).toContain("durasim: a call nothing awaited failed as its emulator ended it: Error: durasim: this Emulator has been disposed");
    }, TIMEOUT);
  }

  for (const runner of ["Vitest", "Jest (CommonJS)", "Jest (ESM)"] as const) {
    it(`${runner}: a shop's suite (KV and SQLite objects, a KV namespace, errors thrown across RPC and caught by the Worker, Maps, Dates, SQL rows and stored values compared with toStrictEqual, callbacks, a fetch mock reaching an alarm) passes; under Jest, what durasim hands Worker code and tests is of the test file's realm`, () => {
      expect(suiteCounts("user-suite", runner)).toEqual({ passed: 17, failed: 0, suites: 0 });
    }, TIMEOUT);
  }

  for (const [runner, passed] of [["Vitest", 29], ["Jest (CommonJS)", 28], ["Jest (ESM)", 28]] as const) {
    it(`${runner}: a status page's suite (wrangler.toml with an environment, its .dev.vars file, a renamed KV-backed class, number and object vars; defineWorkersConfig; the importable env read as a module loads; hibernatable WebSockets through SELF, binary frames as a 2025 Worker delivers them; a rate limiter's alarm under fake timers; R2 uploads with ranged and conditional reads, KV, a named entrypoint through a service binding, exports and ctx.exports; queue and cron handlers as units and events, retryAll() and noRetry()) passes; under Jest, ctx's WebSocket getters hand back the test file's realm's arrays and Dates`, () => {
      expect(suiteCounts("status-page", runner)).toEqual({ passed, failed: 0, suites: 0 });
    }, TIMEOUT);
  }

  for (const runner of ["Vitest", "Jest (ESM)"] as const) {
    it(`${runner}: a checkout's suite whose wrangler file declares bindings durasim does not emulate (a queue producer, D1, Workers AI, Vectorize) runs: they are stand-ins, a spy on one is what the Worker calls, a call to one fails there naming it, each test file gets its own, and miniflare.bindings gives a value instead`, () => {
      expect(suiteCounts("checkout", runner, "jest.config.cjs")).toEqual({ passed: 7, failed: 0, suites: 0 });
    }, TIMEOUT);
  }

  for (const runner of ["Vitest", "Jest (ESM)"] as const) {
    it(`${runner}: a reading list's suite whose config reads its D1 migrations with readD1Migrations() into a binding, applied by a setup file: the config loads, applyD1Migrations() warns that D1 is not emulated instead of failing every file, the Durable Object tests pass and a request that uses D1 fails naming the binding`, () => {
      expect(suiteCounts("reading-list", runner, "jest.config.mjs")).toEqual({ passed: 4, failed: 0, suites: 0 });
    }, TIMEOUT);
  }

  for (const runner of ["Vitest", "Jest (ESM)"] as const) {
    it(`${runner}: a JavaScript notes API's suite (an auxiliary Worker from miniflare.workers whose Durable Objects the main Worker binds by script_name and whose entrypoint it reaches by a service binding; an RpcTarget grant, its getter and its disposal; errors across the binding; callbacks and byte streams over RPC; a JSON module and a dynamic import in the Worker) passes`, () => {
      expect(suiteCounts("notes-gateway", runner, "jest.config.cjs")).toEqual({ passed: 15, failed: 0, suites: 0 });
    }, TIMEOUT);
  }

  for (const [runner, passed] of [["Vitest", 8], ["Jest (CommonJS)", 6], ["Jest (ESM)", 6]] as const) {
    it(`${runner}: a write the Worker's ctx.waitUntil() makes after SELF.fetch() returned lands in its own test and is undone with it, not in the next test; an alarm handler running at a test's end writes nothing there either; setup files seed storage and set globals Worker code sees; a global a test stubs reaches objects and the fetch handler; an entrypoint exported under another name is in exports`, () => {
      expect(suiteCounts("suite-lifecycle", runner)).toEqual({ passed, failed: 0, suites: 0 });
    }, TIMEOUT);
  }

  for (const [runner, passed] of [["Vitest", 20], ["Jest (CommonJS)", 19], ["Jest (ESM)", 19]] as const) {
    it(`${runner}: an auction house's suite (wrangler.jsonc with deleted_classes; a SQLite object migrating in blockConcurrencyWhile, its synchronous KV, a CHECK constraint's error, a CSV streamed from a cursor; newUniqueId, jurisdiction and idFromString's error; a custom error across RPC read by name; settlement in an alarm retried with retryCount and isRetry under fake timers, calling a payments API signed with crypto.subtle from the importable env; getAlarm and deleteAlarm; auto-response ping over hibernated sockets; point-in-time restore with ctx.abort() breaking the stub; abortAllDurableObjects; a KV-backed ledger's transaction, reverse list and beforeAll writes kept per describe; a cron as a unit and through SELF; exports) passes; under Vitest, cloudflareTest's options as a function read what globalSetup provided (a payments server the alarm reaches)`, () => {
      expect(suiteCounts("auction-house", runner)).toEqual({ passed, failed: 0, suites: 0 });
    }, TIMEOUT);
  }

  for (const runner of ["Vitest", "Jest (CommonJS)", "Jest (ESM)"] as const) {
    it(`${runner}: a link shortener's suite (a WorkerEntrypoint default export called over RPC on SELF and over HTTP, its handler as a unit with createExecutionContext; a named entrypoint bound as a service of the same Worker; vars with JSON types, a required secret from .dev.vars, cloudflare:workers' env; nodejs_compat's node:crypto; a RangeError and SQLite's constraint error across RPC; expiry alarms re-armed under fake timers, runDurableObjectAlarm; ctx.waitUntil's click count; beforeAll's writes per describe, and nothing of one file's objects or KV in the next) passes`, () => {
      expect(suiteCounts("link-shortener", runner)).toEqual({ passed: 18, failed: 0, suites: 0 });
    }, TIMEOUT);
  }

  for (const [runner, passed] of [["Vitest", 18], ["Jest (CommonJS)", 6], ["Jest (ESM)", 6], ["Jest (CommonJS, VM modules on)", 6]] as const) {
    it(`${runner}: a live-poll app's suite (wrangler.jsonc's "test" environment with migrations; a SQLite-backed poll queried through a tagged template, streaming its tally over hibernatable WebSockets reached with an Upgrade through SELF.fetch, tags, attachments and the auto-response across eviction; its closing alarm under fake timers writing to R2 and calling a mocked webhook, retried after a failure; a KV-backed rate limiter listed with listDurableObjectIds and run with runDurableObjectAlarm; KV seeded by a setup file or beforeAll; the cron as a unit reporting through ctx.exports; RPC on SELF with errors by name and SQLite's constraint error; idFromString's TypeError caught by the Worker as its realm's) passes; under Vitest, beside it an older defineWorkersProject project with no wrangler file whose main is its own test file`, () => {
      expect(suiteCounts("live-poll", runner)).toEqual({ passed, failed: 0, suites: 0 });
    }, TIMEOUT);
  }

  for (const [runner, passed] of [["Vitest", 48], ["Jest (CommonJS)", 41], ["Jest (ESM)", 41]] as const) {
    it(`${runner}: a render-job queue's suite (a plain router; a SQLite object migrating its own schema table in the constructor under blockConcurrencyWhile, re-migrated after ctx.abort(); a renamed class; jobs run by the alarm through an auxiliary Worker's service binding, retried with backoff under fake timers and expect.poll, cached in KV with metadata; a failure webhook mocked with fetchMock, an unmatched request refused with MockNotMatchedError, a URL without a scheme refused by the object's fetch() in the runtime's words under Jest too; a secret from .dev.vars; test.each; exports of cloudflare:workers; it.concurrent tests sharing their state and undone after them; under Vitest, describe.concurrent with a sequential describe inside, and snapshots) passes`, () => {
      expect(suiteCounts("render-jobs", runner)).toEqual({ passed, failed: 0, suites: 0 });
    }, TIMEOUT);
  }

  it("Vitest: an API gateway's suite (wrangler.toml; API keys in KV seeded by beforeAll, describe.each over refusals; a SQLite-backed token bucket keeping its state in the synchronous KV API, reached by getByName and named in ctx.id; its idle alarm re-armed and run under fake timers, runDurableObjectAlarm; vi.spyOn on the class's prototype seeing the Worker's RPC calls; a RangeError across RPC with remote and durableObjectId; listDurableObjectIds' unnamed ids; R2 uploads with HTTP and custom metadata; ctx.waitUntil metering after createExecutionContext and after SELF.fetch; it.concurrent requests never granted past the capacity; an operator token compared with crypto.subtle.timingSafeEqual) passes", () => {
    expect(suiteCounts("api-quota", "Vitest")).toEqual({ passed: 15, failed: 0, suites: 0 });
  }, TIMEOUT);

  it("Vitest: a presence hub's suite (defineWorkersProject given an async function, its pool options a function too, running wrangler.jsonc's staging environment: $schema, observability, placement, a renamed SQLite class after a deleted one, its assets binding served by a function in miniflare.serviceBindings instead of the stand-in; a WorkerEntrypoint default export called over RPC on SELF, typed by ProvidedWorker, and its ctx.waitUntil; runInDurableObject with type parameters; transactionSync trimming history and a failed one leaving nothing; hibernatable WebSockets through SELF.fetch tagged by user and role, getWebSockets(tag), getTags, a kick closing every tab, the event timeout, the ping auto-response across hibernation; vi.spyOn on the instance inside runInDurableObject seeing its socket handlers; a pruning alarm under fake timers and runDurableObjectAlarm; it.fails writing, undone before the next test) passes", () => {
    expect(suiteCounts("presence-hub", "Vitest")).toEqual({ passed: 15, failed: 0, suites: 0 });
  }, TIMEOUT);

  it("Vitest without the plugin: a build feed's suite on durasim's own API (Emulator.fromWrangler with the module Vite compiled, cloudflare:workers aliased to durasim/workers, durasim/register as a setup file; server-sent events streamed from a SQLite object through the Worker, resumed by Last-Event-ID, a viewer that cancelled or whose request's signal aborted dropped; a pipeline object calling the log object with a locationHint, one step per alarm under fake timers, emu.runAlarm, a prototype spy failing the alarm and its retry's AlarmInvocationInfo; using on an RPC result; durasim/test's runInDurableObject bound by useEmulator; listIds compared with a workers-types id; snapshot and restore) passes", () => {
    expect(suiteCounts("build-feed", "Vitest")).toEqual({ passed: 11, failed: 0, suites: 0 });
  }, TIMEOUT);

  for (const runner of ["Jest (CommonJS)", "Jest (ESM)"] as const) {
    it(`${runner} without the preset: a wallet's suite on durasim's own API (two Workers in one Emulator, cloudflare:workers mapped to durasim/workers by moduleNameMapper; a KV-backed object's transaction and batched writes; a named WorkerEntrypoint reached through a service binding with props, spied on its prototype, its TypeError crossing two hops; a custom error read by name in the Worker; hold expiry alarms under Jest's fake timers, durasim/test's helpers bound by useEmulator; failNextCommit applying nothing of the batch) passes`, () => {
      expect(suiteCounts("wallet", runner)).toEqual({ passed: 7, failed: 0, suites: 0 });
    }, TIMEOUT);
  }

  it("Vitest: a JavaScript session store's suite (vitest.config.mjs overriding a var with miniflare.bindings; an older-style object class with fetch() and no base class, reached by idFromName and get(); a login form posted through SELF with redirect: \"manual\" and its Set-Cookie; a KV-backed transaction with multi-key put, delete and list; the constructor's blockConcurrencyWhile re-run after abort(), which throws in its caller; expiry alarms under fake timers and runDurableObjectAlarm; a prototype spy set before the object starts seeing the alarm's first failure and its retry two seconds later, with the runtime's AlarmInvocationInfo; restoreMocks) passes", () => {
    expect(suiteCounts("session-store", "Vitest")).toEqual({ passed: 11, failed: 0, suites: 0 });
  }, TIMEOUT);

  for (const runner of ["Jest (CommonJS)", "Jest (ESM)"] as const) {
    it(`${runner}: a Kanban board's suite written with @jest/globals and no testEnvironmentOptions (a SQLite-backed board over RPC: AUTOINCREMENT ids, transactionSync, a CHECK constraint's error, a custom error read by name through the Worker; test.each and a snapshot; jest.spyOn on an instance inside runInDurableObject, seen by later RPC; hibernatable WebSockets through SELF with column tags, attachments, the ping auto-response and a close handler telling the others; done cards archived to R2 by an alarm under Jest's fake timers, runDurableObjectAlarm) passes`, () => {
      expect(suiteCounts("team-board", runner)).toEqual({ passed: 18, failed: 0, suites: 0 });
    }, TIMEOUT);
  }

  it("Vitest: a shop's Hono app with its own package.json (hono, zod and @hono/zod-validator installed beside it; wrangler.toml with a deleted class, a renamed SQLite class, number and object vars, KV, R2 and an unused D1 binding; zod's 400 through SELF, HTTPException's 404, an OutOfStock error read by name after crossing RPC; app.request(), app.fetch() with createExecutionContext and waitOnExecutionContext, hono/testing's testClient; env and exports.default of cloudflare:workers in a test file, typed as wrangler types declares them; a webhook stubbed with vi.spyOn(globalThis, \"fetch\"); holds lapsing by alarm under fake timers (runOnlyPendingTimersAsync, runAllTimersAsync, and advanceTimersToNextTimerAsync stopping at the idle eviction first), runDurableObjectAlarm, listDurableObjectIds' unnamed ids; using on an RPC result and none on a namespace's stub; a transactionSync that throws leaving nothing) passes and type-checks", () => {
    installOwnDependencies("hono-inventory");
    expect(suiteCounts("hono-inventory", "Vitest")).toEqual({ passed: 24, failed: 0, suites: 0 });
    expect(typeErrors("hono-inventory")).toBe("");
  }, TIMEOUT + INSTALL_TIMEOUT);

  for (const runner of ["Jest (CommonJS)", "Jest (ESM)"] as const) {
    it(`${runner}: a support desk with its own package.json (itty-router's AutoRouter, Babel's explicit resource management plugin; wrangler.toml read through testEnvironmentOptions; a route passing AutoRouter's Proxy of the request to stub.fetch() answered with production's 500 "Invalid URL: [object Request]", the refusal being the test file's realm's TypeError for itty-router's catch; hibernatable WebSockets with tags, attachments, the ping auto-response and close codes; an RpcTarget held with using, its disposer run in the object; a typing indicator's setTimeout in the object and the idle alarm driven by Jest's fake timers; runDurableObjectAlarm) passes and type-checks`, () => {
      installOwnDependencies("support-desk");
      expect(suiteCounts("support-desk", runner)).toEqual({ passed: 12, failed: 0, suites: 0 });
      expect(typeErrors("support-desk")).toBe("");
    }, TIMEOUT + INSTALL_TIMEOUT);
  }

  for (const [runner, passed] of [["Vitest", 12], ["Jest (ESM)", 11]] as const) {
    it(`${runner}: an auth service with its own package.json (jose and nanoid; wrangler.toml with a number var, a secret from .dev.vars, a KV namespace and a key-value-backed object): HS256 session tokens signed and verified through SELF, jose's error classes and codes, ES256, EdDSA and PEM-imported RS256 keys checked against a JWKS in KV, CryptoKeys of the runtime's class; a token's expiry by jose's clock and the session's by the object's alarm under fake timers, runDurableObjectAlarm re-arming it; the same test files under Jest through a vitest-to-Jest shim; under Vitest, nanoid mocked with vi.mock for the Worker) passes and type-checks`, () => {
      installOwnDependencies("auth-sessions");
      expect(suiteCounts("auth-sessions", runner, "jest.config.cjs")).toEqual({ passed, failed: 0, suites: 0 });
      expect(typeErrors("auth-sessions")).toBe("");
    }, TIMEOUT + INSTALL_TIMEOUT);
  }

  it("node:test: the live-poll app's suite with an emulator from the wrangler file's \"test\" environment, reset() after each test, node:test's mocked timers closing a poll and ending a rate limit window, its mock.method as the webhook", () => {
    const output = run(["--import", "tsx", "--import", "durasim/register", "--test", "--test-reporter=tap", "spec/testing/fixtures/live-poll/node-test/polls.node-test.ts"]);
    expect(output).toMatch(/^# fail 0$/m);
    expect(output).toMatch(/^# pass 4$/m);
  }, TIMEOUT);

  it("node:test: the link shortener's suite with an emulator built from the project's directory (wrangler.jsonc and .dev.vars found there), snapshot() and restore() around each test, node:test's mocked timers driving an alarm", () => {
    const output = run(["--import", "tsx", "--import", "durasim/register", "--test", "--test-reporter=tap", "spec/testing/fixtures/link-shortener/node-test/shortener.node-test.ts"]);
    expect(output).toMatch(/^# fail 0$/m);
    expect(output).toMatch(/^# pass 4$/m);
  }, TIMEOUT);

  it("Vitest projects: a repository of two Workers, each a project with its own cloudflareTest() and wrangler file (one binding and class name, a KV-backed class in one and a SQLite-backed one in the other): each project's tests see their own Worker", () => {
    const report = join(scratch, "monorepo.json");
    run(["node_modules/vitest/vitest.mjs", "run", "--root", "spec/testing/fixtures/monorepo", "--maxWorkers=1", "--reporter=json", `--outputFile=${report}`]);
    const result = JSON.parse(readFileSync(report, "utf8"));
    expect({ passed: result.numPassedTests, failed: result.numFailedTests, suites: result.numFailedTestSuites }).toEqual({ passed: 4, failed: 0, suites: 0 });
  }, TIMEOUT);

  it("Jest projects (ESM mode, in band): the same two Workers, a project each with the preset and its own wrangler file, run one after the other in one process: each project's tests see their own Worker", () => {
    const report = join(scratch, "monorepo-jest.json");
    run(["node_modules/jest/bin/jest.js", "-c", "spec/testing/fixtures/monorepo/jest.config.cjs", "--runInBand", "--json", `--outputFile=${report}`], JEST_ESM_ENV);
    const result = JSON.parse(readFileSync(report, "utf8"));
    expect({ passed: result.numPassedTests, failed: result.numFailedTests, suites: result.numFailedTestSuites }).toEqual({ passed: 4, failed: 0, suites: 0 });
  }, TIMEOUT);

  it("node:test: an emulator built by the test, helpers bound with useEmulator", () => {
    const output = run(["--import", "tsx", "--import", "durasim/register", "--test", "--test-reporter=tap", "examples/node-test/test/counter.test.ts"]);
    expect(output).toMatch(/^# fail 0$/m);
    expect(output).toMatch(/^# pass [1-9]/m);
  }, TIMEOUT);

  it("Jest: the preset's transform loads a Worker's text and data imports by the wrangler file's rules and wrangler's defaults, and durasim's cursors have the iterator helpers in the Jest worker's own realm", () => {
    const report = join(scratch, "jest-module-rules.json");
    run(["node_modules/jest/bin/jest.js", "-c", "spec/testing/fixtures/jest-module-rules/jest.config.cjs", "--json", `--outputFile=${report}`], {
      NODE_OPTIONS: "--experimental-vm-modules --no-warnings",
    });
    const jest = JSON.parse(readFileSync(report, "utf8"));
    expect({ passed: jest.numPassedTests, failed: jest.numFailedTests, suites: jest.numFailedTestSuites }).toEqual({ passed: 2, failed: 0, suites: 0 });
  }, TIMEOUT);

  it("a Workers library in node_modules (built-in cloudflare: modules, WebSocketPair, a 101 Response, WebSocket's statics) works under Vitest, Jest and node:test; under Vitest, packages resolve as for workerd (export conditions, module before main)", () => {
    // As installed: the library and durasim both under the project's node_modules.
    const fixture = resolve(repo, "spec/testing/fixtures/worker-package");
    const modules = join(fixture, "node_modules");
    rmSync(modules, { recursive: true, force: true });
    mkdirSync(modules);
    cpSync(join(fixture, "package"), join(modules, "worker-package"), { recursive: true });
    for (const name of ["dual-package", "conditions-package"]) cpSync(join(fixture, name), join(modules, name), { recursive: true });
    symlinkSync(repo, join(modules, "durasim"), "dir");
    try {
      const report = join(scratch, "worker-package.json");
      run(["node_modules/vitest/vitest.mjs", "run", "--root", fixture, "--reporter=json", `--outputFile=${report}`]);
      const vitest = JSON.parse(readFileSync(report, "utf8"));
      expect({ passed: vitest.numPassedTests, failed: vitest.numFailedTests, suites: vitest.numFailedTestSuites }).toEqual({ passed: 8, failed: 0, suites: 0 });
      const jestReport = join(scratch, "worker-package-jest.json");
      run(["node_modules/jest/bin/jest.js", "-c", join(fixture, "jest.config.cjs"), "--json", `--outputFile=${jestReport}`], {
        NODE_OPTIONS: "--experimental-vm-modules --no-warnings",
      });
      const jest = JSON.parse(readFileSync(jestReport, "utf8"));
      expect({ passed: jest.numPassedTests, failed: jest.numFailedTests }).toEqual({ passed: 4, failed: 0 });
      const output = run(["--import", "durasim/register", "--test", "--test-reporter=tap", join(fixture, "node-test/package.node-test.js")]);
      expect(output).toMatch(/^# fail 0$/m);
      expect(output).toMatch(/^# pass 3$/m);
    } finally {
      rmSync(modules, { recursive: true, force: true });
    }
  }, TIMEOUT);
});

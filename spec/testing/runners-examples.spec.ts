/**
 * The repository's example projects and the runners' own mechanics (module mocks, a failing
 * file, pools, projects, a Workers library in node_modules, the Jest preset's transform), each
 * runner run as a user runs it: a child process on the built package (see nested-runs.ts).
 */
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { itBeyondSmoke } from "../smoke.js";
import { JEST_ESM_ENV, SuiteBatches, TIMEOUT, repo, run, runLogged, scratch } from "./nested-runs.js";

/** The suites that can be projects of one run per runner and mode (see SuiteBatches). */
const suites = new SuiteBatches();

/**
 * The Vitest example's suite under V8 coverage, run once for the two tests that read it: the
 * suite's counts and the coverage summary. V8 coverage is the engine's counters, read by the
 * runner once the files end (the v8 provider transforms nothing), so the suite runs the code it
 * runs without: a second run of it without coverage checked nothing more, for a runner's start
 * and the suite on each Node.
 */
let coveredRun: { report: { numPassedTests: number; numFailedTests: number; numFailedTestSuites: number; numTotalTests: number }; coverage: Record<string, { lines: { pct: number } }> } | undefined;
function vitestExampleCovered(): NonNullable<typeof coveredRun> {
  if (coveredRun) return coveredRun;
  const report = join(scratch, "vitest.json");
  const summary = join(scratch, "coverage");
  run([
    "node_modules/vitest/vitest.mjs", "run", "--root", "examples/vitest", "--reporter=json", `--outputFile=${report}`, "--coverage.enabled", "--coverage.provider=v8",
    "--coverage.include=src/**", "--coverage.reporter=json-summary", `--coverage.reportsDirectory=${summary}`,
  ]);
  coveredRun = { report: JSON.parse(readFileSync(report, "utf8")), coverage: JSON.parse(readFileSync(join(summary, "coverage-summary.json"), "utf8")) };
  return coveredRun;
}

/**
 * What a Jest run in band wrote to stderr itself while `file` ran (durasim's warnings go to the
 * process's console): the lines after the previous file's PASS or FAIL line, up to its own.
 */
function printedFor(stderr: string, file: string): string {
  const lines = stderr.split("\n");
  const end = lines.findIndex((line) => /^(PASS|FAIL) /.test(line) && line.endsWith(` ${file}`));
  const start = lines.findLastIndex((line, i) => i < end && /^(PASS|FAIL) /.test(line));
  return end === -1 ? "" : lines.slice(start + 1, end).join("\n");
}

describe("example suites", () => {
  it("Vitest: the Cloudflare-style suite passes with only the plugin import changed", () => {
    const result = vitestExampleCovered().report;
    expect({ passed: result.numPassedTests, failed: result.numFailedTests, suites: result.numFailedTestSuites }).toEqual({
      passed: result.numTotalTests,
      failed: 0,
      suites: 0,
    });
    expect(result.numTotalTests).toBeGreaterThanOrEqual(4);
  }, TIMEOUT);

  itBeyondSmoke("Vitest: the chat-room example (hibernatable WebSockets through SELF, evictDurableObject's webSockets option) passes", () => {
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
    const worker = Object.entries(vitestExampleCovered().coverage).find(([file]) => file.endsWith("src/index.ts"))?.[1];
    expect(worker?.lines.pct).toBeGreaterThan(80);
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

  // Its config defines projects, which a project of a batch (SuiteBatches) cannot: it runs alone.
  itBeyondSmoke("Vitest: Miniflare options written as functions (service bindings: functions, { node } services, WebSocket answers) run in Vitest's main process, from static and function-form options; miniflare.modulesRules, and define, alias and rules from function-form options, apply; fetch() goes to the top-level outboundService, and an auxiliary Worker's (its objects' too) to its own", () => {
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

  itBeyondSmoke("Vitest: wrangler's warning about a binding the selected environment leaves out is printed once per run, as wrangler prints it, not again by each test worker", () => {
    const report = join(scratch, "env-warnings.json");
    const { stdout, stderr } = runLogged(["node_modules/vitest/vitest.mjs", "run", "--root", "spec/testing/fixtures/env-warnings", "--maxWorkers=2", "--reporter=default", "--reporter=json", `--outputFile=${report}`]);
    const result = JSON.parse(readFileSync(report, "utf8"));
    expect({ passed: result.numPassedTests, failed: result.numFailedTests }).toEqual({ passed: 2, failed: 0 });
    // The default reporter shows what the test workers print; the JSON one alone would hide a repeat.
    const printed = `${stdout}\n${stderr}`.split('"kv_namespaces" exists at the top level, but not on "env.staging".').length - 1;
    expect(printed).toBe(1);
  }, TIMEOUT);

  itBeyondSmoke("Vitest: a Worker that does not export a class its wrangler file binds fails the file with durasim's ConfigError, once the held-back modules load; a file that throws reports its own error, and its Worker never loads", () => {
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

  itBeyondSmoke("Vitest: a vm pool (--pool=vmThreads), whose contexts cannot register durasim's module hooks, is refused by name, not with Vitest's own error about register()", () => {
    expect(() => run(["node_modules/vitest/vitest.mjs", "run", "--root", "examples/vitest-isolation", "--pool=vmThreads"])).toThrow(
      'durasim: cloudflareTest() runs test files in Vitest\'s "forks" pool (the default) or "threads", not "vmThreads"',
    );
  }, TIMEOUT);

  itBeyondSmoke("Vitest: a file whose test fails half-way (a call hanging, a socket open, an alarm armed, an interval ticking, fake timers, spies, stubbed globals and env left behind) leaves nothing to the next files in the same process: none of its timers fires, and its socket, instance and emulator are garbage", () => {
    const report = join(scratch, "failing-file.json");
    expect(() => run(["node_modules/vitest/vitest.mjs", "run", "--root", "spec/testing/fixtures/failing-file", "--reporter=json", `--outputFile=${report}`])).toThrow();
    const result = JSON.parse(readFileSync(report, "utf8"));
    const files = [...result.testResults].sort((a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name));
    const outcomes = files.flatMap((file: { assertionResults: { title: string; status: string }[] }) => file.assertionResults.map((test) => test.status));
    expect(outcomes).toEqual(["failed", "passed", "passed", "passed", "passed"]);
    const failed = files[0].assertionResults[0];
    expect(failed.failureMessages[0]).toContain("expected [ 'ada', 'grace' ] to deeply equal [ 'ada' ]");
  }, TIMEOUT);

  for (const runner of ["Jest (CommonJS)", "Jest (ESM)"] as const) {
    // The config's rootDir is the Vitest example's: its tests and the Jest-only ones of examples/jest.
    suites.it(`${runner}: the same suite passes under the preset`, "examples/jest", runner, 28, { dirs: ["examples/vitest", "examples/jest"] });
  }

  for (const [mode, config, mock, env] of [
    ["CommonJS", "jest.config.cjs", "jest.mock", {}],
    ["ESM", "jest.esm.config.cjs", "jest.unstable_mockModule", { NODE_OPTIONS: "--experimental-vm-modules --no-warnings" }],
  ] as const) {
    // The smoke (see nested-runs.ts) runs it in ESM mode, on Node's VM modules.
    (mode === "ESM" ? it : itBeyondSmoke)(`Jest (${mode}): a test file's ${mock} reaches the modules the Worker imports (through SELF, objects and the imported handler); the next file in the same worker gets the real module`, () => {
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

  for (const runner of ["Jest (CommonJS)", "Jest (ESM)"] as const) {
    // The smoke (see nested-runs.ts) runs it in ESM mode, on Node's VM modules.
    suites.it(`${runner}: Worker code and tests see the runtime's navigator, self, URL and atob, and URLPattern results that are the file's realm's plain objects; calls a test leaves in flight when the file ends are logged, not the end of the run; the test file's own buffers and SharedArrayBuffers are bytes to KV, R2 and SQL, and SQL hands back its realm's arrays (raw().toArray() too); a data blob is its realm's ArrayBuffer; env, a JSON var, a handler's and a Durable Object's ctx.props and ctx.exports and a queue message's timestamp are its realm's; what the runtime's globals and Node's built-ins throw or reject with is instanceof the file's error classes, in Worker code and in tests, fetch() refusals (a stub's, SELF's, Worker code's) its realm's TypeErrors; an error an object's method throws keeps its frames and the test's, and one its getter throws has no object id, as outside Jest`, "jest-worker-scope", runner, 15, {
      smoke: runner === "Jest (ESM)",
      check: ({ stderr }) => {
        // Printed as the file's emulator was disposed, so before the line that names the file.
        expect(printedFor(stderr, "spec/testing/fixtures/jest-worker-scope/test/dangling.test.ts")).toContain(
          "durasim: a call nothing awaited failed as its emulator ended it: Error: durasim: this Emulator has been disposed",
        );
      },
    });
  }

  itBeyondSmoke("Vitest projects: a repository of two Workers, each a project with its own cloudflareTest() and wrangler file (one binding and class name, a KV-backed class in one and a SQLite-backed one in the other): each project's tests see their own Worker", () => {
    const report = join(scratch, "monorepo.json");
    run(["node_modules/vitest/vitest.mjs", "run", "--root", "spec/testing/fixtures/monorepo", "--maxWorkers=1", "--reporter=json", `--outputFile=${report}`]);
    const result = JSON.parse(readFileSync(report, "utf8"));
    expect({ passed: result.numPassedTests, failed: result.numFailedTests, suites: result.numFailedTestSuites }).toEqual({ passed: 4, failed: 0, suites: 0 });
  }, TIMEOUT);

  itBeyondSmoke("Jest projects (ESM mode, in band): the same two Workers, a project each with the preset and its own wrangler file, run one after the other in one process: each project's tests see their own Worker; one config is CommonJS naming the preset by path, the other an ES module importing durasim/jest, which Jest reads at once (on Node 24 its require() of the preset met that import midway)", () => {
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

  suites.it("Jest: the preset's transform loads a Worker's text and data imports by the wrangler file's rules and wrangler's defaults, and durasim's cursors have the iterator helpers in the Jest worker's own realm", "jest-module-rules", "Jest (ESM)", 2, { smoke: true, jestConfig: "jest.config.cjs" });

  it("a Workers library in node_modules (built-in cloudflare: modules, WebSocketPair, a 101 Response, WebSocket's statics, the runtime's navigator) works under Vitest, Jest and node:test; under Vitest, packages resolve as for workerd (export conditions, module before main)", () => {
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
      expect({ passed: vitest.numPassedTests, failed: vitest.numFailedTests, suites: vitest.numFailedTestSuites }).toEqual({ passed: 9, failed: 0, suites: 0 });
      const jestReport = join(scratch, "worker-package-jest.json");
      run(["node_modules/jest/bin/jest.js", "-c", join(fixture, "jest.config.cjs"), "--json", `--outputFile=${jestReport}`], {
        NODE_OPTIONS: "--experimental-vm-modules --no-warnings",
      });
      const jest = JSON.parse(readFileSync(jestReport, "utf8"));
      expect({ passed: jest.numPassedTests, failed: jest.numFailedTests }).toEqual({ passed: 5, failed: 0 });
      const output = run(["--import", "durasim/register", "--test", "--test-reporter=tap", join(fixture, "node-test/package.node-test.js")]);
      expect(output).toMatch(/^# fail 0$/m);
      expect(output).toMatch(/^# pass 4$/m);
    } finally {
      rmSync(modules, { recursive: true, force: true });
    }
  }, TIMEOUT);
});

/**
 * Running a test runner (Vitest, Jest, node:test) as a user runs it, in a child process on the
 * built package, for the runners-*.spec.ts files. Those are split by the projects they run, so
 * that a Vitest run on two workers shares them out instead of running them all in one file.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { smokeOnly } from "../smoke.js";

/**
 * CI runs every spec on Node 20 and then on Node 24, and the nested runs were most of its time.
 * On Node 20 it sets DURASIM_NESTED_RUNS=smoke: the nested runs then repeat only a smoke set
 * that still reaches every runner (Vitest, Jest in CommonJS, ESM and "VM modules on" modes,
 * node:test) and every entry point a runner loads (the Vitest plugin, the Jest preset, its
 * module rules and usage reporter, durasim/register, durasim/test and durasim/workers without a
 * plugin or preset, durasim installed in a project's node_modules), and what leans on Node
 * itself (module hooks and vi.mock, Jest's VM modules and realms, V8 coverage). `itBeyondSmoke`
 * (spec/smoke.ts) marks the others: app suites and runner mechanics that drive those same entry
 * points, which run on Node 24 (and wherever the variable is unset, as in `npm test`).
 */

export const repo = resolve(import.meta.dirname, "../..");
/** Where the nested runs' reports go: one directory per test file (each imports this module afresh). */
export const scratch = mkdtempSync(join(tmpdir(), "durasim-runners-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The environment without this Vitest run's own variables, which would confuse a nested runner. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("VITEST") && key !== "NODE_OPTIONS"));
  return { ...env, ...extra };
}

export function run(args: string[], extraEnv?: Record<string, string>): string {
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
export function runLogged(args: string[], extraEnv?: Record<string, string>): { stdout: string; stderr: string } {
  const { argv, status, stdout, stderr } = spawnRunner(args, extraEnv);
  if (status !== 0) throw new Error(`${argv.join(" ")} failed (${status}):\n${stdout}\n${stderr}${reportedFailures(argv)}`);
  return { stdout, stderr };
}

/** Runs `args` on this Node as run() does, whatever its exit status. */
function spawnRunner(args: string[], extraEnv?: Record<string, string>, testTimeout = TIMEOUT): { argv: string[]; status: number | null; stdout: string; stderr: string } {
  const argv = NESTED_RUNNERS.has(args[0]) ? [...args, NESTED_TEST_TIMEOUT] : args;
  // A runner that hangs fails here, before the test's own timeout (which cannot stop a synchronous call).
  const { status, stdout, stderr } = spawnSync(process.execPath, argv, { cwd: repo, env: cleanEnv(extraEnv), encoding: "utf8", timeout: testTimeout - 30_000 });
  return { argv, status, stdout, stderr };
}

/** A test file's result in a JSON report (its --outputFile), in the shape Vitest's and Jest's share. */
type FileResult = { name: string; status: string; message?: string; assertionResults: { fullName: string; status: string; failureMessages: string[] }[] };

function reportedResults(file: string | undefined): FileResult[] | undefined {
  return file && existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as { testResults: FileResult[] }).testResults : undefined;
}

/**
 * What a failed nested run's JSON report says went wrong: with the report in a file, the
 * runner's own output hardly names the failure.
 */
function reportedFailures(args: string[]): string {
  const testResults = reportedResults(args.find((arg) => arg.startsWith("--outputFile="))?.slice("--outputFile=".length));
  return testResults ? failuresIn(testResults) : "";
}

function failuresIn(testResults: FileResult[]): string {
  const lines = testResults.flatMap((result) => [
    ...(result.message ? [`${result.name}: ${result.message}`] : []),
    ...result.assertionResults.filter((test) => test.status === "failed").map((test) => `${result.name} > ${test.fullName}: ${test.failureMessages.join("\n")}`),
  ]);
  return lines.length ? `\nfailures in the report:\n${lines.join("\n")}` : "";
}

/** "VM modules on": CommonJS test files with NODE_OPTIONS=--experimental-vm-modules, as a project that set it once for ESM. */
type SuiteRunner = "Vitest" | "Jest (CommonJS)" | "Jest (ESM)" | "Jest (CommonJS, VM modules on)";

export const JEST_ESM_ENV = { NODE_OPTIONS: "--experimental-vm-modules --no-warnings" };

/**
 * A fixture's directory: a name under spec/testing/fixtures, or a path in the repository with a
 * "/" in it (examples/jest).
 */
function fixtureRoot(fixture: string): string {
  return fixture.includes("/") ? resolve(repo, fixture) : resolve(repo, "spec/testing/fixtures", fixture);
}

/**
 * Runs a fixture's suite with `runner` (its JSON report written to the scratch directory) and
 * gives its counts (Jest reads `jestConfig` in the fixture): tests passed and failed, suites failed.
 */
export function suiteCounts(fixture: string, runner: SuiteRunner, jestConfig = defaultJestConfig(runner)): SuiteCounts {
  const root = fixtureRoot(fixture);
  const report = join(scratch, `${fixture.replace(/\W/g, "")}-${runner.replace(/\W/g, "")}.json`);
  const args = runner === "Vitest" ? ["node_modules/vitest/vitest.mjs", "run", "--root", root, "--reporter=json"] : ["node_modules/jest/bin/jest.js", "-c", `${root}/${jestConfig}`, "--json"];
  run([...args, `--outputFile=${report}`], runnerEnv(runner));
  const result = JSON.parse(readFileSync(report, "utf8"));
  return { passed: result.numPassedTests, failed: result.numFailedTests, suites: result.numFailedTestSuites };
}

type SuiteCounts = { passed: number; failed: number; suites: number };

function defaultJestConfig(runner: SuiteRunner): string {
  return runner === "Jest (ESM)" ? "jest.esm.config.cjs" : "jest.config.cjs";
}

function runnerEnv(runner: SuiteRunner): Record<string, string> {
  return runner === "Jest (ESM)" || runner === "Jest (CommonJS, VM modules on)" ? JEST_ESM_ENV : {};
}

/**
 * A spec file's fixture suites, run as one nested run per runner (each fixture a project of it:
 * Vitest's `projects`, Jest's --projects) rather than one run per fixture, and still checked
 * fixture by fixture: each fixture's test counts its own test files in the run's report and
 * fails, naming what failed there, if its suite did. A runner's start was much of a small
 * suite's cost: six apps' suites under Jest in CommonJS mode took 16.5 s of CPU as six runs and
 * 6.9 s as one, six under Vitest 18.0 s and 12.2 s (Node 24, 2026-12-05, loaded machine); the
 * examples' three suites in Jest's ESM mode 3.8-3.9 s as three runs and 2.3 s as one, the two apps
 * with packages of their own beside eight others under Vitest 10.9-11.9 s as three runs and
 * 9.9-10.5 s as one (Node 24, 2026-12-05, load average 8-11).
 * Each run has one worker (--maxWorkers=1), what both runners chose on CI's two cores anyway,
 * and what a fixture's own config may ask (checkout's), which a project cannot set for the
 * run; for Jest that is a run in band, one process that prints as it goes. A test may ask for
 * a run of its fixture alone (`alone`), as one whose config cannot be a project of the batch's.
 */
export class SuiteBatches {
  readonly #fixtures = new Map<SuiteRunner, { fixture: string; jestConfig: string }[]>();
  readonly #runs = new Map<SuiteRunner, BatchRun>();
  readonly #installing = new Set<string>();

  /**
   * A test that `fixture`'s suite passes `passed` tests under `runner` with none failing (Jest
   * reads `jestConfig` in the fixture). It runs beyond the smoke (see above) unless `smoke`.
   * The suite's test files are those under the fixture's directory, or under `dirs` (repository
   * paths) where its config reaches beyond it. A fixture with `ownDependencies` has them
   * installed (installOwnDependencies) before the file's tests, whichever of them runs the batch.
   * `check` asserts more of the fixture's part of the run: its files' results and what the
   * run printed to stderr (for Jest, in band, each file's part ends with the line naming it).
   */
  it(
    name: string,
    fixture: string,
    runner: SuiteRunner,
    passed: number,
    { smoke = false, alone = false, jestConfig = defaultJestConfig(runner), dirs = [fixture], ownDependencies = false, check }: SuiteOptions = {},
  ): void {
    const runs = smoke || !smokeOnly;
    if (runs && ownDependencies && !this.#installing.has(fixture)) {
      this.#installing.add(fixture);
      beforeAll(() => installOwnDependencies(fixture), INSTALL_TIMEOUT);
    }
    if (alone) {
      (runs ? it : it.skip)(name, () => {
        expect(suiteCounts(fixture, runner, jestConfig)).toEqual({ passed, failed: 0, suites: 0 });
      }, TIMEOUT);
      return;
    }
    // Only a suite whose test runs joins its runner's run.
    if (runs) this.#fixtures.set(runner, [...(this.#fixtures.get(runner) ?? []), { fixture, jestConfig }]);
    (runs ? it : it.skip)(name, () => {
      const { counts, failures, run } = this.#resultOf(dirs, runner);
      expect(counts, `${fixture}'s suite under ${runner}:${failures}`).toEqual({ passed, failed: 0, suites: 0 });
      check?.(run);
    }, BATCH_TIMEOUT);
  }

  #resultOf(dirs: string[], runner: SuiteRunner): { counts: SuiteCounts; failures: string; run: FixtureRun } {
    let batch = this.#runs.get(runner);
    if (!batch) this.#runs.set(runner, (batch = runBatch(runner, this.#fixtures.get(runner)!)));
    // The runners report real paths (a checkout reached through a symbolic link included).
    const inFixture = dirs.map((dir) => `${realpathSync(fixtureRoot(dir))}/`);
    const files = batch.testResults?.filter((result) => inFixture.some((prefix) => result.name.startsWith(prefix))) ?? [];
    const tests = files.flatMap((file) => file.assertionResults);
    const counts = {
      passed: tests.filter((test) => test.status === "passed").length,
      failed: tests.filter((test) => test.status === "failed").length,
      suites: files.filter((file) => file.status === "failed").length,
    };
    // When the report names nothing of this fixture's and the run failed (no report, or its files never ran), the run's own output.
    const failures = failuresIn(files) || (batch.status === 0 ? "" : `\n${batch.output}`);
    return { counts, failures, run: { files, stderr: batch.stderr } };
  }
}

type SuiteOptions = { smoke?: boolean; alone?: boolean; jestConfig?: string; dirs?: string[]; ownDependencies?: boolean; check?: (run: FixtureRun) => void };

/** A fixture's part of a batch's run (see SuiteBatches.it's `check`). */
type FixtureRun = { files: FileResult[]; stderr: string };

type BatchRun = { status: number | null; output: string; stderr: string; testResults: FileResult[] | undefined };

/** One run of `runner` over the fixtures' suites, each a project; a failing suite fails the run, not this call. */
function runBatch(runner: SuiteRunner, fixtures: { fixture: string; jestConfig: string }[]): BatchRun {
  const roots = fixtures.map(({ fixture }) => fixtureRoot(fixture));
  const report = join(scratch, `batch-${runner.replace(/\W/g, "")}.json`);
  let args: string[];
  if (runner === "Vitest") {
    const root = mkdtempSync(join(scratch, "vitest-batch-"));
    writeFileSync(join(root, "vitest.config.mjs"), `export default { test: { projects: ${JSON.stringify(roots)} } };\n`);
    args = ["node_modules/vitest/vitest.mjs", "run", "--root", root, "--reporter=json"];
  } else {
    args = ["node_modules/jest/bin/jest.js", "--projects", ...fixtures.map(({ jestConfig }, i) => join(roots[i], jestConfig)), "--json"];
  }
  const { argv, status, stdout, stderr } = spawnRunner([...args, "--maxWorkers=1", `--outputFile=${report}`], runnerEnv(runner), BATCH_TIMEOUT);
  return { status, output: `${argv.join(" ")} exited ${status}:\n${stdout}\n${stderr}`, stderr, testResults: reportedResults(report) };
}

export const TIMEOUT = 180_000;

/** A test that may run its runner's batch (see SuiteBatches): several suites in one run. */
const BATCH_TIMEOUT = 2 * TIMEOUT;

/**
 * Installs what a fixture that is a package of its own lists in its package-lock.json (npm
 * packages Workers use, such as hono or itty-router, and durasim as `file:../../../..`), once,
 * as a user's `npm ci` would: the fixture then resolves them, durasim included, from its own
 * node_modules. Scripts are skipped (durasim's `prepare` would rebuild the dist/ the other
 * tests load while they run).
 */
export function installOwnDependencies(fixture: string): void {
  const root = fixtureRoot(fixture);
  if (existsSync(join(root, "node_modules/.package-lock.json"))) return;
  const { status, stdout, stderr } = spawnSync("npm", ["ci", "--no-audit", "--no-fund", "--ignore-scripts"], { cwd: root, env: cleanEnv(), encoding: "utf8", timeout: INSTALL_TIMEOUT });
  if (status !== 0) throw new Error(`npm ci in ${root} failed (${status}):\n${stdout}\n${stderr}`);
}

/** npm ci of a fixture's few packages (their download included). */
export const INSTALL_TIMEOUT = 120_000;

/** The TypeScript compiler's complaints about a fixture's tsconfig.json (empty when it compiles). */
export function typeErrors(fixture: string): string {
  const { stdout } = spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", `spec/testing/fixtures/${fixture}`], { cwd: repo, encoding: "utf8" });
  return stdout;
}

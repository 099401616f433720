/**
 * Running a test runner (Vitest, Jest, node:test) as a user runs it, in a child process on the
 * built package, for the runners-*.spec.ts files. Those are split by the projects they run, so
 * that a Vitest run on two workers shares them out instead of running them all in one file.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, it } from "vitest";

/**
 * CI runs every spec on Node 20 and then on Node 24, and the nested runs were most of its time.
 * On Node 20 it sets DURASIM_NESTED_RUNS=smoke: the nested runs then repeat only a smoke set
 * that still reaches every runner (Vitest, Jest in CommonJS, ESM and "VM modules on" modes,
 * node:test) and every entry point a runner loads (the Vitest plugin, the Jest preset, its
 * module rules and usage reporter, durasim/register, durasim/test and durasim/workers without a
 * plugin or preset, durasim installed in a project's node_modules), and what leans on Node
 * itself (module hooks and vi.mock, Jest's VM modules and realms, V8 coverage). `itBeyondSmoke`
 * marks the others: app suites and runner mechanics that drive those same entry points, which
 * run on Node 24 (and wherever the variable is unset, as in `npm test`).
 */
export const itBeyondSmoke = process.env.DURASIM_NESTED_RUNS === "smoke" ? it.skip : it;

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

export const JEST_ESM_ENV = { NODE_OPTIONS: "--experimental-vm-modules --no-warnings" };

/**
 * Runs a fixture's suite with `runner` (its JSON report written to the scratch directory) and
 * gives its counts (Jest reads `jestConfig` in the fixture): tests passed and failed, suites failed.
 */
export function suiteCounts(fixture: string, runner: SuiteRunner, jestConfig = runner === "Jest (ESM)" ? "jest.esm.config.cjs" : "jest.config.cjs"): { passed: number; failed: number; suites: number } {
  const root = `spec/testing/fixtures/${fixture}`;
  const report = join(scratch, `${fixture}-${runner.replace(/\W/g, "")}.json`);
  const args = runner === "Vitest" ? ["node_modules/vitest/vitest.mjs", "run", "--root", root, "--reporter=json"] : ["node_modules/jest/bin/jest.js", "-c", `${root}/${jestConfig}`, "--json"];
  run([...args, `--outputFile=${report}`], runner === "Jest (ESM)" || runner === "Jest (CommonJS, VM modules on)" ? JEST_ESM_ENV : {});
  const result = JSON.parse(readFileSync(report, "utf8"));
  return { passed: result.numPassedTests, failed: result.numFailedTests, suites: result.numFailedTestSuites };
}

export const TIMEOUT = 180_000;

/**
 * Installs what a fixture that is a package of its own lists in its package-lock.json (npm
 * packages Workers use, such as hono or itty-router, and durasim as `file:../../../..`), once,
 * as a user's `npm ci` would: the fixture then resolves them, durasim included, from its own
 * node_modules. Scripts are skipped (durasim's `prepare` would rebuild the dist/ the other
 * tests load while they run).
 */
export function installOwnDependencies(fixture: string): void {
  const root = resolve(repo, "spec/testing/fixtures", fixture);
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

/**
 * durasim's Vitest runner (the plugin sets `test.runner` to this module). One process serves
 * many test files: durasim is loaded once, natively, and shared by the runtime and the Worker
 * code (`cloudflare:workers` resolves to that same module), while each file gets what process
 * isolation would give it: a fresh module graph (the Worker's module evaluated anew, through
 * Vite, so TypeScript works and a test's `import` is the emulator's class) and a fresh emulator.
 * Per-test isolation rides on the runner's suite and attempt hooks (isolation.ts); so does each
 * test's usage, handed to the usage reporter as task meta when `reportUsage` is on.
 */
import { appendFileSync } from "node:fs";
import { expect, inject, vi } from "vitest";
import type { Suite, Task, Test } from "@vitest/runner";
import type { VitestTestRunner } from "vitest/runners";
import { Emulator } from "../../emulator.js";
import { ConfigError } from "../../util/config-error.js";
import { installLanguageBuiltins } from "../../modules/builtins/index.js";
import { installCacheStorage } from "../../modules/cache-storage.js";
import { setHostModuleLoader } from "../../modules/loader.js";
import * as workerGlobals from "../../modules/worker-globals.js";
import { installRuntimeNavigator } from "../../modules/process-navigator.js";
import { projectModulesSeeRuntimeClasses } from "../../runtime/project-scope.js";
import { registerWorkersSpecifier } from "../../modules/workers-specifier.js";
import { useEmulator } from "../../modules/test/target.js";
import { usageMatchers } from "../../modules/test/usage.js";
import { emulatorOptions } from "../emulator-options.js";
import { FileIsolation } from "../isolation.js";
import { layProcessEnv, workerProcessEnv } from "../process-env.js";
import type { ResolvedTestOptions } from "../options.js";
import { type HostAddress, remoteFunction } from "./host-call.js";
import { installOutboundServices } from "./outbound.js";
import { HOST_KEY, OPTIONS_KEY } from "./keys.js";
import { usageRow } from "../usage-table.js";
import { USAGE_META } from "./usage-reporter.js";

type RunnerClass = typeof VitestTestRunner;

expect.extend(usageMatchers);

// Vitest 4.1 exports its runner from "vitest"; 4.0 only from "vitest/runners".
const Base: RunnerClass = ((await import("vitest")) as { TestRunner?: RunnerClass }).TestRunner ?? (await import("vitest/runners")).VitestTestRunner;

/** The parts of Vitest's runner this one drives that Vitest does not type as public. */
interface RunnerInternals {
  moduleRunner: {
    import(path: string): Promise<Record<string, unknown>>;
    mocker?: { reset(): void };
    evaluatedModules: { getModulesByFile(file: string): Set<object> | undefined; invalidateModule(node: object): void };
  };
}

/** A file that receives, per test file, the milliseconds this runner spent on it (bench/testing.js). */
const TIMINGS = process.env.DURASIM_VITEST_TIMINGS;

/**
 * The wrangler file's `define` as globals, as Cloudflare's plugin applies it. Each value is the
 * code of an expression, evaluated once per test file, so the Worker's modules and the tests see
 * one value, as the modules of one bundle share an object or array define in production; a
 * dotted name (`A.B`) sets a property, creating the objects on the way.
 */
function defineGlobals(defines: Record<string, string>): void {
  for (const [name, code] of Object.entries(defines)) {
    const segments = name.split(".");
    const last = segments.pop()!;
    let target = globalThis as Record<string, unknown>;
    for (const segment of segments) target = (target[segment] ??= {}) as Record<string, unknown>;
    target[last] = new Function(`return (${code});`)();
  }
}

/**
 * Vitest's vm pools run each file in a vm context of their own, where node:module's register()
 * (which lets packages Node loads import cloudflare:workers) throws: a clear refusal, naming the
 * option, instead of Vitest's '"register" is not available when running in Vitest.'.
 */
function refuseVmPool(pool: string | undefined): void {
  if (pool !== "vmThreads" && pool !== "vmForks") return;
  throw new ConfigError(
    `durasim: cloudflareTest() runs test files in Vitest's "forks" pool (the default) or "threads", not "${pool}", whose vm contexts cannot register the module hooks durasim needs. Remove test.pool (or --pool=${pool}), or set it to "forks".`,
  );
}

export default class DurasimRunner extends Base {
  /** The current file's emulator; created by the file's first import (setup file or test file). */
  #file: FileIsolation | undefined;
  /** Milliseconds spent on the current file's emulator and isolation (reported with TIMINGS). */
  #spent = 0;
  /** Puts back the fetch the main Worker's outbound service replaced for the current file. */
  #restoreFetch: (() => void) | undefined;
  /** Puts back the process.env entries the main Worker's vars replaced for the current file. */
  #restoreProcessEnv: (() => void) | undefined;
  /** The current test file's path (its "collect" import). */
  #testFile: string | undefined;
  /** Lets the current file's Worker modules load (see #startFile). */
  /** Opens the gate of the file's Worker modules: true lets them load, false cancels their load. */
  #letModulesLoad: ((go: boolean) => void) | undefined;

  constructor(...args: ConstructorParameters<RunnerClass>) {
    refuseVmPool(args[0].pool);
    super(...args);
    // Packages the Worker imports natively (not through Vite) may import "cloudflare:workers" too,
    // and use the Workers globals (the agents SDK and partyserver make WebSocketPairs and answer
    // upgrades with a Response of status 101): they are globals here, as in the runtime where
    // Cloudflare's integration runs tests (the Jest environment does the same).
    registerWorkersSpecifier();
    Object.assign(globalThis, workerGlobals);
    installRuntimeNavigator(globalThis);
    // The project's modules get the rest as bindings of their own (the plugin's transform).
    projectModulesSeeRuntimeClasses();
    installLanguageBuiltins(globalThis);
    installCacheStorage(globalThis);
  }

  // (Not onCollectStart: Vitest calls it without waiting, after an RPC round trip.)
  override async importFile(filepath: string, source: "collect" | "setup"): Promise<unknown> {
    if (this.#file === undefined) await this.#timed(() => this.#startFile());
    if (source !== "collect") return super.importFile(filepath, source);
    this.#testFile = filepath;
    let imported: unknown;
    try {
      imported = await super.importFile(filepath, source);
    } catch (error) {
      // The file's own error is the one to report, not a load failure it met on the way out; its
      // Worker's modules, held back for its mocks, never load for a file with no tests to run.
      this.#failed = true;
      this.#letModulesLoad?.(false);
      await this.#file?.emulator.ready.catch(() => {});
      throw error;
    }
    this.#letModulesLoad?.(true);
    // A configuration error (a class not exported, say) fails the file that met it.
    await this.#timed(() => this.#file?.emulator.ready).catch((error: unknown) => {
      this.#failed = true;
      throw error;
    });
    return imported;
  }

  /** The file failed to load (its own error, or its Worker's): its suites have no emulator state to keep. */
  #failed = false;

  override async onBeforeRunSuite(suite: Suite): Promise<void> {
    await super.onBeforeRunSuite(suite);
    if (!this.#failed) await this.#timed(() => this.#file?.enterSuite(suite, suite.concurrent === true));
  }

  override async onAfterRunSuite(suite: Suite): Promise<void> {
    await super.onAfterRunSuite(suite);
    if (!this.#failed) await this.#timed(() => this.#file?.leaveSuite(suite));
    if (suite.file === suite) await this.#finishFile();
  }

  override onBeforeTryTask(test: Task): Promise<void> {
    super.onBeforeTryTask(test);
    return this.#timed(() => this.#file?.enterTest(test, test.concurrent === true));
  }

  async onAfterRetryTask(test: Test): Promise<void> {
    const file = this.#file;
    if (file?.reportUsage) (test.meta as Record<string, unknown>)[USAGE_META] = usageRow(file.emulator.usage());
    await this.#timed(() => this.#file?.leaveTest(test));
  }

  async #timed(step: () => Promise<void> | undefined): Promise<void> {
    const start = performance.now();
    try {
      await step();
    } finally {
      this.#spent += performance.now() - start;
    }
  }

  // Vitest runs one file per call when it reuses a worker: the file is over here at the latest.
  override async onAfterRunFiles(): Promise<void> {
    super.onAfterRunFiles();
    await this.#finishFile();
  }

  async #startFile(): Promise<void> {
    await this.#finishFile();
    const internals = this as unknown as RunnerInternals;
    // What Vitest's `isolate` does between files, without a new process: mocks and evaluated
    // modules are reset (durasim and other native imports stay loaded; Vitest's own are kept).
    internals.moduleRunner.mocker?.reset();
    vi.resetModules();
    // What the previous file left of `vi`'s process-wide state, as a test that failed before its
    // own clean-up does: a new process would start without it (fake timers left installed
    // would hold this file's timers and its objects' alarms).
    vi.useRealTimers();
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
    vi.unstubAllEnvs();
    const options = (inject as (key: string) => unknown)(OPTIONS_KEY) as ResolvedTestOptions;
    if (options.defines !== undefined) defineGlobals(options.defines);
    // Worker modules (and `modulePath` of emulators tests make) load through Vite, like the tests,
    // once the test file's hoisted `vi.mock` calls are in, so that its mocks reach the modules
    // the Worker imports, as under Cloudflare's integration (which imports the Worker when a test
    // first needs it): held back until the file is collected, or until code waits for them
    // sooner (a call at the top level of a setup file).
    let letModulesLoad!: (go: boolean) => void;
    const modulesMayLoad = new Promise<boolean>((resolve) => (letModulesLoad = resolve));
    this.#letModulesLoad = letModulesLoad;
    const cancelled = () => Promise.reject(new Error("durasim: the test file ended before its Worker's modules loaded"));
    setHostModuleLoader((path) => modulesMayLoad.then((go) => (go ? internals.moduleRunner.import(path) : cancelled())), () => letModulesLoad(true));
    // Functions in the options (service bindings) are called in the main process, where they live.
    const hostAddress = () => (inject as (key: string) => unknown)(HOST_KEY) as HostAddress;
    const hostFunction = (id: string) => remoteFunction(id, hostAddress);
    const fileOptions = emulatorOptions(options, hostFunction);
    const emulator = new Emulator(fileOptions);
    // Before the Worker's modules load: code that reads process.env as it loads finds its vars.
    this.#restoreProcessEnv = layProcessEnv(process.env, workerProcessEnv(fileOptions));
    if (options.outboundService !== undefined || options.workerOutboundServices !== undefined) {
      this.#restoreFetch = installOutboundServices(options.outboundService, options.workerOutboundServices ?? {}, hostFunction, emulator);
    }
    this.#file = new FileIsolation(emulator, options.isolation, options.reportUsage);
    useEmulator(emulator);
  }

  async #finishFile(): Promise<void> {
    const file = this.#file;
    if (file === undefined) return;
    this.#file = undefined;
    this.#failed = false;
    // A file that ended before its collection (a setup file failed) never let them load: they
    // never will (an import through Vite now could land in the next file's module graph).
    this.#letModulesLoad?.(false);
    this.#letModulesLoad = undefined;
    this.#restoreFetch?.();
    this.#restoreFetch = undefined;
    // A vi.stubEnv() the file left recorded the Worker's var as the value to put back: undone
    // first, or undoing it as the next file starts would bring that var back after this restore.
    vi.unstubAllEnvs();
    this.#restoreProcessEnv?.();
    this.#restoreProcessEnv = undefined;
    this.#forgetTestFile();
    await this.#timed(() => file.dispose());
    if (TIMINGS !== undefined) appendFileSync(TIMINGS, `${JSON.stringify({ ms: this.#spent })}\n`);
    this.#spent = 0;
  }

  /**
   * Vitest's module runner keeps each module it evaluated, with its code and source map, for the
   * process's life; a process that runs many files would keep every finished test file's (a few
   * kilobytes to hundreds a file). A new process per file keeps none: the finished file's module
   * is dropped (its code is fetched again if the file runs again in this process).
   */
  #forgetTestFile(): void {
    const path = this.#testFile;
    this.#testFile = undefined;
    if (path === undefined) return;
    const { evaluatedModules } = (this as unknown as RunnerInternals).moduleRunner;
    for (const node of evaluatedModules.getModulesByFile(path) ?? []) evaluatedModules.invalidateModule(node);
  }
}

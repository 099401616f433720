/**
 * durasim's Jest test environment (preset "durasim/jest"): Node's environment plus an emulator
 * per test file, built from `testEnvironmentOptions` (the Vitest plugin's options: `wrangler`,
 * `main`, `miniflare`, `isolation`, `clock`; with none, the wrangler file in the project root).
 * durasim is loaded here, natively and once per Jest worker; the shims hand this copy to the
 * code Jest loads, and Worker modules load through Jest (setup.cts / setup-esm.mts), once the
 * test file has run (see #start).
 * A test file's global object (its own, not the process's) has the Workers globals
 * (WebSocketPair and the rest, worker-globals.ts) and the runtime's scope (navigator, self, URL,
 * atob and the rest, worker-scope.ts), as Worker code and the tests in Cloudflare's integration
 * see them inside the runtime. Under Vitest and Node's loader the scope is bound module by module
 * (worker-prelude.ts), since there the global object is the process's; here it is the file's
 * own, seen only by the code Jest loads for it, so the scope goes on it whole and no module
 * declaration can clash with it. Its timers are tracked as the process's are (usage
 * metering sees the timers object code sets there), and emulators' clocks read its `Date` and
 * set their timers there, so `jest.useFakeTimers()` drives alarms and eviction. Isolation
 * follows jest-circus's events: a describe block starts and finishes, a test attempt starts
 * (before beforeEach) and is done (after afterEach). With durasim's usage reporter on, each
 * test's usage (its hooks included) is recorded as the test is done (usage-reporter.ts).
 */
import { relative } from "node:path";
import type { EnvironmentContext, JestEnvironmentConfig } from "@jest/environment";
import type { Circus } from "@jest/types";
import { TestEnvironment } from "jest-environment-node";
import { Emulator } from "../../emulator.js";
import * as durasim from "../../index.js";
import * as miniflare from "../../miniflare.js";
import { installLanguageBuiltins } from "../../modules/builtins/index.js";
import { urlPatternOf } from "../../modules/builtins/url-pattern/url-pattern.js";
import { installCacheStorage } from "../../modules/cache-storage.js";
import { setHostModuleLoader } from "../../modules/loader.js";
import * as test from "../../modules/test/index.js";
import { useEmulator } from "../../modules/test/target.js";
import * as workerGlobals from "../../modules/worker-globals.js";
import * as workerScope from "../../modules/worker-scope.js";
import { jsonOf } from "../../runtime/globals/json.js";
import { webAssemblyOf } from "../../runtime/globals/web-assembly.js";
import { atomicsOf } from "../../runtime/globals/atomics.js";
import * as workers from "../../modules/workers.js";
import { gateFetch, installRuntimeGlobals } from "../../runtime/host-apis.js";
import { setTimeGlobal } from "../../runtime/lifecycle/clock.js";
import { trackTimers } from "../../runtime/lifecycle/timers.js";
import { setCodeRealm } from "../../util/code-realm.js";
import { recognizeProcessErrors } from "../../util/realm-error-classes.js";
import { emulatorOptions } from "../emulator-options.js";
import { layProcessEnv, workerProcessEnv } from "../process-env.js";
import { ConfigError } from "../../util/config-error.js";
import { FileIsolation } from "../isolation.js";
import type { ResolvedTestOptions } from "../options.js";
import { JEST_HOST, type JestHost, type JestModuleLoader } from "./host.js";
import { MODULE_RULES_TRANSFORM } from "./jest-preset.js";
import { jestTestOptions } from "./test-options.js";
import { UsageRecorder } from "./usage-reporter.js";

// durasim's own realm, once per Jest worker: SQL cursors, storage maps and other objects durasim
// makes for Worker code are of its realm (cursor.raw().toArray() is an iterator helper).
installLanguageBuiltins(globalThis);

export default class DurasimEnvironment extends TestEnvironment {
  readonly #options: ResolvedTestOptions | undefined;
  #file: FileIsolation | undefined;
  /** Each test's usage, for the usage reporter (undefined when it is off). */
  readonly #usage: UsageRecorder | undefined;
  /** Lets the file's Worker modules load (see #start). */
  #letModulesLoad: (() => void) | undefined;
  /**
   * Jest announces its concurrent tests (Jest 30 runs each group between concurrent_tests_start
   * and concurrent_tests_end, each test after its test_start); Jest 29 starts them all as the
   * file starts, before any of their events, where no snapshot can be taken around them.
   */
  #concurrentBatches = false;

  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    // Jest runs `setupFiles` before setup(): a module there that needs the host finds this
    // marker, and says where to move it (shims/host.cts).
    (this.global as unknown as Record<symbol, unknown>)[JEST_HOST] = null;
    const { rootDir, testEnvironmentOptions, transform } = config.projectConfig;
    this.#options = jestTestOptions(testEnvironmentOptions, rootDir);
    // The module rules are the preset's transform's to apply. The preset's transform cannot be
    // dropped (Jest merges it into the project's); without the preset (this environment named
    // alone) it is absent, and a rule only a bundler applies is refused as the emulator starts.
    if (this.#options !== undefined && transform.some(([, path]) => path === MODULE_RULES_TRANSFORM)) this.#options.moduleRules = true;
    this.#usage = UsageRecorder.forFile(relative(rootDir, context.testPath));
  }

  override async setup(): Promise<void> {
    await super.setup();
    // The file's realm's own URLPattern and JSON: what they make are that realm's plain objects.
    Object.assign(this.global, workerGlobals, workerScope, { self: this.global, URLPattern: urlPatternOf(this.global), JSON: jsonOf(this.global), WebAssembly: webAssemblyOf(this.global), Atomics: atomicsOf(this.global) });
    // The file's realm (durasim's own has them from this module's loading).
    installLanguageBuiltins(this.global);
    installCacheStorage(this.global);
    installRuntimeGlobals(this.global);
    gateFetch(this.global as unknown as Record<string, unknown>);
    trackTimers(this.global);
    // Emulators' clocks read the file's Date and timers, the ones jest.useFakeTimers() replaces.
    setTimeGlobal(this.global);
    // Values durasim makes for Worker code (and the tests) are the file's realm's kinds.
    setCodeRealm(this.global);
    // What the globals above (and Node's own there) throw is of the process's realm: `instanceof`
    // the file's error classes holds for it, as in the runtime's one realm.
    recognizeProcessErrors(this.global);
    const host: JestHost = {
      modules: { durasim, workers, test, miniflare },
      start: (load) => this.#start(load),
    };
    (this.global as unknown as Record<symbol, unknown>)[JEST_HOST] = host;
  }

  /**
   * Builds the file's emulator; a configuration error throws here, failing the file. Its Worker
   * modules load through `load` once the test file has run, so that the mocks it registers
   * (`jest.mock`, hoisted above its imports, or `jest.unstable_mockModule` in ESM mode) reach the
   * modules the Worker imports, as under Cloudflare's integration (which imports the Worker when a
   * test first needs it): held back until the tests start (run_start), or until code waits for
   * them sooner (a call at the top level of a setup file or of the test file).
   */
  #start(load: JestModuleLoader): void {
    let letModulesLoad!: () => void;
    const modulesMayLoad = new Promise<void>((resolve) => (letModulesLoad = resolve));
    this.#letModulesLoad = letModulesLoad;
    setHostModuleLoader((path) => modulesMayLoad.then(() => load(path)), letModulesLoad);
    if (this.#options === undefined) return;
    const options = emulatorOptions(this.#options);
    const emulator = new Emulator(options);
    // The file's own process object (Jest's copy): its environment ends with the file.
    layProcessEnv(this.global.process.env, workerProcessEnv(options));
    this.#file = new FileIsolation(emulator, this.#options.isolation);
    useEmulator(emulator);
  }

  async handleTestEvent(event: Circus.Event): Promise<void> {
    if (event.name === "run_start") {
      this.#letModulesLoad?.();
      // A load failure (a class not exported, say) fails the file, before its tests.
      await this.#file?.emulator.ready;
    }
    const file = this.#file;
    if (file === undefined) return;
    if (event.name === "run_describe_start") await file.enterSuite(event.describeBlock);
    else if (event.name === "run_describe_finish") await file.leaveSuite(event.describeBlock);
    else if (event.name === "concurrent_tests_start") this.#concurrentBatches = true;
    else if (event.name === "test_start") {
      if (event.test.concurrent && !this.#concurrentBatches && file.mode === "test") throw concurrentBeforeEvents(event.test.name);
      await file.enterTest(event.test, event.test.concurrent);
    }
    else if (event.name === "test_done") {
      this.#usage?.record(fullName(event.test), file.emulator.usage());
      await file.leaveTest(event.test);
    }
  }

  override async teardown(): Promise<void> {
    setHostModuleLoader(undefined);
    setTimeGlobal(undefined);
    setCodeRealm(undefined);
    const file = this.#file;
    this.#file = undefined;
    this.#usage?.flush();
    await file?.dispose();
    await super.teardown();
  }
}

/** The test's name under its describe blocks, "block > test", as the Vitest table names it. */
function fullName(test: Circus.TestEntry): string {
  const names = [test.name];
  for (let block = test.parent; block.parent !== undefined; block = block.parent) names.unshift(block.name);
  return names.join(" > ");
}

function concurrentBeforeEvents(name: string): ConfigError {
  return new ConfigError(
    `durasim: test "${name}" runs concurrently, but this Jest starts concurrent tests before it reports them (Jest 29), so isolation "test" ` +
      'cannot save and restore the state around them; use Jest 30, run the test sequentially, or set isolation: "file" (the tests of a file then share its storage).',
  );
}

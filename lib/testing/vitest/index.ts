/**
 * `durasim/vitest`: a drop-in for Cloudflare's Vitest integration. `cloudflareTest(options)`
 * (the current API) and `defineWorkersConfig` / `defineWorkersProject` (the older one, with
 * `test.poolOptions.workers`) take the same options; a suite swaps the import and runs.
 *
 * The plugin aliases `cloudflare:workers` (and the runtime's other built-in modules:
 * cloudflare:email, cloudflare:sockets, cloudflare:workflows, cloudflare:durable-objects) and `cloudflare:test` to durasim's built modules,
 * keeps durasim out of Vite's transform (it is imported natively, once per worker process),
 * gives the project's own modules the Workers globals (WebSocketPair and the rest, see
 * worker-prelude.ts: in Cloudflare's integration tests run inside the runtime, where they are
 * globals), loads text, data and WebAssembly files by the wrangler file's module rules,
 * wrangler's defaults and Miniflare's `modulesRules` (../module-rules.ts), has the runner set
 * the wrangler file's `define` as globals (each value evaluated once per test file, as
 * wrangler's bundler evaluates an object or array define once per bundle and every module sees
 * that one value; Vite's define would paste the expression at every use), hands its `alias` to
 * Vite (for options given as a function, resolved once Vite's config is fixed, resolveId applies
 * it), and installs durasim's runner, which gives each file a fresh module graph and emulator.
 * Vitest's `isolate` defaults to false here: the runner does per file what it would do.
 * Service bindings written as functions stay in this (the main) process and are called from the
 * test workers over a loopback server (host-functions.ts), as Cloudflare's run in Node.
 */
import { randomUUID } from "node:crypto";
import { realpathSync, statSync } from "node:fs";
import { resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { existingMain, loadWranglerConfig, type WranglerConfig } from "../../config/wrangler/translate.js";
import { BUILTIN_MODULE_NAMES } from "../../modules/builtin-modules.js";
import { unsupported } from "../../modules/test/unsupported.js";
import { VITEST_OWN_PACKAGE } from "../../modules/vitest-packages.js";
import { withWorkerGlobals } from "../../modules/worker-prelude.js";
import { ConfigError } from "../../util/config-error.js";
import { type LegacyWorkersTestOptions, resolveTestOptions, type ResolvedTestOptions, type WorkersTestOptions } from "../options.js";
import { hostFunction } from "./host-functions.js";
import { OPTIONS_KEY, PENDING_OPTIONS_KEY } from "./keys.js";
import { type CompiledRule, moduleRuleSource } from "../../modules/module-rules.js";
import { ES_MODULE_BUILD, esModuleBuildFile } from "../es-module-build.js";
import { moduleRulesOf } from "../module-rules.js";
import { addPendingOptions } from "./pending-options.js";
import { UsageReporter } from "./usage-reporter.js";

export type { Isolation, LegacyWorkersTestOptions, WorkersTestOptions } from "../options.js";
export { UsageReporter } from "./usage-reporter.js";

export { type D1Migration, readD1Migrations } from "../d1-migrations.js";
/** A helper Cloudflare's plugin exports for a product durasim does not emulate: a config naming it loads, and calling it says why it cannot work. */
export const buildPagesASSETSBinding = unsupported("buildPagesASSETSBinding", "Pages (static assets)");

/** What `cloudflareTest(ctx => options)` receives: values the project's globalSetup provided. */
export interface WorkersTestOptionsContext {
  inject<T = unknown>(key: string): T;
}

type OptionsInput<O> = O | ((context: WorkersTestOptionsContext) => O | Promise<O>);

/** The shape of a Vite plugin this module returns (Vite's own types are not a dependency). */
export interface DurasimVitePlugin {
  name: string;
  enforce: "pre";
  config(config: ConfigShape): object;
  configEnvironment(name: string, config: EnvironmentShape): void;
  configResolved(config: ResolvedConfigShape): void;
  resolveId(this: ResolveContext, id: string, importer?: string): string | undefined | Promise<ResolvedId | string>;
  load(id: string): string | undefined;
  transform: { order: "post"; handler(code: string, id: string): { code: string; map: null } | undefined };
}

/** The part of Vite's hook context resolveId uses. */
interface ResolveContext {
  resolve(id: string, importer: string | undefined, options: { skipSelf: boolean }): Promise<ResolvedId | null>;
}
type ResolvedId = { id: string; external?: boolean | "absolute" };

/** The part of Vite's resolved config configResolved reads. */
interface ResolvedConfigShape {
  root: string;
  test?: { setupFiles?: string | string[] };
}

/** The part of a Vite environment's options configEnvironment adjusts. */
interface EnvironmentShape {
  resolve?: { conditions?: string[]; externalConditions?: string[]; mainFields?: string[] };
}

interface ConfigShape {
  root?: string;
  test?: { isolate?: boolean; runner?: string; reporters?: unknown };
}

/** cloudflare:workers and the runtime's other built-in modules, each to durasim's module of its name. */
const BUILTIN_ALIASES = BUILTIN_MODULE_NAMES.map((name) => ({ find: new RegExp(`^cloudflare:${name}$`), replacement: esModuleBuildFile(`modules/${name}.js`) }));
const TEST_MODULE = esModuleBuildFile("modules/test/index.js");
const RUNNER = esModuleBuildFile("testing/vitest/runner.js");
const GLOBAL_SETUP = esModuleBuildFile("testing/vitest/global-setup.js");
/**
 * The Workers globals the project's modules import: the ES module build's, which the runner
 * puts on globalThis and the runtime checks against (`acceptWebSocket` takes only its
 * WebSocket). Not worker-prelude's default, which under a CommonJS Vitest config (a project
 * without "type": "module") would name dist/cjs's copy, whose classes the runtime refuses.
 */
const WORKER_GLOBALS = pathToFileURL(esModuleBuildFile("modules/worker-globals.js")).href;
/** The globals project modules get as their own bindings (worker-scope.ts), from the same build. */
const WORKER_SCOPE = pathToFileURL(esModuleBuildFile("modules/worker-scope.js")).href;
const TEST_MODULE_ID = "\0durasim:cloudflare-test";
/** `cloudflare:test` as setup files see it: without the import of the Worker (see resolveId). */
const SETUP_TEST_MODULE_ID = "\0durasim:cloudflare-test-setup";

const PLUGIN = "cloudflareTest()";

/**
 * How imports resolve in the environment the tests and the Worker run in, as Cloudflare's plugin
 * (and wrangler's bundler) resolves them for workerd: a package's `workerd`, `worker`, `module`
 * and `browser` export conditions instead of `node`, and its `browser` and `module` entry points
 * before `main`. A package Node then loads resolves its own imports by Node's rules.
 */
const WORKER_CONDITIONS = ["workerd", "worker", "module", "browser"];
const WORKER_MAIN_FIELDS = ["browser", "module", "jsnext:main", "jsnext"];

function workerConditions(conditions: string[] | undefined): string[] {
  const kept = (conditions ?? []).filter((condition) => condition !== "node");
  return [...kept, ...WORKER_CONDITIONS.filter((condition) => !kept.includes(condition))];
}

/** The Vitest plugin: `plugins: [cloudflareTest({ wrangler: { configPath: "./wrangler.jsonc" } })]`. */
export function cloudflareTest(options: OptionsInput<WorkersTestOptions> = {}): DurasimVitePlugin {
  return workersPlugin(options, false);
}

function workersPlugin(input: OptionsInput<LegacyWorkersTestOptions>, legacy: boolean): DurasimVitePlugin {
  // Errors in the options name them where the project wrote them.
  const where = legacy ? "test.poolOptions.workers" : PLUGIN;
  if (!import.meta.url.endsWith(".js")) {
    throw new ConfigError("durasim: the Vitest plugin runs from durasim's built package (import it as \"durasim/vitest\").");
  }
  let main: string | undefined;
  let rules: CompiledRule[] | undefined;
  /** The wrangler file's alias, for options given as a function (resolved too late for Vite's resolve.alias). */
  let lateAliases: Array<[string, string]> = [];
  /** The project's setup files (absolute paths), which get `cloudflare:test` without the Worker. */
  let setupFiles = new Set<string>();
  /** Main, module rules and bundling from resolved options, here in the main process, where Vite's hooks run. */
  const settle = (resolved: ResolvedTestOptions): WranglerConfig["bundling"] => {
    const wrangler = wranglerOf(resolved);
    // Reading it printed the file's warnings: the workers, reading it again, do not repeat them.
    if (wrangler !== undefined) resolved.warned = true;
    // The plugin's own `main` is left to Vite, which also resolves one without its extension.
    if (resolved.main !== undefined) main = resolve(resolved.root, resolved.main);
    else main = wrangler?.main === undefined ? undefined : existingMain(wrangler.main, wrangler.configPath, "set the plugin's main option");
    rules = moduleRulesOf(resolved, wrangler);
    // Vite applies alias and the module rules; the runner sets define's globals.
    resolved.bundled = true;
    resolved.moduleRules = true;
    const define = wrangler?.bundling?.define ?? {};
    if (Object.keys(define).length > 0) resolved.defines = define;
    return wrangler?.bundling;
  };
  // The import of the Worker's module makes Vitest re-run a file when the Worker changes.
  const testModuleSource = () => `export * from ${JSON.stringify(TEST_MODULE)};\n${main === undefined ? "" : `import ${JSON.stringify(main)};\n`}`;
  return {
    name: "durasim:vitest",
    enforce: "pre",
    config(config) {
      const root = config.root ?? process.cwd();
      if (config.test?.runner !== undefined) {
        throw new ConfigError(
          `durasim: ${PLUGIN} installs its own test runner, but test.runner is set (${config.test.runner}). Remove test.runner from this project.`,
        );
      }
      const test: Record<string, unknown> = {
        isolate: config.test?.isolate ?? false,
        runner: RUNNER,
        server: { deps: { external: [new RegExp(`^${escapeRegExp(ES_MODULE_BUILD)}`)] } },
      };
      let bundling: WranglerConfig["bundling"];
      if (typeof input === "function") {
        const id = randomUUID();
        addPendingOptions(id, async (inject) => {
          const resolved = resolveTestOptions(await input({ inject: inject as WorkersTestOptionsContext["inject"] }), root, where, { legacy, hostFunction });
          // Vite's config is fixed by now: alias becomes this plugin's resolveId.
          lateAliases = Object.entries(settle(resolved)?.alias ?? {});
          return resolved;
        });
        test.provide = { [PENDING_OPTIONS_KEY]: id };
        test.globalSetup = [GLOBAL_SETUP];
      } else {
        let hosts = false;
        const resolved = resolveTestOptions(input, root, where, {
          legacy,
          hostFunction: (service) => ((hosts = true), hostFunction(service)),
        });
        // The globalSetup starts the server the workers call the functions through.
        if (hosts) test.globalSetup = [GLOBAL_SETUP];
        bundling = settle(resolved);
        test.provide = { [OPTIONS_KEY]: resolved };
        // Vite concatenates the plugin's reporters with the project's: the default stays only
        // when the project names none.
        if (resolved.reportUsage) test.reporters = [...(config.test?.reporters === undefined ? ["default"] : []), new UsageReporter()];
      }
      // The wrangler file's alias, as wrangler's bundler would apply it.
      const aliases = Object.entries(bundling?.alias ?? {}).map(([find, replacement]) => ({ find, replacement }));
      return { resolve: { alias: [...BUILTIN_ALIASES, ...aliases] }, test };
    },
    configResolved(config) {
      const files = config.test?.setupFiles ?? [];
      setupFiles = new Set((Array.isArray(files) ? files : [files]).map((file) => moduleKey(setupFilePath(resolve(config.root, file)))));
    },
    // Vitest gives its server environment Node's resolution (no main fields, the "node"
    // condition); the tests run there, so it resolves as the Workers runtime's bundler would.
    configEnvironment(name, config) {
      if (name !== "ssr") return;
      const resolve = (config.resolve ??= {});
      resolve.conditions = workerConditions(resolve.conditions);
      resolve.externalConditions = workerConditions(resolve.externalConditions);
      resolve.mainFields = [...WORKER_MAIN_FIELDS];
    },
    resolveId(id, importer) {
      // A setup file runs before a test file's hoisted vi.mock calls: were the Worker imported
      // with it, the test file's mocks could not reach the modules the Worker imports.
      if (id === "cloudflare:test") return importer !== undefined && setupFiles.has(moduleKey(importer.split("?")[0]!)) ? SETUP_TEST_MODULE_ID : TEST_MODULE_ID;
      const alias = lateAliases.find(([find]) => id === find || id.startsWith(`${find}/`));
      if (alias === undefined) return undefined;
      const target = alias[1] + id.slice(alias[0].length);
      return this.resolve(target, importer, { skipSelf: true }).then((resolved) => resolved ?? target);
    },
    load(id) {
      if (id.startsWith("\0")) return id === TEST_MODULE_ID ? testModuleSource() : id === SETUP_TEST_MODULE_ID ? `export * from ${JSON.stringify(TEST_MODULE)};\n` : undefined;
      return moduleRuleSource(id, rules);
    },
    transform: {
      // After Vite's own transforms, so the module is JavaScript by then: TypeScript's types and
      // JSX are gone, and the check that the module does not declare a name can parse it.
      order: "post",
      handler(code, id) {
        if (!seesWorkerGlobals(id)) return undefined;
        const withGlobals = withWorkerGlobals(code, { globalsUrl: WORKER_GLOBALS, scopeUrl: WORKER_SCOPE });
        // The import goes on the first line, so no line moves: the source map stays as it was.
        return withGlobals === code ? undefined : { code: withGlobals, map: null };
      },
    },
  };
}

/**
 * The modules Vite runs that get the Workers globals: the project's own and the packages it runs
 * for them (`test.server.deps.inline`), as Node's module hooks give them to the packages Node
 * loads; not durasim, not Vitest's own packages, not a virtual module.
 */
function seesWorkerGlobals(id: string): boolean {
  return !id.startsWith("\0") && !VITEST_OWN_PACKAGE.test(id) && !id.startsWith(ES_MODULE_BUILD) && /\.m?[jt]sx?$/.test(id);
}

/** The wrangler file, read at config time (a mistake in it fails here, early), for Vite to bundle by. */
function wranglerOf(options: ResolvedTestOptions): WranglerConfig | undefined {
  const configPath = options.wrangler?.configPath;
  if (configPath === undefined) return undefined;
  return loadWranglerConfig(resolve(options.root, configPath), { environment: options.wrangler?.environment, bundler: true, standIns: true });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A Vitest config in the older shape: `test.poolOptions.workers` holds the options. */
interface LegacyConfig {
  plugins?: unknown[];
  test?: {
    pool?: string;
    poolOptions?: { workers?: OptionsInput<LegacyWorkersTestOptions>; [pool: string]: unknown };
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

type ConfigExport<C> = C | Promise<C> | ((env: unknown) => C | Promise<C>);

function fromLegacy<C extends LegacyConfig>(config: C): C {
  const { poolOptions, pool, ...test } = config.test ?? {};
  const { workers, ...otherPools } = poolOptions ?? {};
  if (pool !== undefined && !/vitest-pool-workers/.test(pool)) {
    throw new ConfigError(`durasim: defineWorkersConfig runs tests with durasim's runner; remove test.pool ("${pool}").`);
  }
  const converted: LegacyConfig = {
    ...config,
    plugins: [...(config.plugins ?? []), workersPlugin(workers ?? {}, true)],
    test: { ...test, ...(Object.keys(otherPools).length > 0 && { poolOptions: otherPools }) },
  };
  return converted as C;
}

function mapConfig<C extends LegacyConfig>(config: ConfigExport<C>): ConfigExport<C> {
  if (typeof config === "function") return async (env: unknown) => fromLegacy(await config(env));
  if (config instanceof Promise) return config.then(fromLegacy);
  return fromLegacy(config);
}

/** The older API: a Vitest config whose `test.poolOptions.workers` holds the options. */
export function defineWorkersConfig<C extends LegacyConfig>(config: C): C;
export function defineWorkersConfig<C extends LegacyConfig>(config: ConfigExport<C>): ConfigExport<C>;
export function defineWorkersConfig<C extends LegacyConfig>(config: ConfigExport<C>): ConfigExport<C> {
  return mapConfig(config);
}

/** The older API, for one project of a workspace. */
export function defineWorkersProject<C extends LegacyConfig>(config: C): C;
export function defineWorkersProject<C extends LegacyConfig>(config: ConfigExport<C>): ConfigExport<C>;
export function defineWorkersProject<C extends LegacyConfig>(config: ConfigExport<C>): ConfigExport<C> {
  return mapConfig(config);
}

const SETUP_FILE_EXTENSIONS = ["", ".ts", ".js", ".mts", ".mjs", ".cts", ".cjs", ".tsx", ".jsx"];

/** A setup file as Vite finds it: named without its extension, the file that has one. */
function setupFilePath(path: string): string {
  return SETUP_FILE_EXTENSIONS.map((extension) => path + extension).find((candidate) => statSync(candidate, { throwIfNoEntry: false })?.isFile()) ?? path;
}

/** A module's path as Vite's ids give it (symbolic links resolved, "/" separators), to compare paths. */
function moduleKey(path: string): string {
  let real = path;
  try {
    real = realpathSync(path);
  } catch {
    // Not on disk (a virtual id): compared as given.
  }
  return real.split(sep).join("/");
}

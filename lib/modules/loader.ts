import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { asWorkerModuleEvaluation } from "../runtime/code-context.js";
import type { ModuleExports } from "../runtime/worker.js";
import { ConfigError } from "../util/config-error.js";
import { pointBuiltinSpecifiers } from "./builtin-modules.js";
import { installLanguageBuiltins } from "./builtins/index.js";
import { installCacheStorage } from "./cache-storage.js";
import { locatedSyntaxError } from "./syntax-location.js";
import { withWorkerGlobals } from "./worker-prelude.js";
import { registerWorkersSpecifier } from "./workers-specifier.js";

/**
 * Loads a Worker's code: exports given directly, a module file Node imports, or inline source.
 * Worker code imports `cloudflare:workers` (and the runtime's other built-in modules), which
 * resolve to durasim's modules (builtin-modules.ts).
 */

/** One module of a Worker given as a list: where it lives, and its source when it is not on disk. */
export interface SourceModule {
  type: "ESModule" | "CommonJS";
  path: string;
  contents?: string | undefined;
}

/** Where a Worker's code comes from: exactly one of these (config checks that). */
export interface WorkerSource {
  module?: ModuleExports | undefined;
  modulePath?: string | undefined;
  script?: string | undefined;
  /** A list of modules; the first is the entry point. */
  modules?: SourceModule[] | undefined;
}

/** Imports a module file through a test runner's module system (given an absolute path). */
export type HostModuleLoader = (path: string) => ModuleExports | PromiseLike<ModuleExports>;

let hostLoader: HostModuleLoader | undefined;
let hostDemand: (() => void) | undefined;

/**
 * Under a test runner that loads modules itself (Vitest through Vite, Jest through its
 * registry), its integration sets the loader `modulePath` goes through: TypeScript works, the
 * test's import of the module is the emulator's, and Node's resolve hooks are left alone.
 * `undefined` restores Node's own import.
 */
export function setHostModuleLoader(loader: HostModuleLoader | undefined, demanded?: () => void): void {
  hostLoader = loader;
  hostDemand = demanded;
}

/**
 * Code waits for the Workers' modules now (a call, `emu.ready`): a host loader that holds its
 * imports back (the Vitest runner, until a test file's \`vi.mock\` calls are in) lets them go.
 */
export function modulesDemanded(): void {
  hostDemand?.();
}

/** Whether the Worker's code loads through the host loader (whose imports may be held back). */
export function loadsThroughHost(source: WorkerSource): boolean {
  return source.module === undefined && source.modulePath !== undefined && hostLoader !== undefined;
}

/** The Worker's exports: given directly (synchronously), or a promise of them. */
export function loadWorkerModule(source: WorkerSource): ModuleExports | Promise<ModuleExports> {
  if (source.module !== undefined) return source.module;
  if (source.modulePath !== undefined && hostLoader !== undefined) return settle(hostLoader(resolve(source.modulePath)));
  installWorkerCodeGlobals();
  if (source.modulePath !== undefined) {
    const path = resolve(source.modulePath);
    registerWorkersSpecifier();
    return importEntry(path, `option "modulePath" (${JSON.stringify(source.modulePath)})`);
  }
  if (source.modules !== undefined) return importModuleList(source.modules);
  return importInlineScript(source.script!);
}

/**
 * Worker code durasim loads itself (a file, a module list, a script: code the process runs as a
 * Worker's) finds the globals the runtime has and Node may lack, as under the test runners and
 * durasim/register: the JavaScript built-ins (URLPattern, iterator helpers, ... on Node 20) and
 * the `caches` stand-in. Each is added only where the global object lacks it; a Worker given as
 * `module` (exports the caller made) and one a test runner loads get them from the runner.
 */
function installWorkerCodeGlobals(): void {
  installLanguageBuiltins(globalThis);
  installCacheStorage(globalThis);
}

/**
 * Imports a Worker's entry module from disk. When the entry itself is missing, Node's error
 * names the file that imported it (durasim's loader), which points nowhere useful: that case is
 * a ConfigError naming the option. A missing module the entry imports keeps Node's error, which
 * names the importing file of the Worker's own code. (Whether the entry exists is asked of the
 * disk: module runners that stand in for Node's import() word and shape the error differently.)
 */
async function importEntry(path: string, option: string): Promise<ModuleExports> {
  try {
    return await importWorkerFile(path, option);
  } catch (error) {
    if ((error as { code?: unknown }).code !== "ERR_MODULE_NOT_FOUND" || existsSync(path)) throw error;
    throw new ConfigError(
      `durasim: ${option} names no file: ${path} does not exist (relative paths resolve from the current directory, ${process.cwd()}). ` +
        `Fix the path, or give the Worker's code as "module" or "script".`,
      { cause: error },
    );
  }
}

/**
 * Node's import() of a Worker's file. Jest, running durasim inside a test file's sandbox (loaded
 * by Jest's require, without durasim's preset), refuses import() there in its CommonJS mode with
 * Node's bare "A dynamic import callback was invoked without --experimental-vm-modules": that
 * is a ConfigError naming the Worker's code and the ways to load it.
 */
async function importWorkerFile(path: string, what: string): Promise<ModuleExports> {
  try {
    return await asWorkerModuleEvaluation(() => import(pathToFileURL(path).href));
  } catch (error) {
    if (!SANDBOX_REFUSALS.has((error as { code?: unknown } | null)?.code)) throw error;
    throw new ConfigError(
      `durasim: ${what} is Worker code durasim imports itself, and it cannot import it here: durasim was loaded inside a Jest test file's sandbox ` +
        `(without durasim's preset), whose CommonJS mode refuses import(). Use the preset (preset: "durasim/jest"), which loads Worker code through Jest; ` +
        `or run Jest in ESM mode (NODE_OPTIONS=--experimental-vm-modules, with "^cloudflare:workers$" mapped to "durasim/workers" by moduleNameMapper); ` +
        `or give the Worker's exports as the "module" option.`,
      { cause: error },
    );
  }
}

/** Node's codes for an import() a vm context gives no way to load. */
const SANDBOX_REFUSALS: ReadonlySet<unknown> = new Set(["ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING_FLAG", "ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING"]);

/** A promise of this realm for a thenable of any realm (Jest's modules live in a vm context). */
function settle(loaded: ModuleExports | PromiseLike<ModuleExports>): ModuleExports | Promise<ModuleExports> {
  return typeof (loaded as PromiseLike<ModuleExports>).then === "function" ? Promise.resolve(loaded) : (loaded as ModuleExports);
}

/**
 * A list of modules on disk is imported from its entry point (Node follows the imports, and the
 * module hooks give them the Workers globals). A list with sources is written out, keeping the
 * modules' relative layout so their imports of each other resolve, and imported from there (see
 * importPrivateCopy).
 */
async function importModuleList(modules: SourceModule[]): Promise<ModuleExports> {
  const entry = modules[0]!;
  if (modules.every((module) => module.contents === undefined)) {
    registerWorkersSpecifier();
    return importEntry(resolve(entry.path), `the first of option "modules" (${JSON.stringify(entry.path)})`);
  }
  const missing = modules.find((module) => module.contents === undefined || (module.type === "CommonJS" && !module.path.endsWith(".cjs")));
  if (missing !== undefined) {
    throw new ConfigError(
      missing.contents === undefined
        ? `durasim: module "${missing.path}" has no contents while others in its list do: give every module's contents, or none (then they are read from disk).`
        : `durasim: CommonJS module "${missing.path}" given by contents needs a .cjs name (the modules are written as ES modules otherwise).`,
    );
  }
  const root = commonDirectory(modules.map((module) => resolve(module.path)));
  const files = modules.map((module) => {
    const source = pointBuiltinSpecifiers(module.contents!);
    // An ES module gets the Workers globals; a CommonJS one cannot take an import.
    return [relative(root, resolve(module.path)), module.type === "ESModule" ? withWorkerGlobals(source, { language: TYPESCRIPT_FILE.test(module.path) ? "typescript" : "javascript" }) : source] as const;
  });
  // Modules may import each other lazily (a dynamic import() at run time): their files stay
  // until the process exits.
  return importPrivateCopy(files, "until exit", `option "modules"`);
}

/** A module given by contents under a TypeScript name, which Node strips of its types as it loads it (Node 22.6 and newer). */
const TYPESCRIPT_FILE = /\.m?ts$/;

function commonDirectory(paths: string[]): string {
  let common = dirname(paths[0]!);
  while (!paths.every((path) => path.startsWith(common.endsWith(sep) ? common : common + sep))) common = dirname(common);
  return common;
}

/**
 * Exports of inline sources loaded already, by the source as given: a warm start (another
 * emulator given the same `script`) gets them synchronously, as with `module`, without
 * rewriting and hashing the source again or a pending load for its first call to wait on.
 */
const loadedScripts = new Map<string, ModuleExports>();

/** An inline module imports nothing relative to itself: its file goes as soon as it is loaded. */
function importInlineScript(source: string): ModuleExports | Promise<ModuleExports> {
  const loaded = loadedScripts.get(source);
  if (loaded !== undefined) return loaded;
  const instance = importPrivateCopy([["worker.mjs", withWorkerGlobals(pointBuiltinSpecifiers(source))]], "after load", 'the Worker\'s "script"').catch((error: unknown) => {
    throw locatedSyntaxError(error, source, 'the Worker\'s "script"');
  });
  instance.then((exports) => loadedScripts.set(source, exports), () => undefined);
  return instance;
}

/** Module instances of sources given inline, by a digest of their files. */
const instances = new Map<string, Promise<ModuleExports>>();
/** Directories of module lists, removed when the process exits. */
const kept = new Set<string>();

/**
 * Imports modules given as source text. Node never unloads an ES module, so each distinct
 * source is imported once per process and every emulator given the same source shares that
 * instance (and its module-level state), as emulators given the same `modulePath` do; a
 * fresh instance per emulator would grow memory without bound. The files are written to a
 * new private directory (mkdtemp: an unpredictable name, readable by this user only), never
 * to a fixed path another user could plant a link at, and removed once loaded (or at exit).
 */
function importPrivateCopy(files: ReadonlyArray<readonly [path: string, contents: string]>, removal: "after load" | "until exit", what: string): Promise<ModuleExports> {
  const digest = createHash("sha256").update(JSON.stringify(files)).digest("hex");
  let instance = instances.get(digest);
  if (instance === undefined) {
    instance = loadPrivateCopy(files, removal, what);
    instances.set(digest, instance);
    // A source that failed to load (a syntax error) is tried afresh next time.
    instance.catch(() => instances.delete(digest));
  }
  return instance;
}

async function loadPrivateCopy(files: ReadonlyArray<readonly [path: string, contents: string]>, removal: "after load" | "until exit", what: string): Promise<ModuleExports> {
  const dir = mkdtempSync(join(tmpdir(), "durasim-"));
  try {
    for (const [file, contents] of files) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), contents, { flag: "wx" });
    }
    writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }), { flag: "wx" });
    return await importWorkerFile(join(dir, files[0]![0]), what);
  } finally {
    if (removal === "after load") rmSync(dir, { recursive: true, force: true });
    else keepUntilExit(dir);
  }
}

function keepUntilExit(dir: string): void {
  if (kept.size === 0) process.once("exit", () => kept.forEach((path) => rmSync(path, { recursive: true, force: true })));
  kept.add(dir);
}

import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import type { ModuleExports } from "../runtime/worker.js";
import { ConfigError } from "../util/config-error.js";
import { WORKERS_MODULE_URL } from "./workers.js";
import { registerWorkersSpecifier } from "./workers-specifier.js";

/**
 * Loads a Worker's code: exports given directly, a module file Node imports, or inline source.
 * Worker code imports `cloudflare:workers`, which resolves to durasim's module (./workers.ts).
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

/** The Worker's exports: given directly (synchronously), or a promise of them. */
export function loadWorkerModule(source: WorkerSource): ModuleExports | Promise<ModuleExports> {
  if (source.module !== undefined) return source.module;
  if (source.modulePath !== undefined) {
    registerWorkersSpecifier();
    return import(pathToFileURL(resolve(source.modulePath)).href);
  }
  if (source.modules !== undefined) return importModuleList(source.modules);
  return importInlineScript(source.script!);
}

/** Import specifiers of `cloudflare:workers` in import/export statements and dynamic imports. */
const WORKERS_SPECIFIER = /(\bfrom\s*|\bimport\s*\(?\s*)(["'])cloudflare:workers\2/g;

let instances = 0;

function pointWorkersSpecifier(source: string): string {
  return source.replace(WORKERS_SPECIFIER, (_match, prefix: string) => `${prefix}${JSON.stringify(WORKERS_MODULE_URL)}`);
}

/**
 * A list of modules on disk is imported from its entry point (Node follows the imports). A
 * list with sources is written out under a content-addressed directory, keeping the modules'
 * relative layout so their imports of each other resolve, and imported from there.
 */
async function importModuleList(modules: SourceModule[]): Promise<ModuleExports> {
  const entry = modules[0]!;
  if (modules.every((module) => module.contents === undefined)) {
    registerWorkersSpecifier();
    return import(pathToFileURL(resolve(entry.path)).href);
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
  const files = modules.map((module) => [relative(root, resolve(module.path)), pointWorkersSpecifier(module.contents!)] as const);
  const digest = createHash("sha256").update(JSON.stringify(files)).digest("hex").slice(0, 32);
  const dir = join(tmpdir(), "durasim-modules", digest);
  for (const [file, contents] of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), contents);
  }
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
  return import(`${pathToFileURL(join(dir, files[0]![0])).href}?instance=${++instances}`);
}

function commonDirectory(paths: string[]): string {
  let common = dirname(paths[0]!);
  while (!paths.every((path) => path.startsWith(common.endsWith(sep) ? common : common + sep))) common = dirname(common);
  return common;
}

/**
 * Inline sources are written to a content-addressed temporary module, with `cloudflare:workers`
 * pointed at durasim's own module. Each emulator imports it under its own URL, so each gets a
 * fresh module instance (module-level state is not shared), as each Worker start does.
 */
async function importInlineScript(source: string): Promise<ModuleExports> {
  const rewritten = pointWorkersSpecifier(source);
  const digest = createHash("sha256").update(rewritten).digest("hex").slice(0, 32);
  const dir = join(tmpdir(), "durasim-scripts");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${digest}.mjs`);
  writeFileSync(file, rewritten);
  return import(`${pathToFileURL(file).href}?instance=${++instances}`);
}

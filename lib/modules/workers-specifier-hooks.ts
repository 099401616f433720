/**
 * Node module hooks (run by node:module's register(), in Node's hooks thread) for Worker code
 * Node loads itself: "cloudflare:workers" and the runtime's other built-in modules resolve to
 * durasim's (builtin-modules.ts), an import of a text, data or WebAssembly file is what
 * wrangler's default module rules make of it (module-rules.ts: `*.sql` as its text, ...), and
 * the modules of a Worker get the Workers globals (worker-prelude.ts). A Worker's modules are
 * those that import a built-in module and the modules they import in turn, packages included (in
 * workerd a package's `JSON.parse` fails in the runtime's words and `WebSocketPair` is there), so
 * nothing else in the process sees a changed global: never durasim itself, nor a package only
 * Node's code, durasim or a test runner imports. Under the Vitest plugin the project's modules
 * run through Vite, and the packages they import reach Node from Vitest's module evaluator: those
 * are the Worker's packages too (as under Cloudflare's plugin, where the tests' packages run in
 * the runtime), but for Vitest's own. Packages resolve the built-in modules too (the agents SDK
 * imports cloudflare:email, database drivers cloudflare:sockets).
 */
import { fileURLToPath } from "node:url";
import { BUILTIN_MODULE_URLS, IMPORTS_BUILTIN } from "./builtin-modules.js";
import { moduleRuleSource } from "./module-rules.js";
import { VITEST_OWN_PACKAGE } from "./vitest-packages.js";
import { withWorkerGlobals } from "./worker-prelude.js";

interface ResolveContext {
  conditions: string[];
  parentURL?: string;
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<{ url: string }>;

interface LoadResult {
  format?: string | null;
  source?: string | Uint8Array | ArrayBuffer | null;
  shortCircuit?: boolean;
}
type NextLoad = (url: string, context: object) => Promise<LoadResult>;

/** durasim's own files (its package, or this repository's build) are never Worker code. */
const DURASIM_ROOT = new URL("../", import.meta.url).href;

/**
 * Vitest's module evaluator, whose import() loads each module Vite leaves to Node (a package) for
 * the module Vite runs that imports it (the project's).
 */
const VITEST_EVALUATOR = /\/vitest\/dist\/module-evaluator\.js$/;

/** Modules known to be part of a Worker: importers of cloudflare:workers and what they import. */
const workerModules = new Set<string>();

/** Whether the module may be Worker code: a file, neither durasim's nor Vitest's own. */
function mayBeWorkerCode(url: string): boolean {
  return url.startsWith("file:") && !url.startsWith(DURASIM_ROOT) && !VITEST_OWN_PACKAGE.test(url);
}

/** Whether `parent` imports `url` for a Worker: a Worker module, or Vitest's evaluator for the project's modules. */
function importedForWorker(url: string, parent: string | undefined): boolean {
  return parent !== undefined && (workerModules.has(parent) || VITEST_EVALUATOR.test(parent)) && mayBeWorkerCode(url);
}

export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve) {
  const builtin = BUILTIN_MODULE_URLS.get(specifier);
  if (builtin !== undefined) return { url: builtin, shortCircuit: true };
  const resolved = await nextResolve(specifier, context);
  if (importedForWorker(resolved.url, context.parentURL)) workerModules.add(resolved.url);
  return resolved;
}

export async function load(url: string, context: object, nextLoad: NextLoad): Promise<LoadResult> {
  const ruled = url.startsWith("file:") && !url.startsWith(DURASIM_ROOT) ? moduleRuleSource(fileURLToPath(url)) : undefined;
  if (ruled !== undefined) return { format: "module", source: ruled, shortCircuit: true };
  const loaded = await nextLoad(url, context);
  if ((loaded.format !== "module" && loaded.format !== "module-typescript") || !mayBeWorkerCode(url) || loaded.source == null) {
    return loaded;
  }
  const source = typeof loaded.source === "string" ? loaded.source : new TextDecoder().decode(loaded.source);
  if (!workerModules.has(url) && !IMPORTS_BUILTIN.test(source)) return loaded;
  workerModules.add(url);
  return { ...loaded, source: withWorkerGlobals(source, { language: loaded.format === "module-typescript" ? "typescript" : "javascript" }) };
}

/** This module's own URL, for register() (imported, so the reference is checked like any import). */
export const HOOKS_MODULE_URL = import.meta.url;

/**
 * Node module hooks (run by node:module's register(), in Node's hooks thread) for Worker code
 * Node loads itself: "cloudflare:workers" resolves to durasim's implementation of it, and the
 * modules of a Worker get the Workers globals (worker-prelude.ts). A Worker's modules are those
 * that import "cloudflare:workers" and the files they import in turn (never a package under
 * node_modules, nor durasim itself), so nothing else in the process sees a changed global. The
 * modules are imported for their URLs, so the type check and the build follow the reference
 * (a path in a string would break silently on a move).
 */
import { WORKERS_MODULE_URL } from "./workers.js";
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

/** Modules known to be part of a Worker: importers of cloudflare:workers and what they import. */
const workerModules = new Set<string>();

const IMPORTS_WORKERS = /(?:\bfrom\s*|\bimport\s*\(?\s*)["']cloudflare:workers["']/;

function isUserCode(url: string): boolean {
  return url.startsWith("file:") && !url.includes("/node_modules/") && !url.startsWith(DURASIM_ROOT);
}

export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve) {
  if (specifier === "cloudflare:workers") return { url: WORKERS_MODULE_URL, shortCircuit: true };
  const resolved = await nextResolve(specifier, context);
  const parent = context.parentURL;
  if (parent !== undefined && workerModules.has(parent) && isUserCode(resolved.url)) workerModules.add(resolved.url);
  return resolved;
}

export async function load(url: string, context: object, nextLoad: NextLoad): Promise<LoadResult> {
  const loaded = await nextLoad(url, context);
  if ((loaded.format !== "module" && loaded.format !== "module-typescript") || !isUserCode(url) || loaded.source == null) {
    return loaded;
  }
  const source = typeof loaded.source === "string" ? loaded.source : new TextDecoder().decode(loaded.source);
  if (!workerModules.has(url) && !IMPORTS_WORKERS.test(source)) return loaded;
  workerModules.add(url);
  return { ...loaded, source: withWorkerGlobals(source) };
}

/** This module's own URL, for register() (imported, so the reference is checked like any import). */
export const HOOKS_MODULE_URL = import.meta.url;

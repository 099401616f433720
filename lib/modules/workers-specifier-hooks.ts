/**
 * Node module-resolution hooks (run by node:module's register()): resolve "cloudflare:workers"
 * to durasim's implementation of it. The module is imported for its URL, so the type check and
 * the build follow the reference (a path in a string would break silently on a move).
 */
import { WORKERS_MODULE_URL } from "./workers.js";

interface ResolveContext {
  conditions: string[];
  parentURL?: string;
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<{ url: string }>;

export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve) {
  if (specifier === "cloudflare:workers") return { url: WORKERS_MODULE_URL, shortCircuit: true };
  return nextResolve(specifier, context);
}

/** This module's own URL, for register() (imported, so the reference is checked like any import). */
export const HOOKS_MODULE_URL = import.meta.url;

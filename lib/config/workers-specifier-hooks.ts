/**
 * Node module-resolution hooks (run by node:module's register()): resolve "cloudflare:workers"
 * to durasim's implementation of it.
 */
const WORKERS_URL = new URL("../testing/workers.js", import.meta.url).href;

interface ResolveContext {
  conditions: string[];
  parentURL?: string;
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<{ url: string }>;

export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve) {
  if (specifier === "cloudflare:workers") return { url: WORKERS_URL, shortCircuit: true };
  return nextResolve(specifier, context);
}

import Module, { register } from "node:module";
import { fileURLToPath } from "node:url";
import { BUILTIN_MODULE_URLS } from "./builtin-modules.js";
import { HOOKS_MODULE_URL } from "./workers-specifier-hooks.js";

let registered = false;

/**
 * Lets Worker modules loaded by Node itself (`modulePath`, `node --import durasim/register`,
 * packages a test runner leaves to Node) import "cloudflare:workers" and the runtime's other
 * built-in modules: a resolve hook maps the specifier to durasim's module. CommonJS code may
 * `require()` them too (a package whose CommonJS build Node picks, as its `main`): that resolves
 * to the same ES module, which Node's require() loads (Node >= 20.19), so both share one copy.
 * Test runners that transform modules (Vitest, Jest) resolve the specifiers by alias instead.
 */
export function registerWorkersSpecifier(): void {
  if (registered) return;
  registered = true;
  // Only the built package can register: Node's hook thread cannot load durasim's TypeScript
  // sources (as when a test runner runs them), and such runners resolve the specifier by alias.
  if (!import.meta.url.endsWith(".js")) return;
  try {
    register(HOOKS_MODULE_URL);
  } catch {
    // Jest, running durasim inside a test file's sandbox (without durasim's preset), refuses
    // hooks: its own loader takes the Worker's import() there, resolving the specifiers by its
    // moduleNameMapper (ESM mode), or refuses import() itself (CommonJS mode: see loader.ts).
    return;
  }
  resolveBuiltinsForRequire();
}

/**
 * require() of a built-in module: through Node's synchronous resolve hooks where Node has them
 * (22.15, 23.5 and later), else by answering the CommonJS resolver's lookup of exactly those
 * names (Node 20), leaving every other lookup to it.
 */
function resolveBuiltinsForRequire(): void {
  const hooks = Module as unknown as {
    registerHooks?: (hooks: { resolve: (specifier: string, context: unknown, next: (specifier: string, context: unknown) => unknown) => unknown }) => void;
    _resolveFilename: (request: string, ...rest: unknown[]) => string;
  };
  if (typeof hooks.registerHooks === "function") {
    hooks.registerHooks({
      resolve: (specifier, context, next) => {
        const url = BUILTIN_MODULE_URLS.get(specifier);
        // No format: Node reads it from the file (durasim's CommonJS build has its own copy of the module).
        return url === undefined ? next(specifier, context) : { url, shortCircuit: true };
      },
    });
    return;
  }
  const paths = new Map([...BUILTIN_MODULE_URLS].map(([specifier, url]) => [specifier, fileURLToPath(url)]));
  const resolveFilename = hooks._resolveFilename;
  hooks._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]): string {
    return paths.get(request) ?? resolveFilename.call(this, request, ...rest);
  };
}

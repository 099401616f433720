import { register } from "node:module";
import { HOOKS_MODULE_URL } from "./workers-specifier-hooks.js";

let registered = false;

/**
 * Lets Worker modules loaded by Node itself (`modulePath`, `node --import durasim/register`)
 * import "cloudflare:workers": a resolve hook maps the specifier to durasim's module. Test
 * runners that transform modules (Vitest, Jest) resolve it through their own alias instead.
 */
export function registerWorkersSpecifier(): void {
  if (registered) return;
  registered = true;
  // Only the built package can register: Node's hook thread cannot load durasim's TypeScript
  // sources (as when a test runner runs them), and such runners resolve the specifier by alias.
  if (!import.meta.url.endsWith(".js")) return;
  register(HOOKS_MODULE_URL);
}

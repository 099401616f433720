import { register } from "node:module";

let registered = false;

/**
 * Lets Worker modules loaded by Node itself (`modulePath`, `node --import durasim/register`)
 * import "cloudflare:workers": a resolve hook maps the specifier to durasim's module. Test
 * runners that transform modules (Vitest, Jest) resolve it through their own alias instead.
 */
export function registerWorkersSpecifier(): void {
  if (registered) return;
  registered = true;
  register(new URL("./workers-specifier-hooks.js", import.meta.url));
}

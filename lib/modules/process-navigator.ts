/**
 * The runtime's `navigator` as the process's global, where the test runners and
 * `durasim/register` put the Workers globals on globalThis. Packages a Worker imports from
 * node_modules tell the Workers runtime apart by `navigator.userAgent === "Cloudflare-Workers"`
 * (hono's getRuntimeKey(), whose env() then reads the Worker's bindings rather than
 * process.env; std-env's isWorkerd), and the binding Worker modules get (worker-scope.ts) does
 * not reach them. Defined, not assigned: Node 21 and newer have a getter-only navigator
 * ("Node.js/<n>"), Node 20 none.
 */
import { navigator } from "../runtime/globals/navigator.js";

export function installRuntimeNavigator(global: object): void {
  Object.defineProperty(global, "navigator", { value: navigator, writable: true, enumerable: true, configurable: true });
}

/**
 * The module rules a test runner applies to the Worker's imports, from its options: the wrangler
 * file's, Miniflare's `modulesRules` and auxiliary Workers' (rules and defaults: modules/module-rules.ts).
 */
import { miniflareModuleRules } from "../config/miniflare-options.js";
import type { WranglerConfig } from "../config/wrangler/translate.js";
import { type CompiledRule, compileModuleRules } from "../modules/module-rules.js";
import type { ResolvedTestOptions } from "./options.js";

/**
 * The module rules, as Cloudflare's plugin orders them: the wrangler file's `rules`, wrangler's
 * defaults, then `miniflare.modulesRules` (whose Text, Data and CompiledWasm rules the defaults
 * have then already ended: they apply only without a wrangler file, before the defaults, which
 * durasim adds there too). An auxiliary Worker's rules apply after them, without defaults.
 */
export function moduleRulesOf(options: ResolvedTestOptions, wrangler: WranglerConfig | undefined): CompiledRule[] {
  const overlay = options.miniflare ?? {};
  const own = miniflareModuleRules(overlay.modulesRules, "miniflare.modulesRules", true);
  const compiled = wrangler === undefined ? compileModuleRules(own) : compileModuleRules(wrangler.rules, { after: own });
  const workers = Array.isArray(overlay.workers) ? (overlay.workers as Array<Record<string, unknown> | null>) : [];
  workers.forEach((worker, index) => {
    const rules = miniflareModuleRules(worker?.modulesRules, `miniflare.workers[${index}].modulesRules`, true);
    compiled.push(...compileModuleRules(rules, { defaults: false }));
  });
  return compiled;
}

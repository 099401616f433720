/**
 * The Jest transform the preset routes files of other kinds than JavaScript, TypeScript and JSON
 * to: a Worker's import of a text, data or WebAssembly file is what wrangler's bundler (and the
 * Vitest plugin) makes of it, by the wrangler file's `rules`, wrangler's defaults (`*.txt`,
 * `*.html`, `*.sql` as text, `*.bin` as an ArrayBuffer, `*.wasm` as a WebAssembly.Module) and
 * `miniflare.modulesRules`, read from the project's `testEnvironmentOptions`. A file no rule
 * covers is passed on unchanged, as Jest would have loaded it. The module is CommonJS unless
 * Jest loads the file as an ES module (its extension in `extensionsToTreatAsEsm`).
 */
import { createHash } from "node:crypto";
import { statSync } from "node:fs";
import { resolve } from "node:path";
import { loadWranglerConfig } from "../../config/wrangler/translate.js";
import { type CompiledRule, compileModuleRules, moduleRuleSource } from "../../modules/module-rules.js";
import { moduleRulesOf } from "../module-rules.js";
import { jestTestOptions } from "./test-options.js";

/** What Jest hands a transform (the parts read here). */
interface TransformOptions {
  config: { rootDir: string; testEnvironmentOptions: Record<string, unknown> };
  supportsStaticESM: boolean;
}

/** Rules by project options and wrangler file version: the file is re-read only when it changes. */
const compiled = new Map<string, { stamp: number; rules: CompiledRule[] }>();

function rulesOf({ rootDir, testEnvironmentOptions }: TransformOptions["config"]): CompiledRule[] {
  const options = jestTestOptions({ ...testEnvironmentOptions }, rootDir);
  if (options === undefined) return compileModuleRules();
  const configPath = options.wrangler?.configPath && resolve(options.root, options.wrangler.configPath);
  const key = JSON.stringify(options);
  const stamp = configPath ? statSync(configPath, { throwIfNoEntry: false })?.mtimeMs ?? -1 : 0;
  const cached = compiled.get(key);
  if (cached !== undefined && cached.stamp === stamp) return cached.rules;
  const wrangler = configPath ? loadWranglerConfig(configPath, { environment: options.wrangler?.environment, moduleRules: true }) : undefined;
  const rules = moduleRulesOf(options, wrangler);
  compiled.set(key, { stamp, rules });
  return rules;
}

export function process(source: string, path: string, options: TransformOptions): { code: string } {
  return { code: moduleRuleSource(path, rulesOf(options.config), options.supportsStaticESM ? "esm" : "cjs") ?? source };
}

/** Jest caches a transform's output by this key: the file, its path, the module format and the rules that apply. */
export function getCacheKey(source: string, path: string, options: TransformOptions): string {
  const rules = rulesOf(options.config).map(({ type, patterns }) => [type, patterns.map(String)]);
  return createHash("sha256").update(JSON.stringify([source, path, options.supportsStaticESM, rules])).digest("hex");
}

export default { process, getCacheKey };

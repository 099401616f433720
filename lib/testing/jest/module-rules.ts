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
import { type CompiledRule, compileModuleRules, moduleRuleSource } from "../../modules/module-rules.js";
import { type ConfigMemo, memoized, wranglerConfigOf } from "../config-memo.js";
import { moduleRulesOf } from "../module-rules.js";
import { jestTestOptions } from "./test-options.js";

/** What Jest hands a transform (the parts read here). */
interface TransformOptions {
  config: { rootDir: string; testEnvironmentOptions: Record<string, unknown> };
  supportsStaticESM: boolean;
}

/** wrangler's defaults alone: the rules without testEnvironmentOptions. */
const DEFAULT_RULES = compileModuleRules();

/** Rules by project options and wrangler file version: the file is re-read only when it changes. */
const compiled: ConfigMemo<CompiledRule[]> = new Map();

function rulesOf({ rootDir, testEnvironmentOptions }: TransformOptions["config"]): CompiledRule[] {
  const options = jestTestOptions(testEnvironmentOptions, rootDir);
  if (options === undefined) return DEFAULT_RULES;
  // This transform applies the rules, as the environment records when the project keeps it:
  // both then read the wrangler file once (config-memo.ts).
  options.moduleRules = true;
  return memoized(compiled, options, (configPath) => moduleRulesOf(options, configPath ? wranglerConfigOf(options, configPath) : undefined));
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

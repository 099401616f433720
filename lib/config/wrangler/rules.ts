/**
 * The wrangler file's `rules`: which files the bundler imports as Text, Data or CompiledWasm
 * modules (or as ESModule or CommonJS). Only a bundler, or a test runner's module system,
 * applies Text, Data and CompiledWasm rules: under the Vitest plugin, Vite does, under the Jest
 * preset its transform does (lib/testing/module-rules.ts); where durasim loads `main` through
 * Node, its module hooks apply wrangler's defaults alone, so a rule that only restates them
 * (drizzle's `{ "type": "Text", "globs": ["**\/*.sql"], "fallthrough": true }`) is taken and any
 * other is refused rather than ignored. ESModule and CommonJS
 * rules change nothing either way: Node, or Vite, loads JavaScript by its own rules.
 */
import { type ModuleRule, restatesDefaults } from "../../modules/module-rules.js";
import { ConfigError } from "../../util/config-error.js";

export type WranglerModuleRule = ModuleRule;

const TYPES = ["Text", "Data", "CompiledWasm", "ESModule", "CommonJS"];
const SHAPE = '{ "type": "Text" | "Data" | "CompiledWasm" | "ESModule" | "CommonJS", "globs": ["**/*.ext"], "fallthrough"?: boolean }';

/** Checks `rules` and returns them; unless the caller `applies` them, a rule only a bundler applies is refused. */
export function checkModuleRules(value: unknown, where: string, path: string, applies: boolean): WranglerModuleRule[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ConfigError(`durasim: "${where}" in ${path} must be an array of ${SHAPE}, got ${JSON.stringify(value)}.`);
  return value.map((rule: unknown, index) => {
    const at = `${where}[${index}]`;
    const entry = rule as Record<string, unknown> | null;
    const bad = (what: string): never => {
      throw new ConfigError(`durasim: "${at}" in ${path} ${what}; a module rule is ${SHAPE}.`);
    };
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) return bad(`is ${JSON.stringify(rule)}`);
    for (const key of Object.keys(entry)) if (!["type", "globs", "fallthrough"].includes(key)) bad(`has an unknown field "${key}"`);
    if (typeof entry.type !== "string" || !TYPES.includes(entry.type)) {
      bad(`has type ${JSON.stringify(entry.type)}, which durasim does not load (Python modules are not emulated)`);
    }
    if (!Array.isArray(entry.globs) || entry.globs.some((glob) => typeof glob !== "string")) bad(`needs "globs", an array of strings`);
    if (entry.fallthrough !== undefined && typeof entry.fallthrough !== "boolean") bad(`has a "fallthrough" that is not a boolean`);
    const checked = { type: entry.type, globs: [...(entry.globs as string[])] } as WranglerModuleRule;
    if (entry.fallthrough !== undefined) checked.fallthrough = entry.fallthrough as boolean;
    if (!applies && checked.type !== "ESModule" && checked.type !== "CommonJS" && !restatesDefaults(checked)) {
      throw new ConfigError(
        `durasim: "${at}" in ${path} is a ${checked.type} module rule, which only a bundler applies, and here durasim loads \`main\` through Node without bundling, so "rules" cannot be honoured beyond wrangler's defaults (*.txt, *.html and *.sql as text, *.bin as data, *.wasm as WebAssembly), which durasim's module hooks apply. ` +
          `Under durasim's Vitest plugin, pass cloudflareTest() its options as an object (not a function) so that Vite applies the rules; under Jest, keep the transform preset "durasim/jest" sets for them; elsewhere remove the rule and read the file another way (or load the bundled Worker with the \`module\` override).`,
      );
    }
    return checked;
  });
}

/**
 * Module rules (the wrangler file's, then Miniflare's `modulesRules` in wrangler's shape), which
 * Cloudflare's integration applies to what Vite loads, and durasim applies to what it loads:
 * Vite under the Vitest plugin, the Jest preset's transform, and, for wrangler's defaults, the
 * module hooks of Worker code Node loads (workers-specifier-hooks.ts). By
 * default an import of a `*.txt`, `*.html` or `*.sql` file is its text, of a `*.bin` file its
 * bytes (an ArrayBuffer), of a `*.wasm` file (also as `*.wasm?module`) a compiled
 * WebAssembly.Module, as when wrangler bundles the Worker. The wrangler file's `rules` come
 * first; as in wrangler (deployment-bundle/rules.ts), a rule without `fallthrough: true` ends
 * its type, so the rules of that type after it, the defaults included, no longer apply.
 * ESModule and CommonJS rules change nothing here (Vite loads JavaScript itself), as wrangler's
 * module collector skips them. Any other query (`?raw`, `?url`, `?init`) stays Vite's, and a
 * name that only contains such an extension (`add.wasm.test.ts`) is not matched.
 */
import { readFileSync } from "node:fs";

/** A module rule in the wrangler file's shape (Miniflare's `modulesRules` translate to it). */
export interface ModuleRule {
  type: "Text" | "Data" | "CompiledWasm" | "ESModule" | "CommonJS";
  globs: string[];
  fallthrough?: boolean;
}

const DEFAULT_RULES: readonly ModuleRule[] = [
  { type: "Text", globs: ["**/*.txt", "**/*.html", "**/*.sql"] },
  { type: "Data", globs: ["**/*.bin"] },
  { type: "CompiledWasm", globs: ["**/*.wasm", "**/*.wasm?module"] },
];

export interface CompiledRule {
  type: "Text" | "Data" | "CompiledWasm";
  patterns: RegExp[];
}

/**
 * The rules that apply, in order: `rules`, then the defaults they leave (`defaults: false`
 * leaves them out), then `after` (Cloudflare's plugin puts the `miniflare` option's
 * `modulesRules` after the wrangler file's rules and wrangler's defaults, where the defaults
 * have already ended Text, Data and CompiledWasm).
 */
export function compileModuleRules(
  rules: readonly ModuleRule[] = [],
  { after = [], defaults = true }: { after?: readonly ModuleRule[]; defaults?: boolean } = {},
): CompiledRule[] {
  const ended = new Set<string>();
  const kept: ModuleRule[] = [];
  for (const rule of [...rules, ...(defaults ? DEFAULT_RULES : []), ...after]) {
    if (ended.has(rule.type)) continue;
    kept.push(rule);
    if (rule.fallthrough !== true) ended.add(rule.type);
  }
  return kept
    .filter((rule): rule is ModuleRule & { type: CompiledRule["type"] } => rule.type === "Text" || rule.type === "Data" || rule.type === "CompiledWasm")
    .map((rule) => ({ type: rule.type, patterns: rule.globs.map(globPattern) }));
}

/**
 * A glob as wrangler's rules read it (`**` any directories, `*` any characters but `/`, every
 * other character itself, `?` included, as in `*.wasm?module`), matched against the end of a
 * path at a directory boundary.
 */
function globPattern(glob: string): RegExp {
  let source = "";
  for (let at = 0; at < glob.length; at++) {
    if (glob.startsWith("**/", at)) {
      source += "(?:.*/)?";
      at += 2;
    } else if (glob.startsWith("**", at)) {
      source += ".*";
      at += 1;
    } else if (glob[at] === "*") source += "[^/]*";
    else source += glob[at]!.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`(?:^|/)${source.replace(/^\//, "")}$`);
}

const DEFAULTS = compileModuleRules();

/**
 * Whether a rule only says again what wrangler's defaults say: each glob one the defaults give
 * its type, and it ends no default of that type (`fallthrough: true`, or every default glob).
 */
export function restatesDefaults(rule: ModuleRule): boolean {
  if (!withinDefaults(rule)) return false;
  return rule.fallthrough === true || defaultGlobs(rule.type).every((glob) => rule.globs.includes(glob));
}

/**
 * Whether every file a rule names is one wrangler's defaults already give its type. Miniflare's
 * `modulesRules` have no defaults to end, so where the defaults apply anyway (durasim's module
 * hooks) such a rule, a Text rule for the `*.txt` files say, is honoured as it is.
 */
export function withinDefaults(rule: Pick<ModuleRule, "type" | "globs">): boolean {
  const defaults = defaultGlobs(rule.type);
  return rule.globs.every((glob) => defaults.includes(glob));
}

function defaultGlobs(type: ModuleRule["type"]): readonly string[] {
  return DEFAULT_RULES.find((candidate) => candidate.type === type)?.globs ?? [];
}

/**
 * The module a rule makes of `id` (a resolved path, with Vite's query), as an ES module or a
 * CommonJS one, or undefined when no rule applies (wrangler's defaults without `rules`). The
 * file is read when the module runs.
 */
export function moduleRuleSource(id: string, rules: readonly CompiledRule[] = DEFAULTS, format: "esm" | "cjs" = "esm"): string | undefined {
  const normalized = id.replaceAll("\\", "/");
  const rule = rules.find((candidate) => candidate.patterns.some((pattern) => pattern.test(normalized)));
  if (rule === undefined) return undefined;
  const queryAt = id.indexOf("?");
  const path = queryAt === -1 ? id : id.slice(0, queryAt);
  const exported = (value: string) => (format === "esm" ? `export default ${value};` : `module.exports = ${value};`);
  if (rule.type === "Text") return exported(JSON.stringify(readFileSync(path, "utf8")));
  const fs = format === "esm" ? `import { readFileSync } from "node:fs";` : `const { readFileSync } = require("node:fs");`;
  const read = `${fs}\nconst bytes = readFileSync(${JSON.stringify(path)});\n`;
  if (rule.type === "Data") return read + exported("bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)");
  // The prototype's constructor is the engine's own Module: Worker code's `WebAssembly.Module`
  // refuses bytes while an event runs (runtime/globals/web-assembly.ts), as the runtime's does,
  // but a module the runtime compiled up front may still be imported in one.
  return read + exported("new WebAssembly.Module.prototype.constructor(bytes)");
}

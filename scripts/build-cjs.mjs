// The CommonJS build: every "require" target of package.json's exports map, made from the ESM
// build in dist/ (run after tsc). One file per module, as in dist/, so `import.meta.url`
// (rewritten to the CommonJS file's own URL) still names the module it is written in, and
// the declaration files beside each module type-check for CommonJS consumers as they are.
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "rolldown";
import { BUILTIN_MODULE_NAMES } from "../dist/modules/builtin-modules.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
const out = join(dist, "cjs");
const pkg = JSON.parse((await import("node:fs")).readFileSync(join(root, "package.json"), "utf8"));

/** dist-relative entry names of the exports map's CommonJS targets (./dist/cjs/X.js -> X). */
const entries = Object.values(pkg.exports)
  .map((target) => (typeof target === "object" ? target.require?.default : undefined))
  .filter((path) => typeof path === "string" && path.startsWith("./dist/cjs/"))
  .map((path) => path.slice("./dist/cjs/".length, -".js".length))
  // Node's module.register() loads the resolve hook by URL: an entry, so its exports stay.
  .concat("modules/workers-specifier-hooks")
  // The Jest preset maps the runtime's built-in modules other than cloudflare:workers to these.
  .concat(BUILTIN_MODULE_NAMES.filter((name) => name !== "workers").map((name) => `modules/${name}`));

const external = new Set([...Object.keys(pkg.dependencies ?? {}), ...builtinModules]);
rmSync(out, { recursive: true, force: true });
await build({
  cwd: root,
  input: Object.fromEntries(entries.map((entry) => [entry, join(dist, `${entry}.js`)])),
  platform: "node",
  external: (id) => id.startsWith("node:") || external.has(id) || external.has(id.split("/").slice(0, id.startsWith("@") ? 2 : 1).join("/")),
  // A default export stays `exports.default` beside the named ones, flagged `__esModule`, which
  // Jest's and TypeScript's interop read as the default (the Jest preset's module has both).
  output: { dir: out, format: "cjs", exports: "named", preserveModules: true, preserveModulesRoot: dist, entryFileNames: "[name].js", sourcemap: true },
});
// Node and TypeScript read the .js and .d.ts files under dist/cjs as CommonJS.
writeFileSync(join(out, "package.json"), `${JSON.stringify({ type: "commonjs" })}\n`);
(function copyDeclarations(dir) {
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, name.name);
    if (name.isDirectory()) {
      if (path !== out) copyDeclarations(path);
    } else if (name.name.endsWith(".d.ts")) {
      const target = join(out, relative(dist, path));
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(path, target);
    }
  }
})(dist);

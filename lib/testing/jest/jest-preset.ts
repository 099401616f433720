/**
 * The Jest preset `preset: "durasim/jest"`: durasim's environment, its setup file, the module
 * names Worker code and tests import, mapped to the environment's copy of durasim, and the
 * module rules' transform for files that are not code. A preset's `transform` replaces Jest's
 * default one when the project gives none, so the preset names that default too (babel-jest
 * for JavaScript and TypeScript); a project's own entries come first.
 */
import * as vm from "node:vm";
import { BUILTIN_MODULE_NAMES } from "../../modules/builtin-modules.js";
import { esModuleBuildFile } from "../es-module-build.js";

/**
 * The preset's files, of the ES module build whichever build this module is: Jest require()s
 * the preset, which is the CommonJS build (see package.json's "./jest/jest-preset"), while an
 * ES module config imports `durasim/jest` as an ES module.
 */
const here = (path: string) => esModuleBuildFile(`testing/jest/${path}`);
const workers = here("shims/workers.cjs");
const test = here("shims/test.cjs");
/**
 * The runtime's other built-in modules hold no state the runtime shares: Jest evaluates their
 * CommonJS build in the test file's realm, so a NonRetryableError is an instance of its Error.
 */
const builtins = Object.fromEntries(
  BUILTIN_MODULE_NAMES.filter((name) => name !== "workers").map((name) => [`^cloudflare:${name}$`, esModuleBuildFile(`cjs/modules/${name}.js`)]),
);

/** For a jest.config that reads a D1 migrations directory into a binding, as a vitest.config does (`durasim/vitest`). */
export { type D1Migration, readD1Migrations } from "../d1-migrations.js";

/** The module rules' transform (module-rules.ts); the environment checks that the project kept it. */
export const MODULE_RULES_TRANSFORM = here("module-rules.js");

/** Jest runs ES modules only when Node's VM modules are on (`--experimental-vm-modules`). */
const esm = typeof (vm as { SourceTextModule?: unknown }).SourceTextModule === "function";

export default {
  testEnvironment: here("environment.js"),
  setupFilesAfterEnv: [here(esm ? "setup-esm.mjs" : "setup.cjs")],
  moduleNameMapper: {
    "^cloudflare:workers$": workers,
    "^cloudflare:test$": test,
    ...builtins,
    "^durasim/workers$": workers,
    "^durasim/test$": test,
    "^durasim$": here("shims/durasim.cjs"),
    "^durasim/miniflare$": here("shims/miniflare.cjs"),
  },
  transform: {
    // Any extension but JavaScript's, TypeScript's, JSON's and native addons'.
    "\\.(?![cm]?[jt]sx?$|json$|node$)[^./\\\\]+$": MODULE_RULES_TRANSFORM,
    "\\.[jt]sx?$": "babel-jest",
  },
};

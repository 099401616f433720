/**
 * The test options of a Jest project using durasim's preset: `testEnvironmentOptions` (the
 * Vitest plugin's options), less the options of Jest's own node environment; with none that
 * describe a Worker, the wrangler file in the project's root. Read alike by the environment
 * (the emulator of each test file) and by the module-rules transform (what Worker imports are).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { WRANGLER_FILE_NAMES } from "../../config/wrangler/read.js";
import { refuseUnknownOptions, type ResolvedTestOptions, resolveTestOptions } from "../options.js";

/** Options of Jest's own node environment, which may sit beside durasim's. */
const NODE_ENVIRONMENT_OPTIONS = ["customExportConditions", "globalsCleanup"];

/** The project's options, or undefined when nothing describes a Worker. */
export function jestTestOptions(testEnvironmentOptions: Record<string, unknown>, rootDir: string): ResolvedTestOptions | undefined {
  const given = Object.fromEntries(Object.entries(testEnvironmentOptions).filter(([key]) => !NODE_ENVIRONMENT_OPTIONS.includes(key)));
  if (given.main === undefined && given.wrangler === undefined && given.miniflare === undefined) {
    const file = WRANGLER_FILE_NAMES.find((name) => existsSync(join(rootDir, name)));
    if (file === undefined) {
      // No Worker, so no emulator: still, a misplaced option (`configPath` beside, not inside,
      // `wrangler`) is named rather than ignored, which would leave the tests without their Worker.
      refuseUnknownOptions(given, WHERE);
      return undefined;
    }
    given.wrangler = { configPath: file };
  }
  return resolveTestOptions(given, rootDir, WHERE);
}

const WHERE = "durasim/jest (testEnvironmentOptions)";

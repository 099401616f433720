/**
 * What a test integration makes of its options and the wrangler file they name, kept per
 * process and made again only when the options differ or the file changed (its mtime): a Jest
 * worker's environment and its module-rules transform, or the Vitest plugin's files, share one
 * reading of the file.
 */
import { statSync } from "node:fs";
import { resolve } from "node:path";
import { loadWranglerConfig, type WranglerConfig } from "../config/wrangler/translate.js";
import type { ResolvedTestOptions } from "./options.js";

/** Values by options (as JSON), each with the stamp of the wrangler file it was made from. */
export type ConfigMemo<T> = Map<string, { stamp: number; value: T }>;

/** The value `memo` holds for `options` and the wrangler file as it is now, made by `make` when it has none. */
export function memoized<T>(memo: ConfigMemo<T>, options: Pick<ResolvedTestOptions, "root"> & Partial<ResolvedTestOptions>, make: (configPath: string | undefined) => T): T {
  const configPath = options.wrangler?.configPath && resolve(options.root, options.wrangler.configPath);
  const key = JSON.stringify(options);
  const stamp = configPath ? statSync(configPath, { throwIfNoEntry: false })?.mtimeMs ?? -1 : 0;
  const cached = memo.get(key);
  if (cached !== undefined && cached.stamp === stamp) return cached.value;
  const value = make(configPath);
  memo.set(key, { stamp, value });
  return value;
}

const wranglerFiles: ConfigMemo<WranglerConfig> = new Map();

/**
 * The wrangler file at `configPath`, as `options` read it (its environment; bundled; module rules
 * applied). Bindings of products durasim does not emulate are listed for stand-ins
 * (../unemulated-binding.ts), not refused: a test runner runs the suite.
 */
export function wranglerConfigOf(options: ResolvedTestOptions, configPath: string): WranglerConfig {
  const { root, wrangler, bundled, moduleRules, warned } = options;
  return memoized(wranglerFiles, { root, wrangler, bundled, moduleRules }, () =>
    loadWranglerConfig(configPath, { environment: wrangler?.environment, bundler: bundled === true, moduleRules: moduleRules === true, standIns: true, warn: warned !== true }),
  );
}

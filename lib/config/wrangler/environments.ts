/**
 * Selects a wrangler environment (`env.<name>`) with wrangler's inheritance rules:
 * - inheritable keys (main, compatibility_date/flags, migrations, exports, ...) fall back to
 *   the top level;
 * - bindings and vars are not inherited: an environment without them has none;
 * - `name` becomes `<top-level name>-<environment>` unless the environment sets its own.
 * Without an environment the top level is used as it is.
 */
import { ConfigError } from "../../util/config-error.js";
import { INHERITABLE_KEYS, NON_INHERITABLE_KEYS, TOP_LEVEL_ONLY_KEYS } from "./keys.js";

const ENVIRONMENT_KEYS: readonly string[] = [...INHERITABLE_KEYS, ...NON_INHERITABLE_KEYS];

/** The configuration one Worker runs with: the top level merged with the selected environment. */
export function selectEnvironment(raw: Record<string, unknown>, environment: string | undefined, file: string): Record<string, unknown> {
  if (raw.legacy_env === false) {
    throw new ConfigError(
      `durasim: ${file} sets "legacy_env": false (service environments, a beta wrangler dropped); durasim supports wrangler's standard environments only. Remove "legacy_env".`,
    );
  }
  if (environment === undefined) return { ...raw };
  const environments = raw.env ?? {};
  if (typeof environments !== "object" || environments === null || Array.isArray(environments)) {
    throw new ConfigError(`durasim: "env" in ${file} must be an object of environments, got ${JSON.stringify(environments)}.`);
  }
  const names = Object.keys(environments);
  const section = (environments as Record<string, unknown>)[environment];
  if (section === undefined && names.length > 0) {
    throw new ConfigError(
      `durasim: No environment found in configuration with name "${environment}" (${file}). ` +
        `The available configured environment names are: ${JSON.stringify(names)}. Add an [env.${environment}] section or pick one of them.`,
    );
  }
  // Like wrangler, naming an environment a file does not define keeps the top level (renamed).
  const own = (section ?? raw) as Record<string, unknown>;
  if (typeof own !== "object" || own === null || Array.isArray(own)) {
    throw new ConfigError(`durasim: "env.${environment}" in ${file} must be an object, got ${JSON.stringify(own)}.`);
  }
  if (section !== undefined) {
    for (const key of Object.keys(own)) {
      if ((TOP_LEVEL_ONLY_KEYS as readonly string[]).includes(key)) {
        throw new ConfigError(`durasim: "env.${environment}.${key}" is not allowed: "${key}" can only be set at the top level of ${file}.`);
      }
      if (!ENVIRONMENT_KEYS.includes(key)) {
        throw new ConfigError(`durasim: unknown key "env.${environment}.${key}" in ${file}. Remove it or fix its spelling.`);
      }
    }
  }
  const selected: Record<string, unknown> = {};
  for (const key of TOP_LEVEL_ONLY_KEYS) if (raw[key] !== undefined) selected[key] = raw[key];
  for (const key of INHERITABLE_KEYS) {
    const value = section === undefined ? undefined : own[key];
    if (value !== undefined) selected[key] = value;
    else if (key === "name") {
      if (typeof raw.name === "string" && raw.name !== "") selected.name = `${raw.name}-${environment}`;
    } else if (raw[key] !== undefined) selected[key] = raw[key];
  }
  for (const key of NON_INHERITABLE_KEYS) if (own[key] !== undefined) selected[key] = own[key];
  // Keys wrangler does not know stay visible, so the translator can refuse them by name.
  for (const key of Object.keys(raw)) if (!(key in selected) && !ENVIRONMENT_KEYS.includes(key) && !(TOP_LEVEL_ONLY_KEYS as readonly string[]).includes(key)) selected[key] = raw[key];
  return selected;
}

/**
 * Selects a wrangler environment (`env.<name>`) with wrangler's inheritance rules:
 * - inheritable keys (main, compatibility_date/flags, migrations, exports, ...) fall back to
 *   the top level;
 * - bindings and vars are not inherited: an environment without them has none;
 * - `name` becomes `<top-level name>-<environment>` unless the environment sets its own.
 * Without an environment the top level is used as it is.
 */
import { ConfigError, describeConfigValue } from "../../util/config-error.js";
import { setOwn } from "../../util/own-property.js";
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
  if (typeof environment !== "string") {
    throw new ConfigError(`durasim: option "environment" must name an environment of ${file} (a string, as in [env.<name>]), got ${describeConfigValue(environment)}.`);
  }
  const environments = raw.env ?? {};
  if (typeof environments !== "object" || environments === null || Array.isArray(environments)) {
    throw new ConfigError(`durasim: "env" in ${file} must be an object of environments, got ${JSON.stringify(environments)}.`);
  }
  const names = Object.keys(environments);
  // Own sections only: an environment named "toString" or "__proto__" is not inherited from Object.prototype.
  const section = Object.hasOwn(environments, environment) ? (environments as Record<string, unknown>)[environment] : undefined;
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
  const select = (key: string, value: unknown) => setOwn(selected, key, value);
  for (const key of TOP_LEVEL_ONLY_KEYS) if (raw[key] !== undefined) select(key, raw[key]);
  for (const key of INHERITABLE_KEYS) {
    const value = section === undefined ? undefined : own[key];
    if (value !== undefined) select(key, value);
    else if (key === "name") {
      if (typeof raw.name === "string" && raw.name !== "") select("name", `${raw.name}-${environment}`);
    } else if (raw[key] !== undefined) select(key, raw[key]);
  }
  for (const key of NON_INHERITABLE_KEYS) if (own[key] !== undefined) select(key, own[key]);
  // Keys wrangler does not know stay visible (a "__proto__" key too), so the translator can refuse them by name.
  for (const key of Object.keys(raw)) if (!Object.hasOwn(selected, key) && !ENVIRONMENT_KEYS.includes(key) && !(TOP_LEVEL_ONLY_KEYS as readonly string[]).includes(key)) select(key, raw[key]);
  return selected;
}

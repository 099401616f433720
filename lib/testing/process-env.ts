/**
 * `process.env` as workerd fills it for the main Worker: with nodejs_compat, from 2025-04-01 or
 * with nodejs_compat_populate_process_env (never with nodejs_compat_do_not_populate_process_env),
 * it holds the Worker's text and JSON bindings, vars and secrets, as strings: a string as it is,
 * any other JSON value as its JSON text; other bindings (namespaces, buckets, services,
 * version metadata, stand-ins) are not there. Alchemy resources count as the emulator sorts
 * them: a secret as its text, a JSON resource as its value. Under
 * Cloudflare's integration the tests run in the main Worker's global scope, so they see it too.
 * Worker code here shares the test process's `process`: its entries are laid over Node's while
 * a test file runs, and put back after it.
 *
 * Invariant: restoring leaves every entry the file's installation touched as it was before it.
 */
import type { EmulatorOptions } from "../config/options.js";
import { sortAlchemyBindings } from "../config/alchemy.js";
import { isJsonData } from "../config/json-bindings.js";
import { isMadeBinding } from "../config/made-bindings.js";

/** From this date nodejs_compat implies populate_process_env (workerd's compatibility-date.capnp). */
const POPULATED_SINCE = "2025-04-01";

/** The entries workerd would give the main Worker's `process.env` (none when it gives none). */
export function workerProcessEnv(options: EmulatorOptions): Record<string, string> {
  const flags = new Set(options.compatibilityFlags ?? []);
  if (!flags.has("nodejs_compat") && !flags.has("nodejs_compat_v2")) return {};
  if (flags.has("nodejs_compat_do_not_populate_process_env")) return {};
  const byDate = options.compatibilityDate === undefined || options.compatibilityDate >= POPULATED_SINCE;
  if (!byDate && !flags.has("nodejs_compat_populate_process_env")) return {};
  const entries: Record<string, string> = {};
  const { bindings = {} } = sortAlchemyBindings(options.bindings ?? {}, options.name ?? "worker");
  for (const [name, value] of Object.entries(bindings)) {
    if (typeof value === "string") entries[name] = value;
    else if (!isMadeBinding(value) && isJsonData(value)) entries[name] = JSON.stringify(value);
  }
  return entries;
}

/** Lays `entries` over `env` (a process's environment); the function returned puts back what was there. */
export function layProcessEnv(env: Record<string, string | undefined>, entries: Record<string, string>): () => void {
  const before = Object.keys(entries).map((name) => [name, Object.hasOwn(env, name) ? env[name] : undefined] as const);
  Object.assign(env, entries);
  return () => {
    for (const [name, value] of before) {
      if (value === undefined) delete env[name];
      else env[name] = value;
    }
  };
}

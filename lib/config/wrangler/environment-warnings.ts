/**
 * wrangler's warnings for an environment that leaves out what it does not inherit: a binding
 * table (or `vars`) set at the top level and not in `env.<name>` is simply absent there, which
 * is rarely what the author meant. wrangler prints these as it reads the file (and so does
 * Cloudflare's Vitest integration, which reads it through wrangler); durasim prints the same
 * words, once per process (and once per run under the Vitest plugin, whose workers leave them to
 * its main process: translate.ts's `warn`), since a Worker missing a binding otherwise fails far
 * from the cause (`env.BOARDS` undefined in a test).
 */
import { NON_INHERITABLE_KEYS } from "./keys.js";

/** wrangler's warnings for selecting `environment` of `raw` (none when it defines no such section). */
export function environmentWarnings(raw: Record<string, unknown>, environment: string | undefined): string[] {
  const environments = raw.env as Record<string, unknown> | undefined;
  if (environment === undefined || typeof environments !== "object" || environments === null || !Object.hasOwn(environments, environment)) return [];
  const section = environments[environment] as Record<string, unknown>;
  if (typeof section !== "object" || section === null) return [];
  const at = `env.${environment}`;
  const warnings: string[] = [];
  for (const key of NON_INHERITABLE_KEYS) {
    if (raw[key] === undefined || section[key] !== undefined) continue;
    warnings.push(
      `"${key}" exists at the top level, but not on "${at}".\n` +
        `This is not what you probably want, since "${key}" is not inherited by environments.\n` +
        `Please add "${key}" to "${at}".`,
    );
  }
  const topVars = raw.vars;
  const ownVars = section.vars;
  if (isTable(topVars) && isTable(ownVars)) {
    for (const name of Object.keys(topVars)) {
      if (Object.hasOwn(ownVars, name)) continue;
      warnings.push(
        `"vars.${name}" exists at the top level, but not on "${at}.vars".\n` +
          `This is not what you probably want, since "vars" configuration is not inherited by environments.\n` +
          `Please add "vars.${name}" to "${at}".`,
      );
    }
  }
  return warnings;
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const printed = new Set<string>();

/** Prints `warnings` of the file at `path` as wrangler lays them out, unless this process printed the same already. */
export function printEnvironmentWarnings(path: string, environment: string, warnings: string[]): void {
  if (warnings.length === 0) return;
  const indent = (text: string, spaces: string) => text.split("\n").join(`\n${spaces}`);
  const text = `Processing ${path} configuration:\n  - "env.${environment}" environment configuration\n${warnings.map((warning) => `    - ${indent(warning, "      ")}`).join("\n")}`;
  if (printed.has(text)) return;
  printed.add(text);
  console.warn(text);
}

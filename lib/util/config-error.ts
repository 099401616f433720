/**
 * The error for bad configuration: its message names the option, the value and the fix. Every
 * layer that can find a configuration mistake (option checks, a Worker module that lacks the
 * class a binding names) throws this one class, so it lives below all of them.
 */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * Configuration workerd itself refuses as it starts (compatibility dates and flags, a binding to
 * a service not defined), where the other ConfigErrors are a front door's own checks: Miniflare's
 * front door reports it as Miniflare reports workerd failing to start.
 */
export class StartupRefusal extends ConfigError {}

/**
 * A value as a configuration error quotes it: JSON (strings quoted, objects and lists as
 * written), except where JSON would misquote it: NaN and Infinity are not `null`, a bigint is
 * not an exception, a function has its name.
 */
export function describeConfigValue(value: unknown): string {
  if (typeof value === "function") return `function ${value.name || "(anonymous)"}`;
  if (typeof value === "symbol") return value.toString();
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

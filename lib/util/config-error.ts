/**
 * The error for bad configuration: its message names the option, the value and the fix. Every
 * layer that can find a configuration mistake (option checks, a Worker module that lacks the
 * class a binding names) throws this one class, so it lives below all of them.
 */
export class ConfigError extends Error {
  override name = "ConfigError";
}

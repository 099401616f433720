/**
 * Miniflare's `kCurrentWorker`: a service binding to the Worker that declares it. durasim exports
 * its own symbol, made as Miniflare makes it, and knows one by its description, so the symbol a
 * test still imports from `miniflare` (a different symbol, with the same description) binds too.
 */
const DESCRIPTION = "miniflare.kCurrentWorker";

export const kCurrentWorker: unique symbol = Symbol(DESCRIPTION);

export function isCurrentWorker(value: unknown): value is symbol {
  return typeof value === "symbol" && value.description === DESCRIPTION;
}

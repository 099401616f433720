/**
 * A value that every copy of durasim loaded in one process shares.
 *
 * One process can hold more than one copy of durasim's modules: the ES module build beside the
 * CommonJS one (the Jest preset loads both), or two Vite module graphs in one Vitest worker.
 * Registries that must see each other's entries (timers, fake clocks, the current env, the
 * runtime's own proxies...) would split silently if each copy made its own. So each lives on
 * globalThis under a `Symbol.for` key, which every copy resolves to the same symbol: the first
 * copy to ask makes the value, and every later one gets that same value.
 */
export function processShared<T>(name: string, make: () => T): T {
  const slots = globalThis as Record<symbol, unknown>;
  return (slots[Symbol.for(`durasim.${name}`)] ??= make()) as T;
}

/**
 * Which hosted Durable Object class a value names when a facet's startup options give it as
 * `class`: a Worker's `exports.<Class>` (its loopback namespace) or what calling that returns
 * (a DurableObjectClass). entrypoints/loopback.ts makes both and records them here; the
 * facets of ctx (object/facets.ts) read them. A registry of its own, with no imports, so that
 * neither module has to load the other.
 */
const classNames = new WeakMap<object, string>();

export function registerFacetClass(value: object, className: string): void {
  classNames.set(value, className);
}

/** The class a facet's `class` option names, or undefined when it names none. */
export function facetClassName(value: unknown): string | undefined {
  return (typeof value === "object" || typeof value === "function") && value !== null ? classNames.get(value) : undefined;
}

/**
 * Which Durable Object class a value names when a facet's startup options give it as `class`:
 * a Worker's `exports.<Class>` (a loopback namespace, or a LoopbackDurableObjectClass for a class
 * no namespace hosts) or what calling that returns (a DurableObjectClass). entrypoints/loopback.ts makes both and records them here; the
 * facets of ctx (facets.ts) read them. A registry of its own, with no imports, so that
 * neither module has to load the other.
 */
export interface FacetClass {
  readonly className: string;
  /** What the facet's `ctx.props` shows (a DurableObjectClass's; none for a bare binding). */
  readonly props: Record<string, unknown> | undefined;
}

const classes = new WeakMap<object, FacetClass>();

export function registerFacetClass(value: object, facetClass: FacetClass): void {
  classes.set(value, facetClass);
}

/** The class a facet's `class` option names, or undefined when it names none. */
export function facetClassOf(value: unknown): FacetClass | undefined {
  return (typeof value === "object" || typeof value === "function") && value !== null ? classes.get(value) : undefined;
}

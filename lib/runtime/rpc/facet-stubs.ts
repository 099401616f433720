/**
 * The stubs ctx.facets.get() made: the runtime refuses to send one over RPC (only the parent
 * reaches its facets), with a DataCloneError of its own wording. Marked here, apart from stub.ts,
 * so that serialize.ts can tell them without importing the stubs.
 */
const facetStubs = new WeakSet<object>();

export const FACET_STUB_REFUSAL = "Stubs pointing to Durable Object facets are not serializable.";

export function markFacetStub<T extends object>(stub: T): T {
  facetStubs.add(stub);
  return stub;
}

export function isFacetStub(value: object): boolean {
  return facetStubs.has(value);
}

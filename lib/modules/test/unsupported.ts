/**
 * Names `cloudflare:test` exports for products durasim does not emulate. They exist so that a
 * ported suite still loads (an import of a missing name would fail the whole file); using one
 * throws an error that says why and what to do instead.
 */

export function unsupported(name: string, product: string): (...args: unknown[]) => never {
  return () => {
    throw new Error(`durasim: ${name}() is not available: durasim does not emulate ${product}.`);
  };
}

export const applyD1Migrations = unsupported("applyD1Migrations", "D1");
export const introspectWorkflowInstance = unsupported("introspectWorkflowInstance", "Workflows");
export const introspectWorkflow = unsupported("introspectWorkflow", "Workflows");
export const createPagesEventContext = unsupported("createPagesEventContext", "Pages Functions");
export const adminSecretsStore = unsupported("adminSecretsStore", "Secrets Store bindings (a secret is a plain string in env)");

/**
 * Cloudflare's integration dropped `fetchMock` (an undici MockAgent) in 0.13. Worker code runs
 * in the test's own process here, so the test runner's own mocks of `fetch` reach it.
 */
export const fetchMock: object = new Proxy(
  {},
  {
    get(_target, prop) {
      if (typeof prop === "symbol" || prop === "then") return undefined;
      throw new Error(
        `durasim: fetchMock.${prop} is not available (Cloudflare's integration removed fetchMock in 0.13). ` +
          'Worker code runs in the test\'s process: mock fetch with vi.spyOn(globalThis, "fetch"), jest.spyOn, or MSW.',
      );
    },
  },
);

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

export const introspectWorkflowInstance = unsupported("introspectWorkflowInstance", "Workflows");
export const introspectWorkflow = unsupported("introspectWorkflow", "Workflows");
export const adminSecretsStore = unsupported("adminSecretsStore", "Secrets Store bindings (a secret is a plain string in env)");

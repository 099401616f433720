/**
 * The `cloudflare:durable-objects` module. `retryable(...methods)` marks Durable Object methods
 * as safe to run more than once, so the runtime may retry a call to one after a disconnect that
 * could have come after the method started. durasim's calls never disconnect, so the mark changes
 * nothing here; the runtime's argument check is kept (every argument must be a function). The
 * module also exports `onHibernate`, the key of a hibernation hook, which the runtime leaves
 * undefined unless a compatibility flag (not at today's dates) enables the hook.
 */
export function retryable(...methods: unknown[]): void {
  if (!methods.every((method) => typeof method === "function")) throw new TypeError("retryable() accepts only functions.");
}

export const onHibernate: undefined = undefined;

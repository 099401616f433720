/**
 * The `cloudflare:workflows` module: `NonRetryableError`, which a Workflow step throws to fail
 * without retries. durasim runs no Workflows, but code that defines one (or a library beside
 * it) imports this module as it loads. Shaped as the runtime's (conformance scenario
 * "modules: NonRetryableError"): an Error whose `name` is own, "NonRetryableError" unless the
 * second argument names it otherwise.
 */
export class NonRetryableError extends Error {
  constructor(message?: string, name = "NonRetryableError") {
    super(message);
    this.name = name;
  }
}

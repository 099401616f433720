/**
 * The undici dispatcher Node's fetch() sends outbound requests through, when a test set one
 * (cloudflare:test's fetchMock, an undici MockAgent: modules/test/fetch-mock.ts). The global
 * fetch() of Worker code, object code and tests (host-apis.ts) passes it as Node's `dispatcher`
 * after the runtime's own conversion of the request, which keeps only the Workers' members.
 * A request the dispatcher refuses rejects with the dispatcher's own error (undici's
 * MockNotMatchedError, say), not Node's `TypeError: fetch failed` around it: that is what the
 * Worker saw under Cloudflare's integration, whose fetch() went to the MockAgent directly.
 */
interface Registry {
  pick?: () => object | undefined;
}

// On globalThis under a registered symbol: the copy of durasim the tests import (the Jest
// preset's) and the one whose fetch() Worker code calls must agree.
const KEY = Symbol.for("durasim.outboundDispatcher");
const registry = ((globalThis as Record<symbol, unknown>)[KEY] ??= {}) as Registry;

/** Makes fetch() ask `current` for the dispatcher of each request (undefined: Node's default). */
export function setOutboundDispatcher(current: () => object | undefined): void {
  registry.pick = current;
}

/** Calls Node's fetch (`original`) with the current dispatcher, if any. */
export function fetchThroughDispatcher(original: Function, input: unknown, init: unknown): Promise<unknown> {
  const dispatcher = registry.pick?.();
  if (dispatcher === undefined) return Reflect.apply(original, globalThis, init === undefined ? [input] : [input, init]) as Promise<unknown>;
  const sent = Reflect.apply(original, globalThis, [input, { ...(init as object | undefined), dispatcher }]) as Promise<unknown>;
  return sent.catch((error: unknown) => {
    const cause = (error as { cause?: unknown } | null)?.cause;
    throw cause instanceof Error && cause.name === "MockNotMatchedError" ? cause : error;
  });
}

/**
 * `waitUntil()`'s argument as the runtime takes it, a Web IDL Promise: a promise made of it at
 * once, which reads a thenable's `then` now (a getter that throws rejects it) and calls it a
 * microtask later. Its rejection is kept from surfacing as an unhandled one (the runtime only
 * logs it).
 */
export function waitUntilPromise(value: unknown): Promise<unknown> {
  const promise = Promise.resolve(value);
  promise.catch(() => undefined);
  return promise;
}

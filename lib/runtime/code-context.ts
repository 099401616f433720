import { AsyncLocalStorage, AsyncResource } from "node:async_hooks";

/**
 * Whether the code running now is Durable Object code: an event's handler, the constructor, a
 * blockConcurrencyWhile callback, or anything they set off (continuations after `await`, timer
 * callbacks, waitUntil work). A call such code makes to an object is delivered, and answered,
 * in a later turn, as I/O is, so awaiting it releases the caller's input gate; a call from
 * anywhere else (a test, a Worker's fetch handler) goes straight into the callee's queue, so
 * concurrent outside callers are served in the order they called.
 *
 * The flag travels with async context. Every event enters one AsyncResource made inside the
 * flagged context, which switches context without allocating (AsyncLocalStorage.run would
 * copy the context on every event). The pair lives on globalThis under a registered symbol, so
 * two loaded copies of durasim agree on what object code is.
 */
interface ObjectCodeContext {
  storage: AsyncLocalStorage<true>;
  scope: AsyncResource;
}

const KEY = Symbol.for("durasim.objectCodeContext");
const context: ObjectCodeContext = ((globalThis as Record<symbol, unknown>)[KEY] ??= (() => {
  const storage = new AsyncLocalStorage<true>();
  return { storage, scope: storage.run(true, () => new AsyncResource("durasim.objectCode")) };
})()) as ObjectCodeContext;

/** Runs `fn` (and what it sets off) as Durable Object code. */
export function asObjectCode<T>(fn: () => T): T {
  return context.scope.runInAsyncScope(fn);
}

export function isObjectCode(): boolean {
  return context.storage.getStore() === true;
}

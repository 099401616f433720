/**
 * Views: objects that stand for another (the Miniflare front door's proxies, which Node code
 * holds instead of the runtime's own stubs, namespaces and ids). Code that recognises an object
 * by identity or by a private brand (a stub's locator, a namespace's state) asks here first, so
 * a view given back to durasim is taken as the object it stands for.
 *
 * The registry lives on globalThis under a registered symbol, so every loaded copy of durasim
 * (built output and sources under a test runner's transform) sees the views of the others.
 */
import { processShared } from "./process-shared.js";

/** A view's way to its object: it throws when the view may no longer be used (a poisoned proxy). */
type Resolver = () => object;

const resolvers = processShared<WeakMap<object, Resolver>>("viewTargets", () => new WeakMap<object, Resolver>());

/** Records that `view` stands for what `resolve` returns. */
export function registerView(view: object, resolve: Resolver): void {
  resolvers.set(view, resolve);
}

/** The object `value` stands for when it is a view (throwing as the view throws on use), else `value` itself. */
export function seenThrough<T>(value: T): T {
  if ((typeof value !== "object" || value === null) && typeof value !== "function") return value;
  const resolve = resolvers.get(value as object);
  return resolve === undefined ? value : (resolve() as T);
}

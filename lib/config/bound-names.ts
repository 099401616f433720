/**
 * The names a Worker's options bind, of every kind. A name the options bind in any way is not
 * one the wrangler file's binding of an unemulated product still needs a stand-in for: a test
 * that serves the assets binding with a function service, or binds a KV namespace where
 * production has another product, has given that name its value.
 */
interface BindingOptions {
  bindings?: Record<string, unknown>;
  durableObjects?: Record<string, unknown>;
  kvNamespaces?: string[] | Record<string, unknown>;
  r2Buckets?: string[] | Record<string, unknown>;
  ratelimits?: Record<string, unknown>;
  serviceBindings?: Record<string, unknown>;
}

export function boundNames(worker: BindingOptions): Set<string> {
  const names = (record: string[] | Record<string, unknown> | undefined) => (Array.isArray(record) ? record : Object.keys(record ?? {}));
  return new Set([worker.bindings, worker.durableObjects, worker.kvNamespaces, worker.r2Buckets, worker.ratelimits, worker.serviceBindings].flatMap(names));
}

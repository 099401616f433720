/**
 * Binding values durasim makes itself that are objects yet not JSON vars: version metadata and
 * the test runners' stand-ins for unemulated bindings. They look like plain objects, so only
 * this mark tells them from a JSON binding a user gave (which workerd puts in `process.env`,
 * while these it leaves out).
 */
const made = new WeakSet<object>();

/** Marks `value` as a binding durasim made; returns it. */
export function madeBinding<T extends object>(value: T): T {
  made.add(value);
  return value;
}

export function isMadeBinding(value: unknown): boolean {
  return typeof value === "object" && value !== null && made.has(value);
}

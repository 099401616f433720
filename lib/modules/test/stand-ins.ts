/**
 * The test runners' stand-ins for bindings durasim does not emulate (testing/unemulated-binding.ts),
 * each with the binding it replaces: `cloudflare:test`'s helpers for those products tell a
 * stand-in from a value the test gave (a double in miniflare.bindings), which they use.
 */
export interface StandInOrigin {
  /** The binding's name in env. */
  name: string;
  /** The wrangler key that declares it (`d1_databases`). */
  key: string;
  /** The wrangler file. */
  file: string;
}

const origins = new WeakMap<object, StandInOrigin>();

/** Marks `value` as the stand-in for the binding `origin` names; returns it. */
export function markStandIn<T extends object>(value: T, origin: StandInOrigin): T {
  origins.set(value, origin);
  return value;
}

/** The binding `value` stands in for, or undefined when it is not a stand-in. */
export function standInOrigin(value: unknown): StandInOrigin | undefined {
  return typeof value === "object" && value !== null ? origins.get(value) : undefined;
}

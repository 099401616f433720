/**
 * JSON bindings (vars, and JSON values given as bindings) as Worker code gets them. workerd keeps
 * such a binding as JSON text and parses it for each Worker, so what the Worker reads is an
 * ordinary object or array of its own realm, shared with no other Worker. A config parsed here
 * may hold other objects: smol-toml builds TOML tables with a null prototype (no
 * `hasOwnProperty`, and Jest's and Vitest's `toStrictEqual` see another constructor), and under
 * the Jest preset Worker code runs in the test file's realm. Anything else a binding holds (a
 * stand-in, a test's double) is handed over as the very object given.
 */
import { inCodeRealm } from "../util/code-realm.js";
import { isMadeBinding } from "./made-bindings.js";

/**
 * A value a JSON binding holds: JSON's primitives, and arrays and plain objects of them.
 * `within` holds the objects being looked into, so a cycle (which JSON cannot hold) ends the
 * walk instead of overflowing the stack; an object met twice on different branches is fine.
 */
export function isJsonData(value: unknown, within = new Set<object>()): boolean {
  if (value === null || typeof value === "boolean" || typeof value === "string") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (typeof value !== "object" || within.has(value)) return false;
  const proto = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return false;
  within.add(value);
  const json = Object.values(value).every((item) => isJsonData(item, within));
  within.delete(value);
  return json;
}

/** What Worker code finds in env for a binding given `value`: a JSON object or array parsed afresh, as workerd does. */
export function boundValue(value: unknown): unknown {
  if (typeof value !== "object" || value === null || isMadeBinding(value) || !isJsonData(value)) return value;
  return inCodeRealm(JSON.parse(JSON.stringify(value)));
}

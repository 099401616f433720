/**
 * Lays one set of Emulator options over another, the way Cloudflare's Vitest integration lays
 * its `miniflare` options over the wrangler file (and `Emulator.fromWrangler` its overrides):
 * binding records merge key by key (the overlay wins), the code is replaced when the overlay
 * gives code, other values are replaced, and the overlay's extra Workers are added.
 */
import { setOwn } from "../util/own-property.js";

const RECORDS = ["bindings", "durableObjects", "kvNamespaces", "r2Buckets", "ratelimits", "serviceBindings"];
/** Records that may also be given as Miniflare's list of binding names. */
const LISTABLE = ["kvNamespaces", "r2Buckets"];
const CODE = ["module", "modulePath", "script", "modules"];

export function mergeOptions<T extends object>(base: T, overlay: object): T {
  const from = base as Record<string, unknown>;
  const merged: Record<string, unknown> = { ...from };
  const over = overlay as Record<string, unknown>;
  if (CODE.some((key) => over[key] !== undefined)) for (const key of CODE) delete merged[key];
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    const records = RECORDS.includes(key) ? [byName(from[key], key), byName(value, key)] : undefined;
    if (records !== undefined && records[1] !== undefined && (from[key] === undefined || records[0] !== undefined)) {
      setOwn(merged, key, { ...records[0], ...records[1] });
    } else if (key === "workers" && Array.isArray(value)) {
      merged.workers = [...((from.workers as unknown[] | undefined) ?? []), ...value];
    } else {
      setOwn(merged, key, value);
    }
  }
  return merged as T;
}

/**
 * A binding option as a record by binding name: Miniflare's list of names (`["CACHE"]`) is
 * `{ CACHE: "CACHE" }`. Undefined for a value of neither shape, which the overlay then
 * replaces as it is, for validation to name.
 */
function byName(value: unknown, key: string): Record<string, unknown> | undefined {
  if (Array.isArray(value)) {
    const names = LISTABLE.includes(key) && value.every((name) => typeof name === "string");
    return names ? Object.fromEntries(value.map((name: string) => [name, name])) : undefined;
  }
  if (typeof value === "object" && value !== null) return value as Record<string, unknown>;
  return undefined;
}

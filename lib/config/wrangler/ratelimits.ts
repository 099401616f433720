/**
 * wrangler's rate limiting bindings, in both forms wrangler dev hands to Miniflare: `ratelimits`
 * (`[[ratelimits]] name, namespace_id, simple = { limit, period }`) and the older
 * `[[unsafe.bindings]] type = "ratelimit"` with the same fields. Both become the `ratelimits`
 * option, checked as wrangler checks them (period is required here, 10 or 60). An `unsafe`
 * table declaring anything else stays refused (keys.ts).
 */
import { ConfigError } from "../../util/config-error.js";
import { setOwn } from "../../util/own-property.js";
import type { RatelimitOption } from "../ratelimits.js";
import { RATE_LIMIT_PERIODS } from "../../bindings/ratelimit/rate-limiter.js";

const RATELIMIT_TYPE = "ratelimit";

/** The `ratelimits` list and the unsafe ratelimit bindings, by binding name; undefined when the file declares none. */
export function translateRatelimits(ratelimits: unknown, unsafe: unknown, where: (key: string) => string): Record<string, RatelimitOption> | undefined {
  const declared: Array<[unknown, string]> = [];
  if (ratelimits !== undefined) {
    const at = where("ratelimits");
    if (!Array.isArray(ratelimits)) fail(`The field "${at}" should be an array but got ${JSON.stringify(ratelimits)}.`);
    ratelimits.forEach((entry: unknown, index) => declared.push([entry, `${at}[${index}]`]));
  }
  unsafeBindings(unsafe).forEach((entry, index) => {
    if ((entry as { type?: unknown } | null)?.type === RATELIMIT_TYPE) declared.push([entry, `${where("unsafe")}.bindings[${index}]`]);
  });
  if (declared.length === 0) return undefined;
  const result: Record<string, RatelimitOption> = {};
  for (const [entry, at] of declared) {
    const { name, option } = ratelimit(entry, at);
    // Both forms land in one record: a name the other form took would be lost silently.
    if (Object.hasOwn(result, name)) fail(`"${at}" binds "${name}" again, as an earlier rate limiting binding does. Give each binding a unique name.`);
    setOwn(result, name, option);
  }
  return result;
}

/** Whether `unsafe` declares something besides ratelimit bindings (what durasim still refuses). */
export function unsafeBeyondRatelimits(unsafe: unknown): boolean {
  if (typeof unsafe !== "object" || unsafe === null || Array.isArray(unsafe)) return unsafe !== undefined && unsafe !== null;
  const others = Object.keys(unsafe).filter((key) => key !== "bindings");
  return others.length > 0 || unsafeBindings(unsafe).some((entry) => (entry as { type?: unknown } | null)?.type !== RATELIMIT_TYPE);
}

function unsafeBindings(unsafe: unknown): unknown[] {
  const bindings = (unsafe as { bindings?: unknown } | null | undefined)?.bindings;
  return Array.isArray(bindings) ? bindings : [];
}

function ratelimit(entry: unknown, at: string): { name: string; option: RatelimitOption } {
  if (typeof entry !== "object" || entry === null) fail(`"${at}" should be an object, but got ${JSON.stringify(entry)}.`);
  const { name, namespace_id: namespaceId, simple } = entry as Record<string, unknown>;
  if (typeof name !== "string") fail(`"${at}" must have a string "name" field but got ${JSON.stringify(entry)}.`);
  if (typeof namespaceId !== "string") fail(`"${at}" must have a string "namespace_id" field but got ${JSON.stringify(entry)}.`);
  if (typeof simple !== "object" || simple === null) fail(`"${at}" must have a "simple" configuration object but got ${JSON.stringify(entry)}.`);
  const { limit, period } = simple as Record<string, unknown>;
  if (typeof limit !== "number") fail(`"${at}.simple.limit" must be a number but got ${JSON.stringify(limit)}.`);
  if (typeof period !== "number" || !RATE_LIMIT_PERIODS.includes(period)) fail(`"${at}.simple.period" is required and must be either 10 or 60 but got ${JSON.stringify(period)}.`);
  return { name: name as string, option: { namespace_id: namespaceId as string, simple: { limit: limit as number, period: period as number } } };
}

function fail(message: string): never {
  throw new ConfigError(`durasim: ${message}`);
}

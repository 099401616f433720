/**
 * The `ratelimits` option, in Miniflare 4's shape: binding name to `{ namespace_id, simple:
 * { limit, period? } }` (period 10 or 60 seconds, 60 when left out). Bindings naming the same
 * namespace_id share its counters, across Workers too, as in Miniflare.
 */
import { RATE_LIMIT_PERIODS, type RateLimitConfig } from "../bindings/ratelimit/rate-limiter.js";
import { ConfigError, describeConfigValue as describe } from "../util/config-error.js";

export interface RatelimitOption {
  namespace_id: string;
  simple: { limit: number; period?: number };
}

/** A binding resolved to its namespace and configuration. */
export interface ResolvedRatelimit extends RateLimitConfig {
  binding: string;
  namespaceId: string;
}

const DEFAULT_PERIOD = 60;
const EXAMPLE = '{ MY_LIMITER: { namespace_id: "1001", simple: { limit: 100, period: 60 } } }';

export function resolveRatelimits(value: unknown, worker: string): ResolvedRatelimit[] {
  if (value === undefined) return [];
  const fail = (where: string, message: string): never => {
    throw new ConfigError(`durasim: option "${where}" of Worker ${JSON.stringify(worker)} ${message}`);
  };
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    fail("ratelimits", `must be a record of binding name to { namespace_id, simple: { limit, period } }, e.g. ${EXAMPLE}, got ${describe(value)}.`);
  }
  return Object.entries(value as Record<string, unknown>).map(([binding, config]) => {
    const where = `ratelimits.${binding}`;
    const { namespace_id: namespaceId, simple } = (config ?? {}) as Partial<Record<string, unknown>>;
    if (typeof config !== "object" || config === null) fail(where, `must be { namespace_id, simple: { limit, period } }, got ${describe(config)}.`);
    if (typeof namespaceId !== "string") fail(`${where}.namespace_id`, `must be a string, got ${describe(namespaceId)}.`);
    if (typeof simple !== "object" || simple === null) fail(`${where}.simple`, `must be { limit, period }, got ${describe(simple)}.`);
    const { limit, period = DEFAULT_PERIOD } = simple as Partial<Record<string, unknown>>;
    if (typeof limit !== "number" || !(limit > 0)) fail(`${where}.simple.limit`, `must be a number greater than 0, got ${describe(limit)}.`);
    if (typeof period !== "number" || !RATE_LIMIT_PERIODS.includes(period)) fail(`${where}.simple.period`, `must be 10 or 60 (seconds), got ${describe(period)}.`);
    return { binding, namespaceId: namespaceId as string, limit: limit as number, period: period as number };
  });
}

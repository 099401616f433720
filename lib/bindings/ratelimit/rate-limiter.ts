/**
 * The Workers rate limiting binding (`env.LIMITER.limit({ key })`), as Miniflare 4's: each call
 * counts against its namespace's window (window.ts) and resolves to `{ success }`. The options
 * are checked first, in Miniflare's order and words, and a bad one rejects with a plain Error.
 * A call is I/O (shared/io.ts), as Miniflare's reaches a Durable Object.
 */
import { asIo, type BindingContext } from "../shared/io.js";
import type { RateLimitWindow } from "./window.js";

/** A binding's configuration: `simple: { limit, period }` of wrangler's `ratelimits`. */
export interface RateLimitConfig {
  readonly limit: number;
  readonly period: number;
}

export interface RateLimitOptions {
  key?: string;
  limit?: number;
  period?: number;
}

export interface RateLimitOutcome {
  success: boolean;
}

/** The periods the service offers, in seconds. */
export const RATE_LIMIT_PERIODS: readonly number[] = [10, 60];
const OPTION_KEYS = ["key", "limit", "period"];

export class RateLimiter {
  readonly #window: RateLimitWindow;
  readonly #config: RateLimitConfig;
  readonly #context: BindingContext;

  constructor(window: RateLimitWindow, config: RateLimitConfig, context: BindingContext) {
    this.#window = window;
    this.#config = config;
    this.#context = context;
  }

  limit(options: RateLimitOptions): Promise<RateLimitOutcome> {
    return asIo(this.#context, async () => this.#limit(options));
  }

  #limit(options: RateLimitOptions): RateLimitOutcome {
    check(typeof options === "object" && options !== null, "invalid rate limit options");
    const unknown = Object.keys(options).filter((key) => !OPTION_KEYS.includes(key));
    check(unknown.length === 0, `bad rate limit options: [${unknown.join(",")}]`);
    const { key = "", limit = this.#config.limit, period = this.#config.period } = options;
    // Interpolated as Miniflare does: a symbol fails the call with the TypeError of converting it.
    check(typeof key === "string", () => `invalid key: ${key as string}`);
    check(typeof limit === "number", () => `limit must be a number: ${limit as number}`);
    check(typeof period === "number", () => `period must be a number: ${period as number}`);
    check(RATE_LIMIT_PERIODS.includes(period), `unsupported period: ${period}`);
    // Miniflare's limit reaches its counter as JSON, where NaN and ±Infinity become null, and a
    // count compared with null compares with 0: such a limit lets nothing through.
    return { success: this.#window.take(key, Number.isFinite(limit) ? limit : 0, period) };
  }
}

function check(test: boolean, message: string | (() => string)): asserts test {
  if (!test) throw new Error(typeof message === "string" ? message : message());
}

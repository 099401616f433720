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
    check(typeof key === "string", `invalid key: ${String(key)}`);
    check(typeof limit === "number", `limit must be a number: ${String(limit)}`);
    check(typeof period === "number", `period must be a number: ${String(period)}`);
    check(RATE_LIMIT_PERIODS.includes(period), `unsupported period: ${period}`);
    return { success: this.#window.take(key, limit, period) };
  }
}

function check(test: boolean, message: string): asserts test {
  if (!test) throw new Error(message);
}

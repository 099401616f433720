/**
 * Cloudflare's published Durable Objects prices and billing rules, as data: the one file to
 * update when the pricing page changes (durasim bills nothing; estimateCost() reads this).
 *
 * Source: https://developers.cloudflare.com/durable-objects/platform/pricing/ (Workers Paid
 * plan), page last updated 2026-09-30, checked against this file on 2026-12-01:
 *
 * - Requests: 1 million / month included, + $0.15 / million. HTTP requests, RPC sessions (each
 *   call on a Durable Object stub is one; calls on an RpcTarget it returned belong to it),
 *   alarm invocations, and incoming WebSocket messages at a 20:1 ratio (100 messages bill as 5
 *   requests; outgoing messages, protocol pings and auto-responses are free).
 * - Duration: 400,000 GB-s / month included, + $12.50 / million GB-s; wall-clock time while
 *   the object is active or idle but unable to hibernate, at 128 MB per object ("seconds *
 *   128 MB / 1 GB", i.e. 0.128 GB).
 * - SQLite storage backend: rows read 25 billion / month included, + $0.001 / million; rows
 *   written 50 million / month included, + $1.00 / million (the KV API bills rows too; each
 *   setAlarm() is one row written; deletes count as rows written); stored data 5 GB-month
 *   included, + $0.20 / GB-month.
 * - KV storage backend: read request units 1 million included, + $0.20 / million; write
 *   request units 1 million, + $1.00 / million; delete requests 1 million, + $1.00 / million;
 *   stored data 1 GB, + $0.20 / GB-month. A request unit is 4 KB (storage/meter.ts applies it).
 * - "For each metered dimension, billable usage is the amount consumed in excess of the
 *   included monthly allocation. This billable usage is rounded up to the next billable unit
 *   before the corresponding rate is applied."
 * - The Workers Paid plan's minimum of $5 / month is added to every estimate, as the page's
 *   worked examples add it (spec/runtime/usage/cost.spec.ts checks all four of them).
 */

/** One metered dimension: what a month includes, the billing unit, and its price. */
export interface Rate {
  /** Included per month, in the dimension's own unit. */
  readonly included: number;
  /** The billing unit the price is per (and billable usage is rounded up to). */
  readonly per: number;
  /** US dollars per billing unit. */
  readonly price: number;
}

export const PRICES = {
  /** When this file was last checked against the page. */
  checked: "2026-12-01",
  source: "https://developers.cloudflare.com/durable-objects/platform/pricing/",
  /** The Workers Paid plan's minimum charge, US dollars per month. */
  monthlyMinimum: 5,
  /** Memory billed per object, in MB; a GB is 1,000 MB here, as the page computes GB-s. */
  memoryMB: 128,
  /** Incoming WebSocket messages per billed request. */
  webSocketMessagesPerRequest: 20,
  /** Bytes per GB of stored data. */
  storedBytesPerGB: 1e9,
  requests: { included: 1_000_000, per: 1_000_000, price: 0.15 },
  /** GB-s. */
  duration: { included: 400_000, per: 1_000_000, price: 12.5 },
  sqlite: {
    rowsRead: { included: 25_000_000_000, per: 1_000_000, price: 0.001 },
    rowsWritten: { included: 50_000_000, per: 1_000_000, price: 1 },
    /** GB-month. */
    stored: { included: 5, per: 1, price: 0.2 },
  },
  kv: {
    readUnits: { included: 1_000_000, per: 1_000_000, price: 0.2 },
    writeUnits: { included: 1_000_000, per: 1_000_000, price: 1 },
    deletes: { included: 1_000_000, per: 1_000_000, price: 1 },
    /** GB-month. */
    stored: { included: 1, per: 1, price: 0.2 },
  },
} as const satisfies Record<string, unknown>;

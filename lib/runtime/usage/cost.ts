import { PRICES, type Rate } from "./prices.js";
import { billedRequests, gbSeconds, type Usage } from "./usage.js";

/**
 * What measured usage would cost on the Workers Paid plan, computed as the pricing page's own
 * examples compute it: each dimension's monthly quantity, minus what the month includes, rounded
 * up to the next billing unit (a started million), times the unit's price; plus the plan's
 * monthly minimum. Amounts are summed in millionths of a dollar, so the totals come out exact.
 *
 * Usage measured in a test is a sample: `scale` multiplies every counted quantity (requests,
 * duration, rows, request units) to a month's worth, and `requestsPerMonth` picks the scale that
 * makes the billed requests that many. What is stored (database bytes, KV bytes) is a level, not
 * a count: it is billed as is, held for the whole month.
 */

export interface CostOptions {
  /** Multiplies every counted quantity (default 1: the usage is a month's). */
  scale?: number;
  /** Scales the usage so its billed requests come to this many a month. */
  requestsPerMonth?: number;
}

/** One line of the estimate, as the pricing page's examples lay them out. */
export interface CostLine {
  item: string;
  /** The month's quantity, in `unit`s. */
  quantity: number;
  unit: string;
  /** What the month includes. */
  included: number;
  /** The excess, rounded up to the billing unit (`per`). */
  billable: number;
  /** US dollars. */
  cost: number;
}

export interface CostEstimate {
  /** The scale applied to the counted quantities. */
  scale: number;
  lines: CostLine[];
  /** US dollars, the monthly minimum included. */
  total: number;
  /** When the prices were last checked against the page, and the page. */
  prices: { checked: string; source: string };
}

/** Estimates a month's cost of `usage` (see above). */
export function estimateCost(usage: Usage, options: CostOptions = {}): CostEstimate {
  const scale = scaleOf(usage, options);
  const lines: CostLine[] = [];
  const add = (item: string, quantity: number, unit: string, rate: Rate, always = false) => {
    if (quantity > 0 || always) lines.push(line(item, quantity, unit, rate));
  };
  add("Requests", billedRequests(usage.requests) * scale, "requests", PRICES.requests, true);
  add("Duration", gbSeconds(usage.duration.ms) * scale, "GB-s", PRICES.duration, true);
  add("SQLite rows read", usage.sqlite.rowsRead * scale, "rows", PRICES.sqlite.rowsRead);
  add("SQLite rows written", usage.sqlite.rowsWritten * scale, "rows", PRICES.sqlite.rowsWritten);
  add("SQLite stored data", usage.sqlite.databaseBytes / PRICES.storedBytesPerGB, "GB-month", PRICES.sqlite.stored);
  add("KV read request units", usage.kv.readUnits * scale, "units", PRICES.kv.readUnits);
  add("KV write request units", usage.kv.writeUnits * scale, "units", PRICES.kv.writeUnits);
  add("KV delete requests", usage.kv.deletes * scale, "requests", PRICES.kv.deletes);
  add("KV stored data", usage.kv.bytes / PRICES.storedBytesPerGB, "GB-month", PRICES.kv.stored);
  lines.push({ item: "Workers Paid monthly minimum", quantity: 1, unit: "month", included: 0, billable: 1, cost: PRICES.monthlyMinimum });
  const micros = lines.reduce((sum, { cost }) => sum + Math.round(cost * 1e6), 0);
  return { scale, lines, total: micros / 1e6, prices: { checked: PRICES.checked, source: PRICES.source } };
}

function scaleOf(usage: Usage, { scale, requestsPerMonth }: CostOptions): number {
  if (scale !== undefined && requestsPerMonth !== undefined) {
    throw new TypeError("durasim: estimateCost() takes scale or requestsPerMonth, not both.");
  }
  if (requestsPerMonth !== undefined) {
    if (!(requestsPerMonth >= 0 && Number.isFinite(requestsPerMonth))) {
      throw new TypeError(`durasim: estimateCost() needs requestsPerMonth to be a finite number >= 0, got ${String(requestsPerMonth)}.`);
    }
    const billed = billedRequests(usage.requests);
    if (billed === 0) throw new TypeError("durasim: estimateCost() cannot scale to requestsPerMonth: the usage has no billed requests.");
    return requestsPerMonth / billed;
  }
  if (scale === undefined) return 1;
  if (!(scale >= 0 && Number.isFinite(scale))) {
    throw new TypeError(`durasim: estimateCost() needs scale to be a finite number >= 0, got ${String(scale)}.`);
  }
  return scale;
}

/** A dimension's line: the excess over what is included, rounded up to a started billing unit. */
function line(item: string, quantity: number, unit: string, rate: Rate): CostLine {
  // A quantity computed through a scale may miss a whole number by a rounding error (far below
  // a billing unit's billionth): that is not a started unit.
  const excess = Math.max(0, quantity - rate.included);
  const units = Math.max(0, Math.ceil(excess / rate.per - 1e-9));
  const billable = units * rate.per;
  const cost = Math.round(units * rate.price * 1e6) / 1e6;
  return { item, quantity, unit, included: rate.included, billable, cost };
}

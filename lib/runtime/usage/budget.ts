import type { Usage } from "./usage.js";

/**
 * The measures a usage budget can cap (and the per-test usage table shows), each by one flat
 * name: a budget reads `{ rowsRead: 100, requests: 2 }`, not a path into the Usage shape.
 */
export const MEASURES = {
  requests: (usage: Usage) => usage.requests.billed,
  rpc: (usage: Usage) => usage.requests.rpc,
  http: (usage: Usage) => usage.requests.http,
  alarms: (usage: Usage) => usage.requests.alarms,
  webSocketMessages: (usage: Usage) => usage.requests.webSocketMessages,
  durationMs: (usage: Usage) => usage.duration.ms,
  gbSeconds: (usage: Usage) => usage.duration.gbSeconds,
  rowsRead: (usage: Usage) => usage.sqlite.rowsRead,
  rowsWritten: (usage: Usage) => usage.sqlite.rowsWritten,
  statements: (usage: Usage) => usage.sqlite.statements,
  databaseBytes: (usage: Usage) => usage.sqlite.databaseBytes,
  readUnits: (usage: Usage) => usage.kv.readUnits,
  writeUnits: (usage: Usage) => usage.kv.writeUnits,
  deletes: (usage: Usage) => usage.kv.deletes,
  lists: (usage: Usage) => usage.kv.lists,
  storedBytes: (usage: Usage) => usage.kv.bytes,
  commits: (usage: Usage) => usage.commits.count,
  largestCommit: (usage: Usage) => usage.commits.largest,
  outputWaits: (usage: Usage) => usage.gates.outputWaits,
  queuedEvents: (usage: Usage) => usage.gates.queuedEvents,
  resets: (usage: Usage) => usage.resets,
} as const satisfies Record<string, (usage: Usage) => number>;

export type Measure = keyof typeof MEASURES;

/** Upper limits on measures of usage (each inclusive). */
export type UsageBudget = Partial<Record<Measure, number>>;

/** What exceeded `budget`, one entry per measure over its limit ("rowsRead 150 > 100"). */
export function overBudget(usage: Usage, budget: UsageBudget, where: string): string[] {
  if (typeof budget !== "object" || budget === null) throw new TypeError(`durasim: ${where} needs a budget object, such as { rowsRead: 100 }.`);
  const over: string[] = [];
  for (const [name, limit] of Object.entries(budget)) {
    if (!Object.hasOwn(MEASURES, name)) {
      throw new TypeError(`durasim: ${where} has no measure "${name}". Measures: ${Object.keys(MEASURES).join(", ")}.`);
    }
    if (typeof limit !== "number" || Number.isNaN(limit)) throw new TypeError(`durasim: ${where} needs a number for "${name}", got ${String(limit)}.`);
    const value = MEASURES[name as Measure](usage);
    if (value > limit) over.push(`${name} ${value} > ${limit}`);
  }
  return over;
}

/** Whether `value` has the Usage shape (what usage() and emu.usage() return). */
export function isUsage(value: unknown): value is Usage {
  const usage = value as Partial<Usage> | null;
  return typeof usage === "object" && usage !== null && typeof usage.requests === "object" && typeof usage.sqlite === "object" && typeof usage.kv === "object";
}

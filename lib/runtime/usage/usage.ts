import { PRICES } from "./prices.js";

/**
 * What `emu.usage()` reports: plain data, a copy taken when asked (later activity does not
 * change it), in the units production bills (see prices.ts and storage/meter.ts).
 */
export interface Usage {
  /** Requests as production bills them. */
  requests: {
    /** What the bill counts: http + rpc + alarms + webSocketMessages / 20. */
    billed: number;
    /** Fetches delivered to the object (a WebSocket upgrade is one). */
    http: number;
    /** RPC sessions: calls on a Durable Object stub (calls on what they return belong to them). */
    rpc: number;
    /** Alarm invocations, retries included. */
    alarms: number;
    /** Incoming WebSocket messages, raw (billed at 20:1). */
    webSocketMessages: number;
  };
  /** Wall time on the emulator's clock while active or idle but unable to hibernate. */
  duration: {
    ms: number;
    /** At 128 MB per object. */
    gbSeconds: number;
    /**
     * What kept the object from hibernating, in ms: each stretch goes to the first reason that
     * held (a request in flight, then an open non-hibernatable WebSocket, then a pending timer),
     * so the three add up to `ms`.
     */
    heldBy: { requests: number; webSockets: number; timers: number };
  };
  /** SQLite-backed objects (zero on KV-backed ones). */
  sqlite: {
    rowsRead: number;
    rowsWritten: number;
    statements: number;
    /** What the database holds now (`sql.databaseSize`). */
    databaseBytes: number;
  };
  /** KV-backed objects (zero on SQLite-backed ones). */
  kv: {
    /** 4 KB each. */
    readUnits: number;
    writeUnits: number;
    deletes: number;
    lists: number;
    /** What is stored now: keys, and their bytes (key and value). */
    keys: number;
    bytes: number;
  };
  /** What the write coalescing did. */
  commits: {
    /** Batches committed. */
    count: number;
    /** Writes they carried (a key written or deleted, an alarm write, a SQL statement that changed the database). */
    writes: number;
    /** The most writes one commit carried. */
    largest: number;
    /** Batches rolled back (a failed commit, or a reset). */
    rolledBack: number;
  };
  gates: {
    /** Results (and thrown errors) held by the output gate until the writes before them committed. */
    outputWaits: number;
    /** Events that queued at the input gate behind another one. */
    queuedEvents: number;
    /** Their total wait, in ms. */
    queuedMs: number;
  };
  /** Instances reset (a failed commit, an exception in blockConcurrencyWhile, abort(), ...). */
  resets: number;
}

/** One object's usage, with the object's id (and the name it was reached by, if any). */
export interface ObjectUsageReport extends Usage {
  id: string;
  name?: string;
}

/** One namespace's totals (objects evicted while holding nothing count here only), and its objects. */
export interface NamespaceUsage extends Usage {
  className: string;
  objects: Record<string, ObjectUsageReport>;
}

/** The emulator's totals, and its namespaces keyed by class name (by `${scriptName}-${className}` if two share one). */
export interface EmulatorUsage extends Usage {
  namespaces: Record<string, NamespaceUsage>;
}

/** Usage with every counter zero. */
export function emptyUsage(): Usage {
  return {
    requests: { billed: 0, http: 0, rpc: 0, alarms: 0, webSocketMessages: 0 },
    duration: { ms: 0, gbSeconds: 0, heldBy: { requests: 0, webSockets: 0, timers: 0 } },
    sqlite: { rowsRead: 0, rowsWritten: 0, statements: 0, databaseBytes: 0 },
    kv: { readUnits: 0, writeUnits: 0, deletes: 0, lists: 0, keys: 0, bytes: 0 },
    commits: { count: 0, writes: 0, largest: 0, rolledBack: 0 },
    gates: { outputWaits: 0, queuedEvents: 0, queuedMs: 0 },
    resets: 0,
  };
}

/** The sections whose counters add up field by field (derive() then recomputes the derived ones). */
const SUMMED_SECTIONS = ["requests", "sqlite", "kv", "commits", "gates"] as const;

/** Adds `from` into `into` (the largest commit is the larger of the two); returns `into`. */
export function addUsage(into: Usage, from: Usage): Usage {
  const largest = Math.max(into.commits.largest, from.commits.largest);
  for (const section of SUMMED_SECTIONS) addCounters(into[section], from[section]);
  addCounters(into.duration.heldBy, from.duration.heldBy);
  into.commits.largest = largest;
  into.resets += from.resets;
  return derive(into);
}

/** Adds each field of `from` into the same field of `into` (every field of a section is a number). */
function addCounters<Section extends object>(into: Section, from: Section): void {
  const sums = into as Record<string, number>;
  const counts = from as Record<string, number>;
  for (const field in counts) sums[field]! += counts[field]!;
}

/** Fills in the derived fields (billed requests, duration and its GB-s) from the counters. */
export function derive(usage: Usage): Usage {
  const { requests, duration } = usage;
  requests.billed = billedRequests(requests);
  duration.ms = duration.heldBy.requests + duration.heldBy.webSockets + duration.heldBy.timers;
  duration.gbSeconds = gbSeconds(duration.ms);
  return usage;
}

/** Requests as billed: WebSocket messages at 20:1. */
export function billedRequests(requests: { http: number; rpc: number; alarms: number; webSocketMessages: number }): number {
  return requests.http + requests.rpc + requests.alarms + requests.webSocketMessages / PRICES.webSocketMessagesPerRequest;
}

/** GB-s of `ms` at 128 MB (computed in integers where it can be, so the page's figures come out exact). */
export function gbSeconds(ms: number): number {
  return (ms * PRICES.memoryMB) / 1e6;
}

/**
 * The emulator's usage from its namespaces' (keyed by `key`, their `${scriptName}-${className}`):
 * totals, and each namespace under its class name, or its key when two share a class name.
 */
export function emulatorUsage(namespaces: ReadonlyArray<{ key: string; usage: NamespaceUsage }>): EmulatorUsage {
  const totals = emptyUsage();
  const byName: Record<string, NamespaceUsage> = {};
  const classNames = namespaces.map(({ usage }) => usage.className);
  for (const { key, usage } of namespaces) {
    const shared = classNames.indexOf(usage.className) !== classNames.lastIndexOf(usage.className);
    byName[shared ? key : usage.className] = usage;
    addUsage(totals, usage);
  }
  return { ...totals, namespaces: byName };
}

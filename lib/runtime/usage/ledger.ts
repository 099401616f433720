import type { ObjectUsage } from "./object-usage.js";
import { addUsage, emptyUsage, type Usage } from "./usage.js";

/**
 * One namespace's usage counters of objects that have no record now. Usage is not state: it
 * outlives the object's records (a restore, a deleteAll, a record forgotten), so a record
 * dropped leaves its counters here and the next record of that id takes them back. The
 * counters of objects with a record live on the record alone: a second map entry per object
 * cost more than most of an idle object's fields. An object forgotten (evicted holding no data)
 * keeps its counters, so `usage(stub)` still answers, but only the `kept` forgotten most
 * recently do: past them, the oldest is folded into the namespace's totals (`retired`) unless
 * something still holds it, so touching many ids stays bounded here as elsewhere.
 */

/** How many forgotten objects keep their own usage, per namespace. */
export const FORGOTTEN_KEPT = 10_000;

export class UsageLedger {
  /** The counters of objects without a record, by id. */
  readonly #detached = new Map<string, ObjectUsage>();
  /** Ids of forgotten objects whose usage is still kept, oldest first. */
  readonly #forgotten = new Set<string>();
  #retired: Usage = emptyUsage();
  readonly #create: () => ObjectUsage;
  readonly #kept: number;

  constructor(create: () => ObjectUsage, kept = FORGOTTEN_KEPT) {
    this.#create = create;
    this.#kept = kept;
  }

  /** The counters for a new record of `hex`: those a record of it left behind, or new ones. */
  attach(hex: string): ObjectUsage {
    const usage = this.#detached.get(hex);
    if (usage === undefined) return this.#create();
    this.#detached.delete(hex);
    this.#forgotten.delete(hex);
    return usage;
  }

  /**
   * The record of `hex`, holding `usage`, was dropped; `forgotten`: evicted holding nothing
   * (its counters are folded into the totals once FORGOTTEN_KEPT others were forgotten since).
   */
  detach(hex: string, usage: ObjectUsage, forgotten = false): void {
    this.#detached.set(hex, usage);
    if (!forgotten) return;
    this.#forgotten.add(hex);
    if (this.#forgotten.size > this.#kept) this.retireOldest();
  }

  /**
   * The counters of `hex`, which has no record, made if it has none: they stay here for its
   * record to attach (a facet's record counts on them meanwhile: see NamespaceRuntime.usageOf).
   */
  held(hex: string): ObjectUsage {
    let usage = this.#detached.get(hex);
    if (usage === undefined) this.#detached.set(hex, (usage = this.#create()));
    return usage;
  }

  /** The counters of `hex` if it has no record but has counters (never reached, or folded into the totals: none). */
  get(hex: string): ObjectUsage | undefined {
    return this.#detached.get(hex);
  }

  /** Ids of the objects without a record that have counters. */
  ids(): IterableIterator<string> {
    return this.#detached.keys();
  }

  /** What objects folded into the totals had counted. */
  get retired(): Usage {
    return this.#retired;
  }

  /** Zeroes the counters kept here and the totals (stretches of duration in progress count from now on). */
  clear(): void {
    for (const usage of this.#detached.values()) usage.clear();
    this.#retired = emptyUsage();
  }

  /** Drops every object's counters and the totals: their namespace ended, and nothing can ask for them again. */
  forgetAll(): void {
    this.#detached.clear();
    this.#forgotten.clear();
    this.#retired = emptyUsage();
  }

  private retireOldest(): void {
    const [hex] = this.#forgotten as Iterable<string>;
    this.#forgotten.delete(hex!);
    const usage = this.#detached.get(hex!)!;
    if (!usage.idle) return;
    this.#detached.delete(hex!);
    addUsage(this.#retired, usage.report());
  }
}

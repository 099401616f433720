import type { ObjectUsage } from "./object-usage.js";
import { addUsage, emptyUsage, type Usage } from "./usage.js";

/**
 * One namespace's usage counters, by object id. Usage is not state: it outlives the object's
 * records (a restore, a deleteAll, a record replaced). An object forgotten (evicted holding no
 * data) keeps its counters, so `usage(stub)` still answers, but only the `kept` forgotten most
 * recently do: past them, the oldest is folded into the namespace's totals (`retired`) unless
 * something still holds it, so touching many ids stays bounded here as elsewhere.
 */

/** How many forgotten objects keep their own usage, per namespace. */
export const FORGOTTEN_KEPT = 10_000;

export class UsageLedger {
  readonly #usage = new Map<string, ObjectUsage>();
  /** Ids of forgotten objects whose usage is still kept, oldest first. */
  readonly #forgotten = new Set<string>();
  #retired: Usage = emptyUsage();
  readonly #create: () => ObjectUsage;
  readonly #kept: number;

  constructor(create: () => ObjectUsage, kept = FORGOTTEN_KEPT) {
    this.#create = create;
    this.#kept = kept;
  }

  /** The object's counters, made on first use; an object reached again is no longer forgotten. */
  of(hex: string): ObjectUsage {
    this.#forgotten.delete(hex);
    let usage = this.#usage.get(hex);
    if (usage === undefined) {
      usage = this.#create();
      this.#usage.set(hex, usage);
    }
    return usage;
  }

  /** The object's counters if it has any (never reached, or folded into the totals: none). */
  get(hex: string): ObjectUsage | undefined {
    return this.#usage.get(hex);
  }

  /** The object whose counters are `usage` was forgotten. */
  forgotten(hex: string, usage: ObjectUsage): void {
    if (this.#usage.get(hex) !== usage) return;
    this.#forgotten.add(hex);
    if (this.#forgotten.size > this.#kept) this.#retireOldest();
  }

  /** Ids of the objects with counters, in ascending order. */
  ids(): string[] {
    return [...this.#usage.keys()].sort();
  }

  /** What objects folded into the totals had counted. */
  get retired(): Usage {
    return this.#retired;
  }

  /** Zeroes every counter (stretches of duration in progress count from now on). */
  clear(): void {
    for (const usage of this.#usage.values()) usage.clear();
    this.#retired = emptyUsage();
  }

  #retireOldest(): void {
    const [hex] = this.#forgotten as Iterable<string>;
    this.#forgotten.delete(hex!);
    const usage = this.#usage.get(hex!)!;
    if (!usage.idle) return;
    this.#usage.delete(hex!);
    addUsage(this.#retired, usage.report());
  }
}

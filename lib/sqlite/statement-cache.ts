import type { StatementAnalysis } from "./statement-analysis.js";
import type { PreparedStatement } from "./statement.js";

/**
 * One database's cache of statements from user SQL, keyed by the SQL text as given, as workerd
 * keeps one per SqlStorage: for each text, the analysis of its first statement and one idle
 * prepared statement, so a statement run again is neither tokenized, checked nor prepared again.
 *
 * Invariant: every entry was made under the schema generation the cache is at. When the
 * schema's generation moves on (DDL that changed it, a rollback, a replaced or reopened file),
 * the next lookup drops every entry and finalizes its idle statement, so neither an authorizer
 * decision nor a statement prepared against an older schema is ever reused.
 *
 * workerd's cache keeps its statements across a schema change: SQLite recompiles one when it is
 * next stepped, after the runtime has checked its bindings and asked whether it writes. So the
 * analysis of each statement dropped for a change is held (the 64 most recently dropped) until
 * the statement is prepared again: for the bindings check to come before a failure to prepare
 * it again, and for the run that prepares it to decide by what it was (see heldWrites).
 *
 * Bounded like workerd's by the total length of the cached SQL (1 MiB), and also by count,
 * since every open database's statements share sql.js's one WASM heap. The entry that goes is
 * the least recently used one: a hit only stamps its entry, and the rare eviction (on a miss,
 * which prepares and checks a statement anyway) looks for the oldest stamp.
 */

const MAX_TEXT = 1024 * 1024;
const MAX_ENTRIES = 64;

export interface CacheEntry<S extends PreparedStatement = PreparedStatement> {
  readonly analysis: StatementAnalysis;
  /** A prepared statement not lent to any cursor, reset and ready to bind. */
  idle: S | undefined;
  /** When it was last looked up or added (the cache's own counter). */
  used: number;
  /** Evicted or cleared: statements handed back to it are finalized. */
  dropped: boolean;
}

export class StatementCache<S extends PreparedStatement> {
  readonly #entries = new Map<string, CacheEntry<S>>();
  /** Analyses of statements dropped when the schema moved on, not prepared again since. */
  readonly #held = new Map<string, StatementAnalysis>();
  readonly #generation: () => number;
  #at: number;
  #text = 0;
  #clock = 0;

  /** @param generation the schema's current generation (see SchemaInfo). */
  constructor(generation: () => number) {
    this.#generation = generation;
    this.#at = generation();
  }

  /** The entry for `sql` made under the current schema, if any. */
  lookup(sql: string): CacheEntry<S> | undefined {
    this.#followSchema();
    const entry = this.#entries.get(sql);
    if (entry !== undefined) entry.used = ++this.#clock;
    return entry;
  }

  /**
   * How many parameters the last statement of a text took when it was cached under an older
   * schema; undefined when it was not (or has been prepared again since).
   */
  heldParameters(sql: string): number | undefined {
    const held = this.#held.get(sql);
    return held?.rest === "" ? held.parameters : undefined;
  }

  /** The analysis a statement of `sql` had before the schema moved on, if held; no longer held after (it is prepared again). */
  takeHeld(sql: string): StatementAnalysis | undefined {
    this.#followSchema();
    const held = this.#held.get(sql);
    if (held !== undefined) this.#held.delete(sql);
    return held;
  }

  /** Caches the analysis of a statement just prepared from `sql` under the current schema. */
  add(sql: string, analysis: StatementAnalysis): CacheEntry<S> {
    this.#followSchema();
    const entry: CacheEntry<S> = { analysis, idle: undefined, used: ++this.#clock, dropped: false };
    const previous = this.#entries.get(sql);
    if (previous !== undefined) this.#drop(sql, previous);
    this.#entries.set(sql, entry);
    this.#text += sql.length;
    this.#evict();
    return entry;
  }

  /** Takes back a statement lent from `entry`: kept as its idle statement, or finalized. */
  giveBack(entry: CacheEntry<S>, statement: S): void {
    if (entry.dropped || entry.idle !== undefined || statement.finalized) {
      statement.finalize();
      return;
    }
    statement.reset();
    entry.idle = statement;
  }

  /** Drops every entry and what it knew (the database is closing: its statements are prepared afresh after). */
  clear(): void {
    this.#dropAll();
    this.#held.clear();
  }

  #dropAll(): void {
    for (const [sql, entry] of this.#entries) this.#drop(sql, entry);
  }

  #followSchema(): void {
    const generation = this.#generation();
    if (generation === this.#at) return;
    const held = this.#held;
    for (const [sql, entry] of this.#entries) {
      held.delete(sql);
      held.set(sql, entry.analysis);
      if (held.size > MAX_ENTRIES) held.delete(held.keys().next().value!);
    }
    this.#dropAll();
    this.#at = generation;
  }

  #evict(): void {
    while (this.#text > MAX_TEXT || this.#entries.size > MAX_ENTRIES) {
      let oldest: [string, CacheEntry<S>] | undefined;
      for (const item of this.#entries) if (oldest === undefined || item[1].used < oldest[1].used) oldest = item;
      this.#drop(...oldest!);
    }
  }

  #drop(sql: string, entry: CacheEntry<S>): void {
    this.#entries.delete(sql);
    this.#text -= sql.length;
    entry.dropped = true;
    entry.idle?.finalize();
    entry.idle = undefined;
  }
}

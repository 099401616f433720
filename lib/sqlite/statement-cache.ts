import { RecencyList, type RecencyNode } from "../util/recency-list.js";
import { utf8Length } from "../util/utf8.js";
import type { StatementAnalysis } from "./statement-analysis.js";
import type { PreparedStatement } from "./statement.js";

/**
 * One database's cache of statements from user SQL, keyed by the SQL text as given, as workerd
 * keeps one per SqlStorage (so per object instance: see reset). It keeps two things apart:
 *
 * - What workerd's cache holds, for every text it holds: workerd's cache keeps a text's
 *   statement up to 1 MiB of UTF-8 of texts in all, however many, the least recently run going
 *   first, and keeps it across a schema change (SQLite recompiles it only when a run steps it,
 *   after the runtime has checked its bindings and asked whether it writes). So each text keeps
 *   a `Known` record of that statement: how many parameters it took and whether it opened the
 *   implicit transaction, for the bindings check to come before a failure to prepare it again
 *   and for the run that recompiles it to decide by what it was (see writesAsHeld). While a
 *   cursor holds that statement, workerd prepares the text afresh for another run, which
 *   neither checks against the statement nor recompiles it: so the record names the statement
 *   lent as it. A text whose statement failed to prepare holds its place too (and counts toward
 *   the bound), but pushes nothing out by itself. Only a text exec() was given counts its
 *   length: the rest of a text of several statements is a record of its own here (it is
 *   prepared on its own), of no length, that goes with the text (see #bound).
 *
 * - What saves work, for the 64 most recently used texts (every open database's statements
 *   share sql.js's one WASM heap): the analysis of the text's first statement and one idle
 *   prepared statement, so a statement run again is neither tokenized, checked nor prepared
 *   again. A hit only stamps its entry; the rare eviction (on a miss, which prepares and checks a
 *   statement anyway) looks for the oldest stamp.
 *
 * Invariant: every entry was made under the schema generation the cache is at, and its text is
 * known. When the schema's generation moves on (DDL that changed it, a rollback, a replaced or
 * reopened file), the next lookup drops every entry and finalizes its idle statement, so neither
 * an authorizer decision nor a statement prepared against an older schema is ever reused; the
 * Known records stay, and are what workerd holds from then on.
 */

const MAX_TEXT = 1024 * 1024;
const MAX_ENTRIES = 64;

/** A statement the connection lends to cursors. */
export interface Lendable extends PreparedStatement {
  /** Its index among the connection's live statements; -1 when not lent. */
  readonly slot: number;
  /** How many times it was lent: tells one cursor's hold on it from a later cursor's. */
  readonly lends: number;
}

export interface CacheEntry<S extends Lendable = Lendable> {
  readonly analysis: StatementAnalysis;
  /** A prepared statement not lent to any cursor, reset and ready to bind. */
  idle: S | undefined;
  /** When it was last looked up or added (the cache's own counter). */
  used: number;
  /** Evicted or cleared: statements handed back to it are finalized. */
  dropped: boolean;
  /** Its text's record. */
  readonly known: Known<S>;
}

/** A text workerd's cache holds, and what the statement it holds for it enforces. */
interface Known<S extends Lendable> extends RecencyNode {
  /** Its UTF-8 length once exec() was given it whole; 0 while it was only the rest of a longer text. */
  bytes: number;
  /** The schema generation its statement was compiled under; undefined while none prepared. */
  generation: number | undefined;
  /** Which database file that was (see preparedAfresh). */
  file: number;
  /** How many parameters that statement took, when it is the text's last. */
  lastParameters: number | undefined;
  /** Whether it opened the implicit transaction. */
  opensTransaction: boolean;
  /** The statement lent as it, and which lend: while that cursor holds it, it is in use. */
  holder: S | undefined;
  holderLend: number;
}

export class StatementCache<S extends Lendable> {
  readonly #entries = new Map<string, CacheEntry<S>>();
  readonly #known = new RecencyList<Known<S>>();
  /** The UTF-8 length of the known texts. */
  #bytes = 0;
  readonly #generation: () => number;
  #at: number;
  #file = 0;
  #clock = 0;

  /** @param generation the schema's current generation (see SchemaInfo). */
  constructor(generation: () => number) {
    this.#generation = generation;
    this.#at = generation();
  }

  /**
   * The entry for `sql` made under the current schema, if any. `whole`: exec() was given `sql`
   * (not the rest of a text of several statements): the text becomes the most recently run.
   */
  lookup(sql: string, whole: boolean): CacheEntry<S> | undefined {
    this.#followSchema();
    const entry = this.#entries.get(sql);
    if (entry === undefined) return undefined;
    entry.used = ++this.#clock;
    this.#ran(entry.known, sql, whole);
    this.#bound();
    return entry;
  }

  /**
   * How many parameters the statement workerd holds for `sql` takes, when it was compiled before
   * the schema moved on (SQLite recompiles it after the bindings check), is the text's last and
   * no cursor holds it; undefined otherwise.
   */
  heldParameters(sql: string): number | undefined {
    this.#followSchema();
    const known = this.#known.get(sql);
    return known !== undefined && this.#held(known) && !inUse(known) ? known.lastParameters : undefined;
  }

  /** Caches the analysis of a statement just prepared from `sql` under the current schema (`whole`: see lookup). */
  add(sql: string, analysis: StatementAnalysis, whole: boolean): CacheEntry<S> {
    this.#followSchema();
    const known = this.#know(sql, whole);
    const entry: CacheEntry<S> = { analysis, idle: undefined, used: ++this.#clock, dropped: false, known };
    const previous = this.#entries.get(sql);
    if (previous !== undefined) this.#drop(sql, previous);
    this.#entries.set(sql, entry);
    this.#evict();
    this.#bound();
    return entry;
  }

  /**
   * `statement`, of `entry` (just looked up or added), is lent to a cursor. When no cursor holds
   * the statement workerd's cache holds for the text, this one is it. Returns, when that
   * statement was compiled before the schema moved on, whether it opened the implicit
   * transaction: the run goes by it, and once it steps (see recompiled), by what it is now.
   */
  lend(entry: CacheEntry<S>, statement: S): boolean | undefined {
    const known = entry.known;
    if (inUse(known)) return undefined;
    known.holder = statement;
    known.holderLend = statement.lends;
    if (this.#held(known)) return known.opensTransaction;
    // Compiled under this schema already (a hit's usual case), or it is now.
    if (known.generation !== this.#at || known.file !== this.#file) this.recompiled(entry);
    return undefined;
  }

  /** The statement workerd holds for `entry`'s text was compiled (again) under the current schema. */
  recompiled(entry: CacheEntry<S>): void {
    const known = entry.known;
    const analysis = entry.analysis;
    known.generation = this.#at;
    known.file = this.#file;
    known.lastParameters = analysis.rest === "" ? analysis.parameters : undefined;
    known.opensTransaction = analysis.opensTransaction;
  }

  /** `sql` failed to prepare (`whole`: see lookup): workerd's cache holds it as the most recently run all the same. */
  failed(sql: string, whole: boolean): void {
    this.#know(sql, whole);
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

  /** Drops every entry (the database is closing: its statements are prepared afresh after); the texts stay known. */
  clear(): void {
    for (const [sql, entry] of this.#entries) this.#drop(sql, entry);
  }

  /**
   * The database file was replaced (deleteAll()): workerd keeps the texts cached but prepares
   * their statements afresh, so none is held from before.
   */
  preparedAfresh(): void {
    this.#file++;
  }

  /** A new instance of the object: its SqlStorage's cache starts empty, as workerd's does. */
  reset(): void {
    this.clear();
    this.#known.clear();
    this.#bytes = 0;
  }

  /** Whether `known` holds a statement compiled before the schema moved on. */
  #held(known: Known<S>): boolean {
    return known.generation !== undefined && known.generation !== this.#at && known.file === this.#file;
  }

  /** The record of `sql`, made the most recently run (a new one holds no statement). */
  #know(sql: string, whole: boolean): Known<S> {
    let known = this.#known.use(sql);
    if (known === undefined) {
      known = {
        key: sql,
        newer: undefined,
        older: undefined,
        bytes: 0,
        generation: undefined,
        file: this.#file,
        lastParameters: undefined,
        opensTransaction: false,
        holder: undefined,
        holderLend: 0,
      };
      this.#known.add(known);
    }
    if (whole && known.bytes === 0) this.#grow(known, sql);
    return known;
  }

  #ran(known: Known<S>, sql: string, whole: boolean): void {
    this.#known.renew(known);
    if (whole && known.bytes === 0) this.#grow(known, sql);
  }

  #grow(known: Known<S>, sql: string): void {
    known.bytes = utf8Length(sql);
    this.#bytes += known.bytes;
  }

  /**
   * The least recently run texts go while the texts pass the bound, all but the one just run;
   * so do the rests of texts (no length) left oldest by the texts that went.
   */
  #bound(): void {
    const known = this.#known;
    let evicted = false;
    for (let oldest = known.oldest(); oldest !== undefined && oldest.newer !== undefined; oldest = known.oldest()) {
      if (this.#bytes <= MAX_TEXT && !(evicted && oldest.bytes === 0)) break;
      known.delete(oldest);
      this.#bytes -= oldest.bytes;
      evicted = true;
      const entry = this.#entries.get(oldest.key);
      if (entry !== undefined) this.#drop(oldest.key, entry);
    }
  }

  #followSchema(): void {
    const generation = this.#generation();
    if (generation === this.#at) return;
    this.clear();
    this.#at = generation;
  }

  #evict(): void {
    while (this.#entries.size > MAX_ENTRIES) {
      let oldest: [string, CacheEntry<S>] | undefined;
      for (const item of this.#entries) if (oldest === undefined || item[1].used < oldest[1].used) oldest = item;
      this.#drop(...oldest!);
    }
  }

  #drop(sql: string, entry: CacheEntry<S>): void {
    this.#entries.delete(sql);
    entry.dropped = true;
    entry.idle?.finalize();
    entry.idle = undefined;
  }
}

/** Whether a cursor still holds the statement lent as the one workerd's cache holds. */
function inUse(known: Known<Lendable>): boolean {
  const holder = known.holder;
  return holder !== undefined && holder.slot !== -1 && holder.lends === known.holderLend;
}

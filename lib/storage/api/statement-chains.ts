import type { LentStatement, SqliteConnection } from "../../sqlite/connection.js";
import { RecencyList, type RecencyNode } from "../../util/recency-list.js";
import { utf8Length } from "../../util/utf8.js";

/** What a run of a text throws when it reaches a statement its first run left busy. */
const BUSY_STATEMENT = "A SQL prepared statement can only be executed once at a time.";

/** workerd bounds its statement cache by the UTF-8 length of the SQL texts it holds. */
const MAX_TEXT = 1024 * 1024;

/**
 * What workerd's statement cache does with a text of several statements: it keeps them as one
 * entry, keyed by the text. The run that prepares them steps each statement before the last
 * once and leaves it as it is, so one that returned a row stays busy: a read keeps its table
 * locked (`DROP TABLE` fails), a write keeps the implicit transaction or a savepoint from
 * ending (the object resets). Later runs come from the cache and rewind what they step; one
 * that reaches a busy statement rewinds it and throws BUSY_STATEMENT instead (the statements
 * before it have run), so a text whose first run left n statements busy fails on its next n
 * runs. While the cursor of the text's last run is still open the entry is in use and a run
 * prepares the text afresh, leaving nothing busy, as it does for a single statement.
 * `deleteAll()` resets the statements but keeps the entries: a text cached before it is still
 * cached after it, with nothing busy.
 *
 * Every text exec() runs shares that cache, one statement or several, and one whose statement
 * failed to prepare keeps its place in it too. Each time a text is found in it or prepared, the
 * least recently run go while the texts held pass 1 MiB of UTF-8 (a text that failed to
 * prepare pushes nothing out until then), and a text of several statements that goes drops
 * what it left busy (its next run is a first run again). Which texts are older than the oldest
 * one of several cannot matter, so texts are followed only while one is cached.
 *
 * Invariant: every statement held in `busy` is lent out of the connection's cache (so no other
 * cursor gets it), busy, and was left by the first run of its text on the open database handle.
 * `#recent` holds, least recently run first, every text run since the oldest entry of
 * `#chains` was, and is empty when `#chains` is.
 */
export class StatementChains {
  /** The texts of several statements cached: their busy statements by position, and the last run's cursor. */
  readonly #chains = new Map<string, Chain>();
  /** The texts workerd's cache holds from the oldest of `#chains` on. */
  readonly #recent = new RecencyList<Held>();
  /** The UTF-8 length of the texts in `#recent`. */
  #bytes = 0;
  /** The database handle the statements belong to: a new one finalized them. */
  #opens = -1;

  /**
   * exec() was given `text`: it becomes the most recently run. When workerd holds it as a text
   * of several statements, the run of it (from the cache, or anew beside its open cursor).
   */
  ran(connection: SqliteConnection, text: string): ChainRun | undefined {
    if (this.#chains.size === 0) return undefined;
    if (this.#recent.use(text) === undefined) this.#hold(text);
    this.#follow(connection);
    const chain = this.#chains.get(text);
    if (chain === undefined) return undefined;
    this.found(connection);
    // Its last cursor still reads: workerd prepares the text anew, which leaves nothing busy.
    return new ChainRun(connection, this, text, chain.last !== undefined && stillLent(chain.last) ? null : chain);
  }

  /** The text exec() was given was found in the cache or prepared: the least recently run go while the texts pass the bound. */
  found(connection: SqliteConnection): void {
    if (this.#bytes > MAX_TEXT) this.#evict(connection);
  }

  /** The first run of `text`, which turned out to hold several statements. */
  first(connection: SqliteConnection, text: string): ChainRun {
    this.#follow(connection);
    return new ChainRun(connection, this, text, undefined);
  }

  #follow(connection: SqliteConnection): void {
    if (connection.opens === this.#opens) return;
    // A new handle (deleteAll() replaced the file) finalized every statement of the old one,
    // cursors' too: the texts stay cached, with nothing busy and no cursor open.
    for (const chain of this.#chains.values()) {
      chain.busy.clear();
      chain.last = undefined;
    }
    this.#opens = connection.opens;
  }

  /** The text's first run reached its last statement: workerd now holds it in its cache. */
  cache(connection: SqliteConnection, text: string, chain: Chain): void {
    this.#chains.set(text, chain);
    if (this.#recent.use(text) === undefined) this.#hold(text);
    this.found(connection);
  }

  /** Holds `text`, not held yet, as the most recently run. */
  #hold(text: string): void {
    const held: Held = { key: text, newer: undefined, older: undefined, bytes: utf8Length(text) };
    this.#recent.add(held);
    this.#bytes += held.bytes;
  }

  /** Drops the least recently run texts while they pass the bound, all but the one just run. */
  #evict(connection: SqliteConnection): void {
    const recent = this.#recent;
    while (this.#bytes > MAX_TEXT) {
      const oldest = recent.oldest()!;
      if (oldest.newer === undefined) break;
      recent.delete(oldest);
      this.#bytes -= oldest.bytes;
      const evicted = this.#chains.get(oldest.key);
      if (evicted === undefined) continue;
      this.#chains.delete(oldest.key);
      for (const statement of evicted.busy.values()) connection.release(statement);
    }
    if (this.#chains.size === 0) {
      recent.clear();
      this.#bytes = 0;
    }
  }
}

/** A text workerd's cache holds, keyed by the text. */
interface Held extends RecencyNode {
  /** Its UTF-8 length, what it counts toward the bound. */
  readonly bytes: number;
}

interface Chain {
  busy: Map<number, LentStatement>;
  /** The last run's cursor's statement, and which of its lends that cursor holds. */
  last: { statement: LentStatement; lend: number } | undefined;
}

/**
 * Whether the cursor that got `last.statement` as its lend `last.lend` still holds it: the
 * statement comes from the connection's cache, so once that cursor ends, the cursor of a
 * single-statement run of the same SQL may hold it.
 */
function stillLent(last: NonNullable<Chain["last"]>): boolean {
  return last.statement.slot !== -1 && last.statement.lends === last.lend;
}

/**
 * One run of a text: its first (`chain` undefined), one from the cache, or one that prepares it
 * anew beside a cursor still open (`chain` null).
 */
export class ChainRun {
  readonly #connection: SqliteConnection;
  readonly #chains: StatementChains;
  readonly #text: string;
  readonly #chain: Chain | undefined | null;
  /** What the first run leaves busy, by position. */
  readonly #leftBusy = new Map<number, LentStatement>();
  /** The last statement was reached: the text is cached, whatever its cursor does. */
  #ended = false;

  constructor(connection: SqliteConnection, chains: StatementChains, text: string, chain: Chain | undefined | null) {
    this.#connection = connection;
    this.#chains = chains;
    this.#text = text;
    this.#chain = chain;
  }

  /** Before the statement at `index` runs: throws BUSY_STATEMENT, rewinding it, if the first run left it busy. */
  arrive(index: number): void {
    const busy = this.#chain?.busy.get(index);
    if (busy === undefined) return;
    this.#chain!.busy.delete(index);
    this.#connection.release(busy);
    throw new Error(BUSY_STATEMENT);
  }

  /**
   * After the statement at `index` stepped once: whether it stays busy (the run keeps it,
   * unreleased). A busy read does not keep the database open: the pool may close it, which ends
   * its read (see README); a busy write keeps its batch from committing, and the object resets.
   */
  keeps(index: number, statement: LentStatement, returnedRow: boolean, writes: boolean): boolean {
    if (this.#chain !== undefined || !returnedRow) return false;
    this.#leftBusy.set(index, statement);
    if (!writes) this.#connection.letClose(statement);
    return true;
  }

  /** The last statement ran and its cursor is `last`'s. */
  ended(last: LentStatement): void {
    this.#ended = true;
    const held = { statement: last, lend: last.lends };
    if (this.#chain === undefined) this.#chains.cache(this.#connection, this.#text, { busy: this.#leftBusy, last: held });
    else if (this.#chain !== null) this.#chain.last = held;
  }

  /** A statement failed: before the last one, a first run caches nothing, so what it left busy goes. */
  failed(): void {
    if (this.#ended) return;
    for (const statement of this.#leftBusy.values()) this.#connection.release(statement);
    this.#leftBusy.clear();
  }
}

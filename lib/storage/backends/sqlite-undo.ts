/**
 * Undoing, in O(change), what the storage API's KV and alarm writes did to a SQLite database
 * since a snapshot, so that restoring that snapshot (per-test isolation restores one after every
 * test) need not reload the whole file. The journal keeps, for each key written since the
 * snapshot, its value at the snapshot (and the alarm's), as the writes happen.
 *
 * Rule: an undo is trusted only when those writes are everything that changed: SQLite counts
 * exactly the rows they changed (`total_changes()`, which also counts user SQL, triggers and
 * rolled-back writes), no DDL ran (the schema generation, which DDL through the SQL API and
 * rollbacks advance, is the snapshot's), the database is still the handle the counts were read
 * from, the KV and alarm tables existed already, and no `sqlite_stat1` exists (ANALYZE, which
 * `PRAGMA optimize` may run, rewrites it without counting rows). After an undo, the page and
 * free-page counts must be the snapshot's: that also catches a table or index created outside
 * the SQL API (it takes a page), and keeps `databaseSize` exact. Anything else (user SQL writes,
 * DDL, deleteAll, a parked or replaced database, more keys than the journal keeps) restores the
 * snapshot's file whole.
 */

/** What the journal compares, as the database was when the first batch after the snapshot began. */
export interface DatabaseMarks {
  /** `total_changes()` of the connection's handle. */
  readonly changes: number;
  /** The connection's schema generation. */
  readonly generation: number;
  /** The connection's open count (which handle `changes` is of). */
  readonly handle: number;
  readonly pages: number;
  readonly freePages: number;
  readonly hasStatistics: boolean;
}

/** The writes an undo replays (each key's value at the base; `alarm` when the alarm changed), and the size they must leave. */
export interface UndoWrites {
  readonly values: ReadonlyMap<string, Uint8Array | undefined>;
  readonly alarm: { readonly time: number | null } | undefined;
  readonly pages: number;
  readonly freePages: number;
}

/** Keys beyond this many make the snapshot's file the cheaper way back. */
const MAX_KEYS = 1_000;

export class UndoJournal<Base extends object> {
  #base: Base | undefined;
  /** Read when the first batch after the snapshot begins (undefined until then). */
  #marks: DatabaseMarks | undefined;
  #values = new Map<string, Uint8Array | undefined>();
  #alarm: { time: number | null } | undefined;
  /** Rows the journaled writes changed, as SQLite counts them. */
  #counted = 0;

  /** Journals from `base` on (its marks are read when the next batch begins). */
  rebase(base: Base | undefined): void {
    this.#base = base;
    this.#marks = undefined;
    this.#values = new Map();
    this.#alarm = undefined;
    this.#counted = 0;
  }

  /** Something happened that the journal cannot undo: the next restore loads a whole file. */
  spoil(): void {
    this.rebase(undefined);
  }

  /** Whether the journal runs from `base` and has seen the database since (an undo to it may be possible). */
  journals(base: Base | undefined): boolean {
    return base !== undefined && base === this.#base && this.#marks !== undefined;
  }

  /** Whether writes are being journaled and their marks still need reading. */
  get needsMarks(): boolean {
    return this.#base !== undefined && this.#marks === undefined;
  }

  mark(marks: DatabaseMarks): void {
    if (marks.hasStatistics) return this.spoil();
    this.#marks = marks;
  }

  /** Whether a key write should report its key's current value first (see wroteKey). */
  tracks(key: string): boolean {
    return this.#marks !== undefined && !this.#values.has(key);
  }

  /** A KV write changed `rows` rows; `before` is the key's value before it, when tracks(key) said so. */
  wroteKey(key: string, rows: number, before?: { value: Uint8Array | undefined }): void {
    if (this.#marks === undefined) return;
    if (before !== undefined) {
      if (this.#values.size >= MAX_KEYS) return this.spoil();
      this.#values.set(key, before.value);
    }
    this.#counted += rows;
  }

  /** Whether an alarm write should report the alarm's current value first. */
  get tracksAlarm(): boolean {
    return this.#marks !== undefined && this.#alarm === undefined;
  }

  wroteAlarm(rows: number, before?: number | null): void {
    if (this.#marks === undefined) return;
    if (before !== undefined) this.#alarm = { time: before };
    this.#counted += rows;
  }

  /**
   * The writes that take the database back to `base`, when the journal can be trusted to (see
   * the rule above); undefined when the whole file must be restored. Either way the journal
   * stops: the caller rebases it once the database is the base's again.
   */
  undoTo(base: Base | undefined, now: Pick<DatabaseMarks, "changes" | "generation" | "handle">): UndoWrites | undefined {
    const marks = this.#marks;
    const trusted =
      this.journals(base) && marks !== undefined && now.handle === marks.handle &&
      now.generation === marks.generation && now.changes === marks.changes + this.#counted;
    const writes = trusted ? { values: this.#values, alarm: this.#alarm, pages: marks.pages, freePages: marks.freePages } : undefined;
    this.spoil();
    return writes;
  }
}

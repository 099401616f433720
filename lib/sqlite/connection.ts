import type { Database, Statement } from "sql.js";
import { decrement } from "../util/counter.js";
import { SlotSet } from "../util/slot-set.js";
import { forget, touch, type PooledConnection } from "./connection-pool.js";
import { damageReported, reportDamage } from "./damaged-database.js";
import { DirtyPages } from "./dirty-pages.js";
import { getSqlEngine, openDatabase } from "./engine.js";
import { DEFAULT_PAGE_SIZE, pageSizeOf } from "./file-header.js";
import { SchemaInfo } from "./schema-info.js";
import { writesAsHeld, type StatementAnalysis } from "./statement-analysis.js";
import { isNewDatabaseFile } from "./new-database.js";
import { StatementCache, type CacheEntry } from "./statement-cache.js";
import { PreparedStatement } from "./statement.js";
import { lowerAscii } from "../util/ascii-case.js";

/** A statement lent to a cursor: its place in the connection's list, and where it returns. */
export class LentStatement extends PreparedStatement {
  /** Its index among the connection's live statements; -1 when not lent. */
  slot = -1;
  /** How many times it was lent: tells one cursor's hold on it from a later cursor's. */
  lends = 0;
  /**
   * Set while it stands for a statement workerd compiled before a schema change: whether its
   * next run opens the implicit transaction, as workerd decides from that statement (see
   * writesAsHeld and `recompile()`).
   */
  heldWrites: boolean | undefined;
  /**
   * The cache entry it goes back to when released (none: it is finalized); while lent from
   * `reuse()` or after `remember()`, the entry holds its analysis.
   */
  entry: CacheEntry<LentStatement> | undefined;
  /** The `cached()` text it goes back to when released, while lent from `lendCached()`. */
  cachedAs: string | undefined;
  /** Whether it keeps the database open while lent (see `letClose()`). */
  pins = true;

  // Written out: Node 20's V8 makes a derived class's default constructor spread its arguments
  // through the array iterator, which object code may have patched (a write would call it).
  constructor(statement: Statement, database: Database, databasePointer: number) {
    super(statement, database, databasePointer);
  }
}

/**
 * Where a database's committed state lives between opens (persistence: files on disk). The
 * connection hands it, after each commit, exactly the pages that commit wrote.
 */
export interface DatabaseStore {
  /** The committed database file, or undefined when there is none yet. */
  load(): Uint8Array | undefined;
  /** Makes one transaction durable: the pages it wrote and the database's size in pages after it. */
  commit(pages: ReadonlyMap<number, Uint8Array>, pageCount: number): void;
  /** Replaces the whole database with `image`. */
  replace(image: Uint8Array): void;
  /** The error that reports the stored file damaged: `finding` is what SQLite found in its pages. */
  damaged(finding: string): Error;
}

/** The parked state of a connection with a store: the store holds the file. */
const IN_STORE = Symbol("in store");

/**
 * One object's SQLite database. It is open while in use and parked when the pool needs room (as
 * file bytes, or, with a store, as nothing: the store has it); `database()` reopens it
 * transparently, so callers must fetch the Database through it every time rather than keep one.
 * Statements from `prepare()` are live cursors: they keep the database open until released
 * (all but those let close, see `letClose()`).
 *
 * With a store, `persist()` after each commit passes the store the pages SQLite wrote, so a
 * commit costs O(pages changed). Invariant: outside a transaction, the store holds what the open
 * database holds, except while `#storeStale` (the database was replaced wholesale), which the
 * next persist() settles by handing the store the whole file.
 */
export class SqliteConnection implements PooledConnection {
  #database: Database | undefined;
  /** The file while parked; undefined for a database that has never been written. */
  #parked: Uint8Array | undefined | typeof IN_STORE;
  readonly #store: DatabaseStore | undefined;
  #dirty: DirtyPages | undefined;
  #storeStale = false;
  #pins = 0;
  #opens = 0;
  #cached = new Map<string, LentStatement>();
  /** Statements lent to cursors. */
  readonly #live = new SlotSet<LentStatement>();
  /** How many of them do not keep the database open (see `letClose()`). */
  #closable = 0;
  /** Connection-level PRAGMAs the user set, replayed when the database is reopened. */
  #settings = new Map<string, string>();
  #closed = false;
  #replacements = 0;
  /** How many times replace() swapped the database file (deleteAll(), a rollback past one, restore()). */
  get replacements(): number {
    return this.#replacements;
  }
  readonly schema = new SchemaInfo(
    () => this.database(),
    () => {
      const statement = this.cached("PRAGMA schema_version");
      statement.step();
      const [version] = statement.row();
      statement.reset();
      return version as number;
    },
  );
  readonly #statements = new StatementCache<LentStatement>(() => this.schema.generation);

  constructor(bytes?: Uint8Array, store?: DatabaseStore) {
    this.#store = store;
    this.#parked = store === undefined ? bytes : IN_STORE;
  }

  /** How many times the database was opened: a new handle starts its counters (`total_changes()`) afresh. */
  get opens(): number {
    return this.#opens;
  }

  get pinned(): boolean {
    return this.#pins > 0 || this.#live.size > this.#closable;
  }

  /** Keeps the database open (an open transaction lives only in the open database). */
  pin(): void {
    this.#pins++;
  }

  unpin(): void {
    this.#pins = decrement(this.#pins, "SQLite connection pins");
  }

  database(): Database {
    if (this.#closed) throw new Error("durasim internal: SQLite storage used after close()");
    if (this.#database === undefined) {
      const bytes = this.#parkedBytes();
      const store = this.#store;
      if (store !== undefined) this.#dirty = new DirtyPages(bytes === undefined ? DEFAULT_PAGE_SIZE : pageSizeOf(bytes));
      let database: Database;
      try {
        // Opening reads the schema: damage in page 1 past the header is found here.
        database = openDatabase(bytes, this.#dirty?.sink);
      } catch (error) {
        this.#dirty = undefined;
        throw damageReported(error, store && ((finding) => store.damaged(finding)));
      }
      if (store !== undefined) reportDamage(database, (finding) => store.damaged(finding));
      getSqlEngine().limits.apply(database);
      this.#parked = undefined;
      for (const setting of this.#settings.values()) database.exec(setting);
      this.#database = database;
      this.#opens++;
    }
    touch(this);
    return this.#database;
  }

  /** Prepares the first statement of `sql` as a live cursor; throws sql.js's error if none. */
  prepare(sql: string): LentStatement {
    const statement = this.#prepareNew(sql);
    this.#lend(statement, undefined);
    return statement;
  }

  /**
   * The first statement of `sql` as a live cursor, when an earlier one from the same text
   * passed its analysis under the current schema (see StatementCache); undefined otherwise.
   */
  reuse(sql: string, whole: boolean): LentStatement | undefined {
    this.database();
    const entry = this.#statements.lookup(sql, whole);
    if (entry === undefined) return undefined;
    const statement = entry.idle ?? this.#prepareNew(sql);
    entry.idle = undefined;
    this.#lend(statement, entry);
    this.#lendAsCached(statement, entry);
    return statement;
  }

  /** See StatementCache.heldParameters. */
  heldParameters(sql: string): number | undefined {
    return this.#statements.heldParameters(sql);
  }

  /** Caches the analysis of `statement`, just prepared from `sql`, and returns it there once released (`whole`: see StatementCache.lookup). */
  remember(sql: string, statement: LentStatement, analysis: StatementAnalysis, whole: boolean): void {
    const entry = this.#statements.add(sql, analysis, whole);
    statement.entry = entry;
    this.#lendAsCached(statement, entry);
  }

  /**
   * The run of a statement whose `heldWrites` is set steps it: whether it opens the implicit
   * transaction, as the statement workerd held decides; SQLite has recompiled it after.
   */
  recompile(statement: LentStatement): boolean {
    const writes = statement.heldWrites!;
    statement.heldWrites = undefined;
    this.#statements.recompiled(statement.entry!);
    return writes;
  }

  /** See StatementCache.lend. */
  #lendAsCached(statement: LentStatement, entry: CacheEntry<LentStatement>): void {
    const held = this.#statements.lend(entry, statement);
    statement.heldWrites = held === undefined ? undefined : writesAsHeld(held, entry.analysis);
  }

  /** See StatementCache.reset. */
  forgetStatements(): void {
    this.#statements.reset();
  }

  /** See StatementCache.failed. */
  failedToPrepare(sql: string, whole: boolean): void {
    this.#statements.failed(sql, whole);
  }

  /** The message preparing `sql` fails with, or undefined if it prepares. */
  /**
   * The extended result code SQLite recorded for the connection's last failure (extended-codes.ts),
   * for a failure sql.js reports by its message alone; read before anything else runs on it.
   */
  lastExtendedCode(): number {
    return getSqlEngine().extendedCode(getSqlEngine().databasePointer(this.database()));
  }

  /** The byte offset SQLite recorded for the connection's last failure to prepare, -1 for none (error-offsets.ts); read as lastExtendedCode() is. */
  lastErrorOffset(): number {
    return getSqlEngine().errorOffset(getSqlEngine().databasePointer(this.database()));
  }

  prepareError(sql: string): string | undefined {
    try {
      this.database().prepare(sql).free();
      return undefined;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }

  /**
   * One of durasim's own statements (see `cached()`) as a live cursor, so the next cursor over
   * the same text is neither prepared nor analysed again. While lent it is out of the cache, so
   * no `cached()` or `resetCached()` rewinds it under its cursor (a use of the same text
   * meanwhile prepares another, which stays cached; the lent one is then finalized on release).
   */
  lendCached(sql: string): LentStatement {
    let statement = this.#cached.get(sql);
    if (statement === undefined) {
      statement = this.#prepareNew(sql);
    } else {
      this.database();
      this.#cached.delete(sql);
      statement.reset();
    }
    this.#lend(statement, undefined);
    statement.cachedAs = sql;
    return statement;
  }

  /**
   * Lets the pool close the database while `statement` stays lent, which finalizes it: for a
   * holder that loses nothing the object would see, so that a statement held as long as the
   * object lives (a read workerd's statement cache keeps busy) does not keep its database open
   * for as long, past the open-database limit.
   */
  letClose(statement: LentStatement): void {
    if (statement.slot === -1 || !statement.pins) return;
    statement.pins = false;
    this.#closable++;
  }

  /** Ends a cursor's use of a statement from `prepare()`, `reuse()` or `lendCached()`. */
  release(statement: PreparedStatement): void {
    if (!(statement instanceof LentStatement) || !this.#live.delete(statement)) {
      statement.finalize();
      return;
    }
    if (!statement.pins) {
      statement.pins = true;
      this.#closable--;
    }
    const { entry, cachedAs } = statement;
    statement.entry = undefined;
    statement.cachedAs = undefined;
    if (cachedAs !== undefined && !this.#cached.has(cachedAs)) {
      // Rewound now: a cursor abandoned mid-scan would otherwise keep its read in progress.
      statement.reset();
      this.#cached.set(cachedAs, statement);
    } else if (entry === undefined) statement.finalize();
    else this.#statements.giveBack(entry, statement);
  }

  /**
   * Finalizes the statements of every live cursor; those cursors then end. A batch rolls back
   * only when the object resets, and an unfinished writing statement (an `INSERT ... RETURNING`
   * cursor left half read) would otherwise stay active and make every later COMMIT fail.
   */
  finalizeLive(): void {
    for (const statement of this.#live.drain()) {
      statement.pins = true;
      statement.finalize();
    }
    this.#closable = 0;
  }

  /** A reusable internal statement, reset and ready to bind. */
  cached(sql: string): PreparedStatement {
    let statement = this.#cached.get(sql);
    if (statement === undefined) {
      statement = this.#prepareNew(sql);
      this.#cached.set(sql, statement);
    } else {
      this.database();
    }
    statement.reset();
    return statement;
  }

  /**
   * Resets every statement `cached()` lent (durasim's own, each reset after its use): one cut
   * short between its step and its reset, by a stack overflow in the code that called into
   * storage, would otherwise hold a read or write in progress.
   */
  resetCached(): void {
    for (const statement of this.#cached.values()) statement.reset();
  }

  /**
   * Forgets the PRAGMAs set on this connection; returns whether there were any (then the open
   * database still has them until it is reopened).
   */
  forgetSettings(): boolean {
    if (this.#settings.size === 0) return false;
    this.#settings.clear();
    return true;
  }

  /** Remembers a PRAGMA that changes this connection (not the file), keyed by its name. */
  rememberSetting(name: string, sql: string): void {
    this.#settings.set(lowerAscii(name), sql);
  }

  /**
   * `(page_count - freelist_count) * page_size`, as `sql.databaseSize` reports it, without
   * reopening a parked database: its file header holds the page size and the free-list length.
   */
  usedBytes(): number {
    if (this.#database !== undefined) {
      const statement = this.cached("SELECT page_count, freelist_count, page_size FROM pragma_page_count, pragma_freelist_count, pragma_page_size");
      statement.step();
      const [pages, free, size] = statement.row() as number[];
      statement.reset();
      return (pages! - free!) * size!;
    }
    const file = this.#parkedBytes();
    if (file === undefined || file.byteLength < 100) return 0;
    const header = new DataView(file.buffer, file.byteOffset, 100);
    const rawPageSize = header.getUint16(16);
    const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
    return file.byteLength - header.getUint32(36) * pageSize;
  }

  /** A parked database's file: the bytes kept in memory, or read from its store on disk. */
  #parkedBytes(): Uint8Array | undefined {
    return this.#parked === IN_STORE ? this.#store!.load() : this.#parked;
  }

  /** The database file as it is now (no write transaction may be open). */
  exportBytes(): Uint8Array {
    if (this.#database !== undefined) return this.#database.export();
    return new Uint8Array(this.#parkedBytes() ?? []);
  }

  /**
   * Swaps in another database file (or an empty one); live cursors on the old one end. The
   * store receives it with the next persist().
   */
  replace(bytes: Uint8Array | undefined): void {
    this.#replacements++;
    this.#closeDatabase();
    this.#statements.preparedAfresh();
    this.#parked = bytes;
    if (this.#store !== undefined) this.#storeStale = true;
  }

  /**
   * After a commit: hands the store what it wrote (nothing to do without a store). If the store
   * fails, the database goes back to what the store holds, so memory never runs ahead of disk,
   * and the error is thrown.
   */
  persist(): void {
    const store = this.#store;
    if (store === undefined) return;
    // The open handle as it is: database() would count a use with the pool, which may park
    // connections, this one included, while park() is already saving it.
    const database = () => this.#database ?? this.database();
    try {
      if (this.#storeStale) {
        store.replace(database().export());
        this.#storeStale = false;
        this.#dirty!.clear();
      } else if (this.#dirty !== undefined && this.#dirty.size > 0) {
        const pageCount = database().exec("PRAGMA page_count")[0]!.values[0]![0] as number;
        store.commit(this.#dirty.take(pageCount), pageCount);
      }
    } catch (error) {
      this.revertToStore();
      throw error;
    }
  }

  /**
   * Drops what memory holds beyond the store (a failed commit's pages, a replacement not yet
   * persisted): the database reopens from the store. Without a store there is nothing to go
   * back to, and nothing is done.
   */
  revertToStore(): void {
    if (this.#store === undefined) return;
    this.#closeDatabase();
    this.#parked = IN_STORE;
    this.#storeStale = false;
  }

  park(): void {
    if (this.#database === undefined) return;
    if (this.#store !== undefined) {
      this.persist();
      this.#closeDatabase();
      this.#parked = IN_STORE;
      return;
    }
    const bytes = this.#database.export();
    this.#closeDatabase();
    this.#parked = bytes;
  }

  /**
   * The database is parked in memory holding what a new one holds (see isNewDatabaseFile): it
   * was never opened, or its parked file is such a file. False while it is open (its file is
   * not exported to tell), and for a database in a store (not read back to tell).
   */
  get parkedAsNew(): boolean {
    if (this.#database !== undefined || this.#parked === IN_STORE) return false;
    return this.#parked === undefined || isNewDatabaseFile(this.#parked);
  }

  close(): void {
    this.#closeDatabase();
    this.#parked = undefined;
    this.#pins = 0;
    this.#closed = true;
  }

  #prepareNew(sql: string): LentStatement {
    const database = this.database();
    return new LentStatement(database.prepare(sql), database, getSqlEngine().databasePointer(database));
  }

  #lend(statement: LentStatement, entry: CacheEntry<LentStatement> | undefined): void {
    this.#live.add(statement);
    statement.lends++;
    statement.entry = entry;
  }

  #closeDatabase(): void {
    const database = this.#database;
    if (database === undefined) return;
    for (const statement of this.#cached.values()) statement.finalize();
    this.#cached.clear();
    this.#statements.clear();
    this.finalizeLive();
    if (this.#dirty !== undefined) getSqlEngine().fileWrites.unwatch(database);
    this.#dirty = undefined;
    database.close();
    this.#database = undefined;
    this.schema.invalidate();
    forget(this);
  }
}

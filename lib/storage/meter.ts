import { utf8Length } from "../util/utf8.js";
import type { StorageEntry } from "./backend.js";

/**
 * What one object's storage did, counted the way production bills it (the prices and the page
 * they come from are in runtime/usage/prices.ts). Where the pricing page is silent (marked
 * "silent" below), the rule follows what the runtime does on each backend: the KV backend bills
 * each API request (the page bills requests served from the in-memory cache like any other),
 * the SQLite backend bills the rows its statements touch.
 *
 * - KV-backed objects bill request units of 4 KB: every key a get() asks for and every key a
 *   put() writes is one request of ceil((key + value bytes) / 4 KB) units, at least one; a
 *   list() is ceil(bytes of the keys and values it returns / 4 KB) read units, at least one;
 *   every key delete() names is one delete request; setAlarm() is one write unit. Silent:
 *   deleteAlarm() is one write unit (the runtime's deleteAlarm() is setAlarm() to nothing),
 *   getAlarm() one read unit, deleteAll() one delete request per key it removes, plus one write
 *   unit when it removes an alarm. A transaction's writes are billed when it commits: one that
 *   rolls back never sends them to storage (its reads are billed as they happen).
 * - SQLite-backed objects bill rows: SQL statements count what `cursor.rowsRead` and
 *   `cursor.rowsWritten` report, and the KV API bills the rows of the statements it runs on
 *   `_cf_KV`: a key found is one row read, a key written one row written, a key deleted one row
 *   read and one written, a list() what its statement read (each entry, and the row past the
 *   range its scan landed on); setAlarm() is one row written. deleteAll() reads each key:
 *   workerd counts them (`SELECT count(*) FROM _cf_KV`, billed like the other KV statements)
 *   before it discards the database. Silent: deleteAlarm() writes the alarm's row only when an
 *   alarm is set (one row written, else none), getAlarm() reads no row (the runtime keeps the
 *   alarm time in memory). Rows of statements a transaction rolled back stay billed: the
 *   statements ran.
 *
 * Besides billing it counts what the storage semantics did with the writes: how many writes
 * each commit coalesced, and how many batches were rolled back.
 *
 * Every counter is a small integer field, so a meter costs one object per Durable Object and
 * counting costs an increment.
 */

/** Production's request unit on the KV backend: 4 KB. */
export const REQUEST_UNIT_BYTES = 4096;

/**
 * The storage counters few objects move (list() calls, batches rolled back): one object, made
 * by the first that moves, so a meter that moves none costs a field. A subclass keeps its own
 * rare counters in the same object (see StorageMeter.newRare).
 */
export class RareStorageCounts {
  lists = 0;
  rolledBack = 0;
}

export class StorageMeter<R extends RareStorageCounts = RareStorageCounts> {
  /**
   * KV backend: read request units (4 KB each); SQLite backend: rows read, as `cursor.rowsRead`
   * counts them, KV API included. One field for either, as a meter counts one backend's (every
   * live object has a meter); the getters below name them.
   */
  #reads = 0;
  /** KV backend: write request units (4 KB each); SQLite backend: rows written, as `cursor.rowsWritten` counts them. */
  #writes = 0;
  /**
   * KV backend: delete requests (one per key, whatever its size); SQLite backend: SQL statements
   * run (each statement of a multi-statement exec() counts).
   */
  #deletesOrStatements = 0;
  /** Successful commits (batches made durable). */
  commits = 0;
  /** Writes those commits carried (a key written or deleted, an alarm write, a SQL statement that changed rows). */
  committedWrites = 0;
  /** The most writes one commit carried. */
  largestCommit = 0;
  /** Writes made into the batch now open. */
  #batchWrites = 0;
  readonly #kv: boolean;
  /** The counters few objects move (see RareStorageCounts); undefined until one moves. */
  #rare: R | undefined;

  constructor(kind: "kv" | "sqlite") {
    this.#kv = kind === "kv";
  }

  /** The rare counters, made by the first that moves. */
  protected rare(): R {
    return (this.#rare ??= this.newRare());
  }

  /** The rare counters if one ever moved (read-only uses need not make them). */
  protected get rareIfMade(): R | undefined {
    return this.#rare;
  }

  /** Makes the rare counters: a subclass with rare counters of its own makes its subclass of them. */
  protected newRare(): R {
    return new RareStorageCounts() as R;
  }

  /** KV backend: list() calls. */
  get lists(): number {
    return this.#rare?.lists ?? 0;
  }

  /** Batches rolled back: a failed commit, or a reset discarding uncommitted writes. */
  get rolledBack(): number {
    return this.#rare?.rolledBack ?? 0;
  }

  get readUnits(): number {
    return this.#kv ? this.#reads : 0;
  }

  get writeUnits(): number {
    return this.#kv ? this.#writes : 0;
  }

  get deletes(): number {
    return this.#kv ? this.#deletesOrStatements : 0;
  }

  get rowsRead(): number {
    return this.#kv ? 0 : this.#reads;
  }

  get rowsWritten(): number {
    return this.#kv ? 0 : this.#writes;
  }

  get statements(): number {
    return this.#kv ? 0 : this.#deletesOrStatements;
  }

  /** A get() of `key` found `value` (undefined: absent). */
  read(key: string, value: Uint8Array | undefined): void {
    if (this.#kv) this.#reads += units(utf8Length(key) + (value === undefined ? 0 : value.byteLength));
    else if (value !== undefined) this.#reads++;
  }

  /**
   * A list() returned `entries`; on SQLite, its statement read `rows` (workerd's count: the
   * rows returned, and the one past the range the scan landed on, or one for an empty range).
   */
  listed(entries: readonly StorageEntry[], rows = entries.length): void {
    if (!this.#kv) {
      this.#reads += rows;
      return;
    }
    let bytes = 0;
    for (const [key, value] of entries) bytes += utf8Length(key) + value.byteLength;
    this.rare().lists++;
    this.#reads += units(bytes);
  }

  /** A put() wrote `key`. */
  wrote(key: string, value: Uint8Array): void {
    this.#batchWrites++;
    if (this.#kv) this.#writes += units(utf8Length(key) + value.byteLength);
    else this.#writes++;
  }

  /** A delete() named `requested` keys, of which `existing` existed (and were deleted). */
  deleted(requested: number, existing: number): void {
    this.#batchWrites += existing;
    if (this.#kv) {
      this.#deletesOrStatements += requested;
    } else {
      this.#reads += existing;
      this.#writes += existing;
    }
  }

  /** deleteAll() removed `keys` keys and, if `alarm`, the alarm (SQLite: it counted the keys, a row read each). */
  deletedAll(keys: number, alarm: boolean): void {
    this.#batchWrites++;
    if (!this.#kv) {
      this.#reads += keys;
      return;
    }
    this.#deletesOrStatements += keys;
    if (alarm) this.#writes++;
  }

  /** setAlarm() wrote the alarm. */
  alarmSet(): void {
    this.#batchWrites++;
    this.#writes++;
  }

  /** deleteAlarm() ran; `existed`: an alarm was set. */
  alarmDeleted(existed: boolean): void {
    if (this.#kv || existed) this.#writes++;
    if (existed) this.#batchWrites++;
  }

  /** getAlarm() ran. */
  alarmRead(): void {
    if (this.#kv) this.#reads++;
  }

  /** A SQL statement is about to run. */
  statement(): void {
    this.#deletesOrStatements++;
  }

  /** Rows a SQL statement read and wrote since it last reported; `wrote` marks a statement that changed the database. */
  rows(read: number, written: number, wrote: boolean): void {
    this.#reads += read;
    this.#writes += written;
    if (wrote) this.#batchWrites++;
  }

  /** Where the open batch's count of writes stands (a transaction is starting). */
  batchMark(): number {
    return this.#batchWrites;
  }

  /** A transaction rolled back: the writes it made since `mark` never reach a commit. */
  rolledBackTo(mark: number): void {
    if (this.#batchWrites > mark) this.#batchWrites = mark;
  }

  /** A KV-backend transaction committed: the writes `held` for it are billed and join the open batch. */
  absorb(held: HeldWrites): void {
    this.#writes += held.writeUnits;
    this.#deletesOrStatements += held.deletes;
    this.#batchWrites += held.#batchWrites;
  }

  /** The open batch committed. */
  committed(): void {
    const writes = this.#batchWrites;
    this.#batchWrites = 0;
    this.commits++;
    this.committedWrites += writes;
    if (writes > this.largestCommit) this.largestCommit = writes;
  }

  /** The open batch was rolled back (its writes never happened). */
  discarded(): void {
    this.#batchWrites = 0;
    this.rare().rolledBack++;
  }

  /** Zeroes every counter (a write already in the open batch still counts when it commits). */
  resetStorageCounters(): void {
    this.#reads = this.#writes = this.#deletesOrStatements = 0;
    this.commits = this.committedWrites = this.largestCommit = 0;
    const rare = this.#rare;
    if (rare !== undefined) rare.lists = rare.rolledBack = 0;
  }
}

/**
 * The meter of a KV-backend transaction: it holds what the transaction writes (billed into the
 * object's meter by `absorb()` if it commits, dropped if it rolls back) and bills its reads on
 * the object's meter at once.
 */
export class HeldWrites extends StorageMeter {
  readonly #object: StorageMeter;

  constructor(object: StorageMeter) {
    super("kv");
    this.#object = object;
  }

  override read(key: string, value: Uint8Array | undefined): void {
    this.#object.read(key, value);
  }

  override listed(entries: readonly StorageEntry[]): void {
    this.#object.listed(entries);
  }

  override alarmRead(): void {
    this.#object.alarmRead();
  }
}

/** Request units for `bytes` of data: 4 KB each, at least one per request. */
function units(bytes: number): number {
  return bytes <= REQUEST_UNIT_BYTES ? 1 : Math.ceil(bytes / REQUEST_UNIT_BYTES);
}

/**
 * The storage backend contract: a sorted key-value map of encoded values, plus the alarm slot,
 * with transactional batches. Backends know nothing of gates, limits or validation; the storage
 * API above them (api/) is where Durable Object rules live, and the policy chosen with the
 * backend (policy.ts) says which of those rules apply.
 *
 * Writes are applied eagerly inside an open batch, and `commit()` makes them durable while
 * `rollback()` undoes them. This one shape fits both engines: the Map backend keeps an undo log,
 * and the SQLite backend maps batches onto real SQL transactions, so KV, SQL and alarm writes of
 * one turn share a single atomic commit there.
 */

/** A key range in UTF-8 byte order: `start` inclusive, `end` exclusive. */
export interface KeyRange {
  start?: string;
  end?: string;
  reverse?: boolean;
  limit?: number;
}

export type StorageEntry = [key: string, value: Uint8Array];

/** A backend's committed state; opaque outside the backend that made it. */
export type BackendSnapshot = { readonly backendSnapshot: true };

export interface StorageBackend {
  get(key: string): Uint8Array | undefined;
  /** Whether the key is stored (without reading its value). */
  has(key: string): boolean;
  /** Entries in the range, in UTF-8 byte order (or reversed), at most `limit`. */
  list(range: KeyRange): StorageEntry[];
  /**
   * Rows the last `list()` read, as workerd's SQLite counts the rows of the statement it lists
   * with (undefined for a backend without SQL).
   */
  readonly listRowsRead?: number | undefined;
  /** An application's list() is about to read a non-empty range (SQLite: see SqliteBackend.takeListCursor()). */
  takeListCursor?(): void;
  put(key: string, value: Uint8Array): void;
  /**
   * Puts each entry in order, as put() would one by one; where present, cheaper for many (the
   * Map backend copies its array of few keys once, not once per key).
   */
  putAll?(entries: readonly StorageEntry[]): void;
  /** Whether the key existed. */
  delete(key: string): boolean;
  /**
   * Makes the table KV entries live in, for a write that names no key but still reaches the
   * store (see StoragePolicy.everyWriteReachesStore); absent where there is no such table.
   */
  createKvTable?(): void;
  /** Removes every key and the alarm (the SQLite backend also drops user tables). */
  deleteAll(): void;

  /** Scheduled alarm time in epoch milliseconds, or null. */
  getAlarm(): number | null;
  setAlarm(scheduledTime: number | null): void;

  /** Opens the implicit batch; writes outside a batch are not allowed. */
  begin(): void;
  /** Makes the open batch durable; throws (after undoing the batch) when the commit fails. */
  commit(): void;
  /** Undoes every write of the open batch. */
  rollback(): void;
  readonly inBatch: boolean;

  /** Nested rollback points inside the open batch, for transaction() and transactionSync(). */
  savepoint(): number;
  /** Whether a savepoint is open (a transaction() or transactionSync() runs); where transactions are savepoints (SQLite). */
  readonly inSavepoint?: boolean;
  release(savepoint: number): void;
  rollbackTo(savepoint: number): void;

  /**
   * The committed state, as an immutable value `restore()` accepts any number of times (no
   * batch may be open). Its cost is the backend's own: O(1) for the Map backend (a
   * copy-on-write tree), O(size) for the SQLite backend (the database file).
   */
  snapshot(): BackendSnapshot;
  /** Replaces the whole state with a snapshot's, or empties it when `snapshot` is undefined. */
  restore(snapshot: BackendSnapshot | undefined): void;

  /**
   * Its object has no instance now (it was evicted): what the backend keeps only to be fast
   * for a running instance may go until the next instance's first use (SQLite: the open
   * database, with its page cache in the WASM heap). The data stays.
   */
  park?(): void;

  /** Frees resources; the backend is unusable afterwards. */
  close(): void;
}

import { listedEntry, type SqliteBackend } from "../backends/sqlite.js";
import type { KeyRange } from "../backend.js";
import type { SqliteConnection } from "../../sqlite/connection.js";
import type { PreparedStatement } from "../../sqlite/statement.js";
import { decodeValue } from "../codec.js";
import { compileListOptions } from "../list-options.js";
import { SQLITE_POLICY } from "../policy.js";
import { inCodeRealm } from "../../util/code-realm.js";
import { errorReference } from "../../util/error-reference.js";
import type { StorageMeter } from "../meter.js";
import { KV_LIST_IO, type StorageIoType } from "../io-types.js";
import { defineInterface, requireArgument, site, toIdlString } from "../../util/webidl.js";
import { toListOptions } from "./arguments.js";
import { checkEntry, encodeForStore, type ValueFormat } from "./validation.js";
import { type ContextOwner, type SqliteHooksMark, sqliteHooksOf } from "./sqlite-only.js";

export interface SyncKvHooks extends SqliteHooksMark, ValueFormat {
  /** The database whose `_cf_KV` table it reads and writes, once the instance may still reach it (after a reset it throws the runtime's error). */
  reachableBackend(): SqliteBackend;
  /** Called before a write, so the storage layer can open its implicit batch. */
  beforeWrite(): void;
  /** Counts the rows each operation reads and writes. */
  readonly meter: StorageMeter;
  /** Throws the runtime's refusal when code of another I/O context uses what it holds (see WriteOwner). */
  assertOwnContext(ioType: StorageIoType): void;
  /** Throws the runtime's error once the object was reset or evicted (its storage closed). */
  assertUsable(): void;
}

const SYNC_KV = "SyncKvStorage";
const GET = site(SYNC_KV, "get");
const PUT = site(SYNC_KV, "put");
const DELETE = site(SYNC_KV, "delete");
const LIST = site(SYNC_KV, "list");

/**
 * `ctx.storage.kv`: synchronous KV over the same `_cf_KV` rows as the async API. `list()`
 * is lazy and only the newest iterator is valid, as in workerd. Without a backend (a
 * KV-backed object) every method converts its arguments, then refuses.
 */
export class SyncKvStorage {
  /**
   * The hooks, or on a KV-backed object its instance, which refuses another I/O context's code
   * before the API refuses the object (one field: every object has a `storage.kv`; see SQLITE_HOOKS).
   */
  readonly #hooks: SyncKvHooks | ContextOwner;

  constructor(hooks: SyncKvHooks | ContextOwner) {
    this.#hooks = hooks;
  }

  get<T = unknown>(key: string): T | undefined {
    requireArgument(GET, arguments.length, 1, "string");
    const text = toIdlString(key);
    const storageKey = SQLITE_POLICY.storageKey(text);
    const bytes = sqliteHooksOf<SyncKvHooks>(this.#hooks, "kv").reachableBackend().get(storageKey);
    (this.#hooks as SyncKvHooks).meter.read(storageKey, bytes);
    return bytes === undefined ? undefined : (decodeValue(bytes) as T);
  }

  /** Unlike the async `put()`, workerd stores `undefined` here (list() then shows the key). */
  put<T>(key: string, value: T): void {
    requireArgument(PUT, arguments.length, 1, "string");
    const text = toIdlString(key);
    requireArgument(PUT, arguments.length, 2, "Value");
    const backend = sqliteHooksOf<SyncKvHooks>(this.#hooks, "kv").reachableBackend();
    const hooks = this.#hooks as SyncKvHooks;
    const encoded = encodeForStore(SQLITE_POLICY, value, hooks);
    const storageKey = SQLITE_POLICY.storageKey(text);
    const bytes = checkEntry(SQLITE_POLICY, storageKey, encoded);
    hooks.beforeWrite();
    backend.put(storageKey, bytes);
    hooks.meter.wrote(storageKey, bytes);
  }

  delete(key: string): boolean {
    requireArgument(DELETE, arguments.length, 1, "string");
    const text = toIdlString(key);
    const backend = sqliteHooksOf<SyncKvHooks>(this.#hooks, "kv").reachableBackend();
    const hooks = this.#hooks as SyncKvHooks;
    hooks.beforeWrite();
    const existed = backend.delete(SQLITE_POLICY.storageKey(text));
    hooks.meter.deleted(1, existed ? 1 : 0);
    return existed;
  }

  list<T = unknown>(options?: unknown): ListIterator<T> {
    const converted = toListOptions(LIST, options, 1);
    // The runtime refuses a KV-backed object before it checks the options' combination.
    const hooks = sqliteHooksOf<SyncKvHooks>(this.#hooks, "kv");
    const range = compileListOptions(converted, SQLITE_POLICY.storageKey);
    return new ListIterator<T>(hooks.reachableBackend(), range, hooks);
  }

  static {
    defineInterface(this, SYNC_KV, (value) => typeof value === "object" && value !== null && #hooks in value, {
      order: ["get", "list", "put", "delete"],
    });
  }
}

/** An iterator abandoned before its end still holds a statement; it goes back once the iterator is garbage. */
const abandoned = new FinalizationRegistry<{ connection: SqliteConnection; statement: PreparedStatement }>(
  ({ connection, statement }) => connection.release(statement),
);

/**
 * The iterator `kv.list()` returns: invalid once a newer list over a non-empty range took the
 * database's list cursor (see SqliteBackend.takeListCursor()), unless next() already reported
 * the end. A finished one stays finished; one over an empty range, or made before any KV
 * write, is finished from the start; one whose range holds no rows is not, until next() says
 * so. As workerd's, it steps a live SQLite statement over `_cf_KV`: the first step when it is made, each later one when next() is called, and a row's
 * key and value read when next() returns it. So it sees what SQLite's cursor sees of writes
 * made while it is open: keys written ahead of it, new values, not keys deleted ahead of it,
 * and the first row as it stood when the iterator was made (conformance: edges).
 */
class ListIterator<T> {
  readonly #connection: SqliteConnection;
  /** Undefined once the rows ran out (or there were none), or a newer list took over. */
  #statement: PreparedStatement | undefined;
  readonly #hooks: SyncKvHooks;
  /** The connection's replacements when the iterator was made: deleteAll() swaps the file. */
  readonly #replacements: number;
  /** next() reported the end: it stays finished, whatever list() starts later. */
  #exhausted = false;
  /** A newer list took the list cursor before the end was reported: next() refuses. */
  #cancelled = false;
  /** Held by the backend (weakly) while this iterator has the list cursor. */
  readonly #taken = (): void => this.#cancel();
  #first = true;
  #returned = 0;
  #billed = 0;

  /** @param range null when empty: nothing is read and the list cursor stays where it is. */
  constructor(backend: SqliteBackend, range: KeyRange | null, hooks: SyncKvHooks) {
    const connection = backend.connection;
    this.#connection = connection;
    this.#hooks = hooks;
    this.#replacements = connection.replacements;
    if (range === null) {
      this.#exhausted = true;
      return;
    }
    // Only the newest iterator reads on: the one before lets its statement go first.
    backend.takeListCursor(this.#taken);
    const statement = backend.openList(range);
    this.#statement = statement;
    // No `_cf_KV` yet: workerd's iterator has no cursor, so it is finished from the start.
    if (statement === undefined) this.#exhausted = true;
    else if (statement.step()) abandoned.register(this, { connection, statement }, this);
    else this.#finish(statement, false);
  }

  next(): IteratorResult<[string, T], undefined> {
    this.#hooks.assertOwnContext(KV_LIST_IO);
    if (this.#exhausted) return { done: true, value: undefined };
    if (this.#cancelled) {
      throw new Error(
        "kv.list() iterator was invalidated because a new call to kv.list() was started. " +
          "Only one kv.list() iterator can exist at a time.",
      );
    }
    // Code of a reset or evicted instance that goes on finds its storage closed, an unfinished
    // iterator too (an eviction finalized its statement: it must not end as if read to the end).
    this.#hooks.assertUsable();
    // deleteAll() deleted the database under workerd's statement.
    if (this.#connection.replacements !== this.#replacements) throw new Error(`internal error; reference = ${errorReference()}`);
    const statement = this.#statement;
    if (statement === undefined) {
      this.#exhausted = true;
      return { done: true, value: undefined };
    }
    if (statement.finalized) return { done: true, value: undefined };
    if (this.#first) this.#first = false;
    else if (!this.#step(statement)) {
      this.#finish(statement, true);
      return { done: true, value: undefined };
    }
    this.#returned++;
    this.#bill(statement);
    const [key, bytes] = listedEntry(statement);
    return { done: false, value: inCodeRealm<[string, T]>([key, decodeValue(bytes) as T]) };
  }

  [Symbol.iterator](): this {
    return this;
  }

  /** A newer list took the list cursor: the statement goes back to the connection. */
  #cancel(): void {
    if (this.#exhausted) return;
    this.#cancelled = true;
    const statement = this.#statement;
    if (statement !== undefined) this.#finish(statement, false);
  }

  /** A step; a failure of SQLite's (a read a rolled-back transactionSync() ended) is workerd's internal error. */
  #step(statement: PreparedStatement): boolean {
    try {
      return statement.step();
    } catch {
      throw new Error(`internal error; reference = ${errorReference()}`);
    }
  }

  /** Bills the rows the statement has read since the last bill (workerd's count of its scan). */
  #bill(statement: PreparedStatement): void {
    if (statement.finalized) return;
    statement.countRows("select", this.#returned);
    const read = statement.rowsRead;
    this.#hooks.meter.rows(read - this.#billed, 0, false);
    this.#billed = read;
  }

  #finish(statement: PreparedStatement, exhausted: boolean): void {
    this.#exhausted = exhausted;
    this.#bill(statement);
    this.#statement = undefined;
    abandoned.unregister(this);
    this.#connection.release(statement);
  }

  static {
    defineInterface(this, "ListIterator", (value) => typeof value === "object" && value !== null && #connection in value, { iterator: true });
  }
}

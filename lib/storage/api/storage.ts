import { types } from "node:util";
import type { KeyRange, StorageBackend, StorageEntry } from "../backend.js";
import type { BatchWriter } from "../coalescer.js";
import type { BookmarkLog } from "../bookmarks.js";
import type { StorageMeter } from "../meter.js";
import type { StoragePolicy } from "../policy.js";
import { decrement } from "../../util/counter.js";
import { defineInterface, memberNotOfType, notOfType, requireArgument, site, toDate, toDictionary, toFunction, toIdlString } from "../../util/webidl.js";
import { toFlags } from "./arguments.js";
import {
  afterHops,
  type AlarmPolicy,
  applyWrite,
  applyWrites,
  type AwaitingCode,
  type Completion,
  defineKeyValueMethods,
  IO_HOPS,
  type KeyValueMethods,
  KeyValueOperations,
  type KeyWrite,
  type Settlement,
  type SettlementDetail,
  type StorageOperation,
  type WriteOptions,
} from "./operations.js";
import { afterReadsUntil, readsQueued } from "./settlement.js";
import { SqlStorage } from "./sql-storage.js";
import { requireSqlite } from "./sqlite-only.js";
import { SyncKvStorage } from "./sync-kv.js";
import type { SqliteFeatures } from "./sqlite-features.js";
import { DurableObjectTransaction } from "./transaction.js";
import { KeyValueRules, type ValueFormat } from "./validation.js";
import { STORAGE_IO } from "../io-types.js";
import { codeGlobal } from "../../util/code-realm.js";
import { afterMicrotasks } from "../../util/turn.js";

/** What the storage API needs from the object that owns it. */
export interface StorageOwner extends BatchWriter, ValueFormat {
  /**
   * The hosting Worker's compatibility feature deleteAllDeletesAlarm (delete_all_deletes_alarm,
   * on from 2026-02-24): deleteAll() also deletes the alarm.
   */
  readonly deleteAllDeletesAlarm: boolean;
  readonly alarmPolicy: AlarmPolicy;
  /** Throws once the object was reset or aborted: its storage is no longer accessible. */
  assertUsable(): void;
  /** deleteAll() deleted the object's data: what it owns beside its storage (its facets) goes too. */
  deletedAll(): void;
  /**
   * Runs `fn` with the input gate closed, starting it as blockConcurrencyWhile() starts its
   * callback: after the caller's microtasks and the critical sections started before it from the
   * same place; one started inside another nests in it. Unlike blockConcurrencyWhile, a throw
   * resets nothing.
   */
  criticalSection<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * A transaction() could not end (SQLite refused to end its savepoint): the runtime resets the
   * object, and its callers get `error` flagged as a reset.
   */
  transactionFailed(error: Error): void;
  /** A storage operation is in flight until `operation` settles: the input gate stays closed meanwhile. */
  holdWhile(operation: Promise<unknown>): void;
  /**
   * How storage I/O that does not hold the input gate (a read that allows concurrency, sync()),
   * started now, completes: the code awaiting it resumes through the input gate, behind the
   * events queued there, so a critical section begun meanwhile elsewhere (a transaction, a
   * blockConcurrencyWhile) and the calls that could run end first, as in the runtime.
   */
  ungatedCompletion(): Completion;
  /** Whether the instance has reset, for what its code awaits of storage (see AwaitingCode). */
  readonly silenced: boolean;
  readonly endedByReset: boolean;
}

const STORAGE = "DurableObjectStorage";
const DELETE_ALL = site(STORAGE, "deleteAll");
const TRANSACTION = site(STORAGE, "transaction");
const TRANSACTION_SYNC = site(STORAGE, "transactionSync");
const BOOKMARK_FOR_TIME = site(STORAGE, "getBookmarkForTime");
const RESTORE_BOOKMARK = site(STORAGE, "onNextSessionRestoreBookmark");

/**
 * Where `ctx.storage`'s operations go: the backend, through the instance's writer. It carries
 * the operations themselves (see KeyValueOperations) and everything else `ctx.storage` needs,
 * so that one object, besides `ctx.storage` itself, is all an instance's storage API costs
 * (object literals of closures cost about 1 KiB per object; every object has one of these).
 */
class StorageSource extends KeyValueOperations {
  constructor(
    readonly backend: StorageBackend,
    policy: StoragePolicy,
    /** The instance, which is also its writer (see BatchWriter). */
    readonly owner: StorageOwner,
    readonly meter: StorageMeter,
  ) {
    super(KeyValueRules.of(policy));
  }

  protected get iface(): typeof STORAGE {
    return STORAGE;
  }

  protected get valueFormat(): ValueFormat {
    return this.owner;
  }

  get policy(): StoragePolicy {
    return this.rules.policy;
  }

  override settlement(op: StorageOperation, detail: SettlementDetail, key?: string): Settlement {
    return this.cachedSettlement(op, detail, this.policy, this.backend, key);
  }

  override check(): void {
    // Code of another context is refused as such by checkContext(), once its arguments are checked.
    if (!this.owner.usable && !this.owner.inAnotherContext) this.owner.assertUsable();
  }

  override checkContext(needsActor?: boolean): void {
    this.owner.assertOwnContext(STORAGE_IO, needsActor);
  }

  protected override inFlight(operation: Promise<unknown>): void {
    this.owner.holdWhile(operation);
  }

  protected override ungatedCompletion(): Completion {
    return this.owner.ungatedCompletion();
  }

  protected override get awaitingCode(): AwaitingCode {
    return this.owner;
  }

  protected override get outlived(): boolean {
    return !this.owner.usable;
  }

  override readKey(key: string): Uint8Array | undefined {
    return this.backend.get(key);
  }

  override readRange(range: KeyRange): StorageEntry[] {
    this.backend.takeListCursor?.();
    return this.backend.list(range);
  }

  override get rangeRowsRead(): number | undefined {
    return this.backend.listRowsRead;
  }

  override writeKeys(writes: KeyWrite[], options: WriteOptions): void {
    try {
      applyWrites(this.backend, this.owner, writes, options, this.policy);
    } catch (error) {
      this.learnAgainst(writes.map((write) => write[0]), this.backend);
      throw error;
    }
  }

  protected override writeKey(key: string, bytes: Uint8Array, options: WriteOptions): void {
    try {
      applyWrite(this.backend, this.owner, key, bytes, options);
    } catch (error) {
      this.learnAgainst([key], this.backend);
      throw error;
    }
  }

  override readAlarm(): number | null {
    return this.backend.getAlarm();
  }

  override writeAlarm(scheduledTime: number | null, options: WriteOptions): void {
    this.owner.beginWrite(options.allowUnconfirmed);
    this.backend.setAlarm(scheduledTime);
  }

  /** Read when used: the owner sets its alarm policy up after opening its storage. */
  override get alarmPolicy(): AlarmPolicy {
    return this.owner.alarmPolicy;
  }
}

/**
 * What only some `ctx.storage` objects use, in one object made when first needed: every object
 * has a `ctx.storage`, and most KV-backed ones never run a transaction.
 */
class StorageExtras {
  /** How many transaction closures are running (more than one when nested). */
  runningTransactions = 0;

  constructor(readonly sqlite: SqliteFeatures | undefined) {}
}

/**
 * `ctx.storage`: the asynchronous KV API over a backend, shaped as the runtime's (`kv` and `sql`
 * are own properties, on KV-backed objects too; the methods are on the prototype). Reads and
 * writes complete synchronously against the backend (an in-process backend has no I/O), and
 * resolve as microtasks; writes join the open batch, which the coalescer commits. Every write
 * goes through the instance's BatchWriter, so a reset instance writes nothing more.
 */
export class DurableObjectStorage {
  /** The operations and what they reach (see StorageSource). */
  readonly #source: StorageSource;
  /**
   * The SQLite features and the transactions (see StorageExtras): made with a SQLite-backed
   * object's storage, else by its first transaction() (most KV-backed objects never make one).
   */
  #extras: StorageExtras | undefined;
  declare readonly kv: SyncKvStorage;
  declare readonly sql: SqlStorage;

  constructor(
    backend: StorageBackend,
    policy: StoragePolicy,
    owner: StorageOwner,
    sqlite: SqliteFeatures | undefined,
    meter: StorageMeter,
  ) {
    this.#source = new StorageSource(backend, policy, owner, meter);
    if (sqlite !== undefined) this.#extras = new StorageExtras(sqlite);
    const own = this as { -readonly [K in "kv" | "sql"]: DurableObjectStorage[K] };
    own.kv = sqlite?.kv ?? new SyncKvStorage(owner);
    own.sql = sqlite?.sql ?? new SqlStorage(owner);
  }

  /**
   * Deletes every key and, with the compatibility feature deleteAllDeletesAlarm (on from
   * 2026-02-24), the alarm; without it the alarm survives (and still fires), as in workerd. On
   * SQLite, the whole database (the kept alarm is written back into the new one). Where
   * transactions are savepoints (SQLite), this cannot happen inside one, and always waits to be
   * confirmed.
   */
  deleteAll(options?: unknown): Promise<void> {
    try {
      const { allowUnconfirmed } = toFlags(DELETE_ALL, options, 1, "PutOptions");
      const { owner, policy, meter, backend } = this.#source;
      owner.assertOwnContext(STORAGE_IO);
      owner.assertUsable();
      const savepoints = policy.savepointTransactions;
      if (savepoints && (this.#extras?.runningTransactions ?? 0) > 0) throw new Error("Cannot call deleteAll() within a transaction");
      owner.beginWrite(savepoints ? false : allowUnconfirmed);
      // SQLite outside transactionSync() (inside, see SqliteBackend.deleteAll()): workerd recreates
      // the database file at once, a durable wipe that a reset in the same turn (ctx.abort())
      // keeps; what the batch wrote before it is gone either way.
      const wipesAtOnce = savepoints && backend.inSavepoint !== true;
      // What deleteAll() bills is the pricing page's silence; see StorageMeter for durasim's rule.
      const keys = backend.list({}).length;
      const alarm = backend.getAlarm();
      const deletesAlarm = owner.deleteAllDeletesAlarm && alarm !== null;
      meter.deletedAll(keys, deletesAlarm);
      backend.deleteAll();
      owner.deletedAll();
      if (wipesAtOnce) owner.commitAndConfirm();
      // Written back after the wipe (not billed): in the batch that follows it, as workerd writes
      // it after recreating the file, so a reset in the same turn loses it; elsewhere in the
      // same batch, so it is never seen (or committed) as deleted.
      if (alarm !== null && !deletesAlarm) {
        if (wipesAtOnce) owner.beginWrite(false);
        backend.setAlarm(alarm);
      }
      const settled = afterHops(undefined, this.#source.settlement("deleteAll", {}) as number);
      owner.holdWhile(settled);
      return settled;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  transaction<T>(closure: (txn: DurableObjectTransaction) => T | Promise<T>, options?: unknown): Promise<T> {
    if (typeof closure !== "function") return Promise.reject(notOfType(TRANSACTION, 1, "function"));
    const { backend, owner, meter } = this.#source;
    try {
      checkTransactionOptions(options);
      owner.assertOwnContext(STORAGE_IO);
    } catch (error) {
      return Promise.reject(error);
    }
    const extras = (this.#extras ??= new StorageExtras(undefined));
    const rules = this.#source.rules.inTransaction();
    const savepoints = this.#source.policy.savepointTransactions;
    let mark = 0;
    const result = owner.criticalSection(async () => {
      owner.assertUsable();
      let savepoint: number | undefined;
      let release: (() => void) | undefined;
      let committed = false;
      if (savepoints) {
        // Writes made before the transaction commit on their own, then the transaction is a
        // savepoint that the implicit batch may not commit under until it ends. If that
        // commit fails, the instance is reset and beginWrite() refuses to go on.
        if (extras.runningTransactions === 0) owner.flush();
        owner.beginWrite();
        release = owner.hold();
        savepoint = backend.savepoint();
      }
      mark = readsQueued();
      const cache = savepoints ? undefined : this.#source;
      const txn = new DurableObjectTransaction({ backend, writer: owner, rules, alarmPolicy: owner.alarmPolicy, savepoint, meter, cache });
      extras.runningTransactions++;
      const end = (commit: boolean) => {
        // An instance reset or evicted while the closure ran had its batch dropped, savepoint
        // and all: nothing is left to end, and a commit meets the closed storage.
        if (savepoint !== undefined && !owner.usable) {
          if (commit) owner.assertUsable();
          return;
        }
        try {
          DurableObjectTransaction.finish(txn, commit);
        } catch (error) {
          if (owner.usable && error instanceof Error) owner.transactionFailed(error);
          throw error;
        }
      };
      try {
        let value: T;
        try {
          value = await Reflect.apply(closure, codeGlobal(), [txn]);
        } catch (error) {
          end(false);
          throw error;
        }
        end(true);
        committed = true;
        return value;
      } finally {
        extras.runningTransactions = decrement(extras.runningTransactions, "running transactions");
        release?.();
        // The outermost savepoint released is a commit of the database, as in workerd: its
        // writes are durable now, so an abort() right after the transaction keeps them; what
        // leaves the object next still waits for that commit's confirmation, as after a put().
        if (committed && savepoint !== undefined && extras.runningTransactions === 0 && owner.usable) owner.commitAndConfirm();
      }
    });
    // The runtime's transaction, a nested one too, is I/O: its promise settles, fulfilled or
    // rejected, after the microtasks queued by then; through a KV-backed object's cache, in
    // order with its reads (see afterReadsUntil).
    const settled = <V>(value: V): Promise<V> => (savepoints ? afterHops(value, IO_HOPS) : afterReadsUntil(value, mark));
    return result.then(settled, (error: unknown) => settled(undefined).then(() => Promise.reject(error)));
  }

  /**
   * Resolves when every write issued so far is durable. Does not hold the input gate. The KV
   * backend's commit is immediate, and the promise settles a microtask hop later, as workerd's.
   * SQLite's commits at the end of the turn, where the gate lets queued events in; its
   * completion reaches the code as I/O does, once those events' microtasks have run too, behind
   * the events still queued (a read such an event awaits settles first: conformance "gates
   * probes: sync() ...").
   */
  sync(): Promise<void> {
    const owner = this.#source.owner;
    try {
      owner.assertOwnContext(STORAGE_IO);
    } catch (error) {
      return Promise.reject(error);
    }
    const synced = owner.sync();
    if (this.#source.policy.syncCommitsAtOnce) return synced.then(() => undefined);
    const complete = owner.ungatedCompletion();
    return synced.then(() => new Promise((resolve) => afterMicrotasks(() => complete(resolve))));
  }

  transactionSync<T>(closure: () => T): T {
    toFunction(TRANSACTION_SYNC, closure, 1);
    this.#source.owner.assertOwnContext(STORAGE_IO);
    this.#source.owner.assertUsable();
    return requireSqlite(this.#extras?.sqlite, "transactionSync").transactionSync(closure);
  }

  async getCurrentBookmark(): Promise<string> {
    return DurableObjectStorage.#bookmarks(this).current();
  }

  async getBookmarkForTime(timestamp: number | Date): Promise<string> {
    const time = toDate(BOOKMARK_FOR_TIME, timestamp, 1);
    return DurableObjectStorage.#bookmarks(this).forTime(time);
  }

  /** Restores the bookmark when the object next starts (call ctx.abort() to restart it now). */
  async onNextSessionRestoreBookmark(bookmark: string): Promise<string> {
    requireArgument(RESTORE_BOOKMARK, arguments.length, 1, "string");
    const text = toIdlString(bookmark);
    return DurableObjectStorage.#bookmarks(this).restoreOnNextSession(text);
  }

  /**
   * The bookmark log. Writes pending are not committed for it (inside transactionSync() that
   * would commit half a transaction): a bookmark names the state their batch ends with.
   */
  static #bookmarks(self: DurableObjectStorage): BookmarkLog {
    self.#source.owner.assertOwnContext(STORAGE_IO);
    self.#source.owner.assertUsable();
    return requireSqlite(self.#extras?.sqlite, "pitr").bookmarks;
  }

  static {
    defineKeyValueMethods(this, (self) => (self as DurableObjectStorage).#source);
    defineInterface(this, STORAGE, (value) => typeof value === "object" && value !== null && #source in value, {
      order: ["get", "list", "put", "delete", "deleteAll", "transaction", "getAlarm", "setAlarm", "deleteAlarm", "sync", "transactionSync",
        "getCurrentBookmark", "getBookmarkForTime", "onNextSessionRestoreBookmark"],
    });
  }
}

/** get/put/delete/list and the alarm methods, defined by defineKeyValueMethods. */
export interface DurableObjectStorage extends KeyValueMethods {}

/**
 * transaction()'s options, converted as the runtime converts its TransactionOptions (each member
 * read once, in its order), though durasim uses neither: `asOfTime` must be a date (a number or
 * a Date), and `lowPriority` is read as the boolean it converts to.
 */
function checkTransactionOptions(options: unknown): void {
  const given = toDictionary<{ asOfTime: unknown; lowPriority: unknown }>(TRANSACTION, options, 2, "TransactionOptions");
  if (given === undefined) return;
  const asOfTime = given.asOfTime;
  if (asOfTime !== undefined && typeof asOfTime !== "number" && !types.isDate(asOfTime)) throw memberNotOfType("TransactionOptions", "asOfTime", "date");
  // Read for its getter alone: any value converts to a boolean.
  void given.lowPriority;
}

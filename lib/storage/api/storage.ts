import type { KeyRange, StorageBackend, StorageEntry } from "../backend.js";
import type { BatchWriter, WriteOwner } from "../coalescer.js";
import type { BookmarkLog } from "../bookmarks.js";
import {
  type AlarmPolicy,
  applyWrites,
  type KeyWrite,
  type PutOptions,
  type SetAlarmOptions,
  StorageOperations,
} from "./operations.js";
import type { SqlStorage } from "./sql-storage.js";
import type { SyncKvStorage } from "./sync-kv.js";
import type { SqliteFeatures } from "./sqlite-features.js";
import type { StoragePolicy } from "../policy.js";
import { decrement } from "../../util/counter.js";
import { DurableObjectTransaction, finishTransaction } from "./transaction.js";
import { KeyValueRules } from "./validation.js";

/** What the storage API needs from the object that owns it. */
export interface StorageOwner extends WriteOwner {
  readonly alarmPolicy: AlarmPolicy;
  /** Throws once the object was reset or aborted: its storage is no longer accessible. */
  assertUsable(): void;
  /** Runs `fn` with the input gate closed. Unlike blockConcurrencyWhile, a throw resets nothing. */
  criticalSection<T>(fn: () => Promise<T>): Promise<T>;
}

export const STORAGE_NOT_SQLITE = {
  sql:
    "This Durable Object is not backed by SQLite storage, so the SQL API is not available. SQL can be enabled on a new Durable Object class by using the `new_sqlite_classes` instead of `new_classes` under `[[migrations]]` in your wrangler.toml, but an already-deployed class cannot be converted to SQLite (except by deleting the existing data).",
  kv:
    "The storage.kv (synchronous KV) API is only available for SQLite-backed Durable Objects, but this object's namespace is not declared to use SQLite. You can use the older, asyncronous interface via methods of `storage` itself (e.g. `storage.get()`). SQLite can be enabled on a new Durable Object class by using the `new_sqlite_classes` instead of `new_classes` under `migrations` in your wrangler.jsonc or wrangler.toml, but an already-deployed class cannot be converted to SQLite (except by deleting the existing data).",
  transactionSync: "Durable Object is not backed by SQL.",
  pitr: "This Durable Object's storage back-end does not implement point-in-time recovery.",
} as const;

/**
 * `ctx.storage`: the asynchronous KV API over a backend. Reads and writes complete
 * synchronously against the backend (an in-process backend has no I/O), and resolve as
 * microtasks; writes join the open batch, which the coalescer commits. Every write goes
 * through the instance's BatchWriter, so a reset instance writes nothing more.
 */
export class DurableObjectStorage extends StorageOperations {
  readonly #backend: StorageBackend;
  readonly #writer: BatchWriter;
  readonly #owner: StorageOwner;
  protected readonly rules: KeyValueRules;
  protected readonly interfaceName = "DurableObjectStorage";
  /** Serialises transaction() calls: each runs alone in its critical section. */
  #transactionQueue: Promise<unknown> = Promise.resolve();
  /** How many transaction closures are running (more than one when nested). */
  #runningTransactions = 0;
  readonly #sqlite: SqliteFeatures | undefined;

  readonly #policy: StoragePolicy;

  constructor(
    backend: StorageBackend,
    policy: StoragePolicy,
    writer: BatchWriter,
    owner: StorageOwner,
    sqlite: SqliteFeatures | undefined,
  ) {
    super();
    this.#backend = backend;
    this.#policy = policy;
    this.#writer = writer;
    this.#owner = owner;
    this.#sqlite = sqlite;
    this.rules = new KeyValueRules(policy);
  }

  protected get alarmPolicy(): AlarmPolicy {
    return this.#owner.alarmPolicy;
  }

  protected check(_op: string): void {
    this.#owner.assertUsable();
  }

  protected readKey(key: string): Uint8Array | undefined {
    return this.#backend.get(key);
  }

  protected readRange(range: KeyRange): StorageEntry[] {
    return this.#backend.list(range);
  }

  protected writeKeys(writes: KeyWrite[], options: PutOptions): void {
    applyWrites(this.#backend, this.#writer, writes, options);
  }

  protected readAlarm(): number | null {
    return this.#backend.getAlarm();
  }

  protected writeAlarm(scheduledTime: number | null, options: SetAlarmOptions): void {
    this.#writer.beginWrite(options.allowUnconfirmed);
    this.#backend.setAlarm(scheduledTime);
  }

  /**
   * Deletes every key and (current compatibility date) the alarm; on SQLite, the whole
   * database. Where transactions are savepoints (SQLite), this cannot happen inside one, and
   * always waits to be confirmed.
   */
  async deleteAll(options?: PutOptions): Promise<void> {
    this.#owner.assertUsable();
    const savepoints = this.#policy.savepointTransactions;
    if (savepoints && this.#runningTransactions > 0) throw new Error("Cannot call deleteAll() within a transaction");
    this.#writer.beginWrite(savepoints ? false : options?.allowUnconfirmed);
    this.#backend.deleteAll();
  }

  transaction<T>(closure: (txn: DurableObjectTransaction) => T | Promise<T>): Promise<T> {
    const backend = this.#backend;
    const writer = this.#writer;
    const owner = this.#owner;
    const rules = this.rules;
    if (typeof closure !== "function") {
      return Promise.reject(
        new TypeError("Failed to execute 'transaction' on 'DurableObjectStorage': parameter 1 is not of type 'function'."),
      );
    }
    const savepoints = this.#policy.savepointTransactions;
    const run = () =>
      owner.criticalSection(async () => {
        owner.assertUsable();
        let savepoint: number | undefined;
        let release: (() => void) | undefined;
        if (savepoints) {
          // Writes made before the transaction commit on their own, then the transaction is a
          // savepoint that the implicit batch may not commit under until it ends. If that
          // commit fails, the instance is reset and beginWrite() refuses to go on.
          if (this.#runningTransactions === 0) writer.flush();
          writer.beginWrite();
          release = writer.hold();
          savepoint = backend.savepoint();
        }
        const txn = new DurableObjectTransaction({ backend, writer, rules, alarmPolicy: owner.alarmPolicy, savepoint });
        this.#runningTransactions++;
        try {
          const value = await closure(txn);
          finishTransaction(txn, true);
          return value;
        } catch (error) {
          finishTransaction(txn, false);
          throw error;
        } finally {
          this.#runningTransactions = decrement(this.#runningTransactions, "running transactions");
          release?.();
        }
      });
    // A transaction() started while a closure runs almost always comes from that closure (the
    // critical section keeps other events out; only the same event's other async branches could
    // also call it). The runtime nests it, and it commits on its own; queueing it behind the
    // running transaction would deadlock. Calls made while no closure runs wait their turn.
    if (this.#runningTransactions > 0) return run();
    const result = this.#transactionQueue.then(run, run);
    this.#transactionQueue = result.catch(() => undefined);
    return result;
  }

  /** Resolves when every write issued so far is durable. Does not hold the input gate. */
  sync(): Promise<void> {
    return this.#writer.sync();
  }

  get sql(): SqlStorage {
    return this.#requireSqlite("sql").sql;
  }

  get kv(): SyncKvStorage {
    return this.#requireSqlite("kv").kv;
  }

  transactionSync<T>(closure: () => T): T {
    this.#owner.assertUsable();
    return this.#requireSqlite("transactionSync").transactionSync(closure);
  }

  async getCurrentBookmark(): Promise<string> {
    return this.#bookmarks().current();
  }

  async getBookmarkForTime(timestamp: number | Date): Promise<string> {
    return this.#bookmarks().forTime(timestamp instanceof Date ? timestamp.getTime() : Number(timestamp));
  }

  /** Restores the bookmark when the object next starts (call ctx.abort() to restart it now). */
  async onNextSessionRestoreBookmark(bookmark: string): Promise<string> {
    return this.#bookmarks().restoreOnNextSession(String(bookmark));
  }

  #requireSqlite(feature: "sql" | "kv" | "transactionSync"): SqliteFeatures {
    if (this.#sqlite === undefined) throw new Error(STORAGE_NOT_SQLITE[feature]);
    return this.#sqlite;
  }

  /** The bookmark log, once the writes issued so far are committed (bookmarks name committed states). */
  #bookmarks(): BookmarkLog {
    this.#owner.assertUsable();
    if (this.#sqlite === undefined) throw new Error(STORAGE_NOT_SQLITE.pitr);
    this.#writer.flush();
    return this.#sqlite.bookmarks;
  }
}

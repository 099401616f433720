import type { KeyRange, StorageBackend, StorageEntry } from "../backend.js";
import type { BatchWriter } from "../coalescer.js";
import { TRANSACTION_IO } from "../io-types.js";
import { compareKeys } from "../keys.js";
import { HeldWrites, type StorageMeter } from "../meter.js";
import { defineInterface } from "../../util/webidl.js";
import {
  type AlarmPolicy,
  applyWrites,
  defineKeyValueMethods,
  type KeyValueMethods,
  KeyValueOperations,
  type KeyWrite,
  type Settlement,
  type SettlementDetail,
  type StorageOperation,
  type WriteOptions,
} from "./operations.js";
import { type SettlementModel, uncachedSettlement } from "./settlement.js";
import type { KeyValueRules, ValueFormat } from "./validation.js";

/** What a transaction needs from the storage it belongs to. */
export interface TransactionTarget {
  backend: StorageBackend;
  /** The instance's writer: once the instance is reset, the transaction writes nothing more. Its date decides how values are serialised. */
  writer: BatchWriter & ValueFormat;
  rules: KeyValueRules;
  alarmPolicy: AlarmPolicy;
  /**
   * SQLite backend: the savepoint the transaction runs in. Writes then go straight to the
   * database (where everything else the object does during the closure also lands), and
   * rollback undoes the savepoint. Without it (KV backend), writes are buffered in the txn.
   */
  savepoint?: number;
  /** The object's storage meter: a transaction's operations are billed as the storage's are. */
  meter: StorageMeter;
  /** KV backend: the instance's read cache, which sees what the transaction reads and commits. */
  cache?: SettlementModel;
}

type TxnState = "open" | "rolledBack" | "finished";

/**
 * A transaction's state and where its operations read and write: on the KV backend, its own
 * buffered writes over the backend; on SQLite, the backend itself (inside the savepoint).
 */
class TransactionState extends KeyValueOperations {
  /** Writes buffered by the transaction; undefined marks a delete. */
  readonly writes = new Map<string, Uint8Array | undefined>();
  alarm: { value: number | null } | undefined;
  state: TxnState = "open";
  /**
   * What the transaction's operations are billed to: on SQLite the object's meter, with the
   * batch's writes before the transaction marked (a rollback takes the count back there); on
   * the KV backend a meter holding the writes until the transaction commits.
   */
  override readonly meter: StorageMeter;
  readonly #mark: number;
  readonly #held: HeldWrites | undefined;

  constructor(readonly target: TransactionTarget) {
    super(target.rules);
    this.#held = target.savepoint === undefined ? new HeldWrites(target.meter) : undefined;
    this.meter = this.#held ?? target.meter;
    this.#mark = target.meter.batchMark();
  }

  protected get iface(): "DurableObjectTransaction" {
    return "DurableObjectTransaction";
  }

  protected get valueFormat(): ValueFormat {
    return this.target.writer;
  }

  override get alarmPolicy(): AlarmPolicy {
    return this.target.alarmPolicy;
  }

  /**
   * A transaction's operations settle as the storage's own do (conformance "txn timing"): two
   * microtask hops after the call, `getAlarm()` on SQLite one. Its writes are buffered (KV) or
   * made inside its savepoint (SQLite), never I/O; on the KV backend a read of what neither the
   * transaction wrote nor the cache holds is I/O, through the storage's cache (a list reads a
   * range, every key), allowing concurrency or not as the call says.
   */
  override settlement(op: StorageOperation, detail: SettlementDetail, key?: string): Settlement {
    const { cache, backend, rules } = this.target;
    const reads = op === "get" || op === "delete" || op === "list" || op === "getAlarm";
    // Its own setAlarm() or deleteAlarm() answers a getAlarm() at once, even while a read of
    // the alarm is in flight (conformance "edges-api: a transaction's deletes among its reads").
    // So does its own write of the one key a get(key) or delete(key) names.
    if (cache === undefined || !reads || (op === "getAlarm" && this.alarm !== undefined)) return uncachedSettlement(op);
    if (key !== undefined && this.writes.has(key)) return uncachedSettlement(op);
    const unwritten = detail.keys?.filter((written) => !this.writes.has(written));
    return cache.cachedSettlement(op, { ...detail, keys: unwritten, inTransaction: true }, rules.policy, backend, key);
  }

  override checkContext(needsActor?: boolean): void {
    this.target.writer.assertOwnContext(TRANSACTION_IO, needsActor);
  }

  override check(op: string): void {
    if (this.state === "rolledBack") throw new Error(`Cannot ${op} on rolled back transaction`);
    if (this.state === "finished") {
      throw new Error(`Cannot call ${op} on transaction that has already committed: did you move \`txn\` outside of the closure?`);
    }
  }

  /** Buffering (KV backend), every key deleted, found or not: workerd's cache keeps a tombstone for
   * each, which later reads answer and a `list({ limit })` counts among the deletes it takes. */
  protected override deletesKept(keys: readonly string[], existing: readonly string[]): readonly string[] {
    return this.target.savepoint === undefined ? keys : super.deletesKept(keys, existing);
  }

  protected override writtenHere(key: string): boolean {
    return this.writes.has(key);
  }

  override readKey(key: string): Uint8Array | undefined {
    return this.writes.has(key) ? this.writes.get(key) : this.target.backend.get(key);
  }

  override get rangeRowsRead(): number | undefined {
    // Merged with the transaction's own writes (KV backend), a range is billed by its entries.
    return this.writes.size === 0 ? this.target.backend.listRowsRead : undefined;
  }

  /**
   * The transaction's writes over the stored range, merged as workerd's ActorCache merges them
   * (and so production's KV backend): the writes in the range are taken in list order until
   * `limit` of them are puts, the store is listed with `limit` plus the deletes taken, and the
   * union is not cut back to `limit`. A list over a mix of pending and stored keys can so
   * return more than `limit` entries (conformance "txn: get and list inside transaction see
   * pending writes in order [kv]").
   */
  override readRange(range: KeyRange): StorageEntry[] {
    const { writes, target } = this;
    target.backend.takeListCursor?.();
    if (writes.size === 0) return target.backend.list(range);
    const inListOrder = ([a]: [string, unknown], [b]: [string, unknown]): number => (range.reverse ? compareKeys(b, a) : compareKeys(a, b));
    const taken: [string, Uint8Array | undefined][] = [];
    let puts = 0;
    for (const write of [...writes].filter(([key]) => within(key, range)).sort(inListOrder)) {
      taken.push(write);
      if (write[1] !== undefined && ++puts === range.limit) break;
    }
    const limit = range.limit === undefined ? undefined : range.limit + taken.length - puts;
    const merged = new Map(target.backend.list({ ...range, limit }));
    for (const [key, value] of taken) {
      if (value === undefined) merged.delete(key);
      else merged.set(key, value);
    }
    return [...merged].sort(inListOrder);
  }

  override writeKeys(keyWrites: KeyWrite[], options: WriteOptions): void {
    const { target } = this;
    if (target.savepoint !== undefined) applyWrites(target.backend, target.writer, keyWrites, options, this.rules.policy);
    else for (const [key, value] of keyWrites) this.writes.set(key, value);
  }

  override readAlarm(): number | null {
    return this.alarm ? this.alarm.value : this.target.backend.getAlarm();
  }

  override writeAlarm(scheduledTime: number | null, options: WriteOptions): void {
    const { target } = this;
    if (target.savepoint !== undefined) {
      target.writer.beginWrite(options.allowUnconfirmed);
      target.backend.setAlarm(scheduledTime);
    } else {
      this.alarm = { value: scheduledTime };
    }
  }

  rollback(): void {
    if (this.state === "rolledBack") return;
    this.check("rollback()");
    this.checkContext();
    this.state = "rolledBack";
    this.writes.clear();
    this.alarm = undefined;
    if (this.target.savepoint !== undefined) {
      this.target.backend.rollbackTo(this.target.savepoint);
      this.target.meter.rolledBackTo(this.#mark);
    }
  }

  /**
   * Ends the transaction: when `commit` and it was not rolled back, its writes take effect
   * atomically (KV: applied now; SQLite: the savepoint is released); otherwise they are undone.
   */
  finish(commit: boolean): void {
    const { target, writes, alarm } = this;
    if (this.state === "open") {
      // A transaction whose closure failed is a rolled-back one to a txn kept past its end.
      const ended = commit ? "finished" : "rolledBack";
      if (target.savepoint !== undefined) {
        // Ended either way, even when SQLite refuses to end the savepoint (which then throws).
        this.state = ended;
        if (commit) target.backend.release(target.savepoint);
        else {
          target.meter.rolledBackTo(this.#mark);
          target.backend.rollbackTo(target.savepoint);
        }
      } else if (commit) {
        if (writes.size > 0 || alarm) {
          target.writer.beginWrite();
          applyWrites(target.backend, target.writer, [...writes], { allowUnconfirmed: false }, this.rules.policy);
          target.cache?.learnAgainst([...writes.keys()], target.backend);
          if (alarm) {
            target.backend.setAlarm(alarm.value);
            target.cache?.learnAlarm();
          }
        }
        target.meter.absorb(this.#held!);
      }
      this.state = ended;
    }
  }
}

/**
 * `txn` of `transaction()`, shaped as the runtime's DurableObjectTransaction. On the KV
 * backend, reads see the transaction's own writes, and the writes reach storage together,
 * atomically, only when the closure succeeds; operations on `ctx.storage` made inside the
 * closure are not part of it. On the SQLite backend the transaction is a savepoint around
 * everything the closure does.
 */
export class DurableObjectTransaction {
  readonly #state: TransactionState;

  constructor(target: TransactionTarget) {
    this.#state = new TransactionState(target);
  }

  rollback(): void {
    this.#state.rollback();
  }

  deleteAll(): never {
    throw new Error("Cannot call deleteAll() within a transaction");
  }

  /** Ends `txn` (see TransactionState.finish); called by transaction() when the closure settles. */
  static finish(txn: DurableObjectTransaction, commit: boolean): void {
    txn.#state.finish(commit);
  }

  static {
    defineKeyValueMethods(this, (self) => (self as DurableObjectTransaction).#state);
    defineInterface(this, "DurableObjectTransaction", (value) => typeof value === "object" && value !== null && #state in value, {
      order: ["get", "list", "put", "delete", "deleteAll", "rollback", "getAlarm", "setAlarm", "deleteAlarm"],
    });
  }
}

/** get/put/delete/list and the alarm methods, defined by defineKeyValueMethods. */
export interface DurableObjectTransaction extends KeyValueMethods {}

function within(key: string, { start, end }: KeyRange): boolean {
  return (start === undefined || compareKeys(key, start) >= 0) && (end === undefined || compareKeys(key, end) < 0);
}

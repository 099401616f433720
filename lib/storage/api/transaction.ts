import type { KeyRange, StorageBackend, StorageEntry } from "../backend.js";
import type { BatchWriter } from "../coalescer.js";
import { compareKeys } from "../keys.js";
import { type AlarmPolicy, applyWrites, type KeyWrite, type PutOptions, type SetAlarmOptions, StorageOperations } from "./operations.js";
import type { KeyValueRules } from "./validation.js";

/** What a transaction needs from the storage it belongs to. */
export interface TransactionTarget {
  backend: StorageBackend;
  /** The instance's writer: once the instance is reset, the transaction writes nothing more. */
  writer: BatchWriter;
  rules: KeyValueRules;
  alarmPolicy: AlarmPolicy;
  /**
   * SQLite backend: the savepoint the transaction runs in. Writes then go straight to the
   * database (where everything else the object does during the closure also lands), and
   * rollback undoes the savepoint. Without it (KV backend), writes are buffered in the txn.
   */
  savepoint?: number;
}

type TxnState = "open" | "rolledBack" | "finished";

interface TxnInternals {
  target: TransactionTarget;
  /** Writes buffered by the transaction; undefined marks a delete. */
  writes: Map<string, Uint8Array | undefined>;
  alarm: { value: number | null } | undefined;
  state: TxnState;
}

const internals = new WeakMap<DurableObjectTransaction, TxnInternals>();

/**
 * `txn` of `transaction()`. On the KV backend, reads see the transaction's own writes, and the
 * writes reach storage together, atomically, only when the closure succeeds; operations on
 * `ctx.storage` made inside the closure are not part of it. On the SQLite backend the
 * transaction is a savepoint around everything the closure does.
 */
export class DurableObjectTransaction extends StorageOperations {
  constructor(target: TransactionTarget) {
    super();
    internals.set(this, { target, writes: new Map(), alarm: undefined, state: "open" });
  }

  protected get rules(): KeyValueRules {
    return state(this).target.rules;
  }

  protected get interfaceName(): "DurableObjectTransaction" {
    return "DurableObjectTransaction";
  }

  protected get alarmPolicy(): AlarmPolicy {
    return state(this).target.alarmPolicy;
  }

  protected check(op: string): void {
    const { state: current } = state(this);
    if (current === "rolledBack") throw new Error(`Cannot ${op} on rolled back transaction`);
    if (current === "finished") {
      throw new Error(
        `Cannot call ${op} on transaction that has already committed: did you move \`txn\` outside of the closure?`,
      );
    }
  }

  protected readKey(key: string): Uint8Array | undefined {
    const { writes, target } = state(this);
    return writes.has(key) ? writes.get(key) : target.backend.get(key);
  }

  protected readRange(range: KeyRange): StorageEntry[] {
    const { writes, target } = state(this);
    if (writes.size === 0) return target.backend.list(range);
    const inRange = [...writes].filter(([key]) => within(key, range));
    const limit = range.limit === undefined ? undefined : range.limit + inRange.length;
    const merged = new Map(target.backend.list({ ...range, limit }));
    for (const [key, value] of inRange) {
      if (value === undefined) merged.delete(key);
      else merged.set(key, value);
    }
    const entries = [...merged].filter((entry): entry is StorageEntry => entry[1] !== undefined);
    entries.sort(([a], [b]) => (range.reverse ? compareKeys(b, a) : compareKeys(a, b)));
    return range.limit === undefined ? entries : entries.slice(0, range.limit);
  }

  protected writeKeys(keyWrites: KeyWrite[], options: PutOptions): void {
    const { writes, target } = state(this);
    if (target.savepoint !== undefined) applyWrites(target.backend, target.writer, keyWrites, options);
    else for (const [key, value] of keyWrites) writes.set(key, value);
  }

  protected readAlarm(): number | null {
    const { alarm, target } = state(this);
    return alarm ? alarm.value : target.backend.getAlarm();
  }

  protected writeAlarm(scheduledTime: number | null, options: SetAlarmOptions): void {
    const internal = state(this);
    const { target } = internal;
    if (target.savepoint !== undefined) {
      target.writer.beginWrite(options.allowUnconfirmed);
      target.backend.setAlarm(scheduledTime);
    } else {
      internal.alarm = { value: scheduledTime };
    }
  }

  rollback(): void {
    const internal = state(this);
    if (internal.state === "rolledBack") return;
    this.check("rollback()");
    internal.state = "rolledBack";
    internal.writes.clear();
    internal.alarm = undefined;
    const { target } = internal;
    if (target.savepoint !== undefined && target.writer.usable) target.backend.rollbackTo(target.savepoint);
  }

  deleteAll(): never {
    throw new Error("Cannot call deleteAll() within a transaction");
  }
}

function state(txn: DurableObjectTransaction): TxnInternals {
  return internals.get(txn)!;
}

function within(key: string, { start, end }: KeyRange): boolean {
  return (start === undefined || compareKeys(key, start) >= 0) && (end === undefined || compareKeys(key, end) < 0);
}

/**
 * Ends the transaction: when `commit` and it was not rolled back, its writes take effect
 * atomically (KV: applied now; SQLite: the savepoint is released); otherwise they are undone.
 * If the instance was reset meanwhile, its batch (and the savepoint in it) is gone already,
 * and nothing of the transaction may be written.
 */
export function finishTransaction(txn: DurableObjectTransaction, commit: boolean): void {
  const internal = state(txn);
  const { target, writes, alarm } = internal;
  if (internal.state === "open" && !target.writer.usable) {
    internal.state = "finished";
    if (commit) target.writer.beginWrite(); // throws the instance's error: the commit is refused
    return;
  }
  if (internal.state === "open") {
    if (target.savepoint !== undefined) {
      if (commit) target.backend.release(target.savepoint);
      else target.backend.rollbackTo(target.savepoint);
    } else if (commit && (writes.size > 0 || alarm)) {
      target.writer.beginWrite();
      applyWrites(target.backend, target.writer, [...writes], {});
      if (alarm) target.backend.setAlarm(alarm.value);
    }
    internal.state = "finished";
  }
}

import { checkKeyValueRecord, keyValueRecordRefusal } from "../sqlite/bound-values.js";
import { errorReference } from "../util/error-reference.js";
import { utf8Length } from "../util/utf8.js";
import { normalizeKey } from "./keys.js";

/**
 * Everything that differs between the two kinds of Durable Object storage, decided once, when
 * an object's backend is made (object-storage.ts). Code above the backends asks the policy;
 * nothing else branches on the kind of backend.
 */
export interface StoragePolicy {
  /** "kv" for KV-backed classes (`new_classes`), "sqlite" for `new_sqlite_classes`. */
  readonly kind: "kv" | "sqlite";
  /** Production's key and value limits, enforced with its errors; none for SQLite-backed objects. */
  readonly limits: KeyValueLimits | undefined;
  /**
   * Throws as the backend's store refuses the row of one entry (`key` as stored, its value
   * serialised): SQLite's length limit on SQLite-backed objects; nothing on KV-backed ones,
   * whose `limits` are far smaller.
   */
  checkEntry(key: string, bytes: Uint8Array): void;
  /**
   * The error checkEntry() refuses every value with that serialises to at least `leastBytes`,
   * whatever its key and exact size, where the error names neither: such a value is refused
   * without being serialised (a 64 MiB string costs a 64 MiB copy). SQLite's record limit;
   * none on KV-backed objects, whose `limits` refusal names the value's exact size.
   */
  oversized(leastBytes: number): Error | undefined;
  /**
   * The key as the backend stores it: as given (a lone surrogate kept, as workerd keeps it),
   * but on disk for KV-backed classes (see KV_ON_DISK_POLICY).
   */
  storageKey(key: string): string;
  /**
   * `sync()`: the KV backend commits at once, so waiting lets no other event in; the SQLite
   * backend commits at the end of the turn, so `await sync()` lets queued events run first.
   */
  readonly syncCommitsAtOnce: boolean;
  /**
   * An event's outcome that waits for its writes to commit leaves once the commit is confirmed,
   * and so does every outcome ready before then (SQLite); on the KV backend it leaves at once. The
   * writes commit when the event finishes either way, but workerd confirms the SQLite commit two
   * turns of its event loop later (WriteCoalescer.confirm), and the events queued behind the finished one start first:
   * one that resets the object (ctx.abort) cancels the outcomes still waiting, though their
   * writes stay committed. Writes that hold no outcome (allowUnconfirmed) commit as an outcome
   * leaves, before those events too.
   */
  readonly confirmsAtTurnEnd: boolean;
  /**
   * Every put() and delete() reaches the store, one that changes nothing too (a key deleted that
   * is not stored, a put() of no entries): workerd's SQLite KV creates its `_cf_KV` table on its
   * first write of any kind, which `sqlite_master` and `databaseSize` show. On KV-backed objects
   * the cache keeps such writes from storage.
   */
  readonly everyWriteReachesStore: boolean;
  /** A read with `allowConcurrency` of what the cache does not hold lets other events in while it waits (KV); SQLite reads are synchronous. */
  readonly concurrentReadsYield: boolean;
  /**
   * KV-backed objects read through the runtime's cache: reading a key, a range or the alarm
   * the instance has not seen yet is I/O. SQLite reads are synchronous.
   */
  readonly readsThroughCache: boolean;
  /**
   * `transaction()` is a savepoint around everything the closure does (SQLite), rather than a
   * buffer of the txn's own writes applied at the end (KV). With savepoints, `deleteAll()` is
   * refused inside a transaction and always waits to be confirmed.
   */
  readonly savepointTransactions: boolean;
  /**
   * An alarm set or deleted after the runtime armed the alarm and before its handler started
   * cancels that run (KV: the cache drops the armed alarm with the change); on SQLite the armed
   * handler runs anyway, and the change is what comes after it.
   */
  readonly alarmChangeCancelsArmedRun: boolean;
  /**
   * SQLite: alarm() clears its alarm with the handler's writes, so a ctx.abort(reason,
   * { retryAlarm: false }) that discards uncommitted writes keeps the alarm stored (getAlarm()
   * reports it) while the scheduler drops it; and as the scheduler only hears of alarms moving
   * earlier or deleted, no later alarm of the object runs until one is deleted (workerd).
   */
  readonly abortedAlarmOutlivesItsSchedule: boolean;
  /**
   * SQLite: an alarm set while a failed one waits for its retry does not replace that retry, as
   * workerd's scheduler queues it behind the retry: when the retry comes, a new alarm already due
   * is run by it (the failed alarm's scheduledTime and retryCount, the new alarm cleared if it
   * succeeds), a later one drops it and runs in its own time. KV: the new alarm replaces the retry.
   */
  readonly newAlarmWaitsForPendingRetry: boolean;
  /** The error a caller sees when a commit fails, worded as production words it for this backend. */
  commitFailure(error: Error): CommitFailure;
}

export interface KeyValueLimits {
  maxKeyBytes: number;
  maxValueBytes: number;
  /** The runtime's check allows this much serialization overhead above the advertised limit. */
  valueAllowance: number;
  /** Keys one `get([...])` may ask for. */
  maxGetKeys: number;
}

export interface CommitFailure {
  message: string;
  /**
   * True: the error carries `durableObjectReset` like any reset. False: it reaches callers
   * exactly as made, without flags (the SQLite backend's wording).
   */
  flagged: boolean;
}

export const COMMIT_FAILED_MESSAGE = "Internal error in Durable Object storage write caused object to be reset.";

export const KV_POLICY: StoragePolicy = {
  kind: "kv",
  limits: { maxKeyBytes: 2048, maxValueBytes: 131072, valueAllowance: 34, maxGetKeys: 128 },
  storageKey: (key) => key,
  syncCommitsAtOnce: true,
  confirmsAtTurnEnd: false,
  everyWriteReachesStore: false,
  concurrentReadsYield: true,
  readsThroughCache: true,
  savepointTransactions: false,
  alarmChangeCancelsArmedRun: true,
  abortedAlarmOutlivesItsSchedule: false,
  newAlarmWaitsForPendingRetry: false,
  checkEntry: () => undefined,
  oversized: () => undefined,
  commitFailure: () => ({ message: COMMIT_FAILED_MESSAGE, flagged: true }),
};

/**
 * A KV-backed class whose storage is on disk: the same rules, stored in SQLite. Its cache and
 * buffered transactions compare the keys they hold with keys listed from SQLite, which read a
 * lone surrogate back as three U+FFFD, so keys are stored in that form (two keys differing only
 * in lone surrogates are one key there).
 */
export const KV_ON_DISK_POLICY: StoragePolicy = { ...KV_POLICY, storageKey: normalizeKey };

export const SQLITE_POLICY: StoragePolicy = {
  kind: "sqlite",
  limits: undefined,
  // The key as given: sql.js writes a lone surrogate as its three WTF-8 bytes, as workerd does,
  // so such keys stay distinct and sort (and bound a list) where workerd's do, between U+D7FF
  // and U+E000; a listed row reads each back as three U+FFFD, as workerd's.
  storageKey: (key) => key,
  syncCommitsAtOnce: false,
  confirmsAtTurnEnd: true,
  everyWriteReachesStore: true,
  concurrentReadsYield: false,
  readsThroughCache: false,
  savepointTransactions: true,
  alarmChangeCancelsArmedRun: false,
  abortedAlarmOutlivesItsSchedule: true,
  newAlarmWaitsForPendingRetry: true,
  checkEntry: (key, bytes) => checkKeyValueRecord(utf8Length(key), bytes.byteLength),
  oversized: (leastBytes) => keyValueRecordRefusal(0, leastBytes),
  commitFailure: (error) => {
    if (error.message.includes("SQLITE_CONSTRAINT")) {
      return {
        message:
          "Durable Object was reset and rolled back to its last known good state because the application left " +
          `the database in a state where constraints were violated: ${error.message}`,
        flagged: false,
      };
    }
    return { message: `internal error; reference = ${errorReference()}`, flagged: false };
  },
};

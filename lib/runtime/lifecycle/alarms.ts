import { defineInterface } from "../../util/webidl.js";
import { type Clock, type Timer, wallTime } from "./clock.js";

/**
 * Production's retry policy [wd:alarm-scheduler.c++; worker-interface.h]. A failure of the
 * handler counts against ALARM_MAX_RETRIES; one before the alarm could be armed (the object's
 * constructor threw, the object was reset ahead of it) is retried on the same backoff without
 * counting, up to 2 s · 2^9 apart.
 */
const ALARM_RETRY_START_MS = 2_000;
const ALARM_MAX_RETRIES = 6;
const ALARM_RETRY_BACKOFF_MAX = 9;
const ALARM_RETRY_JITTER = 0.25;

/**
 * `alarm(alarmInfo)`'s argument, shaped as the runtime's: read-only own properties in this
 * order (JSON shows them so), on a prototype tagged AlarmInvocationInfo.
 */
class AlarmInvocationInfo {
  declare readonly scheduledTime: number;
  declare readonly retryCount: number;
  declare readonly isRetry: boolean;

  constructor(scheduledTime: number, retryCount: number) {
    const readOnly = (value: unknown) => ({ value, enumerable: true, configurable: true });
    Object.defineProperties(this, {
      scheduledTime: readOnly(scheduledTime),
      retryCount: readOnly(retryCount),
      isRetry: readOnly(retryCount > 0),
    });
  }

  static {
    defineInterface(this, "AlarmInvocationInfo", (value) => value instanceof AlarmInvocationInfo);
  }
}

/**
 * The info of an alarm's first run at `scheduledTime`, the runtime's own kind: what
 * cloudflare:test's runDurableObjectAlarm hands `alarm()`, so a handler cannot tell the two apart.
 */
export function firstRunAlarmInfo(scheduledTime: number): object {
  return new AlarmInvocationInfo(scheduledTime, 0);
}

/** The alarm event: `run` calls the handler and returns what it returns; `settle` learns whether it succeeded. */
interface AlarmEvent {
  /** `handlers.alarm`: the instance's alarm(), as its constructor left it. */
  run(instance: object, handlers: { readonly alarm: unknown }): unknown;
  settle(ok: boolean): void;
  /** Both passes report to the scheduler, not to a caller (see EventRequest.outcomeToRuntime). */
  readonly outcomeToRuntime: true;
}

/** The instance an alarm is delivered to (an object's incarnation). */
export interface AlarmTarget {
  /** Delivers an alarm event through the input gate (billed as an alarm invocation, or not: the second pass). */
  submit(event: AlarmEvent, billed?: "alarm"): void;
  /** False once the object called `ctx.abort(reason, { retryAlarm: false })`. */
  readonly retryAlarm: boolean;
  /** True once the object called `ctx.abort()` while writes were uncommitted (they were discarded). */
  readonly abortDiscardedWrites: boolean;
}

/** What an alarm needs from its object. */
export interface AlarmHost {
  readonly idHex: string;
  /** The alarm slot of storage (committed, unless a batch is open). */
  storedAlarm(): number | null;
  /** Writes the alarm slot as part of the open batch, so a reset rolls it back with the rest. */
  writeAlarm(time: number | null): void;
  /** Commits the open batch now. */
  commit(): void;
  /** The live instance, constructed if needed, with the name persisted with the alarm. */
  alarmTarget(): AlarmTarget;
  /** The storage's rule (StoragePolicy): a change of the alarm between its two passes cancels the handler. */
  readonly alarmChangeCancelsArmedRun: boolean;
  /** The storage's rule (StoragePolicy): an alarm() aborted without retry amid uncommitted writes stays stored, unscheduled. */
  readonly abortedAlarmOutlivesItsSchedule: boolean;
  /** The storage's rule (StoragePolicy): an alarm set while a failed one waits for its retry is queued behind that retry. */
  readonly newAlarmWaitsForPendingRetry: boolean;
}

/**
 * The delay before a retry at backoff step `backoff`: 2 s · 2^backoff plus up to 25 % jitter.
 * Production draws the jitter at random; here it is derived from the object's id and the
 * step, so a test sees the same delays on every run.
 */
export function alarmRetryDelay(idHex: string, backoff: number): number {
  const delay = ALARM_RETRY_START_MS * 2 ** backoff;
  const maxJitter = Math.floor(delay * ALARM_RETRY_JITTER);
  return delay + Math.floor(unitHash(`${idHex}:${backoff}`) * (maxJitter + 1));
}

/** FNV-1a of `text`, scaled to [0, 1). */
function unitHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) / 2 ** 32;
}

/**
 * One object's alarm schedule. Storage holds the alarm (so coalescing, transactions and the
 * output gate apply to it); this arms a clock timer for the committed value, delivers the
 * alarm through the input gate, and applies production's clear-on-success and retry rules.
 *
 * While alarm() runs, its alarm stays stored (getAlarm() reports it as null, see
 * runningAlarm()), so what the handler does to the slot decides what comes next, as in the
 * runtime: left alone, the alarm is cleared on success and retried on failure; deleted
 * (deleteAlarm(), deleteAll()), nothing runs again even if the handler throws; replaced by a
 * new time, that alarm runs next. Writes rolled back (a transaction, a reset) leave it alone.
 */
export class ObjectAlarm {
  /** The stored alarm time the timer serves (or the retry pending for it). */
  #armedFor: number | null = null;
  #timer: Timer | undefined;
  /** Retries already made for the current alarm that count against the limit (alarmInfo.retryCount). */
  #retryCount = 0;
  /** The backoff step of the next retry: it grows with every retry, and restarts when a counted one follows uncounted ones. */
  #backoff = 0;
  /** Whether the last retry counted against the limit. */
  #lastRetryCounted = false;
  /** The timer serves a retry of the failed alarm #armedFor (from its failure until the retry fires). */
  #retryPending = false;
  /** The scheduled time of the alarm being delivered (from its timer to its handler's end), if one is. */
  #running: number | null = null;
  /** The alarm being delivered passed the gate once: armed, it is the running alarm to getAlarm(). */
  #armed = false;
  /** The running handler set its own alarm's time again: a new alarm, not the running one. */
  #rescheduledSame = false;
  #cancelled = false;
  /**
   * The alarm the scheduler dropped while storage kept it (see abortedAlarmOutlivesItsSchedule):
   * the runtime tells its scheduler of an alarm moving earlier, or deleted, but not of one moving
   * later (the earlier one, firing, would reschedule it), so no alarm at or after this time runs
   * until one is deleted or set earlier.
   */
  #unscheduledSince: number | null = null;
  /**
   * How far the clock was ahead of object code's `Date.now()` (0 on the real clock) when object
   * code last called setAlarm(). Alarm times are written in object code's frame; shifted by
   * this offset they fall due on the clock after the same distance: on the manual clock, an
   * alarm set for `Date.now() + 60_000` fires once the clock has moved 60 s from that call,
   * however long the write took to commit.
   */
  #offsetAtSet: number | undefined;

  constructor(
    private readonly host: AlarmHost,
    private readonly clock: Clock,
  ) {}

  /** Object code is calling setAlarm() (the write commits later): returns object code's time. */
  settingAlarm(): number {
    const wall = wallTime();
    this.#offsetAtSet = this.clock.now() - wall;
    return wall;
  }

  /** The alarm whose handler is running: storage still holds it, but getAlarm() reports null. */
  runningAlarm(): number | null {
    return this.#armed && !this.#rescheduledSame ? this.#running : null;
  }

  /** Object code set the alarm to `time` (the write commits later). */
  alarmSet(time: number): void {
    if (this.#armed && time === this.#running) this.#rescheduledSame = true;
  }

  /** Re-reads the stored alarm and re-arms the timer if it changed; called after every commit. */
  sync(): void {
    // The running alarm settles its successor itself when it finishes (see #finished).
    if (this.#running !== null) return;
    const stored = this.host.storedAlarm();
    if (this.#unscheduledSince !== null) {
      if (stored !== null && stored >= this.#unscheduledSince) return this.#arm(null, 0);
      this.#unscheduledSince = null;
    }
    if (stored === this.#armedFor) return;
    // SQLite: a new alarm waits behind a pending retry of the old one (see #fire); elsewhere,
    // and a deleted alarm everywhere, replaces it.
    if (this.#retryPending && stored !== null && this.host.newAlarmWaitsForPendingRetry) return;
    this.#resetRetries();
    if (stored === null) {
      this.#arm(null, 0);
      return;
    }
    this.#arm(stored, Math.max(this.clock.now(), this.#onClock(stored)));
  }

  /** When an alarm stored for `time` (object code's time) falls due on the clock. */
  #onClock(time: number): number {
    return time + (this.#offsetAtSet ?? this.clock.now() - wallTime());
  }

  /** Runs the stored alarm now (a pending retry keeps its count). False if there is none. */
  async runNow(): Promise<boolean> {
    if (this.#running !== null) return false;
    const stored = this.host.storedAlarm();
    if (stored === null) return false;
    if (stored !== this.#armedFor) this.#resetRetries();
    await this.#run(stored);
    return true;
  }

  /** Whether the handler is running now. */
  get running(): boolean {
    return this.#running !== null;
  }

  /** Stops serving the alarm for good: the object is gone, its storage with it. */
  cancel(): void {
    this.#cancelled = true;
    this.#arm(null, 0);
  }

  #arm(alarmTime: number | null, due: number): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#armedFor = alarmTime;
    if (alarmTime !== null) this.#timer = this.clock.at(due, () => this.#fire());
  }

  #fire(): Promise<void> | void {
    this.#timer = undefined;
    const stored = this.host.storedAlarm();
    if (this.#retryPending && stored !== null && stored !== this.#armedFor) {
      // The retry of an alarm replaced since it failed (a SQLite-backed object's scheduler
      // queues the new one behind it): workerd's storage runs it as long as the new alarm is
      // already due, standing in for that alarm, and otherwise drops it for the new one.
      if (this.#onClock(stored) <= this.clock.now()) return this.#run(this.#armedFor!, stored);
      this.#retryPending = false;
      this.#armedFor = null;
      return this.sync();
    }
    // Deleted or replaced since the timer was set (deleteAlarm() and deleteAll() do not notify).
    if (stored === null || stored !== this.#armedFor) {
      this.#armedFor = null;
      return this.sync();
    }
    return this.#run(stored);
  }

  /**
   * Delivers the alarm as the runtime does, through the input gate twice: the first pass arms
   * it (checks it is still the stored alarm), the second runs the handler. Whatever queued at
   * the gate while the first pass waited runs between the two, so an alarm that came due while
   * the gate was held (blockConcurrencyWhile, a constructor) runs after every event queued by
   * the time the gate reopened, not at its own place in the queue. From the first pass on it is
   * the running alarm (getAlarm() reports null; before it, code resuming ahead of it, such as a
   * critical section's, sees it stored). An event running between the passes may set or
   * delete the alarm: the handler still runs on SQLite, not on KV (alarmChangeCancelsArmedRun).
   * `slot` is the stored alarm the run stands for, when a retry of `scheduledTime` runs for the
   * alarm that replaced it (see #fire): getAlarm() hides that one, success clears it, and a
   * failure leaves it to run next, not retried.
   */
  #run(scheduledTime: number, slot = scheduledTime): Promise<void> {
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#retryPending = false;
    this.#armedFor = slot;
    this.#running = slot;
    const info = new AlarmInvocationInfo(scheduledTime, this.#retryCount);
    return new Promise((resolve) => {
      const target = this.host.alarmTarget();
      // `counted`: whether a failure counts against the retry limit (from the second pass on).
      const finish = (ok: boolean, counted: boolean) => {
        this.#finished(ok, slot, target, counted, slot !== scheduledTime);
        resolve();
      };
      const handler: AlarmEvent = {
        run: (instance, { alarm }) => {
          if (this.host.alarmChangeCancelsArmedRun && this.#changedSince(slot)) return undefined;
          return typeof alarm === "function" ? alarm.call(instance, info) : undefined;
        },
        settle: (ok) => finish(ok, true),
        outcomeToRuntime: true,
      };
      const arm: AlarmEvent = {
        run: () => undefined,
        outcomeToRuntime: true,
        // Changed while waiting for the first pass (by code resuming ahead of it): not run.
        settle: (ok) => {
          // Not armed: the constructor threw, or the object was reset before this pass.
          if (!ok || this.#changedSince(slot)) return finish(ok, false);
          this.#armed = true;
          target.submit(handler);
        },
      };
      target.submit(arm, "alarm");
    });
  }

  /** Whether the stored alarm is no longer the one scheduled for `scheduledTime` (deleted, replaced or set again). */
  #changedSince(scheduledTime: number): boolean {
    return this.host.storedAlarm() !== scheduledTime || this.#rescheduledSame;
  }

  #finished(ok: boolean, scheduledTime: number, target: AlarmTarget, counted: boolean, standIn: boolean): void {
    if (this.#cancelled) return;
    // Still marked running until the end: the commits below are bookkeeping, not a new alarm.
    // Writes made before a throw are kept, as in production.
    this.host.commit();
    const stored = this.host.storedAlarm();
    // Anything else stored (null: deleted; another time: replaced) is the handler's decision,
    // even when it failed afterwards: a deleted alarm is not retried, a new one runs next.
    const untouched = stored === scheduledTime && !this.#rescheduledSame;
    const retry = !ok && untouched && !standIn && target.retryAlarm && this.#retryCount < ALARM_MAX_RETRIES;
    // workerd clears the alarm as part of the handler's writes: an abort(reason, { retryAlarm:
    // false }) that discarded uncommitted writes discards that too, while its scheduler drops it.
    const unscheduled = !ok && untouched && !target.retryAlarm && target.abortDiscardedWrites && this.host.abortedAlarmOutlivesItsSchedule;
    // Done with it (success, out of retries, or abort(reason, { retryAlarm: false })): cleared.
    // While a retry is pending, getAlarm() keeps reporting the alarm's time. A failed stand-in
    // leaves the alarm it stood for to run next (the scheduler's queued alarm).
    if (untouched && !retry && !unscheduled && (ok || !standIn)) this.#commitAlarm(null);
    if (unscheduled) this.#unscheduledSince = scheduledTime;
    this.#running = null;
    this.#armed = false;
    this.#rescheduledSame = false;
    if (retry) {
      this.#arm(scheduledTime, this.clock.now() + this.#nextRetryDelay(counted));
      this.#retryPending = true;
    } else {
      this.#resetRetries();
      this.#armedFor = null;
      this.sync();
    }
  }

  /** Counts a retry and returns its delay (the runtime's scheduler's bookkeeping). */
  #nextRetryDelay(counted: boolean): number {
    if (counted) {
      this.#retryCount++;
      if (!this.#lastRetryCounted) this.#backoff = 0;
    }
    this.#lastRetryCounted = counted;
    this.#backoff = Math.min(this.#backoff, ALARM_RETRY_BACKOFF_MAX);
    return alarmRetryDelay(this.host.idHex, this.#backoff++);
  }

  #resetRetries(): void {
    this.#retryPending = false;
    this.#retryCount = 0;
    this.#backoff = 0;
    this.#lastRetryCounted = false;
  }

  #commitAlarm(time: number | null): void {
    this.host.writeAlarm(time);
    this.host.commit();
  }
}

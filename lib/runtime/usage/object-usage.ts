import { RareStorageCounts, StorageMeter } from "../../storage/meter.js";
import type { StorageKind } from "../../storage/object-storage.js";
import { Batch } from "../../util/batch.js";
import { atTurnEnd } from "../../util/turn.js";
import type { GateMeter } from "../gates/input-gate.js";
import type { Clock } from "../lifecycle/clock.js";
import type { TimerOwner } from "../lifecycle/timers.js";
import { derive, emptyUsage, type Usage } from "./usage.js";

/**
 * Everything one Durable Object did, counted as production bills it: its storage (the
 * StorageMeter this extends), its requests, its gates, and its duration: how long it was
 * active or idle but unable to hibernate, and what held it.
 *
 * An object is held while an event is in flight, an accepted (non-hibernatable) WebSocket is
 * open, or a timer its code set is pending. Duration is measured on the emulator's clock. The
 * machine's clock costs a system call to read, more than an RPC call's own bookkeeping, so when
 * it is the clock, a busy stretch starts at once but a change after it (the object going idle,
 * or held for another reason) is stamped at the end of the turn: calls in a row within one turn
 * are one busy stretch, read twice. Virtual time (the manual clock, fake timers) is read on
 * every change, as reading it is free and it may jump at any moment.
 *
 * One object holds the counters every object moves (one allocation per Durable Object,
 * increments only on the hot path), a second, made on first use, the rest (see RareUsage);
 * `report()` turns them into the plain Usage shape.
 */

/** What a request is billed as. */
export type BilledRequest = "http" | "rpc" | "alarm" | "webSocketMessage";

const REQUESTS = 0;
const WEB_SOCKETS = 1;
const TIMERS = 2;
const IDLE = 3;
/**
 * The holder's bits in `#holder`; above them, STAMP_DUE: a change waits for the end of the turn
 * to be stamped, and SINCE_AS_IS: `#since` is the time itself, not its distance from EPOCH.
 */
const HOLDER = 3;
const STAMP_DUE = 4;
const SINCE_AS_IS = 8;

/**
 * `#since` is kept as its distance from this moment, a small integer, whenever that is exact
 * (whole milliseconds, within 2^31 of it: always, on the machine's clock): V8 keeps a number
 * that is not a small integer in a box of its own on every object of the shape (16 bytes each),
 * and a time since 1970 is never a small integer. Other times are kept as they are.
 */
const EPOCH = Math.trunc(Date.now());

/** `value` itself, as a small integer when it is one (see EPOCH): sums of durations stay unboxed. */
function unboxed(value: number): number {
  const int = value | 0;
  return int === value ? int : value;
}

/** Usage whose holder changed this turn, stamped at its end (see above). */
const unstamped = new Batch<ObjectUsage>();

function stampAll(): void {
  unstamped.drain(ObjectUsage.stampNow);
}

/**
 * The counters most objects never move (alarms, WebSockets, timers, resets, waits at the
 * input gate), with the storage's (list() calls, rollbacks): one object, made by the first
 * that moves, so an object that uses none of them costs a field.
 */
class RareUsage extends RareStorageCounts {
  alarms = 0;
  webSocketMessages = 0;
  resets = 0;
  queuedEvents = 0;
  queuedMs = 0;
  openWebSockets = 0;
  pendingTimers = 0;
  webSocketMs = 0;
  timerMs = 0;
}

export class ObjectUsage extends StorageMeter<RareUsage> implements GateMeter, TimerOwner {
  http = 0;
  rpc = 0;
  outputWaits = 0;
  /** Events in flight now (what else holds the object is in the rare counters). */
  #inFlight = 0;
  /** Duration stamped so far while requests held the object (the other holders' is in the rare counters). */
  #requestMs = 0;
  /** The holder the stretch since `#since` is stamped to, STAMP_DUE and SINCE_AS_IS. */
  #holder = IDLE;
  /** When the stretch began (see EPOCH). */
  #since = 0;
  readonly #clock: Clock;

  constructor(kind: StorageKind, clock: Clock) {
    super(kind);
    this.#clock = clock;
  }

  /** The rare counters are the storage's and these together (see RareUsage): one object for both. */
  protected override newRare(): RareUsage {
    return new RareUsage();
  }

  /** A request reached the object. */
  request(kind: BilledRequest): void {
    if (kind === "rpc") this.rpc++;
    else if (kind === "http") this.http++;
    else this.rareRequest(kind);
  }

  /** (Apart from request(), for the reason changed() gives.) */
  private rareRequest(kind: "alarm" | "webSocketMessage"): void {
    if (kind === "alarm") this.rare().alarms++;
    else this.rare().webSocketMessages++;
  }

  /** An event is in flight (from its delivery until its outcome is settled or it is dropped). */
  eventStarted(): void {
    if (this.#inFlight++ === 0) this.changed();
  }

  /** `count` events are no longer in flight. */
  eventsEnded(count: number): void {
    this.#inFlight -= count;
    if (this.#inFlight === 0 && count > 0) this.changed();
  }

  webSocketOpened(): void {
    if (this.rare().openWebSockets++ === 0) this.changed();
  }

  webSocketClosed(): void {
    if (--this.rare().openWebSockets === 0) this.changed();
  }

  timerSet(): void {
    if (this.rare().pendingTimers++ === 0) this.changed();
  }

  timerDone(): void {
    if (--this.rare().pendingTimers === 0) this.changed();
  }

  now(): number {
    return this.#clock.now();
  }

  waited(ms: number): void {
    const rare = this.rare();
    rare.queuedEvents++;
    if (ms > 0) rare.queuedMs += ms;
  }

  outputHeld(): void {
    this.outputWaits++;
  }

  /** The instance was reset. */
  instanceReset(): void {
    this.rare().resets++;
  }

  /** The counters as plain data; stamps the stretch so far first. */
  report(): Usage {
    if ((this.#holder & HOLDER) !== IDLE) this.stamp(this.#clock.now());
    const rare = this.rareIfMade ?? NO_RARE_USAGE;
    const usage = emptyUsage();
    usage.requests.http = this.http;
    usage.requests.rpc = this.rpc;
    usage.requests.alarms = rare.alarms;
    usage.requests.webSocketMessages = rare.webSocketMessages;
    usage.duration.heldBy.requests = this.#requestMs;
    usage.duration.heldBy.webSockets = rare.webSocketMs;
    usage.duration.heldBy.timers = rare.timerMs;
    usage.sqlite.rowsRead = this.rowsRead;
    usage.sqlite.rowsWritten = this.rowsWritten;
    usage.sqlite.statements = this.statements;
    usage.kv.readUnits = this.readUnits;
    usage.kv.writeUnits = this.writeUnits;
    usage.kv.deletes = this.deletes;
    usage.kv.lists = this.lists;
    usage.commits.count = this.commits;
    usage.commits.writes = this.committedWrites;
    usage.commits.largest = this.largestCommit;
    usage.commits.rolledBack = this.rolledBack;
    usage.gates.outputWaits = this.outputWaits;
    usage.gates.queuedEvents = rare.queuedEvents;
    usage.gates.queuedMs = rare.queuedMs;
    usage.resets = rare.resets;
    return derive(usage);
  }

  /** Zeroes every counter; a stretch in progress counts from now on. */
  clear(): void {
    if ((this.#holder & HOLDER) !== IDLE) this.stamp(this.#clock.now());
    this.resetStorageCounters();
    this.http = this.rpc = this.outputWaits = this.#requestMs = 0;
    const rare = this.rareIfMade;
    if (rare !== undefined) rare.alarms = rare.webSocketMessages = rare.resets = rare.queuedEvents = rare.queuedMs = rare.webSocketMs = rare.timerMs = 0;
  }

  /** Whether nothing holds the object (it could hibernate). */
  get idle(): boolean {
    const rare = this.rareIfMade;
    return this.#inFlight === 0 && (rare === undefined || (rare.openWebSockets === 0 && rare.pendingTimers === 0));
  }

  /** Stamps a change still waiting for the end of its turn. */
  static stampNow(usage: ObjectUsage): void {
    if ((usage.#holder & STAMP_DUE) !== 0) usage.stamp(usage.#clock.now());
  }

  private current(): number {
    if (this.#inFlight > 0) return REQUESTS;
    const rare = this.rareIfMade;
    if (rare === undefined) return IDLE;
    if (rare.openWebSockets > 0) return WEB_SOCKETS;
    return rare.pendingTimers > 0 ? TIMERS : IDLE;
  }

  private changed(): void {
    // Calls in a row within one turn find the change stamped at its end already; the rest apart
    // (V8 inlines a function into its callers by its whole size, rarely taken paths included).
    if ((this.#holder & STAMP_DUE) === 0) this.holderChanged();
  }

  private holderChanged(): void {
    const holder = this.#holder;
    if (this.current() === (holder & HOLDER)) return;
    // A busy stretch starts at once (a long synchronous call must count); a change after it is
    // stamped at the end of the turn, unless time is virtual (free to read, and it may jump).
    if ((holder & HOLDER) === IDLE || this.#clock.virtual) {
      this.stamp(this.#clock.now());
      return;
    }
    this.#holder = holder | STAMP_DUE;
    if (unstamped.add(this) === 1) atTurnEnd(stampAll);
  }

  /** Adds the stretch up to `now` to its holder, and starts the next with the current one. */
  private stamp(now: number): void {
    const since = (this.#holder & SINCE_AS_IS) !== 0 ? this.#since : this.#since + EPOCH;
    const elapsed = now - since;
    if (elapsed > 0) {
      const holder = this.#holder & HOLDER;
      if (holder === REQUESTS) this.#requestMs = unboxed(this.#requestMs + elapsed);
      else if (holder === WEB_SOCKETS) this.rare().webSocketMs += elapsed;
      else if (holder === TIMERS) this.rare().timerMs += elapsed;
    }
    // Exact both ways for whole milliseconds within 2^31 of EPOCH (integers far below 2^53).
    const fromEpoch = now - EPOCH;
    const exact = Number.isInteger(now) && (fromEpoch | 0) === fromEpoch;
    this.#since = exact ? fromEpoch | 0 : now;
    this.#holder = this.current() | (exact ? 0 : SINCE_AS_IS);
  }
}

/** What report() reads for an object that never moved a rare counter. */
const NO_RARE_USAGE: Readonly<RareUsage> = new RareUsage();

import { StorageMeter } from "../../storage/meter.js";
import type { StorageKind } from "../../storage/object-storage.js";
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
 * One object holds every counter (one allocation per Durable Object, increments only on the
 * hot path); `report()` turns them into the plain Usage shape.
 */

/** What a request is billed as. */
export type BilledRequest = "http" | "rpc" | "alarm" | "webSocketMessage";

const REQUESTS = 0;
const WEB_SOCKETS = 1;
const TIMERS = 2;
const IDLE = 3;

/** Usage whose holder changed this turn, stamped at its end (see above). */
let unstamped: ObjectUsage[] = [];

function stampAll(): void {
  const due = unstamped;
  unstamped = [];
  for (const usage of due) ObjectUsage.stampNow(usage);
}

export class ObjectUsage extends StorageMeter implements GateMeter, TimerOwner {
  http = 0;
  rpc = 0;
  alarms = 0;
  webSocketMessages = 0;
  resets = 0;
  outputWaits = 0;
  queuedEvents = 0;
  queuedMs = 0;
  /** What holds the object now. */
  #inFlight = 0;
  #openWebSockets = 0;
  #pendingTimers = 0;
  /** Duration stamped so far, by holder. */
  #requestMs = 0;
  #webSocketMs = 0;
  #timerMs = 0;
  /** The holder the stretch since `#since` is stamped to. */
  #holder = IDLE;
  #since = 0;
  /** A change waits for the end of the turn to be stamped. */
  #stampDue = false;
  readonly #clock: Clock;

  constructor(kind: StorageKind, clock: Clock) {
    super(kind);
    this.#clock = clock;
  }

  /** A request reached the object. */
  request(kind: BilledRequest): void {
    if (kind === "rpc") this.rpc++;
    else if (kind === "http") this.http++;
    else if (kind === "alarm") this.alarms++;
    else this.webSocketMessages++;
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
    if (this.#openWebSockets++ === 0) this.changed();
  }

  webSocketClosed(): void {
    if (--this.#openWebSockets === 0) this.changed();
  }

  timerSet(): void {
    if (this.#pendingTimers++ === 0) this.changed();
  }

  timerDone(): void {
    if (--this.#pendingTimers === 0) this.changed();
  }

  now(): number {
    return this.#clock.now();
  }

  waited(ms: number): void {
    this.queuedEvents++;
    if (ms > 0) this.queuedMs += ms;
  }

  outputHeld(): void {
    this.outputWaits++;
  }

  /** The instance was reset. */
  instanceReset(): void {
    this.resets++;
  }

  /** The counters as plain data; stamps the stretch so far first. */
  report(): Usage {
    if (this.#holder !== IDLE) this.stamp(this.#clock.now());
    const usage = emptyUsage();
    usage.requests.http = this.http;
    usage.requests.rpc = this.rpc;
    usage.requests.alarms = this.alarms;
    usage.requests.webSocketMessages = this.webSocketMessages;
    usage.duration.heldBy.requests = this.#requestMs;
    usage.duration.heldBy.webSockets = this.#webSocketMs;
    usage.duration.heldBy.timers = this.#timerMs;
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
    usage.gates.queuedEvents = this.queuedEvents;
    usage.gates.queuedMs = this.queuedMs;
    usage.resets = this.resets;
    return derive(usage);
  }

  /** Zeroes every counter; a stretch in progress counts from now on. */
  clear(): void {
    if (this.#holder !== IDLE) this.stamp(this.#clock.now());
    this.resetStorageCounters();
    this.http = this.rpc = this.alarms = this.webSocketMessages = 0;
    this.resets = this.outputWaits = this.queuedEvents = this.queuedMs = 0;
    this.#requestMs = this.#webSocketMs = this.#timerMs = 0;
  }

  /** Whether nothing holds the object (it could hibernate). */
  get idle(): boolean {
    return this.#inFlight === 0 && this.#openWebSockets === 0 && this.#pendingTimers === 0;
  }

  /** Stamps a change still waiting for the end of its turn. */
  static stampNow(usage: ObjectUsage): void {
    if (usage.#stampDue) usage.stamp(usage.#clock.now());
  }

  private current(): number {
    if (this.#inFlight > 0) return REQUESTS;
    if (this.#openWebSockets > 0) return WEB_SOCKETS;
    return this.#pendingTimers > 0 ? TIMERS : IDLE;
  }

  private changed(): void {
    if (this.#stampDue || this.current() === this.#holder) return;
    // A busy stretch starts at once (a long synchronous call must count); a change after it is
    // stamped at the end of the turn, unless time is virtual (free to read, and it may jump).
    if (this.#holder === IDLE || this.#clock.virtual) {
      this.stamp(this.#clock.now());
      return;
    }
    this.#stampDue = true;
    if (unstamped.push(this) === 1) atTurnEnd(stampAll);
  }

  /** Adds the stretch up to `now` to its holder, and starts the next with the current one. */
  private stamp(now: number): void {
    const elapsed = now - this.#since;
    if (elapsed > 0) {
      if (this.#holder === REQUESTS) this.#requestMs += elapsed;
      else if (this.#holder === WEB_SOCKETS) this.#webSocketMs += elapsed;
      else if (this.#holder === TIMERS) this.#timerMs += elapsed;
    }
    this.#since = now;
    this.#holder = this.current();
    this.#stampDue = false;
  }
}

import { AsyncResource } from "node:async_hooks";
import { decrement } from "../../util/counter.js";
import { Fifo } from "../../util/fifo.js";
import { afterMicrotasks, atTurnEnd, microtask, nextTurn } from "../../util/turn.js";
import type { HeldInputGate } from "../object-code-owner.js";

/** Something the gate delivers: a call, a fetch, the constructor, an alarm. */
export interface GateEvent {
  /** Runs the event's code; the event calls `gate.finished(this)` when its promise settles. */
  start(): void;
  /** The object was reset before the event could run. */
  fail(error: Error): void;
  /**
   * When it queued behind an event holding the gate (the meter's time), or undefined. (Not -1:
   * a number field that held a Smi and then a time is a boxed double, a 16-byte box made with
   * every event; a field that also holds undefined takes the time's own number as it is.)
   */
  queuedAt: number | undefined;
  /** The ticket the gate gives it as it starts it (see InputGate's #active); 0 or absent before. */
  ticket?: number;
}

/** What counts the gates' waits (the object's usage). */
export interface GateMeter {
  /** The emulator's time; read only for events that wait. */
  now(): number;
  /** An event started after waiting `ms` behind another one. */
  waited(ms: number): void;
  /** Something leaving the object was held until the writes ahead of it committed. */
  outputHeld(): void;
}

/**
 * The gate's flags. UNSTAMPED: some queued event has no `queuedAt` yet (it queued while the
 * gate was free).
 */
const PUMP_SCHEDULED = 1;
const PUMPING = 2;
const TURN_CHECK_ARMED = 4;
const UNSTAMPED = 8;
/** An event that started in this macrotask keeps the queued ones out of it (see spaceNextEvent). */
const SPACED = 16;
/** The instance ended by a reset (see silence). */
const RESET = 32;
/** No code of the reset instance resumes again (see silence). */
const SILENCED = 64;
/**
 * The first bit of the gate's flags field its owner (the instance) may use for flags of its own
 * (see ownerFlag): one field for both, as every live object has both.
 */
export const FIRST_OWNER_FLAG = 128;

/**
 * What waits at a gate: nothing, one event as itself, or two or more in a Fifo, in order.
 * An object taking one call at a time (most are idle between calls) never makes a Fifo, and
 * an idle gate keeps none (every object queues its constructor and its first call together,
 * and a live object's every field counts). A busy one keeps its Fifo while events wait: with
 * 100 callers each call passes through it allocating nothing.
 */
type Queue = GateEvent | Fifo<GateEvent> | null;

/**
 * The last queue a gate emptied, for the next gate that needs one. A busy object's queue
 * empties every millisecond or so, when calls from outside wait for a turn of the event loop
 * (util/turn.ts, fairToEventLoop), and fills again in the next turn: a new ring each time,
 * grown step by step to 100 slots, was about 4 bytes of garbage per call. One spare for the
 * whole process (not one per gate, which every idle object would keep), and not a huge one
 * that a burst grew (it would only ever be refilled in part).
 */
let spareQueue: Fifo<GateEvent> | undefined;
const MAX_SPARE_QUEUE = 1024;

function newQueue(first: GateEvent, second: GateEvent): Fifo<GateEvent> {
  const queue = spareQueue ?? new Fifo<GateEvent>();
  spareQueue = undefined;
  queue.push(first);
  queue.push(second);
  return queue;
}

/** `queue` is empty: the gate lets go of it. */
function spare(queue: Fifo<GateEvent>): void {
  if (queue.capacity <= MAX_SPARE_QUEUE) spareQueue = queue;
}

function queued(queue: Queue): readonly GateEvent[] {
  return queue === null ? [] : queue instanceof Fifo ? queue.toArray() : [queue];
}

/** No event holds the gate (see InputGate's #active). */
const NONE = 0;
/** The last ticket given, for every gate: a small integer (a Smi), whatever the count of events. */
let lastTicket = NONE;

/** A ticket no event holding a gate has now (they go round after a billion events). */
function nextTicket(): number {
  lastTicket = lastTicket === 0x3fffffff ? 1 : lastTicket + 1;
  return lastTicket;
}

/**
 * What holds a gate closed once a critical section is among its locks: how many locks, and the
 * sections. Until then the gate counts its locks alone (see InputGate's #locks).
 */
class Locks {
  constructor(
    public count: number,
    readonly sections: Set<object>,
  ) {}
}

/**
 * One object's input gate.
 *
 * Events queue FIFO and run one at a time. An event keeps the gate from the moment it starts
 * until its promise settles or the turn ends, whichever comes first: storage operations finish
 * within the turn (they resolve as microtasks), so they never let another event in, while an
 * event still pending at the end of the turn is waiting on real I/O (a timer, a fetch, another
 * object), which in the runtime releases the gate. A storage operation in flight holds it too,
 * whichever code started it (holdWhile). `lock()` closes the gate entirely
 * (constructor, blockConcurrencyWhile, transaction) until `unlock()`.
 *
 * In the runtime the code of an event already running also passes the gate each time it
 * resumes after I/O. durasim routes the resumptions it delivers through `resume()`: a timer of
 * object code firing (lifecycle/timers.ts), the reply to a call to another object or Worker, a
 * binding call's result, a body read (code-context.ts, ioCompletion). While a critical section
 * holds the gate, such a resumption of code outside it waits in the queue like an event and
 * runs when the gate reopens; the section's own code resumes at once.
 *
 * It is the base class of the object's instance (through OutputGate), which supplies its meter:
 * a gate object, with the pointers to and from it, cost about 40 bytes on every live object.
 */
export abstract class InputGate implements HeldInputGate {
  /** The events waiting (see Queue). */
  #queue: Queue = null;
  /** PUMP_SCHEDULED, PUMPING, TURN_CHECK_ARMED, UNSTAMPED and SPACED, and the owner's (see FIRST_OWNER_FLAG). */
  #flags = 0;
  /**
   * The ticket of the event holding the gate, NONE while none does. A number, not the event: the
   * event is young and the gate, on a live object, old, and storing the one into the other takes
   * V8's write barrier's slow path (about 50 instructions, on every call).
   */
  #active = NONE;
  /**
   * What holds the gate closed: how many locks, a number while no critical section is among them
   * (a storage operation's, the usual lock, then makes no object), else a Locks made by the
   * section's lock and dropped by the last unlock. 0 while nothing holds it (most of the time,
   * on most objects).
   */
  #locks: number | Locks = 0;
  #closedWith: Error | null = null;

  /** Counts the waits (the object's usage). */
  protected abstract readonly gateMeter: GateMeter;

  enqueue(event: GateEvent): void {
    if (this.#closedWith) {
      event.fail(this.#closedWith);
      return;
    }
    // Held by a running event or a lock: the wait starts now. Otherwise it is stamped only if
    // the gate gets held before the event starts (see pump): a queue that only waits for the
    // pump, which serves it at once, costs no clock reading.
    if (this.#active !== NONE || this.#locks !== 0) event.queuedAt = this.gateMeter.now();
    else this.#flags |= UNSTAMPED;
    this.append(event);
    if (this.#active === NONE && this.#locks === 0) this.schedulePump();
  }

  /** Called by an event when its promise settled. */
  finished(event: GateEvent): void {
    // An event calls this only once it has started (it has a ticket): no check for none.
    if (this.#active !== event.ticket) return;
    this.#active = NONE;
    this.pump();
  }

  /** Closes the gate; `section`: the critical section (code-context.ts) that holds it, if any. */
  lock(section?: object): void {
    const locks = this.#locks;
    if (typeof locks !== "number") {
      locks.count++;
      if (section !== undefined) locks.sections.add(section);
    } else if (section === undefined) this.#locks = locks + 1;
    else this.#locks = new Locks(locks + 1, new Set<object>().add(section));
  }

  /**
   * Reopens the gate. Queued events are delivered from the next turn on, as in the runtime:
   * the code that was waiting on the critical section continues first.
   */
  unlock(section?: object): void {
    const locks = this.#locks;
    const held = typeof locks === "number" ? locks : locks.count;
    if (section !== undefined && typeof locks !== "number") locks.sections.delete(section);
    const remaining = decrement(held, "input gate locks");
    if (remaining > 0) {
      if (typeof locks === "number") this.#locks = remaining;
      else locks.count = remaining;
      return;
    }
    this.#locks = 0;
    if (this.#queue !== null) this.armTurnCheck();
  }

  /**
   * Keeps the gate closed until `operation` (a storage operation of the object's code) settles,
   * whichever code started it, as the runtime's input gate holds while storage I/O is in flight
   * (reference §5). An event whose own promise settled first (a WebSocket listener returns
   * before its async work, a call may leave a read-then-write chain running) thus lets no other
   * event in between its read and its write. Queued events follow once the turn's
   * microtasks have run, as after any lock: the completion's continuation runs first.
   */
  holdWhile(operation: Promise<unknown>): void {
    this.lock();
    // Reopened however the operation settles: its failure is its caller's to see, and a gate
    // left locked would hold every later event of the object for good. (A bind per operation,
    // not a function kept per instance: that would be a field on every live object.)
    const settled = this.storageSettled.bind(this);
    void operation.then(settled, settled);
  }

  /** Bound by holdWhile(): unlock() takes no settled value (its argument is a critical section). */
  private storageSettled(): void {
    this.unlock();
  }

  /**
   * Called by an event as it starts: if it finishes in its turn, the events queued behind it
   * start no earlier than the next macrotask (one that awaits I/O past its turn releases the
   * gate at the turn's end, as any does). workerd lets the RPC calls a Worker or object
   * sends an object in one turn in one event-loop turn apart, so the caller's continuation
   * for the first one's result runs between the later ones (rpc/stub.ts, Call.run). Scheduled
   * now, before the event's result is sent, so the next event starts before that result is
   * delivered, as in workerd.
   */
  spaceNextEvent(): void {
    if ((this.#flags & SPACED) !== 0) return;
    this.#flags |= SPACED;
    nextTurn(this.spacingEnded.bind(this));
  }

  private spacingEnded(): void {
    this.#flags &= ~SPACED;
    this.pump();
  }

  /** Whether critical section `section` (code-context.ts) is among what holds the gate closed now. */
  lockedBy(section: object): boolean {
    const locks = this.#locks;
    return typeof locks !== "number" && locks.sections.has(section);
  }

  /**
   * Runs `resume` (object code resuming after a timer; `section`: the critical section that
   * set the timer, if any) now, or, while another critical section holds the gate, once the
   * gate lets it in, in its place among the queued events. With `behindQueued` (a read that let
   * the queued events in), events still waiting go first too: the runtime's read completes
   * only after those that could run have run. Dropped once the instance has reset (see silence).
   */
  resume(resume: () => void, section: object | undefined, behindQueued = false): void {
    if ((this.#flags & SILENCED) !== 0) return;
    const locks = this.#locks;
    if (section !== undefined && typeof locks !== "number" && locks.sections.has(section)) {
      resume();
      return;
    }
    if (locks === 0 && (!behindQueued || this.#queue === null)) {
      resume();
      return;
    }
    if (this.#closedWith) return;
    this.append(new Resumption(AsyncResource.bind(resume)));
    if (this.#active === NONE && this.#locks === 0) this.schedulePump();
  }

  /** Queues at the back. */
  private append(event: GateEvent): void {
    const queue = this.#queue;
    if (queue === null) this.#queue = event;
    else if (queue instanceof Fifo) queue.push(event);
    else this.#queue = newQueue(queue, event);
  }

  /** Takes the event at the front (the queue holds one). */
  private takeFirst(): GateEvent {
    const queue = this.#queue!;
    if (!(queue instanceof Fifo)) {
      this.#queue = null;
      return queue;
    }
    const event = queue.shift();
    if (queue.size === 0) {
      this.#queue = null;
      spare(queue);
    }
    return event;
  }

  /** Whether the owner's flag `bit` (FIRST_OWNER_FLAG or a higher bit) is set. */
  protected ownerFlag(bit: number): boolean {
    return (this.#flags & bit) !== 0;
  }

  /** Sets the owner's flag `bit` (FIRST_OWNER_FLAG or a higher bit). */
  protected setOwnerFlag(bit: number): void {
    this.#flags |= bit;
  }

  /** The error the gate was closed with (see refuse and close); null while it is open. */
  protected get closedWith(): Error | null {
    return this.#closedWith;
  }

  /**
   * The instance ended by a reset (not an eviction, not the emulator's end): workerd tears its
   * I/O context down and never runs its code again, so whatever that code awaits (a call's or a
   * fetch's answer, a body read, a timer, a storage operation) never settles and no
   * continuation, catch or finally of it runs. Every such completion passes resume() or asks
   * `silenced` (storage), and is dropped from then on: the closure that would deliver it goes,
   * holding nothing of the instance. With `atDrain` (a critical section that failed, which the
   * runtime learns of from its event loop) the code goes on hearing what settles within the
   * microtasks already under way, as a storage operation without I/O does in workerd; I/O
   * completes from the event loop, so `endedByReset` drops it from now on.
   */
  protected silence(atDrain: boolean): void {
    this.#flags |= RESET;
    if (!atDrain) this.#flags |= SILENCED;
    else afterMicrotasks(this.silenceAtDrain.bind(this));
  }

  private silenceAtDrain(): void {
    this.#flags |= SILENCED;
  }

  /** Whether no code of the instance resumes (see silence). */
  get silenced(): boolean {
    return (this.#flags & SILENCED) !== 0;
  }

  /** Whether the instance ended by a reset, even where its code still hears microtasks (see silence). */
  get endedByReset(): boolean {
    return (this.#flags & RESET) !== 0;
  }

  /** Refuses new events from now on, with `error`; close() then fails those waiting. */
  protected refuse(error: Error): void {
    this.#closedWith = error;
  }

  /** Fails every queued event and refuses new ones (the object was reset). */
  close(error: Error): void {
    this.#closedWith = error;
    this.#active = NONE;
    const waiting = queued(this.#queue);
    this.#queue = null;
    for (const event of waiting) event.fail(error);
  }

  /** Removes and returns the events that have not started (the object is being evicted). */
  takeQueued(): readonly GateEvent[] {
    const waiting = queued(this.#queue);
    this.#queue = null;
    return waiting;
  }

  /** No event queued or running, and not locked. */
  get gateIdle(): boolean {
    return this.#active === NONE && this.#queue === null && this.#locks === 0;
  }

  private schedulePump(): void {
    if ((this.#flags & PUMP_SCHEDULED) !== 0) return;
    this.#flags |= PUMP_SCHEDULED;
    // A bound method, not an arrow function: a method that makes a closure over `this` makes
    // the closure's context on every call, even on the calls that return early (most of them).
    microtask(this.scheduledPump.bind(this));
  }

  private scheduledPump(): void {
    this.#flags &= ~PUMP_SCHEDULED;
    this.pump();
  }

  private pump(): void {
    // Events that finish synchronously call finished() from inside start(); the loop below
    // picks up the next one instead of recursing.
    if ((this.#flags & PUMPING) !== 0) return;
    this.#flags |= PUMPING;
    try {
      while (this.#active === NONE && this.#locks === 0 && this.#queue !== null && (this.#flags & SPACED) === 0 && !this.#closedWith) {
        const event = this.takeFirst();
        if (event.queuedAt !== undefined) this.meterWait(event);
        this.#active = event.ticket = nextTicket();
        this.armTurnCheck();
        event.start();
      }
    } finally {
      this.#flags &= ~PUMPING;
    }
    if ((this.#flags & UNSTAMPED) !== 0 && this.#queue !== null && (this.#active !== NONE || this.#locks !== 0)) this.stampQueued();
  }

  /**
   * Counts how long `event` waited behind another. (Apart from pump(), which starts every event,
   * as V8 inlines a function into its callers by its whole size, rarely taken paths included.)
   */
  private meterWait(event: GateEvent): void {
    this.gateMeter.waited(this.gateMeter.now() - event.queuedAt!);
    event.queuedAt = undefined;
  }

  /** The gate is held with events queued: their wait starts now (those already waiting keep theirs). */
  private stampQueued(): void {
    this.#flags &= ~UNSTAMPED;
    const now = this.gateMeter.now();
    const queue = this.#queue;
    if (!(queue instanceof Fifo)) stamp(queue!, now);
    else for (let i = 0; i < queue.size; i++) stamp(queue.at(i), now);
  }

  private armTurnCheck(): void {
    if ((this.#flags & TURN_CHECK_ARMED) !== 0) return;
    this.#flags |= TURN_CHECK_ARMED;
    // Bound, as in schedulePump: this runs for every event the gate starts.
    atTurnEnd(this.checkAtTurnEnd.bind(this));
  }

  private checkAtTurnEnd(): void {
    this.#flags &= ~TURN_CHECK_ARMED;
    // Still running at the end of the turn: the event awaits real I/O and releases the gate,
    // to the events queued behind it too, even one that spaceNextEvent() held for a later turn.
    if (this.#active !== NONE) this.#flags &= ~SPACED;
    this.#active = NONE;
    this.pump();
  }

}

/** `event`'s wait starts at `now`, unless it started earlier. */
function stamp(event: GateEvent, now: number): void {
  if (event.queuedAt === undefined) event.queuedAt = now;
}

/**
 * Object code waiting in the queue to resume: it runs in its own async context and holds the
 * gate until the end of its turn, as an event does. It is not an event: its wait is not
 * metered (an event's wait is), and what it throws is uncaught, as a timer callback's is.
 */
class Resumption implements GateEvent {
  ticket = NONE;

  constructor(private readonly resume: () => void) {}

  get queuedAt(): undefined {
    return undefined;
  }

  set queuedAt(_ignored: number | undefined) {}

  start(): void {
    try {
      this.resume();
    } catch (error) {
      nextTurn(() => {
        throw error;
      });
    }
  }

  fail(): void {}
}

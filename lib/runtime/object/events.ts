import { copyError, inputGateBreak, thrownReset } from "../errors.js";
import type { GateEvent, InputGate } from "../gates/input-gate.js";
import type { OutputGate } from "../gates/output-gate.js";
import type { LeavingOutcome } from "../../storage/coalescer.js";
import { atTurnEnd, microtask } from "../../util/turn.js";
import type { EventHandlers } from "./event-handlers.js";

/**
 * The events an object's input gate delivers: its constructor, then calls, fetches and alarms.
 * An event's outcome leaves through the output gate, so no caller sees a result before the
 * writes made ahead of it are durable.
 */

/**
 * What an event does and where its outcome goes: one object (an RPC call's delivery is its own
 * request, so the hot path makes no closures for it).
 */
export interface EventRequest {
  /**
   * Runs the event's code against the instance and returns its (possibly async) result;
   * `handlers`: the instance's fetch, alarm and WebSocket handlers (see event-handlers.ts).
   */
  run(instance: object, handlers: EventHandlers): unknown;
  /**
   * Receives the outcome, after the output gate has let it through. `replayed` marks the error
   * a broken incarnation repeats without running anything.
   */
  settle(ok: boolean, value: unknown, replayed?: boolean): void;
  /**
   * For an outcome that leaves later than the event returns it (see ObjectEvent.complete):
   * takes what the caller is to receive now, as the runtime serialises a result when the object
   * returns it, and returns what delivers it once it may leave, or the reset error given instead.
   * Without it, settle() runs then with the value as it is by that time.
   */
  settleLater?(ok: boolean, value: unknown): (broken: Error | undefined) => void;
  /**
   * True for the passes the runtime makes through the input gate for itself (an alarm's two):
   * their outcome goes to the runtime (its alarm scheduler), not out of the object. It waits for
   * the writes ahead to commit, and for the end of the turn (a reset in it still replaces the
   * outcome), but not for the commit's confirmation, which the results callers receive wait for,
   * two turns later (WriteCoalescer.confirm). Fake timers' async steps (`runAllTimersAsync`,
   * `advanceTimersByTimeAsync`) turn the event loop once after each timer they fire before they
   * look for the next: held for the confirmation, an alarm's handler would start, and the next
   * alarm it sets be scheduled, only after they had stopped.
   */
  readonly outcomeToRuntime?: true;
}

/** What events need from the incarnation they run in. */
export interface EventHost {
  readonly gate: InputGate;
  readonly output: OutputGate;
  /** The instance, once the constructor event has made it. */
  readonly instance: object | undefined;
  /** Its event handlers, read when the constructor returned. */
  readonly handlers: EventHandlers | undefined;
  /** Runs `fn(arg)` as this object's code (see code-context.ts), with its Worker's env current. */
  runCode<A, T>(fn: (arg: A) => T, arg: A): T;
  /** Constructs the instance. */
  construct(): void;
  reset(error: Error): void;
  /** The event finished (its outcome is settled or dropped). */
  completed(event: ObjectEvent): void;
}

/** The constructor, run as the first event under a locked gate. */
export class ConstructEvent implements GateEvent {
  queuedAt: number | undefined = undefined;
  ticket = 0;

  constructor(private readonly host: EventHost) {}

  start(): void {
    const { host } = this;
    const gate = host.gate;
    gate.lock();
    try {
      host.construct();
    } catch (error) {
      host.reset(inputGateBreak(thrownReset(error)));
    } finally {
      gate.finished(this);
      gate.unlock();
    }
  }

  fail(): void {}
}

/** A call, fetch or alarm delivered to the instance. */
export class ObjectEvent implements GateEvent {
  #done = false;
  /** Its index among the incarnation's events in flight (see SlotSet); -1 when not there. */
  slot = -1;
  queuedAt: number | undefined = undefined;
  ticket = 0;
  /**
   * A primitive result, from start() until the microtask that completes the event with it. Kept
   * here, on the young event, and handed on by a function bound to the event, rather than in a
   * pooled watch: storing the young event into a long-lived watch took the write barrier's slow
   * path, and with taking and returning the watch cost about 120 instructions a call more, where
   * this way allocates about 45 bytes more (the field and the bound function: README "RPC on
   * Node 24").
   */
  primitiveResult: unknown = undefined;

  constructor(
    private readonly host: EventHost,
    private readonly request: EventRequest,
  ) {}

  start(): void {
    let result: unknown;
    try {
      result = this.host.runCode(runEvent, this);
    } catch (error) {
      this.complete(false, error);
      return;
    }
    // A result that is no promise is taken as a promise resolved with it would be, a microtask
    // later, as the runtime takes it: what the method queued meanwhile has run. A primitive (the
    // commonest) needs no such promise made: resolving one with it reads nothing from it.
    if ((typeof result !== "object" && typeof result !== "function") || result === null) {
      this.primitiveResult = result;
      microtask(completeWithPrimitive.bind(this));
      return;
    }
    let thenable: boolean;
    try {
      thenable = isThenable(result);
    } catch (error) {
      // A `then` getter that throws rejects the call, as it rejects a promise resolved with it.
      this.complete(false, error);
      return;
    }
    ObjectEvent.#awaitResult(this, thenable ? (result as PromiseLike<unknown>) : Promise.resolve(result));
  }

  /**
   * An async result. (Apart from start(), which every event runs: V8 inlines a function into its
   * callers by its whole size, rarely taken paths included, within a budget per caller.)
   */
  static #awaitResult(event: ObjectEvent, result: PromiseLike<unknown>): void {
    // Read as often as before (isThenable, then the call), for thenables that watch their `then`.
    let then: PromiseLike<unknown>["then"];
    try {
      then = result.then;
    } catch (error) {
      event.complete(false, error);
      return;
    }
    if (then === promiseThen) {
      // A promise (an async method's result): its handlers stay inside V8, so they can be a
      // watch's, reused from event to event (see ResultWatch).
      const watch = takeWatch(event);
      then.call(result, watch.fulfilled, watch.rejected);
    } else {
      awaitThenable(event, result, then);
    }
  }

  fail(error: Error): void {
    if (this.#done) return;
    this.#done = true;
    this.request.settle(false, error);
  }

  /** Runs the request's code (as the object's code: see start()). */
  run(): unknown {
    return this.request.run(this.host.instance!, this.host.handlers!);
  }

  /** Hands the event, not yet started, to another incarnation. */
  redeliver(target: { submit(request: EventRequest): void }): void {
    this.#done = true;
    target.submit(this.request);
  }

  /** The event's code returned `value` (ok) or threw it. */
  complete(ok: boolean, value: unknown): void {
    const host = this.host;
    host.completed(this);
    if (!this.#done) {
      this.#done = true;
      const broken = host.output.passUnheld();
      if (broken !== null) this.#settle(ok, value, broken);
      else ObjectEvent.#leaveHeld(this, ok, value);
    }
    host.gate.finished(this);
  }

  /** An outcome writes ahead of it hold (apart from complete(), for the reason #awaitResult gives). */
  static #leaveHeld(event: ObjectEvent, ok: boolean, value: unknown): void {
    // blocked() commits the writes ahead, whose confirmation later outcomes wait for; with none
    // to wait for, the outcome still leaves after those that became ready before it.
    // An outcome a transaction holds is not queued: in the runtime its code would have resumed
    // only after the transaction, so it leaves after the transaction's own (see #leaveOnceUnblocked).
    const output = event.host.output;
    const queued = !output.pendingOutcomes.heldByTransaction;
    const blocked = output.blocked() ?? output.pendingOutcomes.outcomesAhead();
    if (blocked === undefined) event.#leave(ok, value);
    else if (event.request.outcomeToRuntime === true) ObjectEvent.#leaveToRuntime(event, ok, value);
    else ObjectEvent.#leaveOnceUnblocked(event, blocked, ok, value, queued);
  }

  /**
   * Held by a transaction that spans turns: in the runtime this event's code could not even
   * have resumed before the transaction ended, so its outcome leaves once the turn in which
   * the transaction ended is over (the transaction's own event goes first), and the commit its
   * writes joined is confirmed. Or held by a commit awaiting confirmation, which comes at the
   * end of the turn: the events queued behind this one start first, and one that breaks the
   * object replaces the outcome. (Its closures are made here: complete(), which runs for every
   * event, would otherwise make their context.)
   */
  static #leaveOnceUnblocked(event: ObjectEvent, blocked: Promise<void>, ok: boolean, value: unknown, queued: boolean): void {
    const request = event.request;
    const deliver =
      request.settleLater?.(ok, value) ??
      ((broken: Error | undefined) => (broken === undefined ? request.settle(ok, value) : request.settle(false, broken)));
    const output = event.host.output;
    const outcome = new HeldOutcome(deliver, queued);
    if (queued) output.pendingOutcomes.holdOutcome(outcome);
    ObjectEvent.#deliverOnceUnblocked(event, blocked, output.confirmationEpoch(), outcome);
  }

  /**
   * Once `blocked` settles and the turn ends, delivers the outcome, unless an outcome queued
   * before it has not left yet, or confirmation `epoch`, the one it waits for, has not
   * ended by then: the transaction that held its writes ended, and their commit awaits
   * confirmation (see OutputGate.stillBlocked).
   */
  static #deliverOnceUnblocked(event: ObjectEvent, blocked: Promise<void>, epoch: number, outcome: HeldOutcome): void {
    void blocked.then(() =>
      atTurnEnd(() => {
        if (outcome.left) return;
        const output = event.host.output;
        const again = (outcome.queued ? output.pendingOutcomes.outcomesAhead(outcome) : undefined) ?? output.stillBlocked(epoch);
        if (again !== undefined) return ObjectEvent.#deliverOnceUnblocked(event, again, epoch, outcome);
        output.pendingOutcomes.releaseOutcome(outcome);
        outcome.leave(output.pass());
      }),
    );
  }

  /**
   * An outcome for the runtime itself (see EventRequest.outcomeToRuntime): it leaves at the end
   * of the turn, once a transaction that spans turns no longer holds the writes ahead.
   */
  static #leaveToRuntime(event: ObjectEvent, ok: boolean, value: unknown): void {
    const transaction = event.host.output.heldByTransaction();
    if (transaction !== undefined) void transaction.then(() => ObjectEvent.#leaveToRuntime(event, ok, value));
    else atTurnEnd(() => event.#leave(ok, value));
  }

  /** Lets the outcome out through the output gate (or the reset error instead). */
  #leave(ok: boolean, value: unknown): void {
    this.#settle(ok, value, this.host.output.pass());
  }

  /** Settles the request with the outcome, or with the reset error `broken` instead. */
  #settle(ok: boolean, value: unknown, broken: Error | undefined): void {
    if (broken !== undefined) this.request.settle(false, copyError(broken));
    else this.request.settle(ok, value);
  }
}

/**
 * An outcome that waits for writes, queued on the object's storage so that outcomes leave in
 * order (see WriteCoalescer.holdOutcome): it leaves once, when its wait ends or, if the object
 * resets first, at the reset.
 */
class HeldOutcome implements LeavingOutcome {
  left = false;
  constructor(
    private readonly deliver: (broken: Error | undefined) => void,
    /** In the queue (see ObjectEvent.#leaveHeld): it waits for the outcomes ahead of it. */
    readonly queued: boolean,
  ) {}

  /** Delivers it, as the reset error `broken` if there is one. */
  leave(broken: Error | undefined): void {
    if (this.left) return;
    this.left = true;
    this.deliver(broken === undefined ? undefined : copyError(broken));
  }
}

const promiseThen = Promise.prototype.then;

/**
 * Watches one event's promise result at a time, with two handlers bound to the watch once.
 * A promise calls one of the handlers it was given, once, and no code but V8's sees them, so
 * once called they can serve the next event: a pair bound per event was about 95 bytes of
 * garbage per call to an async method (a call made 1,920 bytes, now 1,825, on Node 24: README
 * "Fairness p99").
 */
class ResultWatch {
  event: ObjectEvent | undefined;
  readonly fulfilled = watchFulfilled.bind(this);
  readonly rejected = watchRejected.bind(this);
}

/**
 * The watches not in use, shared by every object. Enough for the results pending at once on a
 * busy emulator (an object serving calls one after another needs one); beyond, a watch is made
 * and dropped, as the bound pair was. Indexed, not push/pop: object code may patch Array.prototype.
 */
const idleWatches: (ResultWatch | undefined)[] = [];
let idleWatchCount = 0;
const MAX_IDLE_WATCHES = 64;

function takeWatch(event: ObjectEvent): ResultWatch {
  let watch: ResultWatch;
  if (idleWatchCount > 0) {
    watch = idleWatches[--idleWatchCount]!;
    // The pool lets go of it: a watch whose promise never settles (code awaiting forever, its
    // event failed by a reset or dispose()) holds its event, and through it the object, the
    // emulator and all they hold, which the pool, shared by every emulator, must not keep.
    idleWatches[idleWatchCount] = undefined;
  } else {
    watch = new ResultWatch();
  }
  watch.event = event;
  return watch;
}

/** The event the watch's promise settled for; the watch is free again (before the event completes, which may start the next). */
function releaseWatch(watch: ResultWatch): ObjectEvent {
  const event = watch.event!;
  watch.event = undefined;
  if (idleWatchCount < MAX_IDLE_WATCHES) idleWatches[idleWatchCount++] = watch;
  return event;
}

function watchFulfilled(this: ResultWatch, value: unknown): void {
  releaseWatch(this).complete(true, value);
}

function watchRejected(this: ResultWatch, error: unknown): void {
  releaseWatch(this).complete(false, error);
}

/**
 * Any other thenable sees its handlers: anonymous functions, as V8's resolving functions are.
 * (Apart from start(), whose every call would otherwise make the context these close over.)
 */
function awaitThenable(event: ObjectEvent, thenable: unknown, then: Function): void {
  // As a promise resolved with the thenable: the first callback called settles the call, and a
  // `then` that throws before calling one rejects it.
  let settled = false;
  const settle = (ok: boolean, value: unknown) => {
    if (settled) return;
    settled = true;
    event.complete(ok, value);
  };
  try {
    then.call(
      thenable,
      (value: unknown) => settle(true, value),
      (error: unknown) => settle(false, error),
    );
  } catch (error) {
    settle(false, error);
  }
}

/** Completes the event, a microtask after it returned it, with its primitive result (see ObjectEvent.primitiveResult). */
function completeWithPrimitive(this: ObjectEvent): void {
  const value = this.primitiveResult;
  this.primitiveResult = undefined;
  this.complete(true, value);
}

/** What ObjectEvent.start() runs as object code (a function of the event: no closure per event). */
function runEvent(event: ObjectEvent): unknown {
  return event.run();
}

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

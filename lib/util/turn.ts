import { performance } from "node:perf_hooks";
import { setImmediate as nodeSetImmediate } from "node:timers";
import { Batch } from "./batch.js";
import { unfaked } from "./unfaked.js";

/**
 * Internal scheduling primitives that test-runner fake timers cannot replace.
 *
 * Vitest and Jest fake timers patch the globals (`setImmediate`, `queueMicrotask`, and in
 * Jest's case `process.nextTick`; @sinonjs/fake-timers also `performance.now` and
 * `process.hrtime`). References captured here, when durasim is imported, stay real, so a
 * request never hangs because fake timers were installed afterwards. Fakes installed before
 * the import are seen through (util/unfaked.ts); `performance.now` is read from its
 * prototype, which a fake that sets its own `now` on node:perf_hooks' object leaves alone.
 */
const realSetImmediate = unfaked(nodeSetImmediate, "setImmediate");
const realNextTick = unfaked(process.nextTick, "nextTick").bind(process);
const realNow = (Object.getPrototypeOf(performance) as typeof performance).now.bind(performance);
const resolved = Promise.resolve();

/** Runs `fn` as a microtask, via a promise job (which no fake-timer library replaces). */
export function microtask(fn: () => void): void {
  void resolved.then(fn);
}

/**
 * Runs `fn` once the microtasks queued so far, and every microtask they queue in turn, have
 * run, but before any timer or I/O callback: where the runtime's own event loop resumes after
 * JavaScript's microtask queue drains. (Node runs a tick queued from a microtask only once the
 * microtask queue is empty.)
 */
export function afterMicrotasks(fn: () => void): void {
  void resolved.then(() => realNextTick(fn));
}

const call = (fn: () => void): void => fn();

/** Callbacks for the current turn's end: its first one schedules the run (drain empties it
 * before running them, so one added meanwhile schedules the next). */
const turnEndCallbacks = new Batch<() => void>();

function runTurnEnd(): void {
  turnEndCallbacks.drain(call);
}

/** afterMicrotasks(runTurnEnd), with its closure made once. */
const scheduleTurnEnd = (): void => void realNextTick(runTurnEnd);

/**
 * Runs `fn` at the end of the current "turn": once the current macrotask and all its
 * microtasks have finished, before any timer or I/O callback runs (see afterMicrotasks). Code
 * still waiting then waits on real I/O, as Durable Object code that yields does. One check
 * serves every callback registered in the same turn.
 */
export function atTurnEnd(fn: () => void): void {
  if (turnEndCallbacks.add(fn) === 1) void resolved.then(scheduleTurnEnd);
}

/** Resolves in a later turn, as a real I/O completion would. */
export function nextTurnPromise(): Promise<void> {
  return new Promise((resolve) => realSetImmediate(resolve));
}

/** A real (unfaked) macrotask, for work that must happen in a later turn. (No handle to cancel
 * it: none of its callers cancels one, and every body read, storage completion and call made by
 * object code comes through here, each of which made a handle and its closure for nothing.) */
export function nextTurn(fn: () => void): void {
  realSetImmediate(fn);
}

/** How many places arriveNextTurn() orders the messages of one turn by (see arrival-order.ts). */
export const ARRIVAL_PLACES = 5;

/** What the current turn sends, by place, until its end seals it (see sealArrivals). */
const sending = Array.from({ length: ARRIVAL_PLACES }, () => new Batch<() => void>());
/** Whether the current turn has sent something (its end is then due to seal it). */
let sentThisTurn = false;
/** What sealed turns sent, in the order it arrives: turn by turn, each turn's by place. */
let sealed: Array<() => void> = [];
/** Whether a macrotask is due to deliver what is sent (scheduled as the first message is sent, as before sealing). */
let arrivalDue = false;
/** Counts the turns that sent: messages sent in one turn have the same number. */
let round = 0;

const seal = (fn: () => void): void => void sealed.push(fn);

/**
 * A turn's end puts what it sent behind what earlier turns sent. The order by place holds
 * within one turn only: a fetch sent by a timer's callback must not overtake an RPC call sent
 * a turn before it (under load the timer may fire before the delivery macrotask runs).
 */
function sealArrivals(): void {
  sentThisTurn = false;
  round++;
  for (const place of sending) place.drain(seal);
}

/**
 * Delivers what is sealed (every turn before this macrotask). Each delivery is an I/O completion
 * of its own, as in the runtime's event loop: one that throws still lets the later ones arrive,
 * and each error is reported on its own as uncaught (thrown from a tick of its own), so a second
 * failure is not lost behind the first.
 */
function arrive(): void {
  arrivalDue = false;
  // What the arrivals send is sent in this turn: sealed at its end, it arrives in a later macrotask.
  const due = sealed;
  sealed = [];
  for (let i = 0; i < due.length; i++) {
    try {
      due[i]!();
    } catch (error) {
      realNextTick(rethrow, error);
    }
  }
}

function rethrow(error: unknown): never {
  throw error;
}

/** Which sending turn a message sent now belongs to: the same number for every message of the turn. */
export function arrivalRound(): number {
  return round;
}

/**
 * Runs `fn` in a later turn (a real setImmediate), in one macrotask with every other `fn` given
 * in the same turn: messages sent in one turn arrive together, as I/O completions that are
 * ready at once are delivered, so what the first one starts cannot run to its turn's end
 * before the others have arrived. They arrive by `place` (0 first, below ARRIVAL_PLACES), and
 * in the order given within a place, after everything earlier turns sent.
 */
export function arriveNextTurn(fn: () => void, place = 0): void {
  sending[place]!.add(fn);
  if (!sentThisTurn) {
    sentThisTurn = true;
    atTurnEnd(sealArrivals);
  }
  if (arrivalDue) return;
  arrivalDue = true;
  realSetImmediate(arrive);
}

/**
 * How long calls from outside may be served in microtasks, with no turn of the event loop,
 * before the next waits for one: 1 ms, the resolution of timers (setTimeout's delays are whole
 * milliseconds), so a timer falling due while a test polls fires at most about a tick late. A
 * turn of the loop costs some 10 µs, about 1 % of the calls served in that millisecond.
 */
const MAX_MS_WITHOUT_LOOP_TURN = 1;
/**
 * How many such calls run between two reads of the clock (tens of ns each): reading it per
 * call would cost the hot path more than the turns do. Calls slower than 1/64 ms each get a
 * turn every 64 calls.
 */
const CALLS_PER_CLOCK_READ = 64;
let servedSinceClockRead = 0;
/** When the first call since the event loop last turned was served. */
let loopTurnedAt = 0;
let loopTurnWatched = false;
const waitingForLoopTurn = new Batch<Arrival>();

function loopTurned(): void {
  loopTurnWatched = false;
  servedSinceClockRead = 0;
  waitingForLoopTurn.drain(fairToEventLoop);
}

/** Whether the event loop turned less than MAX_MS_WITHOUT_LOOP_TURN ago (read every CALLS_PER_CLOCK_READ calls). */
function loopTurnedLately(): boolean {
  if (++servedSinceClockRead < CALLS_PER_CLOCK_READ) return true;
  servedSinceClockRead = 0;
  return realNow() - loopTurnedAt < MAX_MS_WITHOUT_LOOP_TURN;
}

/**
 * Notes when the event loop turns next. (Apart from fairToEventLoop(), which every call from
 * outside passes: V8 inlines a function into its callers by its whole size, rarely taken paths
 * included, within a budget per caller.)
 */
function watchLoopTurn(): void {
  loopTurnWatched = true;
  loopTurnedAt = realNow();
  realSetImmediate(loopTurned);
}

/** A call from outside, which fairToEventLoop lets arrive (an object: the hot path makes no closure). */
export interface Arrival {
  arrive(): void;
}

/**
 * Lets `arrival` arrive now, unless calls have been served for MAX_MS_WITHOUT_LOOP_TURN since
 * the event loop last turned: then once it has turned (a real setImmediate, which fake timers never
 * replace, fired). In the runtime every call to a Durable Object is I/O and passes through the
 * event loop, so code that polls a stub in a loop (`while (!(await stub.isDone())) {}`) lets
 * timers, immediates and I/O callbacks run between calls. Served purely in microtasks, such a
 * loop would never yield; hopping a macrotask on every call would cost the hot path several
 * times over. Calls that wait keep their order (FIFO), ahead of any made later.
 */
export function fairToEventLoop(arrival: Arrival): void {
  if (mayGoOnNow()) arrival.arrive();
  else waitingForLoopTurn.add(arrival);
}

/**
 * fairToEventLoop() for a body stream pumped from one context to another, chunk by chunk:
 * undefined when the next chunk may be read now, else a promise that resolves once the event
 * loop has turned. In the runtime each chunk crosses as I/O; pumped purely in microtasks, a
 * stream that never ends (a handler's request.text() of one) would starve every timer and
 * immediate, the caller's abort among them.
 */
export function loopTurnIfDue(): Promise<void> | undefined {
  if (mayGoOnNow()) return undefined;
  return new Promise((resolve) => waitingForLoopTurn.add({ arrive: resolve }));
}

/** Whether work from outside may go on now: nothing waits for a turn of the loop, and it turned lately. */
function mayGoOnNow(): boolean {
  if (!loopTurnWatched) watchLoopTurn();
  return waitingForLoopTurn.size === 0 && loopTurnedLately();
}

import { setImmediate as nodeSetImmediate, clearImmediate as nodeClearImmediate } from "node:timers";

/**
 * Internal scheduling primitives that test-runner fake timers cannot replace.
 *
 * Vitest and Jest fake timers patch the globals (`setImmediate`, `queueMicrotask`, and in
 * Jest's case `process.nextTick`). References captured here, when durasim is imported, stay
 * real, so a request never hangs because fake timers were installed afterwards.
 */
const realSetImmediate = nodeSetImmediate;
const realClearImmediate = nodeClearImmediate;
const realNextTick = process.nextTick.bind(process);
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

let turnEndCallbacks: Array<() => void> = [];
let turnEndScheduled = false;

function runTurnEnd(): void {
  turnEndScheduled = false;
  const callbacks = turnEndCallbacks;
  turnEndCallbacks = [];
  for (const fn of callbacks) fn();
}

/**
 * Runs `fn` at the end of the current "turn": once the current macrotask and all its
 * microtasks have finished, before any timer or I/O callback runs (see afterMicrotasks). Code
 * still waiting then waits on real I/O, as Durable Object code that yields does. One check
 * serves every callback registered in the same turn.
 */
export function atTurnEnd(fn: () => void): void {
  turnEndCallbacks.push(fn);
  if (!turnEndScheduled) {
    turnEndScheduled = true;
    afterMicrotasks(runTurnEnd);
  }
}

/** Resolves in a later turn, as a real I/O completion would. */
export function nextTurnPromise(): Promise<void> {
  return new Promise((resolve) => realSetImmediate(resolve));
}

/** A real (unfaked) macrotask, for work that must happen in a later turn. */
export function nextTurn(fn: () => void): { cancel(): void } {
  const handle = realSetImmediate(fn);
  return { cancel: () => realClearImmediate(handle) };
}

let arrivingTogether: Array<() => void> = [];

function arrive(): void {
  const arrived = arrivingTogether;
  arrivingTogether = [];
  for (const fn of arrived) fn();
}

/**
 * Runs `fn` in a later turn (a real setImmediate), in one macrotask with every other `fn` given
 * in the same turn, in the order given: messages sent in one turn arrive together, as I/O
 * completions that are ready at once are delivered, so what the first one starts cannot run
 * to its turn's end before the others have arrived.
 */
export function arriveNextTurn(fn: () => void): void {
  if (arrivingTogether.push(fn) === 1) realSetImmediate(arrive);
}

/**
 * How many outside calls may be served in a row, in microtasks, before one waits for the event
 * loop to turn. Large enough that its one setImmediate per run costs next to nothing on the
 * RPC hot path; small enough that a due timer waits at most this many calls.
 */
const CALLS_PER_LOOP_TURN = 64;
let servedSinceLoopTurned = 0;
let loopTurnWatched = false;
let waitingForLoopTurn: Array<() => void> = [];

function loopTurned(): void {
  loopTurnWatched = false;
  servedSinceLoopTurned = 0;
  const waiting = waitingForLoopTurn;
  waitingForLoopTurn = [];
  for (const fn of waiting) fairToEventLoop(fn);
}

/**
 * Runs `fn` now, unless `CALLS_PER_LOOP_TURN` calls have run since the event loop last turned:
 * then once it has turned (a real setImmediate, which fake timers never replace, fired). In
 * the runtime every call to a Durable Object is I/O and passes through the event loop, so code
 * that polls a stub in a loop (`while (!(await stub.isDone())) {}`) lets timers, immediates
 * and I/O callbacks run between calls. Served purely in microtasks, such a loop would never
 * yield; hopping a macrotask on every call would cost the hot path several times over. Calls
 * that wait keep their order (FIFO), ahead of any made later.
 */
export function fairToEventLoop(fn: () => void): void {
  if (!loopTurnWatched) {
    loopTurnWatched = true;
    realSetImmediate(loopTurned);
  }
  if (servedSinceLoopTurned < CALLS_PER_LOOP_TURN) {
    servedSinceLoopTurned++;
    fn();
  } else {
    waitingForLoopTurn.push(fn);
  }
}

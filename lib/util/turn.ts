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
const resolved = Promise.resolve();

/** Runs `fn` as a microtask, via a promise job (which no fake-timer library replaces). */
export function microtask(fn: () => void): void {
  void resolved.then(fn);
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
 * Runs `fn` once the current macrotask and all its microtasks have finished: the end of the
 * "turn" in which Durable Object code yields to real I/O. One shared macrotask serves every
 * callback registered in the same turn.
 */
export function atTurnEnd(fn: () => void): void {
  turnEndCallbacks.push(fn);
  if (!turnEndScheduled) {
    turnEndScheduled = true;
    realSetImmediate(runTurnEnd);
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

import { AsyncResource } from "node:async_hooks";
import { setImmediate as nodeSetImmediate } from "node:timers";
import { unfaked } from "./unfaked.js";

/**
 * In-memory I/O completions run before timers, as in workerd.
 *
 * workerd's event loop runs every event that is ready (a frame crossing a WebSocketPair, the
 * news that its other end failed, what that sets off in turn) before it looks at the clock, so
 * a timer that fell due meanwhile fires only once that cascade is over, however long it took.
 * Node checks its timers at each turn of the loop, and durasim delivers each such completion in
 * a turn of its own: left alone, a due timer would cut into the cascade wherever the machine
 * happened to be slow (a scenario's `await settle()` would see half of it). So completions are
 * queued here, counted, and a real timer that falls due while any is queued waits for them.
 * (Fake timers are left alone: they fire when the test advances them, synchronously.)
 *
 * A SQLite commit's confirmation is such a cascade too: workerd confirms it a few ready events
 * after the commit, so a `setTimeout(0)` an object sets meanwhile fires after it (conformance
 * "resets: outcomes waiting for a commit's confirmation when a queued call aborts"), where Node
 * would fire it between the two turns durasim spends confirming whenever the machine was slow.
 * A confirmation holds timers (holdTimers()) for those turns. A timer waits only for the holds
 * open when it fell due, never for ones opened after, so writes that keep committing cannot
 * starve timers: each waits two turns at most.
 */

const realSetImmediate = unfaked(nodeSetImmediate, "setImmediate");

/** Completions queued and not yet run. */
let ready = 0;
/** A due timer's callback waiting, and the last hold it waits for (see holdTimers()). */
interface WaitingTimer {
  fire: () => void;
  holdsBefore: number;
}
/** Due timers waiting, in the order they fell due. */
const waitingTimers: WaitingTimer[] = [];
let releaseScheduled = false;
/** Holds begun so far (each one's number), and those not yet released. */
let holdsBegun = 0;
const openHolds = new Set<number>();

/** Whether a hold numbered up to `last` is still open. */
function held(last: number): boolean {
  for (const hold of openHolds) if (hold <= last) return true;
  return false;
}

/**
 * Holds every real timer that falls due from now until the function returned is called (once;
 * later calls do nothing): such timers fire after it, in turns of their own, as above.
 */
export function holdTimers(): () => void {
  const hold = ++holdsBegun;
  openHolds.add(hold);
  return () => {
    if (openHolds.delete(hold)) releaseWhenIdle();
  };
}

/** Runs `fn` in a later turn, as an I/O completion that is ready now (see above). */
export function whenReady(fn: () => void): void {
  ready++;
  realSetImmediate(() => {
    ready--;
    try {
      fn();
    } finally {
      releaseWhenIdle();
    }
  });
}

/** Resolves in a later turn, as an I/O completion that is ready now (whenReady). */
export function readyTurn(): Promise<void> {
  return new Promise((resolve) => whenReady(resolve));
}

/**
 * Runs a due timer's `fire` now, or, while completions are queued (or timers that fell due
 * before it still wait), once they have run: in a turn of its own and in its own async context,
 * as it would have fired.
 */
export function fireAfterReadyIo(fire: () => void): void {
  if (ready === 0 && waitingTimers.length === 0 && openHolds.size === 0) {
    fire();
    return;
  }
  waitingTimers.push({ fire: AsyncResource.bind(fire), holdsBefore: holdsBegun });
  releaseWhenIdle();
}

/** Whether the first waiting timer may fire: no completion queued, no hold it waits for open. */
function firstMayFire(): boolean {
  return ready === 0 && waitingTimers.length > 0 && !held(waitingTimers[0].holdsBefore);
}

function releaseWhenIdle(): void {
  if (releaseScheduled || !firstMayFire()) return;
  releaseScheduled = true;
  realSetImmediate(releaseOne);
}

/** One waiting timer per turn, so each one's microtasks run before the next, as between timers. */
function releaseOne(): void {
  releaseScheduled = false;
  // A completion queued since waits first; its end (or the hold's release) releases the timers again.
  if (!firstMayFire()) return;
  const waiting = waitingTimers.shift()!;
  try {
    waiting.fire();
  } finally {
    releaseWhenIdle();
  }
}

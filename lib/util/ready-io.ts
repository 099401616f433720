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
 */

const realSetImmediate = unfaked(nodeSetImmediate, "setImmediate");

/** Completions queued and not yet run. */
let ready = 0;
/** Due timers' callbacks waiting for them, in the order they fell due. */
const waitingTimers: (() => void)[] = [];
let releaseScheduled = false;

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

/**
 * Runs a due timer's `fire` now, or, while completions are queued (or timers that fell due
 * before it still wait), once they have run: in a turn of its own and in its own async context,
 * as it would have fired.
 */
export function fireAfterReadyIo(fire: () => void): void {
  if (ready === 0 && waitingTimers.length === 0) {
    fire();
    return;
  }
  waitingTimers.push(AsyncResource.bind(fire));
  releaseWhenIdle();
}

function releaseWhenIdle(): void {
  if (ready > 0 || releaseScheduled || waitingTimers.length === 0) return;
  releaseScheduled = true;
  realSetImmediate(releaseOne);
}

/** One waiting timer per turn, so each one's microtasks run before the next, as between timers. */
function releaseOne(): void {
  releaseScheduled = false;
  // A completion queued since waits first; its end releases the timers again.
  if (ready > 0) return;
  const fire = waitingTimers.shift();
  try {
    fire?.();
  } finally {
    releaseWhenIdle();
  }
}

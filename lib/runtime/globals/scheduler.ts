import { isOf } from "../../util/host-kind.js";
import { defineInterface, isIdlObject, requireArgument, site, toDictionary } from "../../util/webidl.js";

/**
 * The runtime's `scheduler` global: `scheduler.wait(ms, { signal })`, a promise-returning timer.
 * Its timer is Node's own (lifecycle/timers.ts's nodeTimers, given by host-apis.ts: an object's
 * wait still counts as its timer and resumes through its input gate), not the global
 * `setTimeout`: workerd's wait runs on the runtime's timers, so the fake timers a test installs
 * on the globals (Vitest's, Jest's) do not hold it (conformance "scheduler: wait() does not go
 * through the global setTimeout ..."), and code that yields with `await scheduler.wait(0)`
 * does not stall under them.
 *
 * Invariant: it is an API object as the runtime's is (`[object Scheduler]`, `wait` on its
 * prototype checking its receiver, refused by storage and RPC as a "Scheduler"), and `wait`
 * converts its arguments as the runtime does: `ms` required (undefined counts) and converted as
 * a number (a BigInt or Symbol is V8's TypeError), options a dictionary whose `signal` must
 * be an AbortSignal, each refusal a rejection. A wait longer than a timer can hold never ends,
 * as in the runtime. An abort rejects with the signal's reason, a primitive one wrapped in an
 * Error (`abort("x")`: `Error: x`), as the runtime's does.
 */
type Timers = Pick<typeof globalThis, "setTimeout" | "clearTimeout">;

const AT_WAIT = site("Scheduler", "wait");

/** Node runs a longer delay after 1 ms; the runtime's wait outlasts any test. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

class Scheduler {
  readonly #timers: Timers;

  constructor(timers: Timers) {
    this.#timers = timers;
  }

  static isScheduler(value: unknown): boolean {
    return typeof value === "object" && value !== null && #timers in value;
  }

  wait(ms: unknown, options?: unknown): Promise<void> {
    let delay: number;
    let signal: AbortSignal | undefined;
    try {
      requireArgument(AT_WAIT, arguments.length, 1, "number");
      delay = +(ms as number) || 0;
      signal = signalOf(toDictionary<{ signal: unknown }>(AT_WAIT, options, 2, "WaitOptions")?.signal);
    } catch (error) {
      // The runtime's wait returns a promise even for arguments it refuses.
      return Promise.reject(error);
    }
    if (signal?.aborted) return Promise.reject(waitAbortion(signal.reason));
    const timers = this.#timers;
    return new Promise((resolve, reject) => {
      const abort = () => {
        if (timer !== undefined) timers.clearTimeout(timer);
        reject(waitAbortion(signal!.reason));
      };
      const timer = delay > LONGEST_TIMER_MS ? undefined : timers.setTimeout(() => {
        signal?.removeEventListener("abort", abort);
        resolve();
      }, delay);
      signal?.addEventListener("abort", abort, { once: true });
    });
  }
}

/** What an aborted wait rejects with: its signal's reason, a primitive one as an Error saying it. */
function waitAbortion(reason: unknown): unknown {
  return isIdlObject(reason) ? reason : new Error(String(reason));
}

function signalOf(value: unknown): AbortSignal | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "object" && value !== null && isOf(value, AbortSignal)) return value;
  throw new TypeError("Incorrect type for the 'signal' field on 'WaitOptions': the provided value is not of type 'AbortSignal'.");
}

defineInterface(Scheduler, "Scheduler", Scheduler.isScheduler);

/** A `scheduler` whose waits run on `timers` (host-apis.ts gives it Node's own). */
export function schedulerOf(timers: Timers): object {
  return new Scheduler(timers);
}

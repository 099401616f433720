/**
 * The work Worker events keep going after they answered: the promises their code gave
 * `ctx.waitUntil()` (or `waitUntil` of `cloudflare:workers`), which may still write (an
 * analytics write after the response, say). A test runner waits for it before it snapshots or
 * restores the emulator's state, so the work lands in the state of the test that started it, as
 * Cloudflare's integration waits for it before popping its isolated storage.
 *
 * The wait covers every event still going in any Worker, promises added meanwhile, and the
 * events that work starts in turn. It is bounded as production bounds the work itself: after 30
 * seconds it gives up, and the events it gave up on are never waited for again (a promise that
 * never settles would otherwise stall every later wait). Streams and WebSockets that keep an
 * event going are not waited for. The limit runs on Node's own timer, which fake timers do not
 * replace: a waitUntil promise waiting on a faked timer would otherwise never let the test end.
 */
import { clearTimeout, setTimeout } from "node:timers";
import type { WorkerRuntime } from "./worker.js";

/** How long production lets waitUntil work run after its event answered. */
const WAIT_UNTIL_LIMIT_MS = 30_000;

export class WaitUntilWork {
  /** Events (and kept promises) whose work did not settle within the limit once. */
  readonly #givenUp = new WeakSet<object>();
  /** Work no event of a Worker owns, until it settles (keep()). */
  readonly #kept = new Set<Promise<void>>();

  constructor(
    private readonly workers: () => Iterable<WorkerRuntime>,
    private readonly limitMs = WAIT_UNTIL_LIMIT_MS,
  ) {}

  /**
   * Adds work given to a context no event of a Worker owns (cloudflare:test's
   * createExecutionContext(), whose handler the test calls itself): waited for as an event's
   * is, as Cloudflare's integration waits for such a context's waitUntil() promises too.
   */
  keep(promise: unknown): void {
    const settled = Promise.resolve(promise).then(
      () => undefined,
      () => undefined,
    );
    this.#kept.add(settled);
    void settled.then(() => this.#kept.delete(settled));
  }

  /**
   * Resolves to true once all of it has settled, or false if the limit ran out first, or
   * `ended` aborted first (the emulator was disposed: the events it ended never finish their work).
   */
  async settled(ended?: AbortSignal): Promise<boolean> {
    const seen = new Set<object>();
    const skip = { has: (event: object) => seen.has(event) || this.#givenUp.has(event), add: (event: object) => seen.add(event) };
    const kept = () => [...this.#kept].filter((work) => !skip.has(work) && (skip.add(work), true));
    const pending = () => [...[...this.workers()].flatMap((worker) => worker.waitUntilWork(skip)), ...kept()];
    // Usually there is none (each test's snapshot and restore asks): then no timer is made.
    let work = pending();
    if (work.length === 0) return true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let giveUp: (() => void) | undefined;
    const limit = new Promise<false>((resolve) => {
      timer = setTimeout(resolve, this.limitMs, false);
      timer.unref();
      giveUp = () => resolve(false);
      ended?.addEventListener("abort", giveUp, { once: true });
    });
    try {
      while (work.length > 0) {
        if ((await Promise.race([Promise.all(work), limit])) === false) {
          for (const event of seen) this.#givenUp.add(event);
          return false;
        }
        work = pending();
      }
      return true;
    } finally {
      clearTimeout(timer);
      ended?.removeEventListener("abort", giveUp!);
    }
  }
}

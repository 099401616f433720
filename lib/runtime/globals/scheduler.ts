/**
 * The runtime's `scheduler` global: `scheduler.wait(ms, { signal })`, a promise-returning timer.
 * Its timer is the `setTimeout` of the global object it is made for, looked up at each call, so
 * the fake timers a test installs there (Vitest's, or Jest's in a test file's realm) drive it
 * as they drive the code's own timers.
 */
type Timers = Pick<typeof globalThis, "setTimeout" | "clearTimeout">;

/** A `scheduler` whose waits run on `global`'s timers. */
export function schedulerOf(global: Timers): { wait(ms?: number, options?: { signal?: AbortSignal }): Promise<void> } {
  return {
    wait(ms, options) {
      const signal = options?.signal;
      if (signal?.aborted) return Promise.reject(signal.reason);
      return new Promise((resolve, reject) => {
        const timer = global.setTimeout(() => {
          signal?.removeEventListener("abort", abort);
          resolve();
        }, Number(ms) || 0);
        const abort = () => {
          global.clearTimeout(timer);
          reject(signal!.reason);
        };
        signal?.addEventListener("abort", abort, { once: true });
      });
    },
  };
}

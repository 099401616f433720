/**
 * What must finish loading before any Durable Object or Worker code runs: the Workers'
 * modules (`modulePath`, `script`) and, when a SQLite-backed class is declared, the SQLite
 * engine. One promise covers all of it. `emu.ready` is that promise, and every way in (a stub's
 * call or fetch, `dispatchFetch`, `runAlarm`) waits on it while it is pending, so nothing
 * reaches code or storage that has not loaded, whether or not the caller awaited `emu.ready`.
 * Once everything is loaded, `pending` is undefined and calls take the synchronous path.
 */
export class Readiness {
  /** Resolves once everything is loaded; rejects with the first load failure. */
  readonly promise: Promise<void>;
  #pending: Promise<void> | undefined;

  constructor(loads: ReadonlyArray<Promise<unknown> | undefined>) {
    const waiting = loads.filter((load): load is Promise<unknown> => load !== undefined);
    if (waiting.length === 0) {
      this.promise = Promise.resolve();
      return;
    }
    // A failed load leaves `pending` rejected, so every later call fails with the load's error.
    this.#pending = this.promise = Promise.all(waiting).then(() => {
      this.#pending = undefined;
    });
    this.promise.catch(() => undefined);
  }

  /** Pending while anything loads (rejected if a load failed); undefined once all is loaded. */
  get pending(): Promise<void> | undefined {
    return this.#pending;
  }
}

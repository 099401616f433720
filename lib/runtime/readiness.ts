/**
 * What must finish loading before any Durable Object or Worker code runs: the Workers'
 * modules (`modulePath`, `script`) and, when a SQLite-backed class is declared, the SQLite
 * engine. One promise covers all of it. `emu.ready` is that promise, and every way in (a stub's
 * call or fetch, `dispatchFetch`, `runAlarm`) waits on it while it is pending, so nothing
 * reaches code or storage that has not loaded, whether or not the caller awaited `emu.ready`.
 * Once everything is loaded, `pending` is undefined and calls take the synchronous path.
 * Reading either while loads are pending is a demand: a host loader may hold imports back
 * until then (loader.ts, modulesDemanded). What waits through `pending` fails with the
 * emulator's end as soon as it ends (dispose() promises every waiting call has failed once it
 * resolves), not once the loads finish, which compiling the SQLite engine takes a second or more.
 */
export class Readiness {
  readonly #promise: Promise<void>;
  #pending: Promise<void> | undefined;
  /** The loads, or the emulator's end, whichever comes first: what `pending` gives while loads are pending. */
  #waiting: Promise<void> | undefined;
  /** Told when something waits while loads are pending (see loader.ts, modulesDemanded). */
  readonly #demanded: () => void;

  constructor(loads: ReadonlyArray<Promise<unknown> | undefined>, demanded: () => void, ended: AbortSignal) {
    this.#demanded = demanded;
    const waiting = loads.filter((load): load is Promise<unknown> => load !== undefined);
    if (waiting.length === 0) {
      this.#promise = Promise.resolve();
      return;
    }
    // A failed load leaves `pending` rejected, so every later call fails with the load's error.
    this.#pending = this.#promise = Promise.all(waiting).then(() => {
      this.#pending = undefined;
    });
    this.#promise.catch(() => undefined);
    this.#waiting = new Promise<void>((resolve, reject) => {
      this.#promise.then(resolve, reject);
      ended.addEventListener("abort", () => reject(ended.reason), { once: true });
    });
    this.#waiting.catch(() => undefined);
  }

  /** Resolves once everything is loaded; rejects with the first load failure. */
  get promise(): Promise<void> {
    if (this.#pending !== undefined) this.#demanded();
    return this.#promise;
  }

  /** Pending while anything loads (rejected if a load failed); undefined once all is loaded. */
  get pending(): Promise<void> | undefined {
    if (this.#pending === undefined) return undefined;
    this.#demanded();
    return this.#waiting;
  }
}

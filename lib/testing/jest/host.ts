/**
 * What durasim's Jest environment hands the code Jest loads for a test file (setup files and
 * the module shims), on that file's global object: durasim's modules as the environment loaded
 * them, once per Jest worker, so Worker code and the runtime share one copy of each class.
 */

/** The global property holding the host (a registered symbol, readable from any realm). */
export const JEST_HOST = Symbol.for("durasim.jest");

/** Imports a module file through Jest (its require, or its import() in ESM mode). */
export type JestModuleLoader = (path: string) => Record<string, unknown> | PromiseLike<Record<string, unknown>>;

export interface JestHost {
  readonly modules: {
    readonly durasim: Record<string, unknown>;
    readonly workers: Record<string, unknown>;
    readonly test: Record<string, unknown>;
    readonly miniflare: Record<string, unknown>;
  };
  /**
   * Starts the file: Worker modules load through `load` once the test file has run (or sooner,
   * when code waits for them). Throws a configuration error at once.
   */
  start(load: JestModuleLoader): void;
}

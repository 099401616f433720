import { ConfigError } from "../util/config-error.js";
import { classHasBrand, WORKER_ENTRYPOINT_BRAND } from "./brands.js";
import { withEnv } from "./current-env.js";
import type { DurableObjectState } from "./object/state.js";

/** A Worker module's exports (the module loader in lib/modules/ produces them). */
export type ModuleExports = Record<string, unknown>;

type ObjectClass = new (ctx: DurableObjectState, env: object) => object;

/**
 * One Worker: its env, its module's exports once loaded, and its default fetch handler. The
 * classes its namespaces host are checked as soon as the exports are known.
 */
export class WorkerRuntime {
  readonly env: Record<string, unknown> = {};
  #exports: ModuleExports | undefined;
  /** Classes of namespaces hosted here: checked as soon as the module is available. */
  readonly #hosted = new Set<string>();

  constructor(
    readonly name: string,
    private readonly emulatorAlive: () => void,
    /** What is still loading (the emulator's Readiness): the fetch handler waits for it. */
    private readonly pendingLoads: () => Promise<void> | undefined,
  ) {}

  /**
   * Places a binding in env as an own data property, whatever its name: a binding called
   * `__proto__` is a binding, not env's prototype.
   */
  bind(name: string | symbol, value: unknown): void {
    Object.defineProperty(this.env, name, { value, writable: true, enumerable: true, configurable: true });
  }

  /** The module has loaded: checks every hosted class (a ConfigError names what is wrong). */
  loaded(exports: ModuleExports): void {
    this.#exports = exports;
    for (const className of this.#hosted) this.exportedClass(className);
  }

  /** Records that a namespace of this class is hosted here (validated once the module loads). */
  host(className: string): void {
    this.#hosted.add(className);
    if (this.#exports !== undefined) this.exportedClass(className);
  }

  /** Whether the loaded module has an export of that name (exportedClass() checks it is a class). */
  exportsName(className: string): boolean {
    return this.#exports?.[className] !== undefined;
  }

  exportedClass(className: string): ObjectClass {
    this.emulatorAlive();
    const exports = this.#exports;
    if (exports === undefined) throw new Error(`durasim internal: Worker "${this.name}" is not loaded yet`);
    const value = exports[className];
    if (value === undefined) {
      const exported = Object.keys(exports).filter((key) => typeof exports[key] === "function");
      throw new ConfigError(
        `durasim: Worker "${this.name}" does not export a class named "${className}" (exported classes: ${exported.join(", ") || "none"}). ` +
          `Export the class from the Worker's module, or fix "className".`,
      );
    }
    if (typeof value !== "function" || !/^class\b/.test(Function.prototype.toString.call(value))) {
      throw new ConfigError(
        `durasim: export "${className}" of Worker "${this.name}" is not a class (it is ${typeof value}). ` +
          `Durable Objects must be exported classes, e.g. export class ${className} extends DurableObject {}.`,
      );
    }
    return value as ObjectClass;
  }

  /** Runs the default export's fetch handler; an uncaught exception becomes a 500, as in production. */
  async fetch(request: Request): Promise<Response> {
    const pending = this.pendingLoads();
    if (pending) await pending;
    const handler = this.#exports?.default;
    const ctx = { waitUntil: (p: unknown) => void Promise.resolve(p).catch(() => undefined), passThroughOnException() {}, props: {} };
    try {
      let response: unknown;
      if (classHasBrand(handler, WORKER_ENTRYPOINT_BRAND)) {
        const Entrypoint = handler as new (ctx: unknown, env: object) => { fetch?: (request: Request) => unknown };
        response = await withEnv(this.env, () => {
          const entrypoint = new Entrypoint(ctx, this.env);
          if (typeof entrypoint.fetch !== "function") throw new Error("Handler does not export a fetch() function.");
          return entrypoint.fetch(request);
        });
      } else {
        const fetchHandler = (handler as { fetch?: unknown } | undefined)?.fetch;
        if (typeof fetchHandler !== "function") throw new Error("Handler does not export a fetch() function.");
        response = await withEnv(this.env, () => fetchHandler.call(handler, request, this.env, ctx));
      }
      if (!(response instanceof Response)) {
        throw new TypeError("Incorrect type for Promise: the Promise did not resolve to 'Response'.");
      }
      return response;
    } catch (error) {
      console.error(`durasim: uncaught exception in Worker "${this.name}" fetch handler:`, error);
      return new Response(null, { status: 500, statusText: "Internal Server Error" });
    }
  }
}

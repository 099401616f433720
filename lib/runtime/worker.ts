import { ConfigError } from "../util/config-error.js";
import { inCodeRealm } from "../util/code-realm.js";
import { errorReference } from "../util/error-reference.js";
import { rejectionForCaller } from "./stacks.js";
import { undeliveredError, unflaggedError } from "./errors.js";
import { withRequest } from "./rpc/stub.js";
import { type CodeFeatures, NEWEST_CODE_FEATURES } from "./code-features.js";
import { registerWorker } from "./current-env.js";
import { type EntrypointHost, EntrypointTarget } from "./entrypoints/entrypoint.js";
import { addClass, addNamespace, fillExports, isDurableObjectClass, isEntrypoint } from "./entrypoints/loopback.js";
import { handlersOfExportedObject } from "./exported-handlers.js";
import { checkExportTypes } from "./export-types.js";
import { allSettled, internalServerError, logUncaught } from "./entrypoints/execution-context.js";
import { WorkerEvent } from "./entrypoints/worker-event.js";
import type { NamespaceRuntime } from "./namespace.js";
import type { DurableObjectState } from "./object/state.js";

/** A Worker module's exports (the module loader in lib/modules/ produces them). */
export type ModuleExports = Record<string, unknown>;

type ObjectClass = new (ctx: DurableObjectState, env: object) => object;

/**
 * One Worker: its env, its module's exports once loaded, its entrypoints (what service
 * bindings and `exports` reach) and its `exports`. The classes its namespaces host are checked
 * as soon as the module's exports are known.
 */
export class WorkerRuntime implements EntrypointHost {
  // Both are the code realm's objects (the test file's under the Jest preset), as the one
  // realm's in the runtime: `env instanceof Object` holds in Worker code.
  readonly env: Record<string, unknown> = inCodeRealm({});
  /** The Worker's `exports` (loopback bindings), filled once the module has loaded. */
  readonly exports: Record<string, unknown> = inCodeRealm({});
  #exports: ModuleExports | undefined;
  /** The export exportedClass() last found to be a class, by name: checking its source text on every construction cost a string per object. */
  readonly #checkedClasses = new Map<string, ObjectClass>();
  /** Namespaces of the classes hosted here: checked as soon as the module is available. */
  readonly #hosted = new Map<string, NamespaceRuntime>();
  /** Hosted classes nothing binds (declared by migrations alone): hosted only if the module exports them. */
  readonly #unbound = new Set<string>();
  /** How each call into this Worker's code that has not answered yet fails when the emulator ends. */
  readonly #unanswered = new Set<(error: Error) => void>();
  /** Its events that have not ended yet (entrypoints/worker-event.ts). */
  readonly #events = new Set<WorkerEvent>();
  /** The emulator ended: why (its calls in flight failed with it). */
  #ended: Error | undefined;

  constructor(
    readonly name: string,
    private readonly emulatorAlive: () => void,
    /** What is still loading (the emulator's Readiness): the fetch handler waits for it. */
    private readonly pendingLoads: () => Promise<void> | undefined,
    /** Compatibility flag service_binding_extra_handlers: this Worker's Fetchers get `scheduled()`. */
    readonly extraHandlers = false,
    /** Its compatibility features, which its code's API calls follow. */
    readonly codeFeatures: CodeFeatures = NEWEST_CODE_FEATURES,
  ) {
    registerWorker(this.env, this.exports, codeFeatures);
  }

  /** What its handlers' `ctx.exports` shows (EntrypointHost): nothing without enable_ctx_exports. */
  get ctxExports(): object | undefined {
    return this.codeFeatures.ctxExports ? this.exports : undefined;
  }

  /**
   * Places a binding in env as an own data property, whatever its name: a binding called
   * `__proto__` is a binding, not env's prototype.
   */
  bind(name: string | symbol, value: unknown): void {
    Object.defineProperty(this.env, name, { value, writable: true, enumerable: true, configurable: true });
  }

  /**
   * The module has loaded: checks what it exports, as the runtime does as it starts (its
   * TypeError), then every hosted class (a ConfigError names what is wrong).
   */
  loaded(exports: ModuleExports): void {
    checkExportTypes(exports);
    this.#exports = exports;
    for (const className of this.#hosted.keys()) {
      if (!this.#unbound.has(className)) this.exportedClass(className);
      else if (typeof exports[className] !== "function") this.#hosted.delete(className);
    }
    // The bound classes' namespaces were there before the load (see host()); they keep their
    // identity and take their place after the entrypoints, as if filled now.
    const early = new Map(Object.entries(this.exports));
    for (const name of early.keys()) Reflect.deleteProperty(this.exports, name);
    fillExports(this.exports, this, exports, new Map());
    readExportedHandlers(exports);
    // workerd logs this as it starts such a Worker (calls through the default entrypoint fail).
    if (typeof exports.default === "function" && !isEntrypoint(exports.default)) {
      console.error("Exported actor class as default entrypoint. This doesn't work, but historically did not produce a startup-time error.");
    }
    // Durable Object classes come in the runtime's order, by name, hosted or not (see addClass);
    // a default export that is one is not listed (see entrypoint()).
    const named = Object.keys(exports).filter((name) => name !== "default" && isDurableObjectClass(exports[name]));
    const classes = new Set([...this.#hosted.keys(), ...named]);
    for (const className of [...classes].sort()) {
      const namespace = this.#hosted.get(className);
      if (namespace === undefined) addClass(this.exports, className);
      else if (early.has(className)) Object.defineProperty(this.exports, className, { value: early.get(className), enumerable: true, writable: true, configurable: true });
      else addNamespace(this.exports, className, namespace);
    }
  }

  /**
   * Records that this class's namespace is hosted here (validated once the module loads). A class
   * nothing binds (`bound` false) is reached only through `exports`, and only if the module
   * exports a class of that name.
   */
  host(className: string, namespace: NamespaceRuntime, bound = true): void {
    if (!bound) this.#unbound.add(className);
    this.#hosted.set(className, namespace);
    // A bound class must be exported (loaded() checks it), so its namespace is in `exports` from
    // the start, as the runtime's exports are configured statically: a test file's top level can
    // use it while the Worker's modules are held back for its mocks (its calls wait for them).
    if (this.#exports === undefined) return void (bound && addNamespace(this.exports, className, namespace));
    if (bound) this.exportedClass(className);
    else if (typeof this.#exports[className] !== "function") return void this.#hosted.delete(className);
    addNamespace(this.exports, className, namespace);
  }

  /** Whether this Worker hosts the class's namespace (an unbound class it does not export it does not). */
  hosts(className: string): boolean {
    return this.#hosted.has(className);
  }

  /**
   * The export an entrypoint names, once loaded: a WorkerEntrypoint class or an object of
   * handlers. Another class there (a plain one, a Durable Object's) is one the runtime counts as
   * a Durable Object class, which it starts with but cannot call as an entrypoint: every fetch
   * or RPC through it fails with an internal error.
   */
  async entrypoint(name: string): Promise<unknown> {
    const pending = this.pendingLoads();
    if (pending) await pending;
    this.emulatorAlive();
    const value = this.checkEntrypoint(name);
    if (isEntrypoint(value)) return value;
    const error = new Error(`internal error; reference = ${errorReference()}`);
    // workerd finds no default handler before the call leaves (no `remote`, even on a fetch),
    // and fails a named one in the callee's Worker (`remote` on a fetch, as its other errors).
    throw name === "default" ? undeliveredError(error) : unflaggedError(error);
  }

  /**
   * Throws a ConfigError unless the loaded module's export `name` is an entrypoint, or a class
   * (see entrypoint()), which workerd starts with too.
   */
  checkEntrypoint(name: string): unknown {
    const exports = this.#exports ?? {};
    const value = exports[name];
    if (isEntrypoint(value) || typeof value === "function") return value;
    const entrypoints = Object.keys(exports).filter((key) => isEntrypoint(exports[key]));
    const what = value === undefined ? "does not export it" : `exports it as ${typeof value}, not an entrypoint`;
    throw new ConfigError(
      `durasim: entrypoint "${name}" of Worker "${this.name}" is not available: the module ${what} (entrypoints: ${entrypoints.join(", ") || "none"}). ` +
        `Export a WorkerEntrypoint class or an object of handlers under that name, or fix "entrypoint".`,
    );
  }

  /** Whether the loaded module has an export of that name (exportedClass() checks it is a function). */
  exportsName(className: string): boolean {
    return this.#exports?.[className] !== undefined;
  }

  exportedClass(className: string): ObjectClass {
    this.emulatorAlive();
    const exports = this.#exports;
    if (exports === undefined) throw new Error(`durasim internal: Worker "${this.name}" is not loaded yet`);
    const value = exports[className];
    if (value !== undefined && this.#checkedClasses.get(className) === value) return value as ObjectClass;
    if (value === undefined) {
      const exported = Object.keys(exports).filter((key) => typeof exports[key] === "function");
      throw new ConfigError(
        `durasim: Worker "${this.name}" does not export a class named "${className}" (exported classes: ${exported.join(", ") || "none"}). ` +
          `Export the class from the Worker's module, or fix the binding's "className" ("class_name" in a wrangler file).`,
      );
    }
    // Any function will do, as the runtime takes one: an ES5-style constructor (a compiler's output
    // for a class), and one that cannot construct, whose objects fail at each event (see construct()).
    if (typeof value !== "function") {
      throw new ConfigError(
        `durasim: export "${className}" of Worker "${this.name}" is not a class (it is ${typeof value}). ` +
          `Durable Objects must be exported classes, e.g. export class ${className} extends DurableObject {}.`,
      );
    }
    this.#checkedClasses.set(className, value as ObjectClass);
    return value as ObjectClass;
  }

  /**
   * `pending` (a call into this Worker's code), unless the emulator ends first: the caller then
   * fails with the end's error at once instead of waiting forever on code that may never answer.
   * A failure reaches the caller as `toCaller` makes it of what the code threw, its stack
   * joined through rejectionForCaller (stacks.ts): this promise's settling callbacks are no
   * await V8 can follow back to the caller, so a rejection passed on from them would not show
   * the caller's frames. `held` is the promise the caller holds (this one, or one it resolves
   * to): it gets the no-op handler once it fails, so that nothing else need handle it up front.
   */
  answerOrEnd<T>(
    pending: Promise<T>,
    toCaller: (thrown: unknown) => unknown = (thrown) => thrown,
    held?: () => Promise<unknown>,
  ): Promise<T> {
    const caller = held ?? (() => answer);
    const answer = new Promise<T>((resolve, reject) => {
      // A call nobody awaits that the end fails is no unhandled rejection either.
      const end = (error: Error) => {
        reject(error);
        caller().catch(() => undefined);
      };
      this.#unanswered.add(end);
      pending.then(
        (value) => {
          this.#unanswered.delete(end);
          resolve(value);
        },
        (thrown: unknown) => {
          // Ended first, the caller has the end's error: what the code threw since is no one's
          // to hear, and a rejection made for it would be reported as unhandled.
          if (!this.#unanswered.delete(end)) return;
          resolve(rejectionForCaller(toCaller(thrown), thrown, caller));
        },
      );
    });
    return answer;
  }

  startEvent(): WorkerEvent {
    return new WorkerEvent(this.#events, this.env, this.codeFeatures);
  }

  /**
   * The settling of what each of its events still going, and not in `seen` yet, gave
   * `waitUntil` (added to `seen`): one promise per event, which waits for promises added
   * meanwhile too. Streams and WebSockets that keep an event going are not waited for.
   */
  waitUntilWork(seen: { has(event: object): boolean; add(event: object): unknown }): Promise<unknown>[] {
    const work: Promise<unknown>[] = [];
    for (const event of this.#events) {
      if (seen.has(event)) continue;
      seen.add(event);
      work.push(allSettled(event.waitedUntil));
    }
    return work;
  }

  /**
   * The emulator ended: every call still waiting on this Worker's code fails with `error`, and
   * every event still going ends (its timers stop, its streams still flowing are cut).
   */
  end(error: Error): void {
    this.#ended = error;
    for (const fail of this.#unanswered) fail(error);
    this.#unanswered.clear();
    for (const event of this.#events) event.end(error);
  }

  /**
   * Runs the default export's fetch handler; an uncaught exception becomes a 500, as in
   * production. The request's signal aborting first rejects the call with its reason, as a
   * fetch() the caller gave up on does (Miniflare's dispatchFetch too). Redirects are followed
   * as a service binding's fetch() follows them, and what refuses one (a stream body to send
   * again, too many) rejects the call: no handler threw it.
   */
  async fetch(request: Request): Promise<Response> {
    const target = new EntrypointTarget(this, "default", {});
    return (await withRequest(request, undefined, async (sent) => {
      try {
        return await target.deliver(sent);
      } catch (error) {
        // A caller that gave up has its rejection already (withRequest): no one gets this answer.
        if (error === this.#ended || request.signal.aborted) throw error;
        logUncaught(this.name, "fetch", error);
        return internalServerError();
      }
    })) as Response;
  }
}

/**
 * Reads the handlers of each object the module exports as it loads, as the runtime does (a
 * getter among them runs then, and not at the first event). One that throws is read again, and
 * throws, at the first event that needs it.
 */
function readExportedHandlers(exports: ModuleExports): void {
  for (const value of Object.values(exports)) {
    if (typeof value !== "object" || !isEntrypoint(value)) continue;
    try {
      handlersOfExportedObject(value as object);
    } catch {
      // (See above: the event reports it.)
    }
  }
}

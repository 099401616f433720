import { Buffer } from "node:buffer";
import { accessSync, constants as fsConstants, existsSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { BindingStores } from "./bindings/stores.js";
import { checkExports, type DurableObjectExports } from "./config/exports.js";
import { planLifecycles } from "./config/lifecycle.js";
import { checkMigrations, isMigrationState, type Migration, type MigrationState, type MigrationStep } from "./config/migrations.js";
import type { NamespacePlan } from "./config/namespaces.js";
import { type EmulatorOptions, type ResolvedPersistence, type ResolvedWorker, resolveOptions, resolvePersist } from "./config/options.js";
import type { ResolvedServiceBinding } from "./config/service-bindings.js";
import { mergeOptions } from "./config/merge.js";
import { existingMain, loadWranglerConfig } from "./config/wrangler/translate.js";
import { boundNames } from "./config/bound-names.js";
import { boundValue } from "./config/json-bindings.js";
import { unloadableTypeScript } from "./config/wrangler/typescript-main.js";
import { bindCaches } from "./modules/cache-storage.js";
import { loadsThroughHost, loadWorkerModule, modulesDemanded } from "./modules/loader.js";
import { listDurableObjectIds } from "./modules/test/durable-objects.js";
import { registerTestTarget, unregisterTestTarget } from "./modules/test/target.js";
import type { DurableObjectId } from "./runtime/ids.js";
import type { CodeFeatures } from "./runtime/code-features.js";
import { pushFallbackEnv, removeFallbackEnv } from "./runtime/current-env.js";
import { installHostApis } from "./runtime/host-apis.js";
import { logWorkerRejections } from "./runtime/worker-rejections.js";
import { DurableObjectId as ObjectId } from "./runtime/ids.js";
import { type Clock, createClock, ManualClock } from "./runtime/lifecycle/clock.js";
import { DEFAULT_IDLE_TIMEOUT_MS, EvictionPolicy } from "./runtime/lifecycle/eviction.js";
import { type NamespaceHost, type NamespaceSnapshot, NamespaceRuntime } from "./runtime/namespace.js";
import { DurableObjectNamespaceBinding } from "./runtime/namespace-binding.js";
import { evictedWebSockets, type ObjectRecord } from "./runtime/object/record.js";
import { handsChunksAsGiven } from "./runtime/given-chunks.js";
import { cacheMode, carryCf } from "./runtime/http-request.js";
import { checkRequest, convertRequestInit } from "./runtime/init-conversion.js";
import { Readiness } from "./runtime/readiness.js";
import { disposedError, EmulatorLifetime } from "./runtime/emulator-lifetime.js";
import { EntrypointTarget } from "./runtime/entrypoints/entrypoint.js";
import { FunctionServiceTarget } from "./runtime/entrypoints/function-service.js";
import { type FetchTarget, fetcher } from "./runtime/rpc/stub.js";
import { WorkerRuntime } from "./runtime/worker.js";
import { WorkerNamespaceHost } from "./runtime/worker-namespace-host.js";
import { WaitUntilWork } from "./runtime/wait-until-work.js";
import { emulatorUsage, type EmulatorUsage, type NamespaceUsage, type ObjectUsageReport } from "./runtime/usage/usage.js";
import { sqlEngineReady } from "./sqlite/engine.js";
import { endOfEmulatorError, withFlags } from "./runtime/errors.js";
import { PersistLayout } from "./storage/persist/layout.js";
import { Persistence } from "./storage/persist/persistence.js";
import { ConfigError } from "./util/config-error.js";
import { type EmulatorSnapshot, StateRegistry } from "./util/snapshots.js";
import { nextTurnPromise } from "./util/turn.js";

/** The emulator a `reconfigure()` call is replacing, while its successor is constructed. */
let predecessor: Emulator<unknown> | undefined;

const RESTORED_MESSAGE =
  "Durable Object reset because the emulator's state was restored from a snapshot (emu.restore()).";

/**
 * An in-process Cloudflare Workers runtime for Durable Objects: Workers with their env,
 * namespaces shared across Workers, and the objects behind them. This is the one place that
 * wires the layers together: config's resolved description in, runtime objects out.
 */
/**
 * `Env` types the main Worker's env (`new Emulator<Env>(...)`, with the Worker's own Env
 * interface, from @cloudflare/workers-types or durasim's types); it is not checked at run time.
 */
export class Emulator<Env = Record<string, any>> {
  readonly #workers = new Map<string, WorkerRuntime>();
  readonly #waitUntilWork = new WaitUntilWork(() => this.#workers.values());
  /** Each Worker's resolved configuration, by name. */
  readonly #configs = new Map<string, ResolvedWorker>();
  /** Namespaces by their key (the key their objects' storage and IDs derive from). */
  readonly #namespaces = new Map<string, NamespaceRuntime>();
  /** Which migrations each Worker's stored state has had applied. */
  #migrationState: MigrationState;
  readonly #main: WorkerRuntime;
  /** The one clock of this emulator: alarms, retries, idle eviction and timeouts run on it. */
  readonly #clock: Clock;
  readonly #eviction: EvictionPolicy;
  /** KV namespaces and R2 buckets by id, shared by every binding (in any Worker) that names one. */
  readonly #bindingStores: BindingStores;
  /** Worker modules and, with a SQLite-backed class, the SQLite engine: every call waits for them. */
  readonly #readiness: Readiness;
  /** Every part of the state that snapshot() and restore() cover. */
  readonly #state = new StateRegistry();
  /** The open persistence directory (with `persist`); undefined: storage lives in memory. */
  readonly #persistence: Persistence | undefined;
  /** Whether it was disposed: what its bindings, stubs and Workers check, in place of the emulator (see EmulatorLifetime). */
  readonly #lifetime = new EmulatorLifetime();
  /** Aborted as this emulator ends: binding calls still in flight fail, and stop reading their bodies. */
  readonly #ending = new AbortController();
  /**
   * Resolves once every Worker's module is loaded and checked and the SQLite engine (if any
   * class needs it) is loaded; rejects with the config error. Awaiting it is optional: every
   * call waits for what it needs.
   */
  get ready(): Promise<void> {
    return this.#readiness.promise;
  }

  /**
   * The constructor runs in steps, and their order is the point: everything that can refuse the
   * configuration (options, migrations against the stored record, exports given as modules)
   * comes before the handover, which changes the disk and a predecessor's namespaces, all or
   * none; after it come only steps that cannot fail at once (loads report through `ready`).
   */
  constructor(options: EmulatorOptions) {
    installHostApis();
    const previous = predecessor;
    predecessor = undefined;
    const inherited = previous === undefined ? undefined : previous.#persistence;
    this.#persistence = openPersistence(resolvePersist(options?.persist), inherited);
    // Storage comes from the predecessor only when it stays where it was (the same directory,
    // or memory again): over other storage the successor starts from what that storage holds,
    // as Miniflare's setOptions() does, and the predecessor lets go of its own (#retire).
    const storageFrom = previous !== undefined && this.#persistence === inherited ? previous : undefined;
    // Whatever fails from here on (a config error, a damaged file) leaves no lock behind: the
    // caller has no emulator to dispose of, and the fixed configuration must find the directory free.
    try {
      // The configuration, checked against the migrations already applied: those a predecessor
      // holds (it read them, checked, at its start), else those the directory records.
      const stored = this.#persistence === inherited ? undefined : this.#persistence?.readMigrationState(isMigrationState);
      const recorded = storageFrom === undefined ? (stored ?? {}) : storageFrom.#migrationState;
      const resolved = resolveOptions(options, recorded);
      this.#migrationState = resolved.migrationState;
      // Time: a successor keeps its predecessor's clock, so alarms armed on it keep their times.
      this.#clock = previous === undefined ? createClock(options.clock ?? "real") : previous.#clockFor(options.clock ?? "real");
      this.#eviction = new EvictionPolicy(this.#clock, {
        idleTimeout: options.idleTimeout ?? DEFAULT_IDLE_TIMEOUT_MS,
        maxLiveObjects: options.maxLiveObjects,
      });
      // KV expiry and R2 upload times follow the emulator's clock, so manual time expires keys. A
      // successor keeps the namespaces and buckets (and the clock they read).
      this.#bindingStores = storageFrom === undefined ? new BindingStores(readsTime(this.#clock), this.#persistence) : storageFrom.#bindingStores;
      // The Workers and their bindings, then the namespaces: a predecessor's are only marked for
      // taking over (`takeOvers`), as changing them now would outlive a refusal below.
      this.#createWorkers(resolved.workers);
      this.#main = this.#workers.get(resolved.workers[0]!.name)!;
      const takeOvers: Array<() => void> = [];
      const undecided = this.#createNamespaces(resolved.namespaces, storageFrom, takeOvers);
      // The last refusal at once: modules given as exports are checked as they are bound.
      const moduleLoads = this.#loadModules(resolved.workers);
      // The handover (see #applyMigration): a reconfigure() that throws before or in it leaves
      // the predecessor, and the directory, as they were.
      this.#applyMigration(recorded, resolved.migrationState, resolved.migrationSteps, () => {
        // A new migration that deletes a class deletes its objects (a predecessor's live ones
        // included, when the class is created again under its key) before anything is taken over.
        for (const step of resolved.migrationSteps) if (step.op === "delete") this.#namespaces.get(step.key)?.forgetAll(deletedError(step.className));
        for (const takeOver of takeOvers) takeOver();
      });
      // What waits for the modules; it reports through `ready`, never here.
      const throughHost = resolved.workers.some((config) => loadsThroughHost(config.source));
      this.#readiness = new Readiness(this.#loadsAfter(moduleLoads, resolved.namespaces, undecided, resolved.workers), throughHost ? modulesDemanded : nothingDemanded, this.#ending.signal);
      this.#lifetime.loading(this.#readiness);
      // Last, what makes the emulator reachable from outside (snapshots, cloudflare:test).
      this.#register();
    } catch (error) {
      if (this.#persistence !== inherited) this.#persistence?.close();
      throw error;
    }
  }

  /** A WorkerRuntime per configured Worker, with its plain, KV, R2 and service bindings. */
  #createWorkers(configs: readonly ResolvedWorker[]): void {
    const { assertUsable: alive, pendingLoads } = this.#lifetime;
    const owner = { assertUsable: alive, ended: this.#ending.signal };
    for (const config of configs) {
      this.#configs.set(config.name, config);
      const { features } = config.compatibility;
      const worker = new WorkerRuntime(config.name, alive, pendingLoads, features.serviceBindingExtraHandlers, features);
      const bindings = config.bindings;
      for (const key of Reflect.ownKeys(bindings)) {
        if (Object.prototype.propertyIsEnumerable.call(bindings, key)) worker.bind(key, boundValue((bindings as Record<PropertyKey, unknown>)[key]));
      }
      for (const { binding, id } of config.kvNamespaces) worker.bind(binding, this.#bindingStores.kvNamespace(id, owner));
      for (const { binding, id } of config.r2Buckets) worker.bind(binding, this.#bindingStores.r2Bucket(id, owner));
      for (const { binding, namespaceId, ...limits } of config.ratelimits) worker.bind(binding, this.#bindingStores.rateLimiter(namespaceId, limits, owner));
      bindCaches(worker.env, { store: config.cache.enabled ? this.#bindingStores.caches : null, warnUsage: config.cache.warnUsage });
      this.#workers.set(config.name, worker);
    }
    // Service bindings last: they may name any of the Workers. A function is test code, which has the main Worker's features.
    const mainFeatures = this.#workers.get(configs[0]!.name)!.codeFeatures;
    for (const config of configs) {
      const worker = this.#workers.get(config.name)!;
      for (const service of config.serviceBindings) worker.bind(service.binding, fetcher(this.#serviceTarget(service, mainFeatures), { extraHandlers: worker.extraHandlers }));
    }
  }

  /** Every planned namespace, bound; returns the plans whose host is settled once the modules load. */
  #createNamespaces(plans: readonly NamespacePlan[], previous: Emulator<unknown> | undefined, takeOvers: Array<() => void>): NamespacePlan[] {
    const undecided: NamespacePlan[] = [];
    for (const plan of plans) {
      const namespace = this.#createNamespace(plan, previous === undefined ? undefined : previous.#namespaces.get(plan.uniqueKey), takeOvers);
      if (plan.hosts.length > 1) undecided.push(plan);
      for (const { worker, binding } of plan.bindings) this.#workers.get(worker)!.bind(binding, new DurableObjectNamespaceBinding(namespace));
    }
    return undecided;
  }

  /**
   * Loads each Worker's module: one given as exports is checked now (and throws), one given as
   * source when it loads, through `ready`.
   */
  #loadModules(configs: readonly ResolvedWorker[]): Array<Promise<void> | undefined> {
    return configs.map((config) => {
      const worker = this.#workers.get(config.name)!;
      const loaded = loadWorkerModule(config.source);
      if (loaded instanceof Promise) return loaded.then((exports) => worker.loaded(exports));
      if (config.source.module !== undefined) return void worker.loaded(loaded);
      // Code given as source is checked when it loads, through `ready`; a source an earlier
      // emulator loaded (one instance per process) is there at once, and its mistakes must
      // still take that way, whichever emulator of a test run happens to load it first.
      try {
        return void worker.loaded(loaded);
      } catch (error) {
        return Promise.reject(error);
      }
    });
  }

  /** What `ready` waits for: the modules, then the checks and start-up work that need them. */
  #loadsAfter(
    moduleLoads: ReadonlyArray<Promise<void> | undefined>,
    namespaces: readonly NamespacePlan[],
    undecided: readonly NamespacePlan[],
    configs: readonly ResolvedWorker[],
  ): Array<Promise<unknown> | undefined> {
    const loads: Array<Promise<unknown> | undefined> = [...moduleLoads, this.#bindingStores.ready];
    // A class only migrations declare is a namespace if its Worker exports it (worker.ts).
    const unbound = namespaces.filter((plan) => plan.bindings.length === 0);
    if (unbound.length > 0) {
      loads.push(
        Promise.all(moduleLoads).then(() => {
          for (const plan of unbound) {
            if (this.#workers.get(plan.hosts[0]!)!.hosts(plan.className)) continue;
            this.#namespaces.delete(plan.uniqueKey);
            // workerd starts such a Worker too, warning that calls to the class will fail.
            if (plan.unboundEntry !== undefined) {
              console.warn(
                `durasim: ${plan.unboundEntry} (Miniflare's additionalUnboundDurableObjects) names class "${plan.className}", which Worker "${plan.hosts[0]}" does not export: ` +
                  `it has no namespace. Export the class, or fix the name.`,
              );
            }
          }
        }),
      );
    }
    // A declaration several Workers bind as their own is hosted by the one exporting its class.
    if (undecided.length > 0) loads.push(Promise.all(moduleLoads).then(() => undecided.forEach((plan) => this.#settleHost(plan))));
    // Every service binding's entrypoint exists once the modules are loaded.
    const services = configs.flatMap((config) => config.serviceBindings.flatMap((service) => ("worker" in service ? [service] : [])));
    if (services.length > 0) {
      loads.push(Promise.all(moduleLoads).then(() => services.forEach((service) => this.#workers.get(service.worker)!.checkEntrypoint(service.entrypoint))));
    }
    // SQLite-backed objects, and every persisted object, need the (lazily loaded) SQLite engine
    // before the first one starts; persisted alarms are armed once it is there (after the
    // handover, so no alarm of a deleted class is armed).
    if (this.#persistence !== undefined && namespaces.length > 0) {
      const wake = () => this.#namespaces.forEach((namespace) => namespace.wakePersistedAlarms());
      const engine = sqlEngineReady();
      loads.push(engine === undefined ? void wake() : engine.then(wake));
    } else if (namespaces.some((plan) => plan.sqlite)) {
      loads.push(sqlEngineReady());
    }
    return loads;
  }

  /** Makes the emulator reachable: its state to snapshot(), its env and namespaces to cloudflare:test. */
  #register(): void {
    this.#state.register("durableObjects", {
      snapshot: () => new Map([...this.#namespaces].map(([key, namespace]) => [key, namespace.snapshot()])),
      restore: (snapshot: ReadonlyMap<string, NamespaceSnapshot>) => {
        logWorkerRejections();
        const reason = endOfEmulatorError(withFlags(new Error(RESTORED_MESSAGE), { durableObjectReset: true }));
        for (const [key, namespace] of this.#namespaces) namespace.restore(snapshot.get(key), reason);
      },
    });
    this.#state.register("bindings", this.#bindingStores);
    pushFallbackEnv(this.#main.env);
    const main = this.#main;
    registerTestTarget(this, {
      env: main.env,
      self: fetcher(new EntrypointTarget(main, "default", {}), { extraHandlers: main.extraHandlers }),
      exports: main.ctxExports,
      namespaces: () => this.#namespaces.values(),
      clearBindings: async () => this.#bindingStores.clear(),
      usage: (target) => (target === undefined ? this.usage() : this.usage(target)),
      resetUsage: () => this.resetUsage(),
      keepWaitUntil: (promise) => this.#waitUntilWork.keep(promise),
    });
  }

  /**
   * An emulator for the Worker a wrangler file describes (wrangler.json, wrangler.jsonc or
   * wrangler.toml, or the directory holding one): its `main` is imported through Node unless
   * `overrides` give the code (`module`, `modulePath`, `script`). `overrides` take any Emulator
   * option, laid over the file's, plus `environment` to select `env.<name>`. `E` types the env,
   * as `new Emulator<Env>(...)` does (`Emulator.fromWrangler<Env>("./wrangler.jsonc")`).
   */
  static async fromWrangler<E = Record<string, any>>(path: string, overrides: EmulatorOptions & { environment?: string } = {}): Promise<Emulator<E>> {
    const { environment, ...options } = overrides;
    // A name the overrides bind in any way needs no stand-in (an assets binding served by a service, say).
    const supplied = { ...Object.fromEntries([...boundNames(options)].map((name) => [name, true])), ...options.bindings };
    const config = loadWranglerConfig(path, { environment, bindings: supplied });
    const translated = { ...config.options } as EmulatorOptions & Record<string, unknown>;
    const givesCode = ["module", "modulePath", "script", "modules"].some((key) => (options as Record<string, unknown>)[key] !== undefined);
    if (!givesCode) {
      if (config.main === undefined) {
        throw new ConfigError(`durasim: ${config.configPath} has no "main", and the overrides give no code: pass { module } (the imported Worker module) or { modulePath }.`);
      }
      translated.modulePath = existingMain(config.main, config.configPath, "pass { module } or { modulePath }");
    }
    const emulator = new Emulator<E>(mergeOptions(translated, options));
    try {
      await emulator.ready;
    } catch (error) {
      await emulator.dispose();
      throw translated.modulePath === undefined ? error : (unloadableTypeScript(error, translated.modulePath, config.configPath) ?? error);
    }
    return emulator;
  }

  /** The main Worker's env: Durable Object namespaces and plain bindings, as the options declared them. */
  get env(): Env {
    this.#assertAlive();
    return this.#main.env as Env;
  }

  /** A namespace binding; `T`, the class, types its stubs (`getDurableObjectNamespace<Counter>("COUNTER")`). */
  getDurableObjectNamespace<T = undefined>(binding: string, scriptName?: string): DurableObjectNamespaceBinding<T> {
    this.#assertAlive();
    const worker = this.#workerNamed(scriptName);
    const namespace = worker.env[binding];
    if (!(namespace instanceof DurableObjectNamespaceBinding)) {
      const known = this.#configs.get(worker.name)!.durableObjects.filter((b) => b.unbound !== true).map((b) => b.binding);
      throw new ConfigError(
        `durasim: Worker "${worker.name}" has no Durable Object binding "${binding}" (bindings: ${known.join(", ") || "none"}). Declare it in "durableObjects".`,
      );
    }
    return namespace as DurableObjectNamespaceBinding<T>;
  }

  /** Sends a request to the main Worker's default fetch handler. Relative URLs resolve against http://localhost. */
  async dispatchFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    return this.getWorker().fetch(input, init);
  }

  /** A Worker's default export, to send requests to (the main Worker's when no name is given). */
  getWorker(name?: string): { fetch(input: string | URL | Request, init?: RequestInit): Promise<Response> } {
    this.#assertAlive();
    const worker = this.#workerNamed(name);
    const alive = this.#lifetime.assertUsable;
    return {
      fetch: async (input, init) => {
        alive();
        // The runtime's refusals of an init (init-conversion.ts) and the cf a cache mode
        // sets, as stub.fetch() applies them: a refusal rejects the call rather than reach the
        // handler. The init is read once, converted; the Request is made of what it held.
        const given = convertRequestInit(init);
        checkRequest(input, given, () => undefined);
        const members = given?.body instanceof ReadableStream ? { ...given, duplex: "half" } : given;
        const target = input instanceof Request ? input : new URL(String(input), "http://localhost");
        const request = new Request(target, members as RequestInit | undefined);
        // Made from a stream, as stub.fetch()'s would be: a redirect that resends the body then
        // refuses it (fetcher-redirects.ts), and no copy of it is kept for one.
        if (given?.body instanceof ReadableStream) handsChunksAsGiven(request);
        return worker.fetch(carryCf(request, input, given, cacheMode(input, given)));
      },
    };
  }

  /**
   * A service binding to a Worker's default export (the main Worker's when no name is given), as
   * another Worker's env holds one: `fetch` (rejecting with what the handler throws, where
   * `getWorker().fetch` answers 500), RPC methods, and `scheduled()` and `queue()` (as with
   * service_binding_extra_handlers), what Miniflare's `getWorker()` gives.
   */
  getService(name?: string): Record<string, any> {
    this.#assertAlive();
    return fetcher(new EntrypointTarget(this.#workerNamed(name), "default", {}), { extraHandlers: true }) as Record<string, any>;
  }

  /** A Worker's env (the main Worker's when no name is given). */
  getEnv(name?: string): Record<string, any> {
    this.#assertAlive();
    return this.#workerNamed(name).env;
  }

  /** Makes the next storage commit of `stub`'s object fail, which resets the object (fault injection). */
  failNextCommit(stub: object, error?: Error): void {
    this.#assertAlive();
    this.#locate(stub, "failNextCommit").record.failNextCommit(error);
  }

  /**
   * Manual clock only: moves virtual time forward by `ms`, firing every alarm, alarm retry,
   * idle eviction and blockConcurrencyWhile timeout that falls due, in time order, and waiting
   * for each alarm handler to finish. When it resolves, the world is settled.
   */
  async advanceTime(ms: number): Promise<void> {
    this.#assertAlive();
    if (!(this.#clock instanceof ManualClock)) {
      throw new Error(
        'durasim: advanceTime() needs the manual clock: new Emulator({ clock: "manual", ... }). With the real clock, ' +
          "use your test runner's fake timers (vi.useFakeTimers() and vi.advanceTimersByTimeAsync(ms)).",
      );
    }
    if (typeof ms !== "number" || !(ms >= 0) || ms === Infinity) {
      throw new TypeError(`durasim: advanceTime(ms) needs a finite number of milliseconds >= 0, got ${String(ms)}.`);
    }
    await this.#clock.advance(ms);
  }

  /**
   * Runs `stub`'s scheduled alarm now, as if its time had come (a pending retry keeps its
   * retryCount), and waits for the handler. Resolves to false when no alarm is scheduled.
   */
  async runAlarm(stub: object): Promise<boolean> {
    this.#assertAlive();
    const { record } = this.#locate(stub, "runAlarm");
    await this.#loadsSettled();
    return record.alarm().runNow();
  }

  /**
   * Evicts `stub`'s object, or every object, now: the next event constructs a new instance on
   * the same storage. Events already running may finish but can no longer use storage; queued
   * ones go to the new instance. Resolves at once, without waiting for the events still running
   * (they may wait on the caller): cloudflare:test's evictDurableObject() is the eviction that
   * waits for the object to be idle. Hibernatable WebSockets stay open (`webSockets: "hibernate"`,
   * the default: the next message wakes the object) or are closed (`"close"`: clients see close
   * code 1006); other WebSockets of the object are closed either way.
   */
  async evict(stub?: object, options?: { webSockets?: "hibernate" | "close" }): Promise<void> {
    this.#assertAlive();
    const webSockets = evictedWebSockets(options);
    if (stub !== undefined) {
      this.#locate(stub, "evict").record.evict(webSockets);
      return;
    }
    for (const namespace of this.#namespaces.values()) {
      for (const record of namespace.records()) record.evict(webSockets);
    }
  }

  /**
   * The whole emulator's state: every Durable Object's storage (KV entries, SQL tables, the
   * alarm), which objects exist, KV namespaces and R2 buckets. Writes still waiting for the end
   * of their turn are committed first. Cheap enough to call per test: state unchanged since the
   * previous snapshot is shared with it, and KV-backed storage is copy-on-write; a SQLite
   * database changed since costs a copy of its file.
   */
  async snapshot(): Promise<EmulatorSnapshot> {
    this.#assertAlive();
    await this.#loadsSettled();
    await nextTurnPromise();
    this.#assertAlive();
    for (const namespace of this.#namespaces.values()) {
      for (const record of namespace.records()) {
        record.commit();
        if (record.coalescer.hasPendingWrites) {
          throw new Error(
            `durasim: snapshot() while Durable Object ${record.idHex} (${namespace.config.className}) is inside a transaction; ` +
              "await the calls in flight first.",
          );
        }
      }
    }
    return this.#state.snapshot();
  }

  /**
   * Puts the whole state back as `snapshot` (from this emulator's snapshot()) has it. Live
   * instances are dropped, as an eviction drops them, and callers still waiting on one fail
   * with a reset error; alarms are re-armed from the restored storage. A snapshot can be
   * restored any number of times, in any order.
   */
  async restore(snapshot: EmulatorSnapshot): Promise<void> {
    this.#assertAlive();
    if (!this.#state.owns(snapshot)) {
      throw new TypeError("durasim: restore() needs a snapshot made by this Emulator's snapshot().");
    }
    await this.#loadsSettled();
    this.#state.restore(snapshot);
  }

  /**
   * Waits until every promise Worker code gave `ctx.waitUntil()` (or `waitUntil` of
   * `cloudflare:workers`) in an event still going, of any of the emulator's Workers, has
   * settled, including promises added meanwhile and those of events they start: true. After 30
   * seconds (production's limit on that work) it gives up on what is left, and resolves to false; so it does at once if the emulator is disposed meanwhile.
   * Test runners call it before snapshotting and restoring a test's state (wait-until-work.ts).
   */
  async waitUntilSettled(): Promise<boolean> {
    this.#assertAlive();
    return this.#waitUntilWork.settled(this.#ending.signal);
  }

  /**
   * What the Durable Objects did, counted as production bills it (see README, "Measuring usage
   * and cost"): the emulator's totals with every namespace and object (no argument), one
   * namespace's (a namespace binding), or one object's (a stub). Plain data, taken now.
   */
  usage(): EmulatorUsage;
  usage(stub: { readonly id: object }): ObjectUsageReport;
  usage(namespace: object): NamespaceUsage;
  usage(target?: object): EmulatorUsage | NamespaceUsage | ObjectUsageReport {
    this.#assertAlive();
    if (target === undefined) {
      return emulatorUsage([...this.#namespaces].map(([key, namespace]) => ({ key, usage: namespace.usage() })));
    }
    const runtime = DurableObjectNamespaceBinding.runtimeOf(target);
    if (runtime !== undefined) {
      if (![...this.#namespaces.values()].includes(runtime)) {
        throw new TypeError("durasim: usage() needs a Durable Object stub or namespace of this Emulator.");
      }
      return runtime.usage();
    }
    const { namespace, hex } = this.#find(target, "usage");
    return namespace.objectUsage(hex);
  }

  /** Zeroes every usage counter (a stretch of duration in progress counts from now on). */
  resetUsage(): void {
    this.#assertAlive();
    for (const namespace of this.#namespaces.values()) namespace.clearUsage();
  }

  /**
   * The ids of every object started in a namespace (an event reached it), ascending: what
   * `listDurableObjectIds` of `cloudflare:test` returns. `scriptName` picks another Worker's binding.
   */
  async listIds(binding: string, scriptName?: string): Promise<DurableObjectId[]> {
    return listDurableObjectIds(this.getDurableObjectNamespace(binding, scriptName));
  }

  /**
   * The ids of every object started in the namespace of class `className` that Worker
   * `scriptName` hosts (the main Worker by default), bound or not (`unboundDurableObjects`):
   * Miniflare's `listDurableObjectIds` by class. A declared class the module does not export has
   * no namespace, and no ids.
   */
  async listClassIds(className: string, scriptName?: string): Promise<DurableObjectId[]> {
    this.#assertAlive();
    this.#workerNamed(scriptName);
    await this.ready;
    const namespace = this.getClassNamespace(className, scriptName);
    return namespace === undefined ? [] : listDurableObjectIds(namespace);
  }

  /**
   * The namespace of class `className` that Worker `scriptName` hosts (the main Worker by
   * default), bound or not (`unboundDurableObjects`), as `ctx.exports` holds it; undefined for
   * a class with none (not declared, or not exported by the module).
   */
  getClassNamespace(className: string, scriptName?: string): DurableObjectNamespaceBinding | undefined {
    this.#assertAlive();
    const worker = this.#workerNamed(scriptName);
    const namespace = Object.hasOwn(worker.exports, className) ? worker.exports[className] : undefined;
    return DurableObjectNamespaceBinding.runtimeOf(namespace) === undefined ? undefined : (namespace as DurableObjectNamespaceBinding);
  }

  /**
   * A new emulator with other options over this one's storage and clock, as Miniflare's
   * `setOptions()`: objects whose namespace key is unchanged keep their data and alarms (live
   * instances restart on the new code; a switched backend keeps the KV data: see
   * #createNamespace); migrations already applied stay applied.
   * This emulator is disposed.
   */
  reconfigure(options: EmulatorOptions): Emulator<Env> {
    this.#assertAlive();
    predecessor = this;
    let successor: Emulator<Env>;
    try {
      successor = new Emulator(options);
    } finally {
      predecessor = undefined;
    }
    this.#retire(new Set(successor.#namespaces.values()), successor.#persistence);
    if (successor.#bindingStores !== this.#bindingStores) this.#bindingStores.release();
    return successor;
  }

  async dispose(): Promise<void> {
    if (this.#lifetime.ended) return;
    this.#clock.stop();
    this.#retire(new Set());
    // Unlike a retirement by reconfigure(), no successor takes the KV and R2 stores over.
    this.#bindingStores.release();
  }

  /**
   * Ends this emulator; `kept` namespaces live on in a successor (with the clock), and so does
   * the persistence the successor kept (`keptPersistence`).
   */
  #retire(kept: ReadonlySet<NamespaceRuntime>, keptPersistence?: Persistence): void {
    this.#lifetime.end();
    removeFallbackEnv(this.#main.env);
    unregisterTestTarget(this);
    logWorkerRejections();
    // Calls into Worker code still running fail now (as calls into objects do below).
    for (const worker of this.#workers.values()) worker.end(disposedError());
    this.#ending.abort(disposedError());
    // Evicted instances still running an event end too (its caller fails, its timers stop):
    // nothing of a disposed emulator runs on, keeps Node alive or leaves a caller waiting.
    for (const namespace of this.#namespaces.values()) {
      if (!kept.has(namespace)) namespace.end(disposedError);
    }
    // A successor over the same directory keeps it open (see openPersistence).
    if (this.#persistence !== keptPersistence) this.#persistence?.close();
  }

  /** The clock a successor keeps (alarms armed on it keep their times); it cannot change kind. */
  #clockFor(kind: "real" | "manual"): Clock {
    if ((this.#clock instanceof ManualClock) !== (kind === "manual")) {
      throw new ConfigError(`durasim: reconfigure() cannot change "clock" (this emulator's clock is ${this.#clock instanceof ManualClock ? "manual" : "real"}).`);
    }
    return this.#clock;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  #assertAlive(): void {
    this.#lifetime.assertUsable();
  }

  /**
   * Waits for what is loading, then checks the emulator is still alive: a method that went on
   * after a dispose() made meanwhile would meet closed storage ("used after close()") rather
   * than the error that says what happened.
   */
  async #loadsSettled(): Promise<void> {
    await this.#readiness.pending;
    this.#assertAlive();
  }

  /** Worker `name` (the main Worker when no name is given); a name no Worker has is a ConfigError that lists them. */
  #workerNamed(name: string | undefined): WorkerRuntime {
    const worker = name === undefined ? this.#main : this.#workers.get(name);
    if (worker === undefined) throw new ConfigError(`durasim: no Worker named "${name}" (Workers: ${[...this.#workers.keys()].join(", ")}).`);
    return worker;
  }

  /** The namespace and object record behind a stub of this emulator. */
  #locate(stub: object, method: string): { namespace: NamespaceRuntime; record: ObjectRecord } {
    const { namespace, hex } = this.#find(stub, method);
    return { namespace, record: namespace.record(hex) };
  }

  /** The namespace and id of a stub of this emulator (nothing is created for it). */
  #find(stub: object, method: string): { namespace: NamespaceRuntime; hex: string } {
    const id = (stub as { id?: unknown } | null | undefined)?.id;
    const hex = id instanceof ObjectId ? id.toString() : undefined;
    const namespace = hex && [...this.#namespaces.values()].find((ns) => ns.ids.isValid(Buffer.from(hex, "hex")));
    if (!hex || !namespace) throw new TypeError(`durasim: ${method}() needs a Durable Object stub of this Emulator.`);
    return { namespace, hex };
  }

  /**
   * Applies more migrations (or a new `exports` declaration) to `scriptName`'s stored state, as
   * a deploy would: only tags not yet applied, validated as production validates them. A rename
   * or transfer hands the objects, their data and IDs to the new class; a delete removes every
   * object, its data and its alarm. Live instances end; the next event constructs the new class.
   */
  async migrate(next: Migration[] | DurableObjectExports, scriptName: string = this.#main.name): Promise<void> {
    this.#assertAlive();
    const config = this.#configs.get(this.#workerNamed(scriptName).name)!;
    await this.#loadsSettled();
    const where = `emu.migrate() for Worker "${scriptName}"`;
    const updated: ResolvedWorker = Array.isArray(next)
      ? { ...config, migrations: checkMigrations(next, where), exports: {} }
      : { ...config, migrations: [], exports: checkExports(next, where) };
    const workers = [...this.#configs.values()].map((worker) => (worker.name === scriptName ? updated : worker));
    const plan = planLifecycles(workers, this.#migrationState, true);
    // Check every step first, so a migration that cannot apply changes nothing.
    for (const step of plan.steps) this.#checkStep(step);
    this.#applyMigration(this.#migrationState, plan.state, plan.steps, () => {
      for (const step of plan.steps) this.#applyStep(step);
      this.#migrationState = plan.state;
      for (const worker of plan.workers) this.#configs.set(worker.name, worker);
    });
  }

  /**
   * Moves stored state from the migrations `recorded` to `state`, all or none, whatever the
   * disk refuses (README, "Persistence"): `inMemory` makes the steps' changes to live objects
   * and must not fail.
   * - The record is written again as it is first: a directory that refuses the write refuses
   *   before anything moves.
   * - Deleted classes' directories move aside (all or none), into a trash directory that the
   *   new record commits, then that record is written; if it cannot be, they move back. After a
   *   crash in between, the next open puts them back too (the record does not have the delete
   *   yet), and a configuration that still deletes the class deletes it again.
   * - Only then do live objects follow (`inMemory`), so memory never runs ahead of the record.
   * - Last, the moved directories are removed: a failure there is trash the next open removes.
   */
  #applyMigration(recorded: MigrationState, state: MigrationState, steps: readonly MigrationStep[], inMemory: () => void): void {
    const persistence = this.#persistence;
    if (persistence === undefined) return inMemory();
    const deleted = steps.flatMap((step) => (step.op === "delete" ? [step.key] : []));
    // Nothing to write (the usual open of a directory): a disk that is full goes on being read.
    if (deleted.length === 0 && persistence.holdsMigrationState(state)) return inMemory();
    if (deleted.length > 0) persistence.writeMigrationState(recorded);
    const detached = persistence.detachNamespaces(deleted, state);
    try {
      persistence.writeMigrationState(state);
    } catch (error) {
      detached.restore();
      throw error;
    }
    inMemory();
    detached.discard();
  }

  /** The destination class of a create, rename or transfer must be exported by its Worker. */
  #checkStep(step: MigrationStep): void {
    const className = step.op === "create" ? step.className : step.op === "delete" ? undefined : step.to;
    if (className !== undefined) this.#workers.get(step.script)?.exportedClass(className);
  }

  /**
   * A step's change to live objects (their data on disk is #applyMigration's: a deleted class's
   * objects on disk go even when its namespace has left the configuration with its binding, or
   * a class created later under the same name would find them; production's new class starts empty).
   */
  #applyStep(step: MigrationStep): void {
    const namespace = this.#namespaces.get(step.key);
    if (step.op === "delete") {
      namespace?.forgetAll(deletedError(step.className));
    } else if ((step.op === "rename" || step.op === "transfer") && namespace !== undefined) {
      const host = this.#workers.get(step.script)!;
      namespace.retarget(step.to, this.#namespaceHost(() => host));
    }
  }

  /**
   * A namespace for a resolved plan (with several candidate hosts, the host is settled once the
   * modules load). A predecessor's namespace of the same key and backend is taken over, data and all,
   * and one on the other backend gives its objects' data to the new one: `takeOvers` gets what
   * retargets or copies, for the constructor to run once the configuration is checked.
   */
  #createNamespace(plan: NamespacePlan, inherited: NamespaceRuntime | undefined, takeOvers: Array<() => void>): NamespaceRuntime {
    let host: WorkerRuntime | undefined = plan.hosts.length === 1 ? this.#workers.get(plan.hosts[0]!) : undefined;
    const storageKind = plan.sqlite ? "sqlite" : "kv";
    const settled = this.#settled;
    const settle = () => (host ??= settled.get(plan));
    const namespaceHost = this.#namespaceHost(
      () => {
        const worker = settle();
        if (worker === undefined) throw new Error(`durasim internal: the host of "${plan.className}" is not settled yet`);
        return worker;
      },
      () => settle() !== undefined,
    );
    let namespace: NamespaceRuntime;
    if (inherited !== undefined && inherited.storageKind === storageKind) {
      takeOvers.push(() => {
        inherited.config.preventEviction = plan.preventEviction;
        inherited.retarget(plan.className, namespaceHost);
      });
      namespace = inherited;
    } else {
      namespace = new NamespaceRuntime({ uniqueKey: plan.uniqueKey, className: plan.className, storageKind, preventEviction: plan.preventEviction }, namespaceHost);
      // The backend switched: the objects keep their data, as in Miniflare, whose workerd stores
      // either kind in one SQLite database an object (on disk, durasim's database carries it too).
      const created = namespace;
      if (inherited !== undefined && this.#persistence === undefined) takeOvers.push(() => created.takeObjectsOf(inherited, plan.sqlite ? sqlEngineReady() : undefined));
    }
    this.#namespaces.set(plan.uniqueKey, namespace);
    host?.host(plan.className, namespace, plan.bindings.length > 0);
    return namespace;
  }

  /** What a service binding reaches: an entrypoint of one of the emulator's Workers, or a function. */
  #serviceTarget(service: ResolvedServiceBinding, mainFeatures: CodeFeatures): FetchTarget {
    if ("handler" in service) return new FunctionServiceTarget(service.binding, service.handler, mainFeatures);
    return new EntrypointTarget(this.#workers.get(service.worker)!, service.entrypoint, service.props);
  }

  /** Hosts chosen for declarations several Workers bind as their own. */
  readonly #settled = new Map<NamespacePlan, WorkerRuntime>();

  #settleHost(plan: NamespacePlan): void {
    const exporting = plan.hosts.filter((name) => this.#workers.get(name)!.exportsName(plan.className));
    if (exporting.length !== 1) {
      throw new ConfigError(
        `durasim: Workers ${plan.hosts.map((name) => `"${name}"`).join(", ")} bind the declaration of class "${plan.className}" as their own, and ` +
          `${exporting.length === 0 ? "none of them exports it" : `${exporting.map((name) => `"${name}"`).join(" and ")} export it`}. ` +
          `Set scriptName to the hosting Worker on the other bindings.`,
      );
    }
    const host = this.#workers.get(exporting[0]!)!;
    this.#settled.set(plan, host);
    host.host(plan.className, this.#namespaces.get(plan.uniqueKey)!);
  }

  /** What a namespace needs from the Worker hosting its class (which a migration may change). */
  #namespaceHost(host: () => WorkerRuntime, settled?: () => boolean): NamespaceHost {
    const configs = this.#configs;
    const services = {
      clock: this.#clock,
      eviction: this.#eviction,
      persistence: this.#persistence,
      codeFeatures: (worker: string) => configs.get(worker)?.compatibility.features,
      deleteAllDeletesAlarm: (worker: string) => configs.get(worker)?.compatibility.features.deleteAllDeletesAlarm ?? true,
      pendingLoads: this.#lifetime.pendingLoads,
      assertUsable: this.#lifetime.assertUsable,
    };
    return new WorkerNamespaceHost(services, host, settled);
  }
}

/**
 * The emulator's time, for the KV, R2 and cache stores. Made here, not in the constructor: a
 * closure made there would hold the constructor's context, and with it the Emulator, for as long
 * as a binding user code keeps (see EmulatorLifetime).
 */
function readsTime(clock: Clock): () => number {
  return () => clock.now();
}

/** Readiness's demand hook when no module loads through the host (a function of no emulator's: see readsTime). */
function nothingDemanded(): void {}

/** What a live instance of a class a migration deletes ends with. */
function deletedError(className: string): Error {
  return new Error(`durasim: Durable Object class '${className}' was deleted by a migration.`);
}

/**
 * Opens the persistence directory `persist` names (undefined: memory). A successor made by
 * reconfigure() over the directory its predecessor holds takes the predecessor's lock over.
 */
function openPersistence(persist: ResolvedPersistence | undefined, inherited: Persistence | undefined): Persistence | undefined {
  if (persist === undefined) return undefined;
  if (inherited !== undefined && inherited.layout.durableObjectsDirectory === persist.durableObjects) return inherited;
  const layout = new PersistLayout({ durableObjects: persist.durableObjects, bindings: { kv: persist.kv, r2: persist.r2 } });
  let what = "the persistence directory";
  let directory = persist.durableObjects;
  let persistence: Persistence | undefined;
  try {
    persistence = new Persistence({ layout, durability: { fsync: persist.fsync } });
    // The bindings' directories are made when a store first writes: refused here, as the
    // Durable Objects' is, rather than by that write.
    for (const kind of ["kv", "r2"] as const) {
      const path = persist[kind];
      if (path === false) continue;
      what = `the ${kind === "kv" ? "KV" : "R2"} bindings' persistence directory (persist.${kind})`;
      directory = path;
      checkWritableDirectory(path);
    }
    return persistence;
  } catch (error) {
    persistence?.close();
    // The file system's refusal alone ("ENOTDIR: not a directory, mkdir ...") names neither
    // the option nor what to do; another refusal (the directory in use) already says both.
    if (!isFileSystemError(error)) throw error;
    throw new ConfigError(
      `durasim: option "persist": cannot use ${directory} as ${what} (${error.message}). ` +
        "Give a directory this process can create and write to, or persist: false to keep storage in memory.",
      { cause: error },
    );
  }
}

/**
 * Throws the file system's refusal if `path` could not be made a writable directory, without
 * making it: its nearest existing ancestor must be a directory this process may write to.
 */
function checkWritableDirectory(path: string): void {
  let at = path;
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  if (!statSync(at).isDirectory()) {
    throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${path}'`), { code: "ENOTDIR", errno: -20, syscall: "mkdir", path });
  }
  accessSync(at, fsConstants.W_OK);
}

/** An error Node's file system calls throw (ENOENT, EACCES, ENOTDIR, EROFS, ENOSPC, ...). */
function isFileSystemError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === "string" && typeof (error as NodeJS.ErrnoException).syscall === "string";
}

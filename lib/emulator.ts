import { BindingStores } from "./bindings/stores.js";
import { type EmulatorOptions, type ResolvedBinding, type ResolvedWorker, resolveOptions, sqliteByMigrations } from "./config/options.js";
import { loadWorkerModule } from "./modules/loader.js";
import { listDurableObjectIds } from "./modules/test/durable-objects.js";
import { registerTestTarget, unregisterTestTarget } from "./modules/test/target.js";
import type { DurableObjectId } from "./runtime/ids.js";
import { pushFallbackEnv, removeFallbackEnv } from "./runtime/current-env.js";
import { DurableObjectId as ObjectId } from "./runtime/ids.js";
import { type Clock, createClock, ManualClock, wallTime } from "./runtime/lifecycle/clock.js";
import { DEFAULT_IDLE_TIMEOUT_MS, EvictionPolicy } from "./runtime/lifecycle/eviction.js";
import { NamespaceRuntime } from "./runtime/namespace.js";
import { DurableObjectNamespaceBinding } from "./runtime/namespace-binding.js";
import type { ObjectRecord } from "./runtime/object/record.js";
import { Readiness } from "./runtime/readiness.js";
import { WorkerRuntime } from "./runtime/worker.js";
import { sqlEngineReady } from "./sqlite/engine.js";
import { ConfigError } from "./util/config-error.js";

const DISPOSED_MESSAGE = "durasim: this Emulator has been disposed; create a new Emulator to run more Durable Object code.";

/**
 * An in-process Cloudflare Workers runtime for Durable Objects: Workers with their env,
 * namespaces shared across Workers, and the objects behind them. This is the one place that
 * wires the layers together: config's resolved description in, runtime objects out.
 */
export class Emulator {
  readonly #workers = new Map<string, WorkerRuntime>();
  /** Each Worker's resolved configuration, by name. */
  readonly #configs = new Map<string, ResolvedWorker>();
  readonly #namespaces = new Map<string, NamespaceRuntime>();
  readonly #main: WorkerRuntime;
  /** The one clock of this emulator: alarms, retries, idle eviction and timeouts run on it. */
  readonly #clock: Clock;
  readonly #eviction: EvictionPolicy;
  /** KV namespaces and R2 buckets by id, shared by every binding (in any Worker) that names one. */
  readonly #bindingStores: BindingStores;
  /** Worker modules and, with a SQLite-backed class, the SQLite engine: every call waits for them. */
  readonly #readiness: Readiness;
  #disposed = false;
  /**
   * Resolves once every Worker's module is loaded and checked and the SQLite engine (if any
   * class needs it) is loaded; rejects with the config error. Awaiting it is optional: every
   * call waits for what it needs.
   */
  readonly ready: Promise<void>;

  constructor(options: EmulatorOptions) {
    const resolved = resolveOptions(options);
    this.#clock = createClock(options.clock ?? "real");
    this.#eviction = new EvictionPolicy(this.#clock, {
      idleTimeout: options.idleTimeout ?? DEFAULT_IDLE_TIMEOUT_MS,
      maxLiveObjects: options.maxLiveObjects,
    });
    // KV expiry and R2 upload times follow the emulator's clock, so manual time expires keys.
    this.#bindingStores = new BindingStores(() => this.#clock.now());
    const alive = () => this.#assertAlive();
    const pendingLoads = () => this.#readiness.pending;
    for (const config of resolved) {
      this.#configs.set(config.name, config);
      this.#workers.set(config.name, new WorkerRuntime(config.name, alive, pendingLoads));
    }
    this.#main = this.#workers.get(resolved[0]!.name)!;
    let needsSqlite = false;
    for (const config of resolved) {
      const worker = this.#workers.get(config.name)!;
      const bindings = config.options.bindings ?? {};
      for (const key of Reflect.ownKeys(bindings)) {
        if (Object.prototype.propertyIsEnumerable.call(bindings, key)) worker.bind(key, (bindings as Record<PropertyKey, unknown>)[key]);
      }
      for (const binding of config.durableObjects) {
        const namespace = this.#namespaceFor(binding);
        needsSqlite ||= namespace.storageKind === "sqlite";
        worker.bind(binding.binding, new DurableObjectNamespaceBinding(namespace));
      }
      for (const { binding, id } of config.kvNamespaces) worker.env[binding] = this.#bindingStores.kvNamespace(id);
      for (const { binding, id } of config.r2Buckets) worker.env[binding] = this.#bindingStores.r2Bucket(id);
    }
    const loads: Array<Promise<unknown> | undefined> = resolved.map((config) => {
      const worker = this.#workers.get(config.name)!;
      const loaded = loadWorkerModule(config.options);
      if (!(loaded instanceof Promise)) return void worker.loaded(loaded);
      return loaded.then((exports) => worker.loaded(exports));
    });
    // SQLite-backed objects need the (lazily loaded) SQLite engine before the first one starts.
    if (needsSqlite) loads.push(sqlEngineReady());
    this.#readiness = new Readiness(loads);
    this.ready = this.#readiness.promise;
    pushFallbackEnv(this.#main.env);
    const main = this.#main;
    registerTestTarget(this, {
      env: main.env,
      self: { fetch: (input: Request | string | URL, init?: RequestInit) => main.fetch(new Request(input, init)) },
      exports: undefined,
      namespaces: () => this.#namespaces.values(),
      clearBindings: async () => {},
    });
  }

  /** The main Worker's env: Durable Object namespaces and plain bindings (typed loosely: they are whatever the options declared). */
  get env(): Record<string, any> {
    this.#assertAlive();
    return this.#main.env;
  }

  getDurableObjectNamespace(binding: string, scriptName?: string): DurableObjectNamespaceBinding {
    this.#assertAlive();
    const worker = scriptName === undefined ? this.#main : this.#workers.get(scriptName);
    if (worker === undefined) {
      throw new ConfigError(`durasim: no Worker named "${scriptName}" (Workers: ${[...this.#workers.keys()].join(", ")}).`);
    }
    const namespace = worker.env[binding];
    if (!(namespace instanceof DurableObjectNamespaceBinding)) {
      const known = this.#configs.get(worker.name)!.durableObjects.map((b) => b.binding);
      throw new ConfigError(
        `durasim: Worker "${worker.name}" has no Durable Object binding "${binding}" (bindings: ${known.join(", ") || "none"}). Declare it in "durableObjects".`,
      );
    }
    return namespace;
  }

  /** Sends a request to the main Worker's default fetch handler. Relative URLs resolve against http://localhost. */
  async dispatchFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    this.#assertAlive();
    const request =
      input instanceof Request ? new Request(input, init) : new Request(new URL(String(input), "http://localhost"), init);
    return this.#main.fetch(request);
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
    await this.#readiness.pending;
    return record.alarm().runNow();
  }

  /**
   * Evicts `stub`'s object, or every object, now: the next event constructs a new instance on
   * the same storage. Events already running may finish but can no longer use storage; queued
   * ones go to the new instance.
   */
  async evict(stub?: object): Promise<void> {
    this.#assertAlive();
    if (stub !== undefined) {
      this.#locate(stub, "evict").record.evict();
      return;
    }
    for (const namespace of this.#namespaces.values()) {
      for (const record of namespace.records()) record.evict();
    }
  }

  /**
   * The ids of every object started in a namespace (an event reached it), ascending: what
   * `listDurableObjectIds` of `cloudflare:test` returns. `scriptName` picks another Worker's binding.
   */
  async listIds(binding: string, scriptName?: string): Promise<DurableObjectId[]> {
    return listDurableObjectIds(this.getDurableObjectNamespace(binding, scriptName));
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#clock.stop();
    removeFallbackEnv(this.#main.env);
    unregisterTestTarget(this);
    for (const namespace of this.#namespaces.values()) {
      for (const record of namespace.records()) {
        record.current?.reset(new Error(DISPOSED_MESSAGE));
        record.backend.close();
      }
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  #assertAlive(): void {
    if (this.#disposed) throw new Error(DISPOSED_MESSAGE);
  }

  /** The namespace and object record behind a stub of this emulator. */
  #locate(stub: object, method: string): { namespace: NamespaceRuntime; record: ObjectRecord } {
    const id = (stub as { id?: unknown } | null | undefined)?.id;
    const hex = id instanceof ObjectId ? id.toString() : undefined;
    const namespace = hex && [...this.#namespaces.values()].find((ns) => ns.ids.isValid(Buffer.from(hex, "hex")));
    if (!hex || !namespace) throw new TypeError(`durasim: ${method}() needs a Durable Object stub of this Emulator.`);
    return { namespace, record: namespace.record(hex) };
  }

  /** One namespace per class, shared by every binding (in any Worker) that names it. */
  #namespaceFor(binding: ResolvedBinding): NamespaceRuntime {
    const host = this.#workers.get(binding.scriptName)!;
    const uniqueKey = binding.stableId ?? `${host.name}-${binding.className}`;
    let namespace = this.#namespaces.get(uniqueKey);
    if (namespace === undefined) {
      const migrations = this.#configs.get(host.name)!.options.migrations;
      const sqlite = binding.sqlite ?? sqliteByMigrations(migrations, binding.className);
      host.host(binding.className);
      const readiness = () => this.#readiness.pending;
      namespace = new NamespaceRuntime(
        {
          uniqueKey,
          className: binding.className,
          storageKind: sqlite ? "sqlite" : "kv",
          preventEviction: binding.preventEviction,
        },
        {
          env: host.env,
          get ready() {
            return readiness();
          },
          exportedClass: (className) => host.exportedClass(className),
          // The time object code sees (Date.now(), faked or not); on the real clock that is the
          // clock's own time (runtime/clock.ts explains the manual clock).
          now: wallTime,
          clock: this.#clock,
          eviction: this.#eviction,
          assertUsable: () => this.#assertAlive(),
        },
      );
      this.#namespaces.set(uniqueKey, namespace);
    }
    return namespace;
  }
}

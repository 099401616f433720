import { ConfigError, type EmulatorOptions, type ResolvedBinding, resolveOptions, sqliteByMigrations } from "./config/options.js";
import { pushFallbackEnv, removeFallbackEnv } from "./runtime/current-env.js";
import { DurableObjectNamespace, NamespaceRuntime } from "./runtime/namespace.js";
import { WorkerRuntime } from "./runtime/worker.js";
import type { StorageBackend } from "./storage/backend.js";
import { MemoryBackend } from "./storage/memory-backend.js";
import { sqlEngineReady } from "./storage/sql/engine.js";
import { SqliteBackend } from "./storage/sqlite-backend.js";

const DISPOSED_MESSAGE = "durasim: this Emulator has been disposed; create a new Emulator to run more Durable Object code.";

/**
 * An in-process Cloudflare Workers runtime for Durable Objects: Workers with their env,
 * namespaces shared across Workers, and the objects behind them.
 */
export class Emulator {
  readonly #workers = new Map<string, WorkerRuntime>();
  readonly #namespaces = new Map<string, NamespaceRuntime>();
  readonly #main: WorkerRuntime;
  /** Loads that must finish before objects can run: Worker modules, the SQLite engine. */
  readonly #pending: Array<Promise<void> | undefined> = [];
  #disposed = false;
  /** Resolves once every Worker's module is loaded and checked; rejects with the config error. */
  readonly ready: Promise<void>;

  constructor(options: EmulatorOptions) {
    const resolved = resolveOptions(options);
    const alive = () => this.#assertAlive();
    for (const worker of resolved) this.#workers.set(worker.name, new WorkerRuntime(worker, alive));
    this.#main = this.#workers.get(resolved[0]!.name)!;
    for (const worker of this.#workers.values()) {
      Object.assign(worker.env, worker.config.options.bindings ?? {});
      for (const binding of worker.config.durableObjects) {
        worker.env[binding.binding] = new DurableObjectNamespace(this.#namespaceFor(binding));
      }
    }
    this.#pending.push(...[...this.#workers.values()].map((worker) => worker.ready));
    this.ready = Promise.all(this.#pending).then(() => undefined);
    this.ready.catch(() => undefined);
    pushFallbackEnv(this.#main.env);
  }

  /** The main Worker's env: Durable Object namespaces and plain bindings. */
  get env(): Record<string, unknown> {
    this.#assertAlive();
    return this.#main.env;
  }

  getDurableObjectNamespace(binding: string, scriptName?: string): DurableObjectNamespace {
    this.#assertAlive();
    const worker = scriptName === undefined ? this.#main : this.#workers.get(scriptName);
    if (worker === undefined) {
      throw new ConfigError(`durasim: no Worker named "${scriptName}" (Workers: ${[...this.#workers.keys()].join(", ")}).`);
    }
    const namespace = worker.env[binding];
    if (!(namespace instanceof DurableObjectNamespace)) {
      const known = worker.config.durableObjects.map((b) => b.binding);
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
    const { id } = stub as { id?: { toString(): string } };
    const namespace = [...this.#namespaces.values()].find((ns) => id && ns.ids.isValid(Buffer.from(id.toString(), "hex")));
    if (!namespace || !id) throw new TypeError("durasim: failNextCommit() needs a Durable Object stub of this Emulator.");
    namespace.record(id.toString()).failNextCommit(error);
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    removeFallbackEnv(this.#main.env);
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

  /** One namespace per class, shared by every binding (in any Worker) that names it. */
  #namespaceFor(binding: ResolvedBinding): NamespaceRuntime {
    const host = this.#workers.get(binding.scriptName)!;
    const uniqueKey = binding.stableId ?? `${host.name}-${binding.className}`;
    let namespace = this.#namespaces.get(uniqueKey);
    if (namespace === undefined) {
      const sqlite = binding.sqlite ?? sqliteByMigrations(host.config.options.migrations, binding.className);
      host.host(binding.className);
      // SQLite-backed objects need the (lazily loaded) SQLite engine before the first one starts.
      if (sqlite) this.#pending.push(sqlEngineReady());
      namespace = new NamespaceRuntime(
        { uniqueKey, className: binding.className, createBackend: () => createBackend(sqlite) },
        {
          env: host.env,
          get ready() {
            return host.ready ?? (sqlite ? sqlEngineReady() : undefined);
          },
          exportedClass: (className) => host.exportedClass(className),
          now: () => Date.now(),
          assertUsable: () => this.#assertAlive(),
        },
      );
      this.#namespaces.set(uniqueKey, namespace);
    }
    return namespace;
  }
}

function createBackend(sqlite: boolean): StorageBackend {
  return sqlite ? new SqliteBackend() : new MemoryBackend();
}

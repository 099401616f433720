/**
 * `durasim/miniflare`: a `Miniflare` class taking Miniflare 4's options for what durasim
 * emulates, with the methods tests use: `ready`, `dispatchFetch`, `getBindings`,
 * `getDurableObjectNamespace`, `getKVNamespace`, `getR2Bucket`, `listDurableObjectIds`,
 * `getWorker`, `setOptions` and `dispose`. Everything runs in-process: there is no HTTP
 * server, and `ready` resolves to the base URL of `dispatchFetch`. Lookups that fail throw
 * Miniflare's own `TypeError`s, so tests asserting on them keep passing.
 */
import { FALLBACK_CF, miniflareCf } from "./config/miniflare-cf.js";
import { type MiniflareOptions, MiniflareOptionsError, translateMiniflareOptions } from "./config/miniflare-options.js";
import { FutureCompatibilityDateError } from "./config/compatibility.js";
import { boundValue } from "./config/json-bindings.js";
import { loadFailureOf } from "./config/miniflare-load-failure.js";
import { type WorkerSource, workerSources } from "./config/miniflare-module-parse.js";
import { checkClassSettings } from "./config/miniflare-class-settings.js";
import { ConfigError, StartupRefusal } from "./util/config-error.js";
import { cachesOf } from "./modules/cache-storage.js";
import { loopbackFailure, ProxyGeneration } from "./config/miniflare-proxies.js";
import type { EmulatorOptions } from "./config/options.js";
import type { TranslatedDurableObject, TranslatedOptions, TranslatedWorker } from "./config/translated.js";
import { Emulator } from "./emulator.js";
import { writtenAsOverSocket } from "./config/miniflare-socket-body.js";
import { endingWhereItFails } from "./config/miniflare-response-body.js";
import { evictDurableObject, runInDurableObject } from "./modules/test/durable-objects.js";
import type { DurableObjectNamespaceBinding } from "./runtime/namespace-binding.js";
import type { KvNamespace } from "./bindings/kv/namespace.js";
import type { R2Bucket } from "./bindings/r2/bucket.js";
import { isCallerAbort } from "./runtime/http-request.js";
import { METHODS } from "./runtime/init-conversion.js";
import { Response as WorkersResponse } from "./runtime/websockets/response.js";
import { socketInternals, type WebSocket as WorkersWebSocket } from "./runtime/websockets/web-socket.js";

export type { MiniflareOptions } from "./config/miniflare-options.js";
/** Miniflare's names for a Worker's options and the options all Workers share (typed as loosely as MiniflareOptions). */
export type WorkerOptions = MiniflareOptions;
export type SharedOptions = MiniflareOptions;
export { kCurrentWorker } from "./config/current-worker.js";
export { Log, type LogOptions, LogLevel, NoOpLog } from "./config/miniflare-log.js";

// Miniflare exports its fetch API classes (undici's); durasim runs in this process, where
// requests are Node's own, so a test importing them from here gets those.
export const { Request, Headers, FormData, fetch } = globalThis;
export type Request = globalThis.Request;
export type Headers = globalThis.Headers;
export type FormData = globalThis.FormData;
// Miniflare's Response takes `{ status: 101, webSocket }` and its WebSocketPair makes the ends, as
// a function service answering an upgrade needs: the Workers classes do both (their Response is
// a subclass of Node's, which dispatchFetch() answers with, so its answers are instances of it).
export { CloseEvent, ErrorEvent, MessageEvent, Response, WebSocket, WebSocketPair } from "./modules/worker-globals.js";

/** Miniflare's codes for bindings of one class that disagree (checkClassSettings()): user errors, refused as it starts. */
const DIFFERENT_CLASS_SETTINGS = ["ERR_DIFFERENT_STORAGE_BACKEND", "ERR_DIFFERENT_UNIQUE_KEYS", "ERR_DIFFERENT_PREVENT_EVICTION"];

/** The codes of Miniflare's errors that durasim raises, as Miniflare classes them (user error or system error). */
const USER_ERROR_CODES: ReadonlySet<string> = new Set([
  "ERR_DISPOSED",
  "ERR_MODULE_PARSE",
  "ERR_VALIDATION",
  "ERR_NO_WORKERS",
  "ERR_DUPLICATE_NAME",
  "ERR_FUTURE_COMPATIBILITY_DATE",
  ...DIFFERENT_CLASS_SETTINGS,
]);
const SYSTEM_ERROR_CODES: ReadonlySet<string> = new Set(["ERR_RUNTIME_FAILURE"]);

/** Miniflare 4's methods for services durasim does not emulate: the service, and what to do instead. */
const NOT_EMULATED = {
  getD1Database: ["D1 databases", "give the Worker a stand-in through `bindings`, or keep Miniflare for these tests"],
  getQueueProducer: ["Queues producers", "give the Worker a stand-in through `bindings`; test consumers with getWorker().queue()"],
  purgeCache: ["purging the caches", "delete entries with `caches.default.delete()` in the test"],
  getSecretsStoreSecret: ["Secrets Store", "give the secret as a plain value through `bindings`"],
  getSecretsStoreSecretAPI: ["Secrets Store", "give the secret as a plain value through `bindings`"],
  getImagesBinding: ["the Images binding", "give the Worker a stand-in through `bindings`"],
  getStreamBinding: ["the Stream binding", "give the Worker a stand-in through `bindings`"],
  getInspectorURL: ["an inspector of its own", "Workers run in this Node process: debug it with `node --inspect`"],
  unsafeGetDirectURL: ["HTTP servers", "send requests with dispatchFetch() or getWorker()"],
} as const satisfies Record<string, readonly [string, string]>;

/** The codes of refusals Miniflare makes as its runtime starts: `ready` rejects with them, not the constructor. */
const REFUSED_AT_START: ReadonlySet<string> = new Set(["ERR_RUNTIME_FAILURE", "ERR_FUTURE_COMPATIBILITY_DATE", ...DIFFERENT_CLASS_SETTINGS]);

/**
 * Miniflare's base error class: its `code` says what went wrong, `cause` (an own property, maybe
 * undefined) why, and `isUserError()`/`isSystemError()` class the code, so a test that checks
 * the class, the `code` or the name Miniflare gives it keeps passing.
 */
export class MiniflareError<Code extends string = string> extends Error {
  readonly code: Code;
  override readonly cause: Error | undefined;

  constructor(code: Code, message?: string, cause?: Error) {
    super(message);
    this.code = code;
    this.cause = cause;
    this.name = `${new.target.name} [${code}]`;
  }

  /** Caused by using or configuring Miniflare wrongly. */
  isUserError(): boolean {
    return USER_ERROR_CODES.has(this.code);
  }

  /** Something unexpected went wrong. */
  isSystemError(): boolean {
    return SYSTEM_ERROR_CODES.has(this.code);
  }
}

/**
 * Miniflare's error for misuse of the instance (ERR_DISPOSED: a method of a disposed instance)
 * and for options it refuses (ERR_VALIDATION and the codes of asMiniflareError()).
 */
export class MiniflareCoreError extends MiniflareError {}

/**
 * A refusal of the options as Miniflare's class and code carry it, so a test that checks them
 * keeps passing; the message stays durasim's (it names the option and the fix, where Miniflare's
 * lists its schema or workerd's output) and `cause` is durasim's ConfigError. Anything else
 * passes through.
 */
function asMiniflareError(error: unknown): unknown {
  if (!(error instanceof ConfigError)) return error;
  return new MiniflareCoreError(miniflareCodeOf(error), error.message, error);
}

/**
 * What a load of the Workers' modules failed with, as Miniflare reports it: one error for every
 * caller of the options `sources` came from (a module that failed to load fails again alike
 * for other options, worded for theirs).
 */
const loadFailures = new WeakMap<readonly WorkerSource[], WeakMap<object, MiniflareCoreError>>();
function asLoadFailure(error: unknown, sources: readonly WorkerSource[]): unknown {
  const failure = loadFailureOf(error, sources);
  if (failure === undefined) return error;
  if (typeof error !== "object" || error === null) return new MiniflareCoreError(failure.code, failure.message);
  let refusals = loadFailures.get(sources);
  if (refusals === undefined) loadFailures.set(sources, (refusals = new WeakMap()));
  let refusal = refusals.get(error);
  if (refusal === undefined) refusals.set(error, (refusal = new MiniflareCoreError(failure.code, failure.message, error as Error)));
  return refusal;
}

/** Miniflare's code for a refusal: its own checks' codes, or workerd failing to start. */
function miniflareCodeOf(error: ConfigError): string {
  if (error instanceof MiniflareOptionsError) return error.miniflareCode;
  if (error instanceof FutureCompatibilityDateError) return "ERR_FUTURE_COMPATIBILITY_DATE";
  if (error instanceof StartupRefusal) return "ERR_RUNTIME_FAILURE";
  return "ERR_VALIDATION";
}

/** The NOT_EMULATED methods, which the class defines on its prototype. */
export interface Miniflare extends Record<keyof typeof NOT_EMULATED, (...args: unknown[]) => Promise<never>> {}

export class Miniflare {
  /** Undefined while the options have started none (#startFailure says why). */
  #emulator: Emulator | undefined;
  /** Why the constructor's options started no emulator: what `ready` and every method reject with. */
  #startFailure: unknown;
  /** The Workers as translated, the entry point first: which bindings each declares. */
  #workers: TranslatedWorker[] = [];
  /** The Workers' code as Miniflare parses it, to word a module that does not parse as it does. */
  #sources: WorkerSource[] = [];
  #disposed = false;
  /** The request.cf requests get that give none (the `cf` option). */
  #cf: Record<string, unknown> = {};
  /** Whether unsafeGetDurableObjectStorage() may inspect objects (the `unsafeInspectDurableObjects` option). */
  #inspect = false;
  /** The views handed to Node code since the last setOptions(), which it and dispose() poison. */
  #proxies: ProxyGeneration;
  /** Each Worker's binding names as its options made them: what getBindings() shows, whatever the Worker's code adds to its env. */
  #configured = new Map<string, readonly string[]>();

  constructor(options: MiniflareOptions) {
    try {
      // A service written as a function gets this instance second, as Miniflare passes its own.
      const translated = translateMiniflareOptions(options, { instance: this });
      this.#cf = miniflareCf(options.cf);
      this.#inspect = options.unsafeInspectDurableObjects === true;
      this.#workers = workersOf(translated);
      this.#sources = workerSources(options, this.#workers);
      checkClassSettings(this.#workers);
      this.#emulator = new Emulator(translated as EmulatorOptions);
      this.#configured = configuredBindings(this.#emulator, this.#workers);
    } catch (error) {
      const refusal = asMiniflareError(error);
      // Miniflare throws what its own checks refuse; what workerd refuses as it starts rejects
      // `ready` and every method instead.
      if (!(refusal instanceof MiniflareCoreError && REFUSED_AT_START.has(refusal.code))) throw refusal;
      this.#startFailure = refusal;
    }
    this.#proxies = this.#newGeneration();
  }

  /**
   * Resolves once every Worker is loaded, to the base URL to build request URLs on (as `new
   * URL(path, await mf.ready)`): Miniflare's, on its default host, without the port of a server
   * durasim does not have.
   */
  get ready(): Promise<URL> {
    // Miniflare's getter never throws: a disposed instance's `ready` is a rejected promise.
    return this.#ready().then(() => new URL("http://127.0.0.1/"));
  }

  /**
   * Sends a request to the entry Worker's fetch handler as Miniflare's loopback server delivers
   * it (see loopbackRequest()); the URL must be absolute, as Miniflare's `new Request()` needs.
   * What the handler throws is a 500 whose body is the error's stack (Miniflare's entry Worker
   * answers so); redirects are followed as Miniflare's `fetch()` follows them (see followed()).
   */
  async dispatchFetch(input: string | URL | Request, init?: RequestInit): Promise<DispatchedResponse> {
    const emulator = await this.#ready();
    const service = emulator.getService(this.#workers[0]!.name);
    const { request: first, refused } = writtenAsOverSocket(new Request(absolute(input), withoutCf(init)));
    const cf = givenCf(input, init);
    const origin = new URL(first.url).origin;
    const send = async (request: Request): Promise<DispatchedResponse> => {
      if (new URL(request.url).origin !== origin) return globalThis.fetch(request, { redirect: "manual" });
      // fetch() sends nothing once its signal has aborted, and rejects with the signal's reason.
      request.signal.throwIfAborted();
      if (!METHODS.has(request.method)) return unrecognizedMethod();
      try {
        return asClientResponse((await service.fetch(loopbackRequest(request), { cf: this.#cfFor(request, cf) })) as WorkersResponse, request.signal);
      } catch (error) {
        if (isCallerAbort(error, request.signal)) throw error;
        // Cut short by a dispose() or setOptions(): no answer comes, as none comes from a workerd that went away.
        const failure = loopbackFailure(error);
        if (failure !== undefined) throw failure;
        return new WorkersResponse((error as Error | undefined)?.stack ?? String(error), { status: 500, statusText: "Internal Server Error" });
      }
    };
    return Promise.race([followed(first, send), refused]);
  }

  /**
   * A Worker's bindings (the entry Worker's when no name is given), as Miniflare builds them for
   * Node code at each call from the options: a var is a copy of the configured value (JSON parsed
   * afresh), whatever the Worker's code did to its own, a runtime binding a view, and a key the
   * Worker's code added to its env is not there.
   */
  async getBindings<Env = Record<string, unknown>>(workerName?: string): Promise<Env> {
    const emulator = await this.#ready();
    const worker = this.#worker(workerName);
    const live = emulator.getEnv(worker.name);
    const runtime = new Set(runtimeBindingNames(worker));
    const configured = worker.bindings ?? {};
    const env: Record<string, unknown> = {};
    for (const name of this.#configured.get(worker.name!) ?? []) {
      const value = runtime.has(name) ? this.#proxies.view(live[name]) : Object.hasOwn(configured, name) ? boundValue(configured[name]) : live[name];
      // An own data property whatever the name: a binding called `__proto__` is a binding.
      Object.defineProperty(env, name, { value, writable: true, enumerable: true, configurable: true });
    }
    return env as Env;
  }

  async getDurableObjectNamespace(bindingName: string, workerName?: string): Promise<DurableObjectNamespaceBinding> {
    return (await this.#binding("durableObjects", "Durable Object namespace", bindingName, workerName)) as DurableObjectNamespaceBinding;
  }

  /** A KV namespace binding of a Worker (the entry Worker's when no name is given). */
  async getKVNamespace(bindingName: string, workerName?: string): Promise<KvNamespace> {
    return (await this.#binding("kvNamespaces", "KV namespace", bindingName, workerName)) as KvNamespace;
  }

  /** The entry Worker's caches (`caches.default`, `caches.open()`), used from outside it, as Miniflare's getCaches() gives them. */
  async getCaches(): Promise<unknown> {
    const emulator = await this.#ready();
    return cachesOf(emulator.getEnv(this.#workers[0]!.name));
  }

  /** An R2 bucket binding of a Worker (the entry Worker's when no name is given). */
  async getR2Bucket(bindingName: string, workerName?: string): Promise<R2Bucket> {
    return (await this.#binding("r2Buckets", "R2 bucket", bindingName, workerName)) as R2Bucket;
  }

  /**
   * The ids (hex strings, ascending) of a namespace's objects, found by class name (bound, or
   * in `additionalUnboundDurableObjects`) or binding name in a Worker: every object an event
   * reached, where Miniflare lists the objects that have a database file. A declared class the
   * module does not export has none.
   */
  async listDurableObjectIds(classOrBindingName: string, workerName?: string): Promise<string[]> {
    const emulator = await this.#ready();
    const worker = this.#worker(workerName);
    const bound = worker.durableObjects ?? {};
    const designator =
      declaredClasses(worker).find(({ className, scriptName }) => className === classOrBindingName && (scriptName === undefined || scriptName === worker.name)) ??
      (Object.hasOwn(bound, classOrBindingName) ? designatorOf(bound[classOrBindingName]!) : undefined);
    if (designator === undefined) {
      throw new TypeError(`No Durable Object class or namespace binding named ${JSON.stringify(classOrBindingName)} found in ${described(worker.name!)}.`);
    }
    return (await emulator.listClassIds(designator.className, designator.scriptName ?? worker.name)).map(String).sort();
  }

  /** The request.cf a request that gives none gets (a copy): the `cf` option's, else Miniflare's placeholder. */
  async getCf(): Promise<Record<string, unknown>> {
    await this.#ready();
    return JSON.parse(JSON.stringify(this.#cf)) as Record<string, unknown>;
  }

  /**
   * Evicts a running object of class `className` hosted by Worker `scriptName`, found by `name`
   * or `id`, as workerd's `unsafe.evict()`: rejects when it is not running.
   */
  async unsafeEvictDurableObject(scriptName: string, className: string, options: DurableObjectIdentifier & { webSockets?: "close" | "hibernate" }): Promise<void> {
    const emulator = await this.#ready();
    if (!this.#workers.some((worker) => declaredClasses(worker).some((designator) => (designator.scriptName ?? worker.name) === scriptName && designator.className === className))) {
      throw new TypeError(`No Durable Object class named ${JSON.stringify(className)} found in ${JSON.stringify(scriptName)} worker.`);
    }
    await evictDurableObject(objectStub(emulator, this.#workers, scriptName, className, options), { webSockets: options.webSockets });
  }

  /**
   * A handle running SQL in a SQLite-backed object of class `className` hosted by Worker
   * `scriptName` (found by `name` or `id`): `exec(query, ...bindings)` resolves to the rows, as
   * objects, run inside the object (through its input gate) as Miniflare runs it. Needs the
   * `unsafeInspectDurableObjects` option.
   */
  async unsafeGetDurableObjectStorage(scriptName: string, className: string, options: DurableObjectIdentifier): Promise<DurableObjectStorageHandle> {
    const emulator = await this.#ready();
    if (!this.#inspect) throw new TypeError("Durable Object storage inspection requires the `unsafeInspectDurableObjects` option.");
    // The handle runs through a proxy of the runtime's: a setOptions() or dispose() poisons it.
    const proxies = this.#proxies;
    const exec = async (query: string, ...bindings: unknown[]) => {
      proxies.assertSafe();
      const stub = objectStub(emulator, this.#workers, scriptName, className, options);
      return runInDurableObject(stub, (_instance, state: { storage: { sql: { exec(query: string, ...bindings: unknown[]): { toArray(): Record<string, unknown>[] } } } }) =>
        state.storage.sql.exec(query, ...bindings).toArray(),
      );
    };
    return { exec: exec as DurableObjectStorageHandle["exec"] };
  }

  /** A Worker's default export (the entry Worker's when no name is given), to send requests to. */
  async getWorker(workerName?: string): Promise<MiniflareWorker> {
    const emulator = await this.#ready();
    // A service binding, as Miniflare's proxy: RPC, scheduled() and queue(), and a fetch that
    // rejects with what the handler throws (#nodeFetch).
    return this.#proxies.view(emulator.getService(this.#worker(workerName).name)) as MiniflareWorker;
  }

  /**
   * Replaces the options; Durable Object storage of unchanged namespaces survives, as in
   * Miniflare. Not async, as Miniflare's: a disposed instance throws at once, before the options are read.
   */
  setOptions(options: MiniflareOptions): Promise<void> {
    const live = this.#usable();
    // What Node code holds ends at once, before the options are read, as Miniflare's proxies do.
    this.#proxies.poison();
    this.#proxies = this.#newGeneration();
    // Options Miniflare refuses reject (it reads them in its async part).
    try {
      const translated = translateMiniflareOptions(options, { instance: this });
      const workers = workersOf(translated);
      checkClassSettings(workers);
      const cf = miniflareCf(options.cf);
      this.#emulator = live === undefined ? new Emulator(translated as EmulatorOptions) : live.reconfigure(translated as EmulatorOptions);
      this.#cf = cf;
      this.#inspect = options.unsafeInspectDurableObjects === true;
      this.#workers = workers;
      this.#sources = workerSources(options, workers);
      this.#configured = configuredBindings(this.#emulator, this.#workers);
    } catch (error) {
      return Promise.reject(asMiniflareError(error));
    }
    return this.#emulator.ready.then(
      () => undefined,
      (error: unknown) => Promise.reject(asLoadFailure(error, this.#sources)),
    );
  }

  // Miniflare 4's methods for services durasim does not emulate (NOT_EMULATED): each rejects
  // saying so and what to do instead, where a suite moved from Miniflare would otherwise meet
  // "is not a function"; a disposed instance rejects with ERR_DISPOSED first, as Miniflare's do.
  static {
    for (const [method, [what, instead]] of Object.entries(NOT_EMULATED)) {
      const refuse = async function (this: Miniflare): Promise<never> {
        this.#live();
        throw new Error(`durasim/miniflare: ${method}() is not available: durasim does not emulate ${what}; ${instead}.`);
      };
      Object.defineProperty(Miniflare.prototype, method, { value: refuse, writable: true, configurable: true });
    }
  }

  /**
   * Ends the instance; one whose options started nothing, or whose modules failed to load,
   * rejects with why, as Miniflare's waits for its failed start.
   */
  async dispose(): Promise<void> {
    this.#disposed = true;
    this.#proxies.poison();
    if (this.#emulator === undefined) throw this.#startFailure;
    const loaded = this.#emulator.ready.then(
      () => undefined,
      (error: unknown) => asLoadFailure(error, this.#sources),
    );
    await this.#emulator.dispose();
    const failure = await loaded;
    if (failure instanceof MiniflareCoreError) throw failure;
  }

  /**
   * Views for Node code whose `fetch()` is Miniflare's proxy's: not async, so what Miniflare's
   * `new Request(input, init)` refuses (a relative URL, a body on a GET, an invalid method or
   * header) throws at once; the request carries fetch()'s default headers and the cf
   * dispatchFetch would give.
   */
  #newGeneration(): ProxyGeneration {
    return new ProxyGeneration((fetcher, input, init) => {
      const given = undiciRequest(new Request(absolute(input as string), withoutCf(init as RequestInit | undefined)));
      // fetch() sends nothing once its signal has aborted, and rejects with the signal's reason.
      if (given.signal.aborted) return Promise.reject(given.signal.reason as Error);
      const { request, refused } = writtenAsOverSocket(given);
      const answered = (fetcher.fetch(request, { cf: this.#cfFor(request, givenCf(input, init as RequestInit | undefined)) }) as Promise<Response>).then((response) => asClientResponse(response, given.signal));
      return Promise.race([answered, refused]);
    });
  }

  /**
   * The request.cf Miniflare delivers `request` with: what the request gives over Miniflare's
   * placeholder, else the instance's with the Accept-Encoding the client sent.
   */
  #cfFor(request: Request, given: unknown): Record<string, unknown> {
    if (given !== undefined) return { ...FALLBACK_CF, ...(given as Record<string, unknown>) };
    return { ...this.#cf, clientAcceptEncoding: request.headers.get("accept-encoding") ?? UNDICI_ACCEPT_ENCODING };
  }

  /** The emulator; ERR_DISPOSED once disposed, and the refusal when the options started none. */
  #live(): Emulator {
    const emulator = this.#usable();
    if (emulator === undefined) throw this.#startFailure;
    return emulator;
  }

  /** The emulator, or undefined when the options started none; ERR_DISPOSED once disposed. */
  #usable(): Emulator | undefined {
    if (this.#disposed) throw new MiniflareCoreError("ERR_DISPOSED", "Cannot use disposed instance");
    return this.#emulator;
  }

  /**
   * The emulator once it is ready; a dispose() meanwhile is ERR_DISPOSED (Miniflare's wait for
   * its runtime ends so), and a setOptions() meanwhile waits for the new one.
   */
  async #ready(): Promise<Emulator> {
    for (let emulator = this.#live(); ; emulator = this.#live()) {
      await emulator.ready.catch((error: unknown) => {
        throw asLoadFailure(error, this.#sources);
      });
      if (this.#live() === emulator) return emulator;
    }
  }

  /** A Worker by name (the entry Worker when none is given), or Miniflare's error. */
  #worker(workerName: string | undefined): TranslatedWorker {
    const worker = workerName === undefined ? this.#workers[0] : this.#workers.find((candidate) => candidate.name === workerName);
    if (worker === undefined) throw new TypeError(`${JSON.stringify(workerName)} worker not found`);
    return worker;
  }

  /** A binding of one kind, looked up as Miniflare looks up its binding proxies (an unknown Worker has no bindings). */
  async #binding(kind: "durableObjects" | "kvNamespaces" | "r2Buckets", description: string, bindingName: string, workerName: string | undefined): Promise<unknown> {
    const emulator = await this.#ready();
    const name = workerName ?? this.#workers[0]!.name!;
    const worker = this.#workers.find((candidate) => candidate.name === name);
    if (worker === undefined || !Object.hasOwn(worker[kind] ?? {}, bindingName)) {
      throw new TypeError(`No ${description} binding named ${JSON.stringify(bindingName)} found in ${described(name)}.`);
    }
    return this.#proxies.view(emulator.getEnv(name)[bindingName]);
  }
}

/**
 * A response as Node code gets it from Miniflare: its WebSocket is held by the `ws` library,
 * which answers a Close frame as it arrives, so the Worker's end sees its close handshake
 * complete (an object's `webSocketClose` runs) whatever the Worker's compatibility date, and
 * whose listeners are Node's EventTarget's, which warn of nothing they return; its body ends
 * where the Worker's stream fails (endingWhereItFails()).
 */
function asClientResponse(response: Response, signal: AbortSignal): Response {
  const socket = (response as { webSocket?: WorkersWebSocket | null }).webSocket;
  if (socket) socketInternals().heldByClientLibrary(socket);
  return endingWhereItFails(response, signal);
}

/** Which object of a class: Miniflare's DurableObjectIdentifier. */
export type DurableObjectIdentifier = { name: string; id?: never } | { id: string; name?: never };

/** What `unsafeGetDurableObjectStorage()` gives. */
export interface DurableObjectStorageHandle {
  exec<Row extends Record<string, unknown> = Record<string, unknown>>(query: string, ...bindings: unknown[]): Promise<Row[]>;
}

/** A class designator as `{ className, scriptName? }`. */
function designatorOf(value: TranslatedDurableObject): { className: string; scriptName?: string | undefined } {
  return typeof value === "string" ? { className: value } : value;
}

/** The classes a Worker declares, bound and unbound. */
function declaredClasses(worker: TranslatedWorker): { className: string; scriptName?: string | undefined }[] {
  return [...Object.values(worker.durableObjects ?? {}), ...(worker.unboundDurableObjects ?? [])].map(designatorOf);
}

/**
 * A stub of the object of class `className` hosted by Worker `scriptName`, by name or id; a
 * class with no namespace there is the TypeError Miniflare's dev-control Worker throws.
 */
function objectStub(emulator: Emulator, workers: TranslatedWorker[], scriptName: string, className: string, { name, id }: { name?: string; id?: string }): object {
  const namespace = workers.some((worker) => worker.name === scriptName) ? emulator.getClassNamespace(className, scriptName) : undefined;
  if (namespace === undefined) throw new TypeError(`Expected Durable Object namespace binding for ${scriptName}:${className}`);
  return namespace.get(id === undefined ? namespace.idFromName(name!) : namespace.idFromString(id));
}

/** What `getWorker()` gives: a service binding to the Worker's default export. */
export interface MiniflareWorker {
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** A scheduled event: resolves to `{ outcome, noRetry }`. */
  scheduled(options?: { scheduledTime?: Date | number; cron?: string }): Promise<{ outcome: string; noRetry: boolean }>;
  /** A queue event: resolves to what the handler decided (`{ outcome, ackAll, retryBatch, explicitAcks, retryMessages }`). */
  queue(queueName: string, messages: { id: string; timestamp: Date; body: unknown; attempts: number }[]): Promise<Record<string, unknown>>;
  /** RPC methods of a `WorkerEntrypoint` default export. */
  [method: string]: any;
}

/** The `cf` a request is sent with (the init's, else a Request input's), if any. */
function givenCf(input: unknown, init: RequestInit | undefined): unknown {
  const fromInit = (init as { cf?: unknown } | undefined)?.cf;
  return fromInit ?? (input instanceof Request ? (input as { cf?: unknown }).cf : undefined);
}

function withoutCf(init: RequestInit | undefined): RequestInit | undefined {
  if (init === undefined || init === null) return init;
  const { cf: _cf, ...rest } = init as RequestInit & { cf?: unknown };
  return rest;
}

/**
 * What dispatchFetch() answers: the Worker's Workers Response (its `webSocket` typed, as on
 * Miniflare's Response), or Node's from another origin a redirect led to.
 */
type DispatchedResponse = Response & Partial<Pick<WorkersResponse, "webSocket">>;

/** What undici's fetch() (Miniflare's, for dispatchFetch and getWorker().fetch) sends when the request gives no Accept-Encoding. */
const UNDICI_ACCEPT_ENCODING = "gzip, deflate";
/** Headers undici's fetch() adds where a request has none. */
const UNDICI_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ["accept", "*/*"],
  ["accept-encoding", UNDICI_ACCEPT_ENCODING],
  ["accept-language", "*"],
  ["sec-fetch-mode", "cors"],
  ["user-agent", "undici"],
];

/** `request` with undici's default headers where it has none; only one hop (redirects are followed, or not, by the caller). */
function undiciRequest(request: Request, extra: ReadonlyArray<readonly [string, string]> = []): Request {
  const headers = new Headers(request.headers);
  for (const [name, value] of [...UNDICI_HEADERS, ...extra]) if (!headers.has(name)) headers.set(name, value);
  return new Request(request, { headers, redirect: "manual" });
}

/**
 * The request as Miniflare's entry Worker hands it on from its loopback server: undici's headers,
 * the client address workerd reports, and `Accept-Encoding` set to what workerd decodes. An HTTP
 * request always carries a Host: the one given, else its URL's, as production's edge delivers it
 * (Miniflare's names its loopback server's random port instead, which durasim does not have).
 */
function loopbackRequest(request: Request): Request {
  const delivered = undiciRequest(request, [["cf-connecting-ip", "127.0.0.1"], ["host", new URL(request.url).host]]);
  delivered.headers.set("accept-encoding", "br, gzip");
  return delivered;
}

/**
 * What workerd's HTTP server answers a request whose method it does not know, spelt exactly
 * (fetch() upper-cases only DELETE, GET, HEAD, OPTIONS, POST and PUT: a "patch" stays so); the
 * Worker never sees it.
 */
function unrecognizedMethod(): WorkersResponse {
  const body = "ERROR: Unrecognized request method.";
  return new WorkersResponse(body, { status: 501, statusText: "Not Implemented", headers: { "content-length": String(body.length), "content-type": "text/plain" } });
}

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
/** The redirects fetch() follows before it fails. */
const MAX_REDIRECTS = 20;

/**
 * Sends `first` and follows redirects as undici's fetch() (Miniflare's `dispatchFetch`) does,
 * in the fetch standard's order: `redirect: "error"` fails, `"manual"` answers the redirect, a
 * redirect without Location answers it; else a Location that is no HTTP(S) URL, a 21st redirect,
 * or one that would resend a body (any but a 303: Miniflare's request body is a stream, which
 * fetch() cannot replay) fails with fetch()'s `TypeError: fetch failed`. A 303 (and a 301 or 302
 * to a POST) turns the request into a body-less GET. A Location on the first request's origin
 * reaches the Worker again; another origin goes out through `globalThis.fetch`, as Miniflare's
 * dispatcher sends it.
 */
async function followed<R extends Response>(first: Request, send: (request: Request) => Promise<R>): Promise<R> {
  const failed = (cause: Error) => new TypeError("fetch failed", { cause });
  let request = first;
  for (let redirects = 0; ; redirects++) {
    const response = await send(request);
    const location = response.headers.get("location");
    if (!REDIRECT_STATUSES.has(response.status) || request.redirect === "manual") return response;
    if (request.redirect === "error") throw failed(new Error("unexpected redirect"));
    if (location === null) return response;
    await response.body?.cancel();
    if (!URL.canParse(location, request.url)) throw failed(new TypeError("Invalid URL"));
    const target = new URL(location, request.url);
    if (target.protocol !== "http:" && target.protocol !== "https:") throw failed(new Error("URL scheme must be a HTTP(S) scheme"));
    if (redirects === MAX_REDIRECTS) throw failed(new Error("redirect count exceeded"));
    if (response.status !== 303 && request.body !== null) throw failed(new Error());
    const toGet = response.status === 303 ? request.method !== "GET" && request.method !== "HEAD" : request.method === "POST";
    const headers = new Headers(request.headers);
    if (toGet) for (const name of ["content-type", "content-length", "content-encoding", "content-language", "content-location"]) headers.delete(name);
    // Credentials stay with their origin, as undici's redirects drop them.
    if (target.origin !== new URL(request.url).origin) for (const name of ["authorization", "proxy-authorization", "cookie", "host"]) headers.delete(name);
    request = new Request(target, { method: toGet ? "GET" : request.method, headers, redirect: request.redirect, signal: request.signal });
  }
}

/**
 * `input` when it is a Request or parses as an absolute URL; else the `TypeError` of the
 * `new Request(input)` Miniflare makes of it with undici's Request, whose cause is `new URL()`'s
 * error (there is no server for a relative URL to reach, though a test environment's global
 * Request, jsdom's, may take one).
 */
function absolute<T>(input: T): T {
  const isRequest = typeof input === "object" && input !== null && typeof (input as { url?: unknown }).url === "string";
  if (isRequest) return input;
  try {
    new URL(String(input));
  } catch (cause) {
    throw new TypeError(`Failed to parse URL from ${String(input)}`, { cause });
  }
  return input;
}

/** The names of a Worker's bindings that are runtime objects (Miniflare's proxies), not values. */
function runtimeBindingNames(worker: TranslatedWorker): string[] {
  return [worker.durableObjects, worker.kvNamespaces, worker.r2Buckets, worker.ratelimits, worker.serviceBindings].flatMap((kind) => Object.keys(kind ?? {}));
}

/** Each Worker's binding names, read from its env before any of its code runs. */
function configuredBindings(emulator: Emulator, workers: readonly TranslatedWorker[]): Map<string, readonly string[]> {
  return new Map(workers.map((worker) => [worker.name!, Object.keys(emulator.getEnv(worker.name))]));
}

/** The translated Workers, the entry point first. */
function workersOf(translated: TranslatedOptions): TranslatedWorker[] {
  const { workers = [], ...main } = translated;
  return [main, ...workers];
}

/** How Miniflare names a Worker in its errors. */
function described(workerName: string): string {
  return workerName === "" ? "the worker" : `${JSON.stringify(workerName)} worker`;
}

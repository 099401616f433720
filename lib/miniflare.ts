/**
 * `durasim/miniflare`: a `Miniflare` class taking Miniflare 4's options for what durasim
 * emulates, with the methods tests use: `ready`, `dispatchFetch`, `getBindings`,
 * `getDurableObjectNamespace`, `getKVNamespace`, `getR2Bucket`, `listDurableObjectIds`,
 * `getWorker`, `setOptions` and `dispose`. Everything runs in-process: there is no HTTP
 * server, and `ready` resolves to the base URL of `dispatchFetch`. Lookups that fail throw
 * Miniflare's own `TypeError`s, so tests asserting on them keep passing.
 */
import { type MiniflareOptions, translateMiniflareOptions } from "./config/miniflare-options.js";
import type { EmulatorOptions } from "./config/options.js";
import type { TranslatedDurableObject, TranslatedOptions, TranslatedWorker } from "./config/translated.js";
import { Emulator } from "./emulator.js";
import type { DurableObjectNamespaceBinding } from "./runtime/namespace-binding.js";

export type { MiniflareOptions } from "./config/miniflare-options.js";

/** The codes of Miniflare's errors that durasim raises, as Miniflare classes them (user error or system error). */
const USER_ERROR_CODES: ReadonlySet<string> = new Set(["ERR_DISPOSED"]);
const SYSTEM_ERROR_CODES: ReadonlySet<string> = new Set<string>();

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

/** Miniflare's error for misuse of the instance (ERR_DISPOSED: a method of a disposed instance). */
export class MiniflareCoreError extends MiniflareError {}

export class Miniflare {
  #emulator: Emulator;
  /** The Workers as translated, the entry point first: which bindings each declares. */
  #workers: TranslatedWorker[];
  #disposed = false;

  constructor(options: MiniflareOptions) {
    // A service written as a function gets this instance second, as Miniflare passes its own.
    const translated = translateMiniflareOptions(options, { instance: this });
    this.#workers = workersOf(translated);
    this.#emulator = new Emulator(translated as EmulatorOptions);
  }

  /** Resolves once every Worker is loaded, to the base URL to build request URLs on (as `new URL(path, await mf.ready)`). */
  get ready(): Promise<URL> {
    // Miniflare's getter never throws: a disposed instance's `ready` is a rejected promise.
    return this.#ready().then(() => new URL("http://localhost/"));
  }

  /** Sends a request to the entry Worker's fetch handler; the URL must be absolute, as Miniflare's `new Request()` needs. */
  async dispatchFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const emulator = this.#live();
    return emulator.dispatchFetch(absolute(input), init);
  }

  /** A Worker's bindings (the entry Worker's when no name is given). */
  async getBindings<Env = Record<string, unknown>>(workerName?: string): Promise<Env> {
    const emulator = await this.#ready();
    return { ...emulator.getEnv(this.#worker(workerName).name) } as Env;
  }

  async getDurableObjectNamespace(bindingName: string, workerName?: string): Promise<DurableObjectNamespaceBinding> {
    return (await this.#binding("durableObjects", "Durable Object namespace", bindingName, workerName)) as DurableObjectNamespaceBinding;
  }

  /** A KV namespace binding of a Worker (the entry Worker's when no name is given). */
  async getKVNamespace(bindingName: string, workerName?: string): Promise<unknown> {
    return this.#binding("kvNamespaces", "KV namespace", bindingName, workerName);
  }

  /** An R2 bucket binding of a Worker (the entry Worker's when no name is given). */
  async getR2Bucket(bindingName: string, workerName?: string): Promise<unknown> {
    return this.#binding("r2Buckets", "R2 bucket", bindingName, workerName);
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
    const designatorOf = (value: TranslatedDurableObject) =>
      typeof value === "string" ? { className: value, scriptName: undefined } : value;
    const designator =
      [...Object.values(bound), ...(worker.unboundDurableObjects ?? [])]
        .map(designatorOf)
        .find(({ className, scriptName }) => className === classOrBindingName && (scriptName === undefined || scriptName === worker.name)) ??
      (Object.hasOwn(bound, classOrBindingName) ? designatorOf(bound[classOrBindingName]!) : undefined);
    if (designator === undefined) {
      throw new TypeError(`No Durable Object class or namespace binding named ${JSON.stringify(classOrBindingName)} found in ${described(worker.name!)}.`);
    }
    return (await emulator.listClassIds(designator.className, designator.scriptName ?? worker.name)).map(String).sort();
  }

  /** A Worker's default export (the entry Worker's when no name is given), to send requests to. */
  async getWorker(workerName?: string): Promise<{ fetch(input: string | URL | Request, init?: RequestInit): Promise<Response> }> {
    const emulator = await this.#ready();
    const worker = emulator.getWorker(this.#worker(workerName).name);
    // Not async: what Miniflare's `new Request(input, init)` refuses (a relative URL, a body on a
    // GET, an invalid method or header) throws at once.
    return { fetch: (input, init) => worker.fetch(requestable(input, init), init) };
  }

  /**
   * Replaces the options; Durable Object storage of unchanged namespaces survives, as in
   * Miniflare. Not async, as Miniflare's: a disposed instance throws at once, before the options are read.
   */
  setOptions(options: MiniflareOptions): Promise<void> {
    const live = this.#live();
    // Options Miniflare refuses reject (it reads them in its async part).
    try {
      const translated = translateMiniflareOptions(options, { instance: this });
      this.#emulator = live.reconfigure(translated as EmulatorOptions);
      this.#workers = workersOf(translated);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#emulator.ready.then(() => undefined);
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    await this.#emulator.dispose();
  }

  #live(): Emulator {
    if (this.#disposed) throw new MiniflareCoreError("ERR_DISPOSED", "Cannot use disposed instance");
    return this.#emulator;
  }

  async #ready(): Promise<Emulator> {
    const emulator = this.#live();
    await emulator.ready;
    return emulator;
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
    return emulator.getEnv(name)[bindingName];
  }
}

/**
 * `input` when it is a Request or parses as an absolute URL; else Node's `TypeError` for the
 * `new Request(input)` Miniflare makes of it (there is no server for a relative URL to reach).
 */
/**
 * `input` once Node's `new Request(input, init)` accepts it, as Miniflare's getWorker().fetch
 * starts; it throws that TypeError otherwise. Checked on a copy (a URL, and the init's body as an
 * empty string: a stream is not read, nor signal): the Request or body itself goes on unread.
 */
function requestable<T>(input: T, init: RequestInit | undefined): T {
  absolute(input);
  if (init === undefined || init === null) return input;
  const isRequest = typeof input === "object" && input !== null && typeof (input as { url?: unknown }).url === "string";
  const url = isRequest ? (input as unknown as { url: string }).url : String(input);
  const method = init.method ?? (isRequest ? (input as unknown as { method?: string }).method : undefined);
  const { signal: _signal, body, ...rest } = init;
  new Request(url, { ...rest, ...(method === undefined ? {} : { method }), ...(body === undefined || body === null ? {} : { body: "" }) });
  return input;
}

function absolute<T>(input: T): T {
  const isRequest = typeof input === "object" && input !== null && typeof (input as { url?: unknown }).url === "string";
  if (!isRequest && !URL.canParse(String(input))) throw new TypeError(`Failed to parse URL from ${String(input)}`);
  return input;
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

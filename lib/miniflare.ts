/**
 * `durasim/miniflare`: a `Miniflare` class taking Miniflare 4's options for what durasim
 * emulates, with the methods tests use: `ready`, `dispatchFetch`, `getBindings`,
 * `getDurableObjectNamespace`, `getWorker`, `setOptions` and `dispose`. Everything runs
 * in-process: there is no HTTP server, and `ready` resolves to the base URL of `dispatchFetch`.
 */
import { type MiniflareOptions, translateMiniflareOptions } from "./config/miniflare-options.js";
import type { EmulatorOptions } from "./config/options.js";
import { Emulator } from "./emulator.js";
import type { DurableObjectNamespaceBinding } from "./runtime/namespace-binding.js";

export type { MiniflareOptions } from "./config/miniflare-options.js";

const DISPOSED = "Cannot use disposed instance";

export class Miniflare {
  #emulator: Emulator;
  /** The entry Worker's name, for Miniflare's error messages. */
  #entry: string;
  #disposed = false;

  constructor(options: MiniflareOptions) {
    const translated = translateMiniflareOptions(options);
    this.#entry = translated.name ?? "";
    this.#emulator = new Emulator(translated as EmulatorOptions);
  }

  /** Resolves once every Worker is loaded, to the base URL relative requests resolve against. */
  get ready(): Promise<URL> {
    return this.#live().ready.then(() => new URL("http://localhost/"));
  }

  /** Sends a request to the entry Worker's fetch handler. */
  async dispatchFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    return this.#live().dispatchFetch(input, init);
  }

  /** A Worker's bindings (the entry Worker's when no name is given). */
  async getBindings<Env = Record<string, unknown>>(workerName?: string): Promise<Env> {
    const emulator = this.#live();
    await emulator.ready;
    return { ...emulator.getEnv(workerName) } as Env;
  }

  async getDurableObjectNamespace(bindingName: string, workerName?: string): Promise<DurableObjectNamespaceBinding> {
    const emulator = this.#live();
    await emulator.ready;
    try {
      return emulator.getDurableObjectNamespace(bindingName, workerName);
    } catch {
      throw new TypeError(`No Durable Object namespace binding named "${bindingName}" found in "${workerName ?? this.#entry}" worker.`);
    }
  }

  /** A Worker's default export (the entry Worker's when no name is given), to send requests to. */
  async getWorker(workerName?: string): Promise<{ fetch(input: string | URL | Request, init?: RequestInit): Promise<Response> }> {
    const emulator = this.#live();
    await emulator.ready;
    return emulator.getWorker(workerName);
  }

  /** Replaces the options; Durable Object storage of unchanged namespaces survives, as in Miniflare. */
  async setOptions(options: MiniflareOptions): Promise<void> {
    const translated = translateMiniflareOptions(options);
    this.#emulator = this.#live().reconfigure(translated as EmulatorOptions);
    this.#entry = translated.name ?? "";
    await this.#emulator.ready;
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    await this.#emulator.dispose();
  }

  #live(): Emulator {
    if (this.#disposed) throw new Error(DISPOSED);
    return this.#emulator;
  }
}

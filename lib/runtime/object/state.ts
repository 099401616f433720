import type { DurableObjectStorage } from "../../storage/api/storage.js";
import type { DurableObjectId } from "../ids.js";

/** What `ctx` delegates to: the live incarnation of the object. */
export interface StateHost {
  readonly id: DurableObjectId;
  readonly storage: DurableObjectStorage;
  blockConcurrencyWhile<T>(callback: () => T | Promise<T>): Promise<T>;
  abort(reason?: string, options?: { retryAlarm?: boolean }): never;
  waitUntil(promise: unknown): void;
}

/**
 * `ctx` (DurableObjectState). Members are prototype getters and methods, like the runtime's,
 * so the object has no own enumerable properties for user code to trip over.
 */
export class DurableObjectState {
  readonly #host: StateHost;

  constructor(host: StateHost) {
    this.#host = host;
  }

  get id(): DurableObjectId {
    return this.#host.id;
  }

  get storage(): DurableObjectStorage {
    return this.#host.storage;
  }

  get props(): Record<string, never> {
    return {};
  }

  waitUntil(promise: unknown): void {
    this.#host.waitUntil(promise);
  }

  blockConcurrencyWhile<T>(callback: () => T | Promise<T>): Promise<T> {
    // Checked like any Web IDL argument, but reported through the returned promise: the object
    // is not reset and its gate never closes.
    if (typeof callback !== "function") {
      return Promise.reject(
        new TypeError("Failed to execute 'blockConcurrencyWhile' on 'DurableObjectState': parameter 1 is not of type 'function'."),
      );
    }
    return this.#host.blockConcurrencyWhile(callback);
  }

  abort(reason?: string, options?: { retryAlarm?: boolean }): never {
    return this.#host.abort(reason, options);
  }
}

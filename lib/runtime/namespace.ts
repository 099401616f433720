import type { StorageBackend } from "../storage/backend.js";
import type { Clock } from "./clock.js";
import type { EvictionPolicy } from "./eviction.js";
import { DurableObjectId, IdFactory, MAX_EXPOSED_NAME_BYTES, parseIdHex } from "./ids.js";
import { type ObjectNamespace, ObjectRecord } from "./object-host.js";
import type { DurableObjectState } from "./state.js";
import { createStub, type DurableObjectStub, type ObjectLocator } from "./stub.js";

/** What a namespace needs from the Worker that exports its class. */
export interface NamespaceHost {
  readonly env: object;
  /** Pending while the Worker's module loads; undefined once loaded. */
  readonly ready: Promise<void> | undefined;
  exportedClass(className: string): new (ctx: DurableObjectState, env: object) => object;
  now(): number;
  readonly clock: Clock;
  readonly eviction: EvictionPolicy;
  assertUsable(): void;
}

export interface NamespaceConfig {
  /** Keys IDs and storage: `${scriptName}-${className}`, or a stable id. */
  uniqueKey: string;
  className: string;
  createBackend(): StorageBackend;
  /** Objects are never evicted for idleness or by the live-instance cap (workerd's `preventEviction`). */
  preventEviction: boolean;
}

/** All objects of one Durable Object class: IDs, records, and what the objects need. */
export class NamespaceRuntime implements ObjectNamespace {
  readonly ids: IdFactory;
  readonly #records = new Map<string, ObjectRecord>();

  constructor(
    readonly config: NamespaceConfig,
    private readonly host: NamespaceHost,
  ) {
    this.ids = new IdFactory(config.uniqueKey);
  }

  get env(): object {
    return this.host.env;
  }

  get ready(): Promise<void> | undefined {
    return this.host.ready;
  }

  objectClass(): new (ctx: DurableObjectState, env: object) => object {
    return this.host.exportedClass(this.config.className);
  }

  createBackend(): StorageBackend {
    return this.config.createBackend();
  }

  now(): number {
    return this.host.now();
  }

  get clock(): Clock {
    return this.host.clock;
  }

  get eviction(): EvictionPolicy {
    return this.host.eviction;
  }

  get preventEviction(): boolean {
    return this.config.preventEviction;
  }

  contextId(hex: string, name: string | undefined): DurableObjectId {
    const exposed = name !== undefined && Buffer.byteLength(name) <= MAX_EXPOSED_NAME_BYTES ? name : undefined;
    return new DurableObjectId(hex, exposed);
  }

  record(hex: string): ObjectRecord {
    this.host.assertUsable();
    let record = this.#records.get(hex);
    if (record === undefined) {
      record = new ObjectRecord(this, hex);
      this.#records.set(hex, record);
    }
    return record;
  }

  /** Records of objects that were reached (constructed at least once). */
  records(): IterableIterator<ObjectRecord> {
    return this.#records.values();
  }

  /** Drops the record of an evicted object that holds no data: the next event starts afresh. */
  forget(record: ObjectRecord): void {
    if (this.#records.get(record.idHex) === record) this.#records.delete(record.idHex);
  }
}

/** The `env` binding of a Durable Object namespace. */
export class DurableObjectNamespace {
  readonly #runtime: NamespaceRuntime;
  readonly #jurisdiction: string | undefined;

  constructor(runtime: NamespaceRuntime, jurisdiction?: string) {
    this.#runtime = runtime;
    this.#jurisdiction = jurisdiction;
  }

  newUniqueId(options?: { jurisdiction?: string }): DurableObjectId {
    const jurisdiction = options?.jurisdiction ?? this.#jurisdiction;
    return new DurableObjectId(this.#runtime.ids.unique().toString("hex"), undefined, jurisdiction);
  }

  idFromName(name: string): DurableObjectId {
    if (arguments.length === 0) {
      throw new TypeError("Failed to execute 'idFromName' on 'DurableObjectNamespace': parameter 1 is not of type 'string'.");
    }
    const text = String(name);
    return new DurableObjectId(this.#runtime.ids.fromName(text).toString("hex"), text, this.#jurisdiction);
  }

  idFromString(id: string): DurableObjectId {
    const bytes = parseIdHex(String(id));
    if (!this.#runtime.ids.isValid(bytes)) throw new TypeError("Durable Object ID is not valid for this namespace.");
    return new DurableObjectId(bytes.toString("hex"), undefined, this.#jurisdiction);
  }

  get(id: DurableObjectId, options?: { locationHint?: string; routingMode?: string }): DurableObjectStub {
    if (!(id instanceof DurableObjectId)) {
      throw new TypeError(
        "Failed to execute 'get' on 'DurableObjectNamespace': parameter 1 is not of type 'DurableObjectId'.",
      );
    }
    if (this.#jurisdiction !== undefined && id.jurisdiction !== this.#jurisdiction) {
      throw new TypeError("get called on jurisdictional subnamespace with an ID from a different jurisdiction");
    }
    const routingMode = options?.routingMode;
    if (routingMode !== undefined && routingMode !== "primary-only") {
      throw new RangeError(`unknown routingMode: ${routingMode}`);
    }
    const runtime = this.#runtime;
    const hex = id.toString();
    const locator: ObjectLocator = {
      name: id.name,
      get ready() {
        return runtime.ready;
      },
      record: () => runtime.record(hex),
    };
    return createStub(locator, id);
  }

  getByName(name: string, options?: { locationHint?: string; routingMode?: string }): DurableObjectStub {
    return this.get(this.idFromName(name), options);
  }

  /** Accepted and recorded on IDs; locally it restricts nothing (see README). */
  jurisdiction(jurisdiction?: string | null): DurableObjectNamespace {
    return new DurableObjectNamespace(this.#runtime, jurisdiction ?? undefined);
  }
}

import { DurableObjectId, parseIdHex } from "./ids.js";
import type { NamespaceRuntime } from "./namespace.js";
import { createStub, type DurableObjectStub, type ObjectLocator } from "./rpc/stub.js";

/**
 * The `env` binding of a Durable Object namespace (what `env.MY_DO` is): IDs and stubs, with
 * the runtime's argument checks. The runtime calls this class DurableObjectNamespace; durasim
 * keeps that public name for Alchemy's declaration function (config/options.ts), so the class
 * is named for what it is here and shows the runtime's name at run time.
 */
export class DurableObjectNamespaceBinding {
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
      live: () => runtime.record(hex).live(id.name),
      record: () => runtime.record(hex),
    };
    return createStub(locator, id);
  }

  getByName(name: string, options?: { locationHint?: string; routingMode?: string }): DurableObjectStub {
    return this.get(this.idFromName(name), options);
  }

  /** The namespace behind a binding, or undefined for anything else (for the test helpers). */
  static runtimeOf(value: unknown): NamespaceRuntime | undefined {
    return typeof value === "object" && value !== null && #runtime in value ? value.#runtime : undefined;
  }

  /** Accepted and recorded on IDs; locally it restricts nothing (see README). */
  jurisdiction(jurisdiction?: string | null): DurableObjectNamespaceBinding {
    return new DurableObjectNamespaceBinding(this.#runtime, jurisdiction ?? undefined);
  }
}
Object.defineProperty(DurableObjectNamespaceBinding, "name", { value: "DurableObjectNamespace" });

import { defineInterface, notOfType, requireArgument, type Site, site, toDictionary, toIdlString } from "../util/webidl.js";
import { DurableObjectId, isDurableObjectId, parseIdHex } from "./ids.js";
import type { NamespaceRuntime } from "./namespace.js";
import { createStub, type DurableObjectStub, type ObjectLocator } from "./rpc/stub.js";

/**
 * The `env` binding of a Durable Object namespace (what `env.MY_DO` is): IDs and stubs, with
 * the runtime's argument checks. The runtime calls this class DurableObjectNamespace; durasim
 * keeps that public name for Alchemy's declaration function (config/options.ts), so the class
 * is named for what it is here and shows the runtime's name at run time.
 */
const NAMESPACE = "DurableObjectNamespace";
const NEW_UNIQUE_ID = site(NAMESPACE, "newUniqueId");
const ID_FROM_NAME = site(NAMESPACE, "idFromName");
const ID_FROM_STRING = site(NAMESPACE, "idFromString");
const GET = site(NAMESPACE, "get");
const GET_BY_NAME = site(NAMESPACE, "getByName");

interface GetOptions {
  locationHint?: unknown;
  routingMode?: unknown;
}

/** `T` is the Durable Object class, when the code knows it: stubs are then typed by it. */
export class DurableObjectNamespaceBinding<T = undefined> {
  readonly #runtime: NamespaceRuntime;
  readonly #jurisdiction: string | undefined;

  constructor(runtime: NamespaceRuntime, jurisdiction?: string) {
    this.#runtime = runtime;
    this.#jurisdiction = jurisdiction;
  }

  newUniqueId(options?: { jurisdiction?: string }): DurableObjectId {
    const requested = toDictionary<{ jurisdiction?: unknown }>(NEW_UNIQUE_ID, options, 1, "NewUniqueIdOptions")?.jurisdiction;
    const jurisdiction = requested === undefined || requested === null ? this.#jurisdiction : toIdlString(requested);
    return new DurableObjectId(this.#runtime.ids.unique().toString("hex"), undefined, jurisdiction);
  }

  idFromName(name: string): DurableObjectId {
    requireArgument(ID_FROM_NAME, arguments.length, 1, "string");
    const text = toIdlString(name);
    return new DurableObjectId(this.#runtime.ids.fromName(text).toString("hex"), text, this.#jurisdiction);
  }

  idFromString(id: string): DurableObjectId {
    requireArgument(ID_FROM_STRING, arguments.length, 1, "string");
    const bytes = parseIdHex(toIdlString(id));
    if (!this.#runtime.ids.isValid(bytes)) throw new TypeError("Durable Object ID is not valid for this namespace.");
    return new DurableObjectId(bytes.toString("hex"), undefined, this.#jurisdiction);
  }

  get(id: DurableObjectId, options?: { locationHint?: string; routingMode?: string }): DurableObjectStub<T> {
    if (!isDurableObjectId(id)) throw notOfType(GET, 1, "DurableObjectId");
    this.#checkOptions(GET, options);
    return this.#stub(id);
  }

  getByName(name: string, options?: { locationHint?: string; routingMode?: string }): DurableObjectStub<T> {
    requireArgument(GET_BY_NAME, arguments.length, 1, "string");
    const text = toIdlString(name);
    this.#checkOptions(GET_BY_NAME, options);
    return this.#stub(new DurableObjectId(this.#runtime.ids.fromName(text).toString("hex"), text, this.#jurisdiction));
  }

  /** Accepted and recorded on IDs; locally it restricts nothing (see README). */
  jurisdiction(jurisdiction?: string | null): DurableObjectNamespaceBinding<T> {
    const restricted = jurisdiction === undefined || jurisdiction === null ? undefined : toIdlString(jurisdiction);
    return new DurableObjectNamespaceBinding<T>(this.#runtime, restricted);
  }

  /** get()/getByName() options: a locationHint is only converted (it is advisory), a routingMode must be "primary-only". */
  #checkOptions(at: Site, options: unknown): void {
    const { locationHint, routingMode } = toDictionary<GetOptions>(at, options, 2, "GetDurableObjectOptions") ?? {};
    if (locationHint !== undefined) toIdlString(locationHint);
    if (routingMode === undefined) return;
    const mode = toIdlString(routingMode);
    if (mode !== "primary-only") throw new RangeError(`unknown routingMode: ${mode}`);
  }

  #stub(id: DurableObjectId): DurableObjectStub<T> {
    if (this.#jurisdiction !== undefined && id.jurisdiction !== this.#jurisdiction) {
      throw new TypeError("get called on jurisdictional subnamespace with an ID from a different jurisdiction");
    }
    const runtime = this.#runtime;
    const hex = id.toString();
    const name = DurableObjectId.nameOf(id);
    const locator: ObjectLocator = {
      name,
      get ready() {
        return runtime.ready;
      },
      live: () => runtime.record(hex).live(name),
      record: () => runtime.record(hex),
    };
    return createStub(locator, id) as DurableObjectStub<T>;
  }

  /** The namespace behind a binding, or undefined for anything else (for the test helpers). */
  static runtimeOf(value: unknown): NamespaceRuntime | undefined {
    return typeof value === "object" && value !== null && #runtime in value ? (value as DurableObjectNamespaceBinding<unknown>).#runtime : undefined;
  }

  static {
    defineInterface(this, NAMESPACE, (value) => typeof value === "object" && value !== null && #runtime in value);
  }
}
Object.defineProperty(DurableObjectNamespaceBinding, "name", { value: NAMESPACE });

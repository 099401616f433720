import { asDecodedFromWtf8 } from "../util/utf8.js";
import { defineInterface, isIdlObject, memberNotOfType, notOfType, requireArgument, type Site, site, toDictionary, toIdlString } from "../util/webidl.js";
import { DurableObjectId, isDurableObjectId, parseIdHex } from "./ids.js";
import type { NamespaceRuntime } from "./namespace.js";
import type { Incarnation } from "./object/incarnation.js";
import type { ObjectRecord } from "./object/record.js";
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
  version?: unknown;
  retry?: unknown;
}

interface NamespaceState {
  readonly runtime: NamespaceRuntime;
  readonly jurisdiction: string | undefined;
}

/**
 * Each binding's state, by the object user code holds. Kept outside the instance (not in
 * private fields) so that an object made elsewhere can become a binding: `exports.<Class>` is
 * a callable function object with this prototype (see entrypoints/loopback.ts).
 */
const states = new WeakMap<object, NamespaceState>();

function stateOf(binding: object): NamespaceState {
  // The prototype's members check their receiver first (defineInterface), so this is set.
  return states.get(binding)!;
}

/** `T` is the Durable Object class, when the code knows it: stubs are then typed by it. */
export class DurableObjectNamespaceBinding<T = undefined> {
  constructor(runtime: NamespaceRuntime, jurisdiction?: string) {
    states.set(this, { runtime, jurisdiction });
  }

  /** Makes `target` (which must inherit from this class's prototype) a binding of `runtime`. */
  static adopt(target: object, runtime: NamespaceRuntime): void {
    states.set(target, { runtime, jurisdiction: undefined });
  }

  newUniqueId(options?: { jurisdiction?: string }): DurableObjectId {
    const requested = toDictionary<{ jurisdiction?: unknown }>(NEW_UNIQUE_ID, options, 1, "NewUniqueIdOptions")?.jurisdiction;
    const { runtime, jurisdiction: own } = stateOf(this);
    const jurisdiction = requested === undefined || requested === null ? own : toIdlString(requested);
    return new DurableObjectId(runtime.ids.unique(), undefined, jurisdiction);
  }

  idFromName(name: string): DurableObjectId {
    requireArgument(ID_FROM_NAME, arguments.length, 1, "string");
    const text = toIdlString(name);
    const { runtime, jurisdiction } = stateOf(this);
    return new DurableObjectId(runtime.ids.fromName(text), asDecodedFromWtf8(text), jurisdiction);
  }

  idFromString(id: string): DurableObjectId {
    requireArgument(ID_FROM_STRING, arguments.length, 1, "string");
    const bytes = parseIdHex(toIdlString(id));
    const { runtime, jurisdiction } = stateOf(this);
    if (!runtime.ids.isValid(bytes)) throw new TypeError("Durable Object ID is not valid for this namespace.");
    return new DurableObjectId(bytes.toString("hex"), undefined, jurisdiction);
  }

  get(id: DurableObjectId, options?: { locationHint?: string; routingMode?: string }): DurableObjectStub<T> {
    if (!isDurableObjectId(id)) throw notOfType(GET, 1, "DurableObjectId");
    checkOptions(GET, options);
    return stubOf(stateOf(this), id) as DurableObjectStub<T>;
  }

  getByName(name: string, options?: { locationHint?: string; routingMode?: string }): DurableObjectStub<T> {
    requireArgument(GET_BY_NAME, arguments.length, 1, "string");
    const text = toIdlString(name);
    checkOptions(GET_BY_NAME, options);
    const state = stateOf(this);
    return stubOf(state, new DurableObjectId(state.runtime.ids.fromName(text), asDecodedFromWtf8(text), state.jurisdiction)) as DurableObjectStub<T>;
  }

  /** Accepted and recorded on IDs; locally it restricts nothing (see README). */
  jurisdiction(jurisdiction?: string | null): DurableObjectNamespaceBinding<T> {
    const restricted = jurisdiction === undefined || jurisdiction === null ? undefined : toIdlString(jurisdiction);
    return new DurableObjectNamespaceBinding<T>(stateOf(this).runtime, restricted);
  }

  /** The namespace behind a binding, or undefined for anything else (for the test helpers). */
  static runtimeOf(value: unknown): NamespaceRuntime | undefined {
    return (typeof value === "object" || typeof value === "function") && value !== null ? states.get(value)?.runtime : undefined;
  }

  static {
    defineInterface(this, NAMESPACE, (value) => (typeof value === "object" || typeof value === "function") && value !== null && states.has(value));
  }
}
Object.defineProperty(DurableObjectNamespaceBinding, "name", { value: NAMESPACE });

/**
 * get()/getByName() options, converted as the runtime converts its GetDurableObjectOptions:
 * member by member in its order, each read once. A locationHint is only converted (it is
 * advisory); `version` and `retry` must be dictionaries (null or an object; what they hold
 * durasim does not use); a routingMode must then be "primary-only".
 */
function checkOptions(at: Site, options: unknown): void {
  const given = toDictionary<GetOptions>(at, options, 2, GET_OPTIONS);
  if (given === undefined) return;
  const locationHint = given.locationHint;
  if (locationHint !== undefined) toIdlString(locationHint);
  const routingMode = given.routingMode;
  const mode = routingMode === undefined ? undefined : toIdlString(routingMode);
  for (const [member, type] of NESTED_OPTIONS) {
    const value = given[member];
    if (value !== undefined && value !== null && !isIdlObject(value)) throw memberNotOfType(GET_OPTIONS, member, type);
  }
  if (mode !== undefined && mode !== "primary-only") throw new RangeError(`unknown routingMode: ${mode}`);
}

const GET_OPTIONS = "GetDurableObjectOptions";
const NESTED_OPTIONS = [["version", "VersionOptions"], ["retry", "RetryOptions"]] as const;

function stubOf({ runtime, jurisdiction }: NamespaceState, id: DurableObjectId): DurableObjectStub {
  if (jurisdiction !== undefined && id.jurisdiction !== jurisdiction) {
    throw new TypeError("get called on jurisdictional subnamespace with an ID from a different jurisdiction");
  }
  return createStub(new NamespaceLocator(runtime, id.toString(), DurableObjectId.nameOf(id)), id);
}

/** How a stub made by a namespace binding finds its object (a class: no closures per stub). */
class NamespaceLocator implements ObjectLocator {
  constructor(
    private readonly runtime: NamespaceRuntime,
    private readonly hex: string,
    readonly name: string | undefined,
  ) {}

  get ready(): Promise<void> | undefined {
    return this.runtime.ready;
  }

  live(): Incarnation {
    return this.runtime.record(this.hex).live(this.name);
  }

  record(): ObjectRecord {
    return this.runtime.record(this.hex);
  }

  running(): boolean {
    return this.record().running !== undefined;
  }
}

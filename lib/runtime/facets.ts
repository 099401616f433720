import { CALLBACK_RESULT_NOT_PROMISE } from "../util/webidl.js";
import { type FacetClass, facetClassOf } from "./facet-classes.js";
import { DurableObjectId } from "./ids.js";
import { unflaggedError } from "./errors.js";
import type { Incarnation } from "./object/incarnation.js";
import type { ObjectRecord } from "./object/record.js";
import type { FacetSet } from "./object/state.js";
import { facetStub, type ObjectLocator } from "./rpc/stub.js";

/**
 * `ctx.facets`: child Durable Objects of one instance, each with its own SQLite storage, that
 * only the parent reaches (the agents SDK's sub-agents are built on them). A facet is an object
 * of a namespace of its own under the parent's (NamespaceRuntime.facet), keyed by the parent's
 * id, so its storage is kept, snapshotted, restored and persisted as any object's. What the
 * runtime does, checked with workerd (conformance "facets: ..."):
 * - get() returns a stub at once; the startup callback runs when the first call is made, once:
 *   its failure (or a result that is not startup options) fails that call and every later one;
 * - a running facet is reached again by get() without calling the callback again; one that
 *   reset itself (ctx.abort) is started anew, on the storage it kept;
 * - abort(name, reason) fails the facet's callers with the reason; delete(name) fails them with
 *   "Facet was deleted." and wipes its storage; a name that is not running is no error;
 *   clone(from, to) copies one facet's storage (and facets) over another's;
 * - a stub binds to a facet at its first call (see FacetHandle), and cannot be sent over RPC;
 * - the facet ends with its parent instance: a reset resets it, an eviction evicts it; so what
 *   keeps the facet busy keeps the parent from idle eviction (see Incarnation.holdsParent).
 */

/** The facets of one object (one id) in the namespace of the facet named `name` (see NamespaceRuntime.facet). */
export interface FacetNamespace {
  /** The facet's record, about to start as an instance of `facetClass` whose ctx.id is `id`. */
  start(hex: string, facetClass: FacetClass, id: DurableObjectId | string): ObjectRecord;
  /** Empties the facet of object `hex`, if it has one: storage, alarm and live instance (failing with `error`) go. */
  wipe(hex: string, error: Error): void;
  /** Makes the facet of object `hex` a copy of its facet in `source`, its own facets included (see clone()). */
  copyFrom(source: FacetNamespace, hex: string, error: Error): void;
}

/** What an instance's facets need from it. */
export interface FacetParent {
  readonly id: DurableObjectId;
  readonly idHex: string;
  /** A facet's instance may have stopped keeping the parent's busy (see holdParent). */
  settled(): void;
  facetNamespace(name: string): FacetNamespace;
  /** The namespaces of every facet name this object used: since the emulator started, or on disk. */
  facetNamespaces(): Iterable<FacetNamespace>;
}

const BAD_CLASS =
  "Incorrect type for the 'class' field on 'StartupOptions': the provided value is not of type 'DurableObjectClass or LoopbackDurableObjectNamespace or LoopbackColoLocalActorNamespace'.";
const NO_OPTIONS = "Cannot initialize N7workerd3api19DurableObjectFacets14StartupOptionsE with required members from an undefined or null value.";
const DELETED = "Facet was deleted.";
const CLONED_OVER = "Facet was cloned-over.";

/** The facets one instance started, by name (made by its first use of ctx.facets). */
export class InstanceFacets implements FacetSet {
  readonly #facets = new Map<string, Facet>();

  constructor(private readonly parent: FacetParent) {}

  get(name: string, startup: () => unknown): object {
    return facetStub(new FacetHandle(this, name, startup), this.parent.id);
  }

  /** The facet named `name` now: the running one, or a new one that `startup` will start. */
  current(name: string, startup: () => unknown): Facet {
    let facet = this.#facets.get(name);
    if (facet === undefined || facet.ended) {
      facet = new Facet(this, this.parent, name, startup);
      this.#facets.set(name, facet);
    }
    return facet;
  }

  /** The name the parent was reached by, which its facets show too. */
  get parentName(): string | undefined {
    return DurableObjectId.nameOf(this.parent.id);
  }

  /** The facet named `name`, if one was made and not ended by the parent. */
  peek(name: string): Facet | undefined {
    return this.#facets.get(name);
  }

  /** The facet's callers fail with `reason` as it is (the runtime adds no `remote` to it). */
  abort(name: string, reason: Error): void {
    this.#facets.get(name)?.end(unflaggedError(reason));
    this.#facets.delete(name);
  }

  delete(name: string): void {
    const error = new Error(DELETED);
    this.abort(name, error);
    this.parent.facetNamespace(name).wipe(this.parent.idHex, error);
  }

  /**
   * `to` becomes a copy of `from` (its committed storage and its own facets): a running `to`
   * fails its callers with "Facet was cloned-over." (even cloned over by itself, its storage
   * then unchanged); a `from` with no storage leaves `to` empty, as workerd does. A running
   * `from` runs on.
   */
  clone(from: string, to: string): void {
    const error = new Error(CLONED_OVER);
    this.abort(to, error);
    this.parent.facetNamespace(to).copyFrom(this.parent.facetNamespace(from), this.parent.idHex, error);
  }

  /** The parent's deleteAll() deletes its facets as delete() does, started or not. */
  deleteAll(): void {
    const error = new Error(DELETED);
    for (const name of [...this.#facets.keys()]) this.abort(name, error);
    for (const namespace of this.parent.facetNamespaces()) namespace.wipe(this.parent.idHex, error);
  }

  /** Whether a facet's instance keeps the parent's from idle eviction (see Incarnation.holdsParent). */
  holdParent(): boolean {
    for (const facet of this.#facets.values()) if (facet.holdsParent()) return true;
    return false;
  }

  /** The parent instance was reset: its facets fail with its error. */
  end(error: Error): void {
    for (const facet of this.#facets.values()) facet.end(error);
    this.#facets.clear();
  }

  /** The parent instance was evicted: its facets are evicted too (their storage stays). */
  evict(): void {
    for (const facet of this.#facets.values()) facet.evict();
    this.#facets.clear();
  }
}

/**
 * What a stub from get() reaches: the facet of its name as its first call finds it, then that
 * one for good. A stub that made no call yet outlives the facet's end (abort, delete, clone):
 * its first call reaches the next one, as in workerd; one that did fails with the end's error.
 */
class FacetHandle implements ObjectLocator {
  #bound: Facet | undefined;

  constructor(
    private readonly facets: InstanceFacets,
    private readonly key: string,
    private readonly startup: () => unknown,
  ) {}

  #facet(): Facet {
    return (this.#bound ??= this.facets.current(this.key, this.startup));
  }

  get name(): string | undefined {
    return this.facets.parentName;
  }

  get ready(): Promise<void> | undefined {
    return this.#facet().ready;
  }

  live(): Incarnation {
    return this.#facet().live();
  }

  record(): ObjectRecord {
    return this.#facet().record();
  }

  running(): boolean {
    return (this.#bound ?? this.facets.peek(this.key))?.running() ?? false;
  }
}

/** One facet, started by the first call made on a stub that reaches it. */
class Facet implements ObjectLocator {
  #startup: (() => unknown) | undefined;
  /** The start in progress, or its failure (which every later call gets). */
  #starting: Promise<void> | undefined;
  #record: ObjectRecord | undefined;
  #incarnation: Incarnation | undefined;
  /** Set when the parent aborted, deleted or dropped the facet. */
  #ended: Error | undefined;

  constructor(
    private readonly facets: InstanceFacets,
    private readonly parent: FacetParent,
    private readonly key: string,
    startup: () => unknown,
  ) {
    this.#startup = startup;
  }

  get name(): string | undefined {
    return this.facets.parentName;
  }

  /** A stub reads this before each call until it resolves: the first read runs the startup callback. */
  get ready(): Promise<void> | undefined {
    if (this.#record !== undefined) return undefined;
    return (this.#starting ??= this.#start());
  }

  async #start(): Promise<void> {
    const startup = this.#startup!;
    this.#startup = undefined;
    try {
      const { facetClass, id } = await startupOptions(startup);
      this.#record = this.parent.facetNamespace(this.key).start(this.parent.idHex, facetClass, id ?? this.parent.id);
      this.#record.reportSettledTo(() => this.parent.settled());
    } catch (error) {
      this.#ended = error as Error;
      throw error;
    }
  }

  /** Ended by the parent, failed to start, or reset on its own: get() starts a new one. */
  get ended(): boolean {
    return this.#ended !== undefined || this.#incarnation?.broken !== undefined;
  }

  live(): Incarnation {
    if (this.#ended !== undefined) throw this.#ended;
    const incarnation = this.record().live(this.name);
    this.#incarnation = incarnation;
    return incarnation;
  }

  record(): ObjectRecord {
    if (this.#record === undefined) throw new Error("durasim internal: a facet was reached before it started.");
    return this.#record;
  }

  running(): boolean {
    return this.#record?.running !== undefined;
  }

  holdsParent(): boolean {
    return this.#ended === undefined && (this.#incarnation?.holdsParent ?? false);
  }

  end(error: Error): void {
    this.#ended = error;
    this.#incarnation?.reset(error);
  }

  evict(): void {
    this.#record?.evict();
  }
}

/**
 * The startup options the callback gives (an object, or a promise of one), converted as the
 * runtime converts them: `class` must be a class the Worker exports (see facet-classes.ts);
 * `id` a Durable Object id or a string (without one, the facet shows its parent's id).
 */
async function startupOptions(startup: () => unknown): Promise<{ facetClass: FacetClass; id: DurableObjectId | string | undefined }> {
  const given = startup();
  if (given !== undefined && given !== null && typeof given !== "object" && typeof given !== "function") {
    throw new TypeError(CALLBACK_RESULT_NOT_PROMISE);
  }
  const options = (await given) as { class?: unknown; id?: unknown } | undefined | null;
  if (options === undefined || options === null) throw new TypeError(NO_OPTIONS);
  const facetClass = facetClassOf(options.class);
  if (facetClass === undefined) throw new TypeError(BAD_CLASS);
  const id = options.id;
  // Anything else is converted to a string (a Symbol's conversion throws), which ctx.id then is.
  return { facetClass, id: id === undefined || DurableObjectId.is(id) ? id : `${id as string}` };
}

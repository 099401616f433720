import { FIRST_SUBCLASS_FLAG } from "../../storage/coalescer.js";
import { ObjectStorage, type StorageKind, type StorageSnapshot } from "../../storage/object-storage.js";
import type { SqlitePersistence } from "../../storage/backends/sqlite.js";
import { COMMIT_FAILED_MESSAGE, type StoragePolicy } from "../../storage/policy.js";
import { type CodeFeatures, NEWEST_CODE_FEATURES } from "../code-features.js";
import { unflaggedError, withFlags } from "../errors.js";
import type { DurableObjectId } from "../ids.js";
import { type AlarmHost, type AlarmTarget, ObjectAlarm } from "../lifecycle/alarms.js";
import type { Clock } from "../lifecycle/clock.js";
import type { Evictable, EvictionPolicy } from "../lifecycle/eviction.js";
import type { ObjectUsage } from "../usage/object-usage.js";
import { Incarnation, type IncarnationHost, type LingeringInstance } from "./incarnation.js";
import { type HibernationOwner, ObjectHibernation } from "./sockets.js";
import type { DurableObjectState, FacetSet } from "./state.js";

/** What an object needs from its namespace. */
export interface ObjectNamespace {
  readonly env: object;
  /** The ID `ctx.id` shows: named only when the object was reached by a name it may expose. */
  contextId(hex: string, name: string | undefined): DurableObjectId;
  /** The Durable Object class of object `hex` (a facet's is its own), once the Worker's module is loaded. */
  objectClass(hex: string): new (ctx: DurableObjectState, env: object) => object;
  /** KV-backed or SQLite-backed: decides the backend and the storage policy. */
  readonly storageKind: StorageKind;
  /** The hosting Worker's compatibility feature: storage.deleteAll() also deletes the alarm. */
  readonly deleteAllDeletesAlarm: boolean;
  /** The hosting Worker's compatibility features (default: the newest date's). */
  readonly codeFeatures?: CodeFeatures;
  /** Object code's time (`Date.now()`). */
  now(): number;
  /** The emulator's clock: alarms, idle eviction and timeouts. */
  readonly clock: Clock;
  readonly eviction: EvictionPolicy;
  /** The namespace is declared with `preventEviction`: its objects are never evicted on their own. */
  readonly preventEviction: boolean;
  /** Keys the objects' storage and IDs. */
  readonly uniqueKey: string;
  /** Where object `hex` keeps its database on disk (`name`: the name it was reached by, read later); undefined: in memory. */
  persistedStorage(hex: string, name: () => string | undefined): SqlitePersistence | undefined;
  /** The current record of an object (a forgotten one is replaced by a new record). */
  record(hex: string): ObjectRecord;
  /** Drops an evicted object's record that holds no data, so touching many ids stays bounded. */
  forget(record: ObjectRecord): void;
  /** The object's usage counters (they outlive its records: see NamespaceRuntime.usageOf). */
  usageOf(hex: string): ObjectUsage;
  /** Evicted instances whose events still run (see Incarnation.evict), ended when the emulator is disposed. */
  readonly lingering: Set<LingeringInstance>;
  /** The facets an instance of object `hex` starts, `id` being its ctx.id (see runtime/facets.ts). */
  instanceFacets(hex: string, id: DurableObjectId, settled: () => void): FacetSet;
  /** What `ctx.props` shows in object `hex` (a facet's props), if anything. */
  propsOf(hex: string): Record<string, unknown> | undefined;
  /** The string `ctx.id` shows in object `hex` (a facet started with a startup `id` that is no id), if any. */
  shownIdOf(hex: string): string | undefined;
  /** Its objects are facets (see facets.ts). */
  readonly isFacet: boolean;
}

/** What becomes of an object's hibernatable WebSockets when it is evicted. */
export type EvictedWebSockets = "hibernate" | "close";

/** The `webSockets` option of an eviction, checked as the runtime checks it ("hibernate" by default). */
export function evictedWebSockets(options: { webSockets?: unknown } | undefined): EvictedWebSockets {
  const webSockets = options?.webSockets ?? "hibernate";
  if (webSockets !== "hibernate" && webSockets !== "close") {
    throw new TypeError('options.webSockets must be "hibernate" or "close".');
  }
  return webSockets;
}

/** The record's flag (in its storage's field of flags): an incarnation was started (see started). */
const STARTED = FIRST_SUBCLASS_FLAG;

/**
 * What only some objects use: an alarm schedule (made by the first setAlarm()) and hibernatable
 * WebSockets (made by the first use of that API). One object for both, made by the first use of
 * either, so an object that uses neither costs one field.
 */
class RecordExtras {
  alarm: ObjectAlarm | undefined;
  hibernation: ObjectHibernation | undefined;
  /** A facet's: told whenever its instance's events settle, as its parent instance waits on them. */
  facetSettled: (() => void) | undefined;
}

/**
 * One Durable Object (one ID in one namespace). Its storage outlives instances: a reset or an
 * eviction ends the current incarnation, and the next event starts a new one on the same data.
 * The record is its storage (it extends ObjectStorage, whose meter is the object's usage): one
 * object per Durable Object where a record and its storage cost two, and the pointers between them.
 */
export class ObjectRecord extends ObjectStorage<ObjectUsage> implements AlarmHost, Evictable, IncarnationHost, HibernationOwner {
  #live: Incarnation | undefined;
  /** The alarm schedule and the hibernatable WebSockets (see RecordExtras); made by the first use of either. */
  #extras: RecordExtras | undefined;
  /** The name the object was reached by; persisted with the alarm, so alarm() sees `ctx.id.name`. */
  #name: string | undefined;
  // The eviction policy's links (see Evictable): the record is its entry in the list of idle objects.
  idleOlder: Evictable | undefined;
  idleNewer: Evictable | undefined;
  idleSince: Evictable["idleSince"];

  constructor(
    readonly namespace: ObjectNamespace,
    readonly idHex: string,
  ) {
    super(
      namespace.storageKind,
      namespace.usageOf(idHex),
      // Read when an alarm is written, long after the record is made.
      namespace.persistedStorage(idHex, () => this.#name),
    );
  }

  /**
   * An incarnation was started: the object exists, as the runtime lists objects (a flag here
   * instead of a Set entry in the namespace, which keeps the ids of dropped records only).
   */
  get started(): boolean {
    return this.flagged(STARTED);
  }

  set started(started: boolean) {
    this.flag(STARTED, started);
  }

  /** Its storage (itself: see the class comment). */
  get storage(): ObjectStorage {
    return this;
  }

  /** What the object did, counted as production bills it (the storage's meter). */
  get usage(): ObjectUsage {
    return this.meter;
  }

  protected afterCommit(): void {
    this.#extras?.alarm?.sync();
  }

  get deleteAllDeletesAlarm(): boolean {
    return this.namespace.deleteAllDeletesAlarm;
  }

  get codeFeatures(): CodeFeatures {
    return this.namespace.codeFeatures ?? NEWEST_CODE_FEATURES;
  }

  commitFailed(error: Error): void {
    this.#live?.reset(commitFailure(this.policy, error));
  }

  /** Remembers the name the object was reached by (an alarm index entry carries it) without starting it. */
  rememberName(name: string | undefined): void {
    this.#name ??= name;
  }

  /**
   * The running incarnation, or a new one (constructed by its first event). `name` is the name
   * the caller reached the object by; a new incarnation exposes it as `ctx.id.name`.
   */
  live(name: string | undefined): Incarnation {
    this.#name ??= name;
    if (this.#live === undefined || this.#live.broken !== undefined) {
      this.started = true;
      this.#live = new Incarnation(this, this.namespace.contextId(this.idHex, name));
    }
    return this.#live;
  }

  get current(): Incarnation | undefined {
    return this.#live;
  }

  /** The name the object was first reached by, if any. */
  get name(): string | undefined {
    return this.#name;
  }

  /** The live incarnation, unless it is broken (then the next event makes a new one). */
  get running(): Incarnation | undefined {
    const live = this.#live;
    return live !== undefined && live.broken === undefined ? live : undefined;
  }

  /** The live incarnation, constructed if the object is not running (a hibernated object wakes). */
  wake(): Incarnation {
    return this.live(this.#name);
  }

  now(): number {
    return this.namespace.now();
  }

  hibernation(): ObjectHibernation {
    const extras = (this.#extras ??= new RecordExtras());
    return (extras.hibernation ??= new ObjectHibernation(this));
  }

  instanceEnded(keep: boolean): void {
    if (keep) this.#extras?.hibernation?.manager.hibernate();
    else this.closeWebSockets();
  }

  /** Disconnects every hibernatable WebSocket (close 1006 for the clients) and forgets the settings. */
  closeWebSockets(): void {
    const extras = this.#extras;
    const hibernation = extras?.hibernation;
    if (extras !== undefined) extras.hibernation = undefined;
    hibernation?.manager.disconnectAll();
  }

  get env(): object {
    return this.namespace.env;
  }

  get clock(): Clock {
    return this.namespace.clock;
  }

  get lingering(): Set<LingeringInstance> {
    return this.namespace.lingering;
  }

  objectClass(): new (ctx: DurableObjectState, env: object) => object {
    return this.namespace.objectClass(this.idHex);
  }

  instanceFacets(id: DurableObjectId, settled: () => void): FacetSet {
    return this.namespace.instanceFacets(this.idHex, id, settled);
  }

  get props(): Record<string, unknown> | undefined {
    return this.namespace.propsOf(this.idHex);
  }

  get shownId(): string | undefined {
    return this.namespace.shownIdOf(this.idHex);
  }

  get isFacet(): boolean {
    return this.namespace.isFacet;
  }

  /** The namespace's current record of this id (a forgotten record is replaced), and its live incarnation. */
  successor(name: string | undefined): Incarnation {
    return this.namespace.record(this.idHex).live(name);
  }

  settingAlarm(): number {
    return this.alarm().settingAlarm();
  }

  runningAlarm(): number | null {
    return this.#extras?.alarm?.runningAlarm() ?? null;
  }

  alarmSet(time: number): void {
    this.alarm().alarmSet(time);
  }

  markUsed(): void {
    this.namespace.eviction.used(this);
  }

  markIdle(): void {
    this.namespace.eviction.idle(this);
  }

  dropReset(instance: Incarnation): void {
    if (this.#live === instance) this.evict();
  }

  eventsSettled(): void {
    this.#extras?.facetSettled?.();
  }

  /** (A facet's record) `settled` hears whenever what kept its instance busy may have ended (see eventsSettled). */
  reportSettledTo(settled: () => void): void {
    (this.#extras ??= new RecordExtras()).facetSettled = settled;
  }

  /** The alarm schedule, created by the first setAlarm() (or runAlarm()); commits re-arm it. */
  alarm(): ObjectAlarm {
    const extras = (this.#extras ??= new RecordExtras());
    return (extras.alarm ??= new ObjectAlarm(this, this.namespace.clock));
  }

  get idle(): boolean {
    return this.#live?.idle ?? true;
  }

  get quiet(): boolean {
    return this.#live?.quiet ?? true;
  }

  get preventEviction(): boolean {
    return this.namespace.preventEviction;
  }

  /**
   * Waits until the live instance is idle (no event in flight, timer pending, lent capability or
   * accepted WebSocket), as workerd's test eviction waits: calls made meanwhile reach that same
   * instance and are waited for too, so two instances of the object never run at once.
   */
  async drain(): Promise<void> {
    for (let live = this.#live; live?.busy; live = this.#live) await live.drained();
  }

  /**
   * Drops the live instance (see Incarnation.evict); storage and the alarm stay. Hibernatable
   * WebSockets stay open for the next instance, or are closed with `webSockets: "close"`.
   */
  evict(webSockets: EvictedWebSockets = "hibernate"): void {
    const live = this.#live;
    if (webSockets === "close") this.closeWebSockets();
    if (live === undefined) return;
    this.#live = undefined;
    this.namespace.eviction.dropped(this);
    live.evict();
    this.#extras?.hibernation?.manager.hibernate();
    if (this.#live !== undefined) return;
    // An evicted object keeps no database open: production frees an evicted object's memory,
    // and open databases share one WASM heap that never shrinks. One that holds nothing is
    // forgotten (its next instance opens its storage anew), out of dispose()'s reach: so closed.
    if (this.holdsNothing()) {
      this.backend.close();
      this.namespace.forget(this);
    } else this.backend.park?.();
  }

  /**
   * Puts the object's storage back to `snapshot` (undefined: empty), as `emu.restore()` does:
   * the live instance is dropped (callers still waiting fail with `reason`), the alarm is
   * re-armed from the restored storage, and the next event constructs a new instance.
   */
  restore(snapshot: StorageSnapshot | undefined, reason: Error): void {
    const live = this.#live;
    if (live !== undefined) {
      this.#live = undefined;
      this.namespace.eviction.dropped(this);
      // Calls in flight fail; stubs are not broken by it, they reach the next instance.
      live.reset(reason);
      live.evict();
      live.unbindStubs();
    }
    const changed = this.restoreContent(snapshot);
    // Unchanged storage keeps its schedule, unless a handler of the dropped instance is still
    // running: finishing, it would write to the restored storage.
    if (!changed && !this.#extras?.alarm?.running) return;
    this.#extras?.alarm?.cancel();
    if (this.#extras !== undefined) this.#extras.alarm = undefined;
    if ((snapshot?.alarm ?? null) !== null) this.alarm().sync();
  }

  /** No data, no alarm, no open WebSocket: forgetting the record loses nothing (see ObjectStorage.holdsNothing). */
  protected override holdsNothing(): boolean {
    return (this.#extras?.hibernation?.manager.size ?? 0) === 0 && super.holdsNothing();
  }

  storedAlarm(): number | null {
    return this.backend.getAlarm();
  }

  writeAlarm(time: number | null): void {
    this.beginWrite();
    this.backend.setAlarm(time);
  }

  commit(): void {
    this.flush();
  }

  get alarmChangeCancelsArmedRun(): boolean {
    return this.policy.alarmChangeCancelsArmedRun;
  }

  get abortedAlarmOutlivesItsSchedule(): boolean {
    return this.policy.abortedAlarmOutlivesItsSchedule;
  }

  get newAlarmWaitsForPendingRetry(): boolean {
    return this.policy.newAlarmWaitsForPendingRetry;
  }

  alarmTarget(): AlarmTarget {
    return this.wake();
  }

  /**
   * Ends the object for good, data and alarm included (its instance must already be reset):
   * the namespace drops this record, and the next event starts a new, empty object. The record
   * lets go of its ended instance and leaves the idle list: what may still reach the record (a
   * client's WebSocket, a Response, a stub user code keeps) holds neither the instance nor data.
   */
  destroy(): void {
    this.discard();
    this.#extras?.alarm?.cancel();
    this.backend.close();
    this.#live = undefined;
    this.namespace.eviction.dropped(this);
  }

  /** Makes the next commit of this object's storage fail (fault injection for tests). */
  failNextCommit(error?: Error): void {
    if (error !== undefined) injected.add(error);
    this.injectCommitFailure(error ?? withFlags(new Error(COMMIT_FAILED_MESSAGE), { durableObjectReset: true }));
  }
}

/** Errors a test injected (emu.failNextCommit): their commit failure is deliberate, not logged. */
const injected = new WeakSet<Error>();

/** The error a failed commit turns the caller's result into (production's wording per backend). */
function commitFailure(policy: StoragePolicy, error: Error): Error {
  if ((error as { durableObjectReset?: boolean }).durableObjectReset) return error;
  const { message, flagged } = policy.commitFailure(error);
  // Production's words may hide the cause (a disk error is "internal error; reference = ..."),
  // which workerd logs beside the reference: say it here too, or a failing test has no lead.
  if (!message.includes(error.message) && !injected.has(error)) console.error(`durasim: a Durable Object's commit failed (${error.message}); its caller sees "${message}".`);
  return flagged ? withFlags(new Error(message), { durableObjectReset: true }) : unflaggedError(new Error(message));
}

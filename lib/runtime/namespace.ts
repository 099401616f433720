import { Buffer } from "node:buffer";
import type { StorageKind, StorageSnapshot } from "../storage/object-storage.js";
import type { SqlitePersistence } from "../storage/backends/sqlite.js";
import type { Persistence } from "../storage/persist/persistence.js";
import { type CodeFeatures, NEWEST_CODE_FEATURES } from "./code-features.js";
import { DurableObjectId, IdFactory, MAX_EXPOSED_NAME_BYTES } from "./ids.js";
import type { Clock } from "./lifecycle/clock.js";
import type { EvictionPolicy } from "./lifecycle/eviction.js";
import type { FacetClass } from "./facet-classes.js";
import { type FacetNamespace, InstanceFacets } from "./facets.js";
import { type ObjectNamespace, ObjectRecord } from "./object/record.js";
import type { LingeringInstance } from "./object/incarnation.js";
import type { DurableObjectState, FacetSet } from "./object/state.js";
import { UsageLedger } from "./usage/ledger.js";
import { ObjectUsage } from "./usage/object-usage.js";
import { addUsage, emptyUsage, type NamespaceUsage, type ObjectUsageReport } from "./usage/usage.js";

/** What a namespace needs from the Worker that exports its class. */
export interface NamespaceHost {
  readonly env: object;
  /** Pending while the emulator loads what objects need (see Readiness); undefined once loaded. */
  readonly ready: Promise<void> | undefined;
  exportedClass(className: string): new (ctx: DurableObjectState, env: object) => object;
  now(): number;
  readonly clock: Clock;
  readonly eviction: EvictionPolicy;
  /** Where objects' storage lives on disk; undefined: in memory. */
  readonly persistence: Persistence | undefined;
  /** The Worker's compatibility feature: storage.deleteAll() also deletes the alarm. */
  readonly deleteAllDeletesAlarm: boolean;
  /** The hosting Worker's compatibility features (default: the newest date's). */
  readonly codeFeatures?: CodeFeatures;
  assertUsable(): void;
  /** What the namespace keeps of this host once its emulator is disposed (see NamespaceRuntime.end). */
  ended(): NamespaceHost;
}

export interface NamespaceConfig {
  /** Keys IDs and storage: `${scriptName}-${className}`, or a stable id. */
  uniqueKey: string;
  className: string;
  /** KV-backed or SQLite-backed. */
  storageKind: StorageKind;
  /** Objects are never evicted for idleness or by the live-instance cap (workerd's `preventEviction`). */
  preventEviction: boolean;
  /** The namespace holds facets (see facet()), which cannot set alarms. */
  facet?: boolean;
}

/** A namespace's objects at one moment (see NamespaceRuntime.snapshot). */
export interface NamespaceSnapshot {
  readonly objects: ReadonlyMap<string, StorageSnapshot>;
  readonly started: ReadonlySet<string>;
  /** The namespaces of the objects' facets, by facet name (see facet()). */
  readonly facets?: ReadonlyMap<string, NamespaceSnapshot>;
}

/** How a facet was started: its class and props, and the id its ctx.id shows (see NamespaceRuntime.start). */
interface FacetStart extends FacetClass {
  readonly id: DurableObjectId | string;
}

const EMPTY_NAMESPACE: NamespaceSnapshot = { objects: new Map(), started: new Set() };

/**
 * All objects of one Durable Object class: their IDs, their records (created on first use,
 * forgotten when an evicted object holds nothing), and what the objects need from the
 * emulator. The `env` binding over it is namespace-binding.ts.
 */
export class NamespaceRuntime implements ObjectNamespace, FacetNamespace {
  readonly ids: IdFactory;
  readonly #records = new Map<string, ObjectRecord>();
  /**
   * Objects that were started (constructed for an event) and whose record was dropped since;
   * a record says whether its object was (ObjectRecord.started).
   */
  readonly #startedWithoutRecord = new Set<string>();
  /** The usage counters of objects without a record (see UsageLedger); a record holds its own. */
  readonly #usage: UsageLedger;
  /** Evicted instances whose events still run (their timers with them), until the emulator that owns them is disposed. */
  readonly lingering = new Set<LingeringInstance>();
  /** The namespaces of this namespace's facets, by facet name (made by the first use of each). */
  #facets: Map<string, NamespaceRuntime> | undefined;
  /** In a facet's namespace: each facet's class, ctx.id and ctx.props, by its parent's id (see start). */
  #facetStarts: Map<string, FacetStart> | undefined;
  /** A facet's namespace: the namespace of the parents, whose usage counters its objects share (see usageOf). */
  #parent: NamespaceRuntime | undefined;
  /** A facet's namespace: the facets' name. */
  #facetName: string | undefined;

  constructor(
    readonly config: NamespaceConfig,
    private host: NamespaceHost,
  ) {
    this.ids = new IdFactory(config.uniqueKey);
    this.#usage = new UsageLedger(() => new ObjectUsage(this.config.storageKind, this.host.clock));
  }

  get env(): object {
    return this.host.env;
  }

  /**
   * A rename or transfer migration hands the namespace (its key, objects and data) to another
   * class, possibly of another Worker. Live instances end first: new ones are of the new class.
   */
  retarget(className: string, host: NamespaceHost): void {
    for (const record of [...this.#records.values()]) record.evict();
    this.config.className = className;
    this.host = host;
  }

  get ready(): Promise<void> | undefined {
    return this.host.ready;
  }

  objectClass(hex: string): new (ctx: DurableObjectState, env: object) => object {
    return this.host.exportedClass(this.#facetStarts?.get(hex)?.className ?? this.config.className);
  }

  get storageKind(): StorageKind {
    return this.config.storageKind;
  }

  get deleteAllDeletesAlarm(): boolean {
    return this.host.deleteAllDeletesAlarm;
  }

  get codeFeatures(): CodeFeatures {
    return this.host.codeFeatures ?? NEWEST_CODE_FEATURES;
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

  get uniqueKey(): string {
    return this.config.uniqueKey;
  }

  get isFacet(): boolean {
    return this.config.facet === true;
  }

  get persistence(): Persistence | undefined {
    return this.host.persistence;
  }

  /**
   * Arms the alarms the namespace's persisted objects hold (the emulator just opened their
   * directory): an overdue one fires at once, as production catches up after downtime.
   */
  wakePersistedAlarms(): void {
    for (const { id, name } of this.persistence?.scheduledAlarms(this.uniqueKey) ?? []) {
      const record = this.record(id);
      record.rememberName(name);
      record.alarm().sync();
    }
  }

  /**
   * The namespace of the facet named `name` of this namespace's objects: one object per parent
   * id, SQLite-backed, never evicted on its own (it goes with its parent instance), keyed
   * below this namespace so that its storage persists beside the parents'.
   */
  facet(name: string): NamespaceRuntime {
    const facets = (this.#facets ??= new Map());
    let facet = facets.get(name);
    if (facet === undefined) {
      const uniqueKey = `${this.uniqueKey}.facet-${Buffer.from(name).toString("hex")}`;
      facet = new NamespaceRuntime({ uniqueKey, className: "", storageKind: "sqlite", preventEviction: true, facet: true }, this.host);
      facet.#parent = this;
      facet.#facetName = name;
      facets.set(name, facet);
    }
    return facet;
  }

  instanceFacets(hex: string, id: DurableObjectId, settled: () => void): FacetSet {
    return new InstanceFacets({ id, idHex: hex, settled, facetNamespace: (name) => this.facet(name), facetNamespaces: () => this.#facetsOf(hex) });
  }

  /**
   * The namespaces of object `hex`'s facets: those used since the emulator started and, on disk,
   * those its facet index names (a facet an earlier emulator or `wrangler dev` started).
   */
  #facetsOf(hex: string): NamespaceRuntime[] {
    const names = new Set(this.#facets?.keys() ?? []);
    const persistence = this.persistence;
    if (persistence !== undefined) {
      const { root, path } = this.#place();
      for (const name of persistence.facetNames(root.uniqueKey, hex, path)) names.add(name);
    }
    return [...names].map((name) => this.facet(name));
  }

  /** The namespace of the root objects, and the facet names from there down to this namespace's facets. */
  #place(): { root: NamespaceRuntime; path: string[] } {
    if (this.#parent === undefined) return { root: this, path: [] };
    const { root, path } = this.#parent.#place();
    return { root, path: [...path, this.#facetName!] };
  }

  persistedStorage(hex: string, name: () => string | undefined): SqlitePersistence | undefined {
    const persistence = this.persistence;
    if (persistence === undefined) return undefined;
    if (this.#parent === undefined) return persistence.objectStorage(this.uniqueKey, hex, name);
    const { root, path } = this.#place();
    return persistence.facetStorage(root.uniqueKey, hex, path);
  }

  /** (In a facet's namespace) the record of the facet of object `hex`, to start as `facetClass` showing `id`. */
  start(hex: string, facetClass: FacetClass, id: DurableObjectId | string): ObjectRecord {
    (this.#facetStarts ??= new Map()).set(hex, { ...facetClass, id });
    return this.record(hex);
  }

  wipe(hex: string, error: Error): void {
    // restore() to nothing: storage emptied, alarm and live instance gone.
    if (this.#holds(hex)) this.record(hex).restore(undefined, error);
    // The facet's own facets go with it (keyed by the same id: see instanceFacets).
    for (const facet of this.#facetsOf(hex)) facet.wipe(hex, error);
  }

  /**
   * (In a facet's namespace) makes the facet of object `hex` a copy of that facet in `source`
   * (the namespace of another facet name): its committed storage and its own facets, all of
   * them; one `source` lacks is emptied. A live instance of the copy ends with `error`.
   */
  copyFrom(source: NamespaceRuntime, hex: string, error: Error): void {
    if (source.#holds(hex)) this.record(hex).restore(source.record(hex).storage.snapshot(), error);
    else if (this.#holds(hex)) this.record(hex).restore(undefined, error);
    const names = new Set([...this.#facetsOf(hex), ...source.#facetsOf(hex)].map((facet) => facet.#facetName!));
    for (const name of names) this.facet(name).copyFrom(source.facet(name), hex, error);
  }

  /** Object `hex` has a record or storage on disk. */
  #holds(hex: string): boolean {
    if (this.#records.has(hex)) return true;
    const persistence = this.persistence;
    if (persistence === undefined) return false;
    if (this.#parent === undefined) return persistence.storedIds(this.uniqueKey).includes(hex);
    const { root, path } = this.#place();
    return persistence.holdsFacet(root.uniqueKey, hex, path);
  }

  /** What `ctx.props` shows in object `hex`: a facet's props, if it was started with some. */
  propsOf(hex: string): Record<string, unknown> | undefined {
    return this.#facetStarts?.get(hex)?.props;
  }

  /** What `ctx.id` shows in object `hex` when it is a string (see FacetStart). */
  shownIdOf(hex: string): string | undefined {
    const facetId = this.#facetStarts?.get(hex)?.id;
    return typeof facetId === "string" ? facetId : undefined;
  }

  contextId(hex: string, name: string | undefined): DurableObjectId {
    const facetId = this.#facetStarts?.get(hex)?.id;
    if (facetId !== undefined && typeof facetId !== "string") return facetId;
    const exposed = name !== undefined && Buffer.byteLength(name) <= MAX_EXPOSED_NAME_BYTES ? name : undefined;
    return new DurableObjectId(hex, exposed);
  }

  record(hex: string): ObjectRecord {
    this.host.assertUsable();
    let record = this.#records.get(hex);
    if (record === undefined) {
      record = new ObjectRecord(this, hex);
      if (this.#startedWithoutRecord.delete(hex)) record.started = true;
      this.#records.set(hex, record);
    }
    return record;
  }

  /**
   * Takes over the objects of `previous`, this namespace's predecessor on the other backend (a
   * reconfiguration switched `useSQLite`), in memory: each keeps its KV entries, its alarm (armed
   * again here) and whether it was started, as on disk, where its database carries them. They
   * are read now, while the predecessor's storage is open, and written once `storageReady`
   * settles (the SQLite engine a SQLite-backed namespace needs: before the emulator is ready).
   */
  takeObjectsOf(previous: NamespaceRuntime, storageReady: Promise<void> | undefined): void {
    const objects = [...previous.#records].map(([hex, record]) => ({ hex, content: record.content(), started: record.started }));
    const startedWithoutRecord = [...previous.#startedWithoutRecord];
    const write = () => {
      for (const { hex, content, started } of objects) {
        const record = this.record(hex);
        record.takeContent(content);
        record.started = started;
        if (content.alarm !== null) record.alarm().sync();
      }
      for (const hex of startedWithoutRecord) if (!this.#records.has(hex)) this.#startedWithoutRecord.add(hex);
    };
    if (storageReady === undefined) write();
    else {
      void storageReady.then(() => {
        // An emulator disposed before the engine loaded has nothing to write to.
        try {
          this.host.assertUsable();
        } catch {
          return;
        }
        write();
      });
    }
  }

  /** Records of objects that were reached (constructed at least once). */
  records(): IterableIterator<ObjectRecord> {
    return this.#records.values();
  }

  /**
   * Every reached object's committed storage, by id (O(1) per object unchanged since the last
   * snapshot), and which objects were started.
   */
  snapshot(): NamespaceSnapshot {
    const objects = new Map<string, StorageSnapshot>();
    for (const [hex, record] of this.#records) objects.set(hex, record.storage.snapshot());
    const facets = this.#facets === undefined ? undefined : new Map([...this.#facets].map(([name, facet]) => [name, facet.snapshot()]));
    return { objects, started: this.#startedSet(), ...(facets === undefined ? {} : { facets }) };
  }

  /**
   * Puts every object back as `snapshot` has it: live instances are dropped (waiting callers
   * fail with `reason`), objects reached since are emptied and forgotten, and storage that has
   * not changed since is left as it is.
   */
  restore({ objects, started, facets }: NamespaceSnapshot = EMPTY_NAMESPACE, reason: Error): void {
    for (const [hex, record] of [...this.#records]) {
      record.restore(objects.get(hex), reason);
      if (objects.has(hex)) continue;
      // Dropped, it is out of end()'s reach: its storage closes now (the next event's record reopens it).
      record.destroy();
      this.#drop(record);
    }
    for (const [hex, objectSnapshot] of objects) {
      if (!this.#records.has(hex)) this.record(hex).restore(objectSnapshot, reason);
    }
    this.#startedWithoutRecord.clear();
    for (const record of this.#records.values()) record.started = started.has(record.idHex);
    for (const hex of started) if (!this.#records.has(hex)) this.#startedWithoutRecord.add(hex);
    // Facets made since the snapshot are emptied; those it holds are put back.
    for (const [name, facet] of this.#facets ?? []) facet.restore(facets?.get(name), reason);
    for (const [name, snapshot] of facets ?? []) if (!this.#facets?.has(name)) this.facet(name).restore(snapshot, reason);
  }

  /** Drops the record of an evicted object that holds no data: the next event starts afresh. */
  forget(record: ObjectRecord): void {
    if (this.#records.get(record.idHex) !== record) return;
    this.#drop(record, true);
  }

  /** Drops the record of an object; its usage counters stay (see UsageLedger.detach). */
  #drop(record: ObjectRecord, forgotten = false): void {
    this.#records.delete(record.idHex);
    if (record.started) this.#startedWithoutRecord.add(record.idHex);
    // A facet's counters are its parent's, which keeps them (see usageOf).
    if (this.#parent === undefined) this.#usage.detach(record.idHex, record.usage, forgotten);
  }

  /**
   * The counters of object `hex`. A facet's are its parent object's: production bills one
   * Durable Object for the work and storage of all its facets (see facets.ts for the requests).
   */
  usageOf(hex: string): ObjectUsage {
    return this.#parent === undefined ? this.#usage.attach(hex) : this.#parent.#currentUsage(hex);
  }

  /** The counters object `hex` counts on now, its record's or, without one, those kept for it. */
  #currentUsage(hex: string): ObjectUsage {
    if (this.#parent !== undefined) return this.#parent.#currentUsage(hex);
    return this.#records.get(hex)?.usage ?? this.#usage.held(hex);
  }

  /** One object's usage (zero if it was never reached), with what its storage holds now. */
  objectUsage(hex: string): ObjectUsageReport {
    const record = this.#records.get(hex);
    const usage = record?.usage ?? this.#usage.get(hex);
    const report: ObjectUsageReport = { id: hex, ...(usage === undefined ? emptyUsage() : usage.report()) };
    if (record !== undefined) {
      const stored = record.storage.stored();
      report.sqlite.databaseBytes = stored.databaseBytes + this.#facetsDatabaseBytes(hex);
      report.kv.keys = stored.keys;
      report.kv.bytes = stored.bytes;
      if (record.name !== undefined) report.name = record.name;
    }
    return report;
  }

  /** The bytes the databases of object `hex`'s facets (theirs included) hold, of those reached. */
  #facetsDatabaseBytes(hex: string): number {
    let bytes = 0;
    for (const facet of this.#facets?.values() ?? []) {
      bytes += (facet.#records.get(hex)?.storage.stored().databaseBytes ?? 0) + facet.#facetsDatabaseBytes(hex);
    }
    return bytes;
  }

  /** Every object's usage, and the namespace's totals. */
  usage(): NamespaceUsage {
    const totals = addUsage(emptyUsage(), this.#usage.retired);
    const objects: Record<string, ObjectUsageReport> = {};
    for (const hex of [...this.#records.keys(), ...this.#usage.ids()].sort()) {
      const report = this.objectUsage(hex);
      objects[hex] = report;
      addUsage(totals, report);
    }
    return { className: this.config.className, ...totals, objects };
  }

  /** Zeroes every counter (stretches of duration in progress count from now on). */
  clearUsage(): void {
    for (const record of this.#records.values()) record.usage.clear();
    this.#usage.clear();
  }

  /**
   * The ids of every object started in this namespace, in ascending order: an object exists
   * once an event reached it (even one its constructor failed), a bare stub creates nothing.
   */
  startedIds(): string[] {
    const stored = this.persistence?.storedIds(this.uniqueKey) ?? [];
    return [...new Set([...this.#startedSet(), ...stored])].sort();
  }

  /** The ids of every object started (records that say so, and those dropped since). */
  #startedSet(): Set<string> {
    const started = new Set(this.#startedWithoutRecord);
    for (const record of this.#records.values()) if (record.started) started.add(record.idHex);
    return started;
  }

  /** Resets every live instance with `error`; storage keeps what was committed. */
  abortAll(error: Error): void {
    for (const record of this.#records.values()) record.current?.reset(error);
    for (const facet of this.#facets?.values() ?? []) facet.abortAll(error);
  }

  /**
   * Ends every object as the emulator that owns the namespace is disposed: evicted instances
   * still running an event and live ones fail their callers (each with a `failure()` of its
   * own), WebSockets disconnect, storage closes (data on disk stays) and the records go, so a
   * stub, socket or Response user code keeps reaches none of the objects' instances or data.
   */
  end(failure: () => Error): void {
    for (const instance of [...this.lingering]) instance.reset(failure());
    for (const record of [...this.#records.values()]) {
      record.current?.reset(failure());
      record.closeWebSockets();
      record.destroy();
      this.#drop(record);
    }
    for (const facet of this.#facets?.values() ?? []) facet.end(failure);
    // User code may keep the namespace (a stub, a binding): it keeps no more of the emulator,
    // nor the usage counters of every object it reached, which emu.usage() no longer reports.
    this.host = this.host.ended();
    this.#usage.forgetAll();
  }

  /** Drops every object from memory (live instances reset with `error`); its data on disk is the caller's (see deleteAllObjects). */
  forgetAll(error: Error): void {
    for (const record of [...this.#records.values()]) {
      record.current?.reset(error);
      record.destroy();
      this.#drop(record);
    }
    this.#startedWithoutRecord.clear();
    for (const facet of this.#facets?.values() ?? []) facet.forgetAll(error);
  }
}

/**
 * Deletes every object of `namespaces` (one emulator's), data and alarms, all or none: their
 * directories move aside and the deletion commits first (a disk that refuses either leaves
 * every namespace as it was, as does a crash before the commit), then live instances reset
 * with `error` and memory forgets the objects, then the moved data goes.
 */
export function deleteAllObjects(namespaces: readonly NamespaceRuntime[], error: Error): void {
  const detached = namespaces[0]?.persistence?.detachNamespaces(namespaces.map((namespace) => namespace.uniqueKey));
  try {
    detached?.commit();
  } catch (refusal) {
    detached!.restore();
    throw refusal;
  }
  for (const namespace of namespaces) namespace.forgetAll(error);
  detached?.discard();
}

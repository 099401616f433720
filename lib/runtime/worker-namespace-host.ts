import type { Persistence } from "../storage/persist/persistence.js";
import type { CodeFeatures } from "./code-features.js";
import { EndedNamespaceHost } from "./ended-namespace-host.js";
import { type Clock, wallTime } from "./lifecycle/clock.js";
import type { EvictionPolicy } from "./lifecycle/eviction.js";
import type { NamespaceHost } from "./namespace.js";
import type { WorkerRuntime } from "./worker.js";

/** What every namespace of one emulator shares, whichever Worker hosts its class. */
export interface EmulatorServices {
  readonly clock: Clock;
  readonly eviction: EvictionPolicy;
  readonly persistence: Persistence | undefined;
  /** What calls wait for while the emulator loads modules (see Readiness). */
  pendingLoads(): Promise<void> | undefined;
  /** The compatibility features of the Worker named `worker` (undefined: not configured). */
  codeFeatures(worker: string): CodeFeatures | undefined;
  /** Its compatibility feature: storage.deleteAll() also deletes the alarm. */
  deleteAllDeletesAlarm(worker: string): boolean;
  assertUsable(): void;
}

/**
 * What a namespace needs from the Worker hosting its class (`worker()`: a migration may change
 * it). A class, not an object literal: V8 keeps a literal with getters in dictionary mode, where
 * every read is a generic lookup (about 70 instructions), and each RPC call reads the eviction
 * policy twice.
 */
export class WorkerNamespaceHost implements NamespaceHost {
  readonly clock: Clock;
  readonly eviction: EvictionPolicy;
  readonly persistence: Persistence | undefined;
  /** The time object code sees (Date.now(), faked or not); on the real clock, the clock's own. */
  readonly now = wallTime;

  constructor(
    private readonly services: EmulatorServices,
    private readonly worker: () => WorkerRuntime,
    /** Whether `worker()` can answer: a class several Workers declare is settled as modules load. */
    private readonly settled: () => boolean = () => true,
  ) {
    this.clock = services.clock;
    this.eviction = services.eviction;
    this.persistence = services.persistence;
  }

  get env(): object {
    return this.worker().env;
  }

  get ready(): Promise<void> | undefined {
    return this.services.pendingLoads();
  }

  exportedClass(className: string): ReturnType<NamespaceHost["exportedClass"]> {
    return this.worker().exportedClass(className);
  }

  get deleteAllDeletesAlarm(): boolean {
    return this.services.deleteAllDeletesAlarm(this.worker().name);
  }

  get codeFeatures(): CodeFeatures | undefined {
    return this.services.codeFeatures(this.worker().name);
  }

  assertUsable(): void {
    this.services.assertUsable();
  }

  ended(): NamespaceHost {
    // An emulator disposed before its modules loaded may never have settled the host: then no
    // instance ever ran, and nothing reads the Worker's env or features.
    const worker = this.settled() ? this.worker() : undefined;
    const { clock, eviction, persistence, services } = this;
    if (worker === undefined) return new EndedNamespaceHost(clock, eviction, persistence, {}, true, undefined);
    return new EndedNamespaceHost(clock, eviction, persistence, worker.env, services.deleteAllDeletesAlarm(worker.name), services.codeFeatures(worker.name));
  }
}

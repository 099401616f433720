import type { Persistence } from "../storage/persist/persistence.js";
import type { CodeFeatures } from "./code-features.js";
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

  /** What its namespace keeps once the emulator has ended (see EndedNamespaceHost). */
  ended(): NamespaceHost {
    const { pendingLoads, assertUsable } = this.services;
    return new EndedNamespaceHost({ pendingLoads, assertUsable }, this.persistence);
  }
}

/**
 * A namespace's host once its emulator has ended: what a namespace binding or stub that user
 * code keeps past dispose() still reaches. It keeps only what a use still asks before it fails
 * (whether loads are pending, the closed persistence listing stored ids) and refuses the rest
 * with the disposed error, so such a handle no longer holds the Worker, its env and exports,
 * the clock and the eviction policy.
 */
class EndedNamespaceHost implements NamespaceHost {
  constructor(
    private readonly services: Pick<EmulatorServices, "pendingLoads" | "assertUsable">,
    readonly persistence: Persistence | undefined,
  ) {}

  get ready(): Promise<void> | undefined {
    return this.services.pendingLoads();
  }

  assertUsable(): void {
    this.services.assertUsable();
  }

  ended(): NamespaceHost {
    return this;
  }

  get env(): never {
    return this.#refused();
  }

  exportedClass(): never {
    return this.#refused();
  }

  now(): never {
    return this.#refused();
  }

  get clock(): never {
    return this.#refused();
  }

  get eviction(): never {
    return this.#refused();
  }

  get deleteAllDeletesAlarm(): never {
    return this.#refused();
  }

  get codeFeatures(): never {
    return this.#refused();
  }

  /** The disposed error (the emulator has ended, so assertUsable() throws it). */
  #refused(): never {
    this.services.assertUsable();
    throw new Error("durasim internal: an ended namespace's host was used while its emulator is alive");
  }
}

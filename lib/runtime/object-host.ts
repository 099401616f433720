import { randomBytes } from "node:crypto";
import type { StorageBackend } from "../storage/backend.js";
import type { WriteCoalescer } from "../storage/coalescer.js";
import { ObjectStorage } from "../storage/object-storage.js";
import type { AlarmPolicy } from "../storage/operations.js";
import type { DurableObjectStorage, StorageOwner } from "../storage/storage.js";
import { type AlarmHost, type AlarmTarget, ObjectAlarm } from "./alarms.js";
import type { Clock } from "./clock.js";
import { withEnv } from "./current-env.js";
import {
  ABORT_DEFAULT_MESSAGE,
  COMMIT_FAILED_MESSAGE,
  copyError,
  resetError,
  STORAGE_SHUTDOWN_MESSAGE,
  unflaggedError,
  withFlags,
} from "./errors.js";
import type { EvictionPolicy, Evictable } from "./eviction.js";
import type { DurableObjectId } from "./ids.js";
import { type GateEvent, InputGate } from "./input-gate.js";
import { DurableObjectState, type StateHost } from "./state.js";

/** What an object needs from its namespace. */
export interface ObjectNamespace {
  readonly env: object;
  /** The ID `ctx.id` shows: named only when the object was reached by a name it may expose. */
  contextId(hex: string, name: string | undefined): DurableObjectId;
  /** The Durable Object class, once the Worker's module is loaded. */
  objectClass(): new (ctx: DurableObjectState, env: object) => object;
  createBackend(): StorageBackend;
  /** Object code's time (`Date.now()`). */
  now(): number;
  /** The emulator's clock: alarms, idle eviction and timeouts. */
  readonly clock: Clock;
  readonly eviction: EvictionPolicy;
  /** The namespace is declared with `preventEviction`: its objects are never evicted on their own. */
  readonly preventEviction: boolean;
  /** The current record of an object (a forgotten one is replaced by a new record). */
  record(hex: string): ObjectRecord;
  /** Drops an evicted object's record that holds no data, so touching many ids stays bounded. */
  forget(record: ObjectRecord): void;
}

/**
 * Receives an event's outcome, after the output gate has let it through. `replayed` marks the
 * error a broken incarnation repeats without running anything.
 */
export type Settle = (ok: boolean, value: unknown, replayed?: boolean) => void;

/** Runs an event's code against the instance and returns its (possibly async) result. */
export type Invoke = (instance: object) => unknown;

const MAX_BCW_DEPTH = 64;
const BCW_TIMEOUT_MS = 30_000;
const BCW_TIMEOUT_MESSAGE =
  "A call to blockConcurrencyWhile() in a Durable Object waited for too long. The call was canceled and the Durable Object was reset.";

/**
 * One Durable Object (one ID in one namespace). Its storage outlives instances: a reset or an
 * eviction ends the current incarnation, and the next event starts a new one on the same data.
 */
export class ObjectRecord implements AlarmHost, Evictable {
  readonly storage: ObjectStorage;
  #live: Incarnation | undefined;
  #alarm: ObjectAlarm | undefined;
  /** The name the object was reached by; persisted with the alarm, so alarm() sees `ctx.id.name`. */
  #name: string | undefined;

  constructor(
    readonly namespace: ObjectNamespace,
    readonly idHex: string,
  ) {
    const backend = namespace.createBackend();
    this.storage = new ObjectStorage(
      backend,
      () => namespace.now(),
      (error) => this.#live?.reset(commitFailure(backend, error)),
    );
    this.coalescer.onCommit(() => this.#alarm?.sync());
  }

  get backend(): StorageBackend {
    return this.storage.backend;
  }

  get coalescer(): WriteCoalescer {
    return this.storage.coalescer;
  }

  /**
   * The running incarnation, or a new one (constructed by its first event). `name` is the name
   * the caller reached the object by; a new incarnation exposes it as `ctx.id.name`.
   */
  live(name: string | undefined): Incarnation {
    this.#name ??= name;
    if (this.#live === undefined || this.#live.broken !== undefined) {
      this.#live = new Incarnation(this, this.namespace.contextId(this.idHex, name));
    }
    return this.#live;
  }

  get current(): Incarnation | undefined {
    return this.#live;
  }

  /** The alarm schedule, created by the first setAlarm() (or runAlarm()); commits re-arm it. */
  alarm(): ObjectAlarm {
    return (this.#alarm ??= new ObjectAlarm(this, this.namespace.clock));
  }

  get idle(): boolean {
    return this.#live?.idle ?? true;
  }

  get preventEviction(): boolean {
    return this.namespace.preventEviction;
  }

  /** Drops the live instance (see Incarnation.evict); storage and the alarm stay. */
  evict(): void {
    const live = this.#live;
    if (live === undefined) return;
    this.#live = undefined;
    this.namespace.eviction.dropped(this);
    live.evict();
    if (this.#live === undefined && this.#holdsNothing()) this.namespace.forget(this);
  }

  /**
   * No data and no alarm: forgetting the record loses nothing. Only the KV backend is checked,
   * as only it can tell (a SQLite database may hold tables without KV entries).
   */
  #holdsNothing(): boolean {
    const backend = this.backend;
    return (
      backend.kind === "kv" &&
      !this.coalescer.hasPendingWrites &&
      backend.getAlarm() === null &&
      backend.list({ limit: 1 }).length === 0
    );
  }

  storedAlarm(): number | null {
    return this.backend.getAlarm();
  }

  writeAlarm(time: number | null): void {
    this.coalescer.beginWrite();
    this.backend.setAlarm(time);
  }

  commit(): void {
    this.coalescer.flush();
  }

  alarmTarget(): AlarmTarget {
    return this.live(this.#name);
  }

  /** Makes the next commit of this object's storage fail (fault injection for tests). */
  failNextCommit(error?: Error): void {
    this.coalescer.failNextCommit(error ?? withFlags(new Error(COMMIT_FAILED_MESSAGE), { durableObjectReset: true }));
  }
}

/** An error reference like the runtime's: 24 lowercase base-32 characters (120 random bits). */
function errorReference(): string {
  let reference = "";
  for (const byte of randomBytes(24)) reference += (byte & 31).toString(32);
  return reference;
}

/** The error a failed commit turns the caller's result into (production's wording per cause). */
function commitFailure(backend: StorageBackend, error: Error): Error {
  if ((error as { durableObjectReset?: boolean }).durableObjectReset) return error;
  if (backend.kind === "sqlite" && error.message.includes("SQLITE_CONSTRAINT")) {
    return unflaggedError(
      new Error(
        "Durable Object was reset and rolled back to its last known good state because the application left " +
          `the database in a state where constraints were violated: ${error.message}`,
      ),
    );
  }
  if (backend.kind === "sqlite") return unflaggedError(new Error(`internal error; reference = ${errorReference()}`));
  return withFlags(new Error(COMMIT_FAILED_MESSAGE), { durableObjectReset: true });
}

/** One instance of the class: from its constructor until a reset or eviction. */
export class Incarnation implements StorageOwner, StateHost, AlarmTarget {
  readonly gate = new InputGate();
  readonly storage: DurableObjectStorage;
  readonly ctx: DurableObjectState;
  instance: object | undefined;
  #broken: Error | undefined;
  #evicted = false;
  /** Cleared by abort(reason, { retryAlarm: false }). */
  #retryAlarm = true;
  readonly #inflight = new Set<ObjectEvent>();
  #bcwDepth = 0;
  readonly alarmPolicy: AlarmPolicy;

  constructor(
    readonly record: ObjectRecord,
    readonly id: DurableObjectId,
  ) {
    this.storage = record.storage.open(this);
    this.ctx = new DurableObjectState(this);
    this.alarmPolicy = {
      assertCanSetAlarm: () => {
        // While the constructor runs there is no instance yet, and the runtime allows setAlarm().
        const instance = this.instance as { alarm?: unknown } | undefined;
        if (instance !== undefined && typeof instance.alarm !== "function") {
          throw new TypeError("Your Durable Object class must have an alarm() handler in order to call setAlarm()");
        }
      },
      // Read by setAlarm() alone, to clamp past times: the alarm schedule measures the alarm's
      // distance against this same reading.
      now: () => record.alarm().settingAlarm(),
    };
    this.gate.enqueue(new ConstructEvent(this));
  }

  get env(): object {
    return this.record.namespace.env;
  }

  /** The reset error, once the incarnation is broken. */
  get broken(): Error | undefined {
    return this.#broken;
  }

  get evicted(): boolean {
    return this.#evicted;
  }

  get retryAlarm(): boolean {
    return this.#retryAlarm;
  }

  /** No event queued, running or awaiting I/O, and the gate is open. */
  get idle(): boolean {
    return this.#inflight.size === 0 && this.gate.idle;
  }

  /** Delivers an event through the input gate; `settle` gets its outcome through the output gate. */
  submit(invoke: Invoke, settle: Settle): void {
    if (this.#broken) {
      settle(false, copyError(this.#broken), true);
      return;
    }
    // Something still holding this instance (an RpcTarget stub) reaches the next one instead.
    if (this.#evicted) {
      this.record.namespace.record(this.record.idHex).live(this.id.name).submit(invoke, settle);
      return;
    }
    this.record.namespace.eviction.used(this.record);
    const event = new ObjectEvent(this, invoke, settle);
    this.#inflight.add(event);
    this.gate.enqueue(event);
  }

  assertUsable(): void {
    if (this.#broken || this.#evicted) throw new Error(STORAGE_SHUTDOWN_MESSAGE);
  }

  async criticalSection<T>(fn: () => Promise<T>): Promise<T> {
    this.gate.lock();
    try {
      return await fn();
    } finally {
      this.gate.unlock();
    }
  }

  blockConcurrencyWhile<T>(callback: () => T | Promise<T>): Promise<T> {
    if (this.#bcwDepth >= MAX_BCW_DEPTH) {
      return Promise.reject(new Error("blockConcurrencyWhile() calls are nested too deeply."));
    }
    this.#bcwDepth++;
    this.gate.lock();
    let pending: Promise<T>;
    try {
      pending = Promise.resolve(callback());
    } catch (error) {
      pending = Promise.reject(error);
    }
    return new Promise<T>((resolve, reject) => {
      const clock = this.record.namespace.clock;
      let settled = false;
      const settle = () => {
        if (settled) return false;
        settled = true;
        timeout.cancel();
        this.#bcwDepth--;
        return true;
      };
      // On the emulator's clock: with the manual clock, advancing 30 s cancels the call.
      const timeout = clock.at(clock.now() + BCW_TIMEOUT_MS, () => {
        if (!settle()) return;
        const error = withFlags(new Error(BCW_TIMEOUT_MESSAGE), { overloaded: true, durableObjectReset: true });
        this.reset(error);
        reject(copyError(error));
      });
      pending.then(
        (value) => {
          if (!settle()) return;
          this.gate.unlock();
          resolve(value);
        },
        (error: unknown) => {
          if (!settle()) return;
          // A failed critical section breaks the input gate: the object resets.
          this.reset(resetError(error));
          this.gate.unlock();
          reject(error);
        },
      );
    });
  }

  abort(reason?: string, options?: { retryAlarm?: boolean }): never {
    const error = withFlags(new Error(reason === undefined ? ABORT_DEFAULT_MESSAGE : String(reason)), {
      durableObjectReset: true,
    });
    if (options?.retryAlarm === false) this.#retryAlarm = false;
    this.reset(error);
    // The runtime stops the object's code right here; throwing is the closest JS can get.
    throw error;
  }

  waitUntil(promise: unknown): void {
    // Durable Objects outlive their requests, so there is nothing to extend; keep the promise's
    // rejection from surfacing as an unhandled one, as the runtime only logs it.
    if (promise instanceof Promise) promise.catch(() => undefined);
  }

  /** Breaks this incarnation: uncommitted writes are discarded and every pending caller fails. */
  reset(error: Error): void {
    if (this.#broken) return;
    this.#broken = error;
    // After an eviction the open batch belongs to the next instance.
    if (!this.#evicted) this.record.coalescer.discard();
    this.gate.close(error);
    const inflight = [...this.#inflight];
    this.#inflight.clear();
    for (const event of inflight) event.fail(copyError(error));
  }

  /**
   * Eviction drops the instance, as the runtime does when it frees an idle object. Writes already
   * made are committed; events still running may finish, but their storage is closed (the
   * runtime stops storage access of a shut-down instance); events not yet started go to the next
   * instance, which the next event constructs.
   */
  evict(): void {
    if (this.#evicted) return;
    if (this.#broken === undefined) this.record.coalescer.flush();
    this.#evicted = true;
    for (const event of this.gate.takeQueued()) {
      if (!(event instanceof ObjectEvent)) continue;
      this.#inflight.delete(event);
      event.redeliver(this.record.live(this.id.name));
    }
  }

  /** @internal called by ObjectEvent */
  completed(event: ObjectEvent): void {
    this.#inflight.delete(event);
    if (this.#inflight.size === 0 && !this.#evicted) this.record.namespace.eviction.idle(this.record);
  }
}

/** The constructor, run as the first event under a locked gate. */
class ConstructEvent implements GateEvent {
  constructor(private readonly incarnation: Incarnation) {}

  start(): void {
    const incarnation = this.incarnation;
    const { gate, env } = incarnation;
    gate.lock();
    try {
      const ObjectClass = incarnation.record.namespace.objectClass();
      incarnation.instance = withEnv(env, () => new ObjectClass(incarnation.ctx, env));
    } catch (error) {
      incarnation.reset(resetError(error));
    } finally {
      gate.finished(this);
      gate.unlock();
    }
  }

  fail(): void {}
}

/** A call, fetch or alarm delivered to the instance. */
class ObjectEvent implements GateEvent {
  #done = false;

  constructor(
    private readonly incarnation: Incarnation,
    private readonly invoke: Invoke,
    private readonly settle: Settle,
  ) {}

  start(): void {
    const incarnation = this.incarnation;
    let result: unknown;
    try {
      result = withEnv(incarnation.env, () => this.invoke(incarnation.instance!));
    } catch (error) {
      this.#complete(false, error);
      return;
    }
    if (isThenable(result)) {
      result.then(
        (value) => this.#complete(true, value),
        (error) => this.#complete(false, error),
      );
    } else {
      this.#complete(true, result);
    }
  }

  fail(error: Error): void {
    if (this.#done) return;
    this.#done = true;
    this.settle(false, error);
  }

  /** Hands the event, not yet started, to another instance. */
  redeliver(target: Incarnation): void {
    this.#done = true;
    target.submit(this.invoke, this.settle);
  }

  #complete(ok: boolean, value: unknown): void {
    const incarnation = this.incarnation;
    incarnation.completed(this);
    if (!this.#done) {
      this.#done = true;
      // The output gate: the outcome leaves only after the writes made before it are durable.
      const coalescer = incarnation.record.coalescer;
      // (An evicted instance's storage is closed; the open batch, if any, is its successor's.)
      if (incarnation.broken === undefined && !incarnation.evicted && coalescer.holdsOutput) coalescer.flush();
      if (incarnation.broken !== undefined) this.settle(false, copyError(incarnation.broken));
      else this.settle(ok, value);
    }
    incarnation.gate.finished(this);
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

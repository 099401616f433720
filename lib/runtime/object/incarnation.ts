import type { AsyncResource } from "node:async_hooks";
import { types } from "node:util";
import type { AlarmPolicy, Completion } from "../../storage/api/operations.js";
import type { StorageOwner } from "../../storage/api/storage.js";
import type { StorageIoType } from "../../storage/io-types.js";
import type { ObjectStorage } from "../../storage/object-storage.js";
import { isConstructible } from "../../util/constructible.js";
import { errorReference } from "../../util/error-reference.js";
import { decrement } from "../../util/counter.js";
import { SlotSet } from "../../util/slot-set.js";
import { afterMicrotasks } from "../../util/turn.js";
import { classHasBrand, DURABLE_OBJECT_BRAND } from "../brands.js";
import { asObjectCode, currentCriticalSection, inCriticalSection, objectCodeOwner, objectCodeScope } from "../code-context.js";
import { type CodeFeatures, NEWEST_CODE_FEATURES } from "../code-features.js";
import { exportsOf, withEnv } from "../current-env.js";
import { logWorkerRejections } from "../worker-rejections.js";
import type { HibernationManager } from "../websockets/hibernation.js";
import { ABORT_DEFAULT_MESSAGE, copyError, inputGateBreak, isEndOfEmulatorError, isInputGateBreak, resetError, thrownReset, STORAGE_SHUTDOWN_MESSAGE, unflaggedError, withFlags, withStackWritten } from "../errors.js";
import { FIRST_OWNER_FLAG, type GateMeter, type InputGate } from "../gates/input-gate.js";
import { OutputGate, type PendingWrites } from "../gates/output-gate.js";
import type { DurableObjectId } from "../ids.js";
import { currentIoContext, ioContextRefusal } from "../io-context.js";
import type { ObjectCodeOwner } from "../object-code-owner.js";
import { ownerEnded } from "../open-bodies.js";
import { endIoContext } from "../io-context.js";
import type { AlarmTarget } from "../lifecycle/alarms.js";
import type { Clock, Timer } from "../lifecycle/clock.js";
import { INSTANCE_TIMERS, InstanceTimers, type TimerOwner } from "../lifecycle/timers.js";
import type { BilledRequest, ObjectUsage } from "../usage/object-usage.js";
import { ConstructEvent, type EventHost, type EventRequest, ObjectEvent } from "./events.js";
import { type EventHandlers, endedHandlers, eventHandlersOf } from "./event-handlers.js";
import { IncarnationSockets, type LiveInstance, type SocketOwner } from "./sockets.js";
import { DurableObjectState, type FacetSet, type StateHost } from "./state.js";
import { codeGlobal, inCodeRealm } from "../../util/code-realm.js";

/**
 * One instance of a Durable Object class, from its constructor until a reset or an eviction:
 * its input gate, its output gate, `ctx`, and the events in flight. A reset breaks the
 * incarnation for good (uncommitted writes are dropped, every pending caller fails); the next
 * event starts a new incarnation on the same storage.
 */

/** An evicted instance an event of which still runs: dispose ends it as it ends a live one. */
export interface LingeringInstance {
  reset(error: Error): void;
}

/** What an incarnation needs from its object (the ObjectRecord). */
export interface IncarnationHost {
  readonly storage: ObjectStorage;
  /** The hosting Worker's compatibility feature: storage.deleteAll() also deletes the alarm. */
  readonly deleteAllDeletesAlarm: boolean;
  /** The hosting Worker's compatibility features (default: the newest date's). */
  readonly codeFeatures?: CodeFeatures;
  readonly env: object;
  /** The emulator's clock (the blockConcurrencyWhile timeout). */
  readonly clock: Clock;
  objectClass(): new (ctx: DurableObjectState, env: object) => object;
  /** The incarnation that takes events once this one is evicted (constructed if needed). */
  successor(name: string | undefined): Incarnation;
  /** Object code is calling setAlarm(): the time it is set against (see ObjectAlarm.settingAlarm). */
  settingAlarm(): number;
  /** The alarm whose handler is running (see ObjectAlarm.runningAlarm). */
  runningAlarm(): number | null;
  /** Object code set the alarm to `time` (see ObjectAlarm.alarmSet). */
  alarmSet(time: number): void;
  /** An event was delivered: the object is now the most recently used. */
  markUsed(): void;
  /** The last event in flight finished. */
  markIdle(): void;
  /** `instance` was reset: if it is still the live one, the object drops it as an eviction would. */
  dropReset(instance: Incarnation): void;
  /** Something that kept the instance busy (an event, a lent capability, a socket, a timer) ended. */
  eventsSettled(): void;
  /** What the object did, counted as production bills it. */
  readonly usage: ObjectUsage;
  /** The object's hibernatable WebSockets (ctx.acceptWebSocket and the rest of that API). */
  hibernation(): { readonly manager: HibernationManager };
  /**
   * The incarnation ended: its hibernatable sockets stay (`keep`: the instance was only
   * dropped) or are disconnected and forgotten with the object's hibernation settings (a reset).
   */
  instanceEnded(keep: boolean): void;
  /** The facets an instance of the object starts, `id` being its ctx.id (see runtime/facets.ts). */
  instanceFacets(id: DurableObjectId, settled: () => void): FacetSet;
  /** What `ctx.props` shows (a facet's props), if anything. */
  readonly props: Record<string, unknown> | undefined;
  /** The string `ctx.id` shows instead of the id (a facet started with one), if any. */
  readonly shownId: string | undefined;
  /** The object is a facet: setting an alarm resets it (see IncarnationAlarms.alarmSet). */
  readonly isFacet: boolean;
  /** Evicted instances whose events still run, for the emulator to end at dispose. */
  readonly lingering: Set<LingeringInstance>;
}

/**
 * How many instances keep their code scope between events. A scope (an AsyncResource and, on
 * Node 24, the AsyncContextFrame it enters) is about 230 bytes, more than the rest of an idle
 * instance's gates; making one costs about as much as an RPC call's own bookkeeping. So the
 * instances that ran code most recently keep theirs, and one pushed out of that window makes a
 * new scope (naming the same owner: nothing its code observes changes) when it next runs code.
 * The window holds its instances weakly: it never keeps an evicted instance or a dropped
 * emulator alive.
 */
const KEPT_SCOPES = 512;
const scopeHolders: Array<WeakRef<Incarnation> | undefined> = [];
let nextScopeHolder = 0;

/**
 * Flags of an incarnation: evicted; abort() asked not to retry the running alarm; abort()
 * discarded uncommitted writes; its class does not extend DurableObject; its constructor returned
 * a Proxy. They live in its input gate's field of flags (see FIRST_OWNER_FLAG).
 */
const EVICTED = FIRST_OWNER_FLAG;
const NO_ALARM_RETRY = FIRST_OWNER_FLAG << 1;
const ABORT_DISCARDED_WRITES = FIRST_OWNER_FLAG << 2;
const LEGACY_CLASS = FIRST_OWNER_FLAG << 3;
/** Read once, as the instance is made: it never changes. */
const PROXY_INSTANCE = FIRST_OWNER_FLAG << 4;

const MAX_BCW_DEPTH = 64;
const BCW_TIMEOUT_MS = 30_000;
const BCW_TIMEOUT_MESSAGE =
  "A call to blockConcurrencyWhile() in a Durable Object waited for too long. The call was canceled and the Durable Object was reset.";

export class Incarnation extends OutputGate implements ObjectCodeOwner, StorageOwner, StateHost, AlarmTarget, EventHost, SocketOwner, TimerOwner, LiveInstance {
  /**
   * The async scope this instance's code runs in (it names this instance; see code-context.ts),
   * kept only while the instance is among the last KEPT_SCOPES to run code (see runCode).
   */
  #codeScope: AsyncResource | undefined;
  /** Its Worker's env, read once with the scope (every event runs with it current). */
  #env: object | undefined;
  /**
   * `ctx`, and through it the instance's storage and facets, until the instance is let go (see
   * #release): what still reaches the ended incarnation (a stub bound to it, a promise or stream
   * its code made, which carry it as their code's owner, a client's WebSocket) keeps no more.
   */
  #state: DurableObjectState | undefined;
  /**
   * The object, from its constructor until no event can run on it again (it is reset, or evicted
   * and its last event is over). Then it is let go: what may still reach this incarnation (a
   * stub bound to it, a client's WebSocket, a Response) must not keep an ended instance in memory.
   */
  instance: object | undefined;
  /** The instance's event handlers, as its constructor left them (see event-handlers.ts). */
  handlers: EventHandlers | undefined;
  /**
   * The events in flight: none, the one (most objects take one call at a time, and an object
   * kept a set of its own for it: about 100 bytes each), or a set of them while there are more.
   */
  #inflight: ObjectEvent | SlotSet<ObjectEvent> | undefined;
  /** What only some instances use (see InstanceExtras); made on first use. */
  #extras: InstanceExtras | undefined;
  /** What stubs that reached this instance hold of it (see StubBinding); made by the first. */
  #binding: StubBinding | undefined;

  constructor(
    private readonly host: IncarnationHost,
    readonly id: DurableObjectId,
  ) {
    super();
    this.#state = new DurableObjectState(this, host.storage.open(this));
    this.enqueue(new ConstructEvent(this));
  }

  /** `ctx`, while the instance may still run code (undefined once it is let go: see #state). */
  get ctx(): DurableObjectState | undefined {
    return this.#state;
  }

  /** What a stub that reached this instance keeps of it (see StubBinding). */
  get binding(): StubBinding {
    return (this.#binding ??= new StubBinding(this));
  }

  /** The instance is its own input gate (see InputGate). */
  get gate(): InputGate {
    return this;
  }

  /** The instance is its own output gate (see OutputGate). */
  get output(): OutputGate {
    return this;
  }

  protected get pendingWrites(): PendingWrites {
    return this.host.storage.coalescer;
  }

  protected get gateMeter(): GateMeter {
    return this.host.usage;
  }

  get sockets(): IncarnationSockets {
    const extras = this.extras();
    return (extras.sockets ??= new IncarnationSockets(this));
  }

  get alarmPolicy(): AlarmPolicy {
    const extras = this.extras();
    return (extras.alarmPolicy ??= new IncarnationAlarms(this, this.host));
  }

  get deleteAllDeletesAlarm(): boolean {
    return this.host.deleteAllDeletesAlarm;
  }

  get codeFeatures(): CodeFeatures {
    return this.host.codeFeatures ?? NEWEST_CODE_FEATURES;
  }

  /** How its storage serialises errors (StorageOwner): its Worker's enhanced_error_serialization. */
  get enhancedErrorSerialization(): boolean {
    return this.codeFeatures.enhancedErrorSerialization;
  }

  get env(): object {
    return this.host.env;
  }

  get shownId(): DurableObjectId | string {
    return this.host.shownId ?? this.id;
  }

  get props(): Record<string, unknown> | undefined {
    return this.host.props;
  }

  deletedAll(): void {
    this.facets.deleteAll();
  }

  get facets(): FacetSet {
    const extras = this.extras();
    return (extras.facets ??= this.host.instanceFacets(this.id, () => this.facetSettled()));
  }

  /** The hosting Worker's `exports` (what `ctx.exports` shows), unless its enable_ctx_exports is off. */
  get exports(): object | undefined {
    if (!this.codeFeatures.ctxExports) return undefined;
    return exportsOf(this.host.env) ?? {};
  }

  /**
   * Runs Worker code of this object, `fn(arg)`: as object code (owned by this instance, which
   * makes it the home of the WebSocketPairs it creates and names the gate host APIs hold), with
   * the Worker's env current.
   */
  runCode<A, T>(fn: (arg: A) => T, arg: A): T {
    const scope = this.#codeScope ?? this.newCodeScope();
    return asObjectCode(scope, withEnv<T, A>, this.#env!, fn, arg);
  }

  /**
   * Makes the instance's code scope (see KEPT_SCOPES). Apart from runCode, which every event
   * runs: V8 inlines a function into its caller by its whole size, rarely taken paths included,
   * within a budget per optimised caller, so what few calls need costs the hot path its inlining.
   */
  private newCodeScope(): AsyncResource {
    const scope = (this.#codeScope = objectCodeScope(this));
    logWorkerRejections();
    // An instance's Worker never changes (a migration that moves the class ends it first).
    this.#env = this.host.env;
    const pushedOut = scopeHolders[nextScopeHolder]?.deref();
    if (pushedOut !== undefined) pushedOut.#codeScope = undefined;
    scopeHolders[nextScopeHolder] = new WeakRef(this);
    nextScopeHolder = (nextScopeHolder + 1) % KEPT_SCOPES;
    return scope;
  }

  /** The timers this instance's code set (what the timer wrappers count them in: see timers.ts). */
  get [INSTANCE_TIMERS](): InstanceTimers {
    const extras = this.extras();
    if (extras.timers === undefined) {
      extras.timers = new InstanceTimers(this);
      // An ended instance's timers no longer count (see end and evict).
      if (this.broken !== undefined) extras.timers.cancel();
      else if (this.evicted) this.endTimers();
    }
    return extras.timers;
  }

  get webSockets(): HibernationManager {
    return this.host.hibernation().manager;
  }

  construct(): void {
    const ObjectClass = this.host.objectClass();
    // The runtime allows RPC by the exported class, not by what its constructor returned (an
    // object it hands back in place of `this` is the instance, but not what decides).
    if (!classHasBrand(ObjectClass, DURABLE_OBJECT_BRAND)) this.setOwnerFlag(LEGACY_CLASS);
    this.runCode(() => {
      // The runtime constructs the export as a function of no name (an arrow function fails so).
      if (!isConstructible(ObjectClass)) throw inCodeRealm(new TypeError("function is not a constructor"));
      const instance = new ObjectClass(this.#state!, this.host.env);
      if (types.isProxy(instance)) this.setOwnerFlag(PROXY_INSTANCE);
      this.handlers = eventHandlersOf(instance);
      this.instance = instance;
    }, undefined);
  }

  /** The reset error, once the incarnation is broken (its input gate keeps it: see end). */
  get broken(): Error | undefined {
    return this.closedWith ?? undefined;
  }

  /** Whether the class does not extend DurableObject (its object takes no RPC calls). */
  get legacyClass(): boolean {
    return this.ownerFlag(LEGACY_CLASS);
  }

  /** Whether the object is a facet another object started (ctx.facets). */
  get isFacet(): boolean {
    return this.host.isFacet;
  }

  get evicted(): boolean {
    return this.ownerFlag(EVICTED);
  }

  /** Whether the instance is a Proxy (see callClassMethod, which reads it on every call). */
  get proxyInstance(): boolean {
    return this.ownerFlag(PROXY_INSTANCE);
  }

  get retryAlarm(): boolean {
    return !this.ownerFlag(NO_ALARM_RETRY);
  }

  get abortDiscardedWrites(): boolean {
    return this.ownerFlag(ABORT_DISCARDED_WRITES);
  }

  /**
   * No event queued, running or awaiting I/O, the gate is open, and no accepted WebSocket is
   * open: evicting the instance fails nothing anyone waits for (its pending timers are cleared).
   */
  get quiet(): boolean {
    return this.#inflight === undefined && this.gateIdle && (this.#extras?.sockets?.idle ?? true);
  }

  /**
   * Quiet, and no timer its code set is pending: workerd does not evict an idle object while one
   * is (conformance "eviction: a pending timer keeps an idle object from eviction").
   */
  get idle(): boolean {
    const extras = this.#extras;
    return this.quiet && (extras === undefined || (!(extras.timers?.pending ?? false) && extras.lentCapabilities === 0 && !this.#heldByFacets()));
  }

  /**
   * Whether it keeps its parent from idle eviction, as a facet (or whether its facets keep it):
   * an event in flight or a capability someone holds does, as in workerd; a pending timer does
   * not (conformance "facets: ... eviction").
   */
  get holdsParent(): boolean {
    if (this.broken !== undefined || this.evicted) return false;
    const extras = this.#extras;
    return !this.quiet || (extras !== undefined && (extras.lentCapabilities > 0 || this.#heldByFacets()));
  }

  /** Its facets keep it busy; noted, so that their settling makes it idle anew (see facetSettled). */
  #heldByFacets(): boolean {
    const extras = this.#extras!;
    const held = extras.facets?.holdParent() ?? false;
    if (held) extras.facetsHeld = true;
    return held;
  }

  /** A facet's instance may have stopped keeping this one busy. */
  facetSettled(): void {
    const extras = this.#extras;
    if (extras?.facetsHeld !== true || extras.facets?.holdParent() === true) return;
    extras.facetsHeld = false;
    this.#mayBeIdle();
  }

  /**
   * A stub to a function or RpcTarget its code made was handed out: the instance is not idle
   * (not evicted, not hibernated) until the returned function runs (its last stub was disposed or
   * collected), as workerd keeps an object whose capability someone holds (conformance
   * "eviction: an object whose RpcTarget a caller holds ...").
   */
  lendCapability(): () => void {
    const extras = this.extras();
    extras.lentCapabilities++;
    return () => {
      if (--extras.lentCapabilities === 0) this.#mayBeIdle();
    };
  }

  /** What the object did, counted as production bills it (its sockets count themselves in). */
  get usage(): ObjectUsage {
    return this.host.usage;
  }

  socketsClosed(): void {
    this.#mayBeIdle();
  }

  timerSet(): void {
    this.host.usage.timerSet();
  }

  timerDone(): void {
    this.host.usage.timerDone();
    this.#mayBeIdle();
  }

  /** What kept the live instance busy after its events (a socket, a timer, a lent capability) has ended. */
  #mayBeIdle(): void {
    this.host.eventsSettled();
    if (!this.idle) return;
    this.#wakeDrainWaiters();
    if (!this.evicted && this.broken === undefined) this.host.markIdle();
  }

  /**
   * Delivers an event through the input gate; its request settles with the outcome through the output gate.
   * `billed` says what production bills it as (nothing: part of a session already billed, or
   * not a request at all). A facet's usage is its parent's: only messages from its WebSockets
   * come from outside the object; its parent's calls to it are part of the parent's request. A broken instance fails it on the spot, as a broken stub does; one
   * that broke while the request was `inFlight` to it fails it as it fails the events it had.
   */
  submit(request: EventRequest, billed?: BilledRequest, inFlight = false): void {
    if (this.broken !== undefined || this.evicted) return this.submitElsewhere(request, billed, inFlight);
    this.host.markUsed();
    const event = new ObjectEvent(this, request);
    if (billed !== undefined && (billed === "webSocketMessage" || !this.host.isFacet)) this.host.usage.request(billed);
    this.host.usage.eventStarted();
    this.addInflight(event);
    this.enqueue(event);
  }

  /**
   * submit() on an instance that ended: a broken one fails the request on the spot, an evicted
   * one hands it to its successor. (Apart from submit() for the reason newCodeScope gives.)
   */
  private submitElsewhere(request: EventRequest, billed: BilledRequest | undefined, inFlight: boolean): void {
    const broken = this.broken;
    if (broken !== undefined) {
      request.settle(false, copyError(broken), !inFlight);
      return;
    }
    // Something still holding this instance (an RpcTarget stub) reaches the next one instead.
    this.host.successor(this.id.name).submit(request, billed, inFlight);
  }

  /** False once reset or evicted: the instance's storage is closed for good. */
  get usable(): boolean {
    return this.broken === undefined && !this.evicted;
  }

  assertUsable(): void {
    if (!this.usable) throw new Error(STORAGE_SHUTDOWN_MESSAGE);
  }

  get inAnotherContext(): boolean {
    const current = currentIoContext();
    return current !== undefined && current !== this;
  }

  assertOwnContext(ioType: StorageIoType, needsActor = false): void {
    const refusal = ioContextRefusal(this, ioType);
    if (refusal === undefined) return;
    if (needsActor && objectCodeOwner() === undefined) throw new Error(`internal error; reference = ${errorReference()}`);
    throw refusal;
  }

  // This instance's writer (see BatchWriter in storage/coalescer.ts): each write asks it first.

  beginWrite(allowUnconfirmed = false): void {
    this.assertUsable();
    this.host.storage.coalescer.beginWrite(allowUnconfirmed);
  }

  flush(): void {
    this.assertUsable();
    this.host.storage.coalescer.flush();
  }

  commitAndConfirm(): void {
    this.assertUsable();
    this.host.storage.coalescer.commitAndConfirm();
  }

  hold(): () => void {
    this.assertUsable();
    return this.host.storage.coalescer.hold();
  }

  sync(): Promise<void> {
    this.assertUsable();
    return this.host.storage.coalescer.sync();
  }

  /**
   * Runs `fn` (a transaction's closure) as a critical section: the gate closes now, and `fn`
   * starts as a blockConcurrencyWhile() callback does (see #startInTurn), which is how the
   * runtime runs it.
   */
  criticalSection<T>(fn: () => Promise<T>): Promise<T> {
    const section = {};
    this.lock(section);
    let start!: () => void;
    const started = new Promise<void>((resolve) => (start = resolve));
    const result = started.then(() => inCriticalSection(section, fn)).finally(() => this.unlock(section));
    this.#startInTurn(start, result);
    return result;
  }

  /**
   * Starts a critical section once the caller's microtasks have run and the sections started
   * before it from the same place (no section, or the same enclosing one) have ended: the
   * runtime's sections take the input lock in turn, in call order, and one started inside
   * another nests in it. `ended` settles when this one ends. `start` gets the clock's time in
   * the turn it became free to start in (the call's, or the one the section before it ended
   * in): the runtime's clock stands still within a turn.
   */
  #startInTurn(start: (freeAt: number) => void, ended: Promise<unknown>): void {
    const siblings = (this.extras().lastSections ??= new WeakMap());
    const parent = currentCriticalSection() ?? this;
    const previous = siblings.get(parent);
    const last = ended.then(pass, pass);
    siblings.set(parent, last);
    const clock = this.host.clock;
    const startAfterMicrotasks = () => {
      const freeAt = clock.now();
      afterMicrotasks(() => start(freeAt));
    };
    if (previous === undefined) startAfterMicrotasks();
    else void previous.then(startAfterMicrotasks);
  }

  /**
   * Closes the input gate until `callback`'s promise settles. Like the runtime, the callback
   * starts only once the caller's microtasks have run (code after the call goes first); a
   * callback that fails, or that outlasts 30 s of the clock, resets the object.
   */
  blockConcurrencyWhile<T>(callback: () => T | Promise<T>): Promise<T> {
    const extras = this.extras();
    if (extras.bcwDepth >= MAX_BCW_DEPTH) {
      return Promise.reject(new Error("blockConcurrencyWhile() calls are nested too deeply."));
    }
    extras.bcwDepth++;
    const section = {};
    this.lock(section);
    let end!: () => void;
    const ended = new Promise<void>((resolve) => (end = resolve));
    const result = new Promise<T>((resolve, reject) => {
      const clock = this.host.clock;
      let settled = false;
      let timeout: Timer | undefined;
      const settle = () => {
        if (settled) return false;
        settled = true;
        end();
        timeout?.cancel();
        extras.bcwDepth = decrement(extras.bcwDepth, "blockConcurrencyWhile depth");
        return true;
      };
      this.#startInTurn((freeAt) => {
        // Reset before it could start (the runtime would never start it): it fails with the reset.
        const broken = this.broken;
        if (broken !== undefined) {
          settle();
          this.unlock(section);
          reject(copyError(broken));
          return;
        }
        // The 30 s count from the callback's start, not the call: time spent waiting for an
        // earlier critical section is not the callback's. On the emulator's clock: with the
        // manual clock, advancing 30 s cancels the call.
        timeout = clock.at(freeAt + BCW_TIMEOUT_MS, () => {
          if (!settle()) return;
          const error = withFlags(new Error(BCW_TIMEOUT_MESSAGE), { overloaded: true, durableObjectReset: true });
          this.reset(error);
          reject(copyError(error));
        });
        let pending: Promise<T>;
        try {
          pending = Promise.resolve(inCriticalSection(section, () => Reflect.apply(callback, codeGlobal(), [])));
        } catch (error) {
          pending = Promise.reject(error);
        }
        pending.then(
          (value) => {
            if (!settle()) return;
            this.unlock(section);
            resolve(value);
          },
          (error: unknown) => {
            if (!settle()) return;
            // A failed critical section breaks the input gate: the object resets, and the code
            // that awaits the section never resumes (the runtime drops the reset object's
            // continuations: a catch after it does not run); its callers get the reset error.
            this.reset(inputGateBreak(thrownReset(error)));
            this.unlock(section);
          },
        );
      }, ended);
    });
    // The documented pattern calls it from the constructor without awaiting it. Its failure
    // resets the object and reaches the callers; the runtime only logs the promise nobody
    // awaited, where Node would end the process (or a test runner the run) for it.
    result.catch(() => undefined);
    return result;
  }

  abort(reason: string | undefined, options: { retryAlarm: boolean }): never {
    const error = withFlags(new Error(reason ?? ABORT_DEFAULT_MESSAGE), { durableObjectReset: true });
    if (!options.retryAlarm) this.setOwnerFlag(NO_ALARM_RETRY);
    if (this.host.storage.coalescer.hasPendingWrites) this.setOwnerFlag(ABORT_DISCARDED_WRITES);
    this.reset(error);
    // The runtime stops the object's code right here; throwing is the closest JS can get.
    throw error;
  }

  waitUntil(_promise: Promise<unknown>): void {
    // Durable Objects outlive their requests, so there is nothing to extend (the promise's
    // rejection was kept quiet where ctx.waitUntil() made it: waitUntilPromise).
  }

  /**
   * Breaks this incarnation: uncommitted writes are discarded, every pending caller fails, and
   * every WebSocket of the object is disconnected (its hibernation settings go with it).
   */
  reset(error: Error): void {
    // At dispose() what the old code awaits fails instead (the emulator documents it); an
    // evicted instance's events may run to their end.
    if (this.closedWith === null && !this.evicted && !isEndOfEmulatorError(error)) this.silence(isInputGateBreak(error));
    this.end(error, false);
  }

  transactionFailed(error: Error): void {
    this.reset(resetError(error));
  }

  ungatedCompletion(): Completion {
    const section = currentCriticalSection();
    return (complete) => this.resume(complete, section, true);
  }

  /**
   * The event timeout of a hibernatable WebSocket ran out: the runtime drops the instance as it
   * would evict it (its callers fail with `error`), and the object's hibernatable sockets stay.
   */
  dropForTimeout(error: Error): void {
    this.end(error, true);
  }

  private end(reason: Error, keepHibernatable: boolean): void {
    if (this.closedWith !== null) return;
    const error = withStackWritten(reason);
    // The gate refuses new events at once; those already waiting fail below, after the batch.
    this.refuse(error);
    this.host.usage.instanceReset();
    this.#extras?.timers?.cancel();
    // After an eviction the open batch, and the outcomes queued on it, belong to the next instance.
    if (!this.evicted) {
      this.host.storage.coalescer.endOutcomes(isInputGateBreak(reason) ? undefined : error);
      this.host.storage.coalescer.discard();
    }
    // The events running fail before those queued behind them, as in workerd (the one that
    // reset the object first among them).
    const inflight = this.drainInflight();
    this.host.usage.eventsEnded(inflight.length);
    for (const event of inflight) event.fail(copyError(error));
    this.close(error);
    ownerEnded(this, error);
    endIoContext(this);
    this.#wakeDrainWaiters();
    this.#extras?.sockets?.disconnect();
    this.#extras?.facets?.end(error);
    if (!this.evicted) this.host.instanceEnded(keepHibernatable);
    else this.host.lingering.delete(this);
    // The emulator ended (disposed, or restored away): a stub's next call is refused by its
    // namespace with the same words, so stubs kept past dispose() need nothing of the instance.
    if (isEndOfEmulatorError(error)) this.unbindStubs();
    this.#release();
    // The object lets go of a reset instance at once, as an eviction does (its database parked):
    // the next event constructs a new one in any case, and before, the object held the ended
    // instance until then or until idle eviction (never, with preventEviction). At dispose()
    // the emulator ends every object itself.
    if (!this.evicted) {
      if (isEndOfEmulatorError(error)) this.host.markIdle();
      else this.host.dropReset(this);
    }
    this.host.eventsSettled();
  }

  /**
   * Eviction drops the instance, as the runtime does when it frees an idle object. Writes already
   * made are committed; events still running may finish, but their storage is closed (the
   * runtime stops storage access of a shut-down instance); events not yet started go to the next
   * instance, which the next event constructs.
   */
  evict(): void {
    if (this.evicted) return;
    const coalescer = this.host.storage.coalescer;
    if (this.broken === undefined) coalescer.flush();
    // A batch still open is held by an explicit transaction of this instance, which can no longer
    // finish (its storage is closed): it is dropped, as a reset drops it, so that no part of the
    // transaction commits and the next instance starts on the database as workerd opens it anew
    // (startSession() forgets this one's PRAGMAs by reopening it, which an open batch forbids).
    if (coalescer.hasPendingWrites) coalescer.discard();
    this.setOwnerFlag(EVICTED);
    // A stub bound to it reaches the next instance, unless it saw this one reset: that stub stays
    // broken for good, as in workerd, where eviction after the reset changes nothing for it
    // (conformance "eviction: a stub that saw its object reset stays broken ...").
    if (this.broken === undefined) this.unbindStubs();
    this.#wakeDrainWaiters();
    // Only hibernatable sockets outlive an instance; the runtime would not evict one with others.
    this.#extras?.sockets?.disconnect();
    this.#extras?.facets?.evict();
    for (const event of this.takeQueued()) {
      if (!(event instanceof ObjectEvent)) continue;
      this.deleteInflight(event);
      this.host.usage.eventsEnded(1);
      event.redeliver(this.host.successor(this.id.name));
    }
    this.endTimers();
  }

  /** Stubs bound to this instance reach the object's next instance from now on (see StubBinding). */
  unbindStubs(): void {
    if (this.#binding !== undefined) this.#binding.incarnation = undefined;
  }

  /**
   * An evicted instance's timers are cleared as a reset clears them: production evicts an object
   * with a timer pending only by ending its I/O context (memory pressure, a restart), and then
   * they never fire; workerd's idle eviction and `evict()` wait for them. But not while an event
   * of it still runs (emu.evict() lets it finish): it may await a timer. Until its last event
   * ends (see completed), they run on without counting, and the instance stays where dispose
   * ends it (failing those events, as a dispose fails a live instance's).
   */
  private endTimers(): void {
    if (this.#inflight === undefined) {
      this.#extras?.timers?.cancel();
      this.#endEvicted();
    } else {
      this.#extras?.timers?.close();
      this.host.lingering.add(this);
    }
  }

  /**
   * No event runs on the instance again: it is let go (see `instance`), with handlers that may
   * hold it, its `ctx` (see #state) and its code scope (remade if code of it ever runs again).
   */
  #release(): void {
    this.instance = undefined;
    this.#state = undefined;
    this.#codeScope = undefined;
    this.#env = undefined;
    if (this.handlers !== undefined) this.handlers = endedHandlers(this.handlers);
  }

  /**
   * Whether something keeps this instance from being evicted as an idle one (an event in flight,
   * a timer pending, a lent capability, an accepted WebSocket: see idle), on an instance that
   * neither ended nor was evicted. workerd's test eviction waits for all of them.
   */
  get busy(): boolean {
    return !this.idle && this.broken === undefined && !this.evicted;
  }

  /**
   * Resolves once the instance may no longer be busy: its events in flight ended (calls that
   * came meanwhile, included), or what else held it did, or it ended or was evicted otherwise.
   */
  drained(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => (this.extras().drainWaiters ??= []).push(resolve));
  }

  #wakeDrainWaiters(): void {
    const waiters = this.#extras?.drainWaiters;
    if (waiters === undefined) return;
    this.#extras!.drainWaiters = undefined;
    for (const wake of waiters) wake();
  }

  completed(event: ObjectEvent): void {
    if (this.deleteInflight(event)) this.host.usage.eventsEnded(1);
    if (this.#inflight !== undefined) return;
    this.host.eventsSettled();
    this.#wakeDrainWaiters();
    if (!this.evicted) {
      this.host.markIdle();
    } else {
      this.#extras?.timers?.cancel();
      this.host.lingering.delete(this);
      this.#endEvicted();
    }
  }

  /**
   * An evicted instance's last event is over: its I/O context ends, as production's does with
   * the instance, and what it held goes with it (a socket it opened, the functions and
   * RpcTargets it lent, which refuse later calls as a reset instance's do: before, a call
   * through a stub test code kept ran the old target beside the new instance, and kept the old
   * instance in memory).
   */
  #endEvicted(): void {
    endIoContext(this);
    this.#release();
  }

  private extras(): InstanceExtras {
    return (this.#extras ??= new InstanceExtras());
  }

  private addInflight(event: ObjectEvent): void {
    const inflight = this.#inflight;
    if (inflight === undefined) {
      this.#inflight = event;
    } else if (inflight instanceof SlotSet) {
      inflight.add(event);
    } else {
      const set = (this.#inflight = new SlotSet<ObjectEvent>());
      set.add(inflight);
      set.add(event);
    }
  }

  /** Removes `event` from the events in flight; false if it was not there. */
  private deleteInflight(event: ObjectEvent): boolean {
    const inflight = this.#inflight;
    if (inflight === event) {
      this.#inflight = undefined;
      return true;
    }
    if (!(inflight instanceof SlotSet) || !inflight.delete(event)) return false;
    if (inflight.size === 0) this.#inflight = undefined;
    return true;
  }

  /** Empties the events in flight; returns them in the order they were delivered. */
  private drainInflight(): ObjectEvent[] {
    const inflight = this.#inflight;
    this.#inflight = undefined;
    if (inflight === undefined) return [];
    return inflight instanceof SlotSet ? inflight.drain() : [inflight];
  }
}

/**
 * What a stub keeps of the instance it reached: the instance itself until it is evicted (then
 * the stub reaches the object's next instance, so the evicted one is nothing to it) or its
 * emulator ends (the namespace refuses the stub from then on); one reset otherwise stays,
 * broken, as the stub that saw the reset does. A stub kept by test code past an eviction or
 * dispose() holds no part of the instance it last reached, only this.
 */
export class StubBinding {
  constructor(public incarnation: Incarnation | undefined) {}
}

/**
 * What only some instances use, made by the first use: one field on every instance instead of
 * four (most objects open no WebSocket, set no alarm or timer, and never block concurrency).
 */
class InstanceExtras {
  /** The WebSocket ends this instance's code made and accepted (see sockets.ts). */
  sockets: IncarnationSockets | undefined;
  /** The alarm rules its storage applies. */
  alarmPolicy: AlarmPolicy | undefined;
  /** The timers this instance's code set that are still pending (they keep it from hibernating). */
  timers: InstanceTimers | undefined;
  /** How deeply blockConcurrencyWhile() calls are nested now. */
  bcwDepth = 0;
  /** Who waits in drained() for the events in flight to end. */
  drainWaiters: (() => void)[] | undefined;
  /** The facets its code started (ctx.facets). */
  facets: FacetSet | undefined;
  /** Capabilities of its code that stubs still hold (see lendCapability). */
  lentCapabilities = 0;
  /** Its facets were found keeping it busy (see Incarnation.facetSettled). */
  facetsHeld = false;
  /** Per enclosing critical section (or the instance, for none): when the last one started in it ends (see #startInTurn). */
  lastSections: WeakMap<object, Promise<void>> | undefined;
}

const pass = (): void => undefined;

/** The alarm rules of one incarnation's storage (a class: closures would cost memory per object). */
class IncarnationAlarms implements AlarmPolicy {
  constructor(
    private readonly incarnation: Incarnation,
    private readonly host: IncarnationHost,
  ) {}

  assertCanSetAlarm(): void {
    // The runtime asks the object whose code is running, not the one the storage belongs to
    // (they differ when code keeps another object's storage, or an earlier instance's), and
    // asks before it reaches the storage, so this refusal comes before the I/O context's.
    const running = objectCodeOwner();
    // A Worker's code has no object to ask: the context check refuses it (an internal error).
    if (running === undefined && this.incarnation.inAnotherContext) return;
    const incarnation = running instanceof Incarnation ? running : this.incarnation;
    // While the constructor runs there is no instance yet, and the runtime allows setAlarm().
    const handlers = incarnation.handlers;
    if (handlers !== undefined && typeof handlers.alarm !== "function") {
      throw new TypeError("Your Durable Object class must have an alarm() handler in order to call setAlarm()");
    }
  }

  /**
   * Read by setAlarm() alone, to clamp past times: the alarm schedule measures the alarm's
   * distance against this same reading.
   */
  now(): number {
    return this.host.settingAlarm();
  }

  runningAlarm(): number | null {
    return this.host.runningAlarm();
  }

  alarmSet(time: number): void {
    if (this.host.isFacet) {
      // The runtime resets the facet, its pending writes dropped: the call that set the alarm
      // fails with this error whatever the facet's code catches.
      const error = unflaggedError(new Error(FACET_ALARM_MESSAGE));
      this.incarnation.reset(error);
      throw error;
    }
    this.host.alarmSet(time);
  }
}

const FACET_ALARM_MESSAGE = "Facets currently cannot set alarms.";

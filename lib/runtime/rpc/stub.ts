import { type Arrival, arriveNextTurn, atTurnEnd, fairToEventLoop, microtask } from "../../util/turn.js";
import { arrivalPlace, type SentKind } from "./arrival-order.js";
import { arrangeMembers, defineInterface, isIdlObject, markRuntimeProxy, notOfType, requireArgument, serializableOnlyOverRpc, site, tagInterface } from "../../util/webidl.js";
import { forwardingEndpoint, hasBrand, hasBrandOrProxyOf, RPC_STUB_BRAND, RPC_TARGET_BRAND, SERVICE_STUB } from "../brands.js";
import {
  answerReachesObject,
  callsAreIo,
  codeFeatures,
  currentCriticalSection,
  currentWorkerEvent,
  departureOf,
  inCriticalSection,
  ioCompletion,
  ioCompletionOf,
  rpcResultCompletionOf,
  objectCodeOwner,
} from "../code-context.js";
import { copyError, isEndOfEmulatorError, runtimeSideError, seenByCallingObject, unflaggedError, withFlags } from "../errors.js";
import { type ArrivesIn, currentIoContext, type EndsWithContext, holdUntilContextEnds, type IoContext, ioContextRefusal, letGo } from "../io-context.js";
import { bindBody } from "../body-contexts.js";
import { answerDataUrl, isDataUrl } from "../data-url.js";
import { readsOneAtATime } from "../single-reads.js";
import { untilOutputGateOpens } from "../gates/output-gate.js";
import type { ObjectCodeOwner } from "../object-code-owner.js";
import { callerSignal, endsOnAbort, endsWithReceivingEvent, fetchInput, sendingEndsOnAbort, sentBody, toRequestOfConverted, untilAborted } from "../http-request.js";
import { takeRequest } from "../received-body.js";
import { sentWithSignal } from "../client-gone.js";
import { inCodeRealm } from "../../util/code-realm.js";
import { failedQueueEvent, failedScheduledEvent, lostChannelError } from "../fetcher-events/object-events.js";
import { afterRedirects, redirectPolicy, unsent } from "../fetcher-redirects.js";
import { convertRequestInit, type RequestMembers } from "../init-conversion.js";
import { observesOwnRejection, rejectionForCaller, takeObservesOwnRejection, withCallerFrames } from "../stacks.js";
import type { DurableObjectId } from "../ids.js";
import type { EventHandlers } from "../object/event-handlers.js";
import type { EventRequest } from "../object/events.js";
import type { Incarnation, StubBinding } from "../object/incarnation.js";
import type { ObjectRecord } from "../object/record.js";
import type { BilledRequest } from "../usage/object-usage.js";
import { Capability, defineStubConstructor, handle, HandleState, type RpcEndpoint } from "./handles.js";
export { RpcStub } from "./handles.js";
import { defineArgumentCopier } from "./early-copies.js";
import { callOnResult, disposeOnce, disposeResult, pendingResult, type PropertyState, propertyOf } from "./promises.js";
import { callClassMethod, ENTRYPOINT_RESERVED, invokePath, notImplemented, reservedName } from "./resolve.js";
import { markFacetStub } from "./facet-stubs.js";
import { cloneArgs, cloneForRpc, isObjectPrototype, isUnreadableCopy, primitiveArgs, Transfer } from "./serialize.js";
import { callerError, type Delivery } from "./tunnel.js";
import { FORWARD, pathOf, type PendingResult, type RpcRef } from "./wildcard.js";
import { isIndexKey } from "../../util/array-index.js";
import { rpcNameDescriptor } from "./wildcard-attributes.js";
import { withoutRpc } from "./rpc-flag.js";
import { currentSocketHost, OUTSIDE as NO_SOCKET_HOST, type SocketHost } from "../websockets/host.js";
import { handOverResponse } from "../websockets/upgrade.js";
import { fetchHandlerReturned } from "./handler-return.js";
import { bodyEndsWithOwner, withAbortableBody } from "../websockets/response.js";
import type { Socket } from "../tcp/socket.js";
import { connectArguments } from "../tcp/connect-arguments.js";
import { WorkerConnection } from "../tcp/worker-connection.js";
import { CYCLIC_PROTO, cannotAssign, closesCycle, refuse, refusePreventExtensions } from "./native-refusals.js";

/** What every Durable Object stub has, whatever its class. */
interface StubBase {
  readonly id: DurableObjectId;
  readonly name: string | undefined;
  fetch(input: Request | string | URL, init?: RequestInit): Promise<Response>;
}

/** Names a class has that RPC never reaches: handlers, the runtime's members, instance state. */
type NotOverRpc = "fetch" | "connect" | "alarm" | "webSocketMessage" | "webSocketClose" | "webSocketError" | "dup" | "ctx" | "env";

/** A class's RPC surface: each method returns a promise of its result, each other member a promise of its value. */
export type RpcSurface<T> = {
  readonly [K in Exclude<keyof T, NotOverRpc | symbol>]: T[K] extends (...args: infer A) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : Promise<Awaited<T[K]>>;
};

/**
 * A Durable Object stub as TypeScript sees it: `id`, `name` and `fetch`, and the class's RPC
 * members. `DurableObjectStub<Counter>` knows Counter's methods (a missing method or a wrong
 * result type is a compile error); a stub of no known class accepts any method.
 */
export type DurableObjectStub<T = undefined> = StubBase & ([T] extends [undefined] ? { [method: string]: any } : RpcSurface<T>);

/** How a stub reaches its object: lazily, since the Worker's module may still be loading. */
export interface ObjectLocator {
  /** Resolves when the namespace can construct objects; undefined once it can. */
  readonly ready: Promise<void> | undefined;
  /** The object's live incarnation (constructed by its first event if new). */
  live(): Incarnation;
  /** The object's record: its storage, alarm and current incarnation (if any). */
  record(): ObjectRecord;
  /** Whether the object has an instance taking events (none: never constructed, evicted, reset, or a facet not started yet). */
  running(): boolean;
  /** The name the stub was made from, if any. */
  readonly name: string | undefined;
}

/** Reads a stub's locator (what test helpers use to reach its object); unforgeable outside durasim. */
const LOCATOR = Symbol("durasim.stubLocator");

const LEGACY_CLASS_ERROR =
  "The receiving Durable Object does not support RPC, because its class was not declared with `extends DurableObject`. In order to enable RPC, make sure your class extends the special class `DurableObject`, which can be imported from the module \"cloudflare:workers\".";

/** Runs an RPC call (or property read, when `args` is undefined) against a Durable Object instance. */
function dispatchToObject(incarnation: Incarnation, instance: object, path: readonly string[], args: unknown[] | undefined): unknown {
  if (incarnation.legacyClass) throw runtimeSideError(new TypeError(LEGACY_CLASS_ERROR));
  const name = path[0]!;
  if (name !== lastUnreserved) checkUnreserved(name);
  if (path.length === 1 && args !== undefined) return callClassMethod(instance, incarnation.proxyInstance, name, args, runtimeSideError);
  return invokePath(instance, path, args, runtimeSideError, ENTRYPOINT_RESERVED, "object");
}

/** The name checkUnreserved() let through last (a loop calling one method looks it up once). */
let lastUnreserved = "";

/** Refuses a reserved name (apart from dispatchToObject, which every call runs, as limitSize says in serialize.ts). */
function checkUnreserved(name: string): void {
  if (ENTRYPOINT_RESERVED.has(name)) throw runtimeSideError(reservedName(name));
  lastUnreserved = name;
}

function dispatchFetch(instance: object, handlers: EventHandlers, request: Request): unknown {
  const handler = handlers.fetch;
  if (typeof handler !== "function") throw runtimeSideError(new Error("Handler does not export a fetch() function."));
  // The request's body is the object's now: its handler runs in the object's context.
  takeRequest(request);
  return fetchHandlerReturned(handler.call(instance, request));
}

/**
 * The code that made a function or RpcTarget that is called outside any object's queue (a Worker
 * event's, or an object's critical section letting a call in: see LocalEndpoint): called, it runs
 * as that code, in its I/O context, as in the runtime (not as the caller's code, which may not
 * use the maker's stubs). A Worker event lasts while a stub to what it made is held.
 */
interface Maker {
  runCode<A, T>(fn: (arg: A) => T, arg: A): T;
  lendCapability?(): () => void;
  /** A Worker event that has ended or is ending (see WorkerEvent.closing): its code runs no more. */
  readonly closing?: boolean;
}

/**
 * Capabilities for the functions and RpcTargets of code running in `home` (undefined: outside
 * any object; `maker`: the code that made them, if any, see Maker; `lends`: whether its stubs
 * keep their holder going: a Worker maker, or the object `home`, which is not idle while they
 * are held). An RpcTarget's own disposer runs, where it lives, once no stub to it is left. One
 * made by object code inside a critical section belongs to it (see LocalEndpoint).
 */
function capabilities(home: Incarnation | undefined, maker?: Maker, lends = true): (value: object) => Capability {
  const holder: { lendCapability?(): () => void } | undefined = maker ?? home;
  return (value) => {
    const endpoint = new LocalEndpoint(value, home, maker, home === undefined ? undefined : currentCriticalSection());
    const lent = lends ? holder?.lendCapability?.() : undefined;
    // Otherwise each handle handed over to a receiver lends (see Capability.lend).
    const lend = lends || holder?.lendCapability === undefined ? undefined : () => holder.lendCapability!();
    const isTarget = hasBrandOrProxyOf(value, RPC_TARGET_BRAND);
    // An object's function or RpcTarget dies with its instance (see LocalEndpoint.contextEnded).
    if (home !== undefined) holdUntilContextEnds(home, endpoint);
    else if (!isTarget && lent === undefined) return new Capability(endpoint, undefined, lend);
    return new Capability(endpoint, () => {
      if (home !== undefined) letGo(home, endpoint);
      // Read where it lives now: gone with an instance that reset, as its disposer never runs then.
      const target = endpoint.target;
      const dispose = isTarget ? (target as { [Symbol.dispose]?: unknown } | undefined)?.[Symbol.dispose] : undefined;
      if (typeof dispose === "function") microtask(() => runDisposer(dispose, target!, home, maker));
      lent?.();
    }, lend);
  };
}

/**
 * Runs an RpcTarget's disposer as the code that made the target, whoever released it: its
 * object's stubs are its to use. Not at all where that code runs no more: a Worker maker whose
 * last hold the release was (its lends are given back synchronously, after it), or an object
 * instance reset or evicted since (in the runtime the target's I/O context is gone with it;
 * running it here would make a scope for the dead instance).
 */
function runDisposer(dispose: Function, target: object, home: Incarnation | undefined, maker: Maker | undefined): void {
  if (maker?.closing === true || (home !== undefined && !home.usable)) return;
  const runner = home ?? maker;
  const disposeHere = () => disposeQuietly(dispose, target);
  if (runner === undefined) disposeHere();
  else runner.runCode(disposeHere, undefined);
}

function disposeQuietly(dispose: Function, target: object): unknown {
  try {
    return Promise.resolve(dispose.call(target)).catch(() => undefined);
  } catch {
    // The runtime only logs a disposer's exception.
    return undefined;
  }
}

const OUTSIDE = capabilities(undefined);

/**
 * `new RpcStub(value)`: a stub to a plain object, a function or an RpcTarget of the running code,
 * called where that code lives (the object whose code made it: its incarnation owns that code),
 * as a stub received over RPC is. Anything else is refused with the runtime's TypeErrors.
 */
defineStubConstructor((value) => {
  if (typeof value !== "function" && (typeof value !== "object" || value === null)) {
    throw new TypeError("Failed to construct 'JsRpcStub': constructor parameter 1 is not of type 'Object'.");
  }
  if (typeof value === "object") {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== null && !isObjectPrototype(proto) && !hasBrandOrProxyOf(value, RPC_TARGET_BRAND)) {
      throw new TypeError("RpcStubs can only wrap plain objects, functions, and RpcTarget derivatives.");
    }
  }
  const home = objectCodeOwner() as Incarnation | undefined;
  // A stub the maker holds itself does not keep its Worker event going.
  return handle(new HandleState(capabilities(home, home === undefined ? currentWorkerEvent() : undefined, false)(value)));
});
/** The transfer of a primitive result, which holds no stub. */
const NO_STUBS = new Transfer(OUTSIDE);

/**
 * Results that are objects get a disposer, as the runtime's RPC results do: it disposes every
 * stub the result carried.
 */
function withDisposer(value: unknown, transfer: Transfer): unknown {
  if (typeof value === "object" && value !== null) addDisposer(value, transfer);
  return value;
}

/** (Apart from withDisposer, which every result passes: a function that makes a closure makes its context on every call.) */
function addDisposer(value: object, transfer: Transfer): void {
  Object.defineProperty(value, Symbol.dispose, { value: () => transfer.dispose(), writable: true, configurable: true });
}

/**
 * One event sent to an object, as its caller sees it: what the event runs and where its outcome
 * goes (the event's request: one object, so the hot path makes no closures for it), and the
 * caller's promise, which the outcome settles. As it is, the event is an RPC call (or property
 * read, when `args` is undefined) of the member at `path` of a Durable Object (its kind and
 * conversion are its class's, not fields: 16 bytes less per call); InvokeCall makes any other.
 * (That is the hot path's class, not a subclass of an abstract one: V8 does not inline a
 * subclass's `super()` there, and a construct through the generic stub cost ~250 instructions
 * a call.) A call sent at once is also its own pending result, what its RPC promise holds
 * (see ObjectEndpoint.callForResult): one object fewer per call.
 */
class Call implements EventRequest, Arrival, PendingResult {
  readonly promise: Promise<unknown>;
  resolve!: (value: unknown) => void;
  /** The incarnation it was sent to (see deliver). */
  incarnation!: Incarnation;
  /** The calling object of an RPC call on a Durable Object stub made by object code. */
  declare callerId: string | undefined;
  /** Sent by object or Worker code: how the outcome, like I/O, completes in a later turn (see ioCompletion). */
  complete: ((complete: () => void) => void) | undefined;
  /** The stubs made for the receiver from the call's arguments (see withCopiedArgs). */
  declare params: Transfer | undefined;
  /** The I/O context of the object or Worker code that sent it: stubs in its result belong there. */
  declare receiver: IoContext | undefined;
  /** Whether its RPC promise was disposed (see PendingResult). */
  disposed = false;
  /** Its RPC promise, whose binding it is (see PendingResult). */
  proxy: Function | undefined = undefined;

  constructor(
    private readonly path: readonly string[],
    private readonly args: unknown[] | undefined,
    params?: Transfer,
  ) {
    this.promise = new Promise((resolve) => {
      this.resolve = resolve;
    });
    if (params !== undefined) this.params = params;
  }

  /** What the event is, as errors name it. */
  get kind(): Delivery["kind"] {
    return "rpc";
  }

  /** Whether the call is into a function or RpcTarget living in the object, not its own member. */
  get intoCapability(): boolean {
    return false;
  }

  /**
   * What production bills the event as (a kind's, not a field: 8 bytes less per call): a call on
   * a Durable Object stub starts an RPC session.
   */
  get billed(): BilledRequest | undefined {
    return "rpc";
  }

  /** The object it went to, as calls pipelined on its result name it in their errors. */
  get durableObjectId(): string {
    return this.incarnation.id.toString();
  }

  /** A call pipelined on its result (see PendingResult). */
  call(path: readonly string[], args: unknown[] | undefined): Promise<unknown> {
    return callOnResult(this, path, args);
  }

  dispose(): void {
    disposeOnce(this);
  }

  get state(): PendingResult {
    return this;
  }

  run(instance: object, _handlers: EventHandlers): unknown {
    // Sent by Worker or object code, it opened an RPC session with the object: the next event
    // waits for a later turn (InputGate.spaceNextEvent). Test code's calls, which no session
    // carries, run back to back.
    if (this.complete !== undefined) this.incarnation.spaceNextEvent();
    // The stubs among its arguments are the object's now (apart from the hot path's check: see arriveParams).
    if (this.params !== undefined) arriveParams(this.params, this.incarnation);
    return dispatchToObject(this.incarnation, instance, this.path, this.args);
  }

  /** The outcome `value`, as the caller receives it (see #outcome). */
  protected convert(value: unknown, incarnation: Incarnation): unknown {
    return rpcResult(value, incarnation, incarnation, incarnation, this.receiver);
  }

  /** Made by test code, the call reaches its object (see deliver). */
  arrive(): void {
    try {
      this.incarnation.submit(this, this.billed);
    } catch (error) {
      this.resolve(Promise.reject(error));
    }
  }

  settle(ok: boolean, value: unknown, replayed?: boolean): void {
    if (this.complete === undefined) this.resolve(this.#outcome(ok, value, replayed));
    else this.#settleAsIo(this.complete, ok, value, replayed);
    // The parameters die as the call returns, its result copied (so a parameter returned lives
    // on in the copy), not when the caller hears back a turn or more later: a timer the object
    // set meanwhile finds them disposed, as in the runtime.
    this.params?.dispose();
  }

  settleLater(ok: boolean, value: unknown): (broken: Error | undefined) => void {
    // The result is copied now, and the parameters die now, as in settle().
    let copy: unknown;
    let uncopyable: unknown;
    let copied = false;
    if (ok) {
      try {
        copy = this.convert(value, this.incarnation);
        copied = true;
      } catch (error) {
        uncopyable = error;
      }
    }
    this.params?.dispose();
    return (broken) => {
      // The reset error leaves instead: the stubs the copy lent are disposed now, as the runtime
      // drops a result it never sends (they belong to the caller's context, which would keep
      // them until it ends). A Response's body is left as it is: workerd runs none of a reset
      // object's stream callbacks, and cancelling it would run the source's cancel().
      if (broken !== undefined && copied) disposeResult(copy);
      const outcome = (): unknown =>
        broken !== undefined ? this.#failure(broken, undefined) : !ok ? this.#failure(value, undefined) : copied ? copy : this.#uncopyable(uncopyable);
      if (this.complete === undefined) this.resolve(outcome());
      else this.complete(() => this.resolve(outcome()));
    };
  }

  /**
   * The outcome of a call made by object or Worker code. (Its closures are made here: a method
   * that makes closures makes their context on every call, and settle() runs for every call.)
   */
  #settleAsIo(complete: (complete: () => void) => void, ok: boolean, value: unknown, replayed: boolean | undefined): void {
    if (!ok) return complete(() => this.resolve(this.#outcome(false, value, replayed)));
    // The result is copied now, when the object returns it, as the runtime serialises it then:
    // what the object's later events change in it is not in the caller's copy.
    let copy: unknown;
    try {
      copy = this.convert(value, this.incarnation);
    } catch (error) {
      return complete(() => this.resolve(this.#uncopyable(error)));
    }
    complete(() => this.resolve(copy));
  }

  /**
   * What the caller's promise resolves to. A failure settles it through rejectionForCaller
   * (stacks.ts), whose stack then shows the object's frames and the caller's.
   */
  #outcome(ok: boolean, value: unknown, replayed: boolean | undefined): unknown {
    if (!ok) return this.#failure(value, replayed);
    try {
      return this.convert(value, this.incarnation);
    } catch (error) {
      return this.#uncopyable(error);
    }
  }

  /** What the object's code threw (or the reset error), as the caller receives it (apart from #outcome: see #settleAsIo). */
  #failure(thrown: unknown, replayed: boolean | undefined): Promise<never> {
    const durableObjectId = this.incarnation.id.toString();
    const senderFeatures = this.incarnation.codeFeatures;
    const error = callerError(thrown, { kind: this.kind, durableObjectId, replayed, capability: this.intoCapability, senderFeatures });
    // A facet of a class without `extends DurableObject` refuses RPC unnamed, where a
    // namespace's object of one is named after the caller (both checked with workerd).
    const unnamed = this.callerId === undefined || (this.incarnation.isFacet && this.incarnation.legacyClass);
    const seen = unnamed ? error : seenByCallingObject(error, this.callerId!);
    return rejectionForCaller(seen, thrown, () => this.promise);
  }

  /** The result could not be serialised: not an error of the object's code (unnamed), but one
   * the other side raised, which a calling object sees named after itself, as any such; a call
   * into a function or RpcTarget names its owner, as the errors it throws do. */
  #uncopyable(error: unknown): Promise<never> {
    const owner = this.intoCapability ? { durableObjectId: this.incarnation.id.toString(), capability: true } : {};
    const remote = callerError(error, { kind: this.kind, ...owner });
    return rejectionForCaller(this.callerId === undefined ? remote : seenByCallingObject(remote, this.callerId), error, () => this.promise);
  }
}

/** Any other event: a fetch, a call into an RpcTarget or function where it lives. */
class InvokeCall extends Call {
  readonly #kind: Delivery["kind"];

  constructor(
    private readonly invoke: (instance: object, handlers: EventHandlers) => unknown,
    private readonly converter: (value: unknown, incarnation: Incarnation) => unknown,
    kind: Delivery["kind"],
    /** A fetch, whose Response leaves at the end of the turn (see settle). */
    private readonly responds = false,
  ) {
    super(NO_PATH, undefined);
    this.#kind = kind;
  }

  /**
   * A fetch's outcome (its Response, or what the handler threw) leaves the object at the end of
   * the turn it is ready in, where an RPC result leaves at once: a reset in that turn (another
   * event's `ctx.abort()`, even after storage I/O) fails the fetch with the reset error instead,
   * after that event's own outcome (conformance "gates fuzzed: a fetch's Response ...", found
   * by fuzz-events sqlite seed 22). It is converted now, as a result is. An outcome ready once
   * the object reset (the aborting fetch's own failure) leaves at once.
   */
  override settle(ok: boolean, value: unknown, replayed?: boolean): void {
    if (!this.responds || replayed || this.incarnation.broken !== undefined) return super.settle(ok, value, replayed);
    this.settleLater(ok, value)(undefined);
  }

  override settleLater(ok: boolean, value: unknown): (broken: Error | undefined) => void {
    const deliver = super.settleLater(ok, value);
    if (!this.responds) return deliver;
    return (broken) => atTurnEnd(() => deliver(broken ?? this.#resetSince()));
  }

  /** The reset error, if the object reset since the outcome was ready. */
  #resetSince(): Error | undefined {
    const broken = this.incarnation.broken;
    return broken === undefined ? undefined : copyError(broken);
  }

  override get kind(): Delivery["kind"] {
    return this.#kind;
  }

  // The object's own members are called through Call: an RPC call made here is into a capability.
  override get intoCapability(): boolean {
    return this.#kind === "rpc";
  }

  // A fetch (or connect) is an HTTP request; a call into a function or RpcTarget belongs to the
  // RPC session that handed it out.
  override get billed(): BilledRequest | undefined {
    return this.#kind === "fetch" ? "http" : undefined;
  }

  override run(instance: object, handlers: EventHandlers): unknown {
    if (this.params !== undefined) arriveParams(this.params, this.incarnation);
    return this.invoke(instance, handlers);
  }

  protected override convert(value: unknown, incarnation: Incarnation): unknown {
    return this.converter(value, incarnation);
  }
}

/** What an InvokeCall has in place of a member's path. */
const NO_PATH: readonly string[] = [];

/** A call's parameters reached `context`, where it runs (a function of its own, as the hot path's callers rarely need it). */
function arriveParams(params: Transfer, context: IoContext): void {
  params.arrivedIn(context);
}

/**
 * Delivers `call` to an object and returns the caller's promise. A call made by object or
 * Worker code is delivered, and its result returned, in a later turn, like real I/O; one from
 * object code leaves through the caller's output gate at the end of its turn, and never if that
 * turn's writes fail to commit. What production bills the event as is the call's (see Call.billed).
 */
function deliver(incarnation: Incarnation, call: Call): Promise<unknown> {
  sendCall(incarnation, call);
  // Only an RPC call's promise goes on to rpcPromise, which takes the mark.
  return call.kind === "rpc" ? observesOwnRejection(call.promise) : call.promise;
}

/**
 * deliver() without the caller's promise: a call that is its own pending result (see
 * ObjectEndpoint.callForResult) needs no mark, as its RPC promise holds the call itself.
 */
function sendCall(incarnation: Incarnation, call: Call): void {
  call.incarnation = incarnation;
  // From test code: at once, but never so many in a row that the event loop starves.
  if (!callsAreIo()) fairToEventLoop(call);
  else sendAsIo(incarnation, call);
}

/**
 * Sends a call made by object or Worker code (see deliver). Its closures are made here, not in
 * deliver(): a function that makes a closure makes the closure's context on every call, even
 * where it returns before making it.
 */
function sendAsIo(incarnation: Incarnation, call: Call): void {
  const billed = call.billed;
  const owner = objectCodeOwner();
  call.complete = billed === "rpc" ? rpcResultCompletionOf(owner) : ioCompletionOf(owner);
  if (billed === "rpc") call.callerId = owner?.id.toString();
  const sender = owner === undefined ? currentWorkerEvent() : undefined;
  call.receiver = owner ?? sender;
  const departure = departureOf(sender);
  // Sent to a live instance, the call was in flight if that instance breaks before it arrives.
  const inFlight = incarnation.broken === undefined;
  const send = () => {
    if (departure.cancelled) return;
    try {
      incarnation.submit(call, billed, inFlight);
    } catch (error) {
      failUnsent(call, error, owner);
    }
  };
  // Its place among the messages that arrive with it is taken as it leaves (arrival-order.ts).
  const kind: SentKind = billed === "http" ? "fetch" : billed === "rpc" ? "rpc" : "capability";
  const held = untilOutputGateOpens();
  if (held === undefined) arriveNextTurn(send, arrivalPlace(owner, kind));
  else held.then(() => arriveNextTurn(send, arrivalPlace(owner, kind)), (error: unknown) => failUnsent(call, error, owner));
}

/**
 * A call that never left (its sender reset, or the emulator was disposed, first) fails with
 * `error`; as for any call, one nobody awaits is no unhandled rejection (rpcPromise leaves that
 * to the call's own promise, which rejectionForCaller marks on the delivered path). Code of an
 * object that reset (`owner`) never hears of it, as it hears no answer (see answerReachesObject).
 */
function failUnsent(call: Call, error: unknown, owner: ObjectCodeOwner | undefined): void {
  if (!answerReachesObject(owner)) return;
  call.resolve(Promise.reject(error));
  call.promise.catch(() => undefined);
}

/**
 * A method's result as its caller receives it. `incarnation`: the object that answered, if one
 * did (stubs in the result call into it); `sender`: the object or Worker event (worker-event.ts)
 * whose streams in the result end with it; `receiver`: the caller's I/O context, which the
 * result's stubs belong to (none for test code).
 */
export function rpcResult(
  value: unknown,
  incarnation: Incarnation | undefined,
  sender: Maker | undefined = incarnation,
  maker: Maker | undefined = sender,
  receiver?: IoContext,
): unknown {
  // Nothing in a primitive can become a stub (a symbol is refused before the transfer is used).
  const transfer =
    (typeof value === "object" && value !== null) || typeof value === "function"
      ? new Transfer(incarnation !== undefined ? capabilities(incarnation) : capabilities(undefined, maker), sender, receiver)
      : NO_STUBS;
  try {
    return withDisposer(cloneForRpc(value, transfer), transfer);
  } catch (error) {
    // The caller's side failed to read the copy: its own error, with no flags.
    if (isUnreadableCopy(error)) throw unflaggedError(error as Error);
    throw error;
  } finally {
    // The runtime moves each held stub as its serialiser writes it: one written before a
    // failure further on (a value it refuses, the size limit) is gone all the same.
    transfer.moveHeld();
  }
}

/**
 * A fetch handler's Response, as a caller in `callerHost` receives it: one carrying a WebSocket
 * is handed over (websockets/upgrade.ts); the returned end's pair belongs to the object that
 * answered, if an object did, and a stream body fails if what sent it (`sender`: that object,
 * or a Worker event) ends while it flows.
 */
export function fetchResult(request: Request, callerHost: SocketHost) {
  // Called as the caller calls fetch(): its context is the one the Response's body crosses to.
  const caller = currentIoContext();
  // For Worker code, whose event ends as a matter of course (an object's context, only on a reset).
  const event = objectCodeOwner() === undefined ? caller : undefined;
  return (value: unknown, incarnation?: Incarnation, sender: object | undefined = incarnation): unknown => {
    if (!(value instanceof Response)) {
      throw new TypeError("Incorrect type for Promise: the Promise did not resolve to 'Response'.");
    }
    const delivered = handOverResponse(value, request, callerHost, incarnation?.sockets ?? NO_SOCKET_HOST);
    bindBody(delivered, caller);
    readsOneAtATime(delivered.body);
    if (sender !== undefined) bodyEndsWithOwner(delivered, sender);
    if (event !== undefined) endsWithReceivingEvent(delivered.body, event);
    return delivered;
  };
}

/**
 * Copies call arguments (structured clone; functions and RpcTargets become stubs) and sends
 * them. A value that cannot be copied rejects the call, as in the runtime, instead of throwing.
 * The stubs made for the receiver are disposed once the call has returned (and its result has
 * been copied back, so a parameter returned as the result lives on in the caller's copy).
 */
export function withCopiedArgs(
  args: unknown[] | undefined,
  send: (copied: unknown[] | undefined, params: Transfer | undefined) => Promise<unknown>,
  receiverId?: string,
  idOnDomExceptions = false,
): Promise<unknown> {
  if (args === undefined) return send(undefined, undefined);
  let transfer: Transfer | undefined;
  let copied: unknown[];
  try {
    // Primitives copy as themselves: no transfer is made for them.
    // A call's arguments are copied in the caller's code: the object or Worker event running it, if any, sends them.
    copied = primitiveArgs(args) ? args : cloneArgs(args, (transfer = argumentsTransfer()));
  } catch (error) {
    transfer?.dispose();
    // The receiver failed to read the copy: its error comes back flagged as the object's.
    return Promise.reject(isUnreadableCopy(error) ? receiverFailed(error as Error, receiverId, idOnDomExceptions) : error);
  }
  const params = transfer !== undefined && transfer.size > 0 ? transfer : undefined;
  const sent = send(copied, params);
  // A call delivered as an event disposes them as it returns (Call.settle); this covers the rest.
  if (params !== undefined) releaseOnceSettled(sent, params);
  return sent;
}

defineArgumentCopier(withCopiedArgs);

/**
 * The transfer of the running code's call arguments: functions and RpcTargets in them are its
 * own, called in its object (through its gate), or as its Worker event's code (see Maker).
 */
function argumentsTransfer(): Transfer {
  const home = objectCodeOwner() as Incarnation | undefined;
  if (home !== undefined) return new Transfer(capabilities(home), home);
  const sender = currentWorkerEvent();
  return sender === undefined ? new Transfer(OUTSIDE) : new Transfer(capabilities(undefined, sender), sender);
}

/** An error the receiver of a copy raised reading it, as its caller sees it: flagged as the
 * receiver's (a DOMException without a Durable Object's id, as any the runtime raises, but with
 * the id of the object a function or RpcTarget lives in: `idOnDomExceptions`). */
function receiverFailed(error: Error, receiverId: string | undefined, idOnDomExceptions: boolean): Error {
  if (receiverId === undefined || (error instanceof DOMException && !idOnDomExceptions)) return withFlags(error, { remote: true });
  return withFlags(error, { remote: true, durableObjectId: receiverId });
}

/** Disposes the stubs made for a call's receiver once the caller's promise settles (its closure is made here: see sendAsIo). */
function releaseOnceSettled(sent: Promise<unknown>, transfer: Transfer): void {
  const release = () => transfer.dispose();
  sent.then(release, release);
}

/**
 * Whether call arguments copy as themselves (none at all, or primitives within the size limit);
 * anything else goes through withCopiedArgs, which also refuses what is too large.
 */
function copiesAsItIs(args: unknown[] | undefined): boolean {
  if (args === undefined) return true;
  try {
    return primitiveArgs(args);
  } catch {
    return false;
  }
}

/** What the runtime names a Durable Object stub's channel when another I/O context reaches it. */
const STUB_IO_TYPE = "OutgoingFactory";
/** ... and a Durable Object stub's received over RPC. */
const RECEIVED_STUB_IO_TYPE = "SubrequestChannel";

/**
 * The sending side of a Durable Object stub. It remembers the incarnation it reached, and the
 * I/O context of the code that made the stub, or received it over RPC, the only one its calls
 * may come from.
 */
class ObjectEndpoint implements FetchTarget, ArrivesIn {
  /** The instance it reached last, while that one is not evicted (see StubBinding). */
  #bound: StubBinding | undefined;
  #io: IoContext | undefined;
  /** A queue event this stub sent to an object with no instance broke it (see object-events.ts). */
  #lost = false;

  constructor(
    private readonly locator: ObjectLocator,
    readonly durableObjectId: string,
    io: IoContext | undefined,
    private readonly ioType = STUB_IO_TYPE,
  ) {
    this.#io = io;
  }

  call(path: readonly string[], args: unknown[] | undefined): Promise<unknown> {
    const refused = this.#refused();
    if (refused !== undefined) return refused;
    // The hot path: arguments that copy as themselves go as they are, with no closure for the copy.
    if (copiesAsItIs(args)) return this.#send(new Call(path, args));
    return this.#callWithCopies(path, args);
  }

  /** call() of a method, as its RPC promise holds it: on the hot path, the Call itself. */
  callForResult(path: readonly string[], args: unknown[]): PendingResult {
    const refused = this.#refused();
    if (refused === undefined && copiesAsItIs(args)) {
      const call = new Call(path, args);
      const reached = this.#reached();
      if (reached === undefined) return pendingResult(this.#sendAfresh(call), this.durableObjectId);
      sendCall(reached, call);
      return call;
    }
    return pendingResult(refused ?? this.#callWithCopies(path, args), this.durableObjectId);
  }

  /**
   * Sent over RPC, the stub reaches the receiver as a new one, bound to the receiver's context as
   * it arrives (see arriveIn); another context's use is refused as the runtime's
   * 'SubrequestChannel' (conformance "io-contexts: a Durable Object stub and an RpcTarget's stub ...").
   */
  forReceiver(): ObjectEndpoint {
    return new ObjectEndpoint(this.locator, this.durableObjectId, undefined, RECEIVED_STUB_IO_TYPE);
  }

  /** The receiver's context (test code's: none, so any may use it). */
  arriveIn(context: IoContext): void {
    this.#io ??= context;
  }

  /** scheduled() of a caller with service_binding_extra_handlers: fails (object-events.ts). */
  scheduled(options: unknown): Promise<unknown> {
    return failedScheduledEvent(options, () => this.#refused());
  }

  /** queue() of a caller with service_binding_extra_handlers: fails, and breaks this stub if the object is not running (object-events.ts). */
  queue(args: unknown[]): Promise<unknown> {
    return failedQueueEvent(args, () => {
      const refused = this.#refused();
      if (refused === undefined && !this.locator.running()) this.#lost = true;
      return refused;
    });
  }

  /** A call from another I/O context than the stub's fails (a rejection, as in the runtime), and any call through a broken stub. */
  #refused(): Promise<never> | undefined {
    if (this.#lost) return Promise.reject(lostChannelError());
    const refusal = ioContextRefusal(this.#io, this.ioType);
    return refusal === undefined ? undefined : Promise.reject(refusal);
  }

  /** (Apart from call(), which runs for every RPC call, for the reason sendAsIo gives.) */
  #callWithCopies(path: readonly string[], args: unknown[] | undefined): Promise<unknown> {
    return withCopiedArgs(args, (copied, params) => this.#send(new Call(path, copied, params)), this.durableObjectId);
  }

  fetch(input: unknown, init?: RequestInit): Promise<unknown> {
    const refused = this.#refused();
    if (refused !== undefined) return refused;
    return withRequest(input, init, (request) =>
      this.#send(new InvokeCall((instance, handlers) => dispatchFetch(instance, handlers, request), fetchResult(request, currentSocketHost()), "fetch", true)),
    );
  }

  /** A connect event: the object's connect handler gets its end of `connection` (see EntrypointTarget.connect). */
  connect(connection: WorkerConnection): void {
    const refused = this.#refused();
    let reached = false;
    const handle = (instance: object): unknown => {
      reached = true;
      return connectHandler(instance, connection);
    };
    const sent = refused ?? this.#send(new InvokeCall(handle, () => undefined, "fetch"));
    // What the handler throws ends the connection and goes no further; an object that broke
    // before it was reached (its constructor threw) refuses it, as one without a handler does.
    sent.catch(() => undefined).finally(() => (reached || refused !== undefined ? connection.end() : connection.refuse()));
  }

  #send(call: Call): Promise<unknown> {
    const reached = this.#reached();
    if (reached !== undefined) return deliver(reached, call);
    return this.#sendAfresh(call);
  }

  /** The hot path's instance: the one this stub reached last, while it is still the live one. */
  #reached(): Incarnation | undefined {
    const bound = this.#bound?.incarnation;
    return bound !== undefined && bound.broken === undefined ? bound : undefined;
  }

  /** Sends `call` once the stub's module has loaded, to the live incarnation (apart from #send: see sendAsIo). */
  #sendAfresh(call: Call): Promise<unknown> {
    const ready = this.locator.ready;
    if (ready) {
      return ready.then(() => {
        const sent = deliver(this.#incarnation(), call);
        // What the caller holds is the promise this then() returns, not `sent`: drop the mark.
        takeObservesOwnRejection(sent);
        return sent;
      });
    }
    try {
      return deliver(this.#incarnation(), call);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** A stub that saw its object reset stays broken; otherwise it follows the live incarnation. */
  #incarnation(): Incarnation {
    // (An instance both reset and evicted was dropped by emu.restore(): stubs move on.)
    const bound = this.#bound?.incarnation;
    if (bound !== undefined && bound.broken !== undefined) return bound;
    const live = this.locator.live();
    this.#bound = live.binding;
    return live;
  }
}

/** Sends the Request `fetch(input, init)` describes; an invalid one rejects, as in the runtime,
 * with an error of the caller's realm (code-realm.ts: under Jest, Worker code's `catch (e) { if
 * (e instanceof Error) ... }` takes its branch, as itty-router's does), and so does an aborted
 * signal (http-request.ts), which also fails the Response's body while it is still arriving
 * (endsOnAbort), and the body it sends (sendingEndsOnAbort). One for a data URL is answered here, not sent (data-url.ts). */
export function withRequest(input: unknown, init: RequestInit | undefined, send: (request: Request) => Promise<unknown>): Promise<unknown> {
  let request: Request;
  let given: RequestMembers | undefined;
  let redirects: ReturnType<typeof redirectPolicy>;
  try {
    // Converted once (each member read once, as the runtime reads it): the request and the signal come from it.
    given = convertRequestInit(init);
    // The input as the runtime converts it (a Proxy of a Request is a string there) before its
    // redirect mode or body is read.
    const source = fetchInput(input);
    redirects = redirectPolicy(source, given);
    request = toRequestOfConverted(source, given);
  } catch (error) {
    return Promise.reject(inCodeRealm(error));
  }
  if (isDataUrl(request.url)) return answerDataUrl(request.url, request.method);
  const signal = callerSignal(input, given);
  // Before the request is sent: it keeps a clone of the body to send again (see afterRedirects),
  // which a failure to send lets go of.
  const resend = redirects;
  const followed = resend === undefined ? undefined : afterRedirects(request, resend, send, signal);
  const failed = resend === undefined ? undefined : (error: unknown) => unsent(resend, error);
  // The signal covers the body being sent as well as the one coming back.
  if (signal !== undefined) {
    sendingEndsOnAbort(sentBody(request), signal);
    // And a Worker's handler receiving it is cancelled (client-gone.ts).
    sentWithSignal(request, signal);
  }
  let sent: Promise<unknown>;
  try {
    sent = send(request);
  } catch (error) {
    // Thrown, not rejected: the kept clone is let go of all the same.
    if (resend !== undefined) unsent(resend, error);
    throw error;
  }
  if (signal === undefined) return followed === undefined ? sent : sent.then(followed, failed);
  const abortable = (response: unknown) => {
    const copy = withAbortableBody(response as Response);
    endsOnAbort(copy.body, signal);
    return copy;
  };
  // One turn for both: a Response that is no redirect is covered by the signal as soon as it arrives.
  const answered = sent.then((response) => {
    const last = followed === undefined ? response : followed(response);
    return last === response ? abortable(response) : (last as Promise<unknown>).then(abortable);
  }, failed);
  return untilAborted(answered, signal);
}

/** A call on a stub to a function or RpcTarget whose object reset (conformance "resets: what the caller holds ..."). */
const HOME_ENDED = "The execution context which hosts this callback is no longer running.";

/**
 * Calls into a function or RpcTarget where it lives: through its object's input gate, if it has
 * one, as an event (queued behind the events before it, and behind a critical section holding
 * the gate). One made inside a critical section (blockConcurrencyWhile, a transaction) is part
 * of it: while that section holds the gate, a call runs at once, as the section's code, so the
 * section can hand it out and be called back without deadlock (and so can anyone it reached).
 * Checked with workerd: one made before the section waits for it, even when the section's own
 * call chain calls it (the section then never ends: the runtime deadlocks too).
 */
class LocalEndpoint implements RpcEndpoint, EndsWithContext {
  #target: object | undefined;

  constructor(
    target: object,
    private readonly home: Incarnation | undefined,
    private readonly maker: Maker | undefined,
    /** The critical section of `home` whose code made it, if any. */
    private readonly section: object | undefined,
  ) {
    this.#target = target;
  }

  /** The function or RpcTarget; undefined once its object's instance has reset. */
  get target(): object | undefined {
    return this.#target;
  }

  get durableObjectId(): string | undefined {
    return this.home?.id.toString();
  }

  /**
   * Its object's instance reset: calls are refused from now on (see #call), and the function or
   * RpcTarget is let go, as the runtime drops the instance with all it made. A stub the caller
   * keeps would otherwise keep it, and through it the instance and all the instance held.
   */
  contextEnded(): void {
    this.#target = undefined;
  }

  invoke(path: readonly string[], args: unknown[] | undefined): Promise<unknown> {
    // A copy it cannot read fails with its object's id, whatever the failure (a Durable Object's
    // own leaves it off a DOMException).
    return withCopiedArgs(args, (copied, params) => this.#call(path, copied, params), this.durableObjectId, true);
  }

  #call(path: readonly string[], copied: unknown[] | undefined, params: Transfer | undefined): Promise<unknown> {
    // Unlike a Durable Object's, an RpcTarget's refusals carry the id of the object it lives in.
    const run = () => invokePath(this.#target!, path, copied);
    const home = this.home;
    if (home === undefined) {
      // It runs as its maker's code: the stubs among its arguments are that context's.
      if (params !== undefined && this.maker !== undefined) arriveParams(params, this.maker);
      return callOutsideObjects(run, this.maker);
    }
    // The object that made it reset, or was evicted: its RpcTargets and functions died with that
    // instance (an emulator disposed or restored away says so in its own words, as for every
    // other call).
    const broken = home.broken;
    if (broken !== undefined ? !isEndOfEmulatorError(broken) : home.evicted) return Promise.reject(new Error(HOME_ENDED));
    const section = this.section;
    // An ended instance's section runs nothing more (its target may be let go): the gate refuses.
    if (section !== undefined && broken === undefined && home.lockedBy(section)) {
      if (params !== undefined) arriveParams(params, home);
      return callAsMaker(() => inCriticalSection(section, run), home, home);
    }
    const receiver = currentIoContext();
    const call = new InvokeCall(run, (value, answered) => rpcResult(value, answered, answered, answered, receiver), "rpc");
    if (params !== undefined) call.params = params;
    return deliver(home, call);
  }
}

/**
 * A call into a function or RpcTarget that lives in no object's queue (made by Worker or test
 * code): it runs as its maker's code (see Maker). Made by
 * object or Worker code the call is I/O, as deliver() makes a call to an object: sent through an
 * object caller's output gate in a later turn, and answered a turn later.
 */
function callOutsideObjects(run: () => unknown, maker: Maker | undefined): Promise<unknown> {
  // A call running as its maker's code keeps a Worker maker going until it has answered (and its
  // result's stubs have lent), even if the stub it came through is disposed or collected meanwhile.
  const lent = maker?.lendCapability?.();
  if (lent === undefined) return callAsMaker(run, maker);
  const outcome = callAsMaker(run, maker);
  outcome.then(lent, lent);
  return outcome;
}

/** callOutsideObjects() without the lend; `home`: the object whose code `maker` is, if it is one's. */
function callAsMaker(run: () => unknown, maker: Maker | undefined, home?: Incarnation): Promise<unknown> {
  const receiver = currentIoContext();
  const answer = () =>
    Promise.resolve()
      .then(maker === undefined ? run : () => maker.runCode(run, undefined))
      .then(
        (value) => (home === undefined ? rpcResult(value, undefined, undefined, maker, receiver) : rpcResult(value, home, home, home, receiver)),
        (error: unknown) => {
          throw withCallerFrames(callerError(error), error);
        },
      );
  if (!callsAreIo()) return answer();
  const complete = ioCompletion();
  const place = arrivalPlace(objectCodeOwner(), "capability");
  const sent = untilOutputGateOpens() ?? Promise.resolve();
  return sent
    .then(() => new Promise<void>((resolve) => arriveNextTurn(resolve, place)))
    .then(answer)
    .then(
      (value) => new Promise((resolve) => complete(() => resolve(value))),
      (error: unknown) => new Promise((_, reject) => complete(() => reject(error))),
    );
}

/** What a Fetcher sends to: a Durable Object, or a Worker's entrypoint. */
export interface FetchTarget extends RpcRef {
  fetch(input: unknown, init?: RequestInit): Promise<unknown>;
  /** Sends a scheduled event, where the target is a Worker's entrypoint. */
  scheduled?(options: unknown): Promise<unknown>;
  /** The target a receiver of the stub over RPC gets (bound to its context as it arrives), if not this one. */
  forReceiver?(): FetchTarget;
  /** Sends a queue event (`queue(queueName, messages, metadata?)`'s arguments), where the target is a Worker's entrypoint. */
  queue?(args: unknown[]): Promise<unknown>;
  /** Hands `connection` to the target's connect handler (a target without this refuses every connection). */
  connect?(connection: WorkerConnection): void;
}

const FETCHER = "Fetcher";
/** Stubs cross RPC; storage refuses every kind of them under the runtime's base class's name. */
const STUB_STORAGE_REFUSAL = serializableOnlyOverRpc("ServiceStub");
const FETCH = site(FETCHER, "fetch");
const CONNECT = site(FETCHER, "connect");

/**
 * What a stub answers locally (the runtime's base class of stubs, hence the name: it is what
 * `stub.__proto__.__proto__` shows): `fetch` and `connect` on the prototype, Object.prototype's
 * members, an uncallable `constructor`, its own properties; `then` and array indices are absent;
 * every other name is an RPC method, a fresh function on each read.
 */
abstract class ServiceStub {
  readonly #endpoint: FetchTarget;
  /**
   * `scheduled()` and `queue()`: only for callers with service_binding_extra_handlers (else RPC
   * names); undefined for every other stub.
   */
  readonly #eventSenders: Map<string, (...args: unknown[]) => Promise<unknown>> | undefined;
  /**
   * What the last name read through the stub reads or calls: `stub.m !== stub.m`, but the
   * proxies of one name can share their state (which nothing changes), so a loop calling one
   * method makes no state object per call (40 bytes).
   */
  #lastRead: PropertyState | undefined;
  /** The proxy over this target, which its prototype cycle check must recognise (see stubTraps). */
  #proxy: object | undefined;

  /** The proxy over `target` with `handler`: remembered by its target, registered as the runtime's own. */
  static proxy<Target extends ServiceStub>(target: Target, handler: ProxyHandler<Target>): object {
    const proxy = markRuntimeProxy(new Proxy(target, handler));
    target.#proxy = proxy;
    return proxy;
  }

  /** Whether `at` is the proxy over `target`. */
  static isProxyOf(target: ServiceStub, at: object): boolean {
    return target.#proxy === at;
  }

  constructor(endpoint: FetchTarget, extraHandlers = false) {
    this.#endpoint = endpoint;
    if (!extraHandlers || (endpoint.scheduled === undefined && endpoint.queue === undefined)) return;
    const senders = (this.#eventSenders = new Map());
    if (endpoint.scheduled !== undefined) senders.set("scheduled", (...args: unknown[]) => endpoint.scheduled!(args[0]));
    if (endpoint.queue !== undefined) senders.set("queue", (...args: unknown[]) => endpoint.queue!(args));
  }

  fetch(input: unknown, init?: RequestInit): Promise<unknown> {
    if (arguments.length === 0) return Promise.reject(notOfType(FETCH, 1, "Request or string"));
    // A function is an object, so its members are read as the init's.
    if (init !== undefined && init !== null && !isIdlObject(init)) {
      return Promise.reject(notOfType(FETCH, 2, "RequestInitializerDict or Request"));
    }
    return endpointOf(this)!.fetch(input, init ?? undefined);
  }

  /** A connection to the target's connect handler (worker-connection.ts): the Socket at once, its fate when the target answers. */
  connect(address: unknown, options?: unknown): Socket {
    requireArgument(CONNECT, arguments.length, 1, "SocketAddress or string");
    const request = connectArguments(CONNECT, address, options);
    if (request.secureTransport === "on") throw new Error("Incoming CONNECT with TLS not supported");
    const connection = new WorkerConnection(request.address, request.port, request.secureTransport, request.allowHalfOpen);
    const endpoint = endpointOf(this)!;
    if (endpoint.connect === undefined) microtask(() => connection.refuse());
    else endpoint.connect(connection);
    return connection.caller;
  }

  /** What reading `prop` from `stub` (the proxy over `target`) gives. */
  static member(target: ServiceStub, prop: string | symbol, stub: object): unknown {
    // The hot path (a method name): a name the stub does not have, even inherited, cannot be its own.
    if (typeof prop === "string" && !(prop in target)) return ServiceStub.#remoteMember(target, prop);
    return ServiceStub.#otherMember(target, prop, stub);
  }

  /** member() for a name the stub has (apart from member() as limitSize says in serialize.ts). */
  static #otherMember(target: ServiceStub, prop: string | symbol, stub: object): unknown {
    // What code defined on the stub itself: a getter of its own sees the stub, as on any object.
    if (Object.prototype.hasOwnProperty.call(target, prop)) return Reflect.get(target, prop, stub);
    if (prop === RPC_STUB_BRAND) return true;
    // Sent over RPC, a stub becomes a plain Fetcher: `id` and `name` turn into RPC names. It has
    // scheduled() and queue() with service_binding_extra_handlers, as read by the sending code
    // (the receiver is one of its Worker's events or objects but for calls between Workers).
    if (prop === SERVICE_STUB) return fetcher(target.#endpoint.forReceiver?.() ?? target.#endpoint, { extraHandlers: callerHasExtraHandlers() });
    if (prop === FORWARD) return target.#endpoint;
    if (typeof prop === "symbol") return Reflect.get(target, prop);
    if (prop === "then" || isIndexKey(prop) || prop === "toJSON" || target.#eventSenders?.has(prop) === true) {
      return ServiceStub.#remoteMember(target, prop);
    }
    return Reflect.get(target, prop, stub);
  }

  /** What a name the stub does not have (not even on Object.prototype) gives, or one it answers itself first. */
  static #remoteMember(target: ServiceStub, prop: string): unknown {
    if (isIndexKey(prop)) return undefined;
    const sendEvent = target.#eventSenders?.get(prop);
    if (sendEvent !== undefined) return sendEvent;
    if (prop === "then" || withoutRpc(prop)) return undefined;
    if (prop === "toJSON") return ServiceStub.#toJSON(target);
    // The name read last (a loop calling one method) reuses its state as it is, with no lookup of its path.
    let state = target.#lastRead;
    if (state?.path[0] !== prop) state = target.#lastRead = { ref: target.#endpoint, path: pathOf(prop) };
    return propertyOf(state);
  }

  /**
   * A stub's `toJSON`: a member like any other, which JSON.stringify's call answers with the
   * stub's own properties (see callProperty). (Its closure is made here, off the hot path: see
   * sendAsIo.)
   */
  static #toJSON(target: ServiceStub): Function {
    return propertyOf({ ref: target.#endpoint, path: pathOf("toJSON"), json: () => ({ ...target }) });
  }

  static {
    const ctor = defineInterface(this, "ServiceStub", isStubOrTarget, { storageRefusal: STUB_STORAGE_REFUSAL });
    // The runtime's is one interface for Durable Object stubs (below their own prototype) and
    // Fetchers (directly), tagged as the latter. Its constructor is named "ServiceStub" until
    // the isolate has made a Fetcher, "Fetcher" after; durasim keeps the Fetcher's prototype
    // apart (named "Fetcher", below), so `instanceof` is answered for both kinds here.
    tagInterface(this.prototype, FETCHER);
    Object.defineProperty(ctor, Symbol.hasInstance, { value: isStubOrTarget });
  }
}

/** `ServiceStub` of cloudflare:workers: what Durable Object stubs and Fetchers (service bindings) are instances of. */
export const ServiceStubInterface: Function = ServiceStub.prototype.constructor;

/** Runs the object's connect handler on its end of `connection`, or refuses it when the class has none. */
function connectHandler(instance: object, connection: WorkerConnection): unknown {
  const handler = (instance as { connect?: unknown }).connect;
  if (typeof handler !== "function") return connection.refuse();
  // The runtime passes env and ctx as undefined after the socket, as to a WorkerEntrypoint's handlers.
  return handler.call(instance, connection.accept(), undefined, undefined);
}

/** The endpoint behind a stub or a wrapper that forwards to one (brands.ts). */
function endpointOf(value: unknown): FetchTarget | undefined {
  return forwardingEndpoint(value) as FetchTarget | undefined;
}

/** Whether `value` is a stub or a Fetcher of durasim's (or a wrapper that forwards to one). */
export function isStubOrTarget(value: unknown): boolean {
  return value instanceof ServiceStub || endpointOf(value) !== undefined;
}

/** `name` and `id` are a Durable Object stub's own properties: read-only, but deletable. */
class DurableObjectStubTarget extends ServiceStub {
  readonly #locator: ObjectLocator;
  declare readonly name: string | undefined;
  declare readonly id: DurableObjectId;

  constructor(name: string | undefined, id: DurableObjectId, locator: ObjectLocator, endpoint: FetchTarget) {
    super(endpoint, callerHasExtraHandlers());
    Object.defineProperty(this, "name", { value: name, enumerable: true, configurable: true });
    Object.defineProperty(this, "id", { value: id, enumerable: true, configurable: true });
    this.#locator = locator;
  }

  get [LOCATOR](): ObjectLocator {
    return this.#locator;
  }

  static {
    // The runtime's stubs are instances of a class named DurableObject.
    defineInterface(this, "DurableObject", isStubOrTarget, { storageRefusal: STUB_STORAGE_REFUSAL });
  }
}

/** A Durable Object stub that crossed RPC, or a service binding: the runtime's Fetcher, with no own properties. */
class FetcherTarget extends ServiceStub {
  static {
    defineInterface(this, FETCHER, isStubOrTarget, { storageRefusal: STUB_STORAGE_REFUSAL });
    // The runtime's Fetcher is no ServiceStub: `fetch` and `connect` are its prototype's own,
    // straight under Object.prototype. (Its instances still carry ServiceStub's state.)
    const own = this.prototype as object;
    for (const key of ["fetch", "connect"]) Object.defineProperty(own, key, Object.getOwnPropertyDescriptor(ServiceStub.prototype, key)!);
    arrangeMembers(own, ["fetch", "connect"]);
    Object.setPrototypeOf(own, Object.prototype);
  }
}

function hasMember(target: ServiceStub, prop: string | symbol): boolean {
  if (typeof prop === "symbol" || prop in target) return Reflect.has(target, prop);
  return prop !== "then" && !isIndexKey(prop) && !withoutRpc(prop);
}

/** A stub's own properties, and what an RPC name reports (wildcard-attributes.ts). */
function ownMember(target: ServiceStub, prop: string | symbol): PropertyDescriptor | undefined {
  const own = Reflect.getOwnPropertyDescriptor(target, prop);
  if (own !== undefined || typeof prop === "symbol" || prop === "then" || isIndexKey(prop) || prop in target) return own;
  return withoutRpc(prop) ? undefined : rpcNameDescriptor(ownMember);
}

/**
 * The traps of a stub of either kind, `className` being what V8 calls the runtime's. Apart from
 * its RPC names a stub is an ordinary object: code may give it own properties (a test replacing
 * a member with a spy), delete them and swap its prototype, but cannot make it non-extensible
 * (Reflect.preventExtensions answers false, as for the runtime's). A refused write reads as the
 * runtime's (native-refusals); `delete` and defineProperty reach the target itself, whose
 * refusals V8 already words as an object's.
 */
function stubTraps<Target extends ServiceStub>(className: string): ProxyHandler<Target> {
  const set = (target: Target, prop: string | symbol, value: unknown, stub: unknown): boolean => {
    if (Reflect.set(target, prop, value, stub)) return true;
    const message = cannotAssign(target, prop, stub, className);
    return message === undefined ? false : refuse(set, () => message);
  };
  const setPrototypeOf = (target: Target, proto: object | null): boolean => {
    if (closesCycle((at) => ServiceStub.isProxyOf(target, at), proto)) return refuse(setPrototypeOf, () => CYCLIC_PROTO);
    return Reflect.setPrototypeOf(target, proto);
  };
  return {
    get: (target, prop, stub) => ServiceStub.member(target, prop, stub),
    has: hasMember,
    getOwnPropertyDescriptor: ownMember,
    set,
    setPrototypeOf,
    preventExtensions: refusePreventExtensions,
  };
}

const stubHandler = stubTraps<DurableObjectStubTarget>("DurableObject");

const fetcherHandler = stubTraps<FetcherTarget>(FETCHER);

/**
 * A Fetcher to `endpoint`: what crosses RPC for a Durable Object stub, and a service binding.
 * `extraHandlers`: the calling Worker has service_binding_extra_handlers, so `scheduled()` and
 * `queue()` send a scheduled or queue event instead of calling an RPC method of that name.
 */
export function fetcher(endpoint: FetchTarget, { extraHandlers = false }: { extraHandlers?: boolean } = {}): object {
  return ServiceStub.proxy(new FetcherTarget(endpoint, extraHandlers), fetcherHandler);
}

/**
 * A Durable Object stub. Its own enumerable keys are exactly `name` and `id`; every other
 * property is an RPC method (it is not thenable). Creating one constructs nothing.
 */
export function createStub(locator: ObjectLocator, id: DurableObjectId): DurableObjectStub {
  const endpoint = new ObjectEndpoint(locator, id.toString(), currentIoContext());
  return ServiceStub.proxy(new DurableObjectStubTarget(locator.name, id, locator, endpoint), stubHandler) as unknown as DurableObjectStub;
}

/** A facet's stub (ctx.facets.get): the runtime's Fetcher (no own `name` or `id`) to the object `locator` finds. */
export function facetStub(locator: ObjectLocator, id: DurableObjectId): object {
  return markFacetStub(fetcher(new ObjectEndpoint(locator, id.toString(), currentIoContext()), { extraHandlers: callerHasExtraHandlers() }));
}

/** Whether the running code's Worker has service_binding_extra_handlers: its stubs to objects get `scheduled()` and `queue()` too. */
function callerHasExtraHandlers(): boolean {
  return codeFeatures().compatibilityFlags.service_binding_extra_handlers === true;
}

/** The locator behind a Durable Object stub made by durasim, or undefined for anything else. */
export function stubLocator(value: unknown): ObjectLocator | undefined {
  if ((typeof value !== "object" && typeof value !== "function") || value === null) return undefined;
  return (value as { [LOCATOR]?: ObjectLocator })[LOCATOR];
}

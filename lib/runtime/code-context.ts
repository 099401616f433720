import { AsyncLocalStorage, AsyncResource } from "node:async_hooks";
import { atTurnEnd, nextTurn } from "../util/turn.js";
import { type CodeFeatures, NEWEST_CODE_FEATURES } from "./code-features.js";
import { outsideCodeFeatures } from "./current-env.js";
import type { ObjectCodeOwner } from "./object-code-owner.js";
import { processShared } from "../util/process-shared.js";

/**
 * Whether the code running now is Durable Object code: an event's handler, the constructor, a
 * blockConcurrencyWhile callback, or anything they set off (continuations after `await`, timer
 * callbacks, waitUntil work); or Worker code: what an emulated Worker event runs (a fetch,
 * queue or scheduled handler, an entrypoint's method) and what it sets off. A call either makes
 * to an object or Worker is delivered, and answered, in a later turn, as I/O is in the runtime
 * (so it settles after the caller's microtask queue has drained, and awaiting it releases an
 * object's input gate); a call from anywhere else (test code) goes straight into the callee's
 * queue, so concurrent outside callers are served in the order they called.
 *
 * The flag travels with async context. Every event enters one AsyncResource made inside the
 * flagged context, which switches context without allocating (AsyncLocalStorage.run would
 * copy the context on every event). The pair lives on globalThis under a registered symbol, so
 * two loaded copies of durasim agree on what object code is.
 *
 * Every scope is made from the context durasim was loaded in, never from the caller's: as in
 * the runtime, an event starts without the AsyncLocalStorage values of the code that sent it
 * (whoever first reaches an object makes its scope, and every later event enters that scope).
 */
interface ObjectCodeContext {
  /**
   * The owner of the running object code (see objectCodeScope), true for code of no one object,
   * or WORKER_CODE (below) for Worker code.
   */
  storage: AsyncLocalStorage<unknown>;
  scope: AsyncResource;
  /** The critical section (see inCriticalSection) the running code belongs to, if any. */
  sections?: AsyncLocalStorage<object>;
  /** The Worker event the running Worker code belongs to, if any (see workerEventScope). */
  workerEvents?: AsyncLocalStorage<WorkerEventCode>;
  /** The context durasim was loaded in, which every object's scope is made from. */
  root?: AsyncResource;
  /** Set while a Worker's modules are evaluated (see asWorkerModuleEvaluation). */
  moduleEvaluation?: AsyncLocalStorage<true>;
  /** How many loads of Worker modules are in flight (see asWorkerModuleEvaluation). */
  modulesEvaluating?: number;
}

const context = processShared<ObjectCodeContext>("objectCodeContext", () => {
  const storage = new AsyncLocalStorage<unknown>();
  return { storage, scope: storage.run(true, () => new AsyncResource("durasim.objectCode")) };
});
const sections = (context.sections ??= new AsyncLocalStorage<object>());
/** The store of Worker code: a registered symbol, so every loaded copy of durasim knows it. */
const WORKER_CODE = Symbol.for("durasim.workerCode");
const root = (context.root ??= new AsyncResource("durasim.root"));
const workerEvents = (context.workerEvents ??= new AsyncLocalStorage<WorkerEventCode>());
const moduleEvaluation = (context.moduleEvaluation ??= new AsyncLocalStorage<true>());

/**
 * A scope for the code of one object (made once per instance, not per event): code run in it
 * is object code, and `objectCodeOwner()` answers `owner` there.
 */
export function objectCodeScope(owner: ObjectCodeOwner): AsyncResource {
  return root.runInAsyncScope(makeObjectCodeScope, undefined, owner);
}

function makeObjectCodeScope(owner: ObjectCodeOwner): AsyncResource {
  return context.storage.run(owner, () => new AsyncResource("durasim.objectCode"));
}

/**
 * Runs `fn` (and what it sets off) as code of no object and no Worker event, as test code runs;
 * returns what it returns. Node's own machinery that emulated code sets going (a fetch()'s
 * connection, a WebSocket client) runs so: the timers it sets are Node's, never that code's.
 */
export function asOutsideCode<T>(fn: () => T): T {
  return root.runInAsyncScope(fn);
}

/** Runs `fn(a, b, c)` (and what it sets off) as Durable Object code, in `scope`. */
export function asObjectCode<A, B, C, T>(scope: AsyncResource, fn: (a: A, b: B, c: C) => T, a: A, b: B, c: C): T {
  // Fixed arity: the hot path of every event spreads no arguments array.
  return scope.runInAsyncScope(fn, undefined, a, b, c);
}

export function isObjectCode(): boolean {
  const store = context.storage.getStore();
  return store !== undefined && store !== WORKER_CODE;
}

/** What Worker code running now knows of its event (entrypoints/worker-event.ts). */
export interface WorkerEventCode {
  /** `ctx.waitUntil()`, and the `waitUntil` of cloudflare:workers. */
  waitUntil(promise: unknown): void;
  /** The event has ended: what its code sent and has not left yet never leaves. */
  readonly ended: boolean;
  /**
   * Its code still hears the answers to its I/O: not once it has ended (see answerReaches),
   * unless its Worker ended it (the emulator disposed), where what is in flight fails instead.
   */
  readonly hearsAnswers: boolean;
  /** Runs `fn(arg)` as the event's code. */
  runCode<A, T>(fn: (arg: A) => T, arg: A): T;
  /** A stub to a function or RpcTarget its code made was handed out: it lasts until the returned release runs. */
  lendCapability(): () => void;
  /** Its Worker's compatibility features (default: the newest date's). */
  readonly codeFeatures?: CodeFeatures;
  /** Its Worker's env. */
  readonly env: object;
}


/**
 * A scope for the code of one Worker event (a fetch, an RPC call, a scheduled or queue event
 * of an entrypoint): code run in it is Worker code, and `currentWorkerEvent()` answers `event`
 * there, so what the event sets off (timers, streams) can end with it, as in the runtime.
 */
export function workerEventScope(event: WorkerEventCode): AsyncResource {
  return root.runInAsyncScope(makeWorkerEventScope, undefined, event);
}

function makeWorkerEventScope(event: WorkerEventCode): AsyncResource {
  return context.storage.run(WORKER_CODE, () => workerEvents.run(event, () => new AsyncResource("durasim.workerCode")));
}

/** The Worker event whose code is running now, if Worker code is. */
export function currentWorkerEvent(): WorkerEventCode | undefined {
  return workerEvents.getStore();
}

/** Whether a call a Worker event made never leaves (see departureOf). */
export interface Departure {
  readonly cancelled: boolean;
}

const LEAVES: Departure = { cancelled: false };

/**
 * The fate of a call `sender` (a Worker event; undefined for any other caller) makes now: it
 * is cancelled, and the callee never gets it, when the event ends in the turn that made it. The
 * runtime sends a call as its event loop runs after that turn, before any timer fires, so a
 * call made before the event awaited a timer has left however late durasim's next turn comes
 * (on a busy machine a 1 ms timer can fire before the turn in which the call arrives).
 */
export function departureOf(sender: WorkerEventCode | undefined): Departure {
  if (sender === undefined) return LEAVES;
  const departure = { cancelled: false };
  atTurnEnd(() => {
    departure.cancelled = sender.ended;
  });
  return departure;
}

/**
 * Whether a call the running code makes now to an object or a Worker is I/O, answered in a
 * later turn: made by object code or Worker code, not by test code outside any Worker event.
 */
export function callsAreIo(): boolean {
  return runsEmulatedCode();
}

/** Whether the running code is Worker or Durable Object code (or something it set off). */
export function runsEmulatedCode(): boolean {
  return context.storage.getStore() !== undefined;
}

/** The owner given to objectCodeScope() for the object code running now, if any. */
export function objectCodeOwner(): ObjectCodeOwner | undefined {
  const store = context.storage.getStore();
  // The store holds only what objectCodeScope() put there: an owner, or true.
  return typeof store === "object" && store !== null ? (store as ObjectCodeOwner) : undefined;
}

/** objectCodeOwner() ?? currentWorkerEvent(), reading one store for test code (the common caller), which has neither. */
export function objectCodeOwnerOrWorkerEvent(): object | undefined {
  const store = context.storage.getStore();
  if (store === undefined) return undefined;
  return typeof store === "object" && store !== null ? store : workerEvents.getStore();
}

/**
 * Runs `fn` (a blockConcurrencyWhile callback, a transaction's closure) as critical section
 * `section`: what it sets off (continuations, timers) belongs to it, and may run while it
 * holds its object's input gate, where the code of other events waits (gates/input-gate.ts).
 */
export function inCriticalSection<T>(section: object, fn: () => T): T {
  return sections.run(section, fn);
}

/** The critical section the running code belongs to, if any. */
export function currentCriticalSection(): object | undefined {
  return sections.getStore();
}

/**
 * How I/O the running code starts now completes (call it when the I/O starts): in a later turn,
 * as a network reply would, and, for object code, through its object's input gate, which a
 * critical section the I/O was not started in holds closed until it ends (gates/input-gate.ts).
 */
export function ioCompletion(): (complete: () => void) => void {
  return ioCompletionOf(objectCodeOwner());
}

/**
 * ioCompletion() for code whose objectCodeOwner() the caller has already read (`owner`). For
 * Worker code, the answer is dropped if its event has ended by the time it arrives (its caller
 * gave up, or it answered and nothing kept it): the runtime has torn that event's I/O context
 * down, so the code awaiting the answer never resumes (conformance "worker event cancel: ...").
 * Dropped, the answer holds nothing of the event: the callback that would deliver it goes.
 * For object code the gate's resume() likewise drops it once the instance has reset (see
 * answerReachesObject).
 */
export function ioCompletionOf(owner: ObjectCodeOwner | undefined): (complete: () => void) => void {
  if (owner === undefined) {
    const event = context.storage.getStore() === WORKER_CODE ? workerEvents.getStore() : undefined;
    if (event === undefined) return nextTurnCompletion;
    return (complete) => void nextTurn(() => answerReaches(event) && complete());
  }
  const section = sections.getStore();
  return (complete) => void nextTurn(() => owner.gate.resume(complete, section));
}

/**
 * ioCompletionOf() for the result of an RPC call an object made on a stub: it reaches the
 * calling object a turn later than a Worker, as in workerd, where the object that a stream of
 * such calls goes to starts one more of them before the caller sees the first one's result.
 */
export function rpcResultCompletionOf(owner: ObjectCodeOwner | undefined): (complete: () => void) => void {
  if (owner === undefined) return ioCompletionOf(owner);
  const completion = ioCompletionOf(owner);
  return (complete) => void nextTurn(() => completion(complete));
}

/**
 * Whether the answer to I/O that `sender` (a Worker event; undefined for other code) started
 * still reaches its code: not once the event has ended (its caller gave up, or it answered and
 * nothing kept it), as the runtime tears an ended event's I/O context down and no code of it
 * resumes. Every answer to Worker code asks this as it arrives. (An emulator's dispose() fails
 * what is in flight instead, as it documents.)
 */
export function answerReaches(sender: WorkerEventCode | undefined): boolean {
  return sender === undefined || sender.hearsAnswers;
}

/**
 * Whether the answer to I/O that code of `owner` (an object instance; undefined for other code)
 * started still reaches that code: not once the instance has reset, as workerd never runs a
 * reset instance's code again (see InputGate's silence). ioCompletionOf()'s answers ask it at
 * the gate (resume()); an answer that does not pass the gate (a call that failed before it
 * left) asks it here.
 */
export function answerReachesObject(owner: ObjectCodeOwner | undefined): boolean {
  return owner === undefined || !owner.gate.endedByReset;
}

/** How I/O of code of no object and no Worker event (test code) completes: a turn later. */
function nextTurnCompletion(complete: () => void): void {
  nextTurn(complete);
}

/** ioCompletion() as a promise: resolves when the I/O started now may complete. */
export function ioCompleted(): () => Promise<void> {
  const complete = ioCompletion();
  return () => new Promise((resolve) => complete(resolve));
}

/**
 * The compatibility features of the running code's Worker: an object's code, a Worker event's,
 * or for code of neither (test code) the main Worker's, as current-env.ts says.
 */
export function codeFeatures(): CodeFeatures {
  const owner = objectCodeOwner();
  if (owner !== undefined) return owner.codeFeatures ?? NEWEST_CODE_FEATURES;
  return currentWorkerEvent()?.codeFeatures ?? outsideCodeFeatures();
}

/**
 * Whether the running code's Worker has turned compatibility flag `flag` off (its date is before
 * the flag's, or it names the flag's opposite). A Worker whose flags are not known (test code
 * before any emulator, NEWEST_CODE_FEATURES) has every flag on, so only `false` turns one off.
 */
export function compatibilityFlagOff(flag: string): boolean {
  return codeFeatures().compatibilityFlags[flag] === false;
}

/**
 * The env of the Worker whose code is running now (an object's or a Worker event's), which tells
 * the Workers of one process apart; undefined for code of neither (test code).
 */
export function runningWorkerEnv(): object | undefined {
  return objectCodeOwner()?.env ?? currentWorkerEvent()?.env;
}

/**
 * Runs `load` (an import() of a Worker's modules durasim loads itself) as the Worker's startup:
 * the modules' top-level code, also after a top-level await, runs with the mark that
 * evaluatesWorkerModules() reads, as the runtime evaluates a Worker's modules in its global
 * scope, outside any handler. Modules a test runner imports for a test file are test code: not
 * marked (their evaluation cannot be told from the test's).
 */
export async function asWorkerModuleEvaluation<T>(load: () => Promise<T>): Promise<T> {
  context.modulesEvaluating = (context.modulesEvaluating ?? 0) + 1;
  try {
    return await moduleEvaluation.run(true, load);
  } finally {
    // On Node 20 (async_hooks) every enabled AsyncLocalStorage adds work to every promise the
    // process makes (~30 ns each, measured), so the mark is enabled only while modules load.
    if (--context.modulesEvaluating === 0) moduleEvaluation.disable();
  }
}

/** Whether the running code is a Worker's modules being evaluated (see asWorkerModuleEvaluation). */
export function evaluatesWorkerModules(): boolean {
  return moduleEvaluation.getStore() === true;
}

import type { AsyncResource } from "node:async_hooks";
import { type WorkerEventCode, workerEventScope } from "../code-context.js";
import { type CodeFeatures, NEWEST_CODE_FEATURES } from "../code-features.js";
import { INSTANCE_TIMERS, InstanceTimers, type TimerOwner } from "../lifecycle/timers.js";
import { flowsUntilOwnerEnds, ownerEnded, stillFlows, whenFlowsEnd } from "../open-bodies.js";
import { withEnv } from "../current-env.js";
import { logWorkerRejections } from "../worker-rejections.js";
import { endIoContext, holdUntilContextEnds, letGo } from "../io-context.js";
import { allSettled } from "./execution-context.js";
import { readyTurn } from "../../util/ready-io.js";
import { cancelledByCaller, CLIENT_GONE, type ClientGoneReceiver } from "../client-gone.js";

/**
 * One stateless Worker event (a fetch, an RPC call, a scheduled or queue event of an
 * entrypoint) and what its code sets off. As in the runtime, the event lasts until its handler
 * has answered, every promise given to `waitUntil` has settled and every stream it sent (a
 * Response body, a stream in an RPC result or argument) has ended; then its timers stop: a
 * timer still pending never fires, an interval never ticks again; and a call its code made that
 * has not left yet (calls leave a turn after they are made) never leaves. When its Worker ends (the
 * emulator disposed) first, its timers stop and its streams still flowing are cut. A Response
 * made by Node's own class (not the Worker `Response`) hides when its body ends: an event that
 * answers with one lasts until that Response has been garbage-collected (nobody can read its
 * body any more), or its Worker ends, as it does for a stream it sent that its receiver dropped.
 * It also lasts while a stub to a function or RpcTarget its code made is held (that code runs
 * in the event when called), and, answering with a WebSocket, until that socket's connection is
 * closed both ways (a Close frame sent each way) or dropped, as the runtime keeps it while open.
 * A fetch whose caller gives up before the answer cancels it (client-gone.ts).
 */

/** A Worker event's timers are not counted (nothing hibernates); they only stop with it. */
const UNCOUNTED: TimerOwner = { timerSet() {}, timerDone() {} };

export class WorkerEvent implements WorkerEventCode, ClientGoneReceiver {
  readonly scope: AsyncResource = workerEventScope(this);
  readonly [INSTANCE_TIMERS] = new InstanceTimers(UNCOUNTED);
  /** What keeps it going, in order (its code's waitUntil promises and the runtime's own); read by index, so several readers can wait. */
  readonly kept: unknown[] = [];
  /** Of those, the promises its code gave waitUntil: a test runner waits for them (wait-until-work.ts), not for open sockets. */
  readonly waitedUntil: unknown[] = [];
  #ended = false;
  /** See closing. */
  #closing = false;
  /** Stubs to functions and RpcTargets its code made that are held (see lendCapability). */
  #lent = 0;
  /** What runs once the last of them is released, if the handler has answered meanwhile. */
  #whenReturned: (() => void) | undefined;
  /** Its waitUntil promises not settled yet: all that keeps it once its caller gave up. */
  #waiting = 0;
  /** Its caller gave up on it before the answer (clientGone). */
  #cancelled = false;
  /** Its handler has answered (or failed). */
  #answered = false;
  /** Stops watching the callers that may give up (see #watch); undefined while none is watched. */
  #unwatch: (() => void) | undefined;
  /** It ended as its Worker did (the emulator disposed): what it has in flight fails instead. */
  #cut = false;
  /** Fails its handler's outcome once the caller's giving up ended it (see unlessCancelled). */
  #gone: ((reason: Error) => void) | undefined;

  /** `live`: the Worker's events still going, which this one joins until it ends; `env`: its Worker's. */
  constructor(
    private readonly live: Set<WorkerEvent>,
    readonly env: object,
    /** Its Worker's compatibility features. */
    readonly codeFeatures: CodeFeatures = NEWEST_CODE_FEATURES,
  ) {
    live.add(this);
    logWorkerRejections();
  }

  /** Runs `fn(arg)` as the event's code (a function or RpcTarget it made, called through a stub). */
  runCode<A, T>(fn: (arg: A) => T, arg: A): T {
    return this.scope.runInAsyncScope(withEnv<T, A>, undefined, this.env, fn, arg);
  }

  /**
   * A stub to a function or RpcTarget its code made was handed out: the event lasts until the
   * returned function runs (its last stub was disposed), as the runtime keeps it for that stub.
   */
  lendCapability(): () => void {
    this.#lent++;
    return () => {
      if (--this.#lent > 0 || this.#whenReturned === undefined) return;
      const answered = this.#whenReturned;
      this.#whenReturned = undefined;
      this.#closing = true;
      answered();
    };
  }

  /**
   * It has ended, or is ending: only stubs to what it made kept it, and the last was released.
   * Its code runs no more: an RpcTarget's disposer is not called then, as in the runtime.
   */
  get closing(): boolean {
    return this.#closing || this.#ended;
  }

  waitUntil(promise: unknown): void {
    this.kept.push(promise);
    this.waitedUntil.push(promise);
    this.#waiting++;
    const settled = () => {
      if (--this.#waiting === 0 && this.#cancelled) this.end();
    };
    Promise.resolve(promise).then(settled, settled);
  }

  /** Its fetch handler takes `request` (whose body, as sent, is `body`): the caller giving up cancels it. */
  takeRequestOf(request: Request, body: ReadableStream | null): void {
    this.#watch(cancelledByCaller(request, body, this));
  }

  /**
   * `sender` (a Worker event; undefined for other callers) made the call this event runs: its
   * end before the answer cancels this event, as the runtime cancels what a torn-down context
   * still awaits, a subrequest to a Worker included (conformance "worker event cancel: ...").
   */
  calledFrom(sender: WorkerEventCode | undefined): void {
    if (sender === undefined) return;
    const gone = { contextEnded: () => this.clientGone() };
    holdUntilContextEnds(sender, gone);
    this.#watch(() => letGo(sender, gone));
  }

  /** `unwatch` (if any) stops watching one caller that may give up, once it answered or ended. */
  #watch(unwatch: (() => void) | undefined): void {
    if (unwatch === undefined) return;
    const before = this.#unwatch;
    this.#unwatch = before === undefined ? unwatch : () => (before(), unwatch());
  }

  /**
   * For an event whose caller may give up (a fetch with a signal, a call from a Worker event):
   * `convert(value)` once `outcome` (its handler's) fulfils with `value`, or a rejection with
   * CLIENT_GONE once the giving up ended it; undefined for any other event, whose runner awaits
   * `outcome` itself. What the handler awaits may never settle once it ended, and the call still
   * waiting for it would hold what was sent (a clone kept for redirects, the caller's code) until
   * the emulator ends. `convert` (which copies the answer for the caller) runs as soon as for an
   * event awaited directly, so what the handler's code queued meanwhile shows just as much;
   * the caller hears of it a turn of microtasks later.
   */
  unlessCancelled<T, R>(outcome: T, convert: (value: Awaited<T>) => R): Promise<R> | undefined {
    if (this.#unwatch === undefined) return undefined;
    return new Promise<R>((resolve, reject) => {
      this.#gone = reject;
      Promise.resolve(outcome).then((value) => {
        try {
          resolve(convert(value));
        } catch (error) {
          reject(error);
        }
      }, reject);
    });
  }

  /**
   * The caller gave up before the answer: the event ends once no waitUntil promise is pending
   * (at once if none is), as the runtime cancels it (client-gone.ts).
   */
  clientGone(): void {
    if (this.#ended || this.#cancelled || this.#answered) return;
    this.#cancelled = true;
    if (this.#waiting === 0) this.end();
  }

  /** The runtime keeps it going until `promise` settles (an open WebSocket it answered with). */
  keepUntil(promise: unknown): void {
    this.kept.push(promise);
  }

  get ended(): boolean {
    return this.#ended;
  }

  get hearsAnswers(): boolean {
    return !this.#ended || this.#cut;
  }

  /**
   * It answered with `response`, whose body's end durasim cannot see (made by Node's own Response
   * class), nor cut: it flows (see open-bodies.ts) until that Response is collected.
   */
  hold(response: object): void {
    flowsUntilOwnerEnds(this, response, () => undefined);
  }

  /**
   * It answered with a body that is no stream (a string, bytes): the runtime writes it out in a
   * later turn, and the event lasts until then (calls its code made meanwhile still leave). That
   * write is ready work, which workerd finishes before it looks at the clock: a timer of the
   * event that fell due meanwhile (the handler computed, the machine stalled) never fires.
   */
  writesBody(): void {
    this.kept.push(readyTurn());
  }

  /**
   * The handler has answered (or failed): the event ends once what it kept and sent is done. A
   * stream it sent (a Response body, a stream in an RPC result) is pumped out as ready work too,
   * chunk after chunk that is ready, before workerd looks at the clock: a timer that fell due
   * meanwhile waits for that turn, so a stream written whole ends the event before it fires.
   */
  answered(): void {
    this.#answered = true;
    this.#unwatch?.();
    if (stillFlows(this)) this.kept.push(readyTurn());
    void allSettled(this.kept).then(() => {
      if (this.#lent === 0) whenFlowsEnd(this, () => this.end());
      // What the lent code adds to waitUntil meanwhile is waited for too.
      else this.#whenReturned = () => this.answered();
    });
  }

  /** Ends the event: its timers stop; `cut` (the Worker ended first) fails its streams still flowing. */
  end(cut?: Error): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#cut = cut !== undefined;
    this.#unwatch?.();
    if (this.#cancelled) this.#gone?.(CLIENT_GONE);
    this.live.delete(this);
    this[INSTANCE_TIMERS].cancel();
    endIoContext(this);
    if (cut !== undefined) ownerEnded(this, cut);
  }
}

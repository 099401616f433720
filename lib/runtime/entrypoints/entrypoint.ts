import { inCodeRealm } from "../../util/code-realm.js";
import { nextTurnPromise } from "../../util/turn.js";
import { observesOwnRejection } from "../stacks.js";
import { takeRequest } from "../received-body.js";
import { CLIENT_GONE } from "../client-gone.js";
import { sentBody } from "../http-request.js";
import { classHasBrand, WORKER_ENTRYPOINT_BRAND } from "../brands.js";
import { answerReaches, callsAreIo, codeFeatures, currentWorkerEvent, departureOf, objectCodeOwner, type WorkerEventCode } from "../code-context.js";
import type { CodeFeatures } from "../code-features.js";
import { withEnv } from "../current-env.js";
import { runtimeSideError, seenByCallingObject } from "../errors.js";
import { currentIoContext } from "../io-context.js";
import { untilOutputGateOpens } from "../gates/output-gate.js";
import { ENTRYPOINT_RESERVED, invokePath, notAFunction, notImplemented, reservedName } from "../rpc/resolve.js";
import { type FetchTarget, fetchResult, rpcResult, withCopiedArgs, withRequest } from "../rpc/stub.js";
import { callerError } from "../rpc/tunnel.js";
import { fetchHandlerReturned } from "../rpc/handler-return.js";
import { handlersOfExportedObject, isReadHandlerName, readHandlers } from "../exported-handlers.js";
import { currentSocketHost } from "../websockets/host.js";
import { bodyEndUnseen, hasGivenBody, type Response as WorkerResponse } from "../websockets/response.js";
import { socketInternals } from "../websockets/web-socket.js";
import { ExecutionContext, internalServerError, logUncaught, passesThroughOnException } from "./execution-context.js";
import { runQueueEvent } from "./queue.js";
import { runScheduledEvent } from "./scheduled.js";
import { messagesFromArguments } from "../fetcher-events/queue-arguments.js";
import { controllerFromOptions } from "../fetcher-events/scheduled-controller.js";
import type { WorkerEvent } from "./worker-event.js";
import type { WorkerConnection } from "../tcp/worker-connection.js";

/**
 * One entrypoint of a Worker, as a service binding (or `exports`) reaches it: the default
 * export or a named one, a `WorkerEntrypoint` class (a new instance per call, `this.ctx` and
 * `this.env`) or an object of handlers (`handler(arg, env, ctx)`), with the binding's `props`
 * in `ctx.props`; scheduled and queue events (scheduled.ts, queue.ts) reach its `scheduled()` and
 * `queue()` handlers. Workers
 * have no input gate; a call made by object code is answered in a later turn, as I/O is.
 * Errors reach the caller flagged `remote`, without an object's id.
 */

/** What an entrypoint needs from its Worker. */
export interface EntrypointHost {
  readonly name: string;
  readonly env: Record<string, unknown>;
  /** What its handlers' `ctx.exports` shows: the Worker's `exports`, or undefined (no such property) without enable_ctx_exports. */
  readonly ctxExports: object | undefined;
  /** Whether the Worker has service_binding_extra_handlers: its Fetchers get `scheduled()`. */
  readonly extraHandlers: boolean;
  /** Its compatibility features (what its code throws is written as they say: rpc/tunnel.ts). */
  readonly codeFeatures: CodeFeatures;
  /** The export named `name`, once the module has loaded (a ConfigError when it is no entrypoint). */
  entrypoint(name: string): Promise<unknown>;
  /** `pending`, or a rejection once the emulator ends, whichever comes first; `toCaller` makes what the caller receives of what the code threw, and its stack shows the caller. */
  answerOrEnd<T>(pending: Promise<T>, toCaller?: (thrown: unknown) => unknown, held?: () => Promise<unknown>): Promise<T>;
  /** A new event of this Worker (worker-event.ts), which ends with it at the latest. */
  startEvent(): WorkerEvent;
}

const wrongArgumentCount = (name: string) =>
  `Attempted to call RPC function "${name}" with the wrong number of arguments. When calling a top-level handler function that is not declared as part of a class, you must always send exactly one argument. In order to support variable numbers of arguments, the server must use class-based syntax (extending WorkerEntrypoint) instead.`;

type Handlers = Record<string, unknown>;

export class EntrypointTarget implements FetchTarget {
  constructor(
    private readonly host: EntrypointHost,
    readonly exportName: string,
    private readonly props: Record<string, unknown>,
  ) {}

  fetch(input: unknown, init?: RequestInit): Promise<unknown> {
    return withRequest(input, init, (request) => this.deliver(request));
  }

  /** Runs the handler on one request fetch() sends (the first, or one a redirect asks for). */
  deliver(request: Request): Promise<unknown> {
    const deliver = fetchResult(request, currentSocketHost());
    const delivered = (value: unknown, event: WorkerEvent) => {
      const response = deliver(value, undefined, event) as Response;
      // The runtime keeps an event that answered with a WebSocket while the socket is open.
      if (response.status === 101) event.keepUntil(socketInternals().connectionOver((response as WorkerResponse).webSocket!));
      else if (bodyEndUnseen(response)) event.hold(response);
      else if (hasGivenBody(value as object)) event.writesBody();
      return response;
    };
    return this.#run("fetch", delivered, (entrypoint, ctx, event) => {
      // The request's body is the event's now: its handler runs in the event's context.
      takeRequest(request);
      event.takeRequestOf(request, sentBody(request));
      if (isEntrypointClass(entrypoint)) {
        const instance = instantiate(entrypoint, ctx, this.host.env);
        const handler = readHandlers(instance).fetch;
        if (typeof handler !== "function") throw runtimeSideError(new Error("Handler does not export a fetch() function."));
        return fetchHandlerReturned(handler.call(instance, request));
      }
      const handler = handlersOfExportedObject(entrypoint as object).fetch;
      if (typeof handler !== "function") throw runtimeSideError(new Error("Handler does not export a fetch() function."));
      return fetchHandlerReturned(handler.call(entrypoint, request, this.host.env, ctx));
    });
  }

  call(path: readonly string[], args: unknown[] | undefined): Promise<unknown> {
    // Stubs in the result belong to the caller's context.
    const receiver = currentIoContext();
    return withCopiedArgs(args, (copied, params) =>
      this.#run(
        "rpc",
        (value, event) => rpcResult(value, undefined, event, event, receiver),
        (entrypoint, ctx, event) => {
          // The stubs among its arguments are the event's now.
          params?.arrivedIn(event);
          const name = path[0]!;
          if (ENTRYPOINT_RESERVED.has(name)) throw runtimeSideError(reservedName(name));
          if (isEntrypointClass(entrypoint)) {
            const instance = instantiate(entrypoint, ctx, this.host.env);
            // Its handlers are read all the same (a getter among them runs), then dropped.
            readHandlers(instance);
            return invokePath(instance, path, copied, runtimeSideError, ENTRYPOINT_RESERVED, "entrypoint");
          }
          return callHandler(entrypoint as Handlers, path, copied, [this.host.env, ctx]);
        },
      ),
    );
  }

  /** A scheduled event (a Fetcher's `scheduled(options)`): resolves to `{ outcome, noRetry }`. */
  scheduled(options: unknown): Promise<unknown> {
    return this.#sendEvent("scheduled", () => controllerFromOptions(options), runScheduledEvent);
  }

  /**
   * A connect event (a Fetcher's `connect()`): the handler gets its end of `connection`, which
   * lasts as long as the event; without a handler the connection is refused. What the handler
   * throws ends the connection and goes no further, as in the runtime.
   */
  connect(connection: WorkerConnection): void {
    this.#run("rpc", () => undefined, (entrypoint, ctx) => {
      const handler = this.#eventHandler("connect", entrypoint, ctx);
      if (handler === undefined) return connection.refuse();
      return handler(connection.accept());
    })
      .catch(() => undefined)
      .finally(() => connection.end());
  }

  /** A queue event (a Fetcher's `queue(queueName, messages, metadata?)`): resolves to its FetcherQueueResult. */
  queue(args: unknown[]): Promise<unknown> {
    return this.#sendEvent("queue", () => messagesFromArguments(args.length, args[0], args[1], args[2]), runQueueEvent);
  }

  /**
   * Sends an event to the entrypoint's handler `name`: `check` reads the caller's arguments
   * first (its TypeErrors reject before anything runs), then `run` runs the event with a ctx
   * whose waitUntil promises it waits for, and resolves to its result.
   */
  #sendEvent<E>(
    name: string,
    check: () => E,
    run: (worker: string, event: E, handler: ((arg: unknown) => unknown) | undefined, waitUntil: readonly unknown[]) => Promise<unknown>,
  ): Promise<unknown> {
    let event: E;
    try {
      event = check();
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#run(
      "rpc",
      (value) => value,
      (entrypoint, ctx, workerEvent) => run(this.host.name, event, this.#eventHandler(name, entrypoint, ctx), workerEvent.kept),
    );
  }

  /**
   * The entrypoint's handler of an event (`scheduled`, `queue`), taking the event's object;
   * undefined when it has none. A class's handler gets that object alone (env and ctx are passed
   * as undefined), an object's handler gets env and ctx too.
   */
  #eventHandler(name: string, entrypoint: unknown, ctx: ExecutionContext): ((event: unknown) => unknown) | undefined {
    if (isEntrypointClass(entrypoint)) {
      const instance = instantiate(entrypoint, ctx, this.host.env);
      const read = readHandlers(instance);
      const handler = isReadHandlerName(name) ? read[name] : (instance as Handlers)[name];
      return typeof handler === "function" ? (event) => handler.call(instance, event, undefined, undefined) : undefined;
    }
    const read = handlersOfExportedObject(entrypoint as object);
    const handler = isReadHandlerName(name) ? read[name] : (entrypoint as Handlers)[name];
    return typeof handler === "function" ? (event) => handler.call(entrypoint, event, this.host.env, ctx) : undefined;
  }

  /**
   * Runs `invoke` against the entrypoint as a new Worker event (worker-event.ts) with a fresh
   * ctx, and turns its outcome into what the caller receives (`convert`: streams in it are
   * the event's); from object code, a turn later.
   */
  #run(
    kind: "fetch" | "rpc",
    convert: (value: unknown, event: WorkerEvent) => unknown,
    invoke: (entrypoint: unknown, ctx: ExecutionContext, event: WorkerEvent) => unknown,
  ): Promise<unknown> {
    const start = async (sender: WorkerEventCode | undefined) => {
      const entrypoint = await this.host.entrypoint(this.exportName);
      const event = this.host.startEvent();
      event.calledFrom(sender);
      let ctx: ExecutionContext | undefined;
      try {
        ctx = new ExecutionContext(inCodeRealm(structuredClone(this.props)), this.host.ctxExports, event);
        const made = ctx;
        const outcome = event.scope.runInAsyncScope(() => withEnv(this.host.env, () => invoke(entrypoint, made, event)));
        const cancellable = event.unlessCancelled(outcome, (value) => convert(value, event));
        return cancellable === undefined ? convert(await outcome, event) : await cancellable;
      } catch (error) {
        // (A fetch its caller gave up on has no answer to write: CLIENT_GONE reaches no one.)
        if (kind === "fetch" && error !== CLIENT_GONE) {
          // After ctx.passThroughOnException() the runtime would hand the request to the origin;
          // a service binding has none, so the caller gets an empty 500 and the exception is logged.
          if (ctx !== undefined && passesThroughOnException(ctx)) {
            logUncaught(this.host.name, "fetch", error);
            return convert(internalServerError(), event);
          }
          // A fetch handler's exception becomes an error response the runtime writes out.
          event.writesBody();
        }
        throw error;
      } finally {
        event.answered();
      }
    };
    // The copy carries no stack of its own (see serialize.ts): answerOrEnd gives it the frames
    // where the Worker's code threw, then the caller's. Both Workers' features decide its format.
    const features = { senderFeatures: this.host.codeFeatures, receiverFeatures: codeFeatures() };
    // A calling object sees the errors of an RPC call named after itself, as of any call.
    const callerId = kind === "rpc" ? objectCodeOwner()?.id.toString() : undefined;
    const toCaller = (error: unknown) => {
      const copy = callerError(error, { kind, ...features });
      return callerId === undefined ? copy : seenByCallingObject(copy, callerId);
    };
    // The promise the caller holds handles its own failure (answerOrEnd's `held`): an RPC
    // call's is marked so (stacks.ts), as no handler beside the caller's await may hide the
    // caller's frames from V8.
    const held = () => caller;
    const caller = this.#answer(start, toCaller, held);
    return kind === "rpc" ? observesOwnRejection(caller) : caller;
  }

  /**
   * What `start` answers, in the caller's turn; from object or Worker code the call is I/O: it
   * leaves through an object caller's output gate, like any subrequest (never, if the caller's
   * writes fail), and its answer comes back a turn later.
   */
  #answer(
    start: (sender: WorkerEventCode | undefined) => Promise<unknown>,
    toCaller: (thrown: unknown) => unknown,
    held: () => Promise<unknown>,
  ): Promise<unknown> {
    if (!callsAreIo()) return this.host.answerOrEnd(start(undefined), toCaller, held);
    const sent = untilOutputGateOpens() ?? Promise.resolve();
    // A call its Worker event cancelled never starts, nor settles (nor waits among the Worker's
    // unanswered calls, which would keep it until the emulator ends); one whose event ended
    // while it ran never settles either (code-context.ts, answerReaches).
    const sender = objectCodeOwner() === undefined ? currentWorkerEvent() : undefined;
    const departure = departureOf(sender);
    const answer = this.host
      .answerOrEnd(sent.then(nextTurnPromise), undefined, held)
      .then(() => (departure.cancelled ? cancelled() : this.host.answerOrEnd(start(sender).finally(nextTurnPromise), toCaller, held)));
    // Dropped past answerOrEnd, which lets go of the call once it has settled. Only a Worker
    // event's calls take the microtask this costs: other code has no event that ends.
    if (sender === undefined) return answer;
    return answer.then(
      (value) => (answerReaches(sender) ? value : cancelled()),
      (error: unknown) => {
        if (answerReaches(sender)) throw error;
        return cancelled();
      },
    );
  }
}

/**
 * What a cancelled call's caller receives: a promise that never settles. A fresh one each time:
 * a promise resolved with one shared for good would be held by it, with the caller's code that
 * awaits it, for as long as the process runs.
 */
function cancelled(): Promise<never> {
  return new Promise<never>(() => undefined);
}

function isEntrypointClass(entrypoint: unknown): entrypoint is new (ctx: unknown, env: object) => object {
  return classHasBrand(entrypoint, WORKER_ENTRYPOINT_BRAND);
}

function instantiate(entrypoint: new (ctx: unknown, env: object) => object, ctx: ExecutionContext, env: object): object {
  return new entrypoint(ctx, env);
}

/**
 * An object's handler called over RPC: exactly one argument, then env and ctx. A deeper member
 * (`env.SVC.group.method(x)`) is walked to as an RpcTarget's is, and called as a handler all the
 * same, with its holder as `this`.
 */
function callHandler(handlers: Handlers, path: readonly string[], args: unknown[] | undefined, extra: [object, ExecutionContext]): unknown {
  const name = path[0]!;
  const handler = handlers[name];
  if (handler === undefined) throw runtimeSideError(notImplemented(name));
  const asHandler = (fn: Function, holder: unknown, given: unknown[]) => {
    if (given.length !== 1) throw runtimeSideError(new TypeError(wrongArgumentCount(path.join("."))));
    return Reflect.apply(fn, holder, [given[0], ...extra]);
  };
  if (path.length > 1) return invokePath(handlers, path, args, runtimeSideError, ENTRYPOINT_RESERVED, undefined, asHandler);
  if (args === undefined) return handler;
  if (typeof handler !== "function") throw runtimeSideError(notAFunction([name]));
  return asHandler(handler, handlers, args);
}

import { atTurnEnd } from "../../util/turn.js";
import { withFlags } from "../errors.js";
import type { OutputGate } from "../gates/output-gate.js";
import type { Clock } from "../lifecycle/clock.js";
import { type HibernationEvent, type HibernationHost, HibernationManager } from "../websockets/hibernation.js";
import type { OpenEnd, SocketHost } from "../websockets/host.js";
import type { BilledRequest, ObjectUsage } from "../usage/object-usage.js";
import { type EventRequest, isThenable } from "./events.js";

/**
 * Where a Durable Object's WebSockets meet its gates. An incarnation hosts the ends its code
 * makes and accepts with accept(): their frames wait for its output gate, their events run
 * through its input gate, they keep it from going idle, and they are disconnected when it
 * ends. The object's hibernatable sockets (ctx.acceptWebSocket) belong to the object instead:
 * their connections outlive instances, their frames wait for the live instance's output gate,
 * and their handler events wake the object when it hibernates.
 */

const MAX_OPEN_SOCKETS = 32_768;
const EVENT_TIMEOUT_MESSAGE = "Actor exceeded event execution time and was disconnected.";

/** What an incarnation's sockets need from it. */
export interface SocketOwner {
  readonly output: OutputGate;
  submit(request: EventRequest, billed?: BilledRequest): void;
  /** Counts the open accepted sockets: they keep the object from hibernating. */
  readonly usage: Pick<ObjectUsage, "webSocketOpened" | "webSocketClosed">;
  /** Its last open socket closed: it may have become idle. */
  socketsClosed(): void;
}

export class IncarnationSockets implements SocketHost {
  /** The open ends, while there are any (most instances never open one, and every instance has this). */
  #open: Set<OpenEnd> | undefined;

  constructor(private readonly owner: SocketOwner) {}

  outputGate(): Promise<void> | undefined {
    return this.owner.output.held();
  }

  schedule(event: () => void, billed?: "webSocketMessage"): void {
    this.owner.submit({ run: event, settle: ignoreOutcome }, billed);
  }

  opened(end: OpenEnd): () => void {
    const open = (this.#open ??= new Set());
    if (open.size >= MAX_OPEN_SOCKETS) {
      throw new Error(`only ${MAX_OPEN_SOCKETS} non-hibernatable websockets can be open on a single Durable Object instance`);
    }
    open.add(end);
    this.owner.usage.webSocketOpened();
    return () => {
      if (this.#open?.delete(end) !== true) return;
      this.owner.usage.webSocketClosed();
      if (this.#open.size > 0) return;
      this.#open = undefined;
      this.owner.socketsClosed();
    };
  }

  /** No accepted socket is open: hibernation is possible. */
  get idle(): boolean {
    return (this.#open?.size ?? 0) === 0;
  }

  /** The instance is gone: its sockets drop without a Close frame. */
  disconnect(): void {
    const open = this.#open;
    if (open === undefined) return;
    this.#open = undefined;
    for (const end of open) {
      this.owner.usage.webSocketClosed();
      end.disconnect();
    }
  }
}

/** An event's outcome nobody waits for (a socket's event; its errors were reported where they arose). */
function ignoreOutcome(): void {}

/** An incarnation, as the object's hibernatable sockets use it. */
export interface LiveInstance {
  readonly sockets: IncarnationSockets;
  /** The reset error, once the instance is broken. */
  readonly broken: Error | undefined;
  submit(request: EventRequest, billed?: BilledRequest): void;
  /** The event timeout ran out: the instance is dropped with `error`; the object's sockets stay. */
  dropForTimeout(error: Error): void;
}

/** What the object's hibernatable sockets need from the object (its ObjectRecord). */
export interface HibernationOwner {
  /** The live incarnation, if the object is running. */
  readonly running: LiveInstance | undefined;
  /** The live incarnation, constructing a new one if the object hibernates. */
  wake(): LiveInstance;
  /** Object code's time (auto-response timestamps). */
  now(): number;
  readonly clock: Clock;
}

export class ObjectHibernation implements HibernationHost {
  readonly manager: HibernationManager;

  constructor(private readonly owner: HibernationOwner) {
    this.manager = new HibernationManager(this);
  }

  outputGate(): Promise<void> | undefined {
    return this.owner.running?.sockets.outputGate();
  }

  schedule(event: () => void, billed?: "webSocketMessage"): void {
    this.owner.wake().sockets.schedule(event, billed);
  }

  opened(end: OpenEnd): () => void {
    return this.owner.wake().sockets.opened(end);
  }

  now(): number {
    return this.owner.now();
  }

  deliver(event: HibernationEvent): void {
    const incarnation = this.owner.wake();
    incarnation.submit(
      {
        run: (instance, handlers) => this.#run(instance, handlers[event.handler], event, incarnation),
        settle: (ok, value) => {
          // An event that never ran (its instance was reset first) still lets the socket go on.
          event.ran();
          event.ended();
          // A handler's exception is the runtime's to log; it does not reach the socket or reset
          // the object. A reset's error was the object's end, not the handler's.
          if (!ok && incarnation.broken === undefined) console.error("Uncaught", value);
        },
      },
      // An incoming message is billed (at 20:1); a close or an error is not a request.
      event.handler === "webSocketMessage" ? "webSocketMessage" : undefined,
    );
  }

  /** Calls the handler (a missing one is skipped) and enforces the event timeout, if set. */
  #run(instance: object, handler: unknown, event: HibernationEvent, incarnation: LiveInstance): unknown {
    let result: unknown;
    try {
      const args = event.args();
      if (typeof handler === "function") result = handler.apply(instance, args);
    } finally {
      // The runtime's read loop takes the socket's next frame once this event's turn is over
      // (its microtasks, storage results among them, included), so an auto-response to that
      // frame follows what the handler sent in that turn, and precedes what it sends later.
      atTurnEnd(() => event.ran());
    }
    const timeout = this.manager.eventTimeout;
    if (timeout === undefined) return result;
    try {
      if (!isThenable(result)) return result;
    } catch (error) {
      // A `then` getter that throws rejects the event, as it does any handler's (ObjectEvent.start).
      return Promise.reject(error);
    }
    const clock = this.owner.clock;
    const timer = clock.at(clock.now() + timeout, () => {
      incarnation.dropForTimeout(withFlags(new Error(EVENT_TIMEOUT_MESSAGE), { durableObjectReset: true, retryable: true }));
    });
    return Promise.resolve(result).finally(() => timer.cancel());
  }
}

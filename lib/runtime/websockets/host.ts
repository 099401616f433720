import { nextTurn } from "../../util/turn.js";
import { objectCodeOwner } from "../code-context.js";

/** An open connection end, as its host sees it: something it can cut. */
export interface OpenEnd {
  /** Drops the end without a Close frame; its peer sees an abrupt disconnect (close code 1006). */
  disconnect(): void;
}

/**
 * Where a WebSocket end lives, which decides what the runtime's gates do to it: a frame it
 * sends waits for its host's output gate (as it stood at the send), its events run as events of
 * its host (through a Durable Object's input gate), and an end accepted with `accept()` belongs
 * to its host, which counts it and disconnects it when it goes away (a reset or an eviction).
 * Code outside any object (a test, a Worker's fetch handler) has no gates: `OUTSIDE` is its host.
 */
export interface SocketHost {
  /**
   * What a frame sent now must wait for before it leaves: resolves when it may go, rejects when
   * it must never go (the writes before it failed to commit). undefined: it may go at once.
   */
  outputGate(): Promise<void> | undefined;
  /**
   * Runs `event` as an event of this host, after every event scheduled before it. `billed`:
   * what production bills it as (an incoming message is a WebSocket message; other events are
   * not requests).
   */
  schedule(event: () => void, billed?: "webSocketMessage"): void;
  /**
   * An end of this host was accepted with accept() and stays open until the returned function
   * is called. Throws the host's limit error when it has too many open.
   */
  opened(end: OpenEnd): () => void;
}

/** Code outside any Durable Object: frames leave at once, events arrive as later macrotasks. */
export const OUTSIDE: SocketHost = {
  outputGate: () => undefined,
  schedule: (event) => {
    nextTurn(event);
  },
  opened: () => () => undefined,
};

/** What object code runs for (see code-context.ts): an incarnation, whose WebSockets it makes. */
interface SocketOwner {
  readonly sockets?: SocketHost;
}

/**
 * The host of the code running right now, which is where a new WebSocketPair's ends live: the
 * object whose code it is (the async context follows it across awaits and timers), or OUTSIDE.
 */
export function currentSocketHost(): SocketHost {
  return (objectCodeOwner() as SocketOwner | undefined)?.sockets ?? OUTSIDE;
}

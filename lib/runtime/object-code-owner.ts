/**
 * What the host glue needs from the object whose code is running (code-context.ts finds it):
 * its input gate (host APIs hold it while Node completes what the runtime completes at once),
 * its output gate (a message to another object, a binding call or a fetch leaves when the
 * writes before it are confirmed), and the host of the WebSocket ends its code makes. An
 * incarnation is the owner; this file imports only types that import nothing, so each of those
 * readers can depend on it without depending on the others or on runtime/object.
 */
import type { CodeFeatures } from "./code-features.js";

/**
 * An object's input gate as host APIs see it: `lock()` closes it until the matching `unlock()`;
 * `resume()` runs object code resuming after a timer when the gate lets it in (`section`: the
 * critical section whose code set the timer, if any; see gates/input-gate.ts).
 */
export interface HeldInputGate {
  lock(): void;
  unlock(): void;
  resume(resume: () => void, section: object | undefined): void;
  /** The instance has reset: the answers to its code's I/O are dropped (gates/input-gate.ts, silence). */
  readonly endedByReset: boolean;
}

/** An object's output gate as a message about to leave sees it. */
export interface MessageOutputGate {
  /**
   * What a message sent now waits for: resolves when it may leave (the writes before it are
   * confirmed), rejects when it must never leave; undefined when it may leave at once.
   */
  leaveAtTurnEnd(): Promise<void> | undefined;
}

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
 * Code outside any object (a test, a Worker's fetch handler) has no gates (websockets/host.ts).
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

/** The object whose code is running: an incarnation (runtime/object/incarnation.ts). */
export interface ObjectCodeOwner {
  /** The object's id: errors its calls to other objects reject with name it (see rpc/tunnel.ts). */
  readonly id: { toString(): string };
  readonly gate: HeldInputGate;
  readonly output: MessageOutputGate;
  readonly sockets: SocketHost;
  /** Its Worker's compatibility features (default: the newest date's). */
  readonly codeFeatures?: CodeFeatures;
  /** Its Worker's env, which tells the Workers apart (runningWorkerEnv in code-context.ts). */
  readonly env: object;
}

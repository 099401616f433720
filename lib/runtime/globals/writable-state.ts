/**
 * What Node knows of a WritableStream and nothing public reveals at once: whether it is closed,
 * or a close of it is queued or under way, or it errored, and its stored error. Read from
 * Node's stream state (node-stream-state.ts, the same layout on Node 20 and 24), so the
 * runtime's refusals can be decided before Node's method runs (see closed-writables.ts). A
 * Node that keeps it elsewhere gets no state here: its own refusals then stand, in its words.
 * A ReadableStream's state is read the same way, for a pipe's (pipes-into-ended.ts).
 */
import { nodeStreamState } from "../node-stream-state.js";

interface NodeWritableState {
  state: "writable" | "erroring" | "errored" | "closed";
  storedError: unknown;
  closeRequest?: { promise?: unknown };
  inFlightCloseRequest?: { promise?: unknown };
  inFlightWriteRequest?: { promise?: unknown };
  writeRequests?: unknown[];
  controller?: unknown;
}

export interface WritableState {
  readonly closed: boolean;
  /** A close is queued or under way. */
  readonly closing: boolean;
  readonly errored: boolean;
  /** Errored, or erroring while a write or close it waits for finishes. */
  readonly failing: boolean;
  readonly storedError: unknown;
  /**
   * The close under way, until it settles: the sink's close() running, or about to, with no
   * write before it (the runtime starts such a close at once, Node a few microtasks later).
   */
  readonly closeUnderWay: Promise<unknown> | undefined;
}

/** The state of `stream` if it is one of Node's WritableStreams, else undefined. */
export function writableStateOf(stream: unknown): WritableState | undefined {
  if (!(stream instanceof WritableStream)) return undefined;
  const node = nodeStreamState(stream) as NodeWritableState | undefined;
  if (node === undefined || typeof node.state !== "string") return undefined;
  const closing = node.closeRequest?.promise !== undefined || node.inFlightCloseRequest?.promise !== undefined;
  const next = writing(node) ? undefined : node.closeRequest?.promise;
  const closeUnderWay = (node.inFlightCloseRequest?.promise ?? next) as Promise<unknown> | undefined;
  const failing = node.state === "errored" || node.state === "erroring";
  return { closed: node.state === "closed", closing, errored: node.state === "errored", failing, storedError: node.storedError, closeUnderWay };
}

/** A write of the stream is queued or under way. */
function writing(node: NodeWritableState): boolean {
  return (node.writeRequests?.length ?? 1) > 0 || node.inFlightWriteRequest?.promise !== undefined;
}

/** Node's state of the ReadableStream `stream` ("readable" until closed, a close asked included), if it is one of Node's. */
export function readableStateOf(stream: unknown): "readable" | "closed" | "errored" | undefined {
  if (!(stream instanceof ReadableStream)) return undefined;
  const state = nodeStreamState(stream)?.state;
  return state === "readable" || state === "closed" || state === "errored" ? state : undefined;
}

/** The close algorithm Node gives a stream whose sink has no close(): one function shared by all. */
const NO_SINK_CLOSE = closeAlgorithmOf(new WritableStream());

function closeAlgorithmOf(stream: WritableStream): unknown {
  return nodeStreamState(nodeStreamState(stream)?.controller)?.closeAlgorithm;
}

/**
 * Whether a close asked of `stream` now ends it at once in the runtime, as workerd's does when
 * there is nothing to wait for: no sink close() and no write queued or under way (Node's ends
 * it some microtasks later). A sink whose start() is still pending is not told apart.
 */
export function closesAtOnce(stream: WritableStream): boolean {
  const node = nodeStreamState(stream) as NodeWritableState | undefined;
  if (node?.state !== "writable" || NO_SINK_CLOSE === undefined) return false;
  return !writing(node) && closeAlgorithmOf(stream) === NO_SINK_CLOSE;
}

/** The writable side of the TransformStream `controller` controls, if it is one of Node's controllers. */
export function writableOfTransformController(controller: unknown): WritableStream | undefined {
  const writable = nodeStreamState(nodeStreamState(controller)?.stream)?.writable;
  return writable instanceof WritableStream ? writable : undefined;
}

import { runsEmulatedCode } from "../code-context.js";
import { replaceMethod, wrapGetter } from "../replace-method.js";
import { nodeQueueItems, nodeStreamState, removeNodeQueueItems } from "../node-stream-state.js";
import { holdsUnansweredRead, OUTSTANDING_READ } from "../single-reads.js";
import { isNativeWritable } from "../native-writables.js";

/**
 * A reader or writer whose lock Worker or object code released, as the runtime's reads: its
 * calls reject with "This ReadableStream reader has been released." or "This WritableStream
 * writer has been released." (a reader's read() and cancel(): stream-words.ts; a writer's write,
 * close and abort, and its desiredSize throws: closed-writables.ts), and its `closed` is the one it had, rejected with those words if
 * it was still pending (a handler added before the release sees them too), kept as it was if it
 * had settled (fulfilled by a close, rejected with the stream's error), where Node's release
 * replaces even a settled one with a rejection in its words ("Invalid state: Reader released",
 * "... Writer has been released"). A writer's `ready` rejects with its words too, but for a
 * stream the runtime makes natively (native-writables.ts), whose writer keeps the one it had.
 * A reader's reads still pending reject with its words, before its `closed` (Node's reject with
 * "Invalid state: Releasing reader"); but the reader of a stream the runtime makes natively
 * (single-reads.ts) refuses the release while a read is pending, and stays locked. A writer's
 * writes not yet handed to the sink reject with its words too, and are never written (Node's
 * would write them); the one under way (the first, if Node has not started it yet) finishes. (A stream the runtime makes natively keeps them.)
 */

export const READER_RELEASED = "This ReadableStream reader has been released.";
export const WRITER_RELEASED = "This WritableStream writer has been released.";

/** A released reader's or writer's `closed`, and a writer's `ready`. */
interface Released {
  readonly closed: Promise<void>;
  readonly ready?: Promise<void>;
}

/** The state Node keeps of a reader or writer: its stream until released, and its promises (Node 24 makes a writer's when first read). */
interface NodeLockState {
  stream?: unknown;
  readRequests?: unknown;
  readIntoRequests?: unknown;
  close?: { resolve?: (value: unknown) => void; reject?: (reason: unknown) => void };
  ready?: { reject?: (reason: unknown) => void };
}

const released = new WeakMap<object, Released>();

/** What `lock`, a reader or writer released by Worker or object code, answers, if it was. */
export function releasedLock(lock: unknown): Released | undefined {
  return typeof lock === "object" && lock !== null ? released.get(lock) : undefined;
}

export function installReleasedLocks(): void {
  for (const Reader of [ReadableStreamDefaultReader, ReadableStreamBYOBReader]) {
    const prototype = Reader.prototype as unknown as Record<string, unknown>;
    replaceMethod(prototype, "releaseLock", (original, self, args) => release(original, self, args, READER_RELEASED));
    wrapGetter(prototype, "closed", (get, self) => releasedLock(self)?.closed ?? Reflect.apply(get, self, []));
  }
  // (A writer's getters read releasedLock() with the rest they decide: closed-writables.ts.)
  replaceMethod(WritableStreamDefaultWriter.prototype as unknown as Record<string, unknown>, "releaseLock", (original, self, args) => release(original, self, args, WRITER_RELEASED));
}

/** Node's releaseLock (`original`) of `lock`, a reader or writer, noting what it answers from then on. */
function release(original: Function, lock: unknown, args: unknown[], words: string): unknown {
  const node = runsEmulatedCode() ? (nodeStreamState(lock) as NodeLockState | undefined) : undefined;
  // A lock released already releases nothing: Node's answer stands.
  if (node?.stream === undefined) return Reflect.apply(original, lock, args);
  if (holdsUnansweredRead(lock)) throw new TypeError(OUTSTANDING_READ);
  const error = new TypeError(words);
  for (const request of nodeQueueItems(node.readRequests ?? node.readIntoRequests)) {
    rejectOneTickLater(nodeStreamState(request) as NodeLockState["close"], error);
  }
  const writer = lock instanceof WritableStreamDefaultWriter ? lock : undefined;
  const keptReady = writer !== undefined && isNativeWritable(node.stream) ? writer.ready : undefined;
  // Read before the release (a writer's as closed-writables.ts answers it); one still pending is
  // rejected in the runtime's words first, as Node's release would in its own.
  const closed = (lock as { closed: Promise<void> }).closed;
  if (writer !== undefined && keptReady === undefined) dropQueuedWrites(node.stream, error);
  if (writer === undefined) rejectOneTickLater(node.close, error);
  else node.close?.reject?.(error);
  if (writer !== undefined && keptReady === undefined) node.ready?.reject?.(error);
  const result = Reflect.apply(original, lock, args);
  const ready = writer === undefined ? undefined : (keptReady ?? Promise.reject(error));
  // Nobody need ever read them: no rejection of theirs goes unhandled.
  closed.catch(() => undefined);
  ready?.catch(() => undefined);
  released.set(lock as object, { closed, ready });
  return result;
}

/**
 * Settles `deferred`, a promise Node keeps pending, as rejected with `error` one microtask later
 * than a rejection now would (the runtime rejects a released reader's reads and `closed` in a job
 * of its own), yet at once for Node: what Node's release then rejects it with is too late.
 */
function rejectOneTickLater(deferred: { resolve?: (value: unknown) => void; reject?: (reason: unknown) => void } | undefined, error: unknown): void {
  if (deferred?.resolve === undefined) return void deferred?.reject?.(error);
  deferred.resolve({ then: (_: unknown, reject: (reason: unknown) => void) => reject(error) });
}

/** What Node keeps of a WritableStream and its controller that a release of its writer changes. */
interface NodeWritable {
  state?: string;
  backpressure?: boolean;
  writeRequests?: unknown;
  /** Node keeps the object with its members undefined when none is under way. */
  inFlightWriteRequest?: { promise?: unknown };
  controller?: unknown;
}

interface NodeWritableController {
  queue?: unknown;
  queueTotalSize?: number;
  highWaterMark?: number;
}

/**
 * The writes of `stream`, a writable one, still queued behind the sink (not the one under way)
 * rejected with `error` and taken out of Node's queues, as the runtime drops them when their
 * writer is released; the stream's backpressure follows what is left. A close queued stays.
 */
function dropQueuedWrites(stream: unknown, error: TypeError): void {
  const node = nodeStreamState(stream) as NodeWritable | undefined;
  const controller = nodeStreamState(node?.controller) as NodeWritableController | undefined;
  if (node?.state !== "writable" || controller === undefined || typeof controller.queueTotalSize !== "number") return;
  // The runtime hands a write to the sink at once when none is under way, where Node waits a few
  // microtasks (for its start, or the write before): the first queued one then counts as under way.
  const underWay = node.inFlightWriteRequest?.promise === undefined ? 1 : 0;
  const count = nodeQueueItems(node.writeRequests).length - underWay;
  if (count <= 0) return;
  // The controller's queue holds the chunk under way first, then one per queued write.
  const chunks = removeNodeQueueItems(controller.queue, 1, count, { pairs: true });
  const requests = removeNodeQueueItems(node.writeRequests, underWay, count);
  for (const chunk of chunks) controller.queueTotalSize -= Number((chunk as { size?: unknown }).size) || 0;
  controller.queueTotalSize = Math.max(0, controller.queueTotalSize);
  if (typeof controller.highWaterMark === "number") node.backpressure = controller.highWaterMark - controller.queueTotalSize <= 0;
  for (const request of requests) (request as { reject?: (reason: unknown) => void }).reject?.(error);
}

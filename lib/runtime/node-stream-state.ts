/**
 * The state Node keeps on its web streams, their controllers and writers under one `kState`
 * symbol (found by its description; the same on Node 20 and 24), for what nothing public
 * reveals or lets durasim set (writable-state.ts, transform-sides.ts, close-requested-cancels.ts).
 * Undefined on a Node that keeps it elsewhere, so callers fall back rather than durasim failing
 * to load.
 */
const STATE = Object.getOwnPropertySymbols(new WritableStream()).find((symbol) => symbol.description === "kState");

/** Node's state object of `object` (a stream, controller or writer), if it has one. */
export function nodeStreamState(object: unknown): Record<string, unknown> | undefined {
  if (STATE === undefined || typeof object !== "object" || object === null) return undefined;
  const state = (object as Record<symbol, unknown>)[STATE];
  return typeof state === "object" && state !== null ? (state as Record<string, unknown>) : undefined;
}

/** The stream `writer` holds the lock of; undefined once the lock is released. */
export function streamOfWriter(writer: unknown): WritableStream | undefined {
  if (!(writer instanceof WritableStreamDefaultWriter)) return undefined;
  const stream = nodeStreamState(writer)?.stream;
  return stream instanceof WritableStream ? stream : undefined;
}

/** Node 24's queue of a stream's requests (Node 20 keeps an Array): a ring buffer. */
interface NodeQueue {
  head: number;
  length: number;
  capacityMask: number;
  list: unknown[];
}

/** The items of one of Node's request lists (a reader's read requests, say), oldest first, whichever form it takes. */
export function nodeQueueItems(queue: unknown): unknown[] {
  if (Array.isArray(queue)) return [...queue];
  const ring = queue as Partial<NodeQueue> | undefined;
  if (ring === undefined || ring === null || !Array.isArray(ring.list) || typeof ring.length !== "number") return [];
  const { head = 0, capacityMask = 0, list, length } = ring as NodeQueue;
  return Array.from({ length }, (_, i) => list[(head + i) & capacityMask]);
}

/** How many reads of `stream` its source answers at once: one a chunk queued, or once closed, one (its end). */
export function readsHeld(stream: ReadableStream): number {
  const state = nodeStreamState(stream);
  if (state?.state === "closed") return 1;
  return nodeQueueItems(nodeStreamState(state?.controller)?.queue).length;
}

/** Whether `stream`'s source holds chunks queued (or its end) that a read takes at once. */
export function holdsMore(stream: ReadableStream): boolean {
  return readsHeld(stream) > 0;
}

/** Node 24's queue methods (a value queue holds each value with its size, as a pair). */
interface NodeQueueMethods extends NodeQueue {
  shift(): unknown;
  push(item: unknown): void;
  shiftPair(): unknown;
  pushPair(value: unknown, size: unknown): void;
  dequeuedSize: unknown;
}

/**
 * Takes `count` items out of one of Node's lists from index `from` (an Array, or Node 24's ring
 * queue, whose value queues (`pairs`) hold a value and its size per item); returns them, a value
 * queue's as `{ value, size }` (the form Node 20 keeps). Nothing for a list of another shape.
 */
export function removeNodeQueueItems(queue: unknown, from: number, count: number, { pairs = false } = {}): unknown[] {
  if (Array.isArray(queue)) return queue.splice(from, count);
  const ring = queue as Partial<NodeQueueMethods> | undefined;
  if (typeof ring?.length !== "number" || typeof ring.shift !== "function" || typeof ring.shiftPair !== "function") return [];
  const methods = ring as NodeQueueMethods;
  const items: unknown[] = [];
  for (let left = methods.length; left > 0; left--) {
    items.push(pairs ? { value: methods.shiftPair(), size: methods.dequeuedSize } : methods.shift());
  }
  const removed = items.splice(from, count);
  for (const item of items) {
    if (pairs) methods.pushPair((item as { value: unknown }).value, (item as { size: unknown }).size);
    else methods.push(item);
  }
  return removed;
}

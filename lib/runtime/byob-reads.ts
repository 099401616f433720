import { runsEmulatedCode } from "./code-context.js";
import { replaceMethod } from "./replace-method.js";
import { nodeQueueItems, nodeStreamState } from "./node-stream-state.js";

/**
 * A BYOB read that waits, for Worker and object code, is the promise of the read request it
 * queues, as the runtime's read is: Node's read() is an async function returning that promise,
 * which settles two microtasks after the request does (so a released reader's pending reads
 * rejected after its `closed`, where the runtime's reject before it). A read answered at once
 * (bytes were queued) is Node's. Installed below the other wrappers of read(), so what they
 * keep of a read (single-reads.ts) follows the promise the caller gets.
 */
export function installByobReadRequests(): void {
  replaceMethod(ReadableStreamBYOBReader.prototype as unknown as Record<string, unknown>, "read", (original, self, args) => {
    const state = runsEmulatedCode() ? (nodeStreamState(self) as { readIntoRequests?: unknown } | undefined) : undefined;
    if (state?.readIntoRequests === undefined) return Reflect.apply(original, self, args);
    const before = nodeQueueItems(state.readIntoRequests).length;
    const answer = Reflect.apply(original, self, args) as Promise<unknown>;
    // (Read again: Node 24 may put a new queue in place as it takes the first request.)
    const queued = nodeQueueItems(state.readIntoRequests);
    const request = queued.length === before + 1 ? (nodeStreamState(queued[before]) as { promise?: unknown } | undefined) : undefined;
    if (!(request?.promise instanceof Promise)) return answer;
    // Node's own promise settles as the request's does: the caller's copy carries its rejection.
    answer.catch(() => undefined);
    return request.promise;
  });
}

/**
 * A byte stream's close() answers the reads waiting on it as the runtime's does. The standard
 * (and Node) leave a waiting BYOB read waiting until the source calls `byobRequest.respond(0)`;
 * the runtime answers it: with the bytes it holds already (fewer than its `min`) as a chunk,
 * not the end, or with the end and an empty view of its buffer; the controller's `byobRequest`
 * is null afterwards. A waiting default read's end carries an empty Uint8Array, not undefined
 * (a read after the close finds undefined). For Worker and object code only.
 */
export function installByteStreamCloseAnswers(): void {
  replaceMethod(ReadableByteStreamController.prototype as unknown as Record<string, unknown>, "close", (original, self, args) => {
    if (!runsEmulatedCode()) return Reflect.apply(original, self, args);
    const controller = nodeStreamState(self);
    const stream = nodeStreamState(controller?.stream);
    const reader = nodeStreamState(stream?.reader);
    for (const read of nodeQueueItems(reader?.readRequests)) answerWith(read, ({ done, value }) => ({ done, value: done ? new Uint8Array(0) : value }));
    const result = Reflect.apply(original, self, args);
    const waiting = nodeQueueItems(controller?.pendingPullIntos)[0] as { type?: unknown; bytesFilled?: unknown } | undefined;
    if (stream?.state !== "closed" || waiting?.type !== "byob") return result;
    if (typeof waiting.bytesFilled === "number" && waiting.bytesFilled > 0) {
      answerWith(nodeQueueItems(reader?.readIntoRequests)[0], ({ value }) => ({ value, done: false }));
    }
    // In the closed state, respond(0) answers every waiting BYOB read: Node's own path to the end.
    (self as ReadableByteStreamController).byobRequest?.respond(0);
    return result;
  });
}

type ReadResult = { value: unknown; done: boolean };

/** Has Node's read request `read` answer `map(result)` where it would answer `result`. */
function answerWith(read: unknown, map: (result: ReadResult) => ReadResult): void {
  const state = nodeStreamState(read) as { resolve?: (result: ReadResult) => void } | undefined;
  const resolve = state?.resolve;
  if (typeof resolve === "function") state!.resolve = (result) => resolve(map(result));
}

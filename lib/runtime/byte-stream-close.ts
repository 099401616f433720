import { replaceMethod } from "./replace-method.js";
import { nodeQueueItems, nodeStreamState } from "./node-stream-state.js";
import { isCodeMadeController } from "./code-made-streams.js";

/**
 * A byte stream's close() answers the reads waiting on it as the runtime's does. The standard
 * (and Node) leave a waiting BYOB read waiting until the source calls `byobRequest.respond(0)`;
 * the runtime answers it: with the bytes it holds already (fewer than its `min`) as a chunk,
 * not the end, or with the end and an empty view of its buffer; the controller's `byobRequest`
 * is null afterwards. A waiting default read's end carries an empty Uint8Array, not undefined
 * (a read after the close finds undefined). For the byte streams Worker and object code
 * construct: the runtime's own (a Blob's, an IdentityTransformStream's, a body's) end a waiting
 * read as Node's do, and durasim makes those itself.
 */
export function installByteStreamCloseAnswers(): void {
  replaceMethod(ReadableByteStreamController.prototype as unknown as Record<string, unknown>, "close", (original, self, args) => {
    if (!isCodeMadeController(self)) return Reflect.apply(original, self, args);
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

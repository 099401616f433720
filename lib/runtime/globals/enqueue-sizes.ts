import { runsEmulatedCode } from "../code-context.js";
import { replaceMethod } from "../replace-method.js";
import { nodeQueueItems, nodeStreamState } from "../node-stream-state.js";

/**
 * A chunk enqueued on a ReadableStream whose queuing strategy has a size() is measured as the
 * runtime measures it, for Worker and object code:
 * - with a read waiting, size() is still called (the standard, and Node, hand the chunk to the
 *   read unmeasured); one that throws errors the stream with what it threw and enqueue()
 *   returns: it throws only when the chunk would have been queued (Node's way);
 * - by a TransformStream's controller, size() throwing errors the readable side only: enqueue()
 *   returns, so the write that called it succeeds and the writable side stays open (the
 *   standard errors both sides and throws). A later enqueue() finds the readable side errored.
 */
export function installEnqueueSizes(): void {
  // Test code's and durasim's own enqueues (every chunk of a body it pumps) go straight to Node's,
  // with no closure made for them.
  replaceMethod(ReadableStreamDefaultController.prototype as unknown as Record<string, unknown>, "enqueue", (original, self, args) => {
    if (!runsEmulatedCode()) return Reflect.apply(original, self, args);
    const state = nodeStreamState(self);
    const reader = nodeStreamState(nodeStreamState(state?.stream)?.reader);
    if (nodeQueueItems(reader?.readRequests).length === 0) return Reflect.apply(original, self, args);
    return measuredEnqueue(self as ReadableStreamDefaultController, args[0], () => Reflect.apply(original, self, args));
  });
  replaceMethod(TransformStreamDefaultController.prototype as unknown as Record<string, unknown>, "enqueue", (original, self, args) => {
    if (!runsEmulatedCode()) return Reflect.apply(original, self, args);
    const readable = nodeStreamState(nodeStreamState(self)?.stream)?.readable;
    const controller = nodeStreamState(readable)?.controller;
    if (!(controller instanceof ReadableStreamDefaultController)) return Reflect.apply(original, self, args);
    return measuredEnqueue(controller, args[0], () => Reflect.apply(original, self, args));
  });
}

/**
 * Runs `enqueue` of `chunk` once the size() of `controller`'s strategy has measured it: errors
 * the stream (and returns) if size() throws, else has Node take that measure rather than call
 * size() again. A stream that takes no chunk is left to Node's refusal.
 */
function measuredEnqueue(controller: ReadableStreamDefaultController, chunk: unknown, enqueue: () => unknown): unknown {
  const state = nodeStreamState(controller);
  const size = state?.sizeAlgorithm;
  const open = nodeStreamState(state?.stream)?.state === "readable" && state?.closeRequested === false;
  if (typeof size !== "function" || !open) return enqueue();
  let measured: unknown;
  try {
    measured = Reflect.apply(size, undefined, [chunk]);
  } catch (error) {
    controller.error(error);
    return undefined;
  }
  state!.sizeAlgorithm = () => measured;
  try {
    return enqueue();
  } finally {
    state!.sizeAlgorithm = size;
  }
}

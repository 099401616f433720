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

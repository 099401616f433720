import { replaceMethod } from "./replace-method.js";
import { streamOfWriter } from "./node-stream-state.js";

/**
 * WritableStreamDefaultWriter.prototype.write, replaced once for everything durasim decides of a
 * write, so that each write reads its writer's stream once and the decisions come in the
 * runtime's order whichever part of durasim was loaded first:
 * 1. Worker and object code's refusals of the write itself (`refusal`, installed with the host
 *    APIs: globals/closed-writables.ts): a receiver that is no writer (thrown), a released
 *    writer, a stream closed, closing or errored;
 * 2. the chunk, as a byte stream takes it (`chunk`: byte-writable.ts, installed by the first
 *    such stream, whose module may be loaded without an emulator): refused, or copied;
 * 3. Node's write.
 */

/** A decision on the chunk of a write: refused (the write rejects with it) or written as `chunk`. */
export type ChunkDecision = { readonly refused: TypeError } | { readonly chunk: unknown };

export interface WriteSteps {
  /** The refusal of a write by `writer` to `stream` (its stream, if it holds one), as a rejection, or undefined; may throw. */
  refusal?: (writer: unknown, stream: WritableStream | undefined) => Promise<never> | undefined;
  /** What `stream` makes of a written chunk; undefined for a stream that takes it as it is. */
  chunk?: (stream: WritableStream | undefined, chunk: unknown) => ChunkDecision | undefined;
}

const steps: WriteSteps = {};
let installed = false;

/** Adds `given` to the steps of every writer's write (each step is given once: a second is ignored). */
export function decideWrites(given: WriteSteps): void {
  steps.refusal ??= given.refusal;
  steps.chunk ??= given.chunk;
  if (installed) return;
  installed = true;
  replaceMethod(WritableStreamDefaultWriter.prototype as unknown as Record<string, unknown>, "write", (original, self, args) => {
    const stream = streamOfWriter(self);
    const refused = steps.refusal?.(self, stream);
    if (refused !== undefined) return refused;
    const decision = steps.chunk?.(stream, args[0]);
    if (decision === undefined) return Reflect.apply(original, self, args);
    return "refused" in decision ? Promise.reject(decision.refused) : Reflect.apply(original, self, [decision.chunk]);
  });
}

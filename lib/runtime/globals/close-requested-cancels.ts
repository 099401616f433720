import { runsEmulatedCode } from "../code-context.js";
import { nodeStreamState } from "../node-stream-state.js";

/**
 * A cancel of a ReadableStream whose close its source asked while chunks are still queued
 * (`controller.close()` after `enqueue()`), for Worker and object code: the runtime drops the
 * chunks and fulfils, and never calls the source's `cancel()`, the source having said it is done;
 * Node, as the streams standard says, calls it. Every cancel goes through the controller's
 * cancel steps (a stream's or reader's cancel(), an iterator's return(), a pipe, both branches
 * of a tee cancelled), so they are where the source's cancel is left out. A Node whose
 * controllers keep this elsewhere keeps calling it.
 */

const CANCEL_STEPS = "kCancel";

/** A fulfilled cancel, for the steps to wait on instead of the source's. */
const leftAlone = () => Promise.resolve();

export function installCloseRequestedCancels(): void {
  for (const prototype of [ReadableStreamDefaultController.prototype, ReadableByteStreamController.prototype] as unknown as Record<symbol, unknown>[]) {
    const key = Object.getOwnPropertySymbols(prototype).find((symbol) => symbol.description === CANCEL_STEPS);
    const steps = key === undefined ? undefined : prototype[key];
    if (typeof steps !== "function") continue;
    Object.defineProperty(prototype, key!, {
      ...Object.getOwnPropertyDescriptor(prototype, key!),
      value: function cancelSteps(this: unknown, reason: unknown): unknown {
        const state = runsEmulatedCode() ? nodeStreamState(this) : undefined;
        // The steps clear the algorithms after calling this one, so nothing needs putting back.
        if (state?.closeRequested === true && typeof state.cancelAlgorithm === "function") state.cancelAlgorithm = leftAlone;
        return Reflect.apply(steps, this, [reason]);
      },
    });
  }
}

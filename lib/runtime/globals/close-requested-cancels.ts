import { runsEmulatedCode } from "../code-context.js";
import { nodeStreamState } from "../node-stream-state.js";
import { replaceMethod } from "../replace-method.js";

/**
 * A cancel of a ReadableStream whose close its source asked while chunks are still queued
 * (`controller.close()` after `enqueue()`), for Worker and object code: the runtime drops the
 * chunks and fulfils, and never calls the source's `cancel()`, the source having said it is done;
 * Node, as the streams standard says, calls it. Every cancel goes through the controller's
 * cancel steps (a stream's or reader's cancel(), an iterator's return(), a pipe, both branches
 * of a tee cancelled), so they are where the source's cancel is left out. A Node whose
 * controllers keep this elsewhere keeps calling it. They are also where a tee's source learns
 * its branches' reasons (below).
 */

const CANCEL_STEPS = "kCancel";

/** A fulfilled cancel, for the steps to wait on instead of the source's. */
const leftAlone = () => Promise.resolve();

/**
 * Tees Worker or object code made, by their branches' controllers: each branch's source's
 * controller, and the reason the branch cancelled last gave. A teed stream is locked to its tee,
 * so only its branches cancel it, once both are: the runtime with the reason of the one cancelled
 * last, Node (as the streams standard says) with an array of both, the first branch's first. A
 * branch's cancel fulfils at once, as the runtime's does (Node's waits for the other branch's).
 */
const branchSources = new WeakMap<object, object>();
const lastBranchReasons = new WeakMap<object, unknown>();

export function installCloseRequestedCancels(): void {
  replaceMethod(ReadableStream.prototype as unknown as Record<string, unknown>, "tee", (original, self, args) => {
    const branches = Reflect.apply(original, self, args) as ReadableStream[];
    const source = runsEmulatedCode() ? nodeStreamState(self)?.controller : undefined;
    if (typeof source !== "object" || source === null) return branches;
    for (const branch of branches) {
      const controller = nodeStreamState(branch)?.controller;
      if (typeof controller === "object" && controller !== null) branchSources.set(controller, source);
    }
    return branches;
  });
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
        const source = branchSources.get(this as object);
        if (source !== undefined) {
          lastBranchReasons.set(source, reason);
          void Promise.resolve(Reflect.apply(steps, this, [reason])).catch(() => undefined);
          return Promise.resolve();
        }
        const teed = lastBranchReasons.has(this as object);
        return Reflect.apply(steps, this, [teed ? lastBranchReasons.get(this as object) : reason]);
      },
    });
  }
}

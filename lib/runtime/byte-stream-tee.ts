import { runsEmulatedCode } from "./code-context.js";
import { replaceMethod } from "./replace-method.js";
import { holdsMore } from "./node-stream-state.js";
import { isCodeMadeByteStream } from "./code-made-streams.js";
import { concat } from "../util/concat-bytes.js";

/**
 * tee() of a byte stream Worker or object code constructed, as the runtime's: its branches hold
 * bytes, not chunks. Each branch keeps what the source gave it until a read asks, and a read
 * takes all of it as one chunk (a copy of its own per branch); what the source holds queued
 * when the tee reads it comes along at once, as the runtime's branches share the source's queue.
 * So a branch read while the source yields answers each chunk as it comes, and the other
 * branch, read later, answers them joined. BYOB reads of a branch fill their view from it.
 * Node's tee (the standard's) hands each branch every chunk as a read of its own.
 *
 * The branches cancel the source once both are cancelled (with the reason close-requested-
 * cancels.ts gives the source), and fail with the source's error. Other byte streams (the
 * runtime's own: a Blob's, a body's) and streams of other values keep Node's tee.
 */
export function installByteStreamTees(): void {
  replaceMethod(ReadableStream.prototype as unknown as Record<string, unknown>, "tee", (original, self, args) => {
    const stream = self as ReadableStream;
    if (!runsEmulatedCode() || !isCodeMadeByteStream(stream) || stream.locked) return Reflect.apply(original, self, args);
    return teeOfBytes(stream);
  });
}

interface Branch {
  controller: ReadableByteStreamController;
  // Copies of the source's chunks this branch has not handed to a read yet.
  held: Uint8Array[];
  // Settles the branch's pull that waits for the source.
  waiting: (() => void) | undefined;
  cancelled: boolean;
}

type Result = Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>["read"]>>;

function teeOfBytes(source: ReadableStream): [ReadableStream, ReadableStream] {
  const reader = source.getReader() as ReadableStreamDefaultReader<Uint8Array>;
  const branches: Branch[] = [];
  let reading = false;
  let ended = false;

  const give = (branch: Branch): void => {
    if (!branch.cancelled && branch.held.length > 0) branch.controller.enqueue(concat(branch.held.splice(0)));
  };
  const end = (branch: Branch): void => {
    if (!branch.cancelled && ended) branch.controller.close();
  };
  const settle = (branch: Branch): void => {
    const waiting = branch.waiting;
    branch.waiting = undefined;
    waiting?.();
  };
  const readSource = async (): Promise<void> => {
    if (reading) return;
    reading = true;
    let results: Result[];
    try {
      results = [await reader.read()];
      // What the source holds already comes with it: the runtime's branches share its queue.
      while (!results.at(-1)!.done && holdsMore(source)) results.push(await reader.read());
    } catch (error) {
      for (const branch of branches) {
        if (!branch.cancelled) branch.controller.error(error);
        settle(branch);
      }
      return;
    } finally {
      reading = false;
    }
    for (const { done, value } of results) {
      if (done) ended = true;
      else for (const branch of branches) if (!branch.cancelled) branch.held.push(value.slice());
    }
    // Every branch's bytes first, then the ends: reads of both branches settle before the later reads' ends.
    const answered = branches.filter((branch) => branch.waiting !== undefined || ended);
    answered.forEach(give);
    answered.forEach(end);
    answered.forEach(settle);
  };
  const cancelBoth = (reason: unknown): Promise<void> => (branches.every((branch) => branch.cancelled) ? reader.cancel(reason) : Promise.resolve());

  const make = (): ReadableStream => {
    const branch: Branch = { controller: undefined as unknown as ReadableByteStreamController, held: [], waiting: undefined, cancelled: false };
    branches.push(branch);
    return new globalThis.ReadableStream({
      type: "bytes",
      start(controller) {
        branch.controller = controller;
      },
      pull() {
        if (branch.held.length > 0 || ended) {
          give(branch);
          return end(branch);
        }
        const answered = new Promise<void>((resolve) => (branch.waiting = resolve));
        void readSource();
        return answered;
      },
      cancel(reason) {
        branch.cancelled = true;
        branch.held = [];
        settle(branch);
        return cancelBoth(reason);
      },
    });
  };
  return [make(), make()];
}


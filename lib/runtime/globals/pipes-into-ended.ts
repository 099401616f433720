import { runsEmulatedCode } from "../code-context.js";
import { replaceMethod } from "../replace-method.js";
import { pipeThroughArguments, withPipeToArguments } from "./pipe-options.js";
import { closeAnswer, DESTINATION_CLOSED, runtimeStateOf, WRITE_CLOSING } from "./closed-writables.js";
import { readableStateOf } from "./writable-state.js";

/**
 * pipeTo() and pipeThrough() of Worker and object code into a destination that is closed (one
 * the runtime closed at once, closed-writables.ts's runtimeStateOf(), included), or closing (its
 * close asked, not finished), as the runtime ends them (Node's pipe follows the streams
 * standard, in its own words, and Node 24's writes a chunk the source has queued into the
 * closing destination, failing an internal assertion):
 * - from a source still readable, no chunk moves: the pipe rejects with "This destination
 *   writable stream is closed." (closed) or "This ReadableStream is closed." (closing: the
 *   runtime's slip), and cancels the source with that same error unless told not to, at once
 *   for a closed destination, a microtask later for a closing one, before the pipe rejects;
 * - from a source already closed, the pipe closes the destination through its writer unless told
 *   not to, which is refused as a writer's close of it is (closed-writables.ts), where Node's pipe
 *   fulfils (Node's pipe runs, and its outcome is replaced);
 * - into a destination being aborted (erroring: its sink still busy with a write or a close),
 *   from a source readable or closed, the pipe rejects with the abort's reason and cancels the
 *   source with it unless told not to, at once, where Node's waits for the abort to finish;
 * - an errored source, an errored destination and an aborted signal end the pipe as Node's does,
 *   and so do the refusals of the arguments and of locked streams (stream-words.ts).
 * Either method first reads its arguments as the runtime converts them (pipe-options.ts): what
 * follows, here and in Node's pipe, sees only the values read.
 */

interface PipeOptions {
  preventClose?: unknown;
  preventCancel?: unknown;
  signal?: unknown;
}

/** How the runtime ends a pipe Node would end otherwise; undefined where Node's ending is the runtime's. */
type Ending =
  | { kind: "refuse"; error: unknown; cancelAtOnce: boolean; preventCancel: boolean }
  | { kind: "close"; answer: Promise<void> };

export function installPipesIntoEnded(): void {
  const Readable = ReadableStream.prototype as unknown as Record<string, unknown>;
  replaceMethod(Readable, "pipeTo", (original, self, given) =>
    withPipeToArguments(self, given, (args) => {
      const [destination, options] = args as [WritableStream, PipeOptions | null | undefined];
      const ending = endingOf(self, destination, options);
      if (ending === undefined) return Reflect.apply(original, self, args);
      if (ending.kind === "refuse") return refusedPipe(self as ReadableStream, destination, ending);
      return (Reflect.apply(original, self, args) as Promise<void>).then(() => ending.answer);
    }),
  );
  replaceMethod(Readable, "pipeThrough", (original, self, given) => {
    const args = pipeThroughArguments(self, given);
    const [transform, options] = args as [{ readable?: unknown; writable?: WritableStream } | null | undefined, PipeOptions | null | undefined];
    const readable = transform?.readable;
    const ending = readable instanceof ReadableStream ? endingOf(self, transform!.writable, options) : undefined;
    if (ending?.kind !== "refuse") return Reflect.apply(original, self, args);
    // The pipe's own promise is the runtime's to keep: its failure is no one's to hear.
    refusedPipe(self as ReadableStream, transform!.writable!, ending).catch(() => undefined);
    return readable;
  });
}

/** The runtime's ending of a pipe from `source` into `destination`, where it is not Node's. */
function endingOf(source: unknown, destination: unknown, options: PipeOptions | null | undefined): Ending | undefined {
  if (!runsEmulatedCode() || (options !== undefined && options !== null && typeof options !== "object")) return undefined;
  const state = runtimeStateOf(destination);
  if (state === undefined || state.errored || !(state.closed || state.closing || state.failing)) return undefined;
  // A refusal of the arguments or a lock stays Node's (stream-words.ts), and so does an aborted signal's ending.
  if (!(source instanceof ReadableStream) || source.locked || (destination as WritableStream).locked) return undefined;
  const signal = options?.signal;
  if (signal !== undefined && (!(signal instanceof AbortSignal) || signal.aborted)) return undefined;
  const sourceState = readableStateOf(source);
  const preventCancel = Boolean(options?.preventCancel);
  // Being aborted (erroring, a close asked or not): ended as an errored one is, at once.
  if (state.failing) return sourceState === "errored" ? undefined : { kind: "refuse", error: state.storedError, cancelAtOnce: true, preventCancel };
  if (sourceState === "readable") {
    const error = new TypeError(state.closed ? DESTINATION_CLOSED : WRITE_CLOSING);
    return { kind: "refuse", error, cancelAtOnce: state.closed, preventCancel };
  }
  if (sourceState !== "closed" || options?.preventClose) return undefined;
  // Decided now, from the state the pipe met; handed on once Node's pipe has let go of the streams.
  const answer = closeAnswer(destination as WritableStream, false);
  answer?.catch(() => undefined);
  return answer === undefined ? undefined : { kind: "close", answer };
}

/**
 * The runtime's pipe from a readable `source` into a closed or closing `destination`, or from a
 * readable or closed one into an erroring `destination`: it holds both streams' locks, moves no
 * chunk, cancels the source unless told not to (a failed cancel is
 * the pipe's failure, as in a pipe's shutdown), lets go of both and rejects.
 */
async function refusedPipe(source: ReadableStream, destination: WritableStream, ending: Extract<Ending, { kind: "refuse" }>): Promise<void> {
  // The classes' own methods, as a pipe takes its locks (a subclass may override them).
  const reader = ReadableStream.prototype.getReader.call(source) as ReadableStreamDefaultReader;
  const writer = WritableStream.prototype.getWriter.call(destination);
  const cancel = () => (ending.preventCancel ? undefined : reader.cancel(ending.error));
  try {
    await (ending.cancelAtOnce ? cancel() : Promise.resolve().then(cancel));
  } finally {
    reader.releaseLock();
    writer.releaseLock();
  }
  throw ending.error;
}

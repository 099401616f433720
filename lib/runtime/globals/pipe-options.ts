import { acceptedBy } from "../../util/webidl.js";

/**
 * The arguments of pipeTo() and pipeThrough() as the runtime converts them, before anything else
 * looks at them: the transform's `readable` then `writable` (pipeThrough), then the options, a
 * PipeToOptions dictionary whose members are each read once, by [[Get]] (an inherited member
 * counts), in the runtime's order: preventAbort, preventCancel, preventClose, signal. What comes
 * back holds the values as plain data, so Node's pipe and durasim's own checks of it read no
 * getter again. An argument the runtime refuses before it reads the next is handed on as given
 * (no later one is read): the refusal stays Node's, in the runtime's words (stream-words.ts).
 */

const isReadableStream = acceptedBy(Object.getOwnPropertyDescriptor(ReadableStream.prototype, "locked")!.get!);
export const isWritableStream = acceptedBy(Object.getOwnPropertyDescriptor(WritableStream.prototype, "locked")!.get!);

/**
 * `pipe(converted)`, for `source.pipeTo(...args)` with its arguments converted; a getter's throw
 * rejects, as the runtime's pipeTo() answers any refusal of its arguments.
 */
export function withPipeToArguments(source: unknown, args: unknown[], pipe: (converted: unknown[]) => unknown): unknown {
  let converted: unknown[];
  try {
    converted = pipeToArguments(source, args);
  } catch (error) {
    return Promise.reject(error);
  }
  return pipe(converted);
}

function pipeToArguments(source: unknown, args: unknown[]): unknown[] {
  const [destination, options, ...rest] = args;
  // A receiver the runtime refuses is refused before any argument is read.
  if (!isReadableStream(source) || !isWritableStream(destination)) return args;
  return [destination, pipeOptions(options), ...rest];
}

/** `source.pipeThrough(transform, options)`'s arguments, converted. A getter's throw is thrown. */
export function pipeThroughArguments(source: unknown, args: unknown[]): unknown[] {
  const [transform, options, ...rest] = args;
  if (!isReadableStream(source) || transform === null || (typeof transform !== "object" && typeof transform !== "function")) return args;
  const readable = (transform as { readable?: unknown }).readable;
  if (!isReadableStream(readable)) return [{ readable }, options, ...rest];
  const writable = (transform as { writable?: unknown }).writable;
  const pair = { readable, writable };
  return [pair, isWritableStream(writable) ? pipeOptions(options) : options, ...rest];
}

function pipeOptions(options: unknown): unknown {
  if (options === null || (typeof options !== "object" && typeof options !== "function")) return options;
  const { preventAbort, preventCancel, preventClose, signal } = options as Record<string, unknown>;
  return { preventAbort, preventCancel, preventClose, signal };
}

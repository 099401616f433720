import { runsEmulatedCode } from "../code-context.js";
import { replaceMethod } from "../replace-method.js";
import { isNativeWritable } from "../native-writables.js";
import { streamOfWriter, writableStateOf } from "./writable-state.js";

/**
 * Writes to and closes of a WritableStream that is closing, closed or errored, as
 * the runtime answers them to Worker and object code, however the stream got there (a writer's
 * close(), the stream's own, a pipe) and whichever writer is used (getWriter(), one constructed
 * by `new WritableStreamDefaultWriter()`, a byte stream's):
 * - a write or close of a closed stream, or of a closing one through the writer that asked the
 *   close, rejects with "This WritableStream has been closed." (Node: "Invalid state:
 *   WritableStream is closed");
 * - of a stream closing by another's request (an earlier writer's, the stream's own close(), a
 *   pipe's), a write rejects with "This ReadableStream is closed." and a close with "Cannot
 *   close a writer that is already being closed" (the runtime's words, its own slip included);
 * - a close of an errored stream rejects with the stored error, as a write does (Node rejects
 *   it as closed);
 * - a writable side the runtime makes natively (native-writables.ts) answers closes its own way:
 *   once closed, a close by any but the writer that closed it fulfils, and once errored, a close
 *   rejects as closed.
 * (Pipes into a closing or closed stream: pipes-into-ended.ts.)
 *
 * Each refusal is decided from the stream's state before Node's method runs (writable-state.ts),
 * and rejected at once as Node would: Node 20 would otherwise throw an internal assertion at
 * once for a write after the close completed (the size algorithm it cleared on close), which
 * escaped as "a bug in Node.js".
 */

const CLOSED = "This WritableStream has been closed.";
export const WRITE_CLOSING = "This ReadableStream is closed.";
const CLOSE_CLOSING = "Cannot close a writer that is already being closed";
export const DESTINATION_CLOSED = "This destination writable stream is closed.";

/** Writers of Worker and object code that closed their stream (a refused close closes nothing). */
const closers = new WeakSet<object>();

export function installClosedWritables(): void {
  const Writer = WritableStreamDefaultWriter.prototype as unknown as Record<string, unknown>;
  replaceMethod(Writer, "write", (original, self, args) => {
    const state = runsEmulatedCode() ? writableStateOf(streamOfWriter(self)) : undefined;
    if (state === undefined || state.errored || !(state.closed || state.closing)) return Reflect.apply(original, self, args);
    return Promise.reject(new TypeError(state.closed || closers.has(self as object) ? CLOSED : WRITE_CLOSING));
  });
  replaceMethod(Writer, "close", (original, self, args) => {
    if (!runsEmulatedCode()) return Reflect.apply(original, self, args);
    const answer = closeAnswer(streamOfWriter(self), closers.has(self as object));
    if (answer !== undefined) return answer;
    closers.add(self as object);
    return Reflect.apply(original, self, args);
  });
  // A locked stream's refusal is another (stream-words.ts): only an unlocked one's is decided here.
  replaceMethod(WritableStream.prototype as unknown as Record<string, unknown>, "close", (original, self, args) => {
    const stream = self as WritableStream;
    const answer = runsEmulatedCode() && !stream.locked ? closeAnswer(stream, false) : undefined;
    return answer ?? Reflect.apply(original, self, args);
  });
}

/**
 * The runtime's answer to a close of `stream` that is errored, closed or closing (undefined
 * for one Node's close may proceed on): the words depend on whether `asked`, the same writer
 * closed it before, and on whether the stream is native (see the essay above).
 */
export function closeAnswer(stream: WritableStream | undefined, asked: boolean): Promise<void> | undefined {
  const state = writableStateOf(stream);
  const native = isNativeWritable(stream);
  if (state?.errored) return Promise.reject(native ? new TypeError(CLOSED) : state.storedError);
  if (state?.closed && native && !asked) return Promise.resolve();
  if (state?.closed || (state?.closing && asked)) return Promise.reject(new TypeError(CLOSED));
  return state?.closing ? Promise.reject(new TypeError(CLOSE_CLOSING)) : undefined;
}

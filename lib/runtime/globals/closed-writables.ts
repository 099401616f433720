import { runsEmulatedCode } from "../code-context.js";
import { replaceMethod, wrapGetter } from "../replace-method.js";
import { decideWrites } from "../writer-writes.js";
import { checkWriterReceiver } from "./stream-receivers.js";
import { releasedLock, WRITER_RELEASED } from "./released-locks.js";
import { isClosedOnceErrored, isNativeWritable } from "../native-writables.js";
import { streamOfWriter } from "../node-stream-state.js";
import { closesAtOnce, type WritableState, writableStateOf } from "./writable-state.js";

/**
 * Writes to and closes of a WritableStream that is closing, closed or errored, as
 * the runtime answers them to Worker and object code, however the stream got there (a writer's
 * close(), the stream's own, a pipe) and whichever writer is used (getWriter(), one constructed
 * by `new WritableStreamDefaultWriter()`, a byte stream's):
 * - a write or close of a closed stream rejects with "This WritableStream has been closed."
 *   (Node: "Invalid state: WritableStream is closed"); a stream closed by Worker or object code
 *   with nothing to wait for (no sink close(), no write pending) is closed from that call on, as
 *   the runtime's is, though Node's closes a few microtasks later (closesAtOnce);
 * - of a closing stream (its close queued or under way, whoever asked it, the writer itself
 *   included, and even once it errors meanwhile), a write rejects with "This ReadableStream is
 *   closed." and a close with "Cannot close a writer that is already being closed" (the
 *   runtime's words, its own slip included), but a write to a stream the runtime makes natively
 *   (native-writables.ts) with "This WritableStream has been closed." as once it closed;
 * - a close of an errored stream rejects with the stored error, as a write does (Node rejects
 *   it as closed), unless Worker or object code aborted it while it was closing: then as
 *   closing (the runtime's words for it);
 * - an abort of a stream closed at once fulfils (Node's would fail the close still finishing),
 *   and one of a stream whose close is under way (no write before it) lets it finish, then
 *   fulfils: the close wins (one queued behind a write is failed by the abort, as in Node);
 * - a close that ends a stream at once has fulfilled when it returns, and its writer's `closed`
 *   fulfils a microtask later (Node's settle a few microtasks later), and a writer's desiredSize
 *   of such a stream is 0, a closed stream's;
 * - a writable side the runtime makes natively (native-writables.ts) answers closes its own way:
 *   once closed, a close by any but the writer that closed it fulfils, and once errored, a close
 *   rejects as closed; that of one of its own TransformStreams (IdentityTransformStream,
 *   FixedLengthStream, the compression streams: transform-sides.ts) and a WritableStream received
 *   over RPC (isClosedOnceErrored), once errored (aborted, or a write failed), reads as closed to writes too: they reject as closed, its writer's `ready`
 *   fulfils and `desiredSize` is 0 (its `closed` still rejects with the error; a socket's keeps
 *   rejecting writes with its own error).
 * (Pipes into a closing or closed stream: pipes-into-ended.ts.)
 *
 * A write's refusals come before a byte stream looks at its chunk (writer-writes.ts), as the
 * runtime's do: a closed byte stream refuses any chunk as closed.
 * Each refusal is decided from the stream's state before Node's method runs (writable-state.ts),
 * and rejected at once as Node would: Node 20 would otherwise throw an internal assertion at
 * once for a write after the close completed (the size algorithm it cleared on close), which
 * escaped as "a bug in Node.js".
 */

const CLOSED = "This WritableStream has been closed.";
export const WRITE_CLOSING = "This ReadableStream is closed.";
const CLOSE_CLOSING = "Cannot close a writer that is already being closed";
export const DESTINATION_CLOSED = "This destination writable stream is closed.";

/** Writers of Worker and object code that closed their stream (a refused close closes nothing):
 * a native stream's answer to a later close depends on it. */
const closers = new WeakSet<object>();

/** Streams Worker or object code closed when the runtime's close ends them at once (closesAtOnce). */
const closedAtOnce = new WeakSet<WritableStream>();

/** Streams Worker or object code aborted while closing: the runtime answers a later close as closing. */
const abortedClosing = new WeakSet<WritableStream>();

/** The state of `stream` as the runtime's would be: closed already if closed at once (pipes-into-ended.ts decides by it too). */
export function runtimeStateOf(stream: unknown): WritableState | undefined {
  const state = writableStateOf(stream);
  if (state === undefined || !state.closing || !closedAtOnce.has(stream as WritableStream)) return state;
  return { ...state, closed: true, closing: false };
}

/** The `closed` of writers whose stream Worker or object code closed at once (see closing). */
const closedPromises = new WeakMap<object, Promise<void>>();

/**
 * Runs `close`, Node's close of `stream` asked by Worker or object code, and returns its promise;
 * but a close the runtime ends at once (closedAtOnce) returns one fulfilled already, as the
 * runtime's does, and the `closed` of `writer`, the stream's writer, read from then on (even once
 * released, as the runtime keeps a settled one) fulfils a microtask later, as the runtime's does;
 * Node's settle a few microtasks later, and are left to themselves.
 */
function closing(stream: WritableStream | undefined, writer: object | undefined, close: () => Promise<void>): Promise<void> {
  if (stream === undefined || !closesAtOnce(stream)) return close();
  closedAtOnce.add(stream);
  close().catch(() => undefined);
  if (writer !== undefined) closedPromises.set(writer, Promise.resolve().then(() => undefined));
  return Promise.resolve();
}

export function installClosedWritables(): void {
  decideWrites({ refusal: writeRefusal });
  const Writer = WritableStreamDefaultWriter.prototype as unknown as Record<string, unknown>;
  // Each getter checks its receiver, then reads the writer's stream once (closedInRuntime).
  wrapGetter(Writer, "ready", (get, writer) => {
    const answer = closedInRuntime(writer);
    if (answer === "released") return releasedLock(writer)!.ready!;
    return answer === "errored" ? Promise.resolve() : Reflect.apply(get, writer, []);
  }, "");
  wrapGetter(Writer, "desiredSize", (get, writer) => {
    const answer = closedInRuntime(writer);
    if (answer === "released") throw new TypeError(WRITER_RELEASED);
    return answer === "errored" || answer === "atOnce" ? 0 : Reflect.apply(get, writer, []);
  }, "");
  wrapGetter(Writer, "closed", (get, writer) => {
    if (runsEmulatedCode()) checkWriterReceiver(writer);
    return releasedLock(writer)?.closed ?? closedPromises.get(writer as object) ?? Reflect.apply(get, writer, []);
  }, "");
  replaceMethod(Writer, "close", (original, self, args) => {
    if (!runsEmulatedCode()) return Reflect.apply(original, self, args);
    if (releasedLock(self) !== undefined) return Promise.reject(new TypeError(WRITER_RELEASED));
    const stream = streamOfWriter(self);
    const answer = closeAnswer(stream, closers.has(self as object));
    if (answer !== undefined) return answer;
    closers.add(self as object);
    return closing(stream, self as object, () => Reflect.apply(original, self, args) as Promise<void>);
  });
  replaceMethod(Writer, "abort", (original, self, args) => {
    if (!runsEmulatedCode()) return Reflect.apply(original, self, args);
    if (releasedLock(self) !== undefined) return Promise.reject(new TypeError(WRITER_RELEASED));
    return abortAnswer(streamOfWriter(self)) ?? Reflect.apply(original, self, args);
  });
  // A locked stream's refusal is another (stream-words.ts): only an unlocked one's is decided here.
  replaceMethod(WritableStream.prototype as unknown as Record<string, unknown>, "close", (original, self, args) => {
    const stream = self as WritableStream;
    if (!runsEmulatedCode() || stream.locked) return Reflect.apply(original, self, args);
    const answer = closeAnswer(stream, false);
    if (answer !== undefined) return answer;
    return closing(stream, undefined, () => Reflect.apply(original, self, args) as Promise<void>);
  });
  replaceMethod(WritableStream.prototype as unknown as Record<string, unknown>, "abort", (original, self, args) => {
    const stream = self as WritableStream;
    return (runsEmulatedCode() && !stream.locked ? abortAnswer(stream) : undefined) ?? Reflect.apply(original, self, args);
  });
}

/**
 * The runtime's answer to a close of `stream` that is errored, closed or closing (undefined
 * for one Node's close may proceed on): the words depend on whether `asked`, the same writer
 * closed it before, and on whether the stream is native (see the essay above).
 */
export function closeAnswer(stream: WritableStream | undefined, asked: boolean): Promise<void> | undefined {
  const state = runtimeStateOf(stream);
  const native = isNativeWritable(stream);
  if (state?.errored && !native && abortedClosing.has(stream!)) return Promise.reject(new TypeError(CLOSE_CLOSING));
  if (state?.errored) return Promise.reject(native ? new TypeError(CLOSED) : state.storedError);
  if (state?.closed && native && !asked) return Promise.resolve();
  if (state?.closed) return Promise.reject(new TypeError(CLOSED));
  return state?.closing ? Promise.reject(new TypeError(CLOSE_CLOSING)) : undefined;
}

/**
 * The runtime's answer to an abort of `stream` that a close ends (undefined for one Node's abort
 * may proceed on, noting a stream it aborts while closing): closed at once, nothing is left to
 * abort; a close under way (see WritableState.closeUnderWay) finishes first, whatever it ends in.
 */
function abortAnswer(stream: WritableStream | undefined): Promise<void> | undefined {
  const node = writableStateOf(stream);
  if (node === undefined || node.failing || node.closed) return undefined;
  if (closedAtOnce.has(stream!)) return Promise.resolve();
  const answer = node.closeUnderWay?.then(
    () => undefined,
    () => undefined,
  );
  if (answer === undefined && node.closing) abortedClosing.add(stream!);
  return answer;
}

/**
 * The refusal of a write (writer-writes.ts) by Worker or object code, in the runtime's order: a
 * receiver that is no writer, a released writer, then the stream's state: closed (one closed at
 * once too), closing (a stream the runtime makes natively says closed of that too, as the
 * runtime's own streams do), or errored, for the writable side of one of the runtime's own
 * TransformStreams or a WritableStream received over RPC (isClosedOnceErrored; any other's
 * write rejects with the stored error, as Node's does).
 */
function writeRefusal(writer: unknown, stream: WritableStream | undefined): Promise<never> | undefined {
  if (!runsEmulatedCode()) return undefined;
  checkWriterReceiver(writer);
  if (releasedLock(writer) !== undefined) return Promise.reject(new TypeError(WRITER_RELEASED));
  const state = runtimeStateOf(stream);
  if (state === undefined || (state.errored && !isClosedOnceErrored(stream))) return undefined;
  if (state.errored || state.closed || (state.closing && isNativeWritable(stream))) return Promise.reject(new TypeError(CLOSED));
  return state.closing ? Promise.reject(new TypeError(WRITE_CLOSING)) : undefined;
}

/**
 * How Worker or object code's `writer` reads where Node's does not quite: "released" by that
 * code (released-locks.ts); its stream "errored", the writable side of one of the runtime's own
 * TransformStreams or a WritableStream received over RPC, which reads as closed (its `ready`
 * fulfils, its `desiredSize` is 0); or closed "atOnce", its close still finishing in Node (`desiredSize` 0); undefined where Node's
 * answers stand. A receiver that is no writer is refused first.
 */
function closedInRuntime(writer: unknown): "released" | "errored" | "atOnce" | undefined {
  if (!runsEmulatedCode()) return undefined;
  checkWriterReceiver(writer);
  if (releasedLock(writer) !== undefined) return "released";
  const stream = streamOfWriter(writer);
  const state = writableStateOf(stream);
  if (state?.errored && isClosedOnceErrored(stream)) return "errored";
  return state?.closing && closedAtOnce.has(stream!) ? "atOnce" : undefined;
}

import { runsEmulatedCode } from "../code-context.js";
import { replaceMethod } from "../replace-method.js";

/**
 * Writes to and closes of a WritableStream that is closing, closed or errored, as the runtime
 * answers them to Worker and object code:
 * - a write or close of a closing or closed stream rejects with "This WritableStream has been
 *   closed." (Node: "Invalid state: WritableStream is closed");
 * - a close of an errored stream rejects with the stored error, as a write does (Node rejects
 *   it as closed);
 * - a write once the close completed is refused as closed: Node 20 instead throws an internal
 *   assertion at once (the size algorithm it cleared on close), which escaped as "a bug in
 *   Node.js".
 *
 * Node's refusal is a rejected promise whose state nothing public reveals, so it is reworded by
 * passing it through a `then`, which settles two microtasks later than Node's. Writes pay that
 * only once a close of their stream was asked for (`closing`): a write before is never refused
 * as closed, and an ordinary write keeps Node's timing. A close pays it always (once a stream).
 */

const CLOSED = "This WritableStream has been closed.";
const NODE_CLOSED = "Invalid state: WritableStream is closed";

/** Streams and writers a close was asked of: by close() of the stream or a writer (both are
 * marked: a writer made by `new WritableStreamDefaultWriter()` does not reveal its stream), or
 * by a pipe into the stream. */
const closing = new WeakSet<object>();
/** The stream of each writer Worker or object code got (the writer does not reveal it). */
const streamOfWriter = new WeakMap<WritableStreamDefaultWriter, WritableStream>();

export function installClosedWritables(): void {
  const Writer = WritableStreamDefaultWriter.prototype as unknown as Record<string, unknown>;
  const Writable = WritableStream.prototype as unknown as Record<string, unknown>;
  replaceMethod(Writable, "getWriter", (original, self, args) => {
    const writer = Reflect.apply(original, self, args) as WritableStreamDefaultWriter;
    streamOfWriter.set(writer, self as WritableStream);
    return writer;
  });
  replaceMethod(ReadableStream.prototype as unknown as Record<string, unknown>, "pipeTo", (original, self, args) => {
    const [destination, options] = args as [unknown, { preventClose?: unknown } | undefined];
    if (destination instanceof WritableStream && !options?.preventClose) closing.add(destination);
    return Reflect.apply(original, self, args);
  });
  replaceMethod(Writer, "write", (original, self, args) => {
    if (!runsEmulatedCode()) return Reflect.apply(original, self, args);
    let written: Promise<unknown>;
    try {
      written = Reflect.apply(original, self, args) as Promise<unknown>;
    } catch (error) {
      if ((error as { code?: unknown })?.code !== "ERR_INTERNAL_ASSERTION") throw error;
      return Promise.reject(new TypeError(CLOSED));
    }
    const writer = self as WritableStreamDefaultWriter;
    if (!closing.has(writer) && !closing.has(streamOfWriter.get(writer) ?? writer)) return written;
    return written.then(undefined, (error: unknown) => Promise.reject(isNodeClosed(error) ? new TypeError(CLOSED) : error));
  });
  replaceMethod(Writer, "close", (original, self, args) => {
    const writer = self as WritableStreamDefaultWriter;
    closing.add(writer);
    const stream = streamOfWriter.get(writer);
    if (stream !== undefined) closing.add(stream);
    const closed = Reflect.apply(original, self, args) as Promise<unknown>;
    return runsEmulatedCode() ? closed.then(undefined, (error: unknown) => refusedClose(error, writer)) : closed;
  });
  replaceMethod(Writable, "close", (original, self, args) => {
    const stream = self as WritableStream;
    const locked = stream.locked;
    closing.add(stream);
    const closed = Reflect.apply(original, self, args) as Promise<unknown>;
    // A locked stream's refusal is another (stream-words.ts); an unlocked one's state is read
    // through a writer of its own, released at once.
    if (!runsEmulatedCode() || locked) return closed;
    return closed.then(undefined, (error: unknown) => {
      if (!isNodeClosed(error)) throw error;
      const writer = stream.getWriter();
      const refusal = refusedClose(error, writer);
      writer.releaseLock();
      return refusal;
    });
  });
}

function isNodeClosed(error: unknown): boolean {
  return error instanceof TypeError && error.message === NODE_CLOSED;
}

/**
 * A close's refusal in the runtime's terms: an errored stream's stored error, else that the
 * stream has been closed. An errored stream's `closed` has already rejected with the stored
 * error, so it wins a race with a settled promise; a closing stream's (pending) or a closed
 * one's (fulfilled) does not.
 */
function refusedClose(error: unknown, writer: WritableStreamDefaultWriter): Promise<never> {
  if (!isNodeClosed(error)) return Promise.reject(error);
  return Promise.race([writer.closed, undefined]).then(() => Promise.reject(new TypeError(CLOSED)));
}

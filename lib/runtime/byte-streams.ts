/**
 * The runtime's byte TransformStreams, Worker globals Node lacks. `IdentityTransformStream`
 * passes bytes through as they were written (a string as UTF-8, an ArrayBuffer, a
 * SharedArrayBuffer or any view; undefined writes nothing; a writer refuses any other chunk and
 * the stream stays open; one that arrives by pipeTo() fails it, in the compression streams'
 * words); its readable side is a byte stream, so BYOB readers work. `FixedLengthStream(n)` is one
 * that also counts the bytes reads take (byte-handoff.ts has the rules). `n` converts as the
 * runtime's bigint argument does, and so does the options' `highWaterMark`.
 *
 * Both are TransformStreams whose sides are a pipe of our own (transform-sides.ts) with no queue
 * between them: a write waits for reads to take its bytes (byte-handoff.ts).
 */
import { Buffer } from "node:buffer";
import { isIdlObject, notOfTypeInConstructor, tagInterface, toUnsigned64 } from "../util/webidl.js";
import { constructOnly } from "../util/construct-only.js";
import { readsOneAtATime } from "./single-reads.js";
import { writesNatively } from "./native-writables.js";
import { byteWritableStream, bytesOf, isByteChunk, PIPED_NOT_BYTES } from "./byte-writable.js";
import { adoptSides, type Sides } from "./transform-sides.js";
import { ByteHandoff } from "./byte-handoff.js";
import { afterMicrotasks } from "../util/turn.js";
import { abortReasonAcross, cancelReasonAcross } from "./native-reasons.js";

const MAX_LENGTH = 2 ** 53;

// What a FixedLengthStream being constructed hands its base class, which builds the pipe once
// (set just before super(), read at once: construction is synchronous): its byte count and its
// converted highWaterMark.
let fixedForPipe: { limit: number; highWaterMark: number | undefined } | undefined;

class IdentityTransformStreamClass extends TransformStream<unknown, Uint8Array> {
  constructor(options?: { highWaterMark?: number | bigint }) {
    const fixed = fixedForPipe;
    fixedForPipe = undefined;
    const highWaterMark = fixed === undefined ? highWaterMarkOf(options, "IdentityTransformStream", 1) : fixed.highWaterMark;
    super();
    adoptSides(this, bytePipe(fixed?.limit, highWaterMark));
  }
}

class FixedLengthStreamClass extends IdentityTransformStreamClass {
  constructor(expectedLength: number | bigint, options?: { highWaterMark?: number | bigint }) {
    const limit = expectedByteLength(expectedLength, arguments.length);
    fixedForPipe = { limit, highWaterMark: highWaterMarkOf(options, "FixedLengthStream", 2) };
    super();
  }
}

/** The `highWaterMark` of the options argument at `position`, converted as the runtime's bigint member is; undefined if none. */
function highWaterMarkOf(options: unknown, iface: string, position: number): number | undefined {
  if (options === undefined || options === null) return undefined;
  if (!isIdlObject(options)) throw notOfTypeInConstructor(iface, position, "QueuingStrategy");
  const { highWaterMark } = options as { highWaterMark?: unknown };
  return highWaterMark === undefined ? undefined : toUnsigned64(highWaterMark);
}

tagInterface(IdentityTransformStreamClass.prototype, "IdentityTransformStream");
tagInterface(FixedLengthStreamClass.prototype, "FixedLengthStream");

export const IdentityTransformStream = constructOnly(IdentityTransformStreamClass, "IdentityTransformStream");
export const FixedLengthStream = constructOnly(FixedLengthStreamClass, "FixedLengthStream");

/** The length argument as the runtime converts it to a bigint, with its messages. */
function expectedByteLength(value: unknown, count: number): number {
  if (count === 0) throw new TypeError("Failed to construct 'FixedLengthStream': constructor parameter 1 is not of type 'bigint'.");
  const length = toUnsigned64(value);
  if (length >= MAX_LENGTH) throw new TypeError("FixedLengthStream requires an integer expected length less than 2^53.");
  return length;
}

/**
 * A writable side feeding a byte readable side through a hand-off (byte-handoff.ts: a write
 * waits for reads to take its bytes, counted up to `limit` if given). The writable side's
 * `desiredSize` counts the bytes of writes not yet taken against the `highWaterMark` given, as
 * the runtime's does; without one it stays 1 and `ready` never waits.
 */
function bytePipe(limit: number | undefined, highWaterMark: number | undefined): Sides {
  let out!: ReadableByteStreamController;
  let handoff!: ByteHandoff;
  // What ended the readable side early: later writes and close() reject with it.
  let failure: { reason: unknown } | undefined;
  const fail = (reason: unknown) => {
    failure = { reason };
    handoff.fail(reason);
    out.error(reason);
  };
  const readable = readsOneAtATime(new ReadableStream({
    type: "bytes",
    start(controller) {
      out = controller;
      handoff = new ByteHandoff(controller, { limit, fail });
    },
    pull() {
      return handoff.read();
    },
    cancel(given) {
      const reason = cancelReasonAcross(given);
      failure ??= { reason };
      // The write waiting learns of the cancel once the runtime's event loop runs.
      afterMicrotasks(() => handoff.fail(reason));
    },
  }));
  const strategy = highWaterMark === undefined ? { highWaterMark: 1, size: () => 0 } : { highWaterMark, size: byteCount };
  const writable = writesNatively(byteWritableStream<unknown>({
    start(controller) {
      // An abort fails the write waiting at once (Node would wait for it to finish first).
      const { signal } = controller as unknown as { signal: AbortSignal };
      signal.addEventListener("abort", () => handoff.fail(signal.reason));
    },
    write(chunk) {
      if (failure !== undefined) return refusedLater(failure.reason);
      // Only a pipe gets here with a chunk a writer refuses: that fails the stream.
      if (!isByteChunk(chunk)) {
        const refusal = new TypeError(PIPED_NOT_BYTES);
        fail(refusal);
        throw refusal;
      }
      const bytes = bytesOf(chunk);
      return bytes.byteLength > 0 ? handoff.write(bytes) : undefined;
    },
    close() {
      if (failure !== undefined) throw failure.reason;
      return new Promise<void>((resolve) => {
        afterMicrotasks(() => {
          handoff.end();
          resolve();
        });
      });
    },
    abort(reason) {
      if (failure !== undefined) return;
      failure = { reason };
      afterMicrotasks(() => out.error(abortReasonAcross(reason)));
    },
  }, strategy));
  return { readable, writable };
}

/** A write refused by the stream's end, as the runtime's event loop answers it: once the microtasks queued have run. */
function refusedLater(reason: unknown): Promise<never> {
  return new Promise((_, reject) => afterMicrotasks(() => reject(reason)));
}

/** The bytes a chunk queued on the writable side counts for (one a pipe wrote may be a string). */
function byteCount(chunk: unknown): number {
  if (typeof chunk === "string") return Buffer.byteLength(chunk);
  return (chunk as { byteLength?: number } | null)?.byteLength ?? 0;
}

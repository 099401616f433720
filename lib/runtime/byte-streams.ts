/**
 * The runtime's byte TransformStreams, Worker globals Node lacks. `IdentityTransformStream`
 * passes bytes through as they were written (a string as UTF-8, an ArrayBuffer, a
 * SharedArrayBuffer or any view; undefined writes nothing; a writer refuses any other chunk and
 * the stream stays open; one that arrives by pipeTo() fails it, in the compression streams'
 * words); its readable side is a byte stream, so BYOB readers work. `FixedLengthStream(n)` is one that also counts: a write past `n` bytes fails the
 * readable side with "Attempt to write too many bytes through a FixedLengthStream." (the write
 * itself succeeds; later writes and close() reject with that error), and a close() before `n`
 * fails it with "FixedLengthStream did not see all expected bytes before close()." (the close
 * succeeds). `n` converts as the runtime's bigint argument does.
 *
 * Both are TransformStreams whose sides are a pipe of our own (transform-sides.ts).
 */
import { tagInterface, toUnsigned64 } from "../util/webidl.js";
import { constructOnly } from "../util/construct-only.js";
import { readsOneAtATime } from "./single-reads.js";
import { writesNatively } from "./native-writables.js";
import { ByteWritableStream, bytesOf, isByteChunk, PIPED_NOT_BYTES } from "./byte-writable.js";
import { adoptSides, type Sides } from "./transform-sides.js";

const TOO_MANY = "Attempt to write too many bytes through a FixedLengthStream.";
const TOO_FEW = "FixedLengthStream did not see all expected bytes before close().";
const MAX_LENGTH = 2 ** 53;

// The byte count a FixedLengthStream being constructed hands its base class, which builds the
// pipe once (set just before super(), read at once: construction is synchronous).
let lengthForPipe: number | undefined;

class IdentityTransformStreamClass extends TransformStream<unknown, Uint8Array> {
  constructor(_options?: { highWaterMark?: number }) {
    super();
    const limit = lengthForPipe;
    lengthForPipe = undefined;
    adoptSides(this, bytePipe(limit));
  }
}

class FixedLengthStreamClass extends IdentityTransformStreamClass {
  constructor(expectedLength: number | bigint, _options?: { highWaterMark?: number }) {
    lengthForPipe = expectedByteLength(expectedLength, arguments.length);
    super();
  }
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

/** A writable side feeding a byte readable side, counting up to `limit` bytes if given. */
function bytePipe(limit: number | undefined): Sides {
  let out!: ReadableByteStreamController;
  let seen = 0;
  // What ended the readable side early: later writes and close() reject with it.
  let failure: { reason: unknown } | undefined;
  const fail = (reason: unknown) => {
    failure = { reason };
    out.error(reason);
  };
  const readable = readsOneAtATime(new ReadableStream({
    type: "bytes",
    start(controller) {
      out = controller;
    },
    cancel(reason) {
      failure ??= { reason };
    },
  }));
  const writable = writesNatively(new ByteWritableStream<unknown>({
    write(chunk) {
      if (failure !== undefined) throw failure.reason;
      // Only a pipe gets here with a chunk a writer refuses: that fails the stream.
      if (!isByteChunk(chunk)) {
        const refusal = new TypeError(PIPED_NOT_BYTES);
        fail(refusal);
        throw refusal;
      }
      const bytes = bytesOf(chunk);
      seen += bytes.byteLength;
      if (limit !== undefined && seen > limit) return fail(new TypeError(TOO_MANY));
      if (bytes.byteLength > 0) out.enqueue(bytes);
    },
    close() {
      if (failure !== undefined) throw failure.reason;
      if (limit !== undefined && seen < limit) return fail(new TypeError(TOO_FEW));
      out.close();
    },
    abort(reason) {
      if (failure === undefined) fail(reason);
    },
  }));
  return { readable, writable };
}

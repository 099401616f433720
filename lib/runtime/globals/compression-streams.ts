import { constructOnly } from "../../util/construct-only.js";
import { readsNativeMembers } from "../../util/native-names.js";
import { tagInterface, toIdlString } from "../../util/webidl.js";
import { writesNatively } from "../native-writables.js";
import { byteWritableStream, bytesOf, isByteChunk, PIPED_NOT_BYTES } from "../byte-writable.js";
import { readsOneAtATime } from "../single-reads.js";
import { adoptSides, type Sides } from "../transform-sides.js";
import { type Codec, compressor, decompressor, type Format } from "./zlib-codecs.js";
import { abortReasonAcross, cancelReasonAcross } from "../native-reasons.js";

/**
 * The `CompressionStream` and `DecompressionStream` Worker code finds. As the runtime's, each is
 * a TransformStream (`instanceof`, TransformStream's getters) with no members of its own, whose
 * sides the runtime makes natively (transform-sides.ts): the readable side a byte stream that
 * takes one read at a time, the writable side a native one (native-writables.ts). A write takes
 * a string (as UTF-8), an ArrayBuffer, a SharedArrayBuffer or any view (its bytes read as it
 * is written), and ignores undefined; any other chunk is refused in the runtime's words and the
 * stream stays open (one a pipe writes fails the stream, in other words). A write's output can
 * be read only once the write succeeded; one under way when the readable side is cancelled
 * rejects with the cancel's reason (later writes and close() with the runtime's "This
 * WritableStream has been closed."); one that fails (zlib-codecs.ts has the words) rejects,
 * and errors both sides (the readable with an error of its own, as the runtime's), as a failed
 * close does. Node's own are no TransformStreams, fail with zlib's errors on Node 20 and
 * message-less TypeErrors on Node 24, and drop what follows deflate data.
 */

const FORMATS: readonly string[] = ["deflate", "deflate-raw", "gzip"];
const BAD_FORMAT = "The compression format must be either 'deflate', 'deflate-raw' or 'gzip'.";

/** The one `format` argument, as the runtime converts and checks it. */
function formatOf(name: string, args: unknown[]): Format {
  if (args.length === 0) throw new TypeError(`Failed to construct '${name}': constructor parameter 1 is not of type 'string'.`);
  const format = toIdlString(args[0]);
  if (!FORMATS.includes(format)) throw new TypeError(BAD_FORMAT);
  return format as Format;
}

/** The sides of a stream running `codec` (see the essay above). */
function codecSides(codec: Codec): Sides {
  let out!: ReadableByteStreamController;
  // What cancelled the readable side: later writes and close() reject with it.
  let cancelled: { reason: unknown } | undefined;
  const settle = async (work: Promise<Uint8Array[]>): Promise<void> => {
    let output: Uint8Array[];
    try {
      output = await work;
    } catch (error) {
      // A cancel under way dropped the work (the codec's failure is of its making): the write
      // rejects with the cancel's reason, as the runtime's does.
      if (cancelled !== undefined) throw cancelled.reason;
      codec.discard();
      out.error(new TypeError((error as Error).message));
      throw error;
    }
    if (cancelled !== undefined) throw cancelled.reason;
    for (const chunk of output) out.enqueue(chunk);
  };
  const readable = readsOneAtATime(new ReadableStream({
    type: "bytes",
    start(controller) {
      out = controller;
    },
    cancel(reason) {
      cancelled = { reason: cancelReasonAcross(reason) };
      codec.discard();
    },
  }));
  const writable = writesNatively(byteWritableStream<unknown>({
    async write(chunk) {
      if (cancelled !== undefined) throw cancelled.reason;
      // Only a pipe gets here with a chunk a writer refuses: that fails the stream.
      if (!isByteChunk(chunk)) return settle(Promise.reject(new TypeError(PIPED_NOT_BYTES)));
      const bytes = bytesOf(chunk);
      if (bytes.byteLength > 0) await settle(codec.write(bytes));
    },
    async close() {
      if (cancelled !== undefined) throw cancelled.reason;
      await settle(codec.finish());
      out.close();
    },
    abort(reason) {
      codec.discard();
      out.error(abortReasonAcross(reason));
    },
  }));
  return { readable, writable };
}

class CompressionStream extends TransformStream<unknown, Uint8Array> {
  constructor(...args: unknown[]) {
    const format = formatOf("CompressionStream", args);
    super();
    adoptSides(this, codecSides(compressor(format)));
  }
}

class DecompressionStream extends TransformStream<unknown, Uint8Array> {
  constructor(...args: unknown[]) {
    const format = formatOf("DecompressionStream", args);
    super();
    adoptSides(this, codecSides(decompressor(format)));
  }
}

for (const [Class, name] of [[CompressionStream, "CompressionStream"], [DecompressionStream, "DecompressionStream"]] as const) {
  tagInterface(Class.prototype, name);
  readsNativeMembers(Class.prototype);
}

const WorkerCompressionStream = constructOnly(CompressionStream, "CompressionStream");
const WorkerDecompressionStream = constructOnly(DecompressionStream, "DecompressionStream");
export { WorkerCompressionStream as CompressionStream, WorkerDecompressionStream as DecompressionStream };

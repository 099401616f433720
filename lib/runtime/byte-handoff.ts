import { afterMicrotasks } from "../util/turn.js";

const TOO_MANY = "Attempt to write too many bytes through a FixedLengthStream.";
const TOO_FEW = "FixedLengthStream did not see all expected bytes before close().";

export interface HandoffOptions {
  /** A FixedLengthStream's length: bytes past it, or an end short of it, fail the stream. */
  readonly limit: number | undefined;
  /** Ends both sides with `reason` (the stream's own failure). */
  readonly fail: (reason: unknown) => void;
}

/**
 * The hand-off between the two sides of the runtime's byte TransformStreams
 * (IdentityTransformStream, FixedLengthStream): the runtime keeps no queue between them, so a
 * write stays pending until reads have taken all its bytes (a BYOB read smaller than the chunk
 * takes a part, the next read more), and a read waits for a write. They meet once the microtasks
 * queued so far have run (afterMicrotasks), where the runtime's event loop moves bytes between
 * its streams, not within the microtasks of either call.
 *
 * The writable side's close is handed on the same way: the readable side closes when a read
 * finds the end, not before. A FixedLengthStream counts the bytes as reads take them: a read
 * that would take a byte past its length fails the stream with "Attempt to write too many bytes
 * through a FixedLengthStream." (the write it would have taken from succeeds), and a read that
 * finds the end short of it with "FixedLengthStream did not see all expected bytes before
 * close()." (the close having succeeded before).
 *
 * Invariant: `#writing` is the write (at most one: the writable side hands its sink one at a
 * time) whose bytes are not all taken yet, `#reading` the readable side's pull() that waits for
 * bytes (one at a time too).
 */
export class ByteHandoff {
  readonly #out: ReadableByteStreamController;
  #writing: { bytes: Uint8Array; taken: number; resolve: () => void; reject: (reason: unknown) => void } | undefined;
  #reading: (() => void) | undefined;
  #ended = false;

  readonly #limit: number | undefined;
  readonly #fail: (reason: unknown) => void;
  /** Bytes reads took so far. */
  #handed = 0;

  constructor(out: ReadableByteStreamController, { limit, fail }: HandoffOptions) {
    this.#out = out;
    this.#limit = limit;
    this.#fail = fail;
  }

  /** The sink's write of `bytes` (some): fulfilled once reads took them all, rejected if the stream ends first (fail). */
  write(bytes: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#writing = { bytes, taken: 0, resolve, reject };
      afterMicrotasks(() => this.#meet());
    });
  }

  /** The source's pull(): settled once a write handed the read bytes. */
  read(): Promise<void> {
    return new Promise((resolve) => {
      this.#reading = resolve;
      afterMicrotasks(() => this.#meet());
    });
  }

  /** The writable side closed: the next read (or the one waiting) finds the end; until then the readable side stays open. */
  end(): void {
    this.#ended = true;
    this.#meet();
  }

  /** The stream ended with `reason`: the write waiting (if any) rejects with it. */
  fail(reason: unknown): void {
    const writing = this.#writing;
    this.#writing = undefined;
    writing?.reject(reason);
  }

  #meet(): void {
    const writing = this.#writing;
    const reading = this.#reading;
    if (reading === undefined) return;
    if (writing === undefined) return this.#ended ? this.#close(reading) : undefined;
    this.#reading = undefined;
    const rest = writing.bytes.subarray(writing.taken);
    const view = this.#out.byobRequest?.view;
    // A default read takes the whole chunk; a BYOB read what its view holds.
    const taken = view ? Math.min(view.byteLength, rest.byteLength) : rest.byteLength;
    writing.taken += taken;
    this.#handed += taken;
    const done = writing.taken === writing.bytes.byteLength;
    if (done) this.#writing = undefined;
    if (this.#limit !== undefined && this.#handed > this.#limit) {
      this.#writing = undefined;
      writing.resolve();
      return this.#fail(new TypeError(TOO_MANY));
    }
    const deliver = () => this.#deliver(rest.subarray(0, taken), reading);
    if (!done) return deliver();
    // A FixedLengthStream's write settles before the read it fed (in the event loop's next
    // pass), an IdentityTransformStream's after it.
    if (this.#limit === undefined) {
      deliver();
      return writing.resolve();
    }
    writing.resolve();
    afterMicrotasks(deliver);
  }

  /** Answers the read waiting (`reading`, its pull) with `bytes`, unless the stream errored meanwhile. */
  #deliver(bytes: Uint8Array, reading: () => void): void {
    if (this.#out.desiredSize === null) return;
    const request = this.#out.byobRequest;
    if (request?.view) {
      new Uint8Array(request.view.buffer, request.view.byteOffset, bytes.byteLength).set(bytes);
      request.respond(bytes.byteLength);
    } else {
      // (Its buffer is transferred: nothing else reads it.)
      this.#out.enqueue(bytes);
    }
    reading();
  }

  #close(reading: () => void): void {
    this.#reading = undefined;
    // Short of a FixedLengthStream's length, the read finds the failure once the close has settled.
    if (this.#limit !== undefined && this.#handed < this.#limit) return afterMicrotasks(() => this.#fail(new TypeError(TOO_FEW)));
    this.#out.close();
    // A BYOB read waiting is answered as done, with its view empty.
    this.#out.byobRequest?.respond(0);
    reading();
  }
}

import { runsEmulatedCode } from "./code-context.js";
import { endedWithContext } from "./io-context.js";
import { replaceGetter, replaceMethod } from "./replace-method.js";
import { hiddenField } from "../util/hidden-field.js";

/**
 * Streams the runtime makes natively take one read at a time, as the runtime's do: while a read
 * of a reader (default or BYOB) is unanswered, Worker or object code's next read is refused with
 * "This ReadableStream only supports a single pending read request at a time.", even when bytes
 * already wait. Such streams: the body of a Request or Response given as no stream (a string,
 * bytes, a Blob, a form, JSON), a Blob's stream(), the readable side of IdentityTransformStream,
 * FixedLengthStream, CompressionStream and DecompressionStream, the bindings' byte streams (a KV
 * "stream" value, an R2 object's body), the body of a Response that came back from a fetch() (a
 * stub's, a service's, the network's) or of a Request or Response received over RPC, the body of
 * a Request or Response made with one of these as its body (or from a Request whose body is one),
 * and both branches of a tee() of any of these (so a clone's body too) or of a socket's readable
 * side (which itself follows a rule of its own, socket-streams.ts). A stream Worker code
 * constructs (and one made from it, such as `new Response(stream).body` locally) queues reads, as
 * the runtime's JavaScript streams do; so does a fetch() handler's request body (an object's or a
 * Worker's), though the branches of its tee (once cloned, its own body and its clone's) do not.
 * Test code keeps Node's streams, which queue.
 *
 * Invariant: a reader is in `pending` exactly from a read it let through until that read's promise
 * settles. The mark clears in a reaction registered before the caller can register one, so the
 * caller's continuation already sees the read answered; the caller's promise is Node's own, so a
 * read costs no extra microtask (but one of a network fetch()'s body, see readsDroppedAtContextEnd).
 */

/** How a read is refused while another is pending. */
export const SINGLE_READ = "This ReadableStream only supports a single pending read request at a time.";

// Marks kept in hidden fields, not WeakSets: every stub.fetch() marks a new body stream and
// reader or two, and a young object in a long-lived WeakSet costs V8 an entry it revisits at
// each scavenge (see hidden-field.ts).
/** Streams that take one read at a time. */
const singleRead = hiddenField<true>();
/** Streams whose tee() branches take one read at a time, whatever their own rule. */
const singleBranches = hiddenField<true>();
/** Readers of those streams. */
const singleReaders = hiddenField<true>();
/** Readers whose read is unanswered. */
const pending = hiddenField<true>();
/** Streams, and their readers, whose reads that fail because their I/O context ended never settle. */
const droppedAtContextEnd = hiddenField<true>();
const droppingReaders = hiddenField<true>();

/** How a release is refused while a read of such a reader is unanswered (the reader stays locked). */
export const OUTSTANDING_READ = "Cannot call releaseLock() on a reader with outstanding read promises.";

/** Whether `reader`, a reader of a stream that takes one read at a time, has a read unanswered: the runtime refuses its release then. */
export function holdsUnansweredRead(reader: unknown): boolean {
  return typeof reader === "object" && reader !== null && pending.get(reader) === true;
}

/**
 * `stream`, the body of a network fetch() that Worker or object code made and that takes one read
 * at a time, is cancelled when that code's I/O context ends (host-apis.ts): a read of its own
 * reader pending then, or made by code that runs on, never settles and stays unanswered, as the
 * runtime never resumes an ended context's code (checked with workerd against a local server).
 */
export function readsDroppedAtContextEnd(stream: ReadableStream | null): void {
  if (stream !== null) droppedAtContextEnd.set(stream, true);
}

/** `stream` (if any) takes one read at a time; returns it. */
export function readsOneAtATime<T extends ReadableStream | null>(stream: T): T {
  if (stream !== null) singleRead.set(stream, true);
  return stream;
}

/** `stream` (if any) takes one read at a time if `source`, the stream whose bytes it carries, does. */
export function readsLike(source: unknown, stream: ReadableStream | null): void {
  if (stream !== null && singleRead.get(source) === true) singleRead.set(stream, true);
}

/** `stream` (if any) keeps its own read rule (it queues reads, or has one of its own, as a socket's readable does), but the branches of its tee() take one at a time. */
export function teesOneAtATime(stream: ReadableStream | null): void {
  if (stream !== null) singleBranches.set(stream, true);
}

export function installSingleReads(): void {
  replaceMethod(ReadableStream.prototype as unknown as Record<string, unknown>, "getReader", (original, self, args) => {
    const reader = Reflect.apply(original, self, args) as object;
    if (singleRead.get(self) === true) singleReaders.set(reader, true);
    if (droppedAtContextEnd.get(self) === true) droppingReaders.set(reader, true);
    return reader;
  });
  replaceMethod(ReadableStream.prototype as unknown as Record<string, unknown>, "tee", (original, self, args) => {
    const branches = Reflect.apply(original, self, args) as [ReadableStream, ReadableStream];
    if (singleRead.get(self) === true || singleBranches.get(self) === true) branches.forEach(readsOneAtATime);
    return branches;
  });
  for (const prototype of [ReadableStreamDefaultReader.prototype, ReadableStreamBYOBReader.prototype]) {
    replaceMethod(prototype as unknown as Record<string, unknown>, "read", (original, self, args) => {
      const reader = self as object;
      if (singleReaders.get(reader) !== true || !runsEmulatedCode()) return Reflect.apply(original, self, args);
      if (pending.get(reader) === true) return Promise.reject(new TypeError(SINGLE_READ));
      const read = Reflect.apply(original, self, args) as Promise<unknown>;
      pending.set(reader, true);
      const answered = (): void => pending.set(reader, undefined);
      if (droppingReaders.get(reader) === true) return unlessContextEnded(read, answered);
      read.then(answered, answered);
      return read;
    });
  }
  replaceMethod(Blob.prototype as unknown as Record<string, unknown>, "stream", (original, self, args) => readsOneAtATime(Reflect.apply(original, self, args) as ReadableStream));
  for (const Transform of [globalThis.CompressionStream, globalThis.DecompressionStream]) {
    if (Transform !== undefined) replaceGetter(Transform.prototype, "readable", (readable) => readsOneAtATime(readable as ReadableStream));
  }
}

/** `read`, answered as it settles, but left unanswered for ever if it failed because its context ended. */
function unlessContextEnded(read: Promise<unknown>, answered: () => void): Promise<unknown> {
  return new Promise((resolve, reject) => {
    read.then(
      (value) => {
        answered();
        resolve(value);
      },
      (error: unknown) => {
        if (endedWithContext(error)) return;
        answered();
        reject(error);
      },
    );
  });
}

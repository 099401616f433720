import { replaceGetter } from "./replace-method.js";

/**
 * Writable sides the runtime makes natively: those of IdentityTransformStream,
 * FixedLengthStream, CompressionStream and DecompressionStream, and a socket's. The runtime
 * pipes one of its own streams into one of these with a pump of its own, not a JavaScript pipe,
 * so the pipe fails as its source does where a JavaScript one would read an end (a socket's
 * close(), socket-streams.ts).
 *
 * Invariant: a stream is in `natives` exactly when one of the runtime's own constructors (or
 * getters) made it.
 */
const natives = new WeakSet<object>();

/** `writable` is made natively; returns it. */
export function writesNatively<W extends WritableStream>(writable: W): W {
  natives.add(writable);
  return writable;
}

export function isNativeWritable(writable: unknown): boolean {
  return typeof writable === "object" && writable !== null && natives.has(writable);
}

/**
 * Native writable sides that, once errored (aborted, or a write failed), read as closed to
 * writes (closed-writables.ts): those of the runtime's own TransformStreams, and a WritableStream
 * received over RPC; a socket's keeps its own error.
 */
const closedOnceErrored = new WeakSet<object>();

/** `writable`, made natively, reads as closed once errored; returns it. */
export function readsClosedOnceErrored<W extends WritableStream>(writable: W): W {
  closedOnceErrored.add(writesNatively(writable));
  return writable;
}

export function isClosedOnceErrored(writable: unknown): boolean {
  return typeof writable === "object" && writable !== null && closedOnceErrored.has(writable);
}

/** The compression streams' writable sides are native (Node makes them, each once, in its getter). */
export function installNativeWritables(): void {
  for (const Transform of [globalThis.CompressionStream, globalThis.DecompressionStream]) {
    if (Transform !== undefined) replaceGetter(Transform.prototype, "writable", (writable) => writesNatively(writable as WritableStream));
  }
}

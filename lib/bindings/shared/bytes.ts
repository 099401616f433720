/**
 * Bytes in and out of the bindings. Stored bytes are always private copies: a caller's buffer
 * may be changed after put() returns, and bytes handed out may be changed by their reader, so
 * neither may alias what a store holds.
 */

import { types } from "node:util";
import { NOT_CONVERTIBLE } from "../../runtime/body-chunk-words.js";
import { copyError } from "../../runtime/errors.js";
import { STREAM_LOCKED } from "../../runtime/http-request.js";
import { readsOneAtATime } from "../../runtime/single-reads.js";
import { wtf8 } from "../../util/utf8.js";
import { throwIfEnded } from "./io.js";
import { concat } from "../../util/concat-bytes.js";

const encoder = new TextEncoder();

/**
 * A string's bytes as the runtime writes them into a value or a body: UTF-8, except that a lone
 * surrogate is written as its own three bytes (WTF-8), which read back as three U+FFFD.
 */
export function textBytes(text: string): Uint8Array {
  // A copy: Node may hand out a short string's bytes as a view of its shared pool.
  return new Uint8Array(wtf8(text));
}

/** Bytes as the runtime reads them: an ArrayBuffer, a SharedArrayBuffer, or a view of either. */
export type BufferSource = ArrayBuffer | SharedArrayBuffer | ArrayBufferView;

/** Told by internal type, not instanceof: a buffer of another realm (a Jest test file's) is bytes too. */
export function isBufferSource(value: unknown): value is BufferSource {
  return types.isAnyArrayBuffer(value) || ArrayBuffer.isView(value);
}

/**
 * A private copy of a buffer's or a view's bytes; undefined for anything else. A detached
 * buffer (one transferred away) and a view of one hold no bytes, as the runtime reads them: an
 * empty value, not a TypeError.
 */
export function copyBufferSource(value: unknown): Uint8Array | undefined {
  if (!isBufferSource(value)) return undefined;
  if (bufferSourceLength(value) === 0) return new Uint8Array(0);
  if (!ArrayBuffer.isView(value)) return new Uint8Array(value.slice(0));
  return new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength));
}

/** How many bytes a buffer or view holds: none once its buffer is detached. */
export function bufferSourceLength(value: BufferSource): number {
  // The buffer's length first: a DataView's byteLength throws once its buffer is detached.
  if ((ArrayBuffer.isView(value) ? value.buffer : value).byteLength === 0) return 0;
  return value.byteLength;
}

/** A fresh ArrayBuffer holding `bytes` (never the stored buffer itself). */
export function arrayBufferOf(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer as ArrayBuffer;
}

/**
 * Reads a ReadableStream to its end; chunks may be bytes or strings (UTF-8, a lone surrogate as U+FFFD, unlike textBytes), each copied as it
 * arrives (a producer may reuse its buffer). A stream another
 * reader holds is refused. One that was partly read gives the rest: that is what the runtime
 * does for streams built in JavaScript (its own native streams, such as a Response body,
 * refuse with "This ReadableStream is disturbed."; Node has no such distinction).
 */
export async function readStream(stream: ReadableStream<unknown>, checkSize?: (bytes: number) => void, ended?: AbortSignal): Promise<Uint8Array> {
  if (stream.locked) throw new TypeError(STREAM_LOCKED);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = stream.getReader();
  // `ended` (the binding's emulator disposed) cancels the stream, so its source stops being
  // pulled (its timers would keep Node running) and a read waiting for a chunk ends at once.
  const cancel = () => void reader.cancel(copyError(ended!.reason as Error)).catch(() => undefined);
  if (ended?.aborted) cancel();
  else ended?.addEventListener("abort", cancel, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (ended !== undefined) throwIfEnded(ended);
      if (done) break;
      const chunk = typeof value === "string" ? encoder.encode(value) : copyBufferSource(value);
      if (chunk === undefined) {
        throw new TypeError(NOT_CONVERTIBLE);
      }
      chunks.push(chunk);
      total += chunk.byteLength;
    }
  } finally {
    ended?.removeEventListener("abort", cancel);
  }
  // Checked before joining, so a refused value costs no copy of its own.
  checkSize?.(total);
  return concat(chunks, total);
}

/**
 * A byte stream over a private copy of `bytes`: a readable byte stream, as the runtime's are,
 * so a reader may be a BYOB one (getReader({ mode: "byob" })), and one that takes one read at a
 * time (single-reads.ts).
 */
export function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return readsOneAtATime(new ReadableStream({
    type: "bytes",
    start(controller) {
      if (bytes.byteLength > 0) controller.enqueue(bytes.slice());
      controller.close();
    },
  }));
}

import { types } from "node:util";
import { runsEmulatedCode } from "../code-context.js";
import { replaceMethod } from "../replace-method.js";
import { CALLBACK_RESULT_NOT_PROMISE, isIdlObject, notOfType, site } from "../../util/webidl.js";
import { readsNativeMember } from "../../util/native-names.js";

/**
 * Arguments of web stream methods as the runtime converts and refuses them, for Worker and
 * object code (test code keeps Node's words): `ReadableStream.from()`'s iterable (and what its
 * iterator's callbacks answer), a BYOB read's
 * view and `min`, a byte controller's `enqueue()` chunk (an ArrayBuffer is taken, as the
 * runtime takes one), and a BYOB request's `respond()` / `respondWithNewView()`. BYOB readers
 * also have the runtime's `readAtLeast(minBytes, view)`: read(view) with a `min` in bytes. Node refuses
 * them in words of its own ("... must be iterable", "The property 'options.min' ...", "The
 * \"buffer\" argument must be ...", "The argument 'bytesWritten' is invalid. ...") or, for
 * some, with V8's TypeError about the value it tripped on.
 */

const FROM_ITERABLE = notOfType(site("ReadableStream", "from"), 1, "AsyncGenerator").message;
const READ_VIEW = notOfType(site("ReadableStreamBYOBReader", "read"), 1, "ArrayBufferView").message;
const READ_AT_LEAST_VIEW = notOfType(site("ReadableStreamBYOBReader", "readAtLeast"), 2, "ArrayBufferView").message;
const ENQUEUE_CHUNK = notOfType(site("ReadableByteStreamController", "enqueue"), 1, "BufferSource").message;
const EMPTY_VIEW = 'You must call read() on a "byob" reader with a positive-sized TypedArray object.';
const EMPTY_CHUNK = "Cannot enqueue a zero-length ArrayBuffer.";
const SHARED_CHUNK = "The provided ArrayBuffer must be detachable.";
const NOTHING_WRITTEN = "The bytesWritten must be more than zero while the stream is open.";
const WRONG_VIEW_LENGTH = "The underlying ArrayBuffer is not the correct length.";
const invalidMinimum = (min: bigint) => `Requested invalid minimum number of bytes to read (${min}).`;
const minimumPastView = (min: bigint, size: number) => `Minimum bytes to read (${min}) exceeds size of buffer (${size}).`;
const tooManyBytes = (count: unknown) => `Too many bytes [${count}] in response to a BYOB read request.`;

const UINT64 = 2n ** 64n;

export function installStreamArguments(): void {
  replaceMethod(ReadableStream as unknown as Record<string, unknown>, "from", (original, self, args) => {
    if (!runsEmulatedCode()) return Reflect.apply(original, self, args);
    if (!isIterable(args[0])) throw new TypeError(FROM_ITERABLE);
    return Reflect.apply(original, self, [withCallbackResultsChecked(args[0]), ...args.slice(1)]);
  });
  replaceMethod(ReadableStreamBYOBReader.prototype as unknown as Record<string, unknown>, "read", (original, self, args) => {
    if (!runsEmulatedCode()) return Reflect.apply(original, self, args);
    const read = byobRead(args[0], args[1]);
    return "refusal" in read ? Promise.reject(new TypeError(read.refusal)) : Reflect.apply(original, self, read.args);
  });
  defineReadAtLeast();
  replaceMethod(ReadableByteStreamController.prototype as unknown as Record<string, unknown>, "enqueue", (original, self, args) => {
    return Reflect.apply(original, self, runsEmulatedCode() ? [enqueuedChunk(args[0])] : args);
  });
  const Request = ReadableStreamBYOBRequest.prototype as unknown as Record<string, unknown>;
  replaceMethod(Request, "respond", (original, self, args) => {
    if (!runsEmulatedCode()) return Reflect.apply(original, self, args);
    if (Number(args[0]) < 0) throw new TypeError(NOTHING_WRITTEN);
    try {
      return Reflect.apply(original, self, args);
    } catch (error) {
      // Node says "The argument 'bytesWritten' is invalid." of both: a RangeError past the view, a TypeError of 0.
      if (!isNodeInvalidArgument(error, "bytesWritten")) throw error;
      throw error instanceof RangeError ? new RangeError(tooManyBytes(args[0])) : new TypeError(NOTHING_WRITTEN);
    }
  });
  replaceMethod(Request, "respondWithNewView", (original, self, args) => {
    try {
      return Reflect.apply(original, self, args);
    } catch (error) {
      if (!runsEmulatedCode() || !isNodeInvalidArgument(error, "view") || !(error instanceof RangeError)) throw error;
      throw new RangeError(WRONG_VIEW_LENGTH);
    }
  });
}

/**
 * An async iterable as `ReadableStream.from()` takes it: its iterator's `next()` and `return()`
 * answering what is neither an object nor a promise fail the stream (or the cancel) with the
 * runtime's "Callback returned incorrect type; expected 'Promise'" (Node's words differ for
 * each). A sync iterable, and a stream (which `from()` answers itself), are passed as they are.
 */
function withCallbackResultsChecked(iterable: unknown): unknown {
  const boxed = Object(iterable) as Record<symbol, unknown>;
  if (typeof boxed[Symbol.asyncIterator] !== "function" || iterable instanceof ReadableStream) return iterable;
  return {
    [Symbol.asyncIterator]() {
      const iterator = Reflect.apply(boxed[Symbol.asyncIterator] as Function, iterable, []) as Record<string, unknown>;
      if (!isIdlObject(iterator)) return iterator;
      // (Its members are read when Node calls them, as Node would read the iterator's own: a `return` added later counts.)
      const checked = (name: string) => {
        const method = iterator[name];
        return typeof method !== "function" ? method : (...args: unknown[]) => checkedResult(Reflect.apply(method, iterator, args));
      };
      return Object.defineProperties({}, { next: { get: () => checked("next") }, return: { get: () => checked("return") } });
    },
  };
}

function checkedResult(result: unknown): unknown {
  return isIdlObject(result) ? result : Promise.reject(new TypeError(CALLBACK_RESULT_NOT_PROMISE));
}

/** What the runtime takes as an async generator: an object (a string too) with an async or a sync iterator. */
function isIterable(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  const boxed = Object(value) as Record<symbol, unknown>;
  return boxed[Symbol.asyncIterator] != null || boxed[Symbol.iterator] != null;
}

/**
 * A BYOB read of `view` with `options`: refused in the runtime's words and order, or the
 * arguments for Node's read, `min` converted as the runtime converts it (a fraction truncated,
 * where Node refuses it).
 */
function byobRead(view: unknown, options: unknown): { refusal: string } | { args: unknown[] } {
  if (!ArrayBuffer.isView(view)) return { refusal: READ_VIEW };
  if (view.byteLength === 0) return { refusal: EMPTY_VIEW };
  const given = (options as { min?: unknown } | null | undefined)?.min;
  if (given === undefined) return { args: [view] };
  // `min` is an unsigned 64-bit count of the view's elements (wrapped, as the runtime converts it), checked in bytes.
  const elements = toUint64(given); // once: an object's valueOf runs once, as in the runtime
  return minimumRead(view, elements, (elements * BigInt(elementSize(view))) % UINT64);
}

/** read(view, { min: elements }) once `bytes` (the same minimum in bytes) is checked as the runtime checks it. */
function minimumRead(view: ArrayBufferView, elements: bigint, bytes: bigint): { refusal: string } | { args: unknown[] } {
  if (bytes === 0n) return { refusal: invalidMinimum(bytes) };
  if (bytes > BigInt(view.byteLength)) return { refusal: minimumPastView(bytes, view.byteLength) };
  return { args: [view, { min: Number(elements) }] };
}

function elementSize(view: ArrayBufferView): number {
  return types.isDataView(view) ? 1 : (view as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
}

/** The runtime's `readAtLeast(minBytes, view)` of BYOB readers: a read of at least `minBytes` bytes (whole elements, rounded up). */
function defineReadAtLeast(): void {
  const prototype = ReadableStreamBYOBReader.prototype;
  const method = {
    // (Its length is 0, as the runtime's is.)
    readAtLeast(this: unknown, ...[minBytes, view]: unknown[]): Promise<unknown> {
      if (!ArrayBuffer.isView(view)) return Promise.reject(new TypeError(READ_AT_LEAST_VIEW));
      if (view.byteLength === 0) return Promise.reject(new TypeError(EMPTY_VIEW));
      const bytes = toUint64(minBytes);
      const size = BigInt(elementSize(view));
      const checked = minimumRead(view, (bytes + size - 1n) / size, bytes);
      return "refusal" in checked ? Promise.reject(new TypeError(checked.refusal)) : Reflect.apply(prototype.read, this, checked.args);
    },
  }.readAtLeast;
  Object.defineProperty(prototype, "readAtLeast", { value: readsNativeMember(method, "readAtLeast"), writable: true, enumerable: true, configurable: true });
}

/** A number as an unsigned 64-bit integer, wrapped: NaN and infinities are 0, fractions truncated. */
function toUint64(value: unknown): bigint {
  const number = Number(value);
  if (!Number.isFinite(number)) return 0n;
  return ((BigInt(Math.trunc(number)) % UINT64) + UINT64) % UINT64;
}

/** A byte controller's enqueue() chunk as the runtime takes it: an ArrayBuffer as a view of it; refused as the runtime refuses. */
function enqueuedChunk(chunk: unknown): unknown {
  const view = types.isArrayBuffer(chunk) ? new Uint8Array(chunk) : chunk;
  if (!ArrayBuffer.isView(view)) throw new TypeError(ENQUEUE_CHUNK);
  if (types.isSharedArrayBuffer(view.buffer)) throw new TypeError(SHARED_CHUNK);
  if (view.byteLength === 0) throw new TypeError(EMPTY_CHUNK);
  return view;
}

/** Whether `error` is Node's "The argument '<name>' is invalid. ..." refusal. */
function isNodeInvalidArgument(error: unknown, name: string): boolean {
  return error instanceof Error && error.message.startsWith(`The argument '${name}' is invalid.`);
}

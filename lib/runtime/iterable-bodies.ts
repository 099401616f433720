import { types } from "node:util";
import { toIdlString } from "../util/webidl.js";
import { NOT_BYTES } from "./body-chunk-words.js";

/**
 * A Request's or a Response's body given as an iterable, as the runtime takes it (compatibility
 * flag fetch_iterable_type_support, on from 2026-02-19, with its override adjustment): an object
 * that is none of the body types and has an async iterator, or else a sync one, is a stream of
 * the chunks it yields (ArrayBuffers and views; anything else fails the read with the runtime's
 * words and ends the iteration). Node would write an Array as its text ("1,2") and a Set as
 * "[object Set]". An object with a `toString` or `Symbol.toPrimitive` of its own making and no
 * async iterator is still written as its text (an Array apart), as is a String object. The
 * iterator is asked for at once, as the runtime's binding converts the body (a throwing
 * `[Symbol.iterator]()` refuses the construction); its chunks are read as the body is.
 */
export function iterableBody(body: unknown): unknown {
  const iterator = bodyIterator(body);
  if (iterator !== undefined) return chunksOf(iterator);
  // Node would take any Symbol.asyncIterator member for an iterable; the runtime writes the text.
  if (typeof body === "object" && body !== null && !isBodyType(body) && Symbol.asyncIterator in body) return toIdlString(body);
  return body;
}

type BodyIterator = { next(): unknown; return?(value?: unknown): unknown };

/** The iterator the runtime reads a body from, or undefined where the body is no iterable. */
function bodyIterator(body: unknown): BodyIterator | undefined {
  if (typeof body !== "object" || body === null || isBodyType(body)) return undefined;
  const object = body as Record<symbol, unknown>;
  let method = object[Symbol.asyncIterator];
  if (method === undefined || method === null) {
    if (!Array.isArray(body) && writesItsOwnText(object)) return undefined;
    method = object[Symbol.iterator];
  }
  if (typeof method !== "function") return undefined;
  const iterator: unknown = Reflect.apply(method, body, []);
  return typeof iterator === "object" && iterator !== null ? (iterator as BodyIterator) : undefined;
}

/** The types the body converts as before any iterable (a String object is a string). */
function isBodyType(body: object): boolean {
  return (
    types.isStringObject(body) ||
    types.isAnyArrayBuffer(body) ||
    ArrayBuffer.isView(body) ||
    body instanceof ReadableStream ||
    body instanceof Blob ||
    body instanceof FormData ||
    body instanceof URLSearchParams
  );
}

/** Whether the object's conversion to a string is not Object.prototype's. */
function writesItsOwnText(object: Record<PropertyKey, unknown>): boolean {
  const plain = Object.prototype as unknown as Record<PropertyKey, unknown>;
  return object.toString !== plain.toString || object[Symbol.toPrimitive] !== plain[Symbol.toPrimitive];
}

/** A stream of the iterator's chunks, each read when the body is. */
function chunksOf(iterator: BodyIterator): ReadableStream<ArrayBuffer | ArrayBufferView> {
  return new ReadableStream<ArrayBuffer | ArrayBufferView>(
    {
      async pull(controller) {
        const result = (await iterator.next()) as IteratorResult<unknown>;
        if (typeof result !== "object" || result === null) throw new TypeError("Iterator result is not an object.");
        if (result.done === true) return controller.close();
        const chunk = result.value;
        if (types.isAnyArrayBuffer(chunk) || ArrayBuffer.isView(chunk)) return controller.enqueue(chunk as ArrayBuffer | ArrayBufferView);
        controller.error(new TypeError(NOT_BYTES));
        await iterator.return?.();
      },
      async cancel(reason) {
        await iterator.return?.(reason);
      },
    },
    // Read on demand: the iterator runs no further ahead than the body's reader.
    { highWaterMark: 0 },
  );
}

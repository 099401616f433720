import { runsEmulatedCode } from "../code-context.js";
import { replaceMethod, wrapGetter } from "../replace-method.js";

/**
 * Node keeps the state of its web objects (the streams, their readers, writers and controllers,
 * the queuing strategies, TextEncoderStream and TextDecoderStream, events and event targets,
 * AbortSignal, Blob, TextEncoder and TextDecoder, and on Node 20 Request, Response and FormData)
 * under symbol keys of each instance (`kType`, `kState`, ...), where the runtime's host objects
 * have no own keys at all. For Worker and object code, Reflect.ownKeys,
 * Object.getOwnPropertySymbols and Object.getOwnPropertyDescriptors leave those keys out (test
 * code keeps Node's answers). They are told by identity: the symbols that fresh instances of those
 * classes carry, all of them Node's internals (Worker code cannot name them, so nothing else
 * reveals them).
 *
 * Node makes the streams it makes itself (a TransformStream's sides, tee()'s branches,
 * ReadableStream.from()'s) of an internal subclass, and gives each an own enumerable
 * `constructor`, the public class, which Object.keys and for-in would list: as they are handed
 * out, they become plain instances of the public class, as the runtime's are (ofPublicClass).
 */

/** Node's symbol keys of its web objects' internals. */
const internal = new Set<symbol>();

/** Object.getOwnPropertySymbols as the host has it (installNodeInternalKeys replaces the global one). */
const ownSymbols = Object.getOwnPropertySymbols;

/** Instances of each class whose internals hide, made once (the controllers are captured as their streams start). */
function samples(): object[] {
  const made: object[] = [];
  const capture = { start: (controller: object) => void made.push(controller) };
  made.push(
    new ReadableStream(capture), new WritableStream(capture), new TransformStream(capture), new ReadableStream({ type: "bytes", ...capture }),
    new ReadableStream().getReader(), new ReadableStream({ type: "bytes" }).getReader({ mode: "byob" }), new WritableStream().getWriter(),
    new ByteLengthQueuingStrategy({ highWaterMark: 1 }), new CountQueuingStrategy({ highWaterMark: 1 }),
    new TextEncoderStream(), new TextDecoderStream(), new ReadableStream().tee()[0],
    new Event("sample"), new CustomEvent("sample"), new EventTarget(), new AbortController(), AbortSignal.abort(),
    new Blob([]), new File([], "sample"), new TextEncoder(), new TextDecoder(),
    new Request("http://sample.invalid/"), new Response(), new Headers(), new FormData(), new URLSearchParams(),
  );
  return made;
}

/** `keys` without Node's internal ones (the same array when it has none). */
function withoutInternal<K extends string | symbol>(keys: K[]): K[] {
  return keys.some((key) => typeof key === "symbol" && internal.has(key)) ? keys.filter((key) => typeof key !== "symbol" || !internal.has(key)) : keys;
}

/**
 * `stream`, of its class's own prototype: Node makes it of an internal subclass (whose prototype's
 * `constructor` is that subclass) and gives it an own `constructor`, its public class, instead.
 */
function ofPublicClass<S>(stream: S): S {
  if (typeof stream !== "object" || stream === null || !Object.hasOwn(stream, "constructor")) return stream;
  const Class = (stream as { constructor: Function }).constructor;
  delete (stream as { constructor?: unknown }).constructor;
  Object.setPrototypeOf(stream, Class.prototype);
  return stream;
}

export function installNodeInternalKeys(): void {
  for (const sample of samples()) for (const key of ownSymbols(sample)) internal.add(key);
  const Reflective = Reflect as unknown as Record<string, unknown>;
  replaceMethod(Reflective, "ownKeys", (original, self, args) => {
    const keys = Reflect.apply(original, self, args) as Array<string | symbol>;
    return runsEmulatedCode() ? withoutInternal(keys) : keys;
  });
  const Objects = Object as unknown as Record<string, unknown>;
  replaceMethod(Objects, "getOwnPropertySymbols", (original, self, args) => {
    const keys = Reflect.apply(original, self, args) as symbol[];
    return runsEmulatedCode() ? withoutInternal(keys) : keys;
  });
  replaceMethod(Objects, "getOwnPropertyDescriptors", (original, self, args) => {
    const descriptors = Reflect.apply(original, self, args) as Record<symbol, unknown>;
    if (runsEmulatedCode()) for (const key of ownSymbols(descriptors)) if (internal.has(key)) delete descriptors[key];
    return descriptors;
  });
  for (const side of ["readable", "writable"]) {
    wrapGetter(TransformStream.prototype, side, (get, self) => ofPublicClass(Reflect.apply(get, self, [])));
  }
  const Readable = ReadableStream.prototype as unknown as Record<string, unknown>;
  replaceMethod(Readable, "tee", (original, self, args) => (Reflect.apply(original, self, args) as unknown[]).map(ofPublicClass));
  replaceMethod(ReadableStream as unknown as Record<string, unknown>, "from", (original, self, args) => ofPublicClass(Reflect.apply(original, self, args)));
}

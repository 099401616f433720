// Web objects (streams of every kind, their readers, writers and controllers, the queuing
// strategies, the runtime's byte TransformStreams, events, event targets, AbortSignal, Blob,
// File, TextEncoder, TextDecoder, Request, Response, FormData) have no own keys in the runtime:
// Reflect.ownKeys, Object.getOwnPropertySymbols, Object.getOwnPropertyDescriptors, Object.keys
// and for-in list none, for the streams a TransformStream, tee() or ReadableStream.from() makes too.
import { inside } from "../scenario.mjs";

export default [
  inside("web objects: no own keys, streams and the streams made from them included", "sqlite", `
    const out = {};
    let rc, wc, tc, bc;
    const ts = new TransformStream({ start(c) { tc = c; } });
    const values = {
      readable: new ReadableStream({ start(c) { rc = c; } }), writable: new WritableStream({ start(c) { wc = c; } }), transform: ts,
      bytes: new ReadableStream({ type: "bytes", start(c) { bc = c; } }), reader: new ReadableStream().getReader(),
      byobReader: new ReadableStream({ type: "bytes" }).getReader({ mode: "byob" }), writer: new WritableStream().getWriter(),
      transformReadable: ts.readable, transformWritable: ts.writable, teed: new ReadableStream().tee()[1], teedBytes: new ReadableStream({ type: "bytes" }).tee()[0],
      fromIterable: ReadableStream.from(["a"]), piped: new ReadableStream().pipeThrough(new TransformStream()),
      subclass: new (class extends TransformStream {})(), identity: new IdentityTransformStream(), identityReadable: new IdentityTransformStream().readable,
      fixed: new FixedLengthStream(1), gzip: new CompressionStream("gzip"), gunzip: new DecompressionStream("gzip"),
      encoderStream: new TextEncoderStream(), decoderStream: new TextDecoderStream(), encoderReadable: new TextEncoderStream().readable,
      byteLength: new ByteLengthQueuingStrategy({ highWaterMark: 1 }), count: new CountQueuingStrategy({ highWaterMark: 1 }),
      body: new Response("x").body, digest: new crypto.DigestStream("SHA-256"),
      event: new Event("e"), customEvent: new CustomEvent("e"), target: new EventTarget(), controller: new AbortController(), signal: AbortSignal.abort(),
      blob: new Blob(["a"]), file: new File(["a"], "f"), encoder: new TextEncoder(), decoder: new TextDecoder(),
      request: new Request("http://x.invalid/", { method: "POST", body: "b" }), response: new Response("r"), formData: new FormData(),
    };
    values.readableController = rc; values.writableController = wc; values.transformController = tc; values.byteController = bc;
    for (const [name, value] of Object.entries(values)) {
      const forIn = [];
      for (const key in value) if (Object.hasOwn(value, key)) forIn.push(key);
      const own = [Reflect.ownKeys(value).map(String), Object.getOwnPropertySymbols(value).length, Reflect.ownKeys(Object.getOwnPropertyDescriptors(value)).length, Object.keys(value), forIn];
      out[name] = own.every((x) => (Array.isArray(x) ? x.length === 0 : x === 0)) ? "none" : own;
    }
    out.spread = Reflect.ownKeys({ ...values.transform, ...values.teed }).map(String);
    // Made by the runtime, they are of the public classes, as those made with new are.
    out.classes = ["teed", "teedBytes", "fromIterable", "transformReadable", "transformWritable", "piped", "encoderReadable", "readable"].map((name) => {
      const value = values[name];
      const Class = value instanceof ReadableStream ? ReadableStream : WritableStream;
      return [name, value.constructor === Class, Object.getPrototypeOf(value) === Class.prototype];
    });
    return out;`),
];

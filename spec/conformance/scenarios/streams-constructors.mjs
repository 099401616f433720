// Every stream-ish class Worker code sees names itself as its instances' constructor: a
// TransformStream's, a Blob's (the classes durasim puts behind a constructor of the runtime's
// words), and the writable side of the runtime's own byte streams (IdentityTransformStream,
// FixedLengthStream, the compression streams, a WritableStream received over RPC), which is a
// plain WritableStream, as are their readers, writers, controllers and BYOB requests.
import { cls, inside } from "../scenario.mjs";

export default [
  inside("streams: every stream class Worker code sees is its instances' constructor", "sqlite", `
    const out = {};
    const G = { ReadableStream, WritableStream, TransformStream, TextEncoderStream, TextDecoderStream, CompressionStream, DecompressionStream, IdentityTransformStream, FixedLengthStream, ByteLengthQueuingStrategy, CountQueuingStrategy, ReadableStreamDefaultReader, ReadableStreamBYOBReader, WritableStreamDefaultWriter, ReadableStreamDefaultController, ReadableByteStreamController, WritableStreamDefaultController, TransformStreamDefaultController, ReadableStreamBYOBRequest, TextDecoder, TextEncoder, Blob };
    const make = { TextDecoderStream: () => new TextDecoderStream(), CompressionStream: () => new CompressionStream("gzip"), DecompressionStream: () => new DecompressionStream("gzip"), FixedLengthStream: () => new FixedLengthStream(1), ByteLengthQueuingStrategy: () => new ByteLengthQueuingStrategy({ highWaterMark: 1 }), CountQueuingStrategy: () => new CountQueuingStrategy({ highWaterMark: 1 }), ReadableStreamDefaultReader: () => new ReadableStream().getReader(), ReadableStreamBYOBReader: () => new ReadableStream({ type: "bytes" }).getReader({ mode: "byob" }), WritableStreamDefaultWriter: () => new WritableStream().getWriter(), Blob: () => new Blob([]) };
    for (const n of ["ReadableStream", "WritableStream", "TransformStream", "TextEncoderStream", "TextDecoderStream", "CompressionStream", "DecompressionStream", "IdentityTransformStream", "FixedLengthStream", "ByteLengthQueuingStrategy", "CountQueuingStrategy", "ReadableStreamDefaultReader", "ReadableStreamBYOBReader", "WritableStreamDefaultWriter", "TextDecoder", "TextEncoder", "Blob"]) {
      out[n] = outcomeSync(() => { const x = (make[n] ?? (() => new G[n]()))(); const r = [x.constructor === G[n], x.constructor?.name, Object.getPrototypeOf(x) === G[n].prototype, x instanceof G[n]]; if (x.readable) r.push(x.readable.constructor === ReadableStream, x.writable.constructor === WritableStream, Object.getPrototypeOf(x.writable) === WritableStream.prototype, x.readable.getReader().constructor === ReadableStreamDefaultReader, x.writable.getWriter().constructor === WritableStreamDefaultWriter); return r; });
    }
    new ReadableStream({ start(c) { out.rsController = [c.constructor?.name, c.constructor === G[c.constructor?.name], c instanceof ReadableStreamDefaultController]; } });
    new ReadableStream({ type: "bytes", start(c) { out.byteController = [c.constructor?.name, c.constructor === G[c.constructor?.name], c instanceof ReadableByteStreamController]; } });
    new WritableStream({ start(c) { out.wsController = [c.constructor?.name, c.constructor === G[c.constructor?.name], c instanceof WritableStreamDefaultController]; } });
    new TransformStream({ start(c) { out.tsController = [c.constructor?.name, c.constructor === G[c.constructor?.name], c instanceof TransformStreamDefaultController]; } });
    out.byobRequest = await outcome(async () => { let req; const s = new ReadableStream({ type: "bytes", pull(c) { req = c.byobRequest; c.byobRequest.respond(1); } }); await s.getReader({ mode: "byob" }).read(new Uint8Array(2)); return [req.constructor === ReadableStreamBYOBRequest, req instanceof ReadableStreamBYOBRequest]; });
    out.blobStream = [new Blob(["x"]).stream().constructor === ReadableStream];
    // An own constructor set on an instance stays its own.
    out.assigned = (() => { const t = new TransformStream(); t.constructor = 5; return [t.constructor, Object.getOwnPropertyDescriptor(t, "constructor")?.value, new TransformStream().constructor === TransformStream]; })();
    return out;`),
  {
    name: "streams: a WritableStream received over RPC is a plain WritableStream",
    backend: "sqlite",
    source: cls(`  async look(ws) {
    return [ws.constructor === WritableStream, Object.getPrototypeOf(ws) === WritableStream.prototype, ws instanceof WritableStream, ws.constructor.name];
  }`),
    drive: async (env) => ({ seen: await outcome(() => env.DO.getByName("w").look(new WritableStream())) }),
  },
];

// What a writer's write() is refused for, in the runtime's order: a receiver that is no writer
// (thrown), a released writer, the stream's state (closed, closing, aborted), and only then the
// chunk a byte stream does not take (IdentityTransformStream, FixedLengthStream, the compression
// streams, a WritableStream received over RPC): a closed, closing or aborted byte stream says
// closed of any chunk. A WritableStream received over RPC takes what the runtime's byte
// TransformStreams take: undefined (nothing written) and SharedArrayBuffers and their views too.
import { cls, inside } from "../scenario.mjs";

export default [
  inside("streams: a write's refusals come in the runtime's order, a byte stream's chunk last", "sqlite", `
    const out = {};
    const settle = (p) => Promise.race([p.then((v) => ["fulfilled", show(v)], (e) => ["rejected", err(e)]), sleep(300).then(() => ["pending"])]);
    const makes = { identity: () => new IdentityTransformStream(), fixed: () => new FixedLengthStream(3), gzip: () => new CompressionStream("gzip"), plain: () => new TransformStream() };
    for (const [name, make] of Object.entries(makes)) {
      out[name + " closed"] = await outcome(async () => { const ts = make(); ts.readable.getReader().read(); const w = ts.writable.getWriter(); if (name === "fixed") await w.write(new Uint8Array(3)); await w.close(); return [await settle(w.write({})), await settle(w.write(undefined)), await settle(w.write(new SharedArrayBuffer(2)))]; });
      out[name + " closing"] = await outcome(async () => { const ts = make(); const w = ts.writable.getWriter(); w.write(new Uint8Array(1)); w.close(); return [await settle(w.write({})), await settle(w.write(new Uint8Array(1)))]; });
      out[name + " aborted"] = await outcome(async () => { const ts = make(); const w = ts.writable.getWriter(); await w.abort(new RangeError("r")); return [await settle(w.write({})), await settle(w.write(new Uint8Array(1)))]; });
      out[name + " released"] = await outcome(async () => { const ts = make(); const w = ts.writable.getWriter(); w.releaseLock(); return [await settle(w.write({}))]; });
      out[name + " open"] = await outcome(async () => { const ts = make(); ts.readable.getReader().read(); const w = ts.writable.getWriter(); return [await settle(w.write({})), await settle(w.write(undefined)), await settle(w.write(new SharedArrayBuffer(2)))]; });
    }
    out.receiver = outcomeSync(() => WritableStreamDefaultWriter.prototype.write.call({}, {}));
    out.receiverStream = outcomeSync(() => WritableStreamDefaultWriter.prototype.write.call(new IdentityTransformStream().writable, {}));
    out.readyReceiver = outcomeSync(() => Object.getOwnPropertyDescriptor(WritableStreamDefaultWriter.prototype, "ready").get.call({}));
    out.desiredSizeReceiver = outcomeSync(() => Object.getOwnPropertyDescriptor(WritableStreamDefaultWriter.prototype, "desiredSize").get.call({}));
    return out;`),
  {
    name: "streams: a WritableStream received over RPC takes undefined and shared buffers, and says closed of any chunk once closed",
    backend: "sqlite",
    source: cls(`  async write(ws, kind) {
    const w = ws.getWriter();
    const chunk = { undef: undefined, sab: new SharedArrayBuffer(2), sabView: new Uint8Array(new SharedArrayBuffer(3)), nul: null, bool: true, big: new BigInt64Array(1) }[kind];
    const out = { write: await outcome(() => w.write(chunk)), after: await outcome(() => w.write("z")) };
    out.close = await outcome(() => w.close());
    out.closedWrite = await outcome(() => w.write({}));
    out.closedWriteUndefined = await outcome(() => w.write(undefined));
    return out;
  }`),
    drive: async (env) => {
      const s = env.DO.getByName("writable");
      const r = {};
      for (const kind of ["undef", "sab", "sabView", "nul", "bool", "big"]) {
        const seen = { chunks: [], closed: false };
        const stream = new WritableStream({
          write(c) { seen.chunks.push(Object.prototype.toString.call(c) + " " + hex(new Uint8Array(c.buffer ?? c, c.byteOffset ?? 0, c.byteLength))); },
          close() { seen.closed = true; },
        });
        r[kind] = { call: await outcome(() => s.write(stream, kind)) };
        await scheduler.wait(5);
        r[kind].sink = seen;
      }
      return r;
    },
  },
];

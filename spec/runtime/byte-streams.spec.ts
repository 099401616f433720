import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { FixedLengthStream, IdentityTransformStream } from "../../lib/runtime/byte-streams.js";
import { NOT_BYTES, writtenThrough } from "./byte-transforms.js";

/** Writes `chunks` then closes, while reading: each step's outcome, and the bytes read as numbers. */
const run = (stream: TransformStream, chunks: unknown[], writerOf?: (writable: WritableStream) => WritableStreamDefaultWriter) =>
  writtenThrough(stream, chunks, (bytes) => [...new Uint8Array(bytes)], writerOf);

describe("the runtime's byte TransformStreams", () => {
  it("IdentityTransformStream passes bytes and strings, refuses other chunks and stays open, reads by BYOB", async () => {
    expect(await run(new IdentityTransformStream(), [new Uint8Array([1]), "s", 5, new DataView(new ArrayBuffer(1))])).toEqual({
      read: [1, 0x73, 0],
      steps: ["ok", "ok", NOT_BYTES, "ok", "ok"],
    });
    const t = new IdentityTransformStream();
    const w = t.writable.getWriter();
    void w.write(new Uint8Array([1, 2, 3]));
    void w.close();
    const reader = t.readable.getReader({ mode: "byob" });
    expect([...(await reader.read(new Uint8Array(2))).value!]).toEqual([1, 2]);
    expect([t instanceof TransformStream, Object.prototype.toString.call(t)]).toEqual([true, "[object IdentityTransformStream]"]);
  });

  it("takes SharedArrayBuffers and their views, ignores undefined; a constructed writer refuses and copies as getWriter()'s", async () => {
    const shared = new SharedArrayBuffer(2);
    new Uint8Array(shared).set([5, 6]);
    const chunks = () => [undefined, shared, new Uint8Array(shared, 1), null];
    const expected = { read: [5, 6, 6], steps: ["ok", "ok", "ok", NOT_BYTES, "ok"] };
    expect(await run(new IdentityTransformStream(), chunks())).toEqual(expected);
    expect(await run(new IdentityTransformStream(), chunks(), (writable) => new WritableStreamDefaultWriter(writable))).toEqual(expected);
    const changed = new Uint8Array([1, 2]);
    const t = new FixedLengthStream(2);
    const writer = new WritableStreamDefaultWriter(t.writable);
    void writer.write(changed);
    changed.fill(0);
    void writer.close();
    expect([...new Uint8Array(await new Response(t.readable).arrayBuffer())]).toEqual([1, 2]);
  });

  it("takes an ArrayBuffer of another realm (a Jest test file's) as bytes", async () => {
    const foreign = runInNewContext("new Int8Array([7, 8]).buffer") as ArrayBuffer;
    expect(await run(new IdentityTransformStream(), [foreign])).toEqual({ read: [7, 8], steps: ["ok", "ok"] });
  });

  it("a write hands the reader a copy of the chunk's bytes: the writer's array stays whole and its own", async () => {
    const t = new IdentityTransformStream();
    const writer = t.writable.getWriter();
    const whole = new Uint8Array([1, 2, 3, 4]);
    const view = whole.subarray(1, 3);
    void writer.write(view);
    const { value } = await t.readable.getReader().read();
    view[0] = 9;
    expect([[...value!], value!.buffer.byteLength, view.byteLength, [...whole]]).toEqual([[2, 3], 2, 2, [1, 9, 3, 4]]);
  });

  it("FixedLengthStream fails the readable side on too many or too few bytes, with the runtime's messages", async () => {
    expect(await run(new FixedLengthStream(3), [new Uint8Array(2), "a"])).toEqual({ read: [0, 0, 0x61], steps: ["ok", "ok", "ok"] });
    expect(await run(new FixedLengthStream(3), [new Uint8Array(2), new Uint8Array(2)])).toEqual({
      read: "Attempt to write too many bytes through a FixedLengthStream.",
      steps: ["ok", "ok", "Attempt to write too many bytes through a FixedLengthStream."],
    });
    expect(await run(new FixedLengthStream(3n), [new Uint8Array(2)])).toEqual({
      read: "FixedLengthStream did not see all expected bytes before close().",
      steps: ["ok", "ok"],
    });
    const refused = (f: () => unknown) => {
      try {
        f();
        return "ok";
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect([refused(() => new (FixedLengthStream as new () => object)()), refused(() => new FixedLengthStream(-1)), refused(() => new FixedLengthStream(2 ** 53))]).toEqual([
      "Failed to construct 'FixedLengthStream': constructor parameter 1 is not of type 'bigint'.",
      "The value cannot be converted because it is negative and this API expects a positive bigint.",
      "FixedLengthStream requires an integer expected length less than 2^53.",
    ]);
  });
});

describe("a BYOB read's `min` in object code", () => {
  it("converts an object `min` once: its valueOf runs once", async () => {
    const { Emulator } = await import("../../lib/index.js");
    const emu = new Emulator({
      script: `import { DurableObject } from "cloudflare:workers";
        export class B extends DurableObject {
          async read() {
            const stream = new ReadableStream({ type: "bytes", start(c) { c.enqueue(new Uint8Array([1, 2])); c.close(); } });
            let calls = 0;
            const min = { valueOf() { calls++; return 2; } };
            const { value } = await stream.getReader({ mode: "byob" }).read(new Uint8Array(4), { min });
            return { calls, bytes: [...value] };
          }
        }`,
      durableObjects: { B: "B" },
    });
    try {
      expect(await (emu.env.B as any).getByName("b").read()).toEqual({ calls: 1, bytes: [1, 2] });
    } finally {
      await emu.dispose();
    }
  });
});

import { runInNewContext } from "node:vm";
import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { CompressionStream, DecompressionStream } from "../../lib/runtime/globals/compression-streams.js";
import { NOT_BYTES, writtenThrough } from "./byte-transforms.js";

const FAILED = "Decompression failed.";
const INCOMPLETE = "Called close() on a decompression stream with incomplete data";
const TRAILING = "Trailing bytes after end of compressed data";
const FORMATS = ["deflate", "deflate-raw", "gzip"] as const;
const NODE_COMPRESS = { "deflate": zlib.deflateSync, "deflate-raw": zlib.deflateRawSync, "gzip": zlib.gzipSync };

/** Writes `chunks` then closes, while reading: each step's outcome, and what was read as Latin-1 text. */
const run = (stream: TransformStream, chunks: unknown[]) => writtenThrough(stream, chunks, (bytes) => Buffer.from(bytes).toString("latin1"));

const bytes = (...values: number[]) => new Uint8Array(values);

describe("CompressionStream and DecompressionStream", () => {
  it("round-trip every format with Node's zlib, whatever the chunking", async () => {
    for (const format of FORMATS) {
      const compressed = new Uint8Array(await new Response(new Blob(["hello ".repeat(100)]).stream().pipeThrough(new CompressionStream(format))).arrayBuffer());
      const decompress = { "deflate": zlib.inflateSync, "deflate-raw": zlib.inflateRawSync, "gzip": zlib.gunzipSync }[format];
      expect(decompress(compressed).toString()).toBe("hello ".repeat(100));
      const byteByByte = Array.from(NODE_COMPRESS[format]("abc"), (b) => bytes(b));
      expect(await run(new DecompressionStream(format), byteByByte)).toEqual({ read: "abc", steps: [...byteByByte.map(() => "ok"), "ok"] });
    }
  });

  it("refuse bad, incomplete and trailing data of every format in the runtime's words, on both sides", async () => {
    for (const format of FORMATS) {
      const good = NODE_COMPRESS[format]("text");
      // (A close after a failed write rejects in the runtime's words in Worker code only: closed-writables.ts.)
      expect(await run(new DecompressionStream(format), [bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)])).toMatchObject({ read: FAILED, steps: [FAILED, expect.any(String)] });
      expect(await run(new DecompressionStream(format), [good.subarray(0, good.length - 2)])).toEqual({ read: INCOMPLETE, steps: ["ok", INCOMPLETE] });
      expect(await run(new DecompressionStream(format), [])).toEqual({ read: INCOMPLETE, steps: [INCOMPLETE] });
      expect(await run(new DecompressionStream(format), [Buffer.concat([good, bytes(0)])])).toMatchObject({ read: TRAILING, steps: [TRAILING, expect.any(String)] });
      expect(await run(new DecompressionStream(format), [good, bytes(1)])).toMatchObject({ read: TRAILING, steps: ["ok", TRAILING, expect.any(String)] });
    }
    // Node's Gunzip would decompress a second member.
    const member = zlib.gzipSync("a");
    expect((await run(new DecompressionStream("gzip"), [Buffer.concat([member, member])])).steps[0]).toBe(TRAILING);
  });

  it("read a gzip header's optional fields and check its CRCs and length", async () => {
    const raw = zlib.deflateRawSync("named");
    const trailer = zlib.gzipSync("named").subarray(-8);
    const header = Buffer.concat([bytes(0x1f, 0x8b, 8, 4 | 8 | 16, 0, 0, 0, 0, 0, 3), bytes(2, 0, 1, 2), Buffer.from("f.txt\0c\0")]);
    expect(await run(new DecompressionStream("gzip"), [Buffer.concat([header, raw, trailer])])).toEqual({ read: "named", steps: ["ok", "ok"] });
    const badLength = Buffer.concat([header, raw, trailer.subarray(0, 4), bytes(trailer[4]! ^ 1), trailer.subarray(5)]);
    expect((await run(new DecompressionStream("gzip"), [badLength])).read).toBe(FAILED);
  });

  it("take strings, buffers of any kind or realm and views, ignore undefined, and refuse anything else, staying open", async () => {
    const foreign = runInNewContext("new Uint8Array([0x62]).buffer") as ArrayBuffer;
    const shared = new SharedArrayBuffer(1);
    new Uint8Array(shared)[0] = 0x63;
    const compressed = await run(new CompressionStream("deflate"), ["a", foreign, shared, undefined, 5, new DataView(bytes(0x64).buffer), null]);
    expect(compressed.steps).toEqual(["ok", "ok", "ok", "ok", NOT_BYTES, "ok", NOT_BYTES, "ok"]);
    expect(zlib.inflateSync(Buffer.from(compressed.read, "latin1")).toString()).toBe("abcd");
  });

  it("give plain Uint8Arrays of their own, a failed write's output never", async () => {
    const stream = new DecompressionStream("deflate");
    const writer = stream.writable.getWriter();
    const reader = stream.readable.getReader();
    void writer.write(new Uint8Array(zlib.deflateSync("xyz")));
    const { value } = await reader.read();
    expect([Object.getPrototypeOf(value) === Uint8Array.prototype, value!.buffer.byteLength, Buffer.from(value!).toString()]).toEqual([true, 3, "xyz"]);
    const whole = zlib.deflateSync("lost");
    await expect(run(new DecompressionStream("deflate"), [Buffer.concat([whole, bytes(1)])])).resolves.toMatchObject({ read: TRAILING });
  });

  it("read a chunk's bytes when it is written, though the stream takes them later", async () => {
    const chunk = new Uint8Array(zlib.deflateSync("xyz"));
    const stream = new DecompressionStream("deflate");
    const writer = stream.writable.getWriter();
    const written = writer.write(chunk);
    chunk.fill(0);
    void writer.close();
    expect([await new Response(stream.readable).text(), await written]).toEqual(["xyz", undefined]);
  });

  it("are TransformStreams with no members of their own", () => {
    const stream = new CompressionStream("gzip");
    expect([stream instanceof TransformStream, Object.prototype.toString.call(stream), Object.getOwnPropertyNames(CompressionStream.prototype), CompressionStream.length]).toEqual([
      true, "[object CompressionStream]", ["constructor"], 0,
    ]);
    expect(() => new DecompressionStream("br" as "gzip")).toThrow("The compression format must be either 'deflate', 'deflate-raw' or 'gzip'.");
  });
});

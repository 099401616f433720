/**
 * The runtime's crypto additions Node lacks (globals/crypto-extras.ts), as object code finds
 * them: crypto.subtle.timingSafeEqual and crypto.DigestStream. Conformance "web probe:
 * crypto: ..." checks them against workerd.
 */
import { describe, expect, it } from "vitest";
import { DurableObject } from "../../lib/modules/workers.js";
import { namespaceOf, type AnyStub } from "../helpers.js";

type Extras = {
  subtle: { timingSafeEqual(a: unknown, b: unknown): boolean };
  DigestStream: new (algorithm: unknown) => WritableStream & { digest: Promise<ArrayBuffer> };
};
const extras = () => crypto as unknown as Extras;
const hex = (buffer: ArrayBuffer) => Buffer.from(buffer).toString("hex");
const caught = (f: () => unknown) => {
  try {
    return f();
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
};

class Crypto extends DurableObject {
  compare(): unknown[] {
    const { subtle } = extras();
    return [
      subtle.timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2]).buffer),
      subtle.timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3])),
      caught(() => subtle.timingSafeEqual(new Uint8Array(1), new Uint8Array(2))),
      caught(() => subtle.timingSafeEqual(new Uint8Array(1), "a")),
    ];
  }

  async digests(): Promise<unknown[]> {
    const { DigestStream } = extras();
    const stream = new DigestStream("sha-256");
    const writer = stream.getWriter();
    await writer.write(new TextEncoder().encode("ab"));
    await writer.write("c");
    await writer.close();
    const aborted = new DigestStream({ name: "MD5" });
    await aborted.abort(new RangeError("stop"));
    return [hex(await stream.digest), stream instanceof WritableStream, await aborted.digest.catch((error: Error) => error.message), caught(() => new DigestStream("SHA-3"))];
  }
}

describe("the runtime's crypto additions", () => {
  const stub = (): AnyStub => namespaceOf(Crypto).getByName("a");

  it("crypto.subtle.timingSafeEqual compares bytes, refusing different lengths and non-buffers in the runtime's words", async () => {
    expect(await stub().compare()).toEqual([
      true,
      false,
      "TypeError: Input buffers must have the same byte length.",
      "TypeError: Failed to execute 'timingSafeEqual' on 'SubtleCrypto': parameter 2 is not of type 'BufferSource'.",
    ]);
  });

  it("crypto.DigestStream hashes what is written (strings as UTF-8) once closed; an abort rejects its digest", async () => {
    expect(await stub().digests()).toEqual([
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
      true,
      "stop",
      "NotSupportedError: Unrecognized or unimplemented digest algorithm requested.",
    ]);
  });
});

/**
 * Runtime-made streams take one read at a time in object code (single-reads.ts; conformance
 * "single reads: ..." checks the same against workerd); JavaScript streams and test code's
 * streams queue reads.
 */
import { describe, expect, it } from "vitest";
import { DurableObject } from "../../lib/modules/workers.js";
import { IdentityTransformStream, Request, Response } from "../../lib/modules/worker-globals.js";
import { namespaceOf, type AnyStub } from "../helpers.js";

const SINGLE_READ = "This ReadableStream only supports a single pending read request at a time.";

/** Three reads at once of `stream`'s reader: the first's byte count, or each refusal's name and message. */
async function threeReads(stream: ReadableStream<Uint8Array>): Promise<unknown[]> {
  const reader = stream.getReader();
  const reads = [reader.read(), reader.read(), reader.read()];
  return Promise.all(
    reads.map((read) =>
      read.then(
        (result) => (result.done ? "done" : result.value.byteLength),
        (error: Error) => `${error.name}: ${error.message}`,
      ),
    ),
  );
}

function identityWithTwoChunks(): ReadableStream<Uint8Array> {
  const identity = new IdentityTransformStream();
  const writer = identity.writable.getWriter();
  void writer.write(new Uint8Array(2));
  void writer.write(new Uint8Array(2));
  return identity.readable;
}

class Reads extends DurableObject {
  async fetch(request: Request): Promise<Response> {
    if (request.method !== "POST") return new Response("abc");
    // The handler's request body queues reads, but once cloned
    // both it and the clone are tee branches, which do not.
    if (new URL(request.url).pathname === "/own") return Response.json(await threeReads(request.body!));
    const clone = request.clone();
    return Response.json({ clone: await threeReads(clone.body!), own: await threeReads(request.body!) });
  }

  async local(): Promise<Record<string, unknown[]>> {
    const response = new Response("abc");
    const clone = response.clone();
    return {
      response: await threeReads(response.body!),
      clone: await threeReads(clone.body!),
      blob: await threeReads(new Blob(["abc"]).stream()),
      identity: await threeReads(identityWithTwoChunks()),
      constructed: await threeReads(new Response("abc").body!.pipeThrough(new TransformStream())),
      carried: await threeReads(new Response(new Response("abc").body).body!),
      requestOfRequest: await threeReads(new Request(new Request("http://x/", { method: "POST", body: "abc" })).body!),
    };
  }

  async sequential(): Promise<number> {
    const reader = new Response("abcdef").body!.getReader();
    let bytes = 0;
    for (let result = await reader.read(); !result.done; result = await reader.read()) bytes += result.value.byteLength;
    return bytes;
  }
}

describe("a runtime-made stream's reads", () => {
  const refused = `TypeError: ${SINGLE_READ}`;

  it("are refused in object code while one is pending, even with bytes waiting", async () => {
    const stub: AnyStub = namespaceOf(Reads).getByName("a");
    expect(await stub.local()).toEqual({
      response: [3, refused, refused],
      clone: [3, refused, refused],
      blob: [3, refused, refused],
      identity: [2, refused, refused],
      constructed: [3, "done", "done"],
      carried: [3, refused, refused],
      requestOfRequest: [3, refused, refused],
    });
    const handled = (await stub.fetch("http://do/", { method: "POST", body: "abc" })) as globalThis.Response;
    expect(await handled.json()).toEqual({ clone: [3, refused, refused], own: [3, refused, refused] });
    const own = (await stub.fetch("http://do/own", { method: "POST", body: "abc" })) as globalThis.Response;
    expect(await own.json()).toEqual([3, "done", "done"]);
  });

  it("go through one after another", async () => {
    const stub: AnyStub = namespaceOf(Reads).getByName("a");
    expect(await stub.sequential()).toBe(6);
  });

  it("queue in test code, whatever the stream", async () => {
    const stub: AnyStub = namespaceOf(Reads).getByName("a");
    const response = (await stub.fetch("http://do/")) as globalThis.Response;
    expect(await threeReads(response.body!)).toEqual([3, "done", "done"]);
    expect(await threeReads(new Response("abc").body!)).toEqual([3, "done", "done"]);
  });
});

/**
 * Web streams' refusals in the runtime's words for object and Worker code (globals/stream-words.ts,
 * globals/stream-receivers.ts; conformance "web apis: streams: ...", "streams probe 2: stream
 * members called on another receiver" check them against workerd), Node's for test code; a
 * refusal Node returns as a rejection is decided before Node's method runs.
 */
import { describe, expect, it } from "vitest";
import { DurableObject } from "../../lib/modules/workers.js";
import { namespaceOf, type AnyStub } from "../helpers.js";

const ILLEGAL_INVOCATION =
  "Illegal invocation: function called with incorrect `this` reference. See https://developers.cloudflare.com/workers/observability/errors/#illegal-invocation-errors for details.";

async function refusals(): Promise<unknown[]> {
  const message = async (f: () => unknown) => {
    try {
      await f();
      return "ok";
    } catch (error) {
      return (error as Error).message;
    }
  };
  const locked = () => {
    const stream = new ReadableStream();
    stream.getReader();
    return stream;
  };
  return [
    await message(() => locked().getReader()),
    await message(() => locked().cancel()),
    await message(() => locked().tee()),
    await message(() => {
      const writable = new WritableStream();
      writable.getWriter();
      return writable.close();
    }),
    await message(() => {
      const reader = new ReadableStream().getReader();
      reader.releaseLock();
      return reader.read();
    }),
    await message(() => {
      let controller!: ReadableStreamDefaultController;
      new ReadableStream({ start: (c) => void (controller = c) });
      controller.close();
      controller.enqueue("a");
    }),
    await message(() => new ReadableStream().pipeTo({} as WritableStream)),
    await message(async () => {
      const writer = new WritableStream().getWriter();
      await writer.close();
      return writer.write("late");
    }),
    // A stream closed by its own close(), written through a writer constructed for it.
    await message(async () => {
      const writable = new WritableStream();
      await writable.close();
      return new WritableStreamDefaultWriter(writable).write("late");
    }),
    await message(async () => {
      const writable = new WritableStream();
      await writable.close();
      return new ReadableStream().pipeTo(writable);
    }),
    await message(() => {
      const transform = new TransformStream({ start: (controller) => controller.terminate() });
      return transform.writable.getWriter().write("late");
    }),
    await message(() => new ReadableStream().pipeThrough(null as unknown as TransformStream)),
    // Members called on another receiver: a getter, a method Node rejects from.
    await message(() => Object.getOwnPropertyDescriptor(TransformStream.prototype, "readable")!.get!.call({})),
    await message(() => WritableStreamDefaultWriter.prototype.write.call(new WritableStream(), "x")),
  ];
}

class Streams extends DurableObject {
  refusals(): Promise<unknown[]> {
    return refusals();
  }
}

describe("web streams' refusals", () => {
  it("are the runtime's words in object code, Node's in test code", async () => {
    const stub: AnyStub = namespaceOf(Streams).getByName("a");
    expect(await stub.refusals()).toEqual([
      "This ReadableStream is currently locked to a reader.",
      "This ReadableStream is currently locked to a reader.",
      "This ReadableStream is currently locked to a reader,",
      "This WritableStream is currently locked to a writer.",
      "This ReadableStream reader has been released.",
      "Unable to enqueue",
      "Failed to execute 'pipeTo' on 'ReadableStream': parameter 1 is not of type 'WritableStream'.",
      "This WritableStream has been closed.",
      "This WritableStream has been closed.",
      "This destination writable stream is closed.",
      "The transform stream has been terminated",
      "Cannot initialize N7workerd3api14ReadableStream9TransformE with required members from an undefined or null value.",
      ILLEGAL_INVOCATION,
      ILLEGAL_INVOCATION,
    ]);
    expect(await refusals()).toEqual([
      "Invalid state: ReadableStream is locked",
      "Invalid state: ReadableStream is locked",
      "Invalid state: ReadableStream is locked",
      "Invalid state: WritableStream is locked",
      "Invalid state: The reader is not attached to a stream",
      "Invalid state: Controller is already closed",
      'The "transform.writable" property must be an instance of WritableStream. Received an instance of Object',
      // Node 20 fails an internal assertion of its own there (object code is spared it).
      process.versions.node.startsWith("20.")
        ? "This is caused by either a bug in Node.js or incorrect usage of Node.js internals.\nPlease open an issue with this stack trace at https://github.com/nodejs/node/issues\n"
        : "Invalid state: WritableStream is closed",
      process.versions.node.startsWith("20.")
        ? "This is caused by either a bug in Node.js or incorrect usage of Node.js internals.\nPlease open an issue with this stack trace at https://github.com/nodejs/node/issues\n"
        : "Invalid state: WritableStream is closed",
      "Invalid state: Destination WritableStream is closed",
      "Invalid state: TransformStream has been terminated",
      'The "transform.readable" property must be an instance of ReadableStream. Received undefined',
      'Value of "this" must be of type TransformStream',
      'Value of "this" must be of type WritableStreamDefaultWriter',
    ]);
  });
});

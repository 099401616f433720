import { runsEmulatedCode } from "./code-context.js";
import { replaceMethod } from "./replace-method.js";
import { afterMicrotasks } from "../util/turn.js";

/**
 * `blob.stream()` (and so a Response or Request whose body is a Blob) as the runtime's, for
 * Worker and object code: a byte stream of the Blob's bytes, its parts joined, in chunks of
 * 4096 bytes (the last one shorter), each read answered once the runtime's event loop runs
 * (after the microtasks queued). Node hands each part as a chunk of its own, whatever its size.
 * Test code keeps Node's.
 */

const CHUNK_BYTES = 4096;

const sizeOf = Object.getOwnPropertyDescriptor(Blob.prototype, "size")!.get!;

export function installBlobStreams(): void {
  replaceMethod(Blob.prototype as unknown as Record<string, unknown>, "stream", (original, self, args) => {
    if (!runsEmulatedCode()) return Reflect.apply(original, self, args);
    // (Node's getter refuses what is no Blob, as its stream() would.)
    Reflect.apply(sizeOf, self, []);
    return chunkedStream(self as Blob);
  });
}

function chunkedStream(blob: Blob): ReadableStream<Uint8Array> {
  let bytes: Promise<ArrayBuffer> | undefined;
  let offset = 0;
  return new ReadableStream({
    type: "bytes",
    async pull(controller) {
      const all = await (bytes ??= blob.arrayBuffer());
      await new Promise<void>((resolve) => afterMicrotasks(resolve));
      if (offset >= all.byteLength) {
        controller.close();
        // A BYOB read waiting is answered by its request (with no bytes: the end).
        controller.byobRequest?.respond(0);
        return;
      }
      const end = Math.min(offset + CHUNK_BYTES, all.byteLength);
      controller.enqueue(new Uint8Array(all.slice(offset, end)));
      offset = end;
    },
  });
}

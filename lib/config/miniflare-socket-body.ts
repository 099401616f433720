import { Buffer } from "node:buffer";
import { Writable } from "node:stream";

/**
 * A request body as Miniflare's `dispatchFetch()` and `getWorker().fetch()` send it: undici's
 * fetch() writes each chunk of a stream body to the loopback socket, which takes a string (as
 * UTF-8), a Buffer, any TypedArray or a DataView. Another chunk (an ArrayBuffer, a number, an
 * object) fails the call with `TypeError: fetch failed`, whose cause is Node's refusal of it
 * (Buffer.byteLength()'s, then the socket write's), while the Worker's body ends where it stopped.
 * The runtime's own pumping (http-request.ts) takes ArrayBuffers too: it is what the Worker's
 * request crosses next.
 */
export function writtenAsOverSocket(request: Request): { request: Request; refused: Promise<never> } {
  let refuse: (error: Error) => void = () => undefined;
  const refused = new Promise<never>((_resolve, reject) => (refuse = reject));
  // Refused once the call has answered, it fails nothing more.
  refused.catch(() => undefined);
  if (request.body === null) return { request, refused };
  const reader = request.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await reader.read();
      if (next.done) return controller.close();
      const chunk: unknown = next.value;
      if (typeof chunk === "string") return controller.enqueue(Buffer.from(chunk));
      if (ArrayBuffer.isView(chunk)) return controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      const refusal = socketRefusal(chunk);
      refuse(new TypeError("fetch failed", { cause: refusal }));
      await reader.cancel(refusal);
      controller.close();
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return { request: new Request(request, { body, duplex: "half" } as RequestInit), refused };
}

/** Node's refusal of `chunk` (neither a string nor a view) written to a socket, as undici's
 * fetch() writes it: its length is asked first. */
function socketRefusal(chunk: unknown): Error {
  try {
    Buffer.byteLength(chunk as string);
    // Refused before anything is written: the sink is never reached.
    new Writable({ write: (_chunk, _encoding, done) => done() }).write(chunk);
  } catch (error) {
    return error as Error;
  }
  throw new Error("durasim internal: a socket took a chunk that is neither a string nor a view");
}

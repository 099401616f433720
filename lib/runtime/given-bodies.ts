import { Readable } from "node:stream";
import { handsChunks } from "./given-chunks.js";
import { exposedBody } from "./http-request.js";

/**
 * The `body` of a Request or Response made of a stream (given-chunks.ts) is that very stream,
 * as the runtime's is (`new Response(stream).body === stream`): unlocked until something reads
 * it, and read by whoever reads the body. Node's message carries a stream of its own over it
 * (http-request.ts's asBytes), which takes the stream only once it is read or crosses; so
 * `bodyUsed` also says whether the stream given was read from. A clone's bodies are a tee's
 * branches, and a body that crossed shows the bytes it carries.
 */
export function installGivenBodies(messages: readonly { prototype: object }[]): void {
  for (const { prototype } of messages) {
    const body = ownerOf(prototype, "body");
    const used = ownerOf(prototype, "bodyUsed");
    const nodeBody = Object.getOwnPropertyDescriptor(body, "body")!;
    const nodeUsed = Object.getOwnPropertyDescriptor(used, "bodyUsed")!;
    Object.defineProperty(body, "body", {
      ...nodeBody,
      get(this: Request | Response) {
        const carried = nodeBody.get!.call(this) as ReadableStream | null;
        return handsChunks(this) ? exposedBody(carried) : carried;
      },
    });
    Object.defineProperty(used, "bodyUsed", {
      ...nodeUsed,
      get(this: Request | Response) {
        if (nodeUsed.get!.call(this) === true) return true;
        if (!handsChunks(this)) return false;
        const given = this.body;
        // Node's Readable.isDisturbed also reads web streams (its typings only name its own).
        return given !== null && Readable.isDisturbed(given as unknown as Readable);
      },
    });
  }
}

/** The prototype, `prototype` or one it inherits from, that has the accessor `key` of its own
 * (a test runner's environment may have made the global class a subclass). */
function ownerOf(prototype: object, key: string): object {
  for (let at: object | null = prototype; at !== null; at = Object.getPrototypeOf(at) as object | null) {
    if (Object.getOwnPropertyDescriptor(at, key) !== undefined) return at;
  }
  throw new Error(`durasim internal: no accessor ${key}`);
}

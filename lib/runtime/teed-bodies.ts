import { runsEmulatedCode } from "./code-context.js";
import { replaceMethod } from "./replace-method.js";

/**
 * A Request's or Response's body that Worker or object code tees reads as used, as the
 * runtime's: its `tee()` takes the body's stream whole, so `bodyUsed` is true from the call on
 * and a read of the message fails as of a used body (Node counts a stream used only once a
 * branch has pulled from it). Test code's tee() keeps Node's rule.
 */

const teed = new WeakSet<ReadableStream>();
/** Whether any stream was teed: until then `bodyUsed` need not look at a body (reading `body`
 * makes Node build its stream). */
let anyTeed = false;

export function installTeedBodies(messages: readonly { prototype: object }[]): void {
  replaceMethod(ReadableStream.prototype as unknown as Record<string, unknown>, "tee", (original, self, args) => {
    const branches = Reflect.apply(original, self, args) as unknown;
    if (runsEmulatedCode()) {
      teed.add(self as ReadableStream);
      anyTeed = true;
    }
    return branches;
  });
  for (const { prototype } of messages) {
    const node = bodyUsedOf(prototype);
    if (node?.get === undefined) continue;
    const nodeGet = node.get;
    Object.defineProperty(prototype, "bodyUsed", {
      ...node,
      get(this: Request | Response) {
        if (nodeGet.call(this) === true) return true;
        if (!anyTeed) return false;
        const body = this.body;
        return body !== null && teed.has(body);
      },
    });
  }
}

/**
 * The `bodyUsed` accessor `prototype` has, its own or inherited: a test runner's environment may
 * have replaced the global Request or Response with a subclass, whose prototype has none of its own.
 */
function bodyUsedOf(prototype: object): PropertyDescriptor | undefined {
  for (let at: object | null = prototype; at !== null; at = Object.getPrototypeOf(at) as object | null) {
    const descriptor = Object.getOwnPropertyDescriptor(at, "bodyUsed");
    if (descriptor !== undefined) return descriptor;
  }
  return undefined;
}

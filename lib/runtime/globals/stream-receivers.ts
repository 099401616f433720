import { runsEmulatedCode } from "../code-context.js";
import { replaceMethod, wrapGetter } from "../replace-method.js";
import { inCodeRealm } from "../../util/code-realm.js";
import { acceptedBy, illegalInvocation } from "../../util/webidl.js";

/**
 * Node's web stream classes (the streams, their readers, writers, controllers, the queuing
 * strategies, TextEncoderStream and TextDecoderStream) refuse a member called on another object
 * (`Object.getOwnPropertyDescriptor(TransformStream.prototype, "readable").get.call({})`) in
 * their words, "Value of "this" must be of type TransformStream", a promise-returning member by
 * rejecting. The runtime throws its "Illegal invocation" TypeError at once from every one of
 * them; so they do for Worker and object code. Test code keeps Node's answers.
 *
 * A member's receiver is told by Node's brand: the `kType` string Node 20 and 24 keep on the
 * streams, readers, writers and controllers (read on every call, so it must be cheap), or, for
 * the classes Node 24 brands with private fields, whether their first getter accepts it.
 */

const TYPE = Object.getOwnPropertySymbols(new WritableStream()).find((symbol) => symbol.description === "kType");

/** Classes Node brands with `kType` (as the class's own name) on Node 20 and 24. */
const TYPED: readonly Function[] = [
  ReadableStream, WritableStream, TransformStream, ReadableStreamDefaultReader, ReadableStreamBYOBReader,
  WritableStreamDefaultWriter, ReadableStreamDefaultController, ReadableByteStreamController, ReadableStreamBYOBRequest,
  WritableStreamDefaultController, TransformStreamDefaultController,
];

/** Classes Node 24 brands with private fields. */
const PRIVATE: readonly Function[] = [ByteLengthQueuingStrategy, CountQueuingStrategy, TextEncoderStream, TextDecoderStream];

/** Whether `self` carries Node's brand of the class named `type` (any receiver where Node keeps none). */
function isTyped(self: unknown, type: string): boolean {
  return TYPE === undefined || (typeof self === "object" && self !== null && (self as Record<symbol, unknown>)[TYPE] === type);
}

/**
 * Members whose one wrapper checks the receiver itself (checkWriterReceiver) among the rest it
 * decides (closed-writables.ts), so that a call reads the writer's stream once.
 */
const CHECKED_BY_OWN_WRAPPER = new Map<object, ReadonlySet<PropertyKey>>([[WritableStreamDefaultWriter.prototype, new Set(["write", "ready", "desiredSize", "closed"])]]);

/** For Worker and object code (the caller asks): a receiver that is no writer is refused with "Illegal invocation". */
export function checkWriterReceiver(self: unknown): void {
  if (!isTyped(self, "WritableStreamDefaultWriter")) throw inCodeRealm(illegalInvocation());
}

export function installStreamReceivers(): void {
  if (TYPE === undefined) return;
  for (const Class of TYPED) {
    const type = Class.name;
    guardMembers(Class.prototype as object, (self) => isTyped(self, type));
  }
  for (const Class of PRIVATE) {
    const prototype = Class.prototype as object;
    const getter = Reflect.ownKeys(prototype).map((key) => Object.getOwnPropertyDescriptor(prototype, key)!.get).find((get) => get !== undefined)!;
    guardMembers(prototype, acceptedBy(getter));
  }
}

/** Every method and getter of `prototype` refuses, for Worker and object code, a receiver `isInstance` does not accept. */
function guardMembers(prototype: object, isInstance: (self: unknown) => boolean): void {
  const refuse = (self: unknown): void => {
    // The brand first: it is the cheap test, and nearly every call passes it.
    if (!isInstance(self) && runsEmulatedCode()) throw inCodeRealm(illegalInvocation());
  };
  for (const key of Reflect.ownKeys(prototype)) {
    if (key === "constructor" || CHECKED_BY_OWN_WRAPPER.get(prototype)?.has(key)) continue;
    const descriptor = Object.getOwnPropertyDescriptor(prototype, key)!;
    if (typeof descriptor.value === "function") {
      replaceMethod(prototype as Record<string, unknown>, key as string, (original, self, args) => {
        refuse(self);
        return Reflect.apply(original, self, args);
      });
    } else {
      wrapGetter(prototype, key, (get, self) => {
        refuse(self);
        return Reflect.apply(get, self, []);
      });
    }
  }
}

import { objectCodeOwner, objectCodeOwnerOrWorkerEvent } from "./code-context.js";

/**
 * The runtime's I/O contexts: each Durable Object instance has one (shared by all its events),
 * and so does each stateless Worker event. I/O objects (a WebSocket, a Durable Object stub, ...)
 * belong to the context whose code made them; code of another context that reaches one (through
 * a module-level variable) is refused, with words that depend on the refused side. Test code
 * runs in no context, so it is never refused, and what it makes is bound to none.
 */
export type IoContext = object;

/** The context of the code running now: its object's instance, its Worker event, or none. */
export function currentIoContext(): IoContext | undefined {
  return objectCodeOwnerOrWorkerEvent();
}

/**
 * The runtime's refusal when code of a context other than `owner` uses an I/O object of kind
 * `ioType` (the runtime's name of what it holds, which ends its message); undefined if allowed.
 */
export function ioContextRefusal(owner: IoContext | undefined, ioType: string): Error | undefined {
  if (owner === undefined) return undefined;
  const current = currentIoContext();
  if (current === undefined || current === owner) return undefined;
  return new Error(objectCodeOwner() === undefined ? differentRequest(ioType) : differentObject(ioType));
}

/** Throws ioContextRefusal(), if any (for I/O objects whose members answer synchronously). */
export function checkIoContext(owner: IoContext | undefined, ioType: string): void {
  const refusal = ioContextRefusal(owner, ioType);
  if (refusal !== undefined) throw refusal;
}

const WHY = "This is a limitation of Cloudflare Workers which allows us to improve overall performance.";

function differentRequest(ioType: string): string {
  return (
    "Cannot perform I/O on behalf of a different request. I/O objects (such as streams, request/response bodies, and others) " +
    `created in the context of one request handler cannot be accessed from a different request's handler. ${WHY} (I/O type: ${ioType})`
  );
}

function differentObject(ioType: string): string {
  return (
    "Cannot perform I/O on behalf of a different Durable Object. I/O objects (such as streams, request/response bodies, and others) " +
    `created in the context of one Durable Object cannot be accessed from a different Durable Object in the same isolate. ${WHY} (I/O type: ${ioType})`
  );
}

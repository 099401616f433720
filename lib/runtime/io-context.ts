import { nextTurn } from "../util/turn.js";
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

/**
 * The runtime's refusal of an I/O object whose context has ended, whoever uses it: nothing runs
 * in an ended context any more, so any use comes from another (test code counts as a request).
 */
export function endedContextRefusal(ioType: string): Error {
  return new Error(objectCodeOwner() === undefined ? differentRequest(ioType) : differentObject(ioType));
}

/**
 * An I/O object sent over RPC to a receiver whose context is not known when it is copied (a
 * call's parameters, copied in the sender's code): it is bound to that context as it arrives.
 */
export interface ArrivesIn {
  arriveIn(context: IoContext): void;
}

/** What an I/O object does when the context it belongs to ends (see endIoContext). */
export interface EndsWithContext {
  contextEnded(): void;
}

/** What each context holds that ends with it; made by the first such object. */
const holdings = new WeakMap<IoContext, Set<EndsWithContext>>();

/**
 * Contexts that have ended: what registers with one afterwards (code of it still running, a
 * `.catch` continuation opening a socket) ends at once, as nothing would end it later.
 */
const ended = new WeakSet<IoContext>();

/** `held` belongs to `context` until it lets go first (letGo) or the context ends. */
export function holdUntilContextEnds(context: IoContext, held: EndsWithContext): void {
  if (ended.has(context)) {
    // Not within the call: what registers is still being set up by its maker.
    nextTurn(() => held.contextEnded());
    return;
  }
  let set = holdings.get(context);
  if (set === undefined) holdings.set(context, (set = new Set()));
  set.add(held);
}

/** `held` no longer needs to hear of `context`'s end. */
export function letGo(context: IoContext, held: EndsWithContext): void {
  holdings.get(context)?.delete(held);
}

/**
 * `context` has ended (a Worker event once it has answered and what it kept is done; an object's
 * instance once reset): what it held ends too, as the runtime drops an ended context's I/O objects.
 */
export function endIoContext(context: IoContext): void {
  ended.add(context);
  const set = holdings.get(context);
  if (set === undefined) return;
  holdings.delete(context);
  // The runtime tears a context down once its last reply has reached its caller (which durasim
  // delivers a turn after the event answered), and the releases reach the makers as messages, a
  // turn after that: so a caller resumes before the capabilities it handed over are released.
  nextTurn(() => nextTurn(() => {
    for (const held of set) held.contextEnded();
  }));
}

/** Each context's signal of its end (see contextEndSignal); made by the first asker. */
const endSignals = new WeakMap<IoContext, AbortSignal>();

/** The reasons the signals of contextEndSignal() abort with, one per context. */
const endReasons = new WeakSet<object>();

/**
 * A signal that aborts when `context` ends (aborted already if it has): what work Node does for
 * it (a global fetch() in flight, its response's body) stops then, as the runtime cancels an
 * ended context's I/O. One per context: a request takes `AbortSignal.any()` over it, which holds
 * no listener on it.
 */
export function contextEndSignal(context: IoContext): AbortSignal {
  let signal = endSignals.get(context);
  if (signal === undefined) {
    const controller = new AbortController();
    const end = () => {
      const reason = new DOMException("This operation was aborted", "AbortError");
      endReasons.add(reason);
      controller.abort(reason);
    };
    if (ended.has(context)) end();
    else holdUntilContextEnds(context, { contextEnded: end });
    endSignals.set(context, (signal = controller.signal));
  }
  return signal;
}

/**
 * Whether `error` is the reason a contextEndSignal() aborted with: what failed with it was
 * cancelled because its context ended, and in the runtime the code waiting for it never resumes
 * (an ended context runs nothing), so it must not see the failure either.
 */
export function endedWithContext(error: unknown): boolean {
  return typeof error === "object" && error !== null && endReasons.has(error);
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

import { ioCompleted } from "../../runtime/code-context.js";
import { copyError } from "../../runtime/errors.js";
import { inCodeRealm } from "../../util/code-realm.js";

/**
 * A binding call is I/O: its result (or error) reaches the caller in a later turn of the
 * event loop, as a network reply would, never in the same run of microtasks. Inside a Durable
 * Object that is when other events may be delivered, as in production, and the reply passes
 * the object's input gate (a critical section holds it back). The turn is taken on
 * the real setImmediate, so fake timers cannot stall a binding call. A call first waits for
 * its storage to be open (persisted stores need the SQLite engine), and a binding of a
 * disposed emulator fails every call, one in flight included: nothing reaches the store of an
 * emulator once it is disposed (see `throwIfEnded`), nor does any answer come out of it, a
 * read's included. Worker code whose event ended otherwise (its caller gave up, or it was
 * over) hears nothing back at all (code-context.ts, answerReaches). Its result and error are
 * made in Worker code's realm (util/code-realm.ts).
 */
export interface BindingContext extends BindingOwner {
  /** Pending while the binding's storage opens; undefined once it is open. */
  ready(): Promise<void> | undefined;
}

/** The emulator a binding belongs to. */
export interface BindingOwner {
  /** Throws once the emulator is disposed (a call made after dispose()). */
  assertUsable(): void;
  /**
   * Aborted when the emulator is disposed, with the error that ends the calls still in flight
   * (an end-of-emulator error: one left unawaited is logged, see runtime/worker-rejections.ts).
   */
  readonly ended: AbortSignal;
}

/** The context of a binding no emulator owns (tests of the stores themselves). */
export const DETACHED: BindingContext = { assertUsable: () => undefined, ready: () => undefined, ended: new AbortController().signal };

export async function asIo<T>(context: BindingContext, work: () => Promise<T>): Promise<T> {
  const completed = ioCompleted();
  let answered = false;
  try {
    context.assertUsable();
    const opening = context.ready();
    if (opening !== undefined) {
      await opening;
      throwIfEnded(context.ended);
    }
    const result = await work();
    answered = true;
    await completed();
    // The answer reaches the caller only now, as a reply would: a dispose() that came first
    // fails the call, a read as a write (Miniflare's binding calls fail so), so no answer from
    // a disposed emulator's store reaches code after its dispose() began.
    throwIfEnded(context.ended);
    return inCodeRealm(result);
  } catch (error) {
    if (!answered) await completed();
    throw inCodeRealm(error);
  }
}

/**
 * Called after each thing a call waits for before it touches its store (the calling object's
 * output gate, a body being read): fails the call if the emulator was disposed meanwhile, with
 * a copy of the error that ends calls in flight. dispose() has let go of the store by then (in
 * memory: emptied; on disk: closed and unlocked, the directory perhaps another emulator's
 * already), so a write landing after it would bring data back into a store no one reads, or put
 * it into files no one owns.
 */
export function throwIfEnded(ended: AbortSignal): void {
  if (ended.aborted) throw copyError(ended.reason as Error);
}

import { ioCompleted } from "../../runtime/code-context.js";
import { inCodeRealm } from "../../util/code-realm.js";

/**
 * A binding call is I/O: its result (or error) reaches the caller in a later turn of the
 * event loop, as a network reply would, never in the same run of microtasks. Inside a Durable
 * Object that is when other events may be delivered, as in production, and the reply passes
 * the object's input gate (a critical section holds it back). The turn is taken on
 * the real setImmediate, so fake timers cannot stall a binding call. A call first waits for
 * its storage to be open (persisted stores need the SQLite engine), and a binding of a
 * disposed emulator fails every call. Its result and error are made in Worker code's realm
 * (util/code-realm.ts).
 */
export interface BindingContext {
  /** Throws once the emulator that made the binding is disposed. */
  assertUsable(): void;
  /** Pending while the binding's storage opens; undefined once it is open. */
  ready(): Promise<void> | undefined;
}

/** The context of a binding no emulator owns (tests of the stores themselves). */
export const DETACHED: BindingContext = { assertUsable: () => undefined, ready: () => undefined };

export async function asIo<T>(context: BindingContext, work: () => Promise<T>): Promise<T> {
  const completed = ioCompleted();
  try {
    const opening = context.ready();
    if (opening !== undefined) await opening;
    context.assertUsable();
    const result = await work();
    await completed();
    return inCodeRealm(result);
  } catch (error) {
    await completed();
    throw inCodeRealm(error);
  }
}

import { nextTurnPromise } from "../../util/turn.js";

/**
 * A binding call is I/O: its result (or error) reaches the caller in a later turn of the
 * event loop, as a network reply would, never in the same run of microtasks. Inside a Durable
 * Object that is when other events may be delivered, as in production. The turn is taken on
 * the real setImmediate, so fake timers cannot stall a binding call. A binding of a disposed
 * emulator fails every call (`assertUsable` throws).
 */
export type AssertUsable = () => void;

export const alwaysUsable: AssertUsable = () => undefined;

export async function asIo<T>(assertUsable: AssertUsable, work: () => Promise<T>): Promise<T> {
  try {
    assertUsable();
    const result = await work();
    await nextTurnPromise();
    return result;
  } catch (error) {
    await nextTurnPromise();
    throw error;
  }
}

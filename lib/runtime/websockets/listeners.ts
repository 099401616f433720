/**
 * An exception thrown by an event listener is the runtime's to log, not the caller's: the
 * Workers runtime logs "Uncaught ..." and goes on, while Node's EventTarget would turn it into
 * an uncaught exception of the whole process (and an async listener's rejection into an
 * unhandled one). Listeners are therefore registered through a guard that reports instead. One guard per listener, so that adding the same
 * listener twice is still one registration and removing it finds it.
 */
export type Listener = Parameters<EventTarget["addEventListener"]>[1];
type Guard = (this: unknown, event: Event) => void;

const guards = new WeakMap<object, Guard>();

export function guarded(listener: Listener): Listener {
  if (typeof listener !== "function" && (typeof listener !== "object" || listener === null)) return listener;
  let guard = guards.get(listener);
  if (guard === undefined) {
    guard = function (this: unknown, event: Event) {
      try {
        const result: unknown = typeof listener === "function" ? listener.call(this, event) : listener.handleEvent(event);
        // An async listener's rejection is reported the same way.
        if (typeof (result as PromiseLike<unknown> | undefined)?.then === "function") {
          (result as PromiseLike<unknown>).then(undefined, report);
        }
      } catch (error) {
        report(error);
      }
    };
    guards.set(listener, guard);
  }
  return guard;
}

function report(error: unknown): void {
  // ctx.abort() (or another reset of the object) ends its code there, reporting nothing, as a
  // timer callback's does (lifecycle/timers.ts).
  if (error instanceof Error && (error as { durableObjectReset?: unknown }).durableObjectReset === true) return;
  console.error("Uncaught", error);
}

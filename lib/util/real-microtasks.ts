import { unfaked } from "./unfaked.js";

/**
 * Node's Request and Response (undici) close a body given as a string or bytes through the
 * global `queueMicrotask`, read as they are constructed. Fake timers that fake it
 * (`vi.useFakeTimers({ toFake: [..., "queueMicrotask"] })`, sinon's `install()`) hold that
 * close until the test advances them, so such a body's reader, and every request and response
 * durasim makes with one, would wait for ever. The bodies durasim makes are closed through the
 * machine's function: it is put back on the global for the (synchronous) construction only.
 */
const machineQueueMicrotask = unfaked(globalThis.queueMicrotask, "queueMicrotask");

const NOTHING_TO_PUT_BACK = (): void => undefined;

/**
 * Puts the machine's `queueMicrotask` on the global object, if a fake is there, until the
 * function returned is called (in a `finally`, in the same synchronous run): it puts the fake back.
 */
export function machineMicrotasks(): () => void {
  const installed = globalThis.queueMicrotask;
  if (installed === machineQueueMicrotask) return NOTHING_TO_PUT_BACK;
  globalThis.queueMicrotask = machineQueueMicrotask;
  return () => {
    globalThis.queueMicrotask = installed;
  };
}

/** `Reflect.construct(Class, args, newTarget)` with the machine's `queueMicrotask` on the global object (see above). */
export function constructWithMachineMicrotasks<T>(Class: new (...args: never[]) => unknown, args: unknown[], newTarget: Function): T {
  const putBack = machineMicrotasks();
  try {
    return Reflect.construct(Class, args, newTarget) as T;
  } finally {
    putBack();
  }
}

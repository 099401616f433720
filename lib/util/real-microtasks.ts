import { unfaked } from "./unfaked.js";

/**
 * Node's Request and Response (undici) close a body given as a string or bytes through the
 * global `queueMicrotask`. Fake timers that fake it (`vi.useFakeTimers({ toFake: [...,
 * "queueMicrotask"] })`, sinon's `install()`) hold that close until the test advances them, so
 * such a body's reader, and every request and response durasim makes with one, would wait for
 * ever. Node 24's read the function as they are constructed: the bodies durasim makes are closed
 * through the machine's function, put back on the global for the (synchronous) construction
 * only. Node 20's read it as the body is first read, anywhere, later: there durasim refuses to
 * make one, with an error that names the option, rather than hang (Node 20 then stops firing
 * even real timers).
 */
const NodeResponse = globalThis.Response;
/**
 * The global object Node's Request and Response read `queueMicrotask` from: that of their own
 * realm, which is not durasim's where a test runner loads it in a realm of each test file's
 * (Jest), whose fake timers replace that file's functions only.
 */
const nodeGlobal = (NodeResponse.constructor as FunctionConstructor)("return globalThis")() as typeof globalThis;
const machineQueueMicrotask = unfaked(nodeGlobal.queueMicrotask, "queueMicrotask");

export const QUEUE_MICROTASK_FAKED =
  'Fake timers replace queueMicrotask (a toFake list naming "queueMicrotask", or @sinonjs/fake-timers\' install() with no toFake), and this version of Node ends every Request and Response body through it as the body is read: the body would never end. Leave "queueMicrotask" out of toFake, or run on Node 24.';

/** bodyClosedWhenMade()'s answer, found at its first ask. */
let closesWhenMade: boolean | undefined;

/** Whether Node's Response reads `queueMicrotask` as it is made (Node 24), rather than as its body is first read (Node 20). */
export function bodyClosedWhenMade(): boolean {
  if (closesWhenMade !== undefined) return closesWhenMade;
  const installed = nodeGlobal.queueMicrotask;
  let read = false;
  nodeGlobal.queueMicrotask = (fn) => {
    read = true;
    machineQueueMicrotask(fn);
  };
  try {
    new NodeResponse("x");
  } finally {
    nodeGlobal.queueMicrotask = installed;
  }
  return (closesWhenMade = read);
}

const NOTHING_TO_PUT_BACK = (): void => undefined;

/**
 * Puts the machine's `queueMicrotask` on the global object, if a fake is there, until the
 * function returned is called (in a `finally`, in the same synchronous run): it puts the fake back.
 */
export function machineMicrotasks(): () => void {
  const installed = nodeGlobal.queueMicrotask;
  if (installed === machineQueueMicrotask) return NOTHING_TO_PUT_BACK;
  // (Another library's function, not a fake timer, is left to do its work.)
  if (typeof (installed as { clock?: unknown }).clock === "object" && !bodyClosedWhenMade()) throw new Error(QUEUE_MICROTASK_FAKED);
  nodeGlobal.queueMicrotask = machineQueueMicrotask;
  return () => {
    nodeGlobal.queueMicrotask = installed;
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

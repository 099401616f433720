/**
 * DOMExceptions as the runtime makes them: its own are host objects whose `code`, `name` and
 * `message` are own, enumerable, read-only properties, followed by an enumerable `stack`, so
 * Object.keys, JSON.stringify and a test's deep equality see them. Node's DOMException keeps
 * them as getters on its prototype; every DOMException durasim raises, and Worker code's
 * `new DOMException()` (runtime/globals/constructors.ts), is given that shape here.
 */
export function runtimeDomException(message: string, name: string): DOMException {
  return withRuntimeShape(new DOMException(message, name));
}

/**
 * A copy of a DOMException (read from storage, cloned, received over RPC), as the runtime's
 * deserialiser writes one: the same shape, with the original's `stack` as a data property that
 * cannot be reconfigured, unless the copy was `thrown`: a caller's rejection is given a stack the
 * runtime captures anew (stacks.ts), of the engine's own kind (listed, as its own are).
 */
export function copiedDomException(message: string, name: string, stack: string, thrown = false): DOMException {
  if (!thrown) return withRuntimeShape(new DOMException(message, name), { value: stack, enumerable: true, writable: true, configurable: false });
  const copy = withRuntimeShape(new DOMException(message, name));
  (copy as { stack?: string }).stack = stack;
  return copy;
}

/**
 * Gives a DOMException of Node's the runtime's own properties, read from Node's getters, then
 * `stack` last and enumerable: `copied`, or the one Node's constructor captured (V8's accessor
 * where V8 makes one, as the runtime's newer V8 does; a data property on Node 20). Returns it.
 */
export function withRuntimeShape(error: DOMException, copied?: PropertyDescriptor): DOMException {
  const stack = copied ?? { ...Object.getOwnPropertyDescriptor(error, "stack"), enumerable: true };
  delete (error as { stack?: string }).stack;
  Object.defineProperties(error, {
    code: { value: error.code, enumerable: true, configurable: true },
    name: { value: error.name, enumerable: true, configurable: true },
    message: { value: error.message, enumerable: true, configurable: true },
    stack,
  });
  runtimeShaped.add(error);
  return error;
}

/** DOMExceptions withRuntimeShape gave the runtime's shape. */
const runtimeShaped = new WeakSet<object>();

/**
 * Whether `error` has the runtime's shape: its `code`, `name` and `message` are its own, and
 * none is on its prototype as the runtime has it (deleted, they read on past it).
 */
export function hasRuntimeShape(error: unknown): boolean {
  return typeof error === "object" && error !== null && runtimeShaped.has(error);
}

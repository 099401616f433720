/**
 * DOMExceptions as the runtime makes them: its own are host objects whose `code`, `name` and
 * `message` are own, enumerable, read-only properties, followed by an enumerable `stack`, so
 * Object.keys, JSON.stringify and a test's deep equality see them. Node's DOMException keeps
 * them as getters on its prototype; every DOMException durasim raises or rebuilds (from
 * storage, over RPC) comes from here. (User code's `new DOMException()` is Node's own.)
 */
export function runtimeDomException(message: string, name: string, stack?: string): DOMException {
  const error = new DOMException(message, name);
  const trace = stack ?? error.stack;
  // Node's constructor gave it an own `stack`; it goes last, as in the runtime.
  delete (error as { stack?: string }).stack;
  return Object.defineProperties(error, {
    code: { value: error.code, enumerable: true, configurable: true },
    name: { value: error.name, enumerable: true, configurable: true },
    message: { value: error.message, enumerable: true, configurable: true },
    stack: { value: trace, enumerable: true, writable: true, configurable: true },
  });
}

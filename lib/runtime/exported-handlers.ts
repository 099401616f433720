/**
 * The handlers the runtime reads of an entrypoint, each once and in this order, so a getter among
 * them runs as often and when it would there: a Durable Object's or WorkerEntrypoint's instance
 * once its constructor has returned (an entrypoint's for RPC calls too), an object a Worker
 * exports once, as the module loads. `queue`, `email` and RPC methods are not among them: they
 * are looked up at each use.
 */
const READ_ORDER = ["fetch", "connect", "tail", "trace", "scheduled", "alarm", "test", "webSocketMessage", "webSocketClose", "webSocketError"] as const;

export type ReadHandlerName = (typeof READ_ORDER)[number];
export type ReadHandlers = Readonly<Record<ReadHandlerName, unknown>>;

export function readHandlers(target: object): ReadHandlers {
  const from = target as Record<ReadHandlerName, unknown>;
  const read = {} as Record<ReadHandlerName, unknown>;
  for (const name of READ_ORDER) read[name] = from[name];
  return read;
}

export function isReadHandlerName(name: string): name is ReadHandlerName {
  return (READ_ORDER as readonly string[]).includes(name);
}

/** Each exported object's handlers, read once and kept. */
const objectHandlers = new WeakMap<object, ReadHandlers>();

/** An exported object's handlers, read now unless they were (the module's load reads them first). */
export function handlersOfExportedObject(entrypoint: object): ReadHandlers {
  let read = objectHandlers.get(entrypoint);
  if (read === undefined) objectHandlers.set(entrypoint, (read = readHandlers(entrypoint)));
  return read;
}

/**
 * The hibernatable-WebSocket handlers of one instance, as the runtime finds them: read once,
 * when the constructor has returned. A handler assigned to the instance later, or a prototype
 * method replaced after the instance was made (a spy set on the class in a test), is not the
 * one the instance's socket events call; a class field or a handler the constructor assigns is.
 * Most instances have exactly their class's prototype methods: they share one record per
 * prototype, so an instance pays one reference for it.
 */

const SOCKET_HANDLERS = ["webSocketMessage", "webSocketClose", "webSocketError"] as const;

export type SocketHandlerName = (typeof SOCKET_HANDLERS)[number];
export type SocketHandlers = Readonly<Record<SocketHandlerName, unknown>>;

/** Per prototype, the handlers its first instance had. */
const shared = new WeakMap<object, SocketHandlers>();

/** Reads `instance`'s handlers now (its constructor has just returned). */
export function socketHandlersOf(instance: object): SocketHandlers {
  const own = instance as Record<SocketHandlerName, unknown>;
  const read: SocketHandlers = { webSocketMessage: own.webSocketMessage, webSocketClose: own.webSocketClose, webSocketError: own.webSocketError };
  const proto = Object.getPrototypeOf(instance) as object | null;
  if (proto === null) return read;
  const known = shared.get(proto);
  if (known === undefined) shared.set(proto, read);
  else if (SOCKET_HANDLERS.every((name) => known[name] === read[name])) return known;
  return read;
}

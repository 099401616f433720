/**
 * The event handlers of one instance (`fetch`, `alarm` and the hibernatable-WebSocket ones), as
 * the runtime finds them: read once, when the constructor has returned. A handler assigned to
 * the instance later, or a prototype method added, replaced or deleted after the instance was
 * made (a spy set on the class in a test), is not the one the instance's events call, and
 * setAlarm() asks about the alarm() read then; a class field or a handler the constructor
 * assigns is. (RPC methods are looked up at each call.) Most instances have exactly their
 * class's prototype methods: they share one record per prototype, so an instance pays one
 * reference for it.
 */

const HANDLERS = ["fetch", "alarm", "webSocketMessage", "webSocketClose", "webSocketError"] as const;

export type HandlerName = (typeof HANDLERS)[number];
export type EventHandlers = Readonly<Record<HandlerName, unknown>>;

/** Per prototype, the handlers its first instance had. */
const shared = new WeakMap<object, EventHandlers>();

/** An ended instance's handlers (see endedHandlers): none, and an alarm() or not. */
const WITHOUT_ALARM: EventHandlers = Object.freeze({ fetch: undefined, alarm: undefined, webSocketMessage: undefined, webSocketClose: undefined, webSocketError: undefined });
const WITH_ALARM: EventHandlers = Object.freeze({ ...WITHOUT_ALARM, alarm: () => undefined });

/**
 * What an ended instance's incarnation keeps of its handlers. No event runs on it again, so
 * only whether it had an alarm() matters (setAlarm() from code of it still running asks), and
 * a handler that may close over the instance (a class field) must not keep it in memory.
 */
export function endedHandlers(handlers: EventHandlers): EventHandlers {
  return typeof handlers.alarm === "function" ? WITH_ALARM : WITHOUT_ALARM;
}

/**
 * Reads `instance`'s handlers now (its constructor has just returned). The runtime reads every
 * handler an entrypoint may have, each once and in this order, so a getter among them runs as
 * often and when it would there; the ones an object has no events for are read and dropped.
 */
export function eventHandlersOf(instance: object): EventHandlers {
  const own = instance as Record<HandlerName | "connect" | "tail" | "trace" | "scheduled" | "test", unknown>;
  const fetch = own.fetch;
  void own.connect;
  void own.tail;
  void own.trace;
  void own.scheduled;
  const alarm = own.alarm;
  void own.test;
  const read: EventHandlers = {
    fetch,
    alarm,
    webSocketMessage: own.webSocketMessage,
    webSocketClose: own.webSocketClose,
    webSocketError: own.webSocketError,
  };
  const proto = Object.getPrototypeOf(instance) as object | null;
  // An instance's own handler (a class field) may close over the instance: never kept for the prototype.
  if (proto === null || HANDLERS.some((name) => Object.hasOwn(instance, name))) return read;
  const known = shared.get(proto);
  if (known === undefined) shared.set(proto, read);
  else if (HANDLERS.every((name) => known[name] === read[name])) return known;
  return read;
}

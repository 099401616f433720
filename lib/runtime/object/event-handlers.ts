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

import { readHandlers } from "../exported-handlers.js";

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
 * Reads `instance`'s handlers now (its constructor has just returned), as the runtime reads an
 * entrypoint's (exported-handlers.ts); the ones an object has no events for are read and dropped.
 */
export function eventHandlersOf(instance: object): EventHandlers {
  const all = readHandlers(instance);
  const read: EventHandlers = {
    fetch: all.fetch,
    alarm: all.alarm,
    webSocketMessage: all.webSocketMessage,
    webSocketClose: all.webSocketClose,
    webSocketError: all.webSocketError,
  };
  const proto = Object.getPrototypeOf(instance) as object | null;
  // An instance's own handler (a class field) may close over the instance: never kept for the prototype.
  if (proto === null || HANDLERS.some((name) => Object.hasOwn(instance, name))) return read;
  const known = shared.get(proto);
  if (known === undefined) shared.set(proto, read);
  else if (HANDLERS.every((name) => known[name] === read[name])) return known;
  return read;
}

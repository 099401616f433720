/**
 * The events a Workers WebSocket dispatches: `message` (MessageEvent with `data`), `close`
 * (CloseEvent with `code`, `reason`, `wasClean`) and `error` (ErrorEvent with `message` and
 * `error`). Node lacks CloseEvent and ErrorEvent before version 23, so Worker code gets these
 * classes; their defaults are the runtime's (`new CloseEvent("close")` has code 0, a
 * MessageEvent without data has `null`). As the runtime's, a MessageEvent's and a CloseEvent's
 * fields are the event's own read-only, enumerable properties (in its order), not prototype
 * getters; an ErrorEvent's are enumerable getters (`filename`, `lineno` and `colno` say nothing
 * locally). Their constructors convert arguments as the runtime's: the type is required (an
 * explicit `undefined` becomes "undefined"), the init is an object, null or left out, and none
 * can be called without `new`.
 */
import { arrangeMembers, defineReadOnlyFields, tagInterface, toIdlString, toInt32 } from "../../util/webidl.js";
import { constructOnly } from "../../util/construct-only.js";

class MessageEventClass extends Event {
  declare readonly data: unknown;

  constructor(type: string, init?: { data?: unknown }) {
    const { data } = eventInit("MessageEvent", arguments.length, init);
    super(toIdlString(type));
    defineReadOnlyFields(this, { ports: [], source: null, lastEventId: "", origin: null, data: data ?? null });
  }
}

class CloseEventClass extends Event {
  declare readonly code: number;
  declare readonly reason: string;
  declare readonly wasClean: boolean;

  constructor(type: string, init?: { code?: number; reason?: string; wasClean?: boolean }) {
    const { code, reason, wasClean } = eventInit("CloseEvent", arguments.length, init);
    super(toIdlString(type));
    // The runtime converts the code as a 32-bit integer (jsg's int), as close() does.
    const status = toInt32(code ?? 0);
    defineReadOnlyFields(this, { wasClean: Boolean(wasClean), reason: toIdlString(reason ?? ""), code: status });
  }
}

class ErrorEventClass extends Event {
  readonly #message: string;
  readonly #error: unknown;

  constructor(type: string, init?: { message?: string; error?: unknown }) {
    const { message, error } = eventInit("ErrorEvent", arguments.length, init);
    super(toIdlString(type));
    this.#message = toIdlString(message ?? "");
    this.#error = error;
  }

  get filename(): string {
    return "";
  }

  get message(): string {
    return this.#message;
  }

  get lineno(): number {
    return 0;
  }

  get colno(): number {
    return 0;
  }

  get error(): unknown {
    return this.#error;
  }
}

/**
 * The init of an event constructor called with `count` arguments: refuses a missing type and
 * an init that is neither an object nor null, with the runtime's messages (read before the
 * type is converted, as the runtime reads its arguments).
 */
function eventInit<T extends object>(name: string, count: number, init: T | null | undefined): Partial<T> {
  if (count === 0) throw new TypeError(`Failed to construct '${name}': constructor parameter 1 is not of type 'string'.`);
  if (init === undefined || init === null) return {};
  if (typeof init !== "object" && typeof init !== "function") {
    throw new TypeError(`Failed to construct '${name}': constructor parameter 2 is not of type 'Initializer'.`);
  }
  return init;
}

// An ErrorEvent's fields are enumerable prototype getters in the runtime, in this order.
const ERROR_EVENT_FIELDS = ["filename", "message", "lineno", "colno", "error"];
for (const name of ERROR_EVENT_FIELDS) Object.defineProperty(ErrorEventClass.prototype, name, { enumerable: true });
arrangeMembers(ErrorEventClass.prototype, ERROR_EVENT_FIELDS);

for (const [EventClass, name] of [
  [MessageEventClass, "MessageEvent"],
  [CloseEventClass, "CloseEvent"],
  [ErrorEventClass, "ErrorEvent"],
] as const) {
  tagInterface(EventClass.prototype, name);
  Object.defineProperty(EventClass, "name", { value: name });
}

export const MessageEvent = constructOnly(MessageEventClass, "MessageEvent");
export type MessageEvent = MessageEventClass;
export const CloseEvent = constructOnly(CloseEventClass, "CloseEvent");
export type CloseEvent = CloseEventClass;
export const ErrorEvent = constructOnly(ErrorEventClass, "ErrorEvent");
export type ErrorEvent = ErrorEventClass;

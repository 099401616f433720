/**
 * The events a Workers WebSocket dispatches: `message` (MessageEvent with `data`), `close`
 * (CloseEvent with `code`, `reason`, `wasClean`) and `error` (ErrorEvent with `message` and
 * `error`). Node lacks CloseEvent and ErrorEvent before version 23, so Worker code gets these
 * classes; their defaults are the runtime's (`new CloseEvent("close")` has code 0). As the
 * runtime's, a MessageEvent's and a CloseEvent's fields are the event's own read-only, enumerable
 * properties (in its order), not prototype getters; an ErrorEvent's are enumerable getters
 * (`filename`, `lineno` and `colno` say nothing locally).
 */
import { arrangeMembers, defineReadOnlyFields } from "../../util/webidl.js";

export class MessageEvent extends Event {
  declare readonly data: unknown;

  constructor(type: string, init: { data?: unknown } = {}) {
    super(type);
    defineReadOnlyFields(this, { ports: [], source: null, lastEventId: "", origin: null, data: init.data });
  }
}

export class CloseEvent extends Event {
  declare readonly code: number;
  declare readonly reason: string;
  declare readonly wasClean: boolean;

  constructor(type: string, init: { code?: number; reason?: string; wasClean?: boolean } = {}) {
    super(type);
    defineReadOnlyFields(this, { wasClean: Boolean(init.wasClean), reason: String(init.reason ?? ""), code: Number(init.code ?? 0) });
  }
}

export class ErrorEvent extends Event {
  readonly #message: string;
  readonly #error: unknown;

  constructor(type: string, init: { message?: string; error?: unknown } = {}) {
    super(type);
    this.#message = String(init.message ?? "");
    this.#error = init.error;
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

// An ErrorEvent's fields are enumerable prototype getters in the runtime, in this order.
const ERROR_EVENT_FIELDS = ["filename", "message", "lineno", "colno", "error"];
for (const name of ERROR_EVENT_FIELDS) Object.defineProperty(ErrorEvent.prototype, name, { enumerable: true });
arrangeMembers(ErrorEvent.prototype, ERROR_EVENT_FIELDS);

for (const [EventClass, name] of [
  [MessageEvent, "MessageEvent"],
  [CloseEvent, "CloseEvent"],
  [ErrorEvent, "ErrorEvent"],
] as const) {
  Object.defineProperty(EventClass.prototype, Symbol.toStringTag, { value: name, writable: true, configurable: true });
  Object.defineProperty(EventClass, "length", { value: 0 });
}

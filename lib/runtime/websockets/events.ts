/**
 * The events a Workers WebSocket dispatches: `message` (MessageEvent with `data`), `close`
 * (CloseEvent with `code`, `reason`, `wasClean`) and `error` (ErrorEvent with `message` and
 * `error`). Node lacks CloseEvent and ErrorEvent before version 23, so Worker code gets these
 * classes; their defaults are the runtime's (`new CloseEvent("close")` has code 0). As the
 * runtime's, a MessageEvent's and a CloseEvent's fields are the event's own read-only, enumerable
 * properties (in its order), not prototype getters.
 */

/** Defines `fields` on `event` as the runtime's event fields: own, enumerable, read-only. */
function ownFields(event: Event, fields: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(fields)) Object.defineProperty(event, key, { value, enumerable: true, configurable: true });
}

export class MessageEvent extends Event {
  declare readonly data: unknown;

  constructor(type: string, init: { data?: unknown } = {}) {
    super(type);
    ownFields(this, { ports: [], source: null, lastEventId: "", origin: null, data: init.data });
  }
}

export class CloseEvent extends Event {
  declare readonly code: number;
  declare readonly reason: string;
  declare readonly wasClean: boolean;

  constructor(type: string, init: { code?: number; reason?: string; wasClean?: boolean } = {}) {
    super(type);
    ownFields(this, { wasClean: Boolean(init.wasClean), reason: String(init.reason ?? ""), code: Number(init.code ?? 0) });
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

  get message(): string {
    return this.#message;
  }

  get error(): unknown {
    return this.#error;
  }
}

for (const [EventClass, name] of [
  [MessageEvent, "MessageEvent"],
  [CloseEvent, "CloseEvent"],
  [ErrorEvent, "ErrorEvent"],
] as const) {
  Object.defineProperty(EventClass.prototype, Symbol.toStringTag, { value: name, writable: true, configurable: true });
  Object.defineProperty(EventClass, "length", { value: 0 });
}

/**
 * The events a Workers WebSocket dispatches: `message` (MessageEvent with `data`), `close`
 * (CloseEvent with `code`, `reason`, `wasClean`) and `error` (ErrorEvent with `message` and
 * `error`). Node lacks CloseEvent and ErrorEvent before version 23, so Worker code gets these
 * classes; their defaults are the runtime's (`new CloseEvent("close")` has code 0).
 */

export class MessageEvent extends Event {
  readonly #data: unknown;

  constructor(type: string, init: { data?: unknown } = {}) {
    super(type);
    this.#data = init.data;
  }

  get data(): unknown {
    return this.#data;
  }
}

export class CloseEvent extends Event {
  readonly #code: number;
  readonly #reason: string;
  readonly #wasClean: boolean;

  constructor(type: string, init: { code?: number; reason?: string; wasClean?: boolean } = {}) {
    super(type);
    this.#code = Number(init.code ?? 0);
    this.#reason = String(init.reason ?? "");
    this.#wasClean = Boolean(init.wasClean);
  }

  get code(): number {
    return this.#code;
  }

  get reason(): string {
    return this.#reason;
  }

  get wasClean(): boolean {
    return this.#wasClean;
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
  Object.defineProperty(EventClass.prototype, Symbol.toStringTag, { value: name, configurable: true });
}

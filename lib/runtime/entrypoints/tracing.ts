import { AsyncLocalStorage } from "node:async_hooks";
import { arrangeMembers, defineInterface, notOfType, requireArgument, site, toIdlString } from "../../util/webidl.js";

/**
 * `ctx.tracing` of a Worker's handlers and entrypoints, and `tracing` of cloudflare:workers: the
 * runtime's API for user spans. Nothing records traces here, as in local workerd: every span is
 * untraced (`isTraced` false, a context of zeros) and its methods only check their arguments.
 * `enterSpan` and `startActiveSpan` run their callback with a new span (and the extra
 * arguments), `withActiveSpan` runs its callback with the extra arguments alone, and each returns
 * the callback's result; the span they enter is what `getActiveSpan()` gives in the callback and
 * in everything it sets off (async context, made on first use).
 */

const TRACING = "Tracing";
const SPAN = "Span";
const STATUS_CODES = new Set(["unset", "ok", "error"]);

export class Span {
  readonly #brand = true;

  get isTraced(): boolean {
    return false;
  }

  spanContext(): { traceId: string; spanId: string; traceFlags: number } {
    return { traceId: "0".repeat(32), spanId: "0".repeat(16), traceFlags: 0 };
  }

  setAttribute(key: string, value?: unknown): this {
    requireArgument(site(SPAN, "setAttribute"), arguments.length, 1, "string");
    toIdlString(key);
    // A value is a boolean, number, string or array of them; V8's number conversion refuses these.
    if (typeof value === "bigint" || typeof value === "symbol") void +(value as unknown as number);
    return this;
  }

  setAttributes(attributes: unknown): this {
    if (typeof attributes !== "object" || attributes === null || Array.isArray(attributes)) {
      throw notOfType(site(SPAN, "setAttributes"), 1, "object");
    }
    return this;
  }

  setStatus(status: { code?: unknown }): this {
    if (typeof status !== "object" || status === null) throw notOfType(site(SPAN, "setStatus"), 1, "TracingSpanStatus");
    const code = status.code;
    if (typeof code !== "string" || !STATUS_CODES.has(code)) throw new TypeError("Span status code must be 'unset', 'ok', or 'error'.");
    return this;
  }

  recordException(exception: unknown): void {
    if (exception === undefined) throw notOfType(site(SPAN, "recordException"), 1, "Value");
  }

  updateName(name: string): this {
    requireArgument(site(SPAN, "updateName"), arguments.length, 1, "string");
    toIdlString(name);
    return this;
  }

  end(): void {}

  static is(value: unknown): boolean {
    return typeof value === "object" && value !== null && #brand in value;
  }

  static {
    defineInterface(this, SPAN, Span.is, {
      order: ["isTraced", "spanContext", "setAttribute", "setAttributes", "recordException", "updateName", "setStatus", "end"],
    });
  }
}

const PUBLIC_SPAN = (Span.prototype as { constructor: Function }).constructor;

/** The span entered by the running code's enterSpan()/withActiveSpan(), if any. */
let enteredSpans: AsyncLocalStorage<Span> | undefined;

/** Calls `callback(...args)` as the runtime calls one (`this` is the global object) with `span` active. */
function runWithSpan(span: Span, callback: (...args: unknown[]) => unknown, args: unknown[]): unknown {
  enteredSpans ??= new AsyncLocalStorage();
  return enteredSpans.run(span, () => Reflect.apply(callback, globalThis, args));
}

export class Tracing {
  readonly #active = new Span();

  startSpan(name: string): Span {
    requireArgument(site(TRACING, "startSpan"), arguments.length, 1, "string");
    toIdlString(name);
    return new Span();
  }

  getActiveSpan(): Span {
    return enteredSpans?.getStore() ?? this.#active;
  }

  enterSpan(name: string, callback: (span: Span, ...args: unknown[]) => unknown, ...args: unknown[]): unknown {
    return this.#runInSpan("enterSpan", arguments.length, name, callback, args);
  }

  startActiveSpan(name: string, callback: (span: Span, ...args: unknown[]) => unknown, ...args: unknown[]): unknown {
    return this.#runInSpan("startActiveSpan", arguments.length, name, callback, args);
  }

  withActiveSpan(span: Span, callback: (...args: unknown[]) => unknown, ...args: unknown[]): unknown {
    const at = site(TRACING, "withActiveSpan");
    if (!Span.is(span)) throw notOfType(at, 1, SPAN);
    return runWithSpan(span, callbackOf(at, callback), args);
  }

  #runInSpan(method: string, count: number, name: string, callback: unknown, args: unknown[]): unknown {
    const at = site(TRACING, method);
    requireArgument(at, count, 1, "string");
    toIdlString(name);
    const span = new Span();
    return runWithSpan(span, callbackOf(at, callback), [span, ...args]);
  }

  static {
    defineInterface(this, TRACING, (value) => typeof value === "object" && value !== null && #active in value);
    // The Span interface, on the prototype as a plain member (its constructor is illegal).
    Object.defineProperty(this.prototype, "Span", { value: PUBLIC_SPAN, enumerable: true, writable: true, configurable: true });
    arrangeMembers(this.prototype, ["enterSpan", "startActiveSpan", "startSpan", "getActiveSpan", "withActiveSpan", "Span"]);
  }
}

function callbackOf(at: ReturnType<typeof site>, callback: unknown): (...args: unknown[]) => unknown {
  if (typeof callback !== "function") throw notOfType(at, 2, "Function");
  return callback as (...args: unknown[]) => unknown;
}

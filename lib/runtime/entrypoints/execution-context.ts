import { defineInterface, requireArgument, site } from "../../util/webidl.js";

const CONTEXT = "ExecutionContext";
const WAIT_UNTIL = site(CONTEXT, "waitUntil");

/**
 * The `ctx` a Worker's handlers and entrypoints get (the runtime's ExecutionContext): `props`
 * (what the binding that reached them passed) and `exports` (the Worker's own entrypoints and
 * Durable Object namespaces) are own data properties; `waitUntil` and `passThroughOnException`
 * are on the prototype. A Worker here outlives its requests, so `waitUntil` has nothing to
 * extend; a rejection is only kept from surfacing as unhandled, as the runtime only logs it.
 * Events whose outcome waits for those promises (scheduled events) pass a list to collect them.
 */
export class ExecutionContext {
  readonly #brand = true;
  readonly #waitUntil: unknown[] | undefined;
  declare readonly props: Record<string, unknown>;
  declare readonly exports: object;

  constructor(props: Record<string, unknown>, exports: object, waitUntil?: unknown[]) {
    this.#waitUntil = waitUntil;
    const own = this as { -readonly [K in "props" | "exports"]: ExecutionContext[K] };
    own.props = props;
    own.exports = exports;
  }

  waitUntil(promise: unknown): void {
    requireArgument(WAIT_UNTIL, arguments.length, 1, "Promise");
    settleQuietly(promise);
    this.#waitUntil?.push(promise);
  }

  passThroughOnException(): void {}

  static {
    defineInterface(this, CONTEXT, (value) => typeof value === "object" && value !== null && #brand in value);
  }
}

/** Keeps a promise's rejection from surfacing as an unhandled one (the runtime only logs it). */
export function settleQuietly(promise: unknown): void {
  if (promise instanceof Promise) promise.catch(() => undefined);
}

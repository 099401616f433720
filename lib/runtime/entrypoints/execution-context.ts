import { defineInterface, notOfType, requireArgument, site } from "../../util/webidl.js";
import { isStubOrTarget } from "../rpc/stub.js";
import { Tracing } from "./tracing.js";

const CONTEXT = "ExecutionContext";
const WAIT_UNTIL = site(CONTEXT, "waitUntil");
const MAP_VIRTUAL_HOST = site(CONTEXT, "mapVirtualHost");

/**
 * The `ctx` a Worker's handlers and entrypoints get (the runtime's ExecutionContext): `tracing`
 * (tracing.ts), `props` (what the binding that reached them passed) and `exports` (the Worker's
 * own entrypoints and Durable Object namespaces) are own data properties; `waitUntil`,
 * `passThroughOnException`, `mapVirtualHost` and `abort` are on the prototype. A Worker here outlives its requests, so `waitUntil` has nothing to
 * extend; a rejection is only kept from surfacing as unhandled, as the runtime only logs it.
 * Events whose outcome waits for those promises (scheduled events) pass a list to collect them.
 */
export class ExecutionContext {
  readonly #brand = true;
  readonly #waitUntil: unknown[] | undefined;
  declare readonly tracing: Tracing;
  declare readonly access: undefined;
  declare readonly cache: undefined;
  declare readonly props: Record<string, unknown>;
  declare readonly exports: object;

  constructor(props: Record<string, unknown>, exports: object, waitUntil?: unknown[]) {
    this.#waitUntil = waitUntil;
    // Own data properties in the runtime's order; `access` (Cloudflare Access) and `cache` are
    // undefined without those products, as in local workerd.
    const own = this as { -readonly [K in "tracing" | "access" | "cache" | "props" | "exports"]: ExecutionContext[K] };
    own.tracing = new Tracing();
    own.access = undefined;
    own.cache = undefined;
    own.props = props;
    own.exports = exports;
  }

  waitUntil(promise: unknown): void {
    requireArgument(WAIT_UNTIL, arguments.length, 1, "Promise");
    settleQuietly(promise);
    this.#waitUntil?.push(promise);
  }

  passThroughOnException(): void {}

  /** Checks its argument as the runtime does, then says durasim does not emulate it. */
  mapVirtualHost(fetcher: unknown): never {
    if (!isStubOrTarget(fetcher)) throw notOfType(MAP_VIRTUAL_HOST, 1, "Fetcher");
    throw new Error("durasim does not emulate ctx.mapVirtualHost().");
  }

  /** Aborting a Worker's request is not emulated (a Durable Object's ctx.abort() is). */
  abort(_reason?: unknown): never {
    throw new Error("durasim does not emulate ctx.abort() outside Durable Objects.");
  }

  static {
    defineInterface(this, CONTEXT, (value) => typeof value === "object" && value !== null && #brand in value);
  }
}

/** Keeps a promise's rejection from surfacing as an unhandled one (the runtime only logs it). */
export function settleQuietly(promise: unknown): void {
  if (promise instanceof Promise) promise.catch(() => undefined);
}

/**
 * Runs an event's handler (`scheduled`, `queue`), then waits for every promise in `waitUntil`,
 * including ones added meanwhile: whether the event failed (the handler threw, logged as the
 * runtime logs it, or a waitUntil promise rejected). `worker` names the Worker in the log line.
 */
export async function eventFailed(worker: string, event: string, handler: () => unknown, waitUntil: unknown[]): Promise<boolean> {
  let failed = false;
  try {
    await handler();
  } catch (error) {
    failed = true;
    console.error(`durasim: uncaught exception in Worker "${worker}" ${event} handler:`, error);
  }
  while (waitUntil.length > 0) {
    for (const settled of await Promise.allSettled(waitUntil.splice(0))) failed ||= settled.status === "rejected";
  }
  return failed;
}

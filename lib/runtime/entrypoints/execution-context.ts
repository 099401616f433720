import { defineInterface, notOfType, requireArgument, site } from "../../util/webidl.js";
import type { WorkerEventCode } from "../code-context.js";
import { isStubOrTarget } from "../rpc/stub.js";
import { markRuntimeInstance } from "../brands.js";
import { Tracing } from "./tracing.js";
import { waitUntilPromise } from "../wait-until-promise.js";

const CONTEXT = "ExecutionContext";
const WAIT_UNTIL = site(CONTEXT, "waitUntil");
const MAP_VIRTUAL_HOST = site(CONTEXT, "mapVirtualHost");

/**
 * The `ctx` a Worker's handlers and entrypoints get (the runtime's ExecutionContext): `tracing`
 * (tracing.ts), `props` (what the binding that reached them passed) and `exports` (the Worker's
 * own entrypoints and Durable Object namespaces; absent without enable_ctx_exports) are own data properties; `waitUntil`,
 * `passThroughOnException`, `mapVirtualHost` and `abort` are on the prototype. `waitUntil`
 * extends the event (worker-event.ts); a rejection is kept from surfacing as unhandled, as the
 * runtime only logs it.
 */
export class ExecutionContext {
  readonly #brand = true;
  readonly #event: WorkerEventCode;
  declare readonly tracing: Tracing;
  declare readonly access: undefined;
  declare readonly cache: undefined;
  declare readonly props: Record<string, unknown>;
  declare readonly exports: object;

  constructor(props: Record<string, unknown>, exports: object | undefined, event: WorkerEventCode) {
    this.#event = event;
    markRuntimeInstance("ExecutionContext", this);
    // Own data properties in the runtime's order; `access` (Cloudflare Access) and `cache` are
    // undefined without those products, as in local workerd.
    const own = this as { -readonly [K in "tracing" | "access" | "cache" | "props" | "exports"]: ExecutionContext[K] };
    own.tracing = new Tracing();
    own.access = undefined;
    own.cache = undefined;
    own.props = props;
    if (exports !== undefined) own.exports = exports;
  }

  waitUntil(promise: unknown): void {
    requireArgument(WAIT_UNTIL, arguments.length, 1, "Promise");
    this.#event.waitUntil(waitUntilPromise(promise));
  }

  passThroughOnException(): void {
    passingThrough.add(this);
  }

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

/** The contexts whose handler called `passThroughOnException()`. */
const passingThrough = new WeakSet<ExecutionContext>();

/**
 * Whether `ctx`'s handler asked for its exceptions to pass the request on: the runtime then
 * answers a fetch handler's uncaught exception with an empty 500 rather than the exception, as
 * there is no origin behind a service binding to pass it to (EntrypointTarget's fetch).
 */
export function passesThroughOnException(ctx: ExecutionContext): boolean {
  return passingThrough.has(ctx);
}

/** Logs a handler's uncaught exception as the runtime does, naming the Worker and the event. */
export function logUncaught(worker: string, event: string, error: unknown): void {
  console.error(`durasim: uncaught exception in Worker "${worker}" ${event} handler:`, error);
}

/** The empty 500 the runtime answers a fetch handler's uncaught exception with, where it answers rather than rejects. */
export function internalServerError(): Response {
  return new Response(null, { status: 500, statusText: "Internal Server Error" });
}

/**
 * Runs an event's handler (`scheduled`, `queue`), then waits for every promise in `waitUntil`,
 * including ones added meanwhile: whether the event failed (the handler threw, logged as the
 * runtime logs it, or a waitUntil promise rejected). `worker` names the Worker in the log line.
 */
export async function eventFailed(worker: string, event: string, handler: () => unknown, waitUntil: readonly unknown[]): Promise<boolean> {
  let failed = false;
  try {
    await handler();
  } catch (error) {
    failed = true;
    logUncaught(worker, event, error);
  }
  return (await allSettled(waitUntil)) || failed;
}

/**
 * Waits until every promise in `promises` has settled, including ones added meanwhile;
 * resolves to whether any of them rejected. The list is left as it is.
 */
export async function allSettled(promises: readonly unknown[]): Promise<boolean> {
  let failed = false;
  for (let seen = 0; seen < promises.length; ) {
    const batch = promises.slice(seen);
    seen = promises.length;
    for (const settled of await Promise.allSettled(batch)) failed ||= settled.status === "rejected";
  }
  return failed;
}

/**
 * `createPagesEventContext(init)` of `cloudflare:test`: the context a Pages Function (`onRequest`
 * and kin) is called with, for testing one as a unit, with the checks and errors of Cloudflare's
 * helper. Nothing of Pages runs: the function is plain code, and the context only needs the
 * env's `ASSETS` service binding, as Cloudflare's helper requires it (give one in
 * miniflare.serviceBindings). Its waitUntil() promises are awaited with waitOnExecutionContext().
 */
import { createExecutionContext, shareWaitUntil } from "./events.js";

interface EventContextInit {
  request: Request;
  functionPath?: string;
  next?(request: Request): Response | Promise<Response>;
  params?: Record<string, string | string[]>;
  data?: Record<string, unknown>;
}

/** The same context as `context` of a Pages Function's handler. */
export interface PagesEventContext {
  request: Request;
  functionPath: string;
  waitUntil(promise: unknown): void;
  passThroughOnException(): void;
  next(input?: Request | string, init?: RequestInit): Promise<Response>;
  env: Record<string, unknown>;
  params: Record<string, string | string[]>;
  data: Record<string, unknown>;
}

function fieldError(field: string, type: string): TypeError {
  return new TypeError(`Incorrect type for the '${field}' field on 'EventContextInit': the provided value is not of type '${type}'.`);
}

const isObject = (value: unknown): value is object => typeof value === "object" && value !== null;

/** The context for `init`, with the main Worker's `env` and a waitUntil() `keep` as createExecutionContext()'s. */
export function createPagesEventContext(
  init: unknown,
  env: Record<string, unknown>,
  exports: object | undefined,
  keep: (promise: unknown) => void,
): PagesEventContext {
  if (!isObject(init)) {
    throw new TypeError("Failed to execute 'createPagesEventContext': parameter 1 is not of type 'EventContextInit'.");
  }
  const { request, functionPath, next, params, data } = init as Partial<EventContextInit>;
  if (!(request instanceof Request)) throw fieldError("request", "Request");
  if (functionPath !== undefined && typeof functionPath !== "string") throw fieldError("functionPath", "string");
  if (next !== undefined && typeof next !== "function") throw fieldError("next", "function");
  if (params !== undefined && !isObject(params)) throw fieldError("params", "object");
  if (data !== undefined && !isObject(data)) throw fieldError("data", "object");
  const assets = env.ASSETS as { fetch?: unknown } | null | undefined;
  if (!isObject(assets) || typeof assets.fetch !== "function") {
    throw new TypeError("Cannot call `createPagesEventContext()` without defining `ASSETS` service binding");
  }
  const ctx = createExecutionContext(exports, keep);
  const context: PagesEventContext = {
    // The function reads the clone, so next() can still hand on the request as it came.
    request: next === undefined ? request : request.clone(),
    functionPath: functionPath ?? "",
    waitUntil: (promise) => ctx.waitUntil(promise),
    passThroughOnException: () => ctx.passThroughOnException(),
    async next(input, nextInit) {
      if (next === undefined) {
        throw new TypeError("Cannot call `EventContext#next()` without including `next` property in 2nd argument to `createPagesEventContext()`");
      }
      if (input === undefined) return next(request);
      // A path is relative to the request's URL, as Pages resolves it.
      return next(new Request(typeof input === "string" ? new URL(input, request.url).toString() : input, nextInit));
    },
    env,
    params: params ?? {},
    data: data ?? {},
  };
  shareWaitUntil(ctx, context);
  return context;
}

/**
 * The undici dispatcher Node's fetch() sends outbound requests through, when a test set one
 * (cloudflare:test's fetchMock, an undici MockAgent: modules/test/fetch-mock.ts). The global
 * fetch() of Worker code, object code and tests (host-apis.ts) passes it as Node's `dispatcher`
 * after the runtime's own conversion of the request, which keeps only the Workers' members.
 * A request the dispatcher itself refuses or fails rejects with the dispatcher's own error
 * (undici's MockNotMatchedError, or the error an interceptor's `replyWithError()` gave), not
 * Node's `TypeError: fetch failed` around it: that is what the Worker saw under Cloudflare's
 * integration, whose fetch() handed the MockAgent's errors on as they were. A MockAgent raises
 * those while it dispatches, synchronously; a network failure of a request it lets through comes
 * later and stays Node's TypeError.
 */
import { isStandIn, nodeMethod, runtimeMethod } from "./method-stand-ins.js";

interface Registry {
  pick?: () => object | undefined;
}

// On globalThis under a registered symbol: the copy of durasim the tests import (the Jest
// preset's) and the one whose fetch() Worker code calls must agree.
const KEY = Symbol.for("durasim.outboundDispatcher");
const registry = ((globalThis as Record<symbol, unknown>)[KEY] ??= {}) as Registry;

/** Makes fetch() ask `current` for the dispatcher of each request (undefined: Node's default). */
export function setOutboundDispatcher(current: () => object | undefined): void {
  registry.pick = current;
}

/** Calls Node's fetch (`original`) with the current dispatcher, if any. A request whose method is
 * a stand-in (method-stand-ins.ts) goes through one that sends the runtime's method instead. */
export function fetchThroughDispatcher(original: Function, input: unknown, init: unknown): Promise<unknown> {
  if (isStandIn((init as { method?: string } | undefined)?.method ?? (input instanceof Request ? nodeMethod(input.method) : undefined))) {
    return nodeDispatcher(original).then((base) => send(original, input, init, sendingRuntimeMethods(base)));
  }
  return send(original, input, init, registry.pick?.());
}

function send(original: Function, input: unknown, init: unknown, dispatcher: object | undefined): Promise<unknown> {
  if (dispatcher === undefined) return Reflect.apply(original, globalThis, init === undefined ? [input] : [input, init]) as Promise<unknown>;
  const raised = new WeakSet<object>();
  const sent = Reflect.apply(original, globalThis, [input, { ...(init as object | undefined), dispatcher: noticingRaised(dispatcher as Dispatcher, raised) }]) as Promise<unknown>;
  return sent.catch((error: unknown) => {
    const cause = (error as { cause?: unknown } | null)?.cause;
    throw typeof cause === "object" && cause !== null && raised.has(cause) ? cause : error;
  });
}

/**
 * `dispatcher`, adding to `raised` every error it throws or reports to the request's handler
 * while its dispatch() runs (see the module's comment). Node's fetch reports through `onError`
 * (undici 6) or `onResponseError(controller, error)` (undici 7).
 */
function noticingRaised(dispatcher: Dispatcher, raised: WeakSet<object>): object {
  const note = (error: unknown) => {
    if (typeof error === "object" && error !== null) raised.add(error);
  };
  return new Proxy(dispatcher, {
    get(target, key) {
      const value = Reflect.get(target, key, target) as unknown;
      if (key !== "dispatch") return typeof value === "function" ? (value as Function).bind(target) : value;
      return (options: object, handler: Record<string | symbol, unknown>) => {
        let dispatching = true;
        const noticing = new Proxy(handler, {
          get(inner, name) {
            const member = Reflect.get(inner, name, inner) as unknown;
            if (typeof member !== "function") return member;
            if (name !== "onError" && name !== "onResponseError") return (member as Function).bind(inner);
            return (...args: unknown[]) => {
              if (dispatching) note(name === "onError" ? args[0] : args[1]);
              return Reflect.apply(member as Function, inner, args);
            };
          },
        });
        try {
          return target.dispatch(options, noticing);
        } catch (error) {
          note(error);
          throw error;
        } finally {
          dispatching = false;
        }
      };
    },
  });
}

/** Where Node's undici keeps its global dispatcher (a symbol all undici versions share). */
const GLOBAL_DISPATCHER = Symbol.for("undici.globalDispatcher.1");

/** The dispatcher Node's fetch would use: the current one, else Node's global one, which Node
 * makes at its first fetch (a data URL's, which goes nowhere, when no fetch was made yet). */
async function nodeDispatcher(original: Function): Promise<Dispatcher> {
  const current = registry.pick?.();
  if (current !== undefined) return current as Dispatcher;
  const global = globalThis as Record<symbol, unknown>;
  if (global[GLOBAL_DISPATCHER] === undefined) await (Reflect.apply(original, globalThis, ["data:,"]) as Promise<Response>).then((response) => response.arrayBuffer());
  return global[GLOBAL_DISPATCHER] as Dispatcher;
}

interface Dispatcher {
  dispatch(options: object, handler: unknown): boolean;
}

/** `base`, sending each request with the runtime's method where Node's fetch has its stand-in. */
function sendingRuntimeMethods(base: Dispatcher): object {
  return new Proxy(base, {
    get(target, key) {
      const value = Reflect.get(target, key, target) as unknown;
      if (key !== "dispatch") return typeof value === "function" ? (value as Function).bind(target) : value;
      return (options: { method?: string }, handler: unknown) => target.dispatch({ ...options, method: runtimeMethod(options.method ?? "GET") }, handler);
    },
  });
}

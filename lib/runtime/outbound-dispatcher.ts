/**
 * Where outbound fetch() goes after the runtime's own conversion of the request (the global
 * fetch() of Worker code, object code and tests: host-apis.ts): to Node's fetch, unless a test
 * set an answerer that takes the request first (cloudflare:test's fetchMock, an undici MockAgent
 * that answers as Cloudflare's integration did: modules/test/mock-agent-fetch.ts).
 */
import { isStandIn, nodeMethod, runtimeMethod } from "./method-stand-ins.js";
import { processShared } from "../util/process-shared.js";

/**
 * Answers one outbound fetch() in Node's place, or returns undefined to leave it to Node's fetch;
 * `network` sends a request on to Node's fetch (what the answerer does not answer itself).
 */
export type OutboundAnswerer = (input: unknown, init: unknown, network: (input: unknown, init: unknown) => Promise<unknown>) => Promise<unknown> | undefined;

interface Registry {
  answerer?: OutboundAnswerer;
}

// On globalThis under a registered symbol: the copy of durasim the tests import (the Jest
// preset's) and the one whose fetch() Worker code calls must agree.
const registry = processShared<Registry>("outboundAnswerer", () => ({}));

/** Makes fetch() offer each request to `answerer` before Node's fetch. */
export function setOutboundAnswerer(answerer: OutboundAnswerer): void {
  registry.answerer = answerer;
}

/** The answerer's response to a request, or undefined when none is set or it leaves the request to `network`. */
export function answeredOutbound(input: unknown, init: unknown, network: (input: unknown, init: unknown) => Promise<unknown>): Promise<unknown> | undefined {
  return registry.answerer?.(input, init, network);
}

/** Sends a request through the answerer, if one is set and takes it, else through Node's fetch (`original`). */
export function fetchThroughDispatcher(original: Function, input: unknown, init: unknown): Promise<unknown> {
  const network = (given: unknown, givenInit: unknown) => sentByNode(original, given, givenInit);
  return answeredOutbound(input, init, network) ?? network(input, init);
}

/** Node's fetch of the request. A request whose method is a stand-in (method-stand-ins.ts) goes
 * through a dispatcher that sends the runtime's method instead. */
function sentByNode(original: Function, input: unknown, init: unknown): Promise<unknown> {
  if (isStandIn((init as { method?: string } | undefined)?.method ?? (input instanceof Request ? nodeMethod(input.method) : undefined))) {
    return nodeDispatcher(original).then((base) => Reflect.apply(original, globalThis, [input, { ...(init as object | undefined), dispatcher: sendingRuntimeMethods(base) }]) as Promise<unknown>);
  }
  return Reflect.apply(original, globalThis, init === undefined ? [input] : [input, init]) as Promise<unknown>;
}

/** Where Node's undici keeps its global dispatcher (a symbol all undici versions share). */
const GLOBAL_DISPATCHER = Symbol.for("undici.globalDispatcher.1");

/** The dispatcher Node's fetch would use: Node's global one, which Node makes at its first
 * fetch (a data URL's, which goes nowhere, when no fetch was made yet). */
async function nodeDispatcher(original: Function): Promise<Dispatcher> {
  const global = globalThis as Record<symbol, unknown>;
  if (global[GLOBAL_DISPATCHER] === undefined) await (Reflect.apply(original, globalThis, ["data:,"]) as Promise<Response>).then((response) => response.arrayBuffer());
  return global[GLOBAL_DISPATCHER] as Dispatcher;
}

interface Dispatcher {
  dispatch(options: { method?: string }, handler: unknown): boolean;
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

/**
 * Miniflare's `outboundService` options, under the Vitest plugin: what answers a Worker's
 * `fetch()`. With Cloudflare's plugin the tests run in the main Worker's global scope, so its
 * outbound service answers the tests' `fetch()` as well as the Worker's, and an auxiliary
 * Worker's own `outboundService` answers that Worker's. Here the tests and every Worker share
 * the test file's global scope, so `globalThis.fetch` is replaced while a file runs by a router
 * that asks which Worker's code is calling (code-context.ts): an auxiliary Worker with a
 * service of its own gets it; every other caller gets the main Worker's (an auxiliary Worker
 * without one too, which under Cloudflare's plugin reaches the network), or, without one, the
 * fetch that was there before. A service is a function kept in the main process (its marker:
 * host-call.ts calls it, and a throw is Miniflare's 500) or a Worker of the emulator, by name.
 * An active `fetchMock` of cloudflare:test answers first, as it did under Cloudflare's plugin,
 * where it sat in the tests' fetch() and only what it let through reached the network, and so
 * the outbound service.
 */
import type { Emulator } from "../../emulator.js";
import { runningWorkerEnv } from "../../runtime/code-context.js";
import { answeredOutbound } from "../../runtime/outbound-dispatcher.js";
import { hostFunctionId } from "../host-function-marker.js";
import type { HostFunctionResolver } from "../emulator-options.js";

type Outbound = (request: Request) => Promise<Response>;

/**
 * Routes `globalThis.fetch` to the services (`main`: the main Worker's, if any; `workers`: the
 * auxiliary Workers', by name); returns what puts the previous fetch back.
 */
export function installOutboundServices(
  main: unknown,
  workers: Record<string, unknown>,
  hostFunction: HostFunctionResolver,
  emulator: Emulator,
): () => void {
  const previous = globalThis.fetch;
  // Each service is looked up now: a name no Worker has fails the file, naming the Workers.
  const fallback: Outbound | undefined = main !== undefined ? serviceCall(main, hostFunction, emulator) : undefined;
  const byWorker = new Map<object, Outbound>(
    Object.entries(workers).map(([name, service]) => [emulator.getEnv(name), serviceCall(service, hostFunction, emulator)]),
  );
  const outbound = (input: Request | string | URL, init?: RequestInit) => {
    const env = byWorker.size === 0 ? undefined : runningWorkerEnv();
    const service = (env !== undefined ? byWorker.get(env) : undefined) ?? fallback;
    // (The fetch that was there before offers the request to fetchMock itself.)
    if (service === undefined) return previous(new Request(input, init));
    const send = (given: unknown, givenInit: unknown) => service(new Request(given as Request, givenInit as RequestInit | undefined));
    return (answeredOutbound(input, init, send) ?? send(input, init)) as Promise<Response>;
  };
  globalThis.fetch = outbound as typeof fetch;
  return () => {
    // A test that replaced fetch itself (vi.stubGlobal, a spy not restored) keeps its own.
    if (globalThis.fetch === outbound) globalThis.fetch = previous;
  };
}

function serviceCall(service: unknown, hostFunction: HostFunctionResolver, emulator: Emulator): Outbound {
  const id = hostFunctionId(service);
  return id !== undefined ? hostFunction(id) : emulator.getWorker(service as string).fetch;
}

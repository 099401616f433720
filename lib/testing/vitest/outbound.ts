/**
 * Miniflare's `outboundService` of the main Worker, under the Vitest plugin. With Cloudflare's
 * plugin the tests run in the main Worker's global scope, so its outbound service answers the
 * tests' `fetch()` as well as the Worker's; here the tests and every Worker share the test
 * file's global scope, so `globalThis.fetch` goes to the service while a file runs (an
 * auxiliary Worker's `fetch()` too, which under Cloudflare's plugin reaches the network). The
 * service is a function kept in the main process (its marker: host-call.ts calls it, and a
 * throw is Miniflare's 500) or a Worker of the emulator, by name.
 */
import type { Emulator } from "../../emulator.js";
import { hostFunctionId } from "../host-function-marker.js";
import type { HostFunctionResolver } from "../emulator-options.js";

/** Routes `globalThis.fetch` to the service; returns what puts the previous fetch back. */
export function installOutboundService(service: unknown, hostFunction: HostFunctionResolver, emulator: Emulator): () => void {
  const id = hostFunctionId(service);
  // A Worker named is looked up now: a name no Worker has fails the file, naming the Workers.
  const call = id !== undefined ? hostFunction(id) : emulator.getWorker(service as string).fetch;
  const previous = globalThis.fetch;
  const outbound = (input: Request | string | URL, init?: RequestInit) => call(new Request(input, init));
  globalThis.fetch = outbound as typeof fetch;
  return () => {
    // A test that replaced fetch itself (vi.stubGlobal, a spy not restored) keeps its own.
    if (globalThis.fetch === outbound) globalThis.fetch = previous;
  };
}

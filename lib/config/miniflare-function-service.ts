/**
 * A Miniflare service written as a function (`serviceBindings: { NAME: (request, mf) => response }`)
 * is called as Miniflare 4 calls it: with the request and Miniflare's instance (the front door's
 * own, `durasim/miniflare`; elsewhere what the integration gives), and whatever it throws, and
 * whatever it returns that cannot be made a Response, reaches the Worker as a 500 response whose
 * body is the error's stack (or message), never as a rejected fetch(). A result that is not a
 * Response is read as one (`new Response(result.body, result)`), as Miniflare does with another
 * realm's Response. A WebSocket response (status 101) whose socket is another implementation's
 * (Miniflare's WebSocketPair, say) reaches the Worker as a Workers WebSocket joined to it.
 * A service written for Node (`{ node: (req, res, mf) => ... }`) answers through Node's own
 * request and response objects (bindings/services/node-service.ts).
 */
import { errorText, isNodeService, nodeService } from "../bindings/services/node-service.js";
import { asWorkersWebSocketResponse } from "../bindings/services/web-socket-peer.js";

export type FunctionService = (request: Request, instance?: unknown) => unknown;

/** The function (or `{ node }` service) wrapped to answer as Miniflare's loopback does; `instance` is its second argument. */
export function miniflareFunctionService(service: FunctionService | { node: unknown }, instance?: unknown): (request: Request) => Promise<Response> {
  if (isNodeService(service)) return nodeService(service.node, instance);
  return (request) => callFunctionService(service as FunctionService, request, instance);
}

export async function callFunctionService(service: FunctionService, request: Request, instance?: unknown): Promise<Response> {
  try {
    const result: unknown = await service(request, instance);
    if ((result as { webSocket?: unknown })?.webSocket != null) return asWorkersWebSocketResponse(result as Response);
    if (result instanceof Response) return result;
    const foreign = result as Response;
    return new Response(foreign.body, foreign);
  } catch (error) {
    return new Response(errorText(error), { status: 500 });
  }
}

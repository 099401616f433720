import { withBody } from "../runtime/websockets/response.js";

/**
 * A Worker's response as Node code reads it through Miniflare: when the Worker's body stream
 * fails part way, workerd logs the error and ends the HTTP response it was writing, so
 * undici's reads end there too: `text()` resolves with what arrived, where the body inside
 * durasim fails with the error. A read the caller's own signal ends still fails with its
 * reason (the runtime's endsOnAbort), as undici's does. The error is logged, as workerd logs it
 * ("Uncaught exception"), so it is not lost.
 */
export function endingWhereItFails(response: Response, signal: AbortSignal | undefined): Response {
  if (response.body === null) return response;
  const reader = response.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      let next: Awaited<ReturnType<typeof reader.read>>;
      try {
        next = await reader.read();
      } catch (error) {
        if (signal?.aborted === true) return controller.error(error);
        console.error("durasim: a Worker's response body failed as it was sent (Miniflare ends the body there, and so does durasim):", error);
        return controller.close();
      }
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return withBody(response, body);
}

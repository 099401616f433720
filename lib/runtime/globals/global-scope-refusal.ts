import { evaluatesWorkerModules } from "../code-context.js";

/**
 * The runtime's refusal of I/O, timers and random values while a Worker's modules are evaluated
 * (its global scope, outside any handler, has no I/O context): setTimeout/setInterval,
 * crypto.getRandomValues/randomUUID, AbortSignal.timeout(), new WebSocketPair(), a Response or
 * Request made with a body other than a stream, Response.json() and Response.redirect(). Each refuses once its arguments have passed its own
 * checks, as the runtime asks for the I/O context last. Test code is never refused: durasim
 * marks only the evaluation of modules it loads itself (code-context.ts, asWorkerModuleEvaluation).
 */
export function refuseInGlobalScope(): void {
  if (evaluatesWorkerModules()) {
    throw new Error(
      "Disallowed operation called within global scope. Asynchronous I/O (ex: fetch() or connect()), setting a timeout, and generating random values are not allowed within global scope. To fix this error, perform this operation within a handler. https://developers.cloudflare.com/workers/runtime-apis/handlers/",
    );
  }
}

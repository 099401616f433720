import { eventFailed } from "./execution-context.js";
import { inCodeRealm } from "../../util/code-realm.js";
import { currentIoContext } from "../io-context.js";
import { retryWasRefused, type ScheduledController } from "../fetcher-events/scheduled-controller.js";

/**
 * Scheduled events (Cron Triggers) as a Worker's `scheduled()` handler receives them: a
 * ScheduledController (fetcher-events/scheduled-controller.ts). A Fetcher's `scheduled(options)`
 * sends one; it exists only for Workers with the experimental
 * compatibility flag service_binding_extra_handlers (Cloudflare's test tooling has tests enable
 * it to drive cron handlers). Rule, as workerd has it: the event's outcome waits for the
 * handler and for every `ctx.waitUntil()` promise; the caller gets `{ outcome, noRetry }` and
 * never the handler's exception ("exception" instead; no handler at all: "exception" with
 * noRetry). Bad options reject before anything runs.
 */

/** What the caller of a Fetcher's `scheduled()` receives. */
export interface ScheduledResult {
  outcome: "ok" | "exception";
  noRetry: boolean;
}

const NO_HANDLER =
  "Received a ScheduledEvent but we lack a handler for ScheduledEvents (a.k.a. Cron Triggers). Did you remember to export a scheduled() function?";

/**
 * Runs one scheduled event: `handler` (undefined when the entrypoint has none), then every
 * promise in `waitUntil` (including ones added meanwhile), into the runtime's result.
 * `worker` names the Worker in the log line an uncaught exception gets.
 */
export async function runScheduledEvent(
  worker: string,
  controller: ScheduledController,
  handler: ((controller: ScheduledController) => unknown) | undefined,
  waitUntil: readonly unknown[],
): Promise<ScheduledResult> {
  if (handler === undefined) {
    console.error(NO_HANDLER);
    return inCodeRealm({ outcome: "exception", noRetry: true });
  }
  const event = currentIoContext() ?? controller;
  const failed = await eventFailed(worker, "scheduled", () => handler(controller), waitUntil);
  return inCodeRealm({ outcome: failed ? "exception" : "ok", noRetry: retryWasRefused(event) });
}

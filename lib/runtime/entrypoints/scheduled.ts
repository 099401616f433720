import { types } from "node:util";
import { eventFailed } from "./execution-context.js";
import { inCodeRealm } from "../../util/code-realm.js";
import { currentIoContext } from "../io-context.js";
import { defineInterface, defineReadOnlyFields, site, toDate, toDictionary, toIdlString } from "../../util/webidl.js";

/**
 * Scheduled events (Cron Triggers) as a Worker's `scheduled()` handler receives them: a
 * ScheduledController with read-only own `cron` and `scheduledTime` and a `noRetry()` method.
 * A Fetcher's `scheduled(options)` sends one; it exists only for Workers with the experimental
 * compatibility flag service_binding_extra_handlers (Cloudflare's test tooling has tests enable
 * it to drive cron handlers). Rule, as workerd has it: the event's outcome waits for the
 * handler and for every `ctx.waitUntil()` promise; the caller gets `{ outcome, noRetry }` and
 * never the handler's exception ("exception" instead; no handler at all: "exception" with
 * noRetry). Bad options reject before anything runs.
 */

const SCHEDULED = site("Fetcher", "scheduled");

/** Only createScheduledController() constructs controllers; `new` from user code is refused. */
const CONSTRUCT = Symbol("construct");

/**
 * The events whose code called noRetry(). The runtime marks the event running the call, not the
 * controller: a controller kept from an earlier event marks the event that uses it. Code that
 * runs in no event (a test calling a handler with cloudflare:test's controller) marks the controller.
 */
const retryRefused = new WeakSet<object>();

export class ScheduledController {
  declare readonly cron: string;
  declare readonly scheduledTime: number;
  readonly #brand = true;

  constructor(flag: unknown, scheduledTime: number, cron: string) {
    if (flag !== CONSTRUCT) throw new TypeError("Illegal constructor");
    // Own, enumerable, read-only; in the order the runtime lists them.
    defineReadOnlyFields(this, { cron, scheduledTime });
  }

  noRetry(): void {
    retryRefused.add(currentIoContext() ?? this);
  }

  static {
    defineInterface(this, "ScheduledController", (value) => typeof value === "object" && value !== null && #brand in value);
  }
}

export function createScheduledController(scheduledTime: number, cron: string): ScheduledController {
  return new ScheduledController(CONSTRUCT, scheduledTime, cron);
}

/** A Fetcher's `scheduled()` options (WebIDL's ScheduledOptions) as a controller; throws the runtime's TypeErrors. */
export function controllerFromOptions(options: unknown): ScheduledController {
  const given = toDictionary<{ scheduledTime: unknown; cron: unknown }>(SCHEDULED, options, 1, "ScheduledOptions");
  const time = given?.scheduledTime;
  if (time !== undefined && typeof time !== "number" && !types.isDate(time)) {
    throw new TypeError("Incorrect type for the 'scheduledTime' field on 'ScheduledOptions': the provided value is not of type 'date'.");
  }
  const cron = given?.cron;
  return createScheduledController(time === undefined ? Date.now() : toDate(SCHEDULED, time, 1), cron === undefined ? "" : toIdlString(cron));
}

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
  return inCodeRealm({ outcome: failed ? "exception" : "ok", noRetry: retryRefused.has(event) });
}

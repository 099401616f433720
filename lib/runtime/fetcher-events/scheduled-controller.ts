import { types } from "node:util";
import { currentIoContext } from "../io-context.js";
import { defineInterface, defineReadOnlyFields, site, toDate, toDictionary, toIdlString } from "../../util/webidl.js";

/**
 * What a Fetcher's `scheduled(options)` sends: a ScheduledController with read-only own `cron`
 * and `scheduledTime` and a `noRetry()` method, converted from the options as the runtime does
 * before any event runs (its TypeErrors come from here, for service bindings and, with
 * service_binding_extra_handlers, Durable Object stubs alike). Running the event is
 * entrypoints/scheduled.ts's.
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

/** Whether code of `event` (its I/O context, or the controller itself outside any event) called noRetry(). */
export function retryWasRefused(event: object): boolean {
  return retryRefused.has(event);
}

import { defineInterface, defineReadOnlyFields, requireArgument, site, toIdlString } from "../../util/webidl.js";
import { currentWorkerEvent, runsEmulatedCode } from "../code-context.js";

/**
 * The runtime's `navigator`, for the Worker's own modules, and under the test runners and
 * durasim/register for the whole process (modules/process-navigator.ts): code tells the Workers
 * runtime apart by its user agent
 * (`navigator.userAgent === "Cloudflare-Workers"`), where Node 21 and newer answer "Node.js/<n>"
 * and Node 20 has no navigator at all. Its fields are own, read-only and enumerable (so
 * JSON.stringify shows them), in the runtime's order; `sendBeacon()` POSTs the body with the
 * global fetch() and answers true, leaving the request's outcome to nobody, as the runtime does;
 * as there, a Worker event lasts until the beacon's response has arrived (its fetch() is
 * `waitUntil` work), since a request still in flight when its event ends is cancelled
 * (host-apis.ts), and outside any event (a module's top level) it sends nothing and answers false.
 */

const AT_BEACON = site("Navigator", "sendBeacon");

class NavigatorImpl {
  constructor() {
    defineReadOnlyFields(this, {
      languages: ["en"],
      language: "en",
      platform: "",
      hardwareConcurrency: 1,
      userAgent: "Cloudflare-Workers",
    });
  }

  sendBeacon(): boolean {
    requireArgument(AT_BEACON, arguments.length, 1, "string");
    const url = toIdlString(arguments[0]);
    // No I/O outside an event (a module's top level): the runtime sends nothing and says so.
    if (!runsEmulatedCode()) return false;
    const body = arguments[1] as RequestInit["body"];
    const sent = globalThis.fetch(url, { method: "POST", body }).then(
      (response) => response.body?.cancel(),
      () => undefined,
    );
    currentWorkerEvent()?.waitUntil(sent);
    return true;
  }
}

export const Navigator = defineInterface(NavigatorImpl, "Navigator", (value) => value instanceof NavigatorImpl);

export const navigator = new NavigatorImpl();

import { defineInterface, defineReadOnlyFields, requireArgument, site, toIdlString } from "../../util/webidl.js";

/**
 * The runtime's `navigator`, for the Worker's own modules (packages under node_modules keep
 * Node's): code tells the Workers runtime apart by its user agent
 * (`navigator.userAgent === "Cloudflare-Workers"`), where Node 21 and newer answer "Node.js/<n>"
 * and Node 20 has no navigator at all. Its fields are own, read-only and enumerable (so
 * JSON.stringify shows them), in the runtime's order; `sendBeacon()` POSTs the body with the
 * global fetch() and answers true, leaving the request's outcome to nobody, as the runtime does.
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
    const body = arguments[1] as RequestInit["body"];
    globalThis.fetch(url, { method: "POST", body }).then(
      (response) => response.body?.cancel(),
      () => undefined,
    );
    return true;
  }
}

export const Navigator = defineInterface(NavigatorImpl, "Navigator", (value) => value instanceof NavigatorImpl);

export const navigator = new NavigatorImpl();

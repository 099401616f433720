// Every way into a fetch() handler gives it the same Request: Worker code's class (conformance
// "received requests: ..." for stub.fetch()), whether it comes through the front door
// (emu.dispatchFetch(), getWorker().fetch(), cloudflare:test's SELF), a service binding or a
// Durable Object stub: no browser members, no cache mode, a fetcher, headers as HTTP carries them.
import { describe, expect, it } from "vitest";
import { SELF, useEmulator } from "../../lib/modules/test/index.js";
import { DurableObject } from "../../lib/modules/workers.js";
import { emulator } from "../helpers.js";

/** The prototype of each Request a handler got, and of its clone. */
const prototypes: object[] = [];

/** What a handler sees of its Request, as JSON. */
function seen(request: Request): Response {
  const r = request as Request & { fetcher?: unknown };
  prototypes.push(Object.getPrototypeOf(r), Object.getPrototypeOf(r.clone()));
  let headers: string;
  try {
    r.headers.set("x-set", "1");
    headers = "mutable";
  } catch (error) {
    headers = (error as Error).message;
  }
  return Response.json({
    members: [r.cache ?? null, r.mode ?? null, r.credentials ?? null, r.destination ?? null, typeof r.fetcher, r.integrity, r.redirect],
    tag: Object.prototype.toString.call(r),
    headers,
  });
}

class Echo extends DurableObject {
  fetch(request: Request) {
    return seen(request);
  }
}

describe("a fetch() handler's Request", () => {
  it("is the same, Worker code's Request, through every entry", async () => {
    const emu = emulator({ module: { Echo, default: { fetch: seen } }, durableObjects: { ECHO: "Echo" } });
    const described = async (response: Promise<Response>) => (await response).json();
    const viaStub = await described(emu.env.ECHO.getByName("a").fetch("http://x/"));
    expect(viaStub).toEqual({ members: [null, null, null, null, "object", "", "manual"], tag: "[object Request]", headers: "Can't modify immutable headers." });
    expect(await described(emu.dispatchFetch("http://x/"))).toEqual(viaStub);
    expect(await described(emu.dispatchFetch(new Request("http://x/", { cache: "default" } as RequestInit)))).toEqual(viaStub);
    expect(await described(emu.getWorker().fetch("http://x/"))).toEqual(viaStub);
    expect(await described(emu.getService().fetch("http://x/"))).toEqual(viaStub);
    useEmulator(emu);
    try {
      expect(await described(SELF.fetch("http://x/"))).toEqual(viaStub);
    } finally {
      useEmulator(undefined);
    }
    // One class throughout, clones too: Worker code's, not the host's (Node's, with a cache mode).
    expect(new Set(prototypes).size).toBe(1);
    const [prototype] = prototypes;
    expect([prototype === globalThis.Request.prototype, prototype instanceof globalThis.Request]).toEqual([false, true]);
  });
});


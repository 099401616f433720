// emu.dispatchFetch() applies the init rules stub.fetch() applies (conformance "fetch: request
// headers, init options and cf ..."): only the cache modes "no-store" and "no-cache", each with
// the headers and cf members it sends, and the runtime's refusals as the call's rejection (not a
// 500 from the handler).
import { describe, expect, it } from "vitest";
import { DurableObject } from "../../lib/modules/workers.js";
import { type AnyStub, emulator, rejection } from "../helpers.js";

const seen = (request: Request) => Response.json({ headers: [...request.headers], cf: (request as { cf?: unknown }).cf ?? null });

class Echo extends DurableObject {
  fetch(request: Request) {
    return seen(request);
  }
}

/** An init with the members the runtime's Request takes (Node's typings lack some). */
type Init = RequestInit & { cache?: string; cf?: Record<string, unknown>; integrity?: string };

const world = () => emulator({ module: { Echo, default: { fetch: seen } }, durableObjects: { ECHO: "Echo" } });

describe("emu.dispatchFetch() and stub.fetch() take an init alike", () => {
  for (const init of [{ cache: "no-store" }, { cache: "no-cache", cf: { colo: "x" } }] as Init[]) {
    it(`sends cache: ${String(init.cache)} with its headers and cf`, async () => {
      const emu = world();
      const stub: AnyStub = emu.env.ECHO.getByName("a");
      const viaStub = await (await stub.fetch("http://x/", init)).json();
      expect(viaStub.headers).toEqual([["cache-control", "no-cache"], ["pragma", "no-cache"]]);
      expect(await (await emu.dispatchFetch("http://x/", init)).json()).toEqual(viaStub);
    });
  }

  for (const [init, message] of [
    [{ cache: "default" }, "Unsupported cache mode: default"],
    [{ cache: "no-store", cf: { cacheTtl: 5 } }, "CacheTtl: 5, is not compatible with cache: no-store header."],
    [{ integrity: "sha256-x" }, "Subrequest integrity checking is not implemented. The integrity option must be either undefined or an empty string."],
  ] as [Init, string][]) {
    it(`refuses ${JSON.stringify(init)} as stub.fetch() does`, async () => {
      const emu = world();
      expect((await rejection(emu.env.ECHO.getByName("a").fetch("http://x/", init))).message).toBe(message);
      expect((await rejection(emu.dispatchFetch("http://x/", init))).message).toBe(message);
    });
  }

  it("reads each member of the init once, in the runtime's order, as stub.fetch() does", async () => {
    const reads = async (send: (init: RequestInit) => Promise<Response>) => {
      const log: string[] = [];
      const init = new Proxy({ method: "POST", body: "b", headers: { "x-a": "1" }, cf: { colo: "x" } }, {
        get(target, key, receiver) {
          if (typeof key === "string") log.push(key);
          return Reflect.get(target, key, receiver);
        },
      });
      const seen = (await (await send(init)).json()) as { cf: unknown };
      return { log, seen };
    };
    const emu = world();
    const viaStub = await reads((init) => emu.env.ECHO.getByName("a").fetch("http://x/", init));
    expect(viaStub.log).toEqual(["method", "headers", "body", "redirect", "fetcher", "cf", "cache", "integrity", "signal", "encodeResponseBody"]);
    const viaWorker = await reads((init) => emu.getWorker().fetch("http://x/", init));
    expect(viaWorker.log).toEqual(viaStub.log);
    expect(viaWorker.seen.cf).toEqual({ colo: "x" });
  });
});

describe("a stream body test code sends is pumped as stub.fetch() pumps one (conformance 'body reader chunks: ... crosses')", () => {
  const chunks: Record<string, () => unknown> = {
    string: () => "a",
    uint16: () => new Uint16Array([0x4241]),
    dataView: () => new DataView(new Uint8Array([65]).buffer),
    arrayBuffer: () => new Uint8Array([65]).buffer,
    // Not bytes: the body the handler reads ends where it stopped, as a cut-off request's.
    number: () => 5,
  };
  const expected = { string: "0a", uint16: "0AB", dataView: "0A", arrayBuffer: "0A", number: "0" };
  const stream = (make: () => unknown) =>
    new ReadableStream({
      start(controller) {
        controller.enqueue(new Uint8Array([48]));
        controller.enqueue(make());
        controller.close();
      },
    });
  const text = async (request: Request) => new Response(await request.text());
  const front = () => emulator({ module: { Echo, default: { fetch: text } }, durableObjects: { ECHO: "Echo" } });
  const post = (make: () => unknown): RequestInit => ({ method: "POST", body: stream(make), duplex: "half" } as RequestInit);

  it("by emu.dispatchFetch() and getWorker().fetch(), in the init or as a Request of Node's", async () => {
    const emu = front();
    const got: Record<string, string[]> = {};
    for (const [kind, make] of Object.entries(chunks)) {
      got[kind] = [
        await (await emu.dispatchFetch("http://x/", post(make))).text(),
        await (await emu.dispatchFetch(new Request("http://x/", post(make)))).text(),
        await (await emu.getWorker().fetch("http://x/", post(make))).text(),
        await (await emu.getService().fetch(new Request("http://x/", post(make)))).text(),
      ];
    }
    expect(got).toEqual(Object.fromEntries(Object.entries(expected).map(([kind, body]) => [kind, [body, body, body, body]])));
  });
});

describe("redirects emu.dispatchFetch() follows as a service binding's fetch() does (fetcher-redirects.ts)", () => {
  const redirecting = { fetch: (request: Request) => (new URL(request.url).pathname === "/" ? new Response(null, { status: 307, headers: { location: "/next" } }) : new Response(request.body)) };
  const body = () => new ReadableStream({ start: (controller) => (controller.enqueue(new TextEncoder().encode("once")), controller.close()) });

  it("rejects emu.dispatchFetch() as a service binding's fetch() rejects: the body cannot be sent again", async () => {
    const emu = emulator({ module: { default: redirecting } });
    const viaBinding = await rejection(emu.getService().fetch("http://x/", { method: "POST", body: body(), duplex: "half" }));
    expect(viaBinding.message).toMatch(/^A request with a one-time-use body \(it was initialized from a stream, not a buffer\) encountered a redirect/);
    const viaFrontDoor = await rejection(emu.dispatchFetch("http://x/", { method: "POST", body: body(), duplex: "half" } as RequestInit));
    expect(viaFrontDoor.message).toBe(viaBinding.message);
  });

  it("rejects on a Location that does not parse, as a service binding does; a handler that throws on the redirected request is still a 500", async () => {
    const fetch = (request: Request) => {
      const path = new URL(request.url).pathname;
      if (path === "/throws") throw new Error("boom");
      return new Response(null, { status: 302, headers: { location: path === "/" ? "http://[" : "/throws" } });
    };
    const emu = emulator({ module: { default: { fetch } } });
    const viaBinding = await rejection(emu.getService().fetch("http://x/"));
    expect(viaBinding.message).toBe("Invalid Location header; unable to follow redirect.");
    expect((await rejection(emu.dispatchFetch("http://x/"))).message).toBe(viaBinding.message);
    expect((await emu.dispatchFetch("http://x/other")).status).toBe(500);
  });

  it("resends a buffer body, as a service binding does", async () => {
    const emu = emulator({ module: { default: redirecting } });
    const response = await emu.dispatchFetch("http://x/", { method: "POST", body: "again" });
    expect([response.redirected, await response.text()]).toEqual([true, "again"]);
  });
});

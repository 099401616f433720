/**
 * The Cache API through the `caches` global, as a user's suite meets it: a Worker caches its
 * responses, the test reads them back, time and isolation act on them as on KV. (What is
 * stored and how match() answers is pinned down against Miniflare 4 by the differential
 * scenarios in spec/miniflare-conformance/scenarios/cache.mjs.)
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { reset, useEmulator } from "../../lib/modules/test/index.js";
import type { EmulatorOptions } from "../../lib/index.js";
import { emulator } from "../helpers.js";

/** A Worker that answers `/n` from the cache, or computes `n` (counted) and caches it for 60 s. */
const CACHING_WORKER = `
let computed = 0;
export default {
  async fetch(request) {
    const cache = new URL(request.url).searchParams.has("named") ? await caches.open("named") : caches.default;
    const hit = await cache.match(request);
    if (hit) return hit;
    computed++;
    const response = new Response("computed " + computed, { headers: { "cache-control": "max-age=60" } });
    await cache.put(request, response.clone());
    return response;
  },
};`;

let made = 0;
/** Each emulator's module text is its own, so each counts from 1. */
const cachingEmulator = (options: Partial<EmulatorOptions> = {}) => emulator({ script: `${CACHING_WORKER}\n// ${made++}`, ...options } as EmulatorOptions);
const caches = () => (globalThis as unknown as { caches: { default: any; open(name: string): Promise<any> } }).caches;

async function get(emu: ReturnType<typeof cachingEmulator>, url: string): Promise<[string, string | null]> {
  const res = await emu.dispatchFetch(url);
  return [await res.text(), res.headers.get("cf-cache-status")];
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("caches.default and caches.open()", () => {
  it("keep what the Worker puts: the next request is a hit, with cf-cache-status HIT, which the test's code sees too", async () => {
    const emu = cachingEmulator();
    expect(await get(emu, "https://example.com/a")).toEqual(["computed 1", null]);
    expect(await get(emu, "https://example.com/a")).toEqual(["computed 1", "HIT"]);
    expect(await get(emu, "https://example.com/b")).toEqual(["computed 2", null]);
    const seen = await caches().default.match("https://example.com/a");
    expect([seen.status, await seen.text(), seen.headers.get("age"), seen.headers.get("cache-control")]).toEqual([200, "computed 1", "0", "max-age=60"]);
    expect(await caches().default.delete("https://example.com/a")).toBe(true);
    expect(await get(emu, "https://example.com/a")).toEqual(["computed 3", null]);
  });

  it("keep each named cache apart from the default one", async () => {
    const emu = cachingEmulator();
    expect(await get(emu, "https://example.com/x?named")).toEqual(["computed 1", null]);
    expect(await get(emu, "https://example.com/x?named")).toEqual(["computed 1", "HIT"]);
    expect(await (await caches().open("named")).match("https://example.com/x?named")).toBeDefined();
    expect(await caches().default.match("https://example.com/x?named")).toBeUndefined();
  });

  it("refuse what the runtime refuses, with its errors", async () => {
    cachingEmulator();
    const post = new Request("https://example.com/p", { method: "POST" });
    await expect(caches().default.put(post, new Response("x"))).rejects.toThrow(new TypeError("Cannot cache response to non-GET request."));
    await expect(caches().default.put("https://example.com/p", new Response("x", { status: 206 }))).rejects.toThrow(
      new TypeError("Cannot cache response to a range request (206 Partial Content)."),
    );
    await expect(caches().default.put("https://example.com/p", new Response("x", { headers: { vary: "*" } }))).rejects.toThrow(
      new TypeError("Cannot cache response with 'Vary: *' header."),
    );
  });

  it("keep nothing a shared cache may not keep: no-store, private, Set-Cookie, no lifetime", async () => {
    cachingEmulator();
    const headers: Array<Record<string, string>> = [{ "cache-control": "no-store" }, { "cache-control": "private, max-age=60" }, { "cache-control": "max-age=60", "set-cookie": "a=b" }, {}];
    for (const [i, h] of headers.entries()) await caches().default.put(`https://example.com/n${i}`, new Response("x", { headers: h }));
    for (const i of headers.keys()) expect(await caches().default.match(`https://example.com/n${i}`)).toBeUndefined();
  });
});

describe("caches in Durable Object code", () => {
  it("are the emulator's: what an object caches after an await, the Worker and the test find", async () => {
    const emu = emulator({
      script: `import { DurableObject } from "cloudflare:workers";
        export class Pages extends DurableObject {
          async render(url) {
            await this.ctx.storage.put("rendered", url);
            await caches.default.put(url, new Response("page " + url, { headers: { "cache-control": "max-age=60" } }));
          }
        }
        export default { async fetch(request) { return (await caches.default.match(request)) ?? new Response("none"); } };`,
      durableObjects: { PAGES: "Pages" },
    } as EmulatorOptions);
    await emu.env.PAGES.getByName("p").render("https://example.com/page");
    expect(await (await emu.dispatchFetch("https://example.com/page")).text()).toBe("page https://example.com/page");
    expect(await (await caches().default.match("https://example.com/page")).text()).toBe("page https://example.com/page");
  });
});

describe("cache expiry follows the emulator's clock", () => {
  it("under the manual clock, as advanceTime() moves it", async () => {
    const emu = cachingEmulator({ clock: "manual" });
    await get(emu, "https://example.com/t");
    await emu.advanceTime(59_999);
    expect(await get(emu, "https://example.com/t")).toEqual(["computed 1", "HIT"]);
    await emu.advanceTime(1);
    expect(await get(emu, "https://example.com/t")).toEqual(["computed 2", null]);
  });

  it("under fake timers", async () => {
    vi.useFakeTimers();
    const emu = cachingEmulator();
    await get(emu, "https://example.com/f");
    vi.advanceTimersByTime(59_999);
    expect(await get(emu, "https://example.com/f")).toEqual(["computed 1", "HIT"]);
    vi.advanceTimersByTime(1);
    expect(await get(emu, "https://example.com/f")).toEqual(["computed 2", null]);
  });
});

describe("cache entries and the emulator's state", () => {
  it("emu.restore() takes the caches back to the snapshot, as it does KV and R2 (the runners' isolated storage)", async () => {
    const emu = cachingEmulator();
    await get(emu, "https://example.com/kept");
    const snapshot = await emu.snapshot();
    await get(emu, "https://example.com/added");
    await get(emu, "https://example.com/added?named");
    expect(await caches().default.delete("https://example.com/kept")).toBe(true);
    await emu.restore(snapshot);
    expect(await caches().default.match("https://example.com/kept")).toBeDefined();
    expect(await caches().default.match("https://example.com/added")).toBeUndefined();
    expect(await (await caches().open("named")).match("https://example.com/added?named")).toBeUndefined();
  });

  it("cloudflare:test reset() empties every cache", async () => {
    const emu = cachingEmulator();
    useEmulator(undefined);
    await get(emu, "https://example.com/r");
    await get(emu, "https://example.com/r?named");
    await reset();
    expect(await caches().default.match("https://example.com/r")).toBeUndefined();
    expect(await (await caches().open("named")).match("https://example.com/r?named")).toBeUndefined();
  });

  it("each emulator has caches of its own, which its Worker reaches after an await too", async () => {
    const first = cachingEmulator();
    await get(first, "https://example.com/own");
    const second = cachingEmulator();
    expect(await get(second, "https://example.com/own")).toEqual(["computed 1", null]);
    expect(await get(first, "https://example.com/own")).toEqual(["computed 1", "HIT"]);
    // The older emulator's Worker, past an await, still reaches its own caches, not the newer one's.
    const late = emulator({
      script: `export default { async fetch() { await new Promise((r) => setTimeout(r, 1)); await caches.default.put("https://example.com/late", new Response("late", { headers: { "cache-control": "max-age=60" } })); await new Promise((r) => setTimeout(r, 1)); return new Response((await caches.default.match("https://example.com/late"))?.statusText ?? "none"); } };`,
    });
    cachingEmulator();
    expect(await (await late.dispatchFetch("https://example.com/")).text()).toBe("OK");
    expect(await caches().default.match("https://example.com/late")).toBeUndefined();
  });
});

describe("the cache and cacheWarnUsage options (Miniflare's)", () => {
  it("cache: false stores nothing, as on a workers.dev deployment, silently", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const emu = cachingEmulator({ cache: false });
    await get(emu, "https://example.com/off");
    expect(await get(emu, "https://example.com/off")).toEqual(["computed 2", null]);
    expect(warn).not.toHaveBeenCalled();
  });

  it("cacheWarnUsage: true warns once per cache that caching has no effect on workers.dev", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const emu = cachingEmulator({ cacheWarnUsage: true });
    for (const url of ["https://example.com/w", "https://example.com/w", "https://example.com/w?named"]) await get(emu, url);
    const message = "Cache operations will have no impact if you deploy to a workers.dev subdomain!";
    expect(warn.mock.calls).toEqual([[message], [message]]);
  });

  it("refuses a value that is not true or false", () => {
    expect(() => cachingEmulator({ cache: "yes" as unknown as boolean })).toThrow('durasim: option "cache" of Worker "worker" must be true or false, got "yes".');
  });
});

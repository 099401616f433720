import { describe, expect, it, vi } from "vitest";
import { installCacheStorage } from "../../lib/modules/cache-storage.js";
import { emulator } from "../helpers.js";

describe("the caches global the test runners install, with no emulator running", () => {
  it("stores nothing, as on workers.dev, and warns once naming the Cache API; a global caches already there is kept", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const global: { caches?: any } = {};
    installCacheStorage(global);
    const { caches } = global;
    expect(Object.getOwnPropertyDescriptor(global, "caches")).toMatchObject({ writable: true, configurable: true });
    expect(caches.default).toBe(caches.default);
    await caches.default.put("https://x/", new Response("body", { headers: { "cache-control": "max-age=60" } }));
    expect([await caches.default.match("https://x/"), await caches.default.delete("https://x/")]).toEqual([undefined, false]);
    const named = await caches.open("named");
    await named.put("https://x/", new Response("body", { headers: { "cache-control": "max-age=60" } }));
    expect(await named.match("https://x/")).toBeUndefined();
    expect(warn.mock.calls).toEqual([[expect.stringMatching(/^durasim: caches\.default and caches\.open\(\) store nothing here, as on a workers\.dev deployment: no emulator is running/)]]);
    warn.mockRestore();
    const stubbed = { caches: "mine" };
    installCacheStorage(stubbed);
    expect(stubbed.caches).toBe("mine");
  });
});

describe("Worker code the plain Emulator loads itself", () => {
  it("finds caches and URLPattern, as workerd's does, where the process had no caches", async () => {
    const global = globalThis as { caches?: unknown };
    const before = Object.getOwnPropertyDescriptor(global, "caches");
    delete global.caches;
    try {
      const emu = emulator({
        script: `export default { fetch: async () => new Response([typeof caches, typeof (await caches.open("x")), new URLPattern({ pathname: "/p/:id" }).exec("https://x/p/7").pathname.groups.id].join(" ")) };`,
      });
      vi.spyOn(console, "warn").mockImplementation(() => {});
      expect(await (await emu.dispatchFetch("https://x/")).text()).toBe("object object 7");
    } finally {
      vi.restoreAllMocks();
      if (before === undefined) delete global.caches;
      else Object.defineProperty(global, "caches", before);
    }
  });
});

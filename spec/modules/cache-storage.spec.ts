import { describe, expect, it } from "vitest";
import { installCacheStorage } from "../../lib/modules/cache-storage.js";

describe("the caches stand-in the test runners install", () => {
  it("loads code that touches caches, and fails every use naming the Cache API; a global caches already there is kept", async () => {
    const global: { caches?: any } = {};
    installCacheStorage(global);
    const { caches } = global;
    expect(Object.getOwnPropertyDescriptor(global, "caches")).toMatchObject({ writable: true, configurable: true });
    expect(caches.default).toBe(caches.default);
    const uses = [caches.default.match("https://x/"), caches.default.put("https://x/", new Response("")), caches.default.delete("https://x/"), caches.open("named")];
    for (const use of uses) await expect(use).rejects.toThrow(/^durasim does not emulate the Cache API \(caches\.default, caches\.open\(\)\)\. Stub the global in the test/);
    const stubbed = { caches: "mine" };
    installCacheStorage(stubbed);
    expect(stubbed.caches).toBe("mine");
  });
});

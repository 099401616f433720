import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

describe("Counter Worker integration", () => {
  it("should increment via HTTP POST", async () => {
    const response = await SELF.fetch("http://example.com?id=http-test", { method: "POST" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ count: 1 });
  });

  it("should use different counters for different IDs", async () => {
    await SELF.fetch("http://example.com?id=counter-a", { method: "POST" });
    await SELF.fetch("http://example.com?id=counter-a", { method: "POST" });
    await SELF.fetch("http://example.com?id=counter-b", { method: "POST" });
    const a = await (await SELF.fetch("http://example.com?id=counter-a")).json<{ count: number }>();
    const b = await (await SELF.fetch("http://example.com?id=counter-b")).json<{ count: number }>();
    expect([a.count, b.count]).toEqual([2, 1]);
  });
});

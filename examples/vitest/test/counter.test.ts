import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";

describe("Counter Durable Object", () => {
  it("should increment the counter", async () => {
    const stub = env.COUNTER.getByName("test-counter");
    expect(await stub.increment()).toBe(1);
    expect(await stub.increment()).toBe(2);
    expect(await stub.increment()).toBe(3);
    // Another stub for the same name reaches the same object and its storage.
    expect(await env.COUNTER.getByName("test-counter").getCount()).toBe(3);
  });

  it("should start each test with empty storage", async () => {
    // Per-test isolation (the default): the previous test's increments are undone.
    const stub = env.COUNTER.getByName("test-counter");
    expect(await stub.getCount()).toBe(0);
  });
});

import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";

describe("Counter Durable Object", () => {
  it("should increment the counter", async () => {
    const stub = env.COUNTER.getByName("test-counter");
    expect(await stub.increment()).toBe(1);
    expect(await stub.increment()).toBe(2);
    expect(await stub.increment()).toBe(3);
  });

  it("should persist storage within a test file", async () => {
    const stub = env.COUNTER.getByName("test-counter");
    expect(await stub.getCount()).toBe(3);
  });
});

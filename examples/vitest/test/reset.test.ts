import { env, listDurableObjectIds, reset } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";

// Storage is per file; reset() between tests gives each test a clean slate.
afterEach(async () => {
  await reset();
});

describe("reset()", () => {
  it("starts with objects", async () => {
    await env.COUNTER.getByName("first").increment();
    await env.COUNTER.getByName("second").increment();
    expect(await listDurableObjectIds(env.COUNTER)).toHaveLength(2);
  });

  it("sees none after a reset", async () => {
    expect(await listDurableObjectIds(env.COUNTER)).toHaveLength(0);
    expect(await env.COUNTER.getByName("first").getCount()).toBe(0);
  });
});

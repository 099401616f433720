import { env } from "cloudflare:test";
import { expect, it } from "vitest";

// isolation: "file" — the tests of a file share its storage, in order (as under Cloudflare's
// plugin); the next file starts afresh.
it("should increment the counter", async () => {
  expect(await env.COUNTER.getByName("test-counter").increment()).toBe(1);
  await env.CACHE.put("written", "by the first test");
});

it("should persist storage within a test file", async () => {
  expect(await env.COUNTER.getByName("test-counter").getCount()).toBe(1);
  expect(await env.CACHE.get("written")).toBe("by the first test");
});

import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../src";

describe("ctx.exports", () => {
  it("createExecutionContext() carries the Worker's exports, as production's ctx does", async () => {
    const ctx = createExecutionContext();
    expect(await ctx.exports.Greeter.greet("Ada")).toBe("Hello, Ada!");
  });

  it("a handler called directly uses ctx.exports", async () => {
    const ctx = createExecutionContext();
    const response = await worker.fetch(new Request("https://example.com/greet?name=Ada"), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(await response.text()).toBe("Welcome, Ada!");
  });

  it("reaches Durable Object classes as namespaces", async () => {
    const ctx = createExecutionContext();
    expect(await ctx.exports.Counter.getByName("via-exports").increment()).toBe(1);
    expect(await env.COUNTER.getByName("via-exports").getCount()).toBe(1);
  });
});

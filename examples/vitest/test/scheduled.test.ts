import { createExecutionContext, createScheduledController, env, SELF, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../src";

describe("scheduled handler", () => {
  it("runs as a unit: call the handler, then wait for its waitUntil work", async () => {
    const controller = createScheduledController({ scheduledTime: new Date(1000), cron: "30 * * * *" });
    const ctx = createExecutionContext();
    await worker.scheduled(controller, env, ctx);
    await waitOnExecutionContext(ctx);
    expect(await env.COUNTER.getByName("cron").getCount("30 * * * *")).toBe(1);
  });

  it("runs as a scheduled event sent to the Worker (compatibility flag service_binding_extra_handlers)", async () => {
    // The event's outcome waits for the handler and its waitUntil promises.
    const result = await SELF.scheduled({ scheduledTime: new Date(1000), cron: "*/5 * * * *" });
    expect(result.outcome).toBe("ok");
    expect(await env.COUNTER.getByName("cron").getCount("*/5 * * * *")).toBe(1);
  });
});

import { createExecutionContext, createMessageBatch, env, getQueueResult, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../src";

const messages = [
  { id: "a", timestamp: new Date(1000), attempts: 1, body: "build" },
  { id: "b", timestamp: new Date(1000), attempts: 1, body: "fail" },
];

describe("queue handler", () => {
  it("runs as a unit: call the handler with a batch, then read what it decided", async () => {
    const batch = createMessageBatch("jobs", messages);
    const ctx = createExecutionContext();
    await worker.queue(batch, env);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual(["a"]);
    expect(result.retryMessages).toEqual([{ msgId: "b" }]);
    expect(await env.COUNTER.getByName("jobs").getCount("build")).toBe(1);
  });

  it("runs as a queue event sent to the Worker (compatibility flag service_binding_extra_handlers)", async () => {
    // The result reports each message's ack or retry, and the outcome of the handler.
    const result = await SELF.queue("jobs", messages);
    expect(result.outcome).toBe("ok");
    expect(result.ackAll).toBe(false);
    expect(result.explicitAcks).toEqual(["a"]);
    expect(result.retryMessages).toEqual([{ msgId: "b", delaySeconds: 30 }]);
    expect(await env.COUNTER.getByName("jobs").getCount("build")).toBe(1);
  });
});

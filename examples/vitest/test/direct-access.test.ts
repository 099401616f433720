import { env, listDurableObjectIds, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { Counter } from "../src";

describe("Direct Durable Object access", () => {
  it("can access instance internals and storage", async () => {
    const id = env.COUNTER.idFromName("direct-test");
    const stub = env.COUNTER.get(id);
    await stub.increment();
    await stub.increment();
    await runInDurableObject(stub, async (instance: Counter, state) => {
      expect(instance).toBeInstanceOf(Counter);
      const result = state.storage.sql.exec<{ value: number }>("SELECT value FROM counters WHERE name = ?", "default").one();
      expect(result.value).toBe(2);
    });
  });

  it("can list all Durable Object IDs in a namespace", async () => {
    const id = env.COUNTER.idFromName("listed");
    await env.COUNTER.get(id).increment();
    const ids = await listDurableObjectIds(env.COUNTER);
    expect(ids.length).toBe(1);
    expect(ids[0].equals(id)).toBe(true);
  });
});

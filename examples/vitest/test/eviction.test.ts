import { env, evictAllDurableObjects, evictDurableObject, runInDurableObject } from "cloudflare:test";
import { expect, it } from "vitest";
import { Counter } from "../src";

it("eviction drops the instance and keeps storage", async () => {
  const stub = env.COUNTER.getByName(`evict-${crypto.randomUUID()}`);
  await stub.increment();
  const before = await runInDurableObject(stub, (instance: Counter) => instance);

  await evictDurableObject(stub);

  // A new instance, on the same storage
  const after = await runInDurableObject(stub, (instance: Counter) => instance);
  expect(after).not.toBe(before);
  expect(await stub.increment()).toBe(2);
});

it("evicting an object that is not running rejects", async () => {
  const stub = env.COUNTER.getByName(`idle-${crypto.randomUUID()}`);
  await expect(evictDurableObject(stub)).rejects.toThrow("Cannot evict Durable Object: it is not currently running.");
  await stub.increment();
  await evictAllDurableObjects();
  await expect(evictDurableObject(stub)).rejects.toThrow("it is not currently running");
});

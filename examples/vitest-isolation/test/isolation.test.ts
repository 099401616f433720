import { env, listDurableObjectIds, runInDurableObject, usage } from "cloudflare:test";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";

// Written in order: each test checks that the writes of the ones before it were undone.
// A stub made once serves every test: restoring the state does not break it.
const shared = env.COUNTER.getByName("shared");

beforeAll(async () => {
  await env.COUNTER.getByName("seeded").increment();
});

describe("per-test isolation", () => {
  beforeEach(async () => {
    await env.COUNTER.getByName("each").increment();
  });

  it("sees the file's beforeAll writes and its own beforeEach", async () => {
    expect(await env.COUNTER.getByName("seeded").getCount()).toBe(1);
    expect(await env.COUNTER.getByName("each").getCount()).toBe(1);
    await env.COUNTER.getByName("test-1").increment();
    await env.CACHE.put("key", "from test 1");
    await env.COUNTER.getByName("seeded").scheduleReset(60_000);
    expect(await shared.increment()).toBe(1);
  });

  it("starts again from the state after the beforeAll hooks", async () => {
    // Usage counts from the start of the test: its beforeEach's one call, not the tests' before.
    expect(usage().requests.rpc).toBe(1);
    expect(usage(env.COUNTER.getByName("each")).requests.rpc).toBe(1);
    expect(await env.COUNTER.getByName("each").getCount()).toBe(1);
    expect(await env.COUNTER.getByName("test-1").getCount()).toBe(0);
    expect(await env.CACHE.get("key")).toBe(null);
    expect(await runInDurableObject(env.COUNTER.getByName("seeded"), (_i, state) => state.storage.getAlarm())).toBe(null);
    expect(await shared.increment()).toBe(1);
    // Four calls on stubs (runInDurableObject is not a request): within a budget of 4, not of 3.
    expect(usage()).toStayWithin({ requests: 4 });
    expect(usage()).not.toStayWithin({ requests: 3 });
  });

  describe("a nested suite", () => {
    beforeAll(async () => {
      await env.COUNTER.getByName("nested").increment();
    });

    it("keeps its own beforeAll writes for its tests", async () => {
      expect(await env.COUNTER.getByName("nested").getCount()).toBe(1);
      await env.COUNTER.getByName("nested").increment();
    });

    it("and undoes its tests' writes", async () => {
      expect(await env.COUNTER.getByName("nested").getCount()).toBe(1);
    });
  });

  it("counts a timer the object's code set as holding it awake, until the object clears it", async () => {
    // Code loaded by the test runner (a Worker module, this callback) sets timers on the test
    // file's own global object, which under Jest is not the process's. The timer outlives the
    // event, so the wait below is the timer's alone, however long the event took to end.
    const stub = env.COUNTER.getByName("timer");
    let timer: ReturnType<typeof setTimeout> | undefined;
    await runInDurableObject(stub, () => {
      timer = setTimeout(() => {}, 60_000);
    });
    const pause = () => new Promise((resolve) => setTimeout(resolve, 20)); // set outside the object: not its timer
    await pause();
    expect(usage(stub).duration.heldBy.timers).toBeGreaterThan(0);
    await runInDurableObject(stub, () => clearTimeout(timer));
    const held = usage(stub).duration.heldBy.timers;
    await pause();
    expect(usage(stub).duration.heldBy.timers).toBe(held);
  });

  it("undoes a suite's beforeAll writes after the suite", async () => {
    expect(await env.COUNTER.getByName("nested").getCount()).toBe(0);
    const ids = (await listDurableObjectIds(env.COUNTER)).map(String).sort();
    const expected = ["seeded", "each", "nested"].map((name) => env.COUNTER.idFromName(name).toString()).sort();
    expect(ids).toEqual(expected);
  });
});

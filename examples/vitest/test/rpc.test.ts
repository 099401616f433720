import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";

describe("RPC", () => {
  it("receives an RpcTarget over RPC and calls it", async () => {
    const stub = env.COUNTER.getByName("rpc-test");
    const handle = await stub.handle("clicks");
    expect(await handle.increment()).toBe(1);
    expect(await handle.increment()).toBe(2);
    expect(await handle.value).toBe(2);
    expect(await stub.getCount("clicks")).toBe(2);
    // Stubs received over RPC are disposable, as in the runtime (`using` does this for you).
    handle[Symbol.dispose]();
  });

  it("sends and receives objects", async () => {
    const stub = env.COUNTER.getByName("rpc-objects");
    expect(await stub.incrementAll({ names: ["a", "b", "a"] })).toEqual({ counts: { a: 2, b: 1 } });
  });

  it("pipelines a call on a result that has not arrived yet", async () => {
    const stub = env.COUNTER.getByName("rpc-test");
    expect(await stub.handle("views").increment()).toBe(1);
  });
});

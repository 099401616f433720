import { describe, expect, it } from "vitest";
import { DurableObject } from "../../../lib/modules/workers.js";
import { errorShape, namespaceOf, rejection, sleep } from "../../helpers.js";

let constructed = 0;

class Recorder extends DurableObject {
  log: string[] = [];
  constructor(ctx: unknown, env: unknown) {
    super(ctx, env);
    constructed++;
  }
  async record(entry: string, delay: number) {
    if (delay) await Promise.resolve();
    this.log.push(entry);
    return this.log.slice();
  }
  async fetch(request: Request) {
    return new Response(`${request.method} ${new URL(request.url).pathname} ${await request.text()}`);
  }
}

class NoFetch extends DurableObject {
  ping() {
    return "pong";
  }
}

describe("Durable Object stubs", () => {
  it("have exactly `name` and `id` as own keys and are not thenable", async () => {
    const ns = namespaceOf(Recorder);
    const stub = ns.getByName("a");
    expect(Object.keys(stub)).toEqual(["name", "id"]);
    expect(stub.then).toBeUndefined();
    expect(await stub).toBe(stub);
    expect(stub[Symbol.dispose]).toBeUndefined();
    expect(typeof stub.anything).toBe("function");
    expect(ns.get(ns.newUniqueId()).name).toBeUndefined();
  });

  it("construct nothing until the first call", async () => {
    const before = constructed;
    const ns = namespaceOf(Recorder);
    const stub = ns.getByName("lazy");
    ns.get(ns.newUniqueId());
    await sleep(5);
    expect(constructed).toBe(before);
    await stub.record("x", 0);
    expect(constructed).toBe(before + 1);
  });

  it("deliver calls made through one stub in call order", async () => {
    const stub = namespaceOf(Recorder).getByName("order");
    const results = await Promise.all([stub.record("a", 1), stub.record("b", 0), stub.record("c", 1)]);
    expect(results[2]).toEqual(["a", "b", "c"]);
  });

  it("give a new callable per read of a name, each reaching its own member, whatever was read between", async () => {
    class Members extends DurableObject {
      one() {
        return 1;
      }
      two() {
        return 2;
      }
      get three() {
        return 3;
      }
    }
    const stub = namespaceOf(Members).getByName("reads");
    const one = stub.one;
    const two = stub.two;
    const oneAgain = stub.one;
    expect(one).not.toBe(oneAgain);
    expect(typeof one).toBe("function");
    expect([await oneAgain(), await two(), await one(), await stub.three, await stub.one()]).toEqual([1, 2, 1, 3, 1]);
    // Many distinct names, past any sharing of paths between reads, each still its own member.
    const names = Array.from({ length: 1100 }, (_, i) => `m${i}`);
    for (const name of names) void stub[name];
    await expect(stub.m1099()).rejects.toThrow('The RPC receiver does not implement the method "m1099".');
    expect(await stub.two()).toBe(2);
  });

  it("refuse to be called as a constructor", () => {
    const stub = namespaceOf(Recorder).getByName("x");
    expect(() => stub.constructor()).toThrow(new TypeError("Illegal constructor"));
  });

  it("fetch() delivers a Request to the object's fetch handler and returns its Response", async () => {
    const stub = namespaceOf(Recorder).getByName("http");
    const response = await stub.fetch("https://any-host/path", { method: "POST", body: "hi" });
    expect(response).toBeInstanceOf(Response);
    expect(await response.text()).toBe("POST /path hi");
    const viaRequest = await stub.fetch(new Request("http://x/r"));
    expect(await viaRequest.text()).toBe("GET /r ");
  });

  it("fetch() needs an absolute URL", async () => {
    const stub = namespaceOf(Recorder).getByName("http");
    const error = await rejection(stub.fetch("/y"));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe("Invalid URL: /y");
  });

  it("fetch() on a class without a fetch handler rejects with the runtime's error", async () => {
    const error = await rejection(namespaceOf(NoFetch).getByName("x").fetch("http://x/"));
    expect(errorShape(error)).toEqual({
      name: "Error",
      message: "Handler does not export a fetch() function.",
      remote: true,
      durableObjectReset: undefined,
    });
  });
});

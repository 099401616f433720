import { describe, expect, it, vi } from "vitest";
import { DurableObject, RpcTarget } from "../../../lib/modules/workers.js";
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

class WithToJSON extends DurableObject {
  toJSON(...args: unknown[]) {
    return { called: args };
  }
}

class NoFetch extends DurableObject {
  ping() {
    return "pong";
  }
}

describe("Durable Object stubs", () => {
  it("report RPC names as enumerable to propertyIsEnumerable only, never as own properties", () => {
    const stub = namespaceOf(WithToJSON).getByName("e");
    const { propertyIsEnumerable } = Object.prototype;
    expect([propertyIsEnumerable.call(stub, "anything"), Object.hasOwn(stub, "anything"), Object.getOwnPropertyDescriptor(stub, "anything")]).toEqual([true, false, undefined]);
    expect([propertyIsEnumerable.call(stub, "fetch"), propertyIsEnumerable.call(stub, "then"), propertyIsEnumerable.call(stub, "name")]).toEqual([false, false, true]);
    const property = stub.anything;
    expect([propertyIsEnumerable.call(property, "deeper"), propertyIsEnumerable.call(property, "then"), Object.hasOwn(property, "deeper")]).toEqual([true, false, false]);
  });

  it("serialise as their own properties under JSON.stringify, where toJSON() called by code is an RPC call", async () => {
    const stub = namespaceOf(WithToJSON).getByName("j");
    expect(JSON.stringify({ s: stub })).toBe('{"s":{"name":"j","id":{"name":"j"}}}');
    const { stringify } = JSON;
    expect(stringify(stub)).toBe('{"name":"j","id":{"name":"j"}}');
    expect(await stub.toJSON()).toEqual({ called: [] });
    expect(await stub.toJSON("k")).toEqual({ called: ["k"] });
  });

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

  it("fetch() needs an absolute URL, right after one that parsed too (the last one is remembered as parsing)", async () => {
    const stub = namespaceOf(Recorder).getByName("http");
    expect(await (await stub.fetch("http://x/y")).text()).toBe("GET /y ");
    const error = await rejection(stub.fetch("/y"));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe("Invalid URL: /y");
    expect((await rejection(stub.fetch("/y"))).message).toBe("Invalid URL: /y");
    expect(await (await stub.fetch("http://x/y")).text()).toBe("GET /y ");
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

  it("are ordinary objects to write to, so a test can replace an RpcTarget stub's member with a spy and restore it", async () => {
    class Counter extends RpcTarget {
      n = 0;
      add(by: number) {
        return (this.n += by);
      }
    }
    class Holder extends DurableObject {
      counter = new Counter();
      get() {
        return this.counter;
      }
    }
    const stub = namespaceOf(Holder).getByName("spy");
    const counter = await stub.get();
    // A spy calls the member it replaced directly: the member's own `apply` would be an RPC name
    // (vi.spyOn's wrapper uses it), as on the runtime's stubs.
    const original = counter.add;
    const spy = vi.fn((by: number) => original(by));
    counter.add = spy;
    expect(await counter.add(2)).toBe(2);
    expect(spy).toHaveBeenCalledWith(2);
    delete counter.add;
    // Restored, the member is the remote one again: the call reaches the object.
    expect(await counter.add(3)).toBe(5);
    expect(Reflect.ownKeys(counter)).toEqual([]);
    const promise = stub.get();
    promise.note = "mine";
    expect([promise.note, Object.keys(promise), Reflect.preventExtensions(promise), Object.isExtensible(promise)]).toEqual(["mine", ["note"], false, true]);
    expect(await promise.add(1)).toBe(6);
  });

  it("refuse writes with V8's words for the runtime's native objects, and answer false to Reflect", async () => {
    class Refuser extends DurableObject {
      obj() {
        return { a: 1 };
      }
    }
    const stub = namespaceOf(Refuser).getByName("refusals");
    const kinds: Record<string, [() => any, string]> = {
      objectStub: [() => namespaceOf(Refuser).getByName("other"), "object '#<DurableObject>'"],
      promise: [() => stub.obj(), "function '#<RpcPromise>'"],
      property: [() => stub.obj().a, "function '#<RpcProperty>'"],
    };
    for (const [make, owner] of Object.values(kinds)) {
      const fixed = () => Object.defineProperty(make(), "x", { value: 1 });
      expect(() => Object.freeze(make())).toThrow(new TypeError("Cannot freeze"));
      expect(() => Object.seal(make())).toThrow(new TypeError("Cannot seal"));
      expect(() => Object.preventExtensions(make())).toThrow(new TypeError("Cannot prevent extensions"));
      expect(() => {
        fixed().x = 2;
      }).toThrow(new TypeError(`Cannot assign to read only property 'x' of ${owner}`));
      expect(() => Object.defineProperty(fixed(), "x", { value: 2 })).toThrow(new TypeError("Cannot redefine property: x"));
      const looped = make();
      expect(() => Object.setPrototypeOf(looped, Object.create(looped))).toThrow(new TypeError("Cyclic __proto__ value"));
      expect([Reflect.set(fixed(), "x", 2), Reflect.defineProperty(fixed(), "x", { value: 2 }), Reflect.setPrototypeOf(looped, Object.create(looped))]).toEqual([false, false, false]);
      const { set, defineProperty, deleteProperty, preventExtensions } = Reflect;
      expect([
        set(fixed(), "x", 2),
        defineProperty(fixed(), "x", { value: 2 }),
        deleteProperty(fixed(), "x"),
        preventExtensions(make()),
        Reflect.set.call(null, fixed(), "x", 2),
        Reflect.apply(Reflect.set, undefined, [fixed(), "x", 2]),
      ]).toEqual([false, false, false, false, false, false]);
      const { freeze } = Object;
      expect(() => freeze(make())).toThrow(new TypeError("Cannot freeze"));
    }
    const promise = stub.obj();
    Object.defineProperty(promise, "x", { value: 1 });
    expect(() => {
      delete promise.x;
    }).toThrow(new TypeError("Cannot delete property 'x' of #<RpcPromise>"));
    expect(Reflect.deleteProperty(promise, "x")).toBe(false);
    expect(await promise).toEqual({ a: 1 });
  });

  it("stop their prototype cycle check at a foreign proxy without touching it, as V8 does", () => {
    class Chained extends DurableObject {
      obj() {
        return { a: 1 };
      }
    }
    const stub = namespaceOf(Chained).getByName("chained");
    for (const make of [() => namespaceOf(Chained).getByName("other"), () => stub.obj(), () => stub.obj().a]) {
      const { proxy: revoked, revoke } = Proxy.revocable({}, {});
      revoke();
      expect(() => Object.setPrototypeOf(make(), revoked)).not.toThrow();
      const calls: string[] = [];
      const strictMock = new Proxy(
        {},
        {
          get(_target, key) {
            calls.push(String(key));
            throw new Error(`mock get ${String(key)}`);
          },
          getPrototypeOf() {
            calls.push("getPrototypeOf");
            return null;
          },
        },
      );
      expect(() => Object.setPrototypeOf(make(), strictMock)).not.toThrow();
      expect(calls).toEqual([]);
      const self = make();
      expect(() => Object.setPrototypeOf(self, new Proxy(self, {}))).not.toThrow();
      const looped = make();
      expect(() => Object.setPrototypeOf(looped, Object.create(Object.create(looped)))).toThrow(new TypeError("Cyclic __proto__ value"));
    }
  });

  it("refuse to lend their prototypes' members to another object", async () => {
    class Nested extends DurableObject {
      obj() {
        return { a: { b: 1 } };
      }
    }
    const stub = namespaceOf(Nested).getByName("proto");
    const illegal = "Illegal invocation: function called with incorrect `this` reference. See https://developers.cloudflare.com/workers/observability/errors/#illegal-invocation-errors for details.";
    const error = await rejection(Promise.resolve(stub.obj().a.__proto__));
    expect([error.constructor.name, error.message]).toEqual(["TypeError", illegal]);
    const then = Object.getPrototypeOf(stub.obj()).then;
    expect(() => then.call(stub.obj().a)).toThrow(illegal);
  });
});


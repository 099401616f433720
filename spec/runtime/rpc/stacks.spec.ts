/**
 * An error thrown inside a Durable Object reaches its caller with a stack a developer can act
 * on: where the object's code threw, then the caller's frames, and none of durasim's plumbing.
 * (workerd shows only the caller's frame; the type, message and flags are production's.)
 */
import { describe, expect, it, vi } from "vitest";
import { SELF } from "../../../lib/modules/test/index.js";
import { DurableObject, WorkerEntrypoint } from "../../../lib/modules/workers.js";
import { type AnyStub, emulator, rejection } from "../../helpers.js";

function throwDeepInsideTheObject(): never {
  throw new RangeError("thrown by object code");
}

class Thrower extends DurableObject {
  async fail() {
    throwDeepInsideTheObject();
  }
  async failAfterAwait() {
    await Promise.resolve();
    throwDeepInsideTheObject();
  }
  async fetch(): Promise<Response> {
    throwDeepInsideTheObject();
  }
  async failHolding() {
    throw Object.assign(new Error("holder"), {
      list: [new Error("listed")],
      map: new Map([[new Error("key"), new Error("value")]]),
      set: new Set([new Error("member")]),
      deep: { more: new Error("deep") },
      bytes: new Uint8Array([1, 2, 3]),
    });
  }
  async callOther(other: AnyStub) {
    return await other.fail();
  }
}

function world() {
  const emu = emulator({
    module: {
      Thrower,
      default: {
        async fetch(_request: Request, env: { THROWER: AnyStub }) {
          return await env.THROWER.getByName("from-fetch").fail();
        },
      },
    },
    durableObjects: { THROWER: "Thrower" },
  });
  return { emu, ns: emu.env.THROWER as AnyStub };
}

const OWN = /\/(lib|dist)\/(runtime|storage|modules|util)\//;

function frames(stack: string | undefined): string[] {
  return (stack ?? "").split("\n").filter((line) => line.startsWith("    at "));
}

/** What failHolding() throws. */
interface Holder extends Error {
  list: Error[];
  map: Map<Error, Error>;
  set: Set<Error>;
  deep: { more: Error };
  bytes: Uint8Array;
}

async function aCallerFunction(call: () => Promise<unknown>) {
  return await rejection(call());
}

describe("stacks of errors from Durable Objects", () => {
  it("show where the object threw, then the caller, and nothing of durasim", async () => {
    const { ns } = world();
    const error = await aCallerFunction(() => ns.getByName("a").fail());
    expect([error.name, error.message, error.remote]).toEqual(["RangeError", "thrown by object code", true]);
    const lines = frames(error.stack);
    const thrower = lines.findIndex((line) => line.includes("throwDeepInsideTheObject"));
    const caller = lines.findIndex((line) => line.includes("aCallerFunction"));
    expect(thrower).toBe(0);
    expect(caller).toBeGreaterThan(thrower);
    expect(lines.filter((line) => OWN.test(line))).toEqual([]);
    expect(error.stack!.startsWith("RangeError: thrown by object code\n")).toBe(true);
  });

  it("give the Errors a thrown one holds (in an array, a Map's keys and values, a Set, an object) the caller's frames under their own header", async () => {
    const { ns } = world();
    const error = (await aCallerFunction(() => ns.getByName("a").failHolding())) as unknown as Holder;
    const [[key, value]] = error.map;
    const held = { listed: error.list[0]!, key, value, member: [...error.set][0]!, deep: error.deep.more };
    for (const [name, inner] of Object.entries(held)) {
      expect({ name, header: inner.stack!.split("\n")[0], caller: inner.stack!.includes("aCallerFunction") }).toEqual({ name, header: `Error: ${inner.message}`, caller: true });
    }
    expect([...error.bytes]).toEqual([1, 2, 3]);
  });

  it("keep the object's async frames, and work for fetch and for calls between objects", async () => {
    const { ns } = world();
    const afterAwait = await aCallerFunction(() => ns.getByName("a").failAfterAwait());
    expect(frames(afterAwait.stack)[0]).toContain("throwDeepInsideTheObject");
    expect(afterAwait.stack).toContain("aCallerFunction");
    const viaFetch = await aCallerFunction(() => ns.getByName("a").fetch("https://x/"));
    expect(frames(viaFetch.stack)[0]).toContain("throwDeepInsideTheObject");
    expect(viaFetch.stack).toContain("aCallerFunction");
    const nested = await aCallerFunction(() => ns.getByName("a").callOther(ns.getByName("b")));
    expect(frames(nested.stack)[0]).toContain("throwDeepInsideTheObject");
  });

  it("of a Worker's fetch handler that throws show where it threw, then the caller of SELF.fetch(), as for RPC", async () => {
    emulator({ module: { default: { fetch: () => throwDeepInsideTheObject() } } });
    for (const error of [await aCallerFunction(() => SELF.fetch("https://x/")), await aCallerFunction(() => SELF.fetch("https://x/", { method: "POST", body: "b" }))]) {
      const lines = frames(error.stack);
      expect(lines[0]).toContain("throwDeepInsideTheObject");
      expect(lines.findIndex((line) => line.includes("aCallerFunction"))).toBeGreaterThan(0);
      expect(error.stack).toContain("stacks.spec.ts:");
      expect(lines.filter((line) => OWN.test(line))).toEqual([]);
    }
  });

  it("of a service binding's fetch() from object code show the object's calling method too", async () => {
    class Caller extends DurableObject<{ SVC: AnyStub }> {
      async callTheService() {
        try {
          await this.env.SVC.fetch("https://x/");
        } catch (error) {
          return (error as Error).stack;
        }
      }
    }
    const emu = emulator({ module: { default: { fetch: () => throwDeepInsideTheObject() }, Caller }, durableObjects: { CALLER: "Caller" }, serviceBindings: { SVC: "worker" } } as never);
    const stack = await (emu.env.CALLER as AnyStub).getByName("c").callTheService();
    expect(frames(stack)[0]).toContain("throwDeepInsideTheObject");
    expect(stack).toContain("callTheService");
  });

  it("of a primitive thrown by a Worker entrypoint's method show the caller (a test, an object), as of an object's", async () => {
    class Values extends WorkerEntrypoint {
      thrown(value: unknown) {
        throw value;
      }
    }
    class Caller extends DurableObject<{ SVC: AnyStub }> {
      async callTheService(value: unknown) {
        return (await rejection(this.env.SVC.thrown(value))).stack;
      }
    }
    const emu = emulator({ module: { Values, Caller }, durableObjects: { CALLER: "Caller" }, serviceBindings: { SVC: { name: "worker", entrypoint: "Values" } } } as never);
    const env = emu.env as AnyStub;
    for (const value of ["a string", 42]) {
      const fromTest = await aCallerFunction(() => env.SVC.thrown(value));
      expect(fromTest.stack).toContain("aCallerFunction");
      expect(frames(fromTest.stack).filter((line) => OWN.test(line))).toEqual([]);
      expect(await env.CALLER.getByName("c").callTheService(value)).toContain("callTheService");
    }
  });

  it("are what dispatchFetch logs with its 500", async () => {
    const { emu } = world();
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const response = await emu.dispatchFetch("/");
      expect(response.status).toBe(500);
      const error = logged.mock.calls.flat().find((value) => value instanceof Error) as Error;
      expect(frames(error.stack)[0]).toContain("throwDeepInsideTheObject");
      expect(error.stack).toContain("fetch");
    } finally {
      logged.mockRestore();
    }
  });
});

describe("stacks of errors a runtime API throws", () => {
  class ApiUser extends DurableObject {
    get state(): AnyStub {
      return this.ctx as AnyStub;
    }
    caughtSql() {
      try {
        this.state.storage.sql.exec("nope");
      } catch (error) {
        return (error as Error).stack;
      }
    }
    caughtId() {
      try {
        this.state.exports.ApiUser.idFromString("not hex");
      } catch (error) {
        return (error as Error).stack;
      }
    }
    uncaughtSql() {
      this.state.storage.sql.exec("nope");
    }
    throwsInsideTransaction() {
      this.state.storage.transactionSync(() => throwDeepInsideTheObject());
    }
  }

  const apiUsers = () => emulator({ module: { ApiUser }, durableObjects: { API: { className: "ApiUser", sqlite: true } } }).env.API as AnyStub;

  // The runtime's APIs are native: none of their implementation shows, the caller's frame comes first.
  it("show the Worker code that called it first, not durasim's implementation", async () => {
    const stub = apiUsers().getByName("a");
    for (const [stack, method, header] of [
      [await stub.caughtSql(), "caughtSql", 'Error: near "nope": syntax error at offset 0: SQLITE_ERROR'],
      [await stub.caughtId(), "caughtId", "TypeError: Invalid Durable Object ID: must be 64 hex digits"],
    ] as const) {
      expect({ header: (stack as string).split("\n")[0], first: frames(stack)[0] }).toEqual({ header, first: expect.stringContaining(`ApiUser.${method}`) });
    }
  });

  it("crossing RPC, keep the object's frame that called it, then the caller's", async () => {
    const error = await aCallerFunction(() => apiUsers().getByName("a").uncaughtSql());
    const lines = frames(error.stack);
    expect(lines[0]).toContain("ApiUser.uncaughtSql");
    expect(lines.findIndex((line) => line.includes("aCallerFunction"))).toBeGreaterThan(0);
    expect(lines.filter((line) => OWN.test(line))).toEqual([]);
  });

  it("let what Worker code threw through it keep its own stack", async () => {
    const error = await aCallerFunction(() => apiUsers().getByName("a").throwsInsideTransaction());
    expect(frames(error.stack)[0]).toContain("throwDeepInsideTheObject");
  });
});

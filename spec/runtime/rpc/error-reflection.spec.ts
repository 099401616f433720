import { describe, expect, it } from "vitest";
import { DurableObject } from "../../../lib/modules/workers.js";
import { type AnyStub, namespaceOf, rejection } from "../../helpers.js";

type Env = { NS: { getByName(name: string): AnyStub } };

let kept: Record<string, unknown> | undefined;

class Thrower extends DurableObject<Env> {
  plain() {
    throw new Error("plain");
  }
  throwInstance() {
    class Point {
      x = 1;
    }
    throw Object.assign(new Error("with a class instance"), { point: new Point(), bare: Object.create(null) as object });
  }
  throwStubInside() {
    throw Object.assign(new Error("with a stub"), { stub: this.env.NS.getByName("other") });
  }
  keep(how: "plain" | "frozen" | "ownReset") {
    const e = new Error(how) as Error & Record<string, unknown>;
    if (how === "ownReset") e.durableObjectReset = true;
    kept = how === "frozen" ? Object.freeze(e) : e;
    throw kept;
  }
  str() {
    throw "a string";
  }
  abortNow() {
    (this.ctx as AnyStub).abort("gone");
  }
  fn() {
    return () => {
      throw new Error("in fn");
    };
  }
  async fetch() {
    throw new Error("from fetch");
  }
  async storeFunction() {
    await (this.ctx as AnyStub).storage.put("k", () => 1);
  }
  /** What this object's code sees of errors from calls it makes to `name`. */
  async callOther(name: string) {
    const other = this.env.NS.getByName(name);
    const me = (this.ctx as AnyStub).id.toString();
    const them = other.id.toString();
    const seen = async (call: () => Promise<unknown>) => {
      const e = (await rejection(call())) as Record<string, unknown>;
      const id = e.durableObjectId === undefined ? "none" : e.durableObjectId === me ? "caller" : e.durableObjectId === them ? "callee" : "?";
      return { id, keys: Object.keys(e) };
    };
    const f = await other.fn();
    return {
      plain: await seen(() => other.plain()),
      str: await seen(() => other.str()),
      fn: await seen(() => f()),
      fetch: await seen(() => other.fetch("http://do/")),
      reset: await seen(() => this.env.NS.getByName(`${name}-aborting`).abortNow()),
    };
  }
}

describe("errors as reflection shows them", () => {
  it("an error from an object's method names the object before it says remote", async () => {
    const stub = namespaceOf(Thrower).getByName("a") as AnyStub;
    const e = await rejection(stub.plain());
    expect(Object.keys(e)).toEqual(["durableObjectId", "remote"]);
    expect(e.durableObjectId).toBe(stub.id.toString());
  });

  it("inside an object, errors from its calls on other objects' stubs name the calling object", async () => {
    const seen = await (namespaceOf(Thrower).getByName("caller") as AnyStub).callOther("callee");
    expect(seen).toEqual({
      plain: { id: "caller", keys: ["durableObjectId", "remote"] },
      str: { id: "caller", keys: ["remote", "durableObjectId"] },
      fn: { id: "callee", keys: ["durableObjectId", "remote"] },
      fetch: { id: "none", keys: ["remote"] },
      reset: { id: "none", keys: ["durableObjectReset"] },
    });
  });

  it("a DataCloneError has own, enumerable code, name, message and stack, as the runtime's DOMExceptions do", async () => {
    const stub = namespaceOf(Thrower).getByName("a") as AnyStub;
    const e = await rejection(stub.storeFunction());
    // The object's put() threw it; reaching the caller adds `remote` (and, a DOMException, no id).
    expect(Object.keys(e)).toEqual(["code", "name", "message", "stack", "remote"]);
    expect(JSON.parse(JSON.stringify({ ...e, stack: undefined }))).toEqual({ code: 25, name: "DataCloneError", message: "() => 1 could not be cloned.", remote: true });
    expect(Object.getOwnPropertyDescriptor(e, "name")).toMatchObject({ enumerable: true, writable: false, configurable: true });
  });

  it("names the object on the thrown value itself (not a frozen one); an error's own durableObjectReset is no reset", async () => {
    const stub = namespaceOf(Thrower).getByName("a") as AnyStub;
    const id = stub.id.toString();
    await rejection(stub.keep("plain"));
    expect(kept!.durableObjectId).toBe(id);
    expect((await rejection(stub.keep("frozen"))).durableObjectId).toBeUndefined();
    expect(kept!.durableObjectId).toBeUndefined();
    const own = await rejection(stub.keep("ownReset"));
    expect([own.remote, own.durableObjectReset, own.durableObjectId]).toEqual([true, true, id]);
    expect(own).not.toBe(kept);
    await expect(stub.keep("plain")).rejects.toThrow("plain");
  });

  it("copies a thrown value as storage does: class instances as plain objects, stubs not at all", async () => {
    const stub = namespaceOf(Thrower).getByName("a") as AnyStub;
    const e = await rejection(stub.throwInstance());
    expect([e.point, Object.getPrototypeOf(e.point) === Object.prototype, e.bare]).toEqual([{ x: 1 }, true, {}]);
    const bare = await rejection(stub.throwStubInside());
    expect([bare.message, bare.stub, bare.durableObjectId, bare.remote]).toEqual(["with a stub", undefined, undefined, true]);
  });
});

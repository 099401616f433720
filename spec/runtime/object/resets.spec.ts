import { describe, expect, it } from "vitest";
import { DurableObject } from "../../../lib/modules/workers.js";
import { type AnyStub, emulator, errorShape, namespaceOf, rejection, sleep } from "../../helpers.js";

interface Ctx {
  storage: { get(key: string): Promise<unknown>; put(key: string, value: unknown): Promise<void> };
  blockConcurrencyWhile<T>(fn: () => Promise<T>): Promise<T>;
  abort(reason?: string): never;
  id: { toString(): string; name?: string };
}
const ctxOf = (object: DurableObject) => object.ctx as Ctx;

let constructions = 0;

class Resettable extends DurableObject {
  memory = 0;
  constructor(ctx: unknown, env: unknown) {
    super(ctx, env);
    constructions++;
  }
  bump() {
    return ++this.memory;
  }
  async abortAfterWrite(reason?: string) {
    await ctxOf(this).storage.put("uncommitted", true);
    ctxOf(this).abort(reason);
  }
  async failCriticalSection() {
    await ctxOf(this).blockConcurrencyWhile(async () => {
      throw new RangeError("critical section failed");
    });
  }
  async readAfterAbort() {
    try {
      ctxOf(this).abort();
    } catch {
      // Production stops the code at abort(); whatever runs here can no longer use storage.
    }
    return ctxOf(this).storage.get("x");
  }
  async stored(key: string) {
    return ctxOf(this).storage.get(key);
  }
  idInfo() {
    return { id: ctxOf(this).id.toString(), name: ctxOf(this).id.name ?? null };
  }
}

class BrokenConstructor extends DurableObject {
  constructor(ctx: unknown, env: unknown) {
    super(ctx, env);
    throw new TypeError("constructor failed");
  }
  hello() {
    return "unreachable";
  }
}

describe("object resets", () => {
  it("ctx.abort() rejects the call with the reset error, breaks that stub, and gives new stubs a fresh instance", async () => {
    const ns = namespaceOf(Resettable);
    const stub: AnyStub = ns.getByName("a");
    expect(await stub.bump()).toBe(1);
    const error = await rejection(stub.abortAfterWrite());
    expect(errorShape(error)).toEqual({
      name: "Error",
      message: "Application called abort() to reset Durable Object.",
      remote: undefined,
      durableObjectReset: true,
    });
    expect((await rejection(stub.bump())).message).toBe("Application called abort() to reset Durable Object.");
    const fresh: AnyStub = ns.getByName("a");
    expect(await fresh.bump()).toBe(1);
    expect(await fresh.stored("uncommitted")).toBeUndefined();
  });

  it("a stub that saw the reset stays broken after the object is evicted (idle eviction, emu.evict(), evictDurableObject refusing), while a new stub reaches a new instance", async () => {
    const emu = emulator({ module: { Resettable }, durableObjects: { NS: "Resettable" }, clock: "manual", idleTimeout: 1000 });
    const broken: AnyStub[] = [];
    for (const name of ["idle", "evicted"]) {
      const stub: AnyStub = emu.env.NS.getByName(name);
      await stub.bump();
      await rejection(stub.abortAfterWrite("reset " + name));
      broken.push(stub);
    }
    await emu.advanceTime(5000);
    await emu.evict(broken[1]);
    const { evictDurableObject } = await import("../../../lib/modules/test/durable-objects.js");
    const refusal = await rejection(evictDurableObject(broken[1]));
    const outcomes = await Promise.all(broken.map((stub) => stub.bump().then((value: number) => value, (error: Error) => error.message)));
    expect({ outcomes, refusal: refusal.message, fresh: await emu.env.NS.getByName("idle").bump() }).toEqual({
      outcomes: ["reset idle", "reset evicted"],
      refusal: "Cannot evict Durable Object: it is not currently running.",
      fresh: 1,
    });
  });

  it("ctx.abort(reason) uses the reason as the message", async () => {
    const error = await rejection(namespaceOf(Resettable).getByName("r").abortAfterWrite("custom reason"));
    expect(error.message).toBe("custom reason");
    expect(error.durableObjectReset).toBe(true);
  });

  it("storage is no longer accessible to code that outlives an abort", async () => {
    const error = await rejection(namespaceOf(Resettable).getByName("s").readAfterAbort());
    expect(error.durableObjectReset).toBe(true);
  });

  it("a throwing blockConcurrencyWhile resets the object with the callback's error", async () => {
    const ns = namespaceOf(Resettable);
    const stub: AnyStub = ns.getByName("b");
    await stub.bump();
    const error = await rejection(stub.failCriticalSection());
    expect(errorShape(error)).toEqual({
      name: "RangeError",
      message: "critical section failed",
      remote: undefined,
      durableObjectReset: true,
    });
    expect(await ns.getByName("b").bump()).toBe(1);
  });

  it("a throwing constructor fails the call with durableObjectReset, and runs again for the next stub", async () => {
    const ns = namespaceOf(BrokenConstructor);
    const first = await rejection(ns.getByName("x").hello());
    expect(errorShape(first)).toEqual({ name: "TypeError", message: "constructor failed", remote: undefined, durableObjectReset: true });
    const second = await rejection(ns.getByName("x").hello());
    expect(second.message).toBe("constructor failed");
  });

  it("an ordinary exception resets nothing", async () => {
    const stub: AnyStub = namespaceOf(Resettable).getByName("e");
    await stub.bump();
    await rejection(stub.missingMethod());
    expect(await stub.bump()).toBe(2);
  });
});

describe("ctx.id", () => {
  it("carries the name for name-derived objects only, up to 1024 bytes", async () => {
    const ns = namespaceOf(Resettable);
    expect(await ns.getByName("named").idInfo()).toEqual({ id: ns.idFromName("named").toString(), name: "named" });
    const unique = ns.newUniqueId();
    expect((await ns.get(unique).idInfo()).name).toBeNull();
    const viaString = ns.idFromString(ns.idFromName("other").toString());
    expect((await ns.get(viaString).idInfo()).name).toBeNull();
    expect((await ns.getByName("n".repeat(1024)).idInfo()).name).toBe("n".repeat(1024));
    expect((await ns.getByName("n".repeat(1025)).idInfo()).name).toBeNull();
  });

  it("constructs once per instance", async () => {
    const before = constructions;
    const stub: AnyStub = namespaceOf(Resettable).getByName("once");
    await Promise.all([stub.bump(), stub.bump(), stub.bump()]);
    await sleep(1);
    expect(constructions - before).toBe(1);
  });
});

import { describe, expect, it } from "vitest";
import { DurableObject } from "../../../lib/modules/workers.js";
import { type AnyStub, emulator, namespaceOf, rejection } from "../../helpers.js";

class MyError extends Error {
  code = "E_MINE";
  constructor(message: string) {
    super(message);
    this.name = "MyError";
  }
}

class Errors extends DurableObject {
  throwCustom() {
    throw new MyError("custom");
  }
  throwAggregate() {
    throw new AggregateError([new Error("one")], "agg");
  }
  throwObject() {
    throw { code: 7 };
  }
  throwFlagged() {
    throw Object.assign(new Error("busy"), { retryable: 1, overloaded: 0 });
  }
  returnCustom() {
    return new Error("outer", { cause: new MyError("inner") });
  }
  describe(value: Error) {
    return { name: value.name, keys: Object.keys(value) };
  }
  async storeAndRead() {
    const storage = (this.ctx as AnyStub).storage;
    await storage.put("k", new AggregateError([1], "stored"));
    return storage.get("k");
  }
  /** What the object itself reads back of errors it stored, as plain data (RPC's own format cannot blur it). */
  async storedErrorFacts() {
    const storage = (this.ctx as AnyStub).storage;
    await storage.put("e", Object.assign(new AggregateError([1], "stored"), { code: 7 }));
    await storage.transaction((txn: AnyStub) => txn.put("t", Object.assign(new RangeError("in a transaction"), { code: 8 })));
    const facts = (error: { name: string; code?: number }) => [error.name, error.code ?? null];
    return [facts(await storage.get("e")), facts(await storage.get("t"))];
  }
}

/** Calls the function service FN (see the test of function services below). */
class FunctionCaller extends DurableObject {
  async call() {
    try {
      await (this.env as { FN: { fetch(url: string): Promise<unknown> } }).FN.fetch("http://fn/");
      return "no error";
    } catch (error) {
      return [(error as Error).name, (error as Error).message, Object.keys(error as object)];
    }
  }
}

/** What a caller observes of an error (the stack's first line only). */
function seen(error: Record<string, unknown>): Record<string, unknown> {
  return { name: error.name, message: error.message, keys: Object.keys(error), stackHead: String(error.stack).split("\n")[0], cause: error.cause === undefined ? undefined : seen(error.cause as Record<string, unknown>) };
}

describe("errors across RPC and storage by compatibility date (enhanced_error_serialization from 2026-04-21)", () => {
  it("before 2026-04-21 a thrown value arrives as its type and message alone, and other errors in V8's format", async () => {
    const stub = namespaceOf(Errors, { compatibilityDate: "2026-04-20" }).getByName("a");
    expect(seen(await rejection(stub.throwCustom()))).toEqual({ name: "Error", message: "MyError: custom", keys: ["remote"], stackHead: "Error: MyError: custom", cause: undefined });
    expect(seen(await rejection(stub.throwAggregate()))).toMatchObject({ name: "AggregateError", message: "agg", keys: ["remote"] });
    expect(seen(await rejection(stub.throwObject()))).toMatchObject({ name: "Error", message: "#<Object>", keys: ["remote"] });
    // The tunneled value keeps a truthy `retryable` (or `overloaded`) as a flag.
    expect(Object.entries(await rejection(stub.throwFlagged()))).toEqual([["remote", true], ["retryable", true]]);
    // Returned: type among V8's own, message, the stack's text and the cause; nothing else.
    expect(seen(await stub.returnCustom())).toEqual({
      name: "Error",
      message: "outer",
      keys: [],
      stackHead: "Error: outer",
      cause: { name: "Error", message: "inner", keys: [], stackHead: "MyError: inner", cause: undefined },
    });
    expect(seen(await stub.storeAndRead())).toEqual({ name: "Error", message: "stored", keys: [], stackHead: "AggregateError: stored", cause: undefined });
    // Storage writes them in V8's format too: its own error kinds, no own properties.
    expect(await stub.storedErrorFacts()).toEqual([["Error", null], ["RangeError", null]]);
    // Test code has the main Worker's date: the error it passes, and its structuredClone(), are V8's format too.
    expect(await stub.describe(new MyError("passed"))).toEqual({ name: "Error", keys: [] });
    const { structuredClone } = await import("../../../lib/runtime/globals/scope-functions.js");
    const clone = structuredClone as (value: unknown) => unknown;
    expect(Object.keys(clone(new MyError("cloned")) as object)).toEqual([]);
  });

  it("legacy_error_serialization selects V8's format on a later date, enhanced_error_serialization the runtime's own on an earlier one", async () => {
    const legacy = namespaceOf(Errors, { compatibilityDate: "2026-05-01", compatibilityFlags: ["legacy_error_serialization"] }).getByName("a");
    expect((await rejection(legacy.throwCustom())).message).toBe("MyError: custom");
    const enhanced = namespaceOf(Errors, { compatibilityDate: "2026-04-20", compatibilityFlags: ["enhanced_error_serialization"] }).getByName("a");
    const thrown = await rejection(enhanced.throwCustom());
    expect([thrown.name, thrown.message, thrown.code, typeof thrown.durableObjectId]).toEqual(["MyError", "custom", "E_MINE", "string"]);
    expect(((await enhanced.storeAndRead()) as Error).name).toBe("AggregateError");
    expect(await enhanced.storedErrorFacts()).toEqual([["AggregateError", 7], ["RangeError", 8]]);
    // Copied with its own properties, a truthy `retryable` arrives as true, a falsy `overloaded` as it was.
    const flagged = await rejection(enhanced.throwFlagged());
    expect([flagged.retryable, flagged.overloaded, flagged.remote]).toEqual([true, 0, true]);
  });

  it("the sender's Worker's date decides: an object's results and thrown values follow its own Worker's, whatever the caller's", async () => {
    for (const [hostDate, legacy] of [["2026-04-20", true], ["2026-05-01", false]] as const) {
      const emu = emulator({ name: "client", compatibilityDate: legacy ? "2026-05-01" : "2026-04-20", module: {}, workers: [{ name: "host", compatibilityDate: hostDate, module: { Errors }, durableObjects: { NS: "Errors" } }] });
      const stub = (emu.getDurableObjectNamespace("NS", "host") as unknown as { getByName(name: string): AnyStub }).getByName("a");
      const thrown = await rejection(stub.throwCustom());
      const returned = (await stub.returnCustom()) as Error;
      expect([hostDate, thrown.name, thrown.message, Object.keys(returned.cause as object)]).toEqual(
        legacy ? [hostDate, "Error", "MyError: custom", []] : [hostDate, "MyError", "custom", ["name", "code"]],
      );
    }
  });

  it("a function service is test code: what it throws is written at the main Worker's date, and copied only if its caller's has enhanced serialisation too", async () => {
    const fn = () => {
      throw new MyError("custom");
    };
    const cases = [
      ["2026-04-20", "2026-05-01", false],
      ["2026-05-01", "2026-04-20", false],
      ["2026-05-01", "2026-05-01", true],
    ] as const;
    for (const [mainDate, callerDate, copied] of cases) {
      const emu = emulator({
        name: "main",
        compatibilityDate: mainDate,
        module: {},
        workers: [{ name: "caller", compatibilityDate: callerDate, module: { FunctionCaller }, durableObjects: { NS: "FunctionCaller" }, serviceBindings: { FN: fn } }],
      });
      const stub = (emu.getDurableObjectNamespace("NS", "caller") as unknown as { getByName(name: string): AnyStub }).getByName("a");
      expect([mainDate, callerDate, await stub.call()]).toEqual([mainDate, callerDate, copied ? ["MyError", "custom", ["name", "code", "remote"]] : ["Error", "MyError: custom", ["remote"]]]);
    }
  });
});

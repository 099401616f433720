import { AsyncLocalStorage } from "node:async_hooks";
import { expect, it } from "vitest";
import { DurableObject } from "../../../lib/modules/workers.js";
import { type AnyStub, namespaceOf } from "../../helpers.js";

// Test code that calls an object inside its own AsyncLocalStorage.run: the object's code sees
// none of the test's stores, as an event delivered in the runtime starts without its sender's
// (spec/conformance/scenarios/async-context.mjs checks Worker and object callers against workerd).
const als = new AsyncLocalStorage<string>();
const store = () => String(als.getStore());

interface Storage {
  get(key: string): Promise<unknown>;
  put(key: string, value: unknown): Promise<void>;
}

class Reader extends DurableObject {
  get storage() {
    return (this.ctx as { storage: Storage }).storage;
  }
  constructedIn = store();
  constructorSaw() {
    return this.constructedIn;
  }
  async seen() {
    const start = store();
    await this.storage.get("k");
    const afterStorage = store();
    await new Promise((resolve) => setTimeout(resolve, 1));
    return { start, afterStorage, afterTimer: store() };
  }
  async own() {
    return als.run("own", async () => {
      await this.storage.put("k", 1);
      return store();
    });
  }
}

const none = { start: "undefined", afterStorage: "undefined", afterTimer: "undefined" };

it("an object first reached inside a test's als.run sees no store, then or later", async () => {
  const stub: AnyStub = namespaceOf(Reader).getByName("r");
  expect(await als.run("test", () => stub.seen())).toEqual(none);
  expect(await stub.constructorSaw()).toBe("undefined");
  expect(await stub.seen()).toEqual(none);
  expect(await als.run("other", async () => [await stub.seen(), store()])).toEqual([none, "other"]);
});

it("concurrent test callers with different stores: the object sees neither; its own store stays its own", async () => {
  const stub: AnyStub = namespaceOf(Reader).getByName("r");
  const results = await Promise.all([als.run("a", () => stub.seen()), als.run("b", () => stub.seen()), stub.own()]);
  expect(results).toEqual([none, none, "own"]);
  expect(await stub.seen()).toEqual(none);
});

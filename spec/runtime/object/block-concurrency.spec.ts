import { expect, it } from "vitest";
import { DurableObject } from "../../../lib/modules/workers.js";
import { type AnyStub, namespaceOf } from "../../helpers.js";

class Blocker extends DurableObject {
  memory = 0;
  bump() {
    return ++this.memory;
  }
  async notAFunction(argument: unknown) {
    const ctx = this.ctx as { blockConcurrencyWhile(callback: unknown): Promise<unknown> };
    const result = ctx.blockConcurrencyWhile(argument);
    const isPromise = result instanceof Promise;
    try {
      await result;
      return { isPromise, error: null };
    } catch (error) {
      return { isPromise, error: `${(error as Error).name}: ${(error as Error).message}` };
    }
  }
  async order() {
    const log: string[] = [];
    const ctx = this.ctx as { blockConcurrencyWhile(callback: () => unknown): Promise<unknown> };
    const done = ctx.blockConcurrencyWhile(() => log.push("callback"));
    log.push("after call");
    for (let i = 0; i < 3; i++) {
      await null;
      log.push(`await ${i}`);
    }
    await done;
    log.push("done");
    return log;
  }
}

it("rejects a non-function argument with the runtime's TypeError and leaves the object alive", async () => {
  const stub: AnyStub = namespaceOf(Blocker).getByName("b");
  expect(await stub.bump()).toBe(1);
  for (const argument of [5, undefined, null, {}, "f"]) {
    expect(await stub.notAFunction(argument)).toEqual({
      isPromise: true,
      error: "TypeError: Failed to execute 'blockConcurrencyWhile' on 'DurableObjectState': parameter 1 is not of type 'function'.",
    });
  }
  expect(await stub.bump()).toBe(2);
});

it("starts the callback once the caller's microtasks have run", async () => {
  const stub: AnyStub = namespaceOf(Blocker).getByName("o");
  expect(await stub.order()).toEqual(["after call", "await 0", "await 1", "await 2", "callback", "done"]);
});

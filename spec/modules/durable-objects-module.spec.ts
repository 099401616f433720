/**
 * cloudflare:durable-objects from Worker code: a class that marks its methods with retryable()
 * loads and answers as before; retryable() refuses anything but functions with the runtime's
 * TypeError; onHibernate is undefined (the hook needs a compatibility flag).
 * The module's shape is the conformance scenario's ("modules: cloudflare:durable-objects ...").
 */
import { expect, it } from "vitest";
import { type AnyStub, emulator } from "../helpers.js";

const SCRIPT = `
  import { DurableObject } from "cloudflare:workers";
  import { retryable, onHibernate } from "cloudflare:durable-objects";

  export class Counter extends DurableObject {
    count = 0;
    async increment() { return ++this.count; }
    async refusals() {
      const tries = [() => retryable(5), () => retryable(Counter.prototype.increment, "x")];
      return { refused: tries.map((f) => { try { f(); return "accepted"; } catch (e) { return e.name + ": " + e.message; } }), onHibernate: typeof onHibernate };
    }
  }
  retryable(Counter.prototype.increment);`;

function counter(): AnyStub {
  return (emulator({ script: SCRIPT, durableObjects: { COUNTER: "Counter" } }).env.COUNTER as { getByName(name: string): AnyStub }).getByName("c");
}

it("loads a class whose methods retryable() marked; they answer as before", async () => {
  const stub = counter();
  expect([await stub.increment(), await stub.increment()]).toEqual([1, 2]);
});

it("refuses anything but functions, and has onHibernate undefined", async () => {
  expect(await counter().refusals()).toEqual({
    refused: ["TypeError: retryable() accepts only functions.", "TypeError: retryable() accepts only functions."],
    onHibernate: "undefined",
  });
});

import { describe, expect, it } from "vitest";
import { DurableObject } from "../../../lib/modules/workers.js";
import { type AnyStub, namespaceOf } from "../../helpers.js";

/** What the object did, in order: the ticks of a microtask chain and the start of the next call. */
const log: string[] = [];

/** The values a synchronous method returns: primitives complete without a promise made for them. */
const RESULTS: Record<string, unknown> = {
  number: 7,
  string: "seven",
  undefined: undefined,
  null: null,
  bigint: 7n,
  object: { seven: 7 },
};

class Results extends DurableObject {
  /** Starts a chain of microtasks, then returns the result named `kind` synchronously. */
  give(kind: string): unknown {
    const tick = (n: number): void => {
      if (n <= 3) queueMicrotask(() => (log.push(`t${n}`), tick(n + 1)));
    };
    tick(1);
    return RESULTS[kind];
  }
  /** The call queued behind give(): it starts once give()'s outcome has completed the event. */
  next(): string {
    log.push("next");
    return "next";
  }
}

describe("a synchronous method's result", () => {
  // The runtime takes a result that is no promise as a promise resolved with it: the event
  // completes a microtask after the method returns, whatever the value. Primitives take a path
  // of their own (no promise is made for them), which must keep that timing.
  it.each(Object.keys(RESULTS))("completes its event a microtask after the method returns (%s)", async (kind) => {
    const stub = namespaceOf(Results).getByName("r") as AnyStub;
    await stub.next();
    log.length = 0;
    const [result] = await Promise.all([stub.give(kind), stub.next()]);
    expect(result).toEqual(RESULTS[kind]);
    expect(log).toEqual(["t1", "next", "t2", "t3"]);
  });
});

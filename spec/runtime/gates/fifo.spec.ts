import { describe, expect, it } from "vitest";
import { DurableObject } from "../../../lib/modules/workers.js";
import { type AnyStub, namespaceOf } from "../../helpers.js";

// Reference §5: events queue FIFO at the input gate. Many callers outside any object, each
// awaiting its calls one after another, are served in the order they call, interleaved: none
// waits for another's whole loop.
const CALLERS = 100;
const CALLS = 200;

class Arrivals extends DurableObject {
  log: number[] = [];
  hit(caller: number) {
    this.log.push(caller);
  }
  async slowHit(caller: number) {
    await null;
    this.log.push(caller);
  }
  async fetch(request: Request) {
    this.log.push(Number(new URL(request.url).searchParams.get("caller")));
    return new Response("ok");
  }
  take() {
    return this.log;
  }
}

/** The largest lead any caller had over the slowest one, at any point of the arrival log. */
function largestLead(log: number[]): number {
  const counts = new Array<number>(CALLERS).fill(0);
  let lead = 0;
  for (const caller of log) {
    counts[caller]!++;
    lead = Math.max(lead, counts[caller]! - Math.min(...counts));
  }
  return lead;
}

async function loops(call: (stub: AnyStub, caller: number) => Promise<unknown>): Promise<number[]> {
  const ns = namespaceOf(Arrivals);
  await Promise.all(
    Array.from({ length: CALLERS }, async (_, caller) => {
      const stub = ns.getByName("one");
      for (let i = 0; i < CALLS; i++) await call(stub, caller);
    }),
  );
  return ns.getByName("one").take();
}

describe("callers outside any object are served in arrival order", () => {
  it.each([
    ["RPC to a synchronous method", (stub: AnyStub, caller: number) => stub.hit(caller)],
    ["RPC to an async method", (stub: AnyStub, caller: number) => stub.slowHit(caller)],
    ["fetch", (stub: AnyStub, caller: number) => stub.fetch(`http://do/?caller=${caller}`)],
  ])("%s: 100 callers x 200 calls interleave", async (_name, call) => {
    const log = await loops(call);
    expect(log).toHaveLength(CALLERS * CALLS);
    // Round after round: no caller gets more than one call ahead of the slowest.
    expect(largestLead(log)).toBeLessThanOrEqual(1);
    expect(log.slice(0, CALLERS)).toEqual(Array.from({ length: CALLERS }, (_, caller) => caller));
  }, 60_000);
});

/**
 * The namespace's usage ledger keeps the counters of objects forgotten (evicted holding no
 * data) for the 10,000 forgotten most recently; past them the oldest is folded into the
 * namespace's totals. Driven directly, with the real cap: 10,001 forgotten objects cost
 * milliseconds here, where reaching 10,001 objects through an emulator would cost seconds.
 */
import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../lib/runtime/lifecycle/clock.js";
import { FORGOTTEN_KEPT, UsageLedger } from "../../../lib/runtime/usage/ledger.js";
import { ObjectUsage } from "../../../lib/runtime/usage/object-usage.js";

function ledger() {
  return new UsageLedger(() => new ObjectUsage("kv", new ManualClock(0)));
}

/** Reaches `hex` (one RPC call) and forgets it. */
function reachAndForget(usages: UsageLedger, hex: string): void {
  const usage = usages.of(hex);
  usage.request("rpc");
  usages.forgotten(hex, usage);
}

describe("usage of forgotten objects", () => {
  it("keeps its own for the 10,000 forgotten last, folding the oldest into the totals", () => {
    expect(FORGOTTEN_KEPT).toBe(10_000);
    const usages = ledger();
    for (let i = 0; i < 10_000; i++) reachAndForget(usages, `o${i}`);
    expect(usages.ids()).toHaveLength(10_000);
    expect(usages.retired.requests.rpc).toBe(0);
    reachAndForget(usages, "o10000");
    expect(usages.ids()).toHaveLength(10_000);
    expect(usages.get("o0")).toBeUndefined(); // the oldest: in the totals only
    expect(usages.get("o1")!.rpc).toBe(1);
    expect(usages.retired.requests).toMatchObject({ rpc: 1, billed: 1 });
  });

  it("folds no object reached again, held by something, or whose counters were replaced; clear() zeroes the totals", () => {
    const usages = ledger();
    usages.of("replaced");
    usages.forgotten("replaced", new ObjectUsage("kv", new ManualClock(0))); // not the counters held: ignored
    reachAndForget(usages, "held");
    usages.of("held").eventStarted(); // reached again, an event in flight...
    usages.forgotten("held", usages.get("held")!); // ...when its record is forgotten
    reachAndForget(usages, "again");
    usages.of("again"); // reached again: no longer forgotten
    for (let i = 0; i < 10_000; i++) reachAndForget(usages, `o${i}`);
    // "held" was the oldest forgotten: dropped from the forgotten list, not folded
    expect(usages.get("held")!.rpc).toBe(1);
    expect(usages.get("again")!.rpc).toBe(1);
    expect(usages.get("replaced")).toBeDefined();
    expect(usages.retired.requests.rpc).toBe(0);
    reachAndForget(usages, "one more"); // now o0 is the oldest
    expect(usages.get("o0")).toBeUndefined();
    expect(usages.retired.requests.rpc).toBe(1);
    usages.clear();
    expect(usages.retired.requests.rpc).toBe(0);
    expect(usages.get("o1")!.rpc).toBe(0);
  });
});

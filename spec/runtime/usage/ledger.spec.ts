/**
 * The namespace's usage ledger keeps the counters of objects whose record was dropped, for the
 * next record of the id to take back; those of objects forgotten (evicted holding no data) only
 * for the 10,000 forgotten most recently: past them the oldest is folded into the namespace's
 * totals. Driven directly, with the real cap: 10,001 forgotten objects cost
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
  const usage = usages.attach(hex);
  usage.request("rpc");
  usages.detach(hex, usage, true);
}

describe("usage of forgotten objects", () => {
  it("keeps its own for the 10,000 forgotten last, folding the oldest into the totals", () => {
    expect(FORGOTTEN_KEPT).toBe(10_000);
    const usages = ledger();
    for (let i = 0; i < 10_000; i++) reachAndForget(usages, `o${i}`);
    expect([...usages.ids()]).toHaveLength(10_000);
    expect(usages.retired.requests.rpc).toBe(0);
    reachAndForget(usages, "o10000");
    expect([...usages.ids()]).toHaveLength(10_000);
    expect(usages.get("o0")).toBeUndefined(); // the oldest: in the totals only
    expect(usages.get("o1")!.rpc).toBe(1);
    expect(usages.retired.requests).toMatchObject({ rpc: 1, billed: 1 });
  });

  it("hands a dropped record's counters to the next record of its id", () => {
    const usages = ledger();
    expect(usages.get("a")).toBeUndefined();
    const usage = usages.attach("a");
    usage.request("rpc");
    expect(usages.get("a")).toBeUndefined(); // held by its record alone
    usages.detach("a", usage); // dropped by a restore or a deleteAll: kept, never folded
    expect(usages.get("a")).toBe(usage);
    expect([...usages.ids()]).toEqual(["a"]);
    expect(usages.attach("a")).toBe(usage);
    expect(usages.get("a")).toBeUndefined();
    expect(usages.attach("b")).not.toBe(usage);
  });

  it("folds no object reached again, held by something, or dropped but not forgotten; clear() zeroes the totals", () => {
    const usages = ledger();
    usages.detach("dropped", usages.attach("dropped")); // a restore dropped its record
    reachAndForget(usages, "held");
    const held = usages.attach("held"); // reached again...
    held.eventStarted(); // ...an event in flight...
    usages.detach("held", held, true); // ...when its record is forgotten
    reachAndForget(usages, "again");
    const again = usages.attach("again"); // reached again: no longer forgotten
    for (let i = 0; i < 10_000; i++) reachAndForget(usages, `o${i}`);
    // "held" was the oldest forgotten: dropped from the forgotten list, not folded
    expect(usages.get("held")!.rpc).toBe(1);
    expect(again.rpc).toBe(1);
    expect(usages.get("dropped")).toBeDefined();
    expect(usages.retired.requests.rpc).toBe(0);
    reachAndForget(usages, "one more"); // now o0 is the oldest
    expect(usages.get("o0")).toBeUndefined();
    expect(usages.retired.requests.rpc).toBe(1);
    usages.clear();
    expect(usages.retired.requests.rpc).toBe(0);
    expect(usages.get("o1")!.rpc).toBe(0);
  });
});

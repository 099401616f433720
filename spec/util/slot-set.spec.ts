import { describe, expect, it } from "vitest";
import { SlotSet } from "../../lib/util/slot-set.js";

const member = (name: string) => ({ name, slot: -1 });

describe("SlotSet", () => {
  it("adds and removes members, each knowing its slot while it is in the set", () => {
    const set = new SlotSet<ReturnType<typeof member>>();
    const [a, b] = [member("a"), member("b")];
    set.add(a);
    set.add(b);
    set.add(a);
    expect(set.size).toBe(2);
    expect(set.delete(a)).toBe(true);
    expect(set.delete(a)).toBe(false);
    expect(a.slot).toBe(-1);
    expect(set.size).toBe(1);
    expect(set.drain()).toEqual([b]);
    expect(b.slot).toBe(-1);
    expect(set.size).toBe(0);
  });

  it("drains in the order members were added, whatever was removed in between", () => {
    const set = new SlotSet<ReturnType<typeof member>>();
    const members = Array.from({ length: 20 }, (_, i) => member(`m${i}`));
    members.forEach((m) => set.add(m));
    members.filter((_, i) => i % 3 !== 0).forEach((m) => set.delete(m));
    const late = member("late");
    set.add(late);
    expect(set.drain().map((m) => m.name)).toEqual(["m0", "m3", "m6", "m9", "m12", "m15", "m18", "late"]);
  });

  it("keeps the order members were added through compactions, as members come and go (a queue's churn)", () => {
    const set = new SlotSet<ReturnType<typeof member>>();
    const inFlight: Array<ReturnType<typeof member>> = [];
    for (let i = 0; i < 1000; i++) {
      const m = member(`m${i}`);
      set.add(m);
      inFlight.push(m);
      // Ten in flight, the oldest leaving first, and now and then one from the middle.
      if (inFlight.length > 10) set.delete(inFlight.shift()!);
      if (i % 7 === 0 && inFlight.length > 5) set.delete(inFlight.splice(5, 1)[0]!);
      expect(inFlight.every((x) => x.slot !== -1)).toBe(true);
    }
    expect(set.size).toBe(inFlight.length);
    expect(set.drain()).toEqual(inFlight);
    expect(inFlight.every((x) => x.slot === -1)).toBe(true);
  });

  it("keeps sets apart when one takes up the array another let go of as it emptied", () => {
    const [one, two] = [new SlotSet<ReturnType<typeof member>>(), new SlotSet<ReturnType<typeof member>>()];
    const first = Array.from({ length: 5 }, (_, i) => member(`one${i}`));
    first.forEach((m) => one.add(m));
    first.forEach((m) => one.delete(m));
    const [b0, b1, a0] = [member("two0"), member("two1"), member("one-again")];
    two.add(b0);
    one.add(a0);
    two.add(b1);
    expect([b0.slot, b1.slot, a0.slot]).toEqual([0, 1, 0]);
    expect(one.drain()).toEqual([a0]);
    expect(two.drain()).toEqual([b0, b1]);
  });

  it("does not remove a member of another set", () => {
    const [one, two] = [new SlotSet<ReturnType<typeof member>>(), new SlotSet<ReturnType<typeof member>>()];
    const [a, b] = [member("a"), member("b")];
    one.add(a);
    two.add(b);
    expect(two.delete(a)).toBe(false);
    expect(one.size).toBe(1);
  });
});

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

  it("does not remove a member of another set", () => {
    const [one, two] = [new SlotSet<ReturnType<typeof member>>(), new SlotSet<ReturnType<typeof member>>()];
    const [a, b] = [member("a"), member("b")];
    one.add(a);
    two.add(b);
    expect(two.delete(a)).toBe(false);
    expect(one.size).toBe(1);
  });
});

import { describe, expect, it } from "vitest";
import { WalkState } from "../../lib/storage/walk-state.js";

/** Every value left on `walk`'s stack, top first. */
function drain(walk: WalkState): unknown[] {
  const values: unknown[] = [];
  while (walk.size > 0) values.push(walk.pop());
  return values;
}

describe("WalkState: the stack and seen objects of a walk over a value", () => {
  it("pops what was pushed last first, and reverses a run of pushes in place", () => {
    const walk = WalkState.begin("root");
    walk.push("a");
    const from = walk.size;
    for (const value of ["b", "c", "d"]) walk.push(value);
    walk.reverseFrom(from);
    expect(drain(walk)).toEqual(["b", "c", "d", "a", "root"]);
    walk.end();
  });

  it("tells a seen object from a new one, past the few it scans into a Set", () => {
    const walk = WalkState.begin(undefined);
    const objects = Array.from({ length: 40 }, (_, i) => ({ i }));
    expect(objects.map((object) => walk.add(object))).toEqual(objects.map(() => true));
    expect(objects.map((object) => walk.add(object))).toEqual(objects.map(() => false));
    walk.end();
  });

  it("begins the next walk cleared, whatever the last one left, and a walk begun inside another apart from it", () => {
    const outer = WalkState.begin("outer");
    const seen = {};
    outer.add(seen);
    outer.push("left over");
    const inner = WalkState.begin("inner");
    expect(inner).not.toBe(outer);
    expect(inner.add(seen)).toBe(true);
    inner.end();
    expect(drain(outer)).toEqual(["left over", "outer"]);
    outer.push("still outer's");
    outer.end();
    const next = WalkState.begin("next");
    expect(next.add(seen)).toBe(true);
    expect(drain(next)).toEqual(["next"]);
    next.end();
  });
});

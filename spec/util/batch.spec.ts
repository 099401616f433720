import { describe, expect, it } from "vitest";
import { Batch } from "../../lib/util/batch.js";

describe("Batch", () => {
  it("counts what it holds, so the first add can schedule the drain", () => {
    const batch = new Batch<string>();
    expect([batch.add("a"), batch.add("b"), batch.size]).toEqual([1, 2, 2]);
  });

  it("hands its items over in order, and what is added meanwhile waits for the next drain", () => {
    const batch = new Batch<string>();
    const seen: string[] = [];
    batch.add("a");
    batch.add("b");
    batch.drain((item) => {
      seen.push(item);
      if (item === "a") expect(batch.add(`${item}+`)).toBe(1);
    });
    expect(seen).toEqual(["a", "b"]);
    expect(batch.size).toBe(1);
    batch.add("c");
    batch.drain((item) => seen.push(item));
    expect(seen).toEqual(["a", "b", "a+", "c"]);
    expect(batch.size).toBe(0);
  });

  it("drops the rest of a batch whose handler throws, and starts afresh", () => {
    const batch = new Batch<number>();
    for (let i = 0; i < 4; i++) batch.add(i);
    const seen: number[] = [];
    expect(() =>
      batch.drain((item) => {
        seen.push(item);
        if (item === 1) throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(batch.add(10)).toBe(1);
    batch.drain((item) => seen.push(item));
    batch.add(20);
    batch.drain((item) => seen.push(item));
    expect(seen).toEqual([0, 1, 10, 20]);
  });
});

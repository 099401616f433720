import { describe, expect, it } from "vitest";
import { KnownRanges } from "../../../lib/storage/api/known-ranges.js";

describe("KnownRanges: the key ranges a KV-backed cache knows whole", () => {
  it("holds the keys from a range's start up to, not including, its end", () => {
    const known = new KnownRanges();
    known.add({ start: "b", end: "d" });
    expect(["a", "b", "bz", "c", "d", "e"].map((key) => known.holdsKey(key))).toEqual([false, true, true, true, false, false]);
    known.add({ start: "x" });
    expect(["w", "x", "\u{10ffff}"].map((key) => known.holdsKey(key))).toEqual([false, true, true]);
  });

  it("merges ranges that touch or overlap, in any order, and keeps apart those that do not", () => {
    const known = new KnownRanges();
    known.add({ start: "m", end: "p" });
    known.add({ start: "a", end: "c" });
    known.add({ start: "c", end: "e" });
    known.add({ start: "n", end: "q" });
    expect(known.holdsList({ start: "a", end: "e" })).toBe(true);
    expect(known.holdsList({ start: "m", end: "q", reverse: true })).toBe(true);
    expect(known.holdsList({ start: "a", end: "q" })).toBe(false);
    known.add({ start: "d", end: "m" });
    expect(known.holdsList({ start: "a", end: "q" })).toBe(true);
    expect(known.holdsList({ start: "a" })).toBe(false);
    expect(known.holdsKey("q")).toBe(false);
  });

  it("answers a list only when one span covers its whole range, whatever its limit", () => {
    const known = new KnownRanges();
    known.add({ start: "b", end: "f" });
    expect(known.holdsList({ start: "b", end: "f", limit: 1 })).toBe(true);
    expect(known.holdsList({ start: "c", end: "d", reverse: true })).toBe(true);
    expect(known.holdsList({ start: "b", limit: 1 })).toBe(false);
    expect(known.holdsList({ end: "f", reverse: true, limit: 1 })).toBe(false);
    known.add({ start: "t" });
    expect(known.holdsList({ start: "u", reverse: true, limit: 1 })).toBe(true);
    expect(known.holdsList({ start: "t" })).toBe(true);
    expect(known.holdsList({ start: "s" })).toBe(false);
  });
});

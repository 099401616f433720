import { describe, expect, it } from "vitest";
import { KnownRanges } from "../../../lib/storage/api/known-ranges.js";
import { MemoryBackend } from "../../../lib/storage/backends/memory.js";

/** A store holding `keys`. */
function storeOf(keys: string[]): MemoryBackend {
  const store = new MemoryBackend();
  store.begin();
  for (const key of keys) store.put(key, new Uint8Array([1]));
  store.commit();
  return store;
}

const everyKey = () => true;

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
    const store = storeOf([]);
    expect(known.holdsList({ start: "a", end: "e" }, store, everyKey)).toBe(true);
    expect(known.holdsList({ start: "m", end: "q", reverse: true }, store, everyKey)).toBe(true);
    expect(known.holdsList({ start: "a", end: "q" }, store, everyKey)).toBe(false);
    known.add({ start: "d", end: "m" });
    expect(known.holdsList({ start: "a", end: "q" }, store, everyKey)).toBe(true);
    expect(known.holdsList({ start: "a" }, store, everyKey)).toBe(false);
    expect(known.holdsKey("q")).toBe(false);
  });

  it("answers a list with a limit when the span it starts in holds that many stored keys", () => {
    const known = new KnownRanges();
    known.add({ start: "b", end: "f" });
    const store = storeOf(["a", "b", "c", "e", "g"]);
    expect(known.holdsList({ start: "b", limit: 3 }, store, everyKey)).toBe(true);
    expect(known.holdsList({ start: "b", limit: 4 }, store, everyKey)).toBe(false);
    expect(known.holdsList({ start: "a", limit: 1 }, store, everyKey)).toBe(false);
    // In reverse the list starts at its end, and counts down from there.
    expect(known.holdsList({ end: "f", reverse: true, limit: 3 }, store, everyKey)).toBe(true);
    expect(known.holdsList({ end: "f", reverse: true, limit: 4 }, store, everyKey)).toBe(false);
    expect(known.holdsList({ end: "g", reverse: true, limit: 1 }, store, everyKey)).toBe(false);
  });

  it("counts the stored key a span ends at, listing forward, when the cache holds it", () => {
    const known = new KnownRanges();
    known.add({ start: "b", end: "e" });
    const store = storeOf(["b", "c", "e", "g"]);
    expect(known.holdsList({ start: "b", limit: 3 }, store, everyKey)).toBe(true);
    expect(known.holdsList({ start: "b", limit: 3 }, store, (key) => key !== "e")).toBe(false);
    expect(known.holdsList({ start: "b", end: "e", limit: 3 }, store, everyKey)).toBe(true);
    expect(known.holdsList({ start: "b", limit: 4 }, store, everyKey)).toBe(false);
    expect(known.holdsList({ start: "c", end: "ea", reverse: true, limit: 2 }, store, everyKey)).toBe(false);
  });
});

/** Unit tests for key ordering and list() option compilation (no emulator involved). */
import { describe, expect, it } from "vitest";
import { compareKeys, normalizeKey } from "../../lib/storage/keys.js";
import { utf8Length } from "../../lib/util/utf8.js";
import { compileListOptions } from "../../lib/storage/list-options.js";
import { toListOptions } from "../../lib/storage/api/arguments.js";
import { site } from "../../lib/util/webidl.js";

/** list() options as the storage API converts and compiles them. */
const compileConverted = (options: unknown) => compileListOptions(toListOptions(site("DurableObjectStorage", "list"), options, 1));

const utf8Compare = (a: string, b: string) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));

describe("compareKeys", () => {
  it.each<[string, string]>([
    ["", "a"],
    ["B", "a"],
    ["a", "a\u0000"],
    ["a\u0000", "aa"],
    ["\u007f", "\u0080"],
    ["\uD7FF", "\uE000"],
    ["\uD7FF", "\u{10000}"],
    ["\uE000", "\u{10000}"],
    ["\uFF61", "\u{1F600}"], // JavaScript's < says the opposite
    ["\uFFFF", "\u{10000}"],
    ["\u{1F600}", "\u{1F601}"],
    ["\u{10000}", "\u{10FFFF}"],
    ["a\uFFFD", "a\u{1F600}"],
  ])("orders %j before %j", (lower, higher) => {
    expect(compareKeys(lower, higher)).toBeLessThan(0);
    expect(compareKeys(higher, lower)).toBeGreaterThan(0);
  });

  it("is zero only for equal strings", () => {
    expect(compareKeys("\u{1F600}x", "\u{1F600}x")).toBe(0);
    expect(compareKeys("x", "x\u0000")).not.toBe(0);
  });

  it("agrees with byte-wise comparison of UTF-8 on mixed strings", () => {
    // Characters from every UTF-8 length class, and around the surrogate range.
    const alphabet = ["", "a", "\u0000", "\u007f", "é", "\u07ff", "\u0800", "\uD7FF", "\uE000", "\uFF61", "\uFFFF", "\u{10000}", "\u{1F600}", "\u{10FFFF}"];
    let seed = 1;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const word = () => Array.from({ length: 1 + Math.floor(random() * 4) }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
    const words = Array.from({ length: 300 }, word);
    const sorted = [...words].sort(compareKeys);
    expect(sorted).toEqual([...words].sort(utf8Compare));
    // JavaScript's default sort would not do: the test data tells the orders apart.
    expect([...words].sort()).not.toEqual(sorted);
  });
});

describe("normalizeKey (keys of KV-backed storage on disk)", () => {
  it.each([
    ["a lone high surrogate", "a\uD800", "a\uFFFD\uFFFD\uFFFD"],
    ["a lone low surrogate", "\uDC00b", "\uFFFD\uFFFD\uFFFDb"],
    ["reversed surrogates", "\uDE00\uD83D", "\uFFFD".repeat(6)],
  ])("turns %s into three U+FFFD, as workerd lists such a key", (_title, key, expected) => {
    expect(normalizeKey(key)).toBe(expected);
  });

  it("leaves well-formed keys alone", () => {
    expect(normalizeKey("a\u{1F600}é")).toBe("a\u{1F600}é");
  });
});

describe("utf8Length", () => {
  it.each(["", "ascii", "k".repeat(2048), "é".repeat(1025), "\u{1F600}", "\uFF61".repeat(700), "x".repeat(681) + "é"])(
    "matches Buffer.byteLength for %#",
    (s) => {
      expect(utf8Length(s)).toBe(Buffer.byteLength(s, "utf8"));
    },
  );
});

describe("compileListOptions", () => {
  it("with no options lists everything, forwards", () => {
    expect(compileListOptions({})).toEqual({ reverse: false });
  });

  it("turns startAfter into its successor key + NUL", () => {
    expect(compileListOptions({ startAfter: "a" })).toEqual({ start: "a\u0000", reverse: false });
  });

  it.each<[string, string, string | undefined]>([
    ["ASCII", "ab", "ac"],
    ["two-byte", "é", "ê"],
    ["astral", "\u{1F600}", "\u{1F601}"],
    ["U+D7FF (skipping the surrogates)", "\uD7FF", "\uE000"],
    ["U+FFFF", "\uFFFF", "\u{10000}"],
    ["U+10FFFF (carrying into the previous character)", "a\u{10FFFF}", "b"],
    ["only U+10FFFF (no upper bound)", "\u{10FFFF}", undefined],
  ])("bounds a prefix ending in %s", (_title, prefix, end) => {
    const range = compileListOptions({ prefix });
    expect(range?.start).toBe(prefix);
    expect(range?.end).toBe(end);
  });

  it("keeps the narrower of prefix and start/end", () => {
    expect(compileListOptions({ prefix: "b", start: "a", end: "z" })).toMatchObject({ start: "b", end: "c" });
    expect(compileListOptions({ prefix: "b", start: "bb", end: "bm" })).toMatchObject({ start: "bb", end: "bm" });
  });

  it("keeps a bound's lone surrogates by default (its WTF-8 bytes order it), or takes the backend's key form", () => {
    expect(compileListOptions({ start: "a\uD800", end: "b\uDC00" })).toMatchObject({ start: "a\uD800", end: "b\uDC00" });
    expect(compileListOptions({ start: "a\uD800" }, normalizeKey)).toMatchObject({ start: "a\uFFFD\uFFFD\uFFFD" });
  });

  it("coerces a null prefix to the key \"null\", like start and end", () => {
    expect(compileConverted({ prefix: null })).toMatchObject({ start: "null", end: "nulm" });
    expect(compileConverted({ start: null, end: null })).toBeNull();
  });

  it("treats an empty prefix as no bound", () => {
    const range = compileListOptions({ prefix: "" });
    expect(range?.start ?? "").toBe(""); // "" is the smallest key
    expect(range?.end).toBeUndefined();
  });

  it.each([
    { start: "b", end: "a" },
    { start: "a", end: "a" },
    { startAfter: "a", end: "a\u0000" },
    { prefix: "a", start: "b" },
    { prefix: "b", end: "a" },
  ])("returns null for the empty range %j", (options) => {
    expect(compileListOptions(options)).toBeNull();
  });

  it("keeps reverse and a truncated limit", () => {
    expect(compileConverted({ reverse: true, limit: 2.9 })).toEqual({ reverse: true, limit: 2 });
  });

  it.each([0, -1, 0.9, NaN, Infinity, null])("rejects limit %s", (limit) => {
    expect(() => compileConverted({ limit })).toThrow(new TypeError("List limit must be positive."));
  });

  it("rejects a limit outside the 32-bit integer range", () => {
    expect(() => compileConverted({ limit: 2 ** 32 + 1 })).toThrow(
      new TypeError("Value out of range. Must be between -2147483648 and 2147483647 (inclusive)."),
    );
  });

  it("rejects start together with startAfter, even when the range would be empty", () => {
    expect(() => compileListOptions({ start: "b", startAfter: "a", end: "a" })).toThrow(
      new TypeError("list() cannot be called with both start and startAfter values."),
    );
  });
});

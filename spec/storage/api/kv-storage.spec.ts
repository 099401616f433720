/**
 * The asynchronous KV storage API (`ctx.storage`) on the KV backend, driven like user code:
 * a Durable Object class exposes storage operations as RPC methods and tests call them.
 * Expected values and error messages were checked against workerd (`inMemory` storage).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Emulator } from "../../../lib/index.js";
import type { ListOptions } from "../../../lib/storage/list-options.js";
import type { DurableObjectStorage } from "../../../lib/storage/api/storage.js";
import { DurableObject } from "../../../lib/modules/workers.js";
import { rejection } from "../../helpers.js";

class Store extends DurableObject {
  get storage(): DurableObjectStorage {
    return (this.ctx as { storage: DurableObjectStorage }).storage;
  }

  get(key: unknown) {
    return this.storage.get(key);
  }
  getMany(keys: unknown[]) {
    return this.storage.get(keys);
  }
  put(key: unknown, value: unknown) {
    return this.storage.put(key, value);
  }
  putEntries(entries: Record<string, unknown>, options?: unknown) {
    return this.storage.put(entries, options);
  }
  delete(key: unknown) {
    return this.storage.delete(key);
  }
  deleteMany(keys: unknown[]) {
    return this.storage.delete(keys);
  }
  deleteAll() {
    return this.storage.deleteAll();
  }
  /** get() and delete() of `[, "a"]`, an array with a hole at index 0 (made here: RPC would copy it). */
  async holeyKeys() {
    // eslint-disable-next-line no-sparse-arrays
    const keys = () => [, "a"];
    return { got: await this.storage.get(keys()), deleted: await this.storage.delete(keys()) };
  }
  list(options?: ListOptions) {
    return this.storage.list(options);
  }
  async listKeys(options?: ListOptions) {
    return [...(await this.storage.list(options)).keys()];
  }
  getAlarm() {
    return this.storage.getAlarm();
  }
  setAlarm(time: number | Date) {
    return this.storage.setAlarm(time);
  }
  deleteAlarm() {
    return this.storage.deleteAlarm();
  }
  alarm() {}

  /** Stores what `put(key, value)` stores, and returns a fresh read of it. */
  async roundTrip(value: unknown) {
    await this.storage.put("value", value);
    return this.storage.get("value");
  }

  /** Class instances cannot cross RPC, so this one is made (and inspected) in the object. */
  async storeClassInstance() {
    class Point {
      constructor(
        public x: number,
        public y: number,
      ) {}
      norm() {
        return Math.hypot(this.x, this.y);
      }
    }
    await this.storage.put("point", new Point(3, 4));
    const stored = await this.storage.get("point");
    return { isPlainObject: Object.getPrototypeOf(stored) === Object.prototype, stored: { ...(stored as object) } };
  }

  /** Functions cannot be passed over RPC either: `put()` one made here. */
  async putUncloneable(kind: "function" | "symbol" | "nested symbol") {
    const values = { function: function answer() { return 42; }, symbol: Symbol("x"), "nested symbol": { a: Symbol("x") } };
    const value = values[kind];
    try {
      await this.storage.put("bad", value);
      return { stored: true };
    } catch (error) {
      const { name, message } = error as Error;
      return { isDOMException: error instanceof DOMException, name, message, source: String(values.function) };
    }
  }

  async mutateAGotObject() {
    await this.storage.put("obj", { count: 1, tags: ["a"] });
    const first = (await this.storage.get("obj")) as { count: number; tags: string[] };
    first.count = 99;
    first.tags.push("b");
    const second = await this.storage.get("obj");
    return { sameObject: first === second, second };
  }

  async putThenThrow(key: string) {
    await this.storage.put(key, "written before the throw");
    throw new Error("handler failed");
  }
}

class NoAlarmHandler extends DurableObject {
  setAlarm(time: number) {
    return (this.ctx as { storage: DurableObjectStorage }).storage.setAlarm(time);
  }
}

let emu: Emulator;
let objects = 0;

/** A stub for a new object, so every test starts with empty storage. */
function freshStore(): Store {
  const namespace = emu.env.STORE as { getByName(name: string): unknown };
  return namespace.getByName(`store-${++objects}`) as Store;
}

beforeAll(() => {
  emu = new Emulator({
    module: { Store, NoAlarmHandler },
    durableObjects: { STORE: "Store", NO_ALARM: "NoAlarmHandler" },
  });
});

afterAll(async () => {
  await emu.dispose();
});

/** Keys in increasing order of their UTF-8 encodings (code point order, not UTF-16 order). */
const UTF8_ORDER = ["", "B", "a", "a\u0000", "aa", "é", "\uFF61", "\u{1F600}"];

describe("get, put and delete", () => {
  it("reads back a put value, and undefined for a missing key", async () => {
    const store = freshStore();
    await store.put("greeting", "hello");
    expect(await store.get("greeting")).toBe("hello");
    expect(await store.get("missing")).toBeUndefined();
  });

  it("put(entries) writes every pair, and get(keys) returns a Map that omits missing keys", async () => {
    const store = freshStore();
    await store.putEntries({ one: 1, two: 2 });
    expect(await store.getMany(["one", "two", "three"])).toEqual(new Map([["one", 1], ["two", 2]]));
  });

  it("get(keys) returns its Map in UTF-8 key order, not request order", async () => {
    const store = freshStore();
    await store.putEntries({ aa: 1, a: 2, B: 3 });
    const result = (await store.getMany(["aa", "a", "zz", "B"])) as Map<string, unknown>;
    expect([...result.keys()]).toEqual(["B", "a", "aa"]);
  });

  it("get(keys) orders astral characters after U+FF61, unlike JavaScript's sort()", async () => {
    const store = freshStore();
    await store.putEntries({ "\u{1F600}": 1, "\uFF61": 2 });
    const result = (await store.getMany(["\u{1F600}", "\uFF61"])) as Map<string, unknown>;
    expect([...result.keys()]).toEqual(["\uFF61", "\u{1F600}"]);
  });

  it("delete(key) reports whether the key existed", async () => {
    const store = freshStore();
    await store.put("k", 1);
    expect(await store.delete("k")).toBe(true);
    expect(await store.delete("k")).toBe(false);
    expect(await store.get("k")).toBeUndefined();
  });

  it("delete(keys) returns how many of the keys existed", async () => {
    const store = freshStore();
    await store.putEntries({ aa: 1, B: 2, kept: 3 });
    expect(await store.deleteMany(["aa", "B", "nope"])).toBe(2);
    expect(await store.listKeys()).toEqual(["kept"]);
  });

  it("coerces non-string keys with String()", async () => {
    const store = freshStore();
    await store.put(123, "number key");
    await store.put(undefined, "undefined key");
    await store.put(["x", "y"], "array key"); // an array is a key, not an entries object
    expect(await store.get("123")).toBe("number key");
    expect(await store.get("undefined")).toBe("undefined key");
    expect(await store.get("x,y")).toBe("array key");
  });

  it("reads a hole in a key array as undefined, the key \"undefined\"", async () => {
    const store = freshStore();
    await store.putEntries({ undefined: 1, a: 2, b: 3 });
    expect(await store.holeyKeys()).toEqual({ got: new Map([["a", 2], ["undefined", 1]]), deleted: 2 });
    expect(await store.listKeys()).toEqual(["b"]);
  });

  it("keeps lone-surrogate keys distinct, but lists each lone surrogate as three U+FFFD (as workerd does)", async () => {
    const store = freshStore();
    await store.put("a\uD800", "high");
    await store.put("a\uDC00", "low");
    await store.put("a\uFFFD", "replacement");
    expect(await store.get("a\uD800")).toBe("high");
    expect(await store.get("a\uDC00")).toBe("low");
    // ED A0 80 < ED B0 80 < EF BF BD in bytes; the two lone keys collide once decoded.
    expect([...(await store.list())]).toEqual([
      ["a\uFFFD\uFFFD\uFFFD", "low"],
      ["a\uFFFD", "replacement"],
    ]);
  });

  it("writes made before a handler throws are committed", async () => {
    const store = freshStore();
    expect(await rejection(store.putThenThrow("k"))).toMatchObject({ name: "Error", message: "handler failed", remote: true });
    expect(await store.get("k")).toBe("written before the throw");
  });
});

describe("put() arguments and values", () => {
  it("rejects put(key, undefined)", async () => {
    const store = freshStore();
    expect(await rejection(store.put("k", undefined))).toMatchObject({
      name: "TypeError",
      message: "put() called with undefined value.",
    });
    expect(await store.get("k")).toBeUndefined();
  });

  it("skips entries whose value is undefined in put(entries)", async () => {
    const store = freshStore();
    await store.putEntries({ a: undefined, b: 1 });
    expect(await store.list()).toEqual(new Map([["b", 1]]));
  });

  it.each([5, "x", true])("rejects put(entries, %j): the second argument must be options", async (second) => {
    const store = freshStore();
    expect(await rejection(store.putEntries({ a: 1 }, second))).toMatchObject({
      name: "TypeError",
      message:
        "put() may only be called with a single key-value pair and optional options as put(key, value, options) " +
        "or with multiple key-value pairs and optional options as put(entries, options)",
    });
    expect(await store.get("a")).toBeUndefined();
  });

  it("stores null", async () => {
    const store = freshStore();
    await store.put("nothing", null);
    expect(await store.get("nothing")).toBeNull();
    expect(await store.getMany(["nothing"])).toEqual(new Map([["nothing", null]]));
  });

  it.each<[string, unknown]>([
    ["a Map", new Map<unknown, unknown>([["k", 1], [2, { nested: true }]])],
    ["a Set", new Set(["a", 1])],
    ["a Date", new Date(1_700_000_000_123)],
    ["a BigInt", 2n ** 80n],
    ["a Uint8Array", new Uint8Array([1, 2, 255])],
    ["a Float64Array", new Float64Array([0.5, -1])],
    ["an ArrayBuffer", new Uint16Array([7, 8]).buffer],
    ["nested plain data", { list: [1, "two", { three: 3 }], flag: false }],
  ])("round-trips %s as a structured clone", async (_label, value) => {
    expect(await freshStore().roundTrip(value)).toStrictEqual(value);
  });

  it("keeps -0 distinct from 0", async () => {
    expect(Object.is(await freshStore().roundTrip(-0), -0)).toBe(true);
  });

  it("keeps holes in sparse arrays", async () => {
    const sparse = [1, , 3];
    sparse.length = 5;
    const stored = (await freshStore().roundTrip(sparse)) as unknown[];
    expect(stored).toHaveLength(5);
    expect(Object.keys(stored)).toEqual(["0", "2"]);
  });

  it("keeps cycles", async () => {
    const node: { name: string; self?: unknown } = { name: "node" };
    node.self = node;
    const stored = (await freshStore().roundTrip(node)) as typeof node;
    expect(stored.name).toBe("node");
    expect(stored.self).toBe(stored);
  });

  it("stores a class instance as a plain object with its own properties", async () => {
    expect(await freshStore().storeClassInstance()).toEqual({ isPlainObject: true, stored: { x: 3, y: 4 } });
  });

  it("rejects a function with a DataCloneError naming its source", async () => {
    const outcome = await freshStore().putUncloneable("function");
    expect(outcome).toMatchObject({ isDOMException: true, name: "DataCloneError" });
    expect(outcome.message).toBe(`${outcome.source} could not be cloned.`);
  });

  it.each(["symbol", "nested symbol"] as const)("rejects a %s with a DataCloneError", async (kind) => {
    expect(await freshStore().putUncloneable(kind)).toMatchObject({
      isDOMException: true,
      name: "DataCloneError",
      message: "Symbol(x) could not be cloned.",
    });
  });

  it("returns a fresh copy on every get(), so mutating a result does not change storage", async () => {
    expect(await freshStore().mutateAGotObject()).toEqual({
      sameObject: false,
      second: { count: 1, tags: ["a"] },
    });
  });
});

describe("list()", () => {
  const KEYS = [...UTF8_ORDER, "ab", "b", "éa", "éz", "ê", "\u{1F600}x", "\u{1F601}"];
  let store: Store;

  beforeAll(async () => {
    store = freshStore();
    // Inserted in JavaScript sort order, which is not storage order.
    await store.putEntries(Object.fromEntries([...KEYS].sort().map((key) => [key, key.length])));
  });

  it("returns every key in UTF-8 byte order with its value", async () => {
    const all = (await store.list()) as Map<string, unknown>;
    const expected = ["", "B", "a", "a\u0000", "aa", "ab", "b", "é", "éa", "éz", "ê", "\uFF61", "\u{1F600}", "\u{1F600}x", "\u{1F601}"];
    expect([...all.keys()]).toEqual(expected);
    expect(all.get("éa")).toBe(2);
    expect(expected.filter((key) => UTF8_ORDER.includes(key))).toEqual(UTF8_ORDER);
  });

  it.each<[string, ListOptions, string[]]>([
    ["start is inclusive", { start: "aa", end: "b" }, ["aa", "ab"]],
    ["startAfter is exclusive and its successor is key + NUL", { startAfter: "a", end: "ab" }, ["a\u0000", "aa"]],
    ["end is exclusive", { end: "a\u0000" }, ["", "B", "a"]],
    ["prefix selects the keys starting with it", { prefix: "a" }, ["a", "a\u0000", "aa", "ab"]],
    ["a prefix ending in a two-byte character stops before the next character", { prefix: "é" }, ["é", "éa", "éz"]],
    ["an astral prefix stops before the next code point", { prefix: "\u{1F600}" }, ["\u{1F600}", "\u{1F600}x"]],
    ["prefix with a later start", { prefix: "é", start: "éb" }, ["éz"]],
    ["prefix with an earlier end", { prefix: "é", end: "éb" }, ["é", "éa"]],
    ["prefix with a start before the prefix", { prefix: "é", start: "a" }, ["é", "éa", "éz"]],
    ["prefix with an end after the prefix", { prefix: "a", end: "z" }, ["a", "a\u0000", "aa", "ab"]],
    ["prefix with startAfter", { prefix: "a", startAfter: "a" }, ["a\u0000", "aa", "ab"]],
    ["an empty prefix matches everything", { prefix: "", limit: 3 }, ["", "B", "a"]],
    ["limit takes the first keys", { limit: 2 }, ["", "B"]],
    ["a fractional limit is truncated", { limit: 2.9 }, ["", "B"]],
    ["limit applies after start and prefix", { prefix: "a", start: "a\u0000", limit: 2 }, ["a\u0000", "aa"]],
    ["reverse with limit takes the last keys", { reverse: true, limit: 3 }, ["\u{1F601}", "\u{1F600}x", "\u{1F600}"]],
    ["reverse keeps start inclusive and end exclusive", { start: "a", end: "b", reverse: true }, ["ab", "aa", "a\u0000", "a"]],
    ["reverse with prefix and limit", { prefix: "é", reverse: true, limit: 2 }, ["éz", "éa"]],
  ])("%s", async (_title, options, expected) => {
    expect(await store.listKeys(options)).toEqual(expected);
  });

  it.each<[string, ListOptions]>([
    ["end before start", { start: "b", end: "a" }],
    ["end equal to start", { start: "a", end: "a" }],
    ["a prefix disjoint from start", { prefix: "a", start: "b" }],
    ["a prefix disjoint from end", { prefix: "b", end: "a" }],
    ["a prefix no key has", { prefix: "zz" }],
    ["startAfter the last key", { startAfter: "\u{1F601}" }],
  ])("returns an empty Map, without error, for %s", async (_title, options) => {
    expect(await store.list(options)).toEqual(new Map());
  });

  it("rejects options that are not an object", async () => {
    expect(await rejection(store.list("a" as ListOptions))).toMatchObject({
      name: "TypeError",
      message: "Failed to execute 'list' on 'DurableObjectStorage': parameter 1 is not of type 'ListOptions'.",
    });
  });

  it("rejects start together with startAfter", async () => {
    expect(await rejection(store.list({ start: "a", startAfter: "b" }))).toMatchObject({
      name: "TypeError",
      message: "list() cannot be called with both start and startAfter values.",
    });
  });

  // The runtime converts limit to an integer first, so a fraction below 1 and NaN become 0.
  it.each([0, -1, 0.5, NaN, Infinity, null])("rejects limit %s", async (limit) => {
    expect(await rejection(store.list({ limit: limit as number }))).toMatchObject({
      name: "TypeError",
      message: "List limit must be positive.",
    });
  });

  it("lists more than 128 keys, in order", async () => {
    const big = freshStore();
    const keys = Array.from({ length: 300 }, (_, i) => `key-${String(i).padStart(3, "0")}`);
    await big.putEntries(Object.fromEntries(keys.map((key, i) => [key, i])));
    expect(await big.listKeys()).toEqual(keys);
    expect(await big.listKeys({ start: "key-100", limit: 150 })).toEqual(keys.slice(100, 250));
    expect(await big.listKeys({ reverse: true, limit: 200 })).toEqual(keys.slice(100).reverse());
  });
});

describe("KV backend limits", () => {
  const KEY_TOO_LARGE = "Keys cannot be larger than 2048 bytes. A key of size 2050 was provided.";
  /** 1025 two-byte characters: 2050 UTF-8 bytes, though only 1025 UTF-16 units. */
  const LONG_KEY = "é".repeat(1025);

  it("accepts a key of exactly 2048 bytes", async () => {
    const store = freshStore();
    await store.put("k".repeat(2048), 1);
    expect(await store.get("k".repeat(2048))).toBe(1);
  });

  it.each<[string, (store: Store) => Promise<unknown>]>([
    ["put(key)", (store) => store.put(LONG_KEY, 1)],
    ["put(entries)", (store) => store.putEntries({ [LONG_KEY]: 1 })],
    ["get(key)", (store) => store.get(LONG_KEY)],
    ["delete(key)", (store) => store.delete(LONG_KEY)],
    ["delete(keys)", (store) => store.deleteMany([LONG_KEY])],
  ])("%s rejects a key over 2048 UTF-8 bytes", async (_title, call) => {
    expect(await rejection(call(freshStore()))).toMatchObject({ name: "RangeError", message: KEY_TOO_LARGE });
  });

  it("get(keys) does not check key sizes (workerd's KV backend skips that check there)", async () => {
    const store = freshStore();
    await store.put("ok", 1);
    expect(await store.getMany(["ok", LONG_KEY])).toEqual(new Map([["ok", 1]]));
  });

  it("accepts a value whose serialization is 131072 + 34 bytes", async () => {
    // V8 serialization: 2-byte header, a one-byte-string tag, a 3-byte varint length, then the characters.
    const store = freshStore();
    await store.put("k", "x".repeat(131100));
    expect(await store.get("k")).toHaveLength(131100);
  });

  it("rejects a value one byte larger, reporting its serialized size", async () => {
    const store = freshStore();
    expect(await rejection(store.put("k", "x".repeat(131101)))).toMatchObject({
      name: "RangeError",
      message: "Values cannot be larger than 131072 bytes. A value of size 131107 was provided.",
    });
    expect(await store.get("k")).toBeUndefined();
  });

  it("rejects get() of more than 128 keys", async () => {
    const keys = Array.from({ length: 129 }, (_, i) => `k${i}`);
    expect(await rejection(freshStore().getMany(keys))).toMatchObject({
      name: "RangeError",
      message: "Maximum number of key value pairs is 128. 129 pairs were provided.",
    });
  });

  it("does not limit the number of pairs in put(entries) or keys in delete(keys)", async () => {
    const store = freshStore();
    const keys = Array.from({ length: 200 }, (_, i) => `k${i}`);
    await store.putEntries(Object.fromEntries(keys.map((key) => [key, key])));
    expect(((await store.list()) as Map<string, unknown>).size).toBe(200);
    expect(await store.deleteMany(keys)).toBe(200);
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      "an oversized value",
      { first: 1, big: "x".repeat(200_000), last: 3 },
      "Values cannot be larger than 131072 bytes. A value of size 200006 was provided.",
    ],
    [
      "an oversized key",
      { first: 1, ["k".repeat(3000)]: 2, last: 3 },
      "Keys cannot be larger than 2048 bytes. A key of size 3000 was provided.",
    ],
  ])("applies nothing of a put(entries) with %s", async (_title, entries, message) => {
    const store = freshStore();
    expect(await rejection(store.putEntries(entries))).toMatchObject({ name: "RangeError", message });
    expect(await store.list()).toEqual(new Map());
  });

  it("serialises every value before checking any size: a value that cannot be cloned is refused first", async () => {
    const store = freshStore();
    // (The store's calls cross RPC, where a function becomes a stub: its message names no source.)
    const uncloneable = { name: "DataCloneError" };
    expect(await rejection(store.put(LONG_KEY, () => 1))).toMatchObject(uncloneable);
    expect(await rejection(store.putEntries({ [LONG_KEY]: 1, fn: () => 1 }))).toMatchObject(uncloneable);
    expect(await rejection(store.putEntries({ big: "x".repeat(200_000), fn: [() => 1] }))).toMatchObject(uncloneable);
    // Once serialised, each entry's key is checked before its value's size, in entry order.
    expect(await rejection(store.put(LONG_KEY, "x".repeat(200_000)))).toMatchObject({ name: "RangeError", message: KEY_TOO_LARGE });
    expect(await rejection(store.putEntries({ big: "x".repeat(200_000), [LONG_KEY]: 1 }))).toMatchObject({
      message: "Values cannot be larger than 131072 bytes. A value of size 200006 was provided.",
    });
    expect(await store.list()).toEqual(new Map());
  });
});

describe("deleteAll()", () => {
  it("removes every key and the alarm", async () => {
    const store = freshStore();
    await store.putEntries({ a: 1, b: 2, c: 3 });
    await store.setAlarm(Date.now() + 3_600_000);
    await store.deleteAll();
    expect(await store.list()).toEqual(new Map());
    expect(await store.getAlarm()).toBeNull();
  });

  it("leaves storage usable afterwards", async () => {
    const store = freshStore();
    await store.put("old", 1);
    await store.deleteAll();
    await store.put("new", 2);
    expect(await store.list()).toEqual(new Map([["new", 2]]));
  });
});

describe("alarm storage", () => {
  const IN_AN_HOUR = () => Date.now() + 3_600_000;

  it("getAlarm() is null until an alarm is set", async () => {
    const store = freshStore();
    expect(await store.getAlarm()).toBeNull();
    const time = IN_AN_HOUR();
    await store.setAlarm(time);
    expect(await store.getAlarm()).toBe(time);
  });

  it("accepts a Date", async () => {
    const store = freshStore();
    const time = IN_AN_HOUR();
    await store.setAlarm(new Date(time));
    expect(await store.getAlarm()).toBe(time);
  });

  it.each<[string, unknown, string]>([
    ["0", 0, "setAlarm() cannot be called with an alarm time <= 0"],
    ["a negative time", -1, "setAlarm() cannot be called with an alarm time <= 0"],
    ["a time that truncates to 0", 0.5, "setAlarm() cannot be called with an alarm time <= 0"],
    ["the epoch as a Date", new Date(0), "setAlarm() cannot be called with an alarm time <= 0"],
    ["NaN", NaN, "The value cannot be converted because it is not a valid Date."],
    ["Infinity", Infinity, "The value cannot be converted because it is not a valid Date."],
    ["an invalid Date", new Date(NaN), "The value cannot be converted because it is not a valid Date."],
    ["a time past the 64-bit nanosecond range", 8.64e15, "This API doesn't support dates after 2189."],
    ["a string", "1700000000000", "Failed to execute 'setAlarm' on 'DurableObjectStorage': parameter 1 is not of type 'date'."],
    ["null", null, "Failed to execute 'setAlarm' on 'DurableObjectStorage': parameter 1 is not of type 'date'."],
  ])("rejects setAlarm() with %s", async (_title, time, message) => {
    const store = freshStore();
    expect(await rejection(store.setAlarm(time as number))).toMatchObject({ name: "TypeError", message });
    expect(await store.getAlarm()).toBeNull();
  });

  it("rejects setAlarm() when the class has no alarm() handler", async () => {
    const namespace = emu.env.NO_ALARM as { getByName(name: string): unknown };
    const stub = namespace.getByName("no-alarm") as NoAlarmHandler;
    expect(await rejection(stub.setAlarm(IN_AN_HOUR()))).toMatchObject({
      name: "TypeError",
      message: "Your Durable Object class must have an alarm() handler in order to call setAlarm()",
    });
  });

  it("clamps a past time to now, so getAlarm() reports now rather than the time passed", async () => {
    const store = freshStore();
    const before = Date.now();
    await store.setAlarm(1000);
    const after = Date.now();
    const alarm = (await store.getAlarm()) as number;
    expect(alarm).toBeGreaterThanOrEqual(before);
    expect(alarm).toBeLessThanOrEqual(after);
  });

  it("truncates fractional milliseconds", async () => {
    const store = freshStore();
    const time = IN_AN_HOUR();
    await store.setAlarm(time + 0.7);
    expect(await store.getAlarm()).toBe(time);
  });

  it("deleteAlarm() clears the alarm", async () => {
    const store = freshStore();
    await store.setAlarm(IN_AN_HOUR());
    await store.deleteAlarm();
    expect(await store.getAlarm()).toBeNull();
  });
});

// Checklist §10.8–11: the async KV API on both backends: ordering, list options, put/get/
// delete validation, values, deleteAll. Bodies run inside the object (`s` = ctx.storage).
import { insideBoth, inside } from "../scenario.mjs";

// Keys whose UTF-8 order differs from JS UTF-16 order ('｡' U+FF61 < '😀' U+1F600 in UTF-8).
const ODD_KEYS = `["😀", "｡", "é", "aa", "a\\u0000", "a", "B", "", "\\uffff", "\\u{10ffff}", "~", "Z", "a\\u0001", "ab"]`;

export default [
  insideBoth("kv: list() is in UTF-8 byte order", `
    for (const k of ${ODD_KEYS}) await s.put(k, k.length);
    return [...(await s.list()).keys()];`),
  insideBoth("kv: get([...]) returns a Map in key order without missing keys", `
    await s.put({ aa: 1, a: 2, B: 3, "😀": 4, "｡": 5 });
    const m = await s.get(["zz", "😀", "aa", "a", "｡", "B", "missing", "a"]);
    return { entries: show(m), single: show(await s.get("missing")), empty: show(await s.get([])) };`),
  insideBoth("kv: list() options", `
    await s.put(Object.fromEntries(["a", "a\\u0000", "ab", "abc", "b", "ba", "c", "d"].map((k) => [k, 1])));
    const cases = {
      start: { start: "ab" }, startAfter: { startAfter: "a" }, end: { end: "b" },
      startEnd: { start: "ab", end: "ba" }, prefix: { prefix: "ab" }, prefixA: { prefix: "a" },
      reverse: { reverse: true }, limit: { limit: 2 }, reverseLimit: { reverse: true, limit: 3 },
      prefixReverseLimit: { prefix: "a", reverse: true, limit: 2 }, startAfterEnd: { startAfter: "ab", end: "c" },
      prefixWithStart: { prefix: "a", start: "ab" }, prefixWithEnd: { prefix: "a", end: "ab" },
      prefixWithStartAfter: { prefix: "a", startAfter: "ab" }, emptyPrefix: { prefix: "" },
      startMissingKey: { start: "aaa" }, limitHuge: { limit: 1000 },
      reverseStartEnd: { reverse: true, start: "ab", end: "c" },
    };
    const out = {};
    for (const [k, o] of Object.entries(cases)) out[k] = [...(await s.list(o)).keys()];
    return out;`),
  insideBoth("kv: list() empty ranges", `
    await s.put({ a: 1, b: 2, c: 3 });
    const cases = { endBeforeStart: { start: "c", end: "a" }, equal: { start: "b", end: "b" },
      prefixOutsideRange: { prefix: "a", start: "b" }, prefixNoMatch: { prefix: "zz" },
      startAfterLast: { startAfter: "c" }, endFirst: { end: "a" } };
    const out = {};
    for (const [k, o] of Object.entries(cases)) out[k] = [...(await s.list(o)).keys()];
    return out;`),
  insideBoth("kv: list() option errors and coercions", `
    await s.put({ a: 1, b: 2, c: 3 });
    const cases = { both: { start: "a", startAfter: "a" }, limit0: { limit: 0 }, limitNegative: { limit: -1 },
      limitFraction: { limit: 1.5 }, limitNaN: { limit: NaN }, limitString: { limit: "2" },
      limitInfinity: { limit: Infinity }, startNumber: { start: 2 }, reverseString: { reverse: "yes" },
      undefinedOptions: undefined, nullStart: { start: null }, prefixNumber: { prefix: 1 } };
    const out = {};
    for (const [k, o] of Object.entries(cases)) out[k] = await outcome(async () => [...(await s.list(o)).keys()]);
    out.notAnObject = await outcome(async () => [...(await s.list("a")).keys()]);
    return out;`),
  insideBoth("kv: put() validation", `
    return {
      undefinedValue: await outcome(() => s.put("k", undefined)),
      entriesWithUndefined: await outcome(async () => { await s.put({ x: undefined, y: 1 }); return show(await s.get(["x", "y"])); }),
      nullValue: await outcome(async () => { await s.put("n", null); return show(await s.get("n")); }),
      entriesThenValue: await outcome(() => s.put({ a: 1 }, 2)),
      entriesThenString: await outcome(() => s.put({ a: 1 }, "x")),
      noArguments: await outcome(() => s.put()),
      keyOnly: await outcome(() => s.put("only")),
      emptyEntries: await outcome(() => s.put({})),
      arrayEntries: await outcome(async () => { await s.put(["v0", "v1"]); return show(await s.get(["0", "1"])); }),
      returns: show(await s.put("r", 1)),
    };`),
  insideBoth("kv: keys are coerced with String()", `
    await s.put(123, "num");
    return {
      number: show(await s.get("123")),
      // An object in first position means put(entries, options), even with a toString().
      objectKey: await outcome(() => s.put({ toString() { return "custom"; } }, "obj")),
      objectKeyGet: await outcome(() => s.get({ toString() { return "custom"; } })),
      getNumber: show(await s.get(123)),
      getUndefined: await outcome(() => s.get(undefined)),
      getNull: await outcome(() => s.get(null)),
      getNoArgs: await outcome(() => s.get()),
      deleteNumber: await outcome(() => s.delete(123)),
      keys: [...(await s.list()).keys()],
    };`),
  insideBoth("kv: delete() return values", `
    await s.put({ a: 1, b: 2, c: 3 });
    return {
      existing: await s.delete("a"),
      missing: await s.delete("a"),
      many: await s.delete(["b", "nope", "c", "b"]),
      none: await s.delete([]),
      left: [...(await s.list()).keys()],
    };`),
  insideBoth("kv: deleteAll() empties storage", `
    await s.put({ a: 1, b: 2 });
    const r = await s.deleteAll();
    return { returns: show(r), left: [...(await s.list()).keys()], again: show(await s.deleteAll()) };`),
  insideBoth("kv: values are structured clones", `
    class Point { constructor() { this.x = 1; } get y() { return 2; } }
    const cyc = { n: 1 }; cyc.self = cyc;
    const values = { point: new Point(), map: new Map([["b", 1], ["a", { deep: [1n] }]]), set: new Set(["x"]),
      date: new Date(0), negZero: -0, nan: NaN, big: -(2n ** 64n), sparse: [, 1, , ], bytes: new Uint8Array([0, 255]),
      buffer: new Uint16Array([1, 2]).buffer, regexp: /x/y, nested: { a: [{ b: null, u: undefined }] },
      error: new RangeError("stored error"), str: new String("boxed"), bool: true, emptyString: "" };
    await s.put(values);
    await s.put("cycle", cyc);
    const got = await s.get("cycle");
    return { values: show(await s.get(Object.keys(values))), cycle: got.self === got, pointProto: Object.getPrototypeOf(await s.get("point")) === Object.prototype };`),
  insideBoth("kv: values that cannot be stored", `
    return {
      fn: await outcome(() => s.put("f", function named() { return 1; })),
      arrow: await outcome(() => s.put("f", (x) => x)),
      symbol: await outcome(() => s.put("sym", Symbol("tag"))),
      nestedFn: await outcome(() => s.put("nf", { a: { b: () => 1 } })),
      weakMap: await outcome(() => s.put("w", new WeakMap())),
      request: await outcome(async () => { await s.put("r", new Request("http://x/", { method: "POST" })); return show(await s.get("r")); }),
      promise: await outcome(() => s.put("p", Promise.resolve(1))),
      inEntries: await outcome(() => s.put({ ok: 1, bad: () => 2 })),
      okWasWritten: show(await s.get("ok")),
      keys: [...(await s.list()).keys()],
    };`),
  insideBoth("kv: get() returns a fresh copy each time", `
    await s.put("o", { list: [1] });
    const a = await s.get("o");
    a.list.push(2);
    const b = await s.get("o");
    const obj = { v: 1 };
    await s.put("p", obj);
    obj.v = 2;
    return { mutatedCopy: a.list, stored: b.list, sameObject: a === b, putSnapshot: (await s.get("p")).v };`),
  insideBoth("kv: operations accept their documented options", `
    return {
      put: await outcome(() => s.put("k", 1, { allowUnconfirmed: true, noCache: true, allowConcurrency: true })),
      get: await outcome(() => s.get("k", { allowConcurrency: true, noCache: true })),
      getMany: await outcome(() => s.get(["k"], { noCache: true })),
      list: await outcome(async () => [...(await s.list({ noCache: true, allowConcurrency: true })).keys()]),
      del: await outcome(() => s.delete("k", { allowUnconfirmed: true })),
      sync: await outcome(() => s.sync()),
      unknownOption: await outcome(() => s.put("k2", 1, { bogus: true })),
    };`),
  insideBoth("kv: many keys come back sorted, limit and reverse page through them", `
    const entries = {};
    for (let i = 0; i < 300; i++) entries["k" + String((i * 7919) % 300).padStart(3, "0")] = i;
    for (const [k, v] of Object.entries(entries)) await s.put(k, v);
    const all = [...(await s.list()).keys()];
    return { count: all.length, sorted: all.every((k, i) => i === 0 || all[i - 1] < k),
      firstPage: [...(await s.list({ limit: 3 })).keys()], lastPage: [...(await s.list({ limit: 3, reverse: true })).keys()],
      afterPage: [...(await s.list({ startAfter: "k149", limit: 2 })).keys()] };`),
  insideBoth("kv: writes in one turn are visible to reads in the same turn", `
    s.put("a", 1);
    const seen = await s.get("a");
    s.delete("a");
    const afterDelete = await s.get("a");
    s.put("b", 2);
    return { seen, afterDelete: show(afterDelete), list: show(await s.list()) };`),
  inside("kv: storage.kv and storage.sql on a kv-backend class", "kv", `
    return {
      kv: outcomeSync(() => s.kv.get("x")),
      kvPut: outcomeSync(() => s.kv.put("x", 1)),
      sql: outcomeSync(() => s.sql.exec("SELECT 1").toArray()),
      transactionSync: outcomeSync(() => s.transactionSync(() => 1)),
      databaseSize: outcomeSync(() => s.sql.databaseSize),
      bookmark: await outcome(() => s.getCurrentBookmark().then((b) => typeof b)),
    };`),
  inside("kv: bookmarks on the sqlite backend", "sqlite", `
    const a = await s.getCurrentBookmark();
    s.put("x", 1);
    const b = await s.getCurrentBookmark();
    return { shape: /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/.test(a), increases: b >= a,
      forTime: await outcome(() => s.getBookmarkForTime(Date.now() - 1000).then((x) => typeof x)),
      restore: await outcome(() => s.onNextSessionRestoreBookmark(a).then((x) => typeof x)) };`, {
    differs: "reference §9: production implements point-in-time recovery; local workerd only has getCurrentBookmark()",
  }),
];

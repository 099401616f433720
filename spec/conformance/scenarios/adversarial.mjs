// Odd inputs: keys that stress UTF-8 conversion and ordering, values that stress the
// serializer, sizes near SQLite's limits.
import { insideBoth, inside } from "../scenario.mjs";

export default [
  insideBoth("adversarial: empty, NUL and control-character keys", `
    const keys = ["", "\\u0000", "\\u0000\\u0000", "a\\u0000b", "\\u0001", "\\n", "\\u007f", "\\u0080"];
    for (const [i, k] of keys.entries()) await s.put(k, i);
    return { list: [...(await s.list())].map(([k, v]) => [k.length, v]), empty: await s.get(""), nul: await s.get("\\u0000"),
      prefixNul: [...(await s.list({ prefix: "\\u0000" })).keys()].map((k) => k.length) };`),
  insideBoth("adversarial: lone surrogate keys", `
    // Lone surrogates cannot be encoded in UTF-8; do distinct JS strings collide as keys?
    await s.put("\\ud800", "high");
    await s.put("\\udfff", "low");
    await s.put("\\ufffd", "replacement");
    await s.put("x\\ud83d", "truncated emoji");
    const list = [...(await s.list())].map(([k, v]) => [[...k].map((c) => c.codePointAt(0).toString(16)).join(" "), v]);
    return { list, high: show(await s.get("\\ud800")), low: show(await s.get("\\udfff")), replacement: show(await s.get("\\ufffd")) };`),
  insideBoth("adversarial: odd values", `
    const sparse = []; sparse[5] = "five"; sparse.length = 8;
    const arr = [1, 2]; arr.extra = "prop";
    const deep = []; let cur = deep; for (let i = 0; i < 500; i++) { const n = []; cur.push(n); cur = n; }
    const bigMap = new Map(Array.from({ length: 5000 }, (_, i) => [i, "v" + i]));
    const ring = { name: "a" }; ring.next = { name: "b", next: ring };
    await s.put({ sparse, arr, negZero: -0, bigints: [0n, -1n, 2n ** 128n], deep, bigMap, ring, minusNaN: -NaN, maxDate: new Date(8.64e15) });
    const got = await s.get(["sparse", "arr", "negZero", "bigints", "deep", "bigMap", "ring", "minusNaN", "maxDate"]);
    let depth = 0; for (let d = got.get("deep"); d.length; d = d[0]) depth++;
    const m = got.get("bigMap");
    const r = got.get("ring");
    return { sparse: show(got.get("sparse")), arr: show(got.get("arr")), arrExtra: show(got.get("arr").extra), negZero: show(got.get("negZero")),
      bigints: show(got.get("bigints")), depth, bigMap: [m.size, m.get(4999), [...m.keys()].slice(0, 3)], ring: r.next.next === r,
      minusNaN: show(got.get("minusNaN")), maxDate: show(got.get("maxDate")) };`),
  insideBoth("adversarial: keys that differ only in normalisation and case", `
    const keys = ["é", "e\\u0301", "E", "e", "ß", "SS", "ﬀ", "ff", "İ", "i"];
    for (const k of keys) await s.put(k, k.length);
    return [...(await s.list())].map(([k, v]) => [[...k].map((c) => c.codePointAt(0).toString(16)).join(" "), v]);`),
  insideBoth("adversarial: prefix and range bounds made of odd characters", `
    const keys = ["a", "a\\uffff", "a\\u{10ffff}", "a\\u{10ffff}z", "b", "\\u{10ffff}", "\\u{10ffff}\\u{10ffff}"];
    for (const k of keys) await s.put(k, 1);
    const hex = (m) => [...m.keys()].map((k) => [...k].map((c) => c.codePointAt(0).toString(16)).join(" "));
    return { prefixA: hex(await s.list({ prefix: "a" })), prefixMax: hex(await s.list({ prefix: "\\u{10ffff}" })),
      startAfterMax: hex(await s.list({ startAfter: "a\\u{10ffff}" })), endFFFF: hex(await s.list({ end: "a\\uffff" })),
      startSurrogate: hex(await s.list({ start: "\\ud800" })) };`),
  insideBoth("adversarial: a key at exactly 2 KiB with a multibyte tail, read back", `
    const key = "x".repeat(2045) + "😀"[0] + "é";
    const r = { put: await outcome(() => s.put(key, "v")) };
    r.get = await outcome(() => s.get(key));
    r.listedLength = [...(await s.list()).keys()].map((k) => k.length);
    return r;`),
  inside("adversarial: SQLite string and blob size limits", "sqlite", `
    const sql = s.sql;
    sql.exec("CREATE TABLE t (v)");
    const mib = 1024 * 1024;
    const ins = (v) => outcomeSync(() => sql.exec("INSERT INTO t VALUES (?)", v).rowsWritten);
    return { text3MiB: ins("x".repeat(3 * mib)), text5MiB: ins("x".repeat(5 * mib)), blob4MiB: ins(new Uint8Array(4 * mib)),
      blob4MiBPlus1: ins(new Uint8Array(4 * mib + 1)), kvValue3MiB: await outcome(() => s.put("k", "x".repeat(3 * mib))),
      kvValue5MiB: await outcome(() => s.put("k2", "x".repeat(5 * mib))), sqlText: outcomeSync(() => sql.exec("SELECT '" + "x".repeat(100001) + "' AS v").one().v.length) };`,
    // ~25 MB through sql.js: over a second of CPU, which outlasted the default 10 s on a loaded
    // 2-core machine. The record holds no timing, so the run may take as long as it needs.
    { timeoutMs: 60_000 }),
  insideBoth("adversarial: many small writes in one turn then one read", `
    for (let i = 0; i < 2000; i++) s.put("k" + (i % 100), i);
    const all = await s.list();
    return { size: all.size, k0: all.get("k0"), k99: all.get("k99") };`),
];

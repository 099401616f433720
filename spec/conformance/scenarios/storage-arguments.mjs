// Arguments of the storage API a DO author passes by accident or on purpose: the elements of key
// arrays (non-strings, holes), odd entries objects, list() limits past the 32-bit range, setAlarm()
// times of every type. The runtime converts each as Web IDL says (or refuses with its words).
import { insideWithBoth, CALL_HELPERS } from "./webidl-helpers.mjs";

export default [
  insideWithBoth(CALL_HELPERS, "storage arguments: get() and delete() of arrays holding non-strings, holes, nested arrays; an array-like object", `
    await s.put({ "1": "one", "null": "n", "undefined": "u", "[object Object]": "o", "a,b": "ab", "true": "t" });
    return await howAll({
      get: async () => show(await s.get([1, null, undefined, {}, true])),
      getNested: async () => show(await s.get([["a", "b"]])),
      getSparse: async () => show(await s.get([, "1"])),
      getArrayLike: async () => show(await s.get({ length: 1, 0: "1" })),
      getSymbol: async () => show(await s.get([Symbol("x")])),
      del: async () => await s.delete([1, null]),
      left: async () => [...(await s.list()).keys()],
    });`),
  insideWithBoth(CALL_HELPERS, "storage arguments: put(entries) of inherited, hidden, symbol-keyed, getter, throwing-getter and Proxy properties, a Date, index keys", `
    const proto = { inherited: 1 };
    const o = Object.create(proto, { own: { value: 2, enumerable: true }, hidden: { value: 3, enumerable: false } });
    const sym = { [Symbol("s")]: 1, plain: 1 };
    const getter = { get g() { return "got"; } };
    const throwing = { ok: 1, get bad() { throw new Error("getter threw"); } };
    const proxy = new Proxy({ px: 1 }, { ownKeys: () => ["px", "py"], getOwnPropertyDescriptor: (t, k) => ({ value: k, enumerable: true, configurable: true }), get: (t, k) => "via-" + String(k) });
    return await howAll({
      o: async () => { await s.put(o); return [...(await s.list()).keys()]; },
      sym: async () => { await s.put(sym); return [...(await s.list()).keys()]; },
      getter: async () => { await s.put(getter); return show(await s.get("g")); },
      throwing: async () => { await s.put(throwing); return [...(await s.list()).keys()]; },
      proxy: async () => { await s.put(proxy); return show(await s.list()); },
      date: async () => { await s.put(new Date(0)); return [...(await s.list()).keys()]; },
      numKeys: async () => { await s.put({ 2: "b", 1: "a", x: "x" }); return [...(await s.list()).keys()]; },
    });`),
  insideWithBoth(CALL_HELPERS, "storage arguments: list() limits out of 32-bit range, zero-like, boxed, objects and BigInts", `
    await s.put({ a: 1, b: 2, c: 3 });
    const out = {};
    for (const [k, v] of Object.entries({ big: 2 ** 31, bigger: 2 ** 32 + 1, negZero: -0, str: "abc", bool: true, obj: { valueOf() { return 2; } }, arr: [2], null: null, max: Number.MAX_SAFE_INTEGER, tiny: 0.5, neg: -(2 ** 32) + 1, bigint: 2n }))
      out[k] = await how(async () => [...(await s.list({ limit: v })).keys()]);
    return out;`),
  insideWithBoth(CALL_HELPERS, "storage arguments: setAlarm() of objects, booleans, null, arrays, BigInts, strings, infinities, a Date subclass, past 2189 and the smallest positive number", `
    const out = {};
    const now = Date.now();
    const cases = { valueOf: { valueOf() { return now + 60000; } }, truthy: true, nullv: null, arr: [], arr1: [now + 60000], bigint: 10n, numStr: String(now + 60000), neg0: -0, inf: Infinity, negInf: -Infinity, dateSub: new (class extends Date {})(now + 60000), maxDate: 8.64e15, minPositive: Number.MIN_VALUE };
    for (const [k, v] of Object.entries(cases)) out[k] = await how(async () => { await s.setAlarm(v); const a = await s.getAlarm(); return a === null ? null : a >= now + 60000 ? (a === now + 60000 ? "exact" : a) : "clamped"; });
    out.opts = await how(async () => { await s.setAlarm(now + 1000, { allowUnconfirmed: true, allowConcurrency: true }); return (await s.getAlarm({ allowConcurrency: true })) === now + 1000; });
    out.delNone = await how(async () => { await s.deleteAlarm(); return s.deleteAlarm(); });
    return out;`, { alarmHandler: true }),
  insideWithBoth(CALL_HELPERS, "storage arguments: String objects, symbols and objects with toString() as keys and list bounds", `
    return howAll({
      put: async () => { await s.put(new String("boxed"), 1); return show(await s.get("boxed")); },
      getBoxed: () => s.get(new String("boxed")),
      getArrBoxed: async () => show(await s.get([new String("boxed")])),
      delArr: () => s.delete([new String("boxed"), new String("boxed")]),
      putSym: () => s.put(Symbol("s"), 1),
      putObjToString: () => s.put({ toString() { return "x"; } }, 1, {}),
      listStartObj: async () => { await s.put("x", 1); return [...(await s.list({ start: { toString() { return "w"; } } })).keys()]; },
      listSym: () => s.list({ prefix: Symbol("p") }),
    });`),
];

// The async KV API's batch forms at and past their sizes, with repeated keys, and with options
// whose members have the wrong types; getAlarm()/setAlarm() with Dates and times in the past.
import { CALL_HELPERS, insideWithBoth } from "./webidl-helpers.mjs";

const keys = (n, p = "k") => `Array.from({ length: ${n} }, (_, i) => "${p}" + String(i).padStart(3, "0"))`;

export default [
  insideWithBoth(CALL_HELPERS, "storage batches: get(), put() and delete() of 128 and 129 keys, repeated keys, empty batches", `
    const out = await howAll({
      put128: () => s.put(Object.fromEntries(${keys(128)}.map((k) => [k, 1]))),
      put129: () => s.put(Object.fromEntries(${keys(129, "m")}.map((k) => [k, 1]))),
      count: async () => (await s.list()).size,
      get128: async () => (await s.get(${keys(128)})).size,
      get129: async () => (await s.get(${keys(129)})).size,
      getRepeated: async () => show(await s.get(["k001", "k000", "k001", "k001", "nope", "nope"])),
      getRepeated129: async () => (await s.get(Array.from({ length: 200 }, () => "k000"))).size,
      delRepeated: () => s.delete(["k000", "k000", "k001", "nope", "k001"]),
      del129: () => s.delete(${keys(129, "m")}),
      del128: () => s.delete(${keys(128)}),
      delEmpty: () => s.delete([]),
      getEmpty: async () => show(await s.get([])),
      left: async () => (await s.list()).size,
    });
    return out;`),
  insideWithBoth(CALL_HELPERS, "storage batches: option members of the wrong types on get, put, delete, list, deleteAll and getAlarm", `
    await s.put("k", 1);
    const opts = { str: { allowConcurrency: "false", noCache: "yes", allowUnconfirmed: "0" }, nums: { allowConcurrency: 0, noCache: 1, allowUnconfirmed: NaN },
      objs: { allowConcurrency: {}, noCache: [], allowUnconfirmed: null }, sym: { allowConcurrency: Symbol("x") }, bigint: { noCache: 1n },
      fn: () => 1, arr: [1], str2: "opts", num: 5, nul: null, bool: true };
    const out = {};
    for (const [label, o] of Object.entries(opts)) {
      out[label] = await howAll({
        get: async () => show(await s.get("k", o)),
        getMany: async () => (await s.get(["k"], o)).size,
        put: () => s.put("k", 2, o),
        putMany: () => s.put({ k: 3 }, o),
        del: () => s.delete("zz", o),
        list: async () => (await s.list(o)).size,
        getAlarm: () => s.getAlarm(o),
        deleteAlarm: () => s.deleteAlarm(o),
        sync: () => s.sync(o),
      });
    }
    return out;`),
  insideWithBoth(CALL_HELPERS, "storage batches: setAlarm() with Dates, times in the past, invalid Dates; getAlarm() after each", `
    const now = Date.now();
    const out = {};
    const cases = { date: new Date(now + 60000), pastDate: new Date(now - 60000), epochPlusOne: 1, invalidDate: new Date(NaN), nan: NaN, zero: 0, negative: -5,
      fractional: now + 60000.7, dateString: new Date(now + 60000).toISOString(), bigDate: new Date(8.64e15), farFuture: now + 10 * 365 * 24 * 3600 * 1000 };
    for (const [k, v] of Object.entries(cases)) {
      out[k] = await how(async () => {
        await s.setAlarm(v);
        const a = await s.getAlarm();
        if (a === null) return null;
        const want = v instanceof Date ? v.getTime() : Number(v);
        return a === want ? "exact" : a === Math.trunc(want) ? "truncated" : a >= now - 5 && a <= Date.now() + 5 ? "now" : typeof a === "number" ? a - want : show(a);
      });
    }
    out.deleteThenGet = await how(async () => { await s.deleteAlarm(); return s.getAlarm(); });
    return out;`, { alarmHandler: true }),
];

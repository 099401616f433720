// Conversions that run the caller's code in the middle of a storage call: a value's getters
// while put() serialises it (writing storage themselves), a key's toString(), a SQL binding's
// toString() running another statement; buffers that were detached (bound as an empty BLOB, as
// workerd does) or are resizable. And deleteAll() inside transactionSync() with an alarm set.
import { insideWithBoth, insideWith, CALL_HELPERS } from "./webidl-helpers.mjs";

const first = [
  ...insideWithBoth(CALL_HELPERS, "storage conversions: stored values whose serialisation runs code (Proxies, getters that throw or write storage, toJSON), keys whose toString() throws, detached and resizable buffers", `
    const out = await howAll({
      proxy: () => s.put("p", new Proxy({ a: 1 }, {})),
      proxyArray: () => s.put("pa", new Proxy([1, 2], {})),
      getterThrows: () => s.put("g", { get a() { throw new Error("getter threw"); } }),
      getterWrites: async () => { await s.put("gw", { get a() { s.put("side", "effect"); return 1; } }); return [show(await s.get("gw")), show(await s.get("side"))]; },
      getterDeletes: async () => { await s.put("victim", 1); await s.put("gd", { get a() { s.delete("victim"); return 2; } }); return [show(await s.get("gd")), show(await s.get("victim"))]; },
      entriesGetterWrites: async () => { await s.put({ e1: { get a() { s.put("e2", "inner"); return 1; } }, e2: "outer" }); return show(await s.get(["e1", "e2"])); },
      toJSONIgnored: async () => { await s.put("tj", { toJSON() { return "json"; }, v: 1 }); return show(await s.get("tj")); },
      keyToStringThrows: () => s.get({ toString() { throw new Error("toString threw"); } }),
      delKeyToStringThrows: () => s.delete({ toString() { throw new Error("toString threw"); } }),
      detached: () => { const b = new ArrayBuffer(8); structuredClone(b, { transfer: [b] }); return s.put("d", b); },
      resizable: async () => { await s.put("r", new ArrayBuffer(4, { maxByteLength: 8 })); const v = await s.get("r"); return [v.byteLength, v.resizable, v.maxByteLength]; },
      keys: async () => [...(await s.list()).keys()],
    });
    return out;`),
  ...insideWithBoth(CALL_HELPERS, "storage conversions: put(entries, options) reads every entry, then the options, before it serialises a value", `
    const fn = () => 1;
    const threw = (what) => ({ get [what]() { throw new Error(what + " threw"); } });
    const out = await howAll({
      uncloneableThenThrowingGetter: () => s.put({ a: fn, get b() { throw new Error("getter threw"); } }),
      throwingGetterThenBadSignature: () => s.put({ get b() { throw new Error("getter threw"); } }, 5),
      uncloneableThenBadSignature: () => s.put({ a: fn }, 5),
      uncloneableThenThrowingOptions: () => s.put({ a: fn }, threw("allowConcurrency")),
      throwingGetterThenThrowingOptions: () => s.put({ get b() { throw new Error("getter threw"); } }, threw("allowConcurrency")),
      throwingGetterThenThrowingThirdArgument: () => s.put({ get b() { throw new Error("getter threw"); } }, {}, threw("allowUnconfirmed")),
      uncloneableThenThrowingThirdArgument: () => s.put({ a: fn }, {}, threw("allowUnconfirmed")),
      singleUncloneableThrowingOptions: () => s.put("k", fn, threw("allowConcurrency")),
    });
    const log = [];
    const traced = (name, field) => ({ get [field]() { log.push("serialise " + name); return 1; } });
    await s.put(
      { get a() { log.push("read a"); return traced("a", "x"); }, get b() { log.push("read b"); return traced("b", "y"); } },
      { get allowConcurrency() { log.push("options"); return false; } },
    );
    // (Each value's own getters are not logged more than once per name: durasim's serialiser reads them twice.)
    out.order = [...new Set(log)];
    out.keys = [...(await s.list()).keys()];
    return out;`),
  insideWith(CALL_HELPERS, "storage conversions: SQL bindings whose conversion runs code or fails, detached buffers and views, boxed values", "sqlite", `
    const q = (...b) => s.sql.exec("SELECT " + b.map(() => "?").join(", ") + " AS v", ...b).raw().next().value;
    return howAll({
      toStringThrows: () => q({ toString() { throw new Error("toString threw"); } }),
      symbol: () => q(Symbol("s")),
      fn: () => q(() => 1),
      detached: () => { const b = new ArrayBuffer(8); structuredClone(b, { transfer: [b] }); return q(b); },
      detachedView: () => { const b = new ArrayBuffer(8); const v = new Uint8Array(b, 2, 4); structuredClone(b, { transfer: [b] }); return q(v); },
      resizable: () => q(new ArrayBuffer(4, { maxByteLength: 8 })),
      dataView: () => q(new DataView(new ArrayBuffer(3))),
      bigint64: () => q(new BigInt64Array([1n])),
      getterExec: () => q({ toString() { s.sql.exec("CREATE TABLE IF NOT EXISTS side (x)"); return "ok"; } }),
      sideTable: () => s.sql.exec("SELECT count(*) AS n FROM sqlite_master WHERE name = 'side'").one().n,
      date: () => q(new Date(0)),
      boxedNumber: () => q(new Number(5)),
      boxedBool: () => q(new Boolean(false)),
      array: () => q([1, 2]),
      nested: () => q({ a: 1 }),
    });`),
];
const more = [
  insideWith(CALL_HELPERS, "storage conversions: deleteAll() inside transactionSync() with an alarm set, returning, throwing, after setAlarm()", "sqlite", `
    const t = Date.now() + 3600000;
    const p = (v) => (v === null ? null : v === t ? "t" : v === t + 1 ? "t+1" : "other");
    await s.setAlarm(t);
    const a = await how(() => s.transactionSync(() => { s.deleteAll(); return "returned"; }));
    const afterA = p(await s.getAlarm());
    await s.setAlarm(t);
    const b = await how(() => s.transactionSync(() => { s.deleteAll(); throw new Error("undo"); }));
    const afterB = p(await s.getAlarm());
    await s.setAlarm(t);
    const c = await how(() => s.transactionSync(() => { s.setAlarm(t + 1); s.deleteAll(); return "set then wiped"; }));
    const afterC = p(await s.getAlarm());
    await s.sync();
    return { a, afterA, b, afterB, c, afterC, final: p(await s.getAlarm()) };`, { alarmHandler: true }),
];

export default [...first, ...more];

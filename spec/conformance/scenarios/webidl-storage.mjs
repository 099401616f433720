// WebIDL argument conversion of every ctx.storage method: wrong types, missing and extra
// arguments, null/undefined, symbols, objects with toString, options objects with members of
// the wrong type. Each case records whether the call threw synchronously, rejected or
// resolved, and the exact error.
import { CALL_HELPERS, insideWithBoth, insideWith } from "./webidl-helpers.mjs";

const both = (name, body, rest, per) => insideWithBoth(CALL_HELPERS, `webidl: ${name}`, body, rest, per);

export default [
  both("storage.get", `
    await s.put({ a: 1, k: 2, "1": 3, true: 4, "[object Object]": 5, undefined: 6, null: 7 });
    return howAll({
      noArgs: () => s.get(), undef: () => s.get(undefined), nul: () => s.get(null), symbol: () => s.get(Symbol("k")),
      boxedString: () => s.get(new String("k")), number: () => s.get(1), bigint: () => s.get(1n), boolean: () => s.get(true),
      plainObject: () => s.get({}), fn: () => s.get(() => "k"),
      arrayWithSymbol: () => s.get(["a", Symbol("k")]), arrayWithObject: () => s.get([{}, "a"]), arrayWithNumbers: () => s.get([1, true, null]),
      arrayWithUndefined: () => s.get([undefined]), nestedArray: () => s.get([["a"]]), set: () => s.get(new Set(["a"])),
      arrayLike: () => s.get({ length: 1, 0: "a" }),
      optionsString: () => s.get("a", "x"), optionsNumber: () => s.get("a", 5), optionsNull: () => s.get("a", null),
      optionsArray: () => s.get("a", []), optionsFn: () => s.get("a", () => {}),
      allowConcurrencyString: () => s.get("a", { allowConcurrency: "yes" }), noCacheNumber: () => s.get("a", { noCache: 1 }),
      allowConcurrencySymbol: () => s.get("a", { allowConcurrency: Symbol() }),
      extraArgs: () => s.get("a", {}, 5, "x"),
    });`),
  both("storage.put", `
    const out = await howAll({
      symbolKey: () => s.put(Symbol("k"), 1), bigintKey: () => s.put(1n, 1), undefinedKey: () => s.put(undefined, 1),
      nullFirst: () => s.put(null, 1), boxedKey: () => s.put(new String("boxed"), 1),
      optionsNumber: () => s.put("o1", 1, 5), optionsString: () => s.put("o2", 1, "x"), optionsNull: () => s.put("o3", 1, null),
      optionsUndefined: () => s.put("o4", 1, undefined), optionsArray: () => s.put("o5", 1, []),
      allowUnconfirmedString: () => s.put("o6", 1, { allowUnconfirmed: "yes" }), noCacheNumber: () => s.put("o7", 1, { noCache: 0 }),
      allowConcurrencySymbol: () => s.put("o8", 1, { allowConcurrency: Symbol() }),
      extraArgs: () => s.put("o9", 1, {}, 5),
      entriesOptionsString: () => s.put({ e1: 1 }, "x"), entriesOptionsNull: () => s.put({ e2: 1 }, null),
      entriesOptionsObject: () => s.put({ e3: 1 }, { allowUnconfirmed: true }), entriesExtra: () => s.put({ e4: 1 }, {}, 5),
      entriesSymbolKey: () => s.put({ [Symbol("s")]: 1, e5: 1 }), entriesMap: () => s.put(new Map([["m", 1]])),
      entriesInherited: () => s.put(Object.create({ inherited: 1 }, { own: { value: 1, enumerable: true } })),
      entriesNonEnumerable: () => s.put(Object.defineProperty({ e6: 1 }, "hidden", { value: 1, enumerable: false })),
      entriesGetterThrows: () => s.put({ get bad() { throw new RangeError("getter throws"); } }),
      entriesNumberKeys: () => s.put({ 2: "two", 10: "ten" }),
    });
    return { out, keys: [...(await s.list()).keys()] };`),
  both("storage.delete", `
    await s.put({ a: 1, null: 2, undefined: 3, "1": 4 });
    return howAll({
      noArgs: () => s.delete(), symbol: () => s.delete(Symbol("k")), arrayWithSymbol: () => s.delete([Symbol("k")]),
      nul: () => s.delete(null), undef: () => s.delete(undefined), number: () => s.delete(1), set: () => s.delete(new Set(["a"])),
      optionsNumber: () => s.delete("a", 5), optionsString: () => s.delete("a", "x"), optionsNull: () => s.delete("a", null),
      allowUnconfirmedString: () => s.delete("a", { allowUnconfirmed: "no" }), extraArgs: () => s.delete("a", {}, 5),
      left: async () => [...(await s.list()).keys()],
    });`),
  both("storage.deleteAll", `
    await s.put("a", 1);
    return howAll({
      number: () => s.deleteAll(5), string: () => s.deleteAll("x"), nul: () => s.deleteAll(null), fn: () => s.deleteAll(() => {}),
      allowUnconfirmedString: () => s.deleteAll({ allowUnconfirmed: "x" }), extraArgs: () => s.deleteAll({}, 5),
      left: async () => [...(await s.list()).keys()],
    });`),
  both("storage.list", `
    await s.put({ a: 1, b: 2, "[object Object]": 3, "1": 4 });
    const keys = (p) => async () => [...(await p()).keys()];
    return howAll({
      number: keys(() => s.list(5)), nul: keys(() => s.list(null)), bool: keys(() => s.list(true)), array: keys(() => s.list([])),
      fn: keys(() => s.list(() => {})), startSymbol: keys(() => s.list({ start: Symbol() })), prefixObject: keys(() => s.list({ prefix: {} })),
      endNumber: keys(() => s.list({ end: 1 })), startAfterNull: keys(() => s.list({ startAfter: null })), limitString: keys(() => s.list({ limit: "x" })),
      limitNegZero: keys(() => s.list({ limit: -0 })), limitHuge: keys(() => s.list({ limit: 2 ** 53 })), limitBigint: keys(() => s.list({ limit: 1n })),
      limitObject: keys(() => s.list({ limit: { valueOf: () => 1 } })), reverseZero: keys(() => s.list({ reverse: 0 })),
      allowConcurrencyString: keys(() => s.list({ allowConcurrency: "x" })), extraArgs: keys(() => s.list({}, 5)),
      unknownMember: keys(() => s.list({ bogus: true, limit: 1 })),
    });`),
  both("storage.getAlarm, setAlarm, deleteAlarm", `
    const t = Date.now() + 3600000;
    return howAll({
      getNumber: () => s.getAlarm(5), getString: () => s.getAlarm("x"), getNull: () => s.getAlarm(null),
      getAllowConcurrencyString: () => s.getAlarm({ allowConcurrency: "x" }), getExtra: () => s.getAlarm({}, 5),
      setOptionsNumber: () => s.setAlarm(t, 5), setOptionsString: () => s.setAlarm(t, "x"), setOptionsNull: () => s.setAlarm(t, null),
      setAllowUnconfirmedString: () => s.setAlarm(t, { allowUnconfirmed: "yes" }), setExtra: () => s.setAlarm(t, {}, 5),
      setNoArgs: () => s.setAlarm(), setNull: () => s.setAlarm(null), setTrue: () => s.setAlarm(true), setSymbol: () => s.setAlarm(Symbol()),
      setBigint: () => s.setAlarm(1n), setValueOf: () => s.setAlarm({ valueOf: () => t }), setBoxedNumber: () => s.setAlarm(new Number(t)),
      setNegInfinity: () => s.setAlarm(-Infinity), setInfinity: () => s.setAlarm(Infinity), setMaxDate: () => s.setAlarm(new Date(8.64e15)),
      setIsoString: () => s.setAlarm("2030-01-01T00:00:00Z"), setArray: () => s.setAlarm([t]),
      afterSets: async () => typeof (await s.getAlarm()),
      deleteNumber: () => s.deleteAlarm(5), deleteString: () => s.deleteAlarm("x"), deleteNull: () => s.deleteAlarm(null),
      deleteAllowUnconfirmedNumber: () => s.deleteAlarm({ allowUnconfirmed: 1 }), deleteExtra: () => s.deleteAlarm({}, 5),
      afterDeletes: () => s.getAlarm(),
    });`, { alarmHandler: true }),
  both("storage.sync and storage.transaction", `
    return howAll({
      syncNumber: () => s.sync(5), syncNull: () => s.sync(null), syncExtra: () => s.sync({}, 5),
      txnNoArgs: () => s.transaction(), txnNumber: () => s.transaction(5), txnString: () => s.transaction("x"), txnNull: () => s.transaction(null),
      txnObject: () => s.transaction({}), txnSymbol: () => s.transaction(Symbol()),
      txnOptionsNumber: () => s.transaction(async () => 1, 5), txnOptionsObject: () => s.transaction(async () => 2, { allowUnconfirmed: true }),
      txnOptionsString: () => s.transaction(async () => 3, "x"), txnExtra: () => s.transaction(async () => 4, {}, 5),
      txnCallbackArgs: () => s.transaction(async (...a) => a.length),
    });`),
  ...insideWithBoth(CALL_HELPERS, "webidl: storage.transactionSync", `
    return howAll({
      noArgs: () => s.transactionSync(), number: () => s.transactionSync(5), nul: () => s.transactionSync(null), object: () => s.transactionSync({}),
      symbol: () => s.transactionSync(Symbol()), extraArgs: () => s.transactionSync(() => "v", 5), callbackArgs: () => s.transactionSync((...a) => a.length),
      returnsUndefined: () => s.transactionSync(() => {}),
    });`),
  // Only calls that fail in argument conversion: past it, local workerd has no point-in-time
  // recovery (reference §9) while durasim implements it.
  both("bookmark methods", `
    return howAll({
      forTimeNoArgs: () => s.getBookmarkForTime(), forTimeString: () => s.getBookmarkForTime("x"), forTimeSymbol: () => s.getBookmarkForTime(Symbol()),
      forTimeNaN: () => s.getBookmarkForTime(NaN), forTimeNull: () => s.getBookmarkForTime(null), forTimeObject: () => s.getBookmarkForTime({}),
      restoreNoArgs: () => s.onNextSessionRestoreBookmark(), restoreSymbol: () => s.onNextSessionRestoreBookmark(Symbol()),
    });`),
  both("transaction object methods", `
    await s.put({ a: 1, b: 2 });
    return await s.transaction(async (txn) => howAll({
      getNoArgs: () => txn.get(), getSymbol: () => txn.get(Symbol()), getOptionsNumber: () => txn.get("a", 5), getOptionsNull: () => txn.get("a", null),
      getArrayWithSymbol: () => txn.get(["a", Symbol()]), getNumberKey: () => txn.get(1),
      putSymbol: () => txn.put(Symbol(), 1), putOptionsString: () => txn.put("c", 1, "x"), putEntriesOptionsNumber: () => txn.put({ d: 1 }, 5),
      putBoxedKey: () => txn.put(new String("e"), 1), putKeyOnly: () => txn.put("f"), putNoArgs: () => txn.put(),
      deleteNoArgs: () => txn.delete(), deleteSymbol: () => txn.delete(Symbol()), deleteOptionsNumber: () => txn.delete("a", 5),
      listNumber: () => txn.list(5), listStartSymbol: () => txn.list({ start: Symbol() }), listLimitBigint: () => txn.list({ limit: 1n }),
      getAlarmString: () => txn.getAlarm("x"), setAlarmString: () => txn.setAlarm("x"), setAlarmOptionsNumber: () => txn.setAlarm(Date.now() + 60000, 5),
      deleteAlarmNumber: () => txn.deleteAlarm(5),
      keys: async () => [...(await txn.list()).keys()],
      rollbackExtra: () => txn.rollback(5),
    }));`, { alarmHandler: true }),
  both("detached methods need their object", `
    const t = s.transaction.bind(s);
    return howAll({
      get: () => { const f = s.get; return f("a"); }, put: () => { const f = s.put; return f("a", 1); }, delete: () => { const f = s.delete; return f("a"); },
      list: () => { const f = s.list; return f(); }, getAlarm: () => { const f = s.getAlarm; return f(); }, sync: () => { const f = s.sync; return f(); },
      deleteAll: () => { const f = s.deleteAll; return f(); }, transaction: () => { const f = s.transaction; return f(async () => 1); },
      otherThis: () => s.get.call({}, "a"), callOnTxn: () => t(async (txn) => howAll({ storagePutOnTxn: () => s.put.call(txn, "a", 1) })),
      bound: () => t(async () => "bound ok"),
    });`),
];

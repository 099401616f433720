// WebIDL argument conversion of storage.kv (the synchronous KV API), storage.sql.exec and the
// SQL cursor: wrong types, missing and extra arguments, values that cannot be bound.
import { CALL_HELPERS, insideWith } from "./webidl-helpers.mjs";

const sqlite = (name, body, rest) => insideWith(CALL_HELPERS, `webidl: ${name}`, "sqlite", body, rest);

export default [
  sqlite("storage.kv get, put, delete", `
    const kv = s.kv;
    kv.put("a", 1); kv.put("1", 2); kv.put("null", 3); kv.put("[object Object]", 4); kv.put("undefined", 5);
    return howAll({
      getNoArgs: () => kv.get(), getUndefined: () => kv.get(undefined), getNull: () => kv.get(null), getNumber: () => kv.get(1),
      getSymbol: () => kv.get(Symbol()), getObject: () => kv.get({}), getArray: () => kv.get(["a"]), getBoxed: () => kv.get(new String("a")),
      getExtra: () => kv.get("a", 5), getOptions: () => kv.get("a", { allowConcurrency: true }),
      putNoArgs: () => kv.put(), putKeyOnly: () => kv.put("k1"), putSymbolKey: () => kv.put(Symbol(), 1), putObjectKey: () => kv.put({}, 1),
      putEntries: () => kv.put({ e: 1 }), putNumberKey: () => kv.put(2, "two"), putNullKey: () => kv.put(null, "n"),
      putFunctionValue: () => kv.put("f", () => 1), putSymbolValue: () => kv.put("sy", Symbol()), putExtra: () => kv.put("x", 1, 5),
      putOptionsObject: () => kv.put("o", 1, { allowUnconfirmed: true }),
      deleteNoArgs: () => kv.delete(), deleteSymbol: () => kv.delete(Symbol()), deleteNumber: () => kv.delete(2), deleteArray: () => kv.delete(["a"]),
      deleteObject: () => kv.delete({}), deleteExtra: () => kv.delete("x", 5),
      keys: () => [...kv.list()].map(([k]) => k),
    });`),
  sqlite("storage.kv list", `
    const kv = s.kv;
    for (const k of ["a", "b", "c", "1", "[object Object]"]) kv.put(k, k);
    const keys = (f) => () => [...f()].map(([k]) => k);
    return howAll({
      number: keys(() => kv.list(5)), string: keys(() => kv.list("a")), nul: keys(() => kv.list(null)), undef: keys(() => kv.list(undefined)),
      array: keys(() => kv.list([])), fn: keys(() => kv.list(() => {})), startSymbol: keys(() => kv.list({ start: Symbol() })),
      prefixObject: keys(() => kv.list({ prefix: {} })), endNumber: keys(() => kv.list({ end: 1 })), limitString: keys(() => kv.list({ limit: "2" })),
      limitX: keys(() => kv.list({ limit: "x" })), limitNegative: keys(() => kv.list({ limit: -1 })), limitFraction: keys(() => kv.list({ limit: 1.7 })),
      limitHuge: keys(() => kv.list({ limit: 2 ** 53 })), limitBigint: keys(() => kv.list({ limit: 1n })), reverseString: keys(() => kv.list({ reverse: "" })),
      startAndStartAfter: keys(() => kv.list({ start: "a", startAfter: "a" })), extra: keys(() => kv.list({}, 5)),
    });`),
  sqlite("sql.exec arguments", `
    const sql = s.sql;
    sql.exec("CREATE TABLE t (v)");
    const rows = (f) => () => f().toArray();
    return howAll({
      noArgs: rows(() => sql.exec()), undef: rows(() => sql.exec(undefined)), nul: rows(() => sql.exec(null)), number: rows(() => sql.exec(5)),
      symbol: rows(() => sql.exec(Symbol())), toStringObject: rows(() => sql.exec({ toString: () => "SELECT 1 AS one" })),
      boxed: rows(() => sql.exec(new String("SELECT 2 AS two"))), array: rows(() => sql.exec(["SELECT 3 AS three"])),
      bindSymbol: rows(() => sql.exec("SELECT ? AS v", Symbol("s"))), bindFunction: rows(() => sql.exec("SELECT ? AS v", () => 1)),
      bindObject: rows(() => sql.exec("SELECT ? AS v", {})), bindToStringObject: rows(() => sql.exec("SELECT ? AS v", { toString: () => "ts" })),
      bindNestedArray: rows(() => sql.exec("SELECT ? AS v", [[1], [2]])), bindMap: rows(() => sql.exec("SELECT ? AS v", new Map())),
      bindBoxedNumber: rows(() => sql.exec("SELECT typeof(?) AS v", new Number(1))), bindBoxedString: rows(() => sql.exec("SELECT typeof(?) AS v", new String("s"))),
      bindTypedArray16: rows(() => sql.exec("SELECT hex(?) AS v", new Uint16Array([1]))), bindBigInt64: rows(() => sql.exec("SELECT ? AS v", new BigInt64Array(1))),
      bindSharedBuffer: rows(() => sql.exec("SELECT length(?) AS v", new SharedArrayBuffer(2))),
      bindBigintZero: rows(() => sql.exec("SELECT ? AS v", 0n)), bindNegativeBigint: rows(() => sql.exec("SELECT ? AS v", -1n)),
      bindIntoInsert: rows(() => sql.exec("INSERT INTO t VALUES (?)", Symbol())), afterBadInsert: rows(() => sql.exec("SELECT count(*) AS n FROM t")),
    });`),
  sqlite("cursor methods", `
    const sql = s.sql;
    sql.exec("CREATE TABLE t (a, b); INSERT INTO t VALUES (1, 'x'), (2, 'y'), (3, 'z')");
    const c = () => sql.exec("SELECT a, b FROM t ORDER BY a");
    return howAll({
      nextExtra: () => c().next(5), toArrayExtra: () => c().toArray("x"), oneExtra: () => sql.exec("SELECT 1 AS a").one({}),
      rawExtra: () => [...c().raw(5)], iteratorExtra: () => c()[Symbol.iterator](5).next(),
      nextDetached: () => { const x = c(); const f = x.next; return f(); }, toArrayOnOther: () => c().toArray.call({}),
      rawOnOther: () => c().raw.call([]), columnNamesOnOther: () => Object.getOwnPropertyDescriptor(Object.getPrototypeOf(c()), "columnNames")?.get?.call({}) ?? "no getter",
      rowsReadOnOther: () => Object.getOwnPropertyDescriptor(Object.getPrototypeOf(c()), "rowsRead")?.get?.call({}) ?? "no getter",
      execDetached: () => { const f = sql.exec; return f("SELECT 1").toArray(); }, execOnOther: () => sql.exec.call({}, "SELECT 1").toArray(),
      databaseSizeOnOther: () => Object.getOwnPropertyDescriptor(Object.getPrototypeOf(sql), "databaseSize")?.get?.call({}) ?? "no getter",
      kvGetDetached: () => { const f = s.kv.get; return f("a"); }, kvListOnOther: () => s.kv.list.call({}),
    });`),
  insideWith(CALL_HELPERS, "webidl: storage.kv and sql arguments on a kv-backend class", "kv", `
    return howAll({
      kvGetNoArgs: () => s.kv.get(), kvPutNoArgs: () => s.kv.put(), kvPutSymbol: () => s.kv.put(Symbol(), 1), kvDeleteNoArgs: () => s.kv.delete(),
      kvListNumber: () => s.kv.list(5), kvGetOk: () => s.kv.get("a"),
      execNoArgs: () => s.sql.exec(), execSymbol: () => s.sql.exec(Symbol()), execOk: () => s.sql.exec("SELECT 1"),
      bindSymbol: () => s.sql.exec("SELECT ?", Symbol()), databaseSize: () => s.sql.databaseSize,
    });`),
];

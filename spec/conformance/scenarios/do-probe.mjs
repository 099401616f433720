// Probes of Durable Object semantics the other files leave thin: arguments where Web IDL takes
// any object (a function too), odd list()/options values and key-count limits, stored and RPC
// values and errors (custom properties, stacks), transactions used after they end, nested, and
// when their closures start, transactionSync() with SQL, KV and alarms, SQL bindings, cursors and
// refused statements, and the argument errors of ctx, ids, stubs and bookmarks.
import { both, cls, inside, insideBoth } from "../scenario.mjs";

export default [
  insideBoth("doprobe: key-count limits at 128", `
    const keys = (n) => Array.from({ length: n }, (_, i) => "k" + i);
    const out = {};
    out.put128 = await outcome(() => s.put(Object.fromEntries(keys(128).map((k) => [k, 1]))));
    out.put129 = await outcome(() => s.put(Object.fromEntries(keys(129).map((k) => [k, 1]))));
    out.get128 = await outcome(async () => (await s.get(keys(128))).size);
    out.get129 = await outcome(async () => (await s.get(keys(129))).size);
    out.getDup129 = await outcome(async () => (await s.get(Array(129).fill("k1"))).size);
    out.del128 = await outcome(() => s.delete(keys(128)));
    out.del129 = await outcome(() => s.delete(keys(129)));
    out.putEmpty = await outcome(() => s.put({}));
    out.delEmpty = await outcome(() => s.delete([]));
    out.left = (await s.list()).size;
    return out;`),
  insideBoth("doprobe: list() odd options", `
    await s.put({ a: 1, b: 2, c: 3, d: 4 });
    const out = {};
    const cases = { limit0: { limit: 0 }, limitNeg: { limit: -1 }, limitStr: { limit: "abc" }, limitStr2: { limit: "2" }, limitNull: { limit: null }, limitUndef: { limit: undefined },
      both: { start: "a", startAfter: "b" }, bothRev: { startAfter: "a", start: "b", reverse: true }, endBeforeStart: { start: "c", end: "a" }, startEqEnd: { start: "b", end: "b" },
      prefixNum: { prefix: 1 }, reverseStr: { reverse: "yes" }, reverseZero: { reverse: 0, limit: 1 }, startUndef: { start: undefined }, prefixNull: { prefix: null },
      startAfterNull: { startAfter: null }, endNull: { end: null }, unknownOpt: { foo: 1, limit: 1 }, allowConcurrencyStr: { allowConcurrency: "no" }, noCacheObj: { noCache: {} },
      limitFrac: { limit: 0.5 }, limitNegFrac: { limit: -0.5 }, limitHuge: { limit: 2 ** 53 } };
    for (const [k, o] of Object.entries(cases)) out[k] = await outcome(async () => [...(await s.list(o)).keys()]);
    out.listNull = await outcome(async () => [...(await s.list(null)).keys()]);
    out.listUndef = await outcome(async () => [...(await s.list(undefined)).keys()]);
    out.listNum = await outcome(async () => [...(await s.list(5)).keys()]);
    out.listArr = await outcome(async () => [...(await s.list([])).keys()]);
    out.listFn = await outcome(async () => [...(await s.list(() => 1)).keys()]);
    return out;`),
  insideBoth("doprobe: options arguments of wrong types", `
    await s.put("k", 1);
    const out = {};
    const opts = { str: "x", num: 5, nul: null, arr: [], fn: () => 1, bool: true, sym: Symbol("s"), acStr: { allowConcurrency: "yes" }, ncNum: { noCache: 1 }, auObj: { allowUnconfirmed: {} } };
    for (const [k, o] of Object.entries(opts)) {
      out["get_" + k] = await outcome(() => s.get("k", o));
      out["getArr_" + k] = await outcome(async () => (await s.get(["k"], o)).size);
      out["put_" + k] = await outcome(() => s.put("k", 2, o));
      out["putEntries_" + k] = await outcome(() => s.put({ k: 3 }, o));
      out["delete_" + k] = await outcome(() => s.delete("zz", o));
      out["deleteAll_" + k] = await outcome(() => s.deleteAll(o));
      out["getAlarm_" + k] = await outcome(() => s.getAlarm(o));
      out["deleteAlarm_" + k] = await outcome(() => s.deleteAlarm(o));
      out["setAlarm_" + k] = await outcome(() => s.setAlarm(Date.now() + 100000, o));
      await s.put("k", 1);
    }
    return out;`, { alarmHandler: true }),
  insideBoth("doprobe: alarms with past, zero, fractional times", `
    const out = {};
    const t0 = Date.now();
    const read = async () => { const a = await s.getAlarm(); return a === null ? null : typeof a === "number" ? (a < t0 ? "past" : a === t0 + 100000 ? "exact" : Number.isInteger(a) ? "int" : "frac") : typeof a; };
    for (const [k, v] of Object.entries({ zero: 0, neg: -1, frac: t0 + 100000.7, dateFrac: new Date(t0 + 100000.7), past: t0 - 5000, exact: t0 + 100000, negBig: -8.64e15, belowMin: -8.64e15 - 1, date0: new Date(0) })) {
      out[k] = await outcome(async () => { await s.setAlarm(v); return await read(); });
      await s.deleteAlarm();
    }
    out.fracValue = await outcome(async () => { await s.setAlarm(t0 + 100000.7); return (await s.getAlarm()) - t0; });
    out.fracNeg = await outcome(async () => { await s.setAlarm(new Date(t0 + 100000.3)); return (await s.getAlarm()) - t0; });
    await s.deleteAlarm();
    return out;`, { alarmHandler: true }),
  insideBoth("doprobe: nested transactions", `
    const out = {};
    out.nested = await outcome(() => s.transaction(async (t) => { await t.put("a", 1); return await t.transaction?.(async (t2) => { await t2.put("b", 2); return "inner"; }) ?? "no-method"; }));
    out.nestedStorage = await outcome(() => s.transaction(async (t) => { await t.put("c", 1); return await s.transaction(async (t2) => { await t2.put("d", 2); t2.rollback(); return "inner"; }); }));
    out.afterNested = show(await s.get(["a", "b", "c", "d"]));
    out.txnSyncInTxn = await outcome(() => s.transaction(async (t) => s.transactionSync(() => 1)));
    out.txnInTxnSync = outcomeSync(() => typeof s.transactionSync(() => s.transaction(async () => 1)));
    out.txnMethods = await s.transaction(async (t) => Object.getOwnPropertyNames(Object.getPrototypeOf(t)).sort());
    out.rollbackThenThrow = await outcome(() => s.transaction(async (t) => { await t.put("e", 1); t.rollback(); throw new Error("after rollback"); }));
    out.rollbackReturn = await outcome(() => s.transaction(async (t) => { await t.put("f", 1); t.rollback(); return "value"; }));
    out.rollbackPutAfter = await outcome(() => s.transaction(async (t) => { t.rollback(); await t.put("g", 1); }));
    out.left = show(await s.get(["e", "f", "g"]));
    out.nonFunction = await outcome(() => s.transaction(5));
    out.noArg = await outcome(() => s.transaction());
    out.syncNonFunction = outcomeSync(() => s.transactionSync(5));
    out.syncArgs = outcomeSync(() => s.transactionSync(function () { return arguments.length; }));
    out.txnArgs = await outcome(() => s.transaction(async function () { return arguments.length; }));
    out.txnOptions = await outcome(() => s.transaction(async () => 1, { foo: 1 }));
    return out;`),
  insideBoth("doprobe: functions where objects are expected", `
    const f = () => 1;
    const g = Object.assign(function named() {}, { x: 7 });
    const out = {};
    out.putEntriesFn = await outcome(async () => { await s.put({ k: 3 }, f); return show(await s.get("k")); });
    out.putFnKey = await outcome(async () => { await s.put(f, 1); return [...(await s.list()).keys()]; });
    out.putFnEntries = await outcome(async () => { await s.put(g); return [...(await s.list()).keys()]; });
    out.putFnKeyOpts = await outcome(async () => { await s.put("z", 1, f); return show(await s.get("z")); });
    out.getFn = await outcome(async () => show(await s.get(f)));
    out.deleteFn = await outcome(async () => show(await s.delete(f)));
    out.getFnOpts = await outcome(async () => show(await s.get("k", g)));
    out.putBoxed = await outcome(async () => { await s.put({ b: 1 }, new Number(5)); return show(await s.get("b")); });
    out.putDate = await outcome(async () => { await s.put({ d: 1 }, new Date()); return show(await s.get("d")); });
    out.putRegExp = await outcome(async () => { await s.put({ r: 1 }, /x/); return show(await s.get("r")); });
    out.putEntriesNull = await outcome(async () => { await s.put({ n: 1 }, null); return show(await s.get("n")); });
    out.putEntriesStr = await outcome(() => s.put({ n: 1 }, "str"));
    out.putEntriesNum = await outcome(() => s.put({ n: 1 }, 0));
    out.putEntriesSym = await outcome(() => s.put({ n: 1 }, Symbol("x")));
    out.putEntriesArr = await outcome(() => s.put({ n: 1 }, [1]));
    out.putEntriesUndefOpts = await outcome(() => s.put({ n: 2 }, undefined, 5));
    out.putEntriesThird = await outcome(() => s.put({ n: 2 }, {}, 5));
    return out;`),
  insideBoth("doprobe: stored values round-trip", `
    const cyc = { name: "c" }; cyc.self = cyc;
    const shared = new ArrayBuffer(8); const v1 = new Uint8Array(shared, 0, 4); const v2 = new Uint16Array(shared, 4, 2);
    const arr = [1, 2]; arr.extra = "x";
    const e = new TypeError("te", { cause: 5 }); e.extra = 1;
    class K { constructor() { this.a = 1; } get g() { return 2; } }
    const cases = {
      cyc, mapObjKey: new Map([[{ k: 1 }, "v"], [NaN, 1], [-0, 2]]), setMixed: new Set([1, "1", 1n, null]), sparse: [1, , 3], arrExtra: arr,
      views: { v1, v2, same: [v1, v1] }, dataView: new DataView(new ArrayBuffer(2)), f32: new Float32Array([1.5]), big64: new BigInt64Array([-1n]), u8c: new Uint8ClampedArray([300]),
      err: e, rangeErr: new RangeError("r"), evalErr: new EvalError("ev"), uriErr: new URIError("u"), syntaxErr: new SyntaxError("s"), aggErr: new AggregateError([new Error("x")], "agg"),
      domEx: new DOMException("dm", "AbortError"), klass: new K(), boxedBig: Object(5n), boxedSym: 0, regex: /a+/giy, dateInvalid: new Date(NaN), negZero: -0,
      nested: { a: [new Map([["m", new Set([new Date(1)])]])] }, emptyBuf: new ArrayBuffer(0), resizable: new ArrayBuffer(4, { maxByteLength: 8 }),
    };
    const out = {};
    for (const [k, v] of Object.entries(cases)) out[k] = await outcome(async () => { await s.put(k, v); const r = await s.get(k); return k === "views" ? { ...show(r), sameIdentity: r.same[0] === r.same[1], sharedBuf: r.v1.buffer === r.v2.buffer, bufLen: r.v1.buffer.byteLength } : k === "err" ? { ...show(r), cause: show(r.cause), extra: r.extra, stack: typeof r.stack } : k === "resizable" ? { ...show(r), resizable: r.resizable, max: r.maxByteLength } : k === "klass" ? { ...show(r), g: r.g } : show(r); });
    return out;`),
  insideBoth("doprobe: unstorable values and their errors", `
    const out = {};
    const cases = { sym: Symbol("x"), fn: () => 1, objWithFn: { f() {} }, objWithSym: { s: Symbol("y") }, weakRef: new WeakRef({}), weakSet: new WeakSet(), proxy: new Proxy({}, {}), proxyArr: new Proxy([1], {}),
      url: new URL("http://x/"), headers: new Headers(), response: new Response("x"), stream: new ReadableStream(), abortSignal: new AbortController().signal,
      textEncoder: new TextEncoder(), generator: (function* () {})(), mapWithFn: new Map([["a", () => 1]]), setWithSym: new Set([Symbol("z")]), errWithFn: Object.assign(new Error("x"), { f() {} }), bigObj: Object(Symbol("q")) };
    for (const [k, v] of Object.entries(cases)) out[k] = await outcome(async () => { await s.put(k, v); return show(await s.get(k)); });
    out.getter = await outcome(async () => { await s.put("g", { get x() { throw new Error("getter boom"); } }); });
    out.toJSONIgnored = await outcome(async () => { await s.put("t", { toJSON() { return 1; }, v: 2 }); return show(await s.get("t")); });
    return out;`),
  inside("doprobe: sql bindings of every type", "sqlite", `
    const out = {};
    const cases = { big: 2n ** 63n, bigMax: 2n ** 63n - 1n, bigMin: -(2n ** 63n), bigUnder: -(2n ** 63n) - 1n, t: true, f: false, u8: new Uint8Array([1, 2]), u16: new Uint16Array([1]), dv: new DataView(new ArrayBuffer(2)), ab: new ArrayBuffer(3),
      nul: null, undef: undefined, sym: Symbol("s"), obj: { a: 1 }, fn: () => 1, num: new Number(3), str: new String("s"), neg0: -0, huge: 1e308, sub: new Uint8Array([9, 8, 7]).subarray(1), map: new Map(), date: new Date(0), bigSmall: 5n };
    for (const [k, v] of Object.entries(cases)) out[k] = outcomeSync(() => { const c = sql.exec("SELECT ? AS v, typeof(?) AS t", v, v); return c.one(); });
    out.tooFew = outcomeSync(() => sql.exec("SELECT ?, ?", 1).toArray());
    out.tooMany = outcomeSync(() => sql.exec("SELECT ?", 1, 2).toArray());
    out.named = outcomeSync(() => sql.exec("SELECT :a", 1).toArray());
    out.numbered = outcomeSync(() => sql.exec("SELECT ?2, ?1", 1, 2).toArray());
    out.dollar = outcomeSync(() => sql.exec("SELECT $x", 1).toArray());
    out.multiBind = outcomeSync(() => sql.exec("SELECT ?; SELECT ?", 1, 2).toArray());
    return out;`),
  inside("doprobe: sql cursor methods", "sqlite", `
    sql.exec("CREATE TABLE t(a, b)");
    sql.exec("INSERT INTO t VALUES (1, 'x'), (2, 'y')");
    const out = {};
    const c1 = sql.exec("SELECT a, b, a AS a FROM t");
    out.colsBefore = c1.columnNames;
    out.readBefore = [c1.rowsRead, c1.rowsWritten];
    out.first = show(c1.next());
    out.readMid = [c1.rowsRead, c1.rowsWritten];
    out.rest = show(c1.toArray());
    out.after = show(c1.next());
    out.afterAgain = show(c1.next());
    out.oneAfter = outcomeSync(() => c1.one());
    out.readEnd = [c1.rowsRead, c1.rowsWritten];
    out.oneZero = outcomeSync(() => sql.exec("SELECT * FROM t WHERE a > 5").one());
    out.oneTwo = outcomeSync(() => sql.exec("SELECT * FROM t").one());
    const c2 = sql.exec("SELECT a, b FROM t");
    const raw = c2.raw();
    out.rawFirst = show(raw.next());
    out.cursorAfterRaw = show(c2.next());
    out.rawRest = show(raw.toArray());
    out.rawIsIter = raw[Symbol.iterator]() === raw;
    out.cursorIsIter = c2[Symbol.iterator]() === c2;
    const c3 = sql.exec("INSERT INTO t VALUES (3, 'z') RETURNING a");
    out.returningCounts = [c3.rowsRead, c3.rowsWritten];
    out.returningRows = show(c3.toArray());
    out.returningCountsAfter = [c3.rowsRead, c3.rowsWritten];
    const c4 = sql.exec("INSERT INTO t VALUES (4, 'w')");
    out.insertCols = c4.columnNames; out.insertCounts = [c4.rowsRead, c4.rowsWritten]; out.insertArr = show(c4.toArray());
    const c5 = sql.exec("SELECT 1 AS x; SELECT 2 AS y, 3 AS z");
    out.multiCols = c5.columnNames; out.multiRows = show(c5.toArray());
    const c6 = sql.exec("UPDATE t SET b = 'q'; SELECT count(*) AS n FROM t");
    out.multiCounts = [c6.rowsRead, c6.rowsWritten]; out.multiRows2 = show(c6.toArray());
    out.emptyNames = sql.exec("SELECT 1, 2").columnNames;
    out.rawOne = outcomeSync(() => sql.exec("SELECT 1 AS a").raw().one?.());
    out.rawCols = outcomeSync(() => sql.exec("SELECT 1 AS a").raw().columnNames);
    out.size = typeof sql.databaseSize;
    out.dbSizeMultiple = sql.databaseSize % 4096;
    out.keys = Object.getOwnPropertyNames(Object.getPrototypeOf(c1)).sort();
    return out;`),
  inside("doprobe: sql forbidden statements", "sqlite", `
    const out = {};
    const stmts = { begin: "BEGIN", beginImm: "BEGIN IMMEDIATE", commit: "COMMIT", rollback: "ROLLBACK", savepoint: "SAVEPOINT a", release: "RELEASE a", attach: "ATTACH DATABASE ':memory:' AS x", detach: "DETACH x",
      pragmaJournal: "PRAGMA journal_mode", pragmaJournalSet: "PRAGMA journal_mode = DELETE", pragmaFk: "PRAGMA foreign_keys", pragmaFkOff: "PRAGMA foreign_keys = OFF", pragmaDefer: "PRAGMA defer_foreign_keys = ON", pragmaUserVersion: "PRAGMA user_version", pragmaUserVersionSet: "PRAGMA user_version = 3",
      pragmaQuickCheck: "PRAGMA quick_check", pragmaIntegrity: "PRAGMA integrity_check", pragmaDbList: "PRAGMA database_list", pragmaCacheSize: "PRAGMA cache_size", pragmaSync: "PRAGMA synchronous", pragmaOptimize: "PRAGMA optimize", pragmaFunctionList: "PRAGMA function_list",
      pragmaLegacy: "PRAGMA legacy_alter_table = ON", pragmaRecursive: "PRAGMA recursive_triggers", pragmaIndexList: "PRAGMA index_list(x)", pragmaTableXinfo: "PRAGMA table_xinfo(x)", pragmaUnknown: "PRAGMA nosuchpragma",
      loadExt: "SELECT load_extension('x')", tempTable: "CREATE TEMP TABLE tt(a)", sqliteMaster: "SELECT name FROM sqlite_master", sqliteSchemaWrite: "DELETE FROM sqlite_schema", cfTable: "CREATE TABLE _cf_x(a)", cfTableUpper: "CREATE TABLE _CF_x(a)", vtab: "CREATE VIRTUAL TABLE v USING fts5(a)", rtree: "CREATE VIRTUAL TABLE r USING rtree(id, a, b)" };
    for (const [k, q] of Object.entries(stmts)) out[k] = outcomeSync(() => show(sql.exec(q).toArray()));
    return out;`),
  insideBoth("doprobe: ids and namespace argument corners", `
    const ns = this.env.DO;
    const out = {};
    const hex = ns.idFromName("x").toString();
    out.upper = outcomeSync(() => ns.idFromString(hex.toUpperCase()).toString() === hex);
    out.spaces = outcomeSync(() => ns.idFromString(" " + hex));
    out.short = outcomeSync(() => ns.idFromString(hex.slice(1)));
    out.long = outcomeSync(() => ns.idFromString(hex + "0"));
    out.nonHex = outcomeSync(() => ns.idFromString("g" + hex.slice(1)));
    out.flipped = outcomeSync(() => ns.idFromString(hex.slice(0, 63) + (hex[63] === "0" ? "1" : "0")));
    out.boxed = outcomeSync(() => ns.idFromString(new String(hex)).toString() === hex);
    out.nameEmpty = outcomeSync(() => ns.idFromName("").name);
    out.nameLong = outcomeSync(() => ns.idFromName("n".repeat(10000)).name.length);
    out.nameSym = outcomeSync(() => ns.idFromName(Symbol("s")));
    out.nameObj = outcomeSync(() => ns.idFromName({ toString() { return "ts"; } }).name);
    out.uniqueOptsNum = outcomeSync(() => ns.newUniqueId(5));
    out.uniqueOptsFn = outcomeSync(() => typeof ns.newUniqueId(() => 1).toString());
    out.uniqueName = outcomeSync(() => ns.newUniqueId().name);
    out.equalsStr = outcomeSync(() => ns.idFromName("x").equals(hex));
    out.equalsNull = outcomeSync(() => ns.idFromName("x").equals(null));
    out.equalsNone = outcomeSync(() => ns.idFromName("x").equals());
    out.equalsFromString = outcomeSync(() => ns.idFromString(hex).equals(ns.idFromName("x")));
    out.fromStringName = outcomeSync(() => show(ns.idFromString(hex).name));
    out.idKeys = Object.keys(ns.idFromName("x"));
    out.idJson = JSON.stringify(ns.newUniqueId()).length;
    out.byNameSym = outcomeSync(() => ns.getByName(Symbol("s")));
    out.byNameNone = outcomeSync(() => ns.getByName());
    out.byNameNum = outcomeSync(() => ns.getByName(5).name);
    out.byNameIdName = outcomeSync(() => ns.getByName("q").id.name);
    out.byNameOpts = outcomeSync(() => typeof ns.getByName("q", { locationHint: "wnam" }));
    out.byNameOptsBad = outcomeSync(() => ns.getByName("q", 5));
    out.getOptsBad = outcomeSync(() => ns.get(ns.idFromName("q"), 5));
    out.getOptsHintNum = outcomeSync(() => typeof ns.get(ns.idFromName("q"), { locationHint: 5 }));
    out.getJurisdictionOpt = outcomeSync(() => typeof ns.get(ns.idFromName("q"), { jurisdiction: "eu" }));
    out.stubName = outcomeSync(() => show(ns.get(ns.idFromName("q")).name));
    out.stubNameFromString = outcomeSync(() => show(ns.get(ns.idFromString(hex)).name));
    out.stubIdEq = outcomeSync(() => ns.get(ns.idFromName("q")).id.equals(ns.idFromName("q")));
    out.ctxIdName = show(this.ctx.id.name);
    out.ctxIdSame = this.ctx.id === this.ctx.id;
    return out;`),
  insideBoth("doprobe: ctx argument corners", `
    const ctx = this.ctx;
    const out = {};
    out.bcwNoArg = await outcome(() => ctx.blockConcurrencyWhile());
    out.bcwNum = await outcome(() => ctx.blockConcurrencyWhile(5));
    out.bcwSync = await outcome(() => ctx.blockConcurrencyWhile(() => 7));
    out.bcwThrowSync = await outcome(() => ctx.blockConcurrencyWhile(() => { throw new RangeError("sync"); }));
    out.bcwArgs = await outcome(() => ctx.blockConcurrencyWhile(function () { return arguments.length; }));
    out.bcwNested = await outcome(() => ctx.blockConcurrencyWhile(async () => await ctx.blockConcurrencyWhile(async () => "inner")));
    out.bcwThis = await outcome(() => ctx.blockConcurrencyWhile(function () { return this === undefined ? "undefined" : typeof this; }));
    out.waitUntilNum = outcomeSync(() => ctx.waitUntil(5));
    out.waitUntilNone = outcomeSync(() => ctx.waitUntil());
    out.waitUntilObj = outcomeSync(() => ctx.waitUntil({ then(r) { r(1); } }));
    out.waitUntilRejected = outcomeSync(() => ctx.waitUntil(Promise.reject(new Error("wu"))));
    out.getWs = outcomeSync(() => ctx.getWebSockets().length);
    out.getWsTag = outcomeSync(() => ctx.getWebSockets("t").length);
    out.getWsNum = outcomeSync(() => ctx.getWebSockets(5).length);
    out.getTagsNone = outcomeSync(() => ctx.getTags());
    out.getTagsObj = outcomeSync(() => ctx.getTags({}));
    out.autoNone = outcomeSync(() => show(ctx.getWebSocketAutoResponse()));
    out.autoBad = outcomeSync(() => ctx.setWebSocketAutoResponse("x"));
    out.autoUndef = outcomeSync(() => show(ctx.setWebSocketAutoResponse()));
    out.autoPair = outcomeSync(() => { ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong")); const p = ctx.getWebSocketAutoResponse(); return [p.request, p.response]; });
    out.autoNull = outcomeSync(() => { ctx.setWebSocketAutoResponse(null); return show(ctx.getWebSocketAutoResponse()); });
    out.pairEmpty = outcomeSync(() => new WebSocketRequestResponsePair("", ""));
    out.pairLong = outcomeSync(() => new WebSocketRequestResponsePair("a".repeat(2049), "b"));
    out.pairLongResp = outcomeSync(() => new WebSocketRequestResponsePair("a", "b".repeat(2049)));
    out.pair2048 = outcomeSync(() => new WebSocketRequestResponsePair("a".repeat(2048), "b".repeat(2048)).request.length);
    out.pairNoArgs = outcomeSync(() => new WebSocketRequestResponsePair());
    out.pairNums = outcomeSync(() => { const p = new WebSocketRequestResponsePair(1, 2); return [typeof p.request, p.response]; });
    out.tsNone = outcomeSync(() => ctx.getWebSocketAutoResponseTimestamp());
    out.tsBad = outcomeSync(() => ctx.getWebSocketAutoResponseTimestamp({}));
    out.hibTimeout = outcomeSync(() => ctx.setHibernatableWebSocketEventTimeout?.(5));
    out.hibTimeoutGet = outcomeSync(() => ctx.getHibernatableWebSocketEventTimeout?.());
    out.acceptBad = outcomeSync(() => ctx.acceptWebSocket({}));
    out.acceptNone = outcomeSync(() => ctx.acceptWebSocket());
    out.acceptTagsBad = outcomeSync(() => { const [a, b] = Object.values(new WebSocketPair()); ctx.acceptWebSocket(a, "notarray"); return ctx.getTags(a); });
    out.acceptTagsMany = outcomeSync(() => { const [a] = Object.values(new WebSocketPair()); ctx.acceptWebSocket(a, Array.from({ length: 11 }, (_, i) => "t" + i)); });
    out.acceptTagLong = outcomeSync(() => { const [a] = Object.values(new WebSocketPair()); ctx.acceptWebSocket(a, ["x".repeat(257)]); });
    out.acceptTagEmpty = outcomeSync(() => { const [a] = Object.values(new WebSocketPair()); ctx.acceptWebSocket(a, [""]); return ctx.getTags(a); });
    out.acceptTagsDup = outcomeSync(() => { const [a] = Object.values(new WebSocketPair()); ctx.acceptWebSocket(a, ["d", "d"]); return ctx.getTags(a); });
    out.acceptTwice = outcomeSync(() => { const [a] = Object.values(new WebSocketPair()); ctx.acceptWebSocket(a); ctx.acceptWebSocket(a); });
    out.acceptAcceptedLocal = outcomeSync(() => { const [a] = Object.values(new WebSocketPair()); a.accept(); ctx.acceptWebSocket(a); });
    out.afterAccept = outcomeSync(() => [ctx.getWebSockets().length, ctx.getWebSockets("d").length, ctx.getWebSockets("t0").length]);
    out.getTagsNonHib = outcomeSync(() => { const [a] = Object.values(new WebSocketPair()); return ctx.getTags(a); });
    return out;`),
  {
    name: "doprobe: errors with custom properties crossing RPC",
    backend: "sqlite",
    source: cls(`
  boom(kind) {
    if (kind === "props") { const e = new RangeError("r"); e.code = "E_X"; e.num = 5; e.nested = { a: [1] }; e.map = new Map([["k", 1]]); e.date = new Date(0); throw e; }
    if (kind === "fnProp") { const e = new Error("f"); e.fn = () => 1; throw e; }
    if (kind === "symProp") { const e = new Error("s"); e.sym = Symbol("x"); throw e; }
    if (kind === "renamed") { const e = new TypeError("t"); e.name = "CustomName"; throw e; }
    if (kind === "nameEmpty") { const e = new Error("t"); e.name = ""; throw e; }
    if (kind === "nameNum") { const e = new Error("t"); e.name = 42; throw e; }
    if (kind === "msgNum") { const e = new Error(); e.message = 42; throw e; }
    if (kind === "noMsg") throw new Error();
    if (kind === "stackProp") { const e = new Error("st"); e.stack = "custom stack"; throw e; }
    if (kind === "remoteSet") { const e = new Error("rs"); e.remote = false; e.durableObjectId = "mine"; throw e; }
    if (kind === "causeErr") throw new Error("outer", { cause: new TypeError("inner") });
    if (kind === "causeCycle") { const e = new Error("cyc"); e.cause = e; throw e; }
    if (kind === "selfProp") { const e = new Error("sp"); e.self = e; throw e; }
    if (kind === "subclass") { class MyErr extends TypeError { constructor(m) { super(m); this.name = "MyErr"; this.extra = "x"; } } throw new MyErr("sub"); }
    if (kind === "frozen") throw Object.freeze(new Error("frozen"));
    if (kind === "getterProp") { const e = new Error("g"); Object.defineProperty(e, "lazy", { get() { return "lazy-value"; }, enumerable: true }); throw e; }
    if (kind === "nonEnum") { const e = new Error("ne"); Object.defineProperty(e, "hidden", { value: 1, enumerable: false }); throw e; }
    if (kind === "proto") { const e = Object.create(Error.prototype); e.message = "bare"; throw e; }
    if (kind === "reject") return Promise.reject(Object.assign(new SyntaxError("async"), { tag: 1 }));
    if (kind === "unclonableProp") { const e = new Error("uc"); e.w = new WeakMap(); throw e; }
    if (kind === "bigProp") { const e = new Error("big"); e.b = 10n; throw e; }
    if (kind === "arr") throw [1, 2];
    if (kind === "undef") throw undefined;
    if (kind === "bool") throw false;
    if (kind === "sym") throw Symbol("thrown");
    return "no";
  }`),
    drive: async (env) => {
      const stub = env.DO.getByName("e");
      const out = {};
      for (const kind of ["props", "fnProp", "symProp", "renamed", "nameEmpty", "nameNum", "msgNum", "noMsg", "stackProp", "remoteSet", "causeErr", "causeCycle", "selfProp", "subclass", "frozen", "getterProp", "nonEnum", "proto", "reject", "unclonableProp", "bigProp", "arr", "undef", "bool", "sym"]) {
        try { await stub.boom(kind); out[kind] = "no throw"; } catch (e) {
          if (e === null || typeof e !== "object") { out[kind] = { thrown: show(e) }; continue; }
          const own = {};
          for (const k of Object.keys(e)) own[k] = k === "durableObjectId" ? typeof e[k] : show(e[k]);
          out[kind] = { ...err(e), nameType: typeof e.name, msgType: typeof e.message, proto: Object.prototype.toString.call(e), own, cause: e.cause === e ? "self" : show(e.cause), self: e.self === e, stackHas: typeof e.stack === "string" ? e.stack.includes("custom stack") : typeof e.stack, frozen: Object.isFrozen(e), isArr: Array.isArray(e) };
        }
      }
      return out;
    },
  },
  {
    name: "doprobe: RPC arguments and results that cannot be cloned",
    backend: "sqlite",
    source: cls(`
  echo(v) { return typeof v === "function" ? "fn" : v; }
  give(kind) {
    if (kind === "sym") return Symbol("r");
    if (kind === "weakmap") return new WeakMap();
    if (kind === "nested") return { a: { b: [new WeakSet()] } };
    if (kind === "klass") return new (class Foo { x = 1; })();
    if (kind === "getterThrows") return { get g() { throw new Error("getter in result"); } };
    if (kind === "nullProto") return Object.create(null);
    if (kind === "mapFn") return new Map([["a", () => 1]]);
    if (kind === "proxy") return new Proxy({ a: 1 }, {});
    if (kind === "generator") return (function* () {})();
    if (kind === "promiseInObj") return { p: Promise.resolve(1) };
    return "?";
  }`),
    drive: async (env) => {
      const stub = env.DO.getByName("r");
      const out = {};
      const args = { sym: Symbol("a"), weakmap: new WeakMap(), nested: { a: [new WeakSet()] }, klass: new (class Bar { y = 2; })(), nullProto: Object.create(null), getterThrows: { get g() { throw new Error("getter in arg"); } },
        mapFn: new Map([["a", () => 1]]), proxy: new Proxy({ a: 1 }, {}), generator: (function* () {})(), promiseInObj: { p: Promise.resolve(1) }, objWithSymKey: { [Symbol("k")]: 1, v: 2 }, weakref: new WeakRef({}) };
      for (const [k, v] of Object.entries(args)) out["arg_" + k] = await outcome(() => stub.echo(v));
      for (const k of ["sym", "weakmap", "nested", "klass", "getterThrows", "nullProto", "mapFn", "proxy", "generator", "promiseInObj"]) out["ret_" + k] = await outcome(() => stub.give(k));
      out.syncThrow = (() => { try { const p = stub.echo(Symbol("x")); return "returned " + typeof p?.then; } catch (e) { return { threw: err(e) }; } })();
      return out;
    },
  },
  {
    name: "doprobe: stub property access and promise pipelining",
    backend: "sqlite",
    source: cls(`
  constructor(ctx, env) { super(ctx, env); this.field = 1; }
  num = 5;
  get getter() { return { deep: { fn: () => "deep-fn", val: 3 } }; }
  static st() { return 1; }
  obj() { return { a: { b: 2, m() { return "m"; } }, arr: [10, 20], fn: (x) => x * 2 }; }
  target() { return new (class T extends RpcTarget { get p() { return 9; } m(x) { return x + 1; } })(); }
  prim() { return 7; }
  nul() { return null; }`),
    drive: async (env) => {
      const stub = env.DO.getByName("p");
      const out = {};
      out.field = await outcome(() => stub.field);
      out.num = await outcome(() => stub.num);
      out.getter = await outcome(async () => (await stub.getter).deep.val);
      out.getterPipe = await outcome(() => stub.getter.deep.val);
      out.getterPipeFn = await outcome(() => stub.getter.deep.fn());
      out.st = await outcome(() => stub.st());
      out.ctor = await outcome(() => stub.constructor());
      out.pipeProp = await outcome(() => stub.obj().a.b);
      out.pipeMethod = await outcome(() => stub.obj().a.m());
      out.pipeArr = await outcome(() => stub.obj().arr[1]);
      out.pipeArrLen = await outcome(() => stub.obj().arr.length);
      out.pipeFn = await outcome(() => stub.obj().fn(4));
      out.pipeMissing = await outcome(() => stub.obj().nope);
      out.pipeMissingCall = await outcome(() => stub.obj().nope());
      out.pipeTarget = await outcome(() => stub.target().m(1));
      out.pipeTargetProp = await outcome(() => stub.target().p);
      out.pipeNull = await outcome(() => stub.nul().x);
      out.pipeNullCall = await outcome(() => stub.nul().x());
      out.pipePrimProp = await outcome(() => stub.prim().x);
      out.ctxProp = await outcome(() => stub.ctx);
      out.envProp = await outcome(() => stub.env);
      out.fetchProp = await outcome(async () => typeof (await stub.fetch));
      out.alarmCall = await outcome(() => stub.alarm());
      out.webSocketMessage = await outcome(() => stub.webSocketMessage());
      out.dup = await outcome(() => stub.dup());
      out.underscore = await outcome(() => stub.__proto__);
      return out;
    },
  },
  {
    name: "doprobe: an error crossing RPC leaves its stack behind",
    backend: "sqlite",
    source: cls(`
  boom(kind) {
    const e = new Error("st");
    if (kind === "text") e.stack = "custom stack";
    if (kind === "number") e.stack = 5;
    if (kind === "deleted") delete e.stack;
    if (kind === "frozen") Object.freeze(e);
    throw e;
  }
  give() { const e = new Error("returned"); e.stack = "ret stack"; return { e, t: new TypeError("inner"), unnamed: Object.assign(new RangeError("r"), { name: "" }) }; }
  nested() { throw new Error("outer", { cause: new TypeError("cause") }); }
  agg() { return new AggregateError([new RangeError("one")], "agg"); }
  held() {
    const e = new Error("holder");
    Object.assign(e, { list: [new Error("listed")], map: new Map([[new Error("key"), new Error("value")]]), set: new Set([new Error("member")]), deep: { more: { e: new Error("deep") } }, bytes: new Uint8Array(8) });
    throw e;
  }
  arg(e) { return String(e.stack); }`),
    drive: async (env) => {
      const stub = env.DO.getByName("e");
      const out = {};
      for (const kind of ["text", "number", "deleted", "frozen"]) {
        try { await stub.boom(kind); } catch (e) { const st = String(e.stack); out[kind] = { type: typeof e.stack, head: st.split("\n    at ")[0], callerFrames: st.includes("at async drive") }; }
      }
      const g = await stub.give();
      out.returned = [g.e.stack, g.t.stack, g.unnamed.stack, Object.getOwnPropertyDescriptor(g.e, "stack")?.enumerable];
      const a = new Error("arg"); a.stack = "arg stack";
      out.cause = await stub.nested().catch((e) => [e.cause.stack.split("\n    at ")[0], e.cause.stack.includes("at async drive"), e.cause.stack.includes("nested")]);
      out.aggregate = await stub.agg().then((e) => [e.stack, e.errors[0].stack]);
      // Which Errors held by a thrown one (in an array, a Map's keys and values, a Set, a nested
      // object) get the caller's frames.
      out.held = await stub.held().catch((e) => {
        const [[key, value]] = e.map;
        return Object.fromEntries([["listed", e.list[0]], ["key", key], ["value", value], ["member", [...e.set][0]], ["deep", e.deep.more.e]].map(([name, inner]) => [name, [inner.stack.split("\n    at ")[0], inner.stack.includes("at async drive")]]));
      });
      out.args = [await stub.arg(a), await stub.arg(new SyntaxError("arg2")), await stub.arg(Object.assign(new Error(""), { name: "N" }))];
      return out;
    },
  },
  inside("doprobe: transactionSync with sql, kv and alarms", "sqlite", `
    sql.exec("CREATE TABLE t(a)");
    const out = {};
    out.throwRollsBack = outcomeSync(() => s.transactionSync(() => { sql.exec("INSERT INTO t VALUES (1)"); s.kv.put("k", 1); throw new TypeError("inside"); }));
    out.afterThrow = [sql.exec("SELECT count(*) AS n FROM t").one().n, show(s.kv.get("k"))];
    out.nested = outcomeSync(() => s.transactionSync(() => { sql.exec("INSERT INTO t VALUES (2)"); try { s.transactionSync(() => { sql.exec("INSERT INTO t VALUES (3)"); throw new Error("inner"); }); } catch (e) { return "caught " + e.message; } }));
    out.afterNested = sql.exec("SELECT a FROM t ORDER BY a").toArray().map((r) => r.a);
    out.asyncFn = outcomeSync(() => { const r = s.transactionSync(async () => { sql.exec("INSERT INTO t VALUES (4)"); throw new Error("async throw"); }); r.catch(() => {}); return typeof r.then; });
    out.afterAsync = sql.exec("SELECT a FROM t ORDER BY a").toArray().map((r) => r.a);
    out.returnsCursor = outcomeSync(() => s.transactionSync(() => sql.exec("SELECT 1 AS x")).toArray());
    out.kvAsyncInSync = await outcome(async () => { let p; s.transactionSync(() => { p = s.put("ak", 1); }); await p; return show(await s.get("ak")); });
    out.setAlarmInSync = outcomeSync(() => { s.transactionSync(() => { s.setAlarm(Date.now() + 60000); throw new Error("x"); }); });
    out.alarmAfter = show(await s.getAlarm());
    out.deleteAllInSync = outcomeSync(() => s.transactionSync(() => s.deleteAll()));
    out.txnInSync = await outcome(async () => { let p; s.transactionSync(() => { p = s.transaction(async (t) => { await t.put("q", 1); return 1; }); }); return await p; });
    out.syncKvList = outcomeSync(() => s.transactionSync(() => { s.kv.put("l1", 1); s.kv.delete("ak"); return [...s.kv.list()].map(([k]) => k); }));
    out.errorInSqlRollback = outcomeSync(() => s.transactionSync(() => { sql.exec("INSERT INTO t VALUES (5)"); sql.exec("SELECT * FROM nope"); }));
    out.afterSqlErr = sql.exec("SELECT a FROM t ORDER BY a").toArray().map((r) => r.a);
    out.syncReturnValues = [outcomeSync(() => show(s.transactionSync(() => undefined))), outcomeSync(() => show(s.transactionSync(() => new Map([[1, 2]]))))];
    out.thrownString = outcomeSync(() => s.transactionSync(() => { throw "str"; }));
    out.savepointInside = outcomeSync(() => s.transactionSync(() => sql.exec("SAVEPOINT x")));
    out.releaseInside = outcomeSync(() => s.transactionSync(() => sql.exec("RELEASE x")));
    return out;`, { alarmHandler: true }),
  inside("doprobe: bookmark argument errors come before anything else", "sqlite", `
    const out = {};
    out.current = await outcome(async () => typeof (await s.getCurrentBookmark()));
    out.forTimeNaN = await outcome(() => s.getBookmarkForTime(NaN));
    out.forTimeStr = await outcome(() => s.getBookmarkForTime("x"));
    out.forTimeNone = await outcome(() => s.getBookmarkForTime());
    out.restoreNone = await outcome(() => s.onNextSessionRestoreBookmark());
    out.bookmarkShape = await outcome(async () => { const b = await s.getCurrentBookmark(); return [b.length, /^[0-9a-f-]+$/.test(b)]; });
    out.ordered = await outcome(async () => { const a = await s.getCurrentBookmark(); await s.put("x", 1); const b = await s.getCurrentBookmark(); return [a <= b, a === b]; });
    return out;`),
  insideBoth("doprobe: deleteAll and alarms", `
    const out = {};
    await s.setAlarm(Date.now() + 60000);
    await s.put({ a: 1, b: 2 });
    out.deleteAll = show(await s.deleteAll());
    out.alarm = (await s.getAlarm()) === null;
    out.list = [...(await s.list()).keys()];
    out.deleteAllOpts = await outcome(() => s.deleteAll({ allowUnconfirmed: true, noCache: true }));
    out.deleteAllTwoArgs = await outcome(() => s.deleteAll({}, 5));
    out.deleteAllInTxn = await outcome(() => s.transaction(async (t) => t.deleteAll()));
    out.deleteAlarmInTxn = await outcome(() => s.transaction(async (t) => { await t.setAlarm(Date.now() + 5000); await t.deleteAlarm(); return show(await t.getAlarm()); }));
    out.txnAlarmRollback = await outcome(async () => { await s.transaction(async (t) => { await t.setAlarm(Date.now() + 5000); t.rollback(); }); return show(await s.getAlarm()); });
    out.txnGetAlarmOpts = await outcome(() => s.transaction(async (t) => show(await t.getAlarm({ allowConcurrency: true }))));
    out.txnSetAlarmPast = await outcome(async () => { await s.transaction(async (t) => t.setAlarm(Date.now() - 1000)); return (await s.getAlarm()) !== null; });
    await s.deleteAlarm();
    return out;`, { alarmHandler: true }),
  {
    name: "doprobe: stub.fetch() arguments",
    backend: "sqlite",
    source: cls(`
  async fetch(req) { return new Response(req.method + " " + req.url + " " + (req.headers.get("x") ?? "-") + " " + (await req.text())); }`),
    drive: async (env) => {
      const stub = env.DO.getByName("f");
      const out = {};
      const f = Object.assign(() => 1, { method: "POST", body: "fnbody" });
      out.fnInit = await outcome(async () => (await stub.fetch("http://x/a", f)).text());
      out.nullInit = await outcome(async () => (await stub.fetch("http://x/a", null)).text());
      out.numInit = await outcome(() => stub.fetch("http://x/a", 5));
      out.strInit = await outcome(() => stub.fetch("http://x/a", "s"));
      out.relative = await outcome(() => stub.fetch("/rel"));
      out.noScheme = await outcome(() => stub.fetch("x"));
      out.urlObj = await outcome(async () => (await stub.fetch(new URL("http://y/b"))).text());
      out.reqAndInit = await outcome(async () => (await stub.fetch(new Request("http://z/c", { method: "PUT", body: "rb" }), { headers: { x: "1" } })).text());
      out.objInput = await outcome(async () => (await stub.fetch({ toString() { return "http://o/"; } })).text());
      out.ftp = await outcome(async () => (await stub.fetch("ftp://x/")).text());
      out.getBody = await outcome(() => stub.fetch("http://x/", { body: "b" }));
      out.badMethod = await outcome(() => stub.fetch("http://x/", { method: "BAD METHOD" }));
      out.lowerMethod = await outcome(async () => (await stub.fetch("http://x/", { method: "post", body: "" })).text());
      out.requestFnInit = await outcome(async () => { const r = new Request("http://x/", Object.assign(() => 1, { method: "PUT", body: "rb", cf: { k: 1 } })); return [r.method, await r.text(), show(r.cf)]; });
      out.requestFnNullBody = await outcome(async () => { const r = new Request(new Request("http://x/", { method: "POST", body: "old" }), Object.assign(() => 1, { body: null })); return [r.method, r.body === null]; });
      out.headersFnInit = await outcome(() => [...new Headers(Object.assign(() => 1, { a: "", b: "2" }))]);
      out.fetchReqFnInit = await outcome(async () => (await stub.fetch(new Request("http://x/q", { method: "POST", body: "keep" }), Object.assign(() => 1, { headers: { x: "h" } }))).text());
      return out;
    },
  },
  inside("doprobe: sql exec arguments and result values", "sqlite", `
    const out = {};
    out.noArgs = outcomeSync(() => sql.exec());
    out.num = outcomeSync(() => sql.exec(5));
    out.obj = outcomeSync(() => sql.exec({ toString() { return "SELECT 9 AS n"; } }).toArray());
    out.empty = outcomeSync(() => sql.exec(""));
    out.spaces = outcomeSync(() => sql.exec("   "));
    out.comment = outcomeSync(() => sql.exec("-- c"));
    out.semicolon = outcomeSync(() => sql.exec(";"));
    out.leadingSemis = outcomeSync(() => sql.exec(";; SELECT 1 AS a").toArray());
    out.nul = outcomeSync(() => sql.exec("SELECT 1 AS a\\u0000garbage").toArray());
    out.manyParams = outcomeSync(() => sql.exec("SELECT " + Array(101).fill("?").join(","), ...Array(101).fill(1)).raw().toArray()[0].length);
    out.manyParams2 = outcomeSync(() => sql.exec("SELECT " + Array(32767).fill("?").join(","), ...Array(32767).fill(1)).raw().toArray()[0].length);
    out.manyParams3 = outcomeSync(() => sql.exec("SELECT " + Array(32768).fill("?").join(","), ...Array(32768).fill(1)));
    out.bigIntRead = outcomeSync(() => sql.exec("SELECT 9007199254740993 AS v").one());
    out.bigIntNeg = outcomeSync(() => sql.exec("SELECT -9007199254740993 AS v").one());
    out.blob = outcomeSync(() => show(sql.exec("SELECT x'0102' AS b").one().b));
    out.blobEmpty = outcomeSync(() => show(sql.exec("SELECT x'' AS b").one().b));
    out.zeroblob = outcomeSync(() => show(sql.exec("SELECT zeroblob(3) AS b").one().b));
    out.real = outcomeSync(() => show(sql.exec("SELECT 1.0 AS r, 1e400 AS inf, -0.0 AS nz").one()));
    out.textNul = outcomeSync(() => show(sql.exec("SELECT 'a' || char(0) || 'b' AS t").one().t));
    out.invalidUtf8 = outcomeSync(() => show(sql.exec("SELECT CAST(x'ff' AS TEXT) AS t").one().t));
    out.dupNames = outcomeSync(() => show(sql.exec("SELECT 1 AS a, 2 AS a").toArray()));
    out.dupNamesCols = outcomeSync(() => sql.exec("SELECT 1 AS a, 2 AS a").columnNames);
    out.exprName = outcomeSync(() => sql.exec("SELECT 1+1, 'x', NULL").columnNames);
    out.protoName = outcomeSync(() => { const r = sql.exec("SELECT 1 AS __proto__, 2 AS constructor").one(); return [Object.keys(r), Object.getPrototypeOf(r) === Object.prototype, typeof r.__proto__]; });
    out.boolBindBack = outcomeSync(() => show(sql.exec("SELECT ? AS v", true).one().v));
    out.limitString = outcomeSync(() => sql.exec("SELECT length(?) AS n", "x".repeat(2_000_001)).one().n);
    out.limitBlob = outcomeSync(() => sql.exec("SELECT length(?) AS n", new Uint8Array(2_000_001)).one().n);
    out.hugeString = outcomeSync(() => sql.exec("SELECT length(?) AS n", "x".repeat(1_000_000_001)).one().n);
    return out;`),
  inside("doprobe: storage.kv sync API corners", "sqlite", `
    const kv = s.kv;
    const out = {};
    kv.put("a", 1); kv.put("b", 2);
    out.getArr = outcomeSync(() => show(kv.get(["a", "b"])));
    out.getArrOne = outcomeSync(() => show(kv.get(["a"])));
    out.putThree = outcomeSync(() => { kv.put("c", 3, { allowUnconfirmed: true }); return kv.get("c"); });
    out.putObj = outcomeSync(() => kv.put({ d: 4 }));
    out.putNone = outcomeSync(() => kv.put());
    out.putOne = outcomeSync(() => kv.put("e"));
    out.getNone = outcomeSync(() => kv.get());
    out.deleteArr = outcomeSync(() => kv.delete(["a", "b"]));
    out.deleteNone = outcomeSync(() => kv.delete());
    out.deleteMissing = outcomeSync(() => kv.delete("zz"));
    out.deleteBool = outcomeSync(() => kv.delete("c"));
    out.listNone = outcomeSync(() => [...kv.list()].length);
    out.listBad = outcomeSync(() => kv.list(5));
    out.listIterTwice = outcomeSync(() => { const it = kv.list(); const a = [...it].length; const b = [...it].length; return [a, b]; });
    out.listLive = outcomeSync(() => { kv.put("x1", 1); const it = kv.list({ prefix: "x" }); const first = it.next(); kv.put("x2", 2); kv.delete("x1"); return [show(first), show([...it])]; });
    out.bigKey = outcomeSync(() => { kv.put("k".repeat(2049), 1); return kv.get("k".repeat(2049)); });
    out.bigValue = outcomeSync(() => { kv.put("bv", "x".repeat(200000)); return kv.get("bv").length; });
    out.hugeValue = outcomeSync(() => { kv.put("hv", "x".repeat(2_100_000)); return kv.get("hv").length; });
    out.hugeKey = outcomeSync(() => kv.put("k".repeat(2_100_000), 1));
    out.putFnEntries = outcomeSync(() => kv.put(Object.assign(() => 1, { f: 1 }), 1));
    return out;`),
  insideBoth("doprobe: a transaction object used after it ended", `
    const out = {};
    let leaked;
    out.result = await outcome(() => s.transaction(async (t) => { leaked = t; await t.put("a", 1); return { then(r) { r("thenable"); } }; }));
    out.get = await outcome(() => leaked.get("a"));
    out.getArr = await outcome(() => leaked.get(["a"]));
    out.put = await outcome(() => leaked.put("b", 1));
    out.del = await outcome(() => leaked.delete("a"));
    out.list = await outcome(() => leaked.list());
    out.rollback = outcomeSync(() => leaked.rollback());
    out.getAlarm = await outcome(() => leaked.getAlarm());
    out.setAlarm = await outcome(() => leaked.setAlarm(Date.now() + 60000));
    out.deleteAlarm = await outcome(() => leaked.deleteAlarm());
    let rolled;
    await s.transaction(async (t) => { rolled = t; t.rollback(); });
    out.rolledGet = await outcome(() => rolled.get("a"));
    out.rolledRollback = outcomeSync(() => rolled.rollback());
    let failed;
    await outcome(() => s.transaction(async (t) => { failed = t; throw new Error("x"); }));
    out.failedGet = await outcome(() => failed.get("a"));
    out.failedPut = await outcome(() => failed.put("a", 2));
    out.failedRollback = outcomeSync(() => failed.rollback());
    out.concurrent = await outcome(async () => {
      let inner;
      const p = s.transaction(async (t) => { inner = t; await t.put("c", 1); await new Promise((r) => setTimeout(r, 5)); return show(await t.get("c")); });
      await Promise.resolve();
      const outside = await s.get("c");
      return [show(outside), await p];
    });
    out.txnPutOptions = await outcome(() => s.transaction(async (t) => { await t.put("o", 1, { allowUnconfirmed: true, noCache: true }); await t.delete("o", { allowUnconfirmed: true }); return show(await t.get("o", { allowConcurrency: true })); }));
    out.txnGetBadOpts = await outcome(() => s.transaction(async (t) => t.get("o", 5)));
    out.txnListBadOpts = await outcome(() => s.transaction(async (t) => t.list({ limit: 0 })));
    out.txnSetAlarmNaN = await outcome(() => s.transaction(async (t) => t.setAlarm(NaN)));
    return out;`, { alarmHandler: true }),
  {
    name: "doprobe: storage and blockConcurrencyWhile in the constructor",
    backend: "sqlite",
    source: cls(`
  constructor(ctx, env) {
    super(ctx, env);
    this.log = [];
    ctx.blockConcurrencyWhile(async () => { this.log.push("bcw1 start"); await ctx.storage.put("k", 1); this.log.push("bcw1 end"); });
    ctx.blockConcurrencyWhile(async () => { this.log.push("bcw2 " + (await ctx.storage.get("k"))); });
    this.syncRead = ctx.storage.kv.get("k");
    this.p = ctx.storage.get("k").then((v) => this.log.push("get " + v));
    this.log.push("ctor end");
  }
  async go() { await this.p; return { log: this.log, syncRead: this.syncRead ?? "undefined" }; }`),
    drive: async (env) => env.DO.getByName("c").go(),
  },
  {
    name: "doprobe: blockConcurrencyWhile that throws in the constructor",
    backend: "kv",
    source: cls(`
  constructor(ctx, env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => { throw Object.assign(new RangeError("ctor bcw"), { extra: 1 }); });
  }
  async go() { return "ran"; }`),
    drive: async (env) => {
      const stub = env.DO.getByName("t");
      const a = await outcome(() => stub.go());
      const b = await outcome(() => stub.go());
      const c = await outcome(() => env.DO.getByName("t").go());
      return { a, b, c };
    },
  },
  insideBoth("doprobe: transaction() starts its closure once the caller's microtasks ran, as blockConcurrencyWhile() does", `
    const order = async (call) => {
      const log = [];
      let chain = Promise.resolve();
      for (let i = 1; i <= 30; i++) chain = chain.then(() => log.push(i));
      setTimeout(() => log.push("timeout0"), 0);
      const g = s.get("x").then(() => log.push("get"));
      const p = call(log).then(() => log.push("settled"));
      log.push("sync");
      await p; await g;
      await new Promise((r) => setTimeout(r, 10));
      return log.join(" ");
    };
    const nestedLog = [];
    await s.transaction(async () => {
      const inner = s.transaction(async () => { nestedLog.push("inner start"); });
      nestedLog.push("after inner call");
      await inner;
      nestedLog.push("inner done");
    });
    const outsideLog = [];
    const q = s.transaction(async (t) => { outsideLog.push("start"); await t.put("d", 1); outsideLog.push("put"); await new Promise((r) => setTimeout(r, 5)); });
    outsideLog.push("outer get " + (await s.get("d")));
    await q;
    return {
      txn: await order((log) => s.transaction(async () => { log.push("START"); })),
      bcw: await order((log) => this.ctx.blockConcurrencyWhile(async () => { log.push("START"); })),
      nestedLog, outsideLog,
    };`),
  {
    name: "doprobe: RPC arguments count and how a stub's methods can be called",
    backend: "sqlite",
    source: cls(`
  count(...args) { return { n: arguments.length, kinds: args.map((a) => a === undefined ? "undefined" : a === null ? "null" : typeof a) }; }
  self() { return this === undefined ? "undefined" : this.constructor.name; }`),
    drive: async (env) => {
      const stub = env.DO.getByName("c");
      const out = {};
      out.none = await outcome(() => stub.count());
      out.undef = await outcome(() => stub.count(undefined));
      out.trailing = await outcome(() => stub.count(1, undefined, undefined));
      out.middle = await outcome(() => stub.count(1, undefined, 2));
      out.nulls = await outcome(() => stub.count(null, null));
      out.many = await outcome(async () => (await stub.count(...Array(300).fill(1))).n);
      out.call = await outcome(() => stub.count.call(null, 1));
      out.apply = await outcome(() => stub.count.apply({}, [1, 2]));
      out.reflect = await outcome(() => Reflect.apply(stub.count, undefined, [3]));
      out.bind = await outcome(() => stub.count.bind(null, 9)(8));
      out.detached = await outcome(() => { const f = stub.count; return f(5); });
      out.newCall = await outcome(() => new stub.count());
      out.selfThis = await outcome(() => stub.self());
      out.fnType = typeof stub.count;
      out.fnName = outcomeSync(() => stub.count.name);
      out.fnLength = outcomeSync(() => stub.count.length);
      out.fnThen = outcomeSync(() => typeof stub.count.then);
      out.fnProp = await outcome(() => stub.count.foo);
      out.propOfProp = await outcome(() => stub.count.foo.bar());
      out.symbolProp = outcomeSync(() => typeof stub[Symbol.iterator]);
      out.symbolToPrim = outcomeSync(() => typeof stub[Symbol.toPrimitive]);
      out.template = outcomeSync(() => String(stub));
      out.json = outcomeSync(() => JSON.stringify(stub));
      out.inOp = outcomeSync(() => ["count" in stub, "nope" in stub]);
      out.keys = outcomeSync(() => Object.keys(stub));
      out.setProp = outcomeSync(() => { stub.x = 1; return typeof stub.x; });
      out.deleteProp = outcomeSync(() => delete stub.count);
      out.defineProp = outcomeSync(() => Object.defineProperty(stub, "y", { value: 1 }));
      out.protoOf = outcomeSync(() => Object.getPrototypeOf(stub) === Object.prototype);
      out.frozen = outcomeSync(() => Object.isFrozen(stub));
      out.extensible = outcomeSync(() => Object.isExtensible(stub));
      return out;
    },
  },
  inside("doprobe: SQL inside transaction() closures", "sqlite", `
    sql.exec("CREATE TABLE t(a INTEGER PRIMARY KEY, b)");
    const rows = () => sql.exec("SELECT a FROM t ORDER BY a").toArray().map((r) => r.a);
    const out = {};
    out.rollback = await outcome(async () => { await s.transaction(async (t) => { sql.exec("INSERT INTO t VALUES (1, 'x')"); await t.put("k", 1); t.rollback(); }); return [rows(), show(await s.get("k"))]; });
    out.throwAfterSql = await outcome(() => s.transaction(async () => { sql.exec("INSERT INTO t VALUES (2, 'x')"); throw new Error("t"); }));
    out.afterThrow = rows();
    out.sqlError = await outcome(() => s.transaction(async () => { sql.exec("INSERT INTO t VALUES (3, 'x')"); sql.exec("INSERT INTO t VALUES (3, 'dup')"); }));
    out.afterSqlError = rows();
    out.sqlErrorCaught = await outcome(() => s.transaction(async () => { sql.exec("INSERT INTO t VALUES (4, 'x')"); try { sql.exec("INSERT INTO t VALUES (4, 'dup')"); } catch (e) { return e.message; } }));
    out.afterCaught = rows();
    out.rollbackThenSql = await outcome(() => s.transaction(async (t) => { t.rollback(); sql.exec("INSERT INTO t VALUES (5, 'x')"); return rows(); }));
    out.afterRollbackThenSql = rows();
    out.syncInAsync = await outcome(() => s.transaction(async (t) => { s.transactionSync(() => sql.exec("INSERT INTO t VALUES (6, 'x')")); t.rollback(); }));
    out.afterSyncInAsync = rows();
    out.cursorAcross = await outcome(async () => { const c = sql.exec("SELECT a FROM t ORDER BY a"); const first = c.next().value?.a; sql.exec("INSERT INTO t VALUES (7, 'y')"); return [first, c.toArray().map((r) => r.a)]; });
    out.cursorAfterTxn = await outcome(async () => { let c; await s.transaction(async () => { c = sql.exec("SELECT a FROM t ORDER BY a"); }); return c.toArray().map((r) => r.a); });
    out.cursorAfterTxnSync = outcomeSync(() => { const c = s.transactionSync(() => sql.exec("SELECT a FROM t ORDER BY a")); return c.toArray().map((r) => r.a); });
    out.cursorAfterRolledBackSync = outcomeSync(() => { let c; try { s.transactionSync(() => { sql.exec("INSERT INTO t VALUES (8, 'z')"); c = sql.exec("SELECT a FROM t ORDER BY a"); throw new Error("x"); }); } catch {} return c.toArray().map((r) => r.a); });
    out.cursorPartialAfterRollback = outcomeSync(() => { let c, first; try { s.transactionSync(() => { sql.exec("INSERT INTO t VALUES (9, 'z')"); c = sql.exec("SELECT a FROM t ORDER BY a"); first = c.next().value.a; throw new Error("x"); }); } catch {} return [first, c.toArray().map((r) => r.a)]; });
    out.final = rows();
    return out;`),
  insideBoth("doprobe: order of get() results and duplicate keys", `
    await s.put({ b: 2, a: 1, "é": 3, "😀": 4, "\\uffff": 5, c: 6 });
    const keys = ["c", "😀", "b", "missing", "\\uffff", "a", "é", "b"];
    const out = {};
    out.get = [...(await s.get(keys)).keys()];
    out.getCached = [...(await s.get(keys)).keys()];
    out.list = [...(await s.list()).keys()];
    out.listRev = [...(await s.list({ reverse: true })).keys()];
    out.txnGet = await s.transaction(async (t) => { await t.put("aa", 0); await t.delete("c"); return [...(await t.get([...keys, "aa"])).keys()]; });
    out.delDup = await s.delete(["a", "a", "b", "zz"]);
    out.afterPutSameTurn = await (async () => { s.put("z1", 1); s.put("a0", 0); return [...(await s.get(["z1", "a0", "é"])).keys()]; })();
    return out;`),
  inside("doprobe: order of storage.kv and sql rows for odd keys", "sqlite", `
    for (const k of ["b", "a", "é", "😀", "\\uffff", "A", "a\\u0000"]) s.kv.put(k, 1);
    return { list: [...s.kv.list()].map(([k]) => k), rev: [...s.kv.list({ reverse: true })].map(([k]) => k), async: [...(await s.list()).keys()] };`),
  {
    name: "doprobe: stubs and ids as RPC values, pipelined",
    backend: "sqlite",
    ownProcess: true,
    source: cls(`
  who() { return this.ctx.id.name ?? "unnamed"; }
  other(name) { return this.env.DO.getByName(name); }
  otherId(name) { return this.env.DO.idFromName(name); }
  myId() { return this.ctx.id; }
  ns() { return this.env.DO; }
  storage() { return this.ctx.storage; }
  ctxItself() { return this.ctx; }
  async callThrough(stub) { return await stub.who(); }
  wrapped(name) { return { s: this.env.DO.getByName(name), list: [this.env.DO.getByName(name)] }; }`),
    drive: async (env) => {
      const a = env.DO.getByName("a");
      const out = {};
      out.pipelined = await outcome(() => a.other("b").who());
      out.awaited = await outcome(async () => { const b = await a.other("c"); return await b.who(); });
      out.wrappedPipe = await outcome(() => a.wrapped("d").s.who());
      out.wrappedList = await outcome(async () => (await a.wrapped("e")).list[0].who());
      out.passStub = await outcome(() => a.callThrough(env.DO.getByName("f")));
      out.id = await outcome(() => a.otherId("g"));
      out.myId = await outcome(() => a.myId());
      out.ns = await outcome(() => a.ns());
      out.storage = await outcome(() => a.storage());
      out.ctx = await outcome(() => a.ctxItself());
      out.idArg = await outcome(() => a.callThrough(env.DO.idFromName("h")));
      out.nsArg = await outcome(() => a.callThrough(env.DO));
      return out;
    },
  },
  insideBoth("doprobe: critical sections started together run one at a time, in call order; one started inside another nests", `
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    const log0 = [];
    const c1 = this.ctx.blockConcurrencyWhile(async () => { log0.push("c1 start"); await sleep(5); log0.push("c1 end"); });
    const c2 = this.ctx.blockConcurrencyWhile(async () => { log0.push("c2 start"); await sleep(1); log0.push("c2 end"); });
    await Promise.all([c1, c2]);
    const log = [];
    const p1 = s.transaction(async (t) => { log.push("t1 start"); await t.put("a", 1); await sleep(5); log.push("t1 end"); return 1; });
    const p2 = s.transaction(async (t) => { log.push("t2 start " + (await t.get("a"))); await sleep(1); log.push("t2 end"); return 2; });
    const b1 = this.ctx.blockConcurrencyWhile(async () => { log.push("bcw start"); await sleep(2); log.push("bcw end"); });
    p1.then(() => log.push("p1 settled")); p2.then(() => log.push("p2 settled")); b1.then(() => log.push("b1 settled"));
    log.push("sync");
    await Promise.all([p1, p2, b1]);
    const log2 = [];
    await this.ctx.blockConcurrencyWhile(async () => {
      const t = s.transaction(async () => { log2.push("txn in bcw start"); });
      log2.push("bcw body");
      await t;
      log2.push("bcw after txn");
    });
    const log3 = [];
    await s.transaction(async () => {
      const b = this.ctx.blockConcurrencyWhile(async () => { log3.push("bcw in txn start"); });
      log3.push("txn body");
      await b;
      log3.push("txn after bcw");
    });
    const log4 = [];
    await this.ctx.blockConcurrencyWhile(async () => {
      const i1 = this.ctx.blockConcurrencyWhile(async () => { log4.push("i1 start"); await sleep(3); log4.push("i1 end"); });
      const i2 = s.transaction(async () => { log4.push("i2 start"); });
      log4.push("outer body");
      await Promise.all([i1, i2]);
    });
    return { log0, log, log2, log3, log4 };`),
  {
    name: "doprobe: two blockConcurrencyWhile() calls in a constructor, the first one failing",
    backend: "sqlite",
    source: cls(`
  constructor(ctx, env) {
    super(ctx, env);
    this.log = [];
    const fail = ctx.id.name === "fail";
    ctx.blockConcurrencyWhile(async () => { this.log.push("first"); await new Promise((r) => setTimeout(r, 3)); if (fail) throw new RangeError("first failed"); this.log.push("first end"); });
    ctx.blockConcurrencyWhile(async () => { this.log.push("second"); });
  }
  go() { return this.log; }`),
    drive: async (env) => {
      const ok = await outcome(() => env.DO.getByName("ok").go());
      const failing = env.DO.getByName("fail");
      const first = await outcome(() => failing.go());
      const again = await outcome(() => failing.go());
      return { ok, first, again };
    },
  },
  insideBoth("doprobe: writes issued after transaction() but before its closure starts", `
    s.put("x", "before");
    const t = s.transaction(async (txn) => { const seen = await txn.get("x"); await txn.put("y", seen); return seen; });
    s.put("x", "after");
    const del = s.delete("y");
    const seen = await t;
    return { seen, deleted: await del, y: await s.get("y"), x: await s.get("x"), list: [...(await s.list()).keys()] };`),
];

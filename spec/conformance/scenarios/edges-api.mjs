// Session 10 probes of the Durable Object API's edges: SQL cursors that share a statement text
// or outlive a change to what they read, the cursor's iterator protocol, several statements and
// numbered/named parameters in one exec; storage keys at UTF-8/UTF-16 order boundaries, multi-key
// calls with duplicates, stored values of odd kinds and of multi-byte characters; seeded random mixes of storage operations
// (in and out of transactions; issued together, with their values and settle order);
// txn.list() limits over pending writes (the KV backend's ActorCache merge); reads allowing
// concurrency against the KV backend's cache; the order option members are read in; a random
// mix of SQL statements with cursors left open, and a cursor whose statement failed; what a
// storage.kv.list() iterator holds, and a random mix of storage.kv calls with iterators open.
import { both, cls, inside, insideBoth } from "../scenario.mjs";

/** A driver (source text) that, for each kind and op, prepares object "<kind><op>" with
 * `prepare(kind)`, then calls its `a(op)` and, from another stub in the same turn, its `b()`:
 * whether b's entry lands inside a's log shows whether a let another call in. */
const eachKindAndOp = (kinds, ops) => `async function drive(env) {
  const out = {};
  for (const kind of ${JSON.stringify(kinds)}) {
    for (const op of ${JSON.stringify(ops)}) {
      const stub = env.DO.getByName(kind + op);
      await stub.prepare(kind);
      const a = stub.a(op);
      const b = env.DO.getByName(kind + op).b();
      out[kind + " " + op] = { a: await a, b: await b };
    }
  }
  return out;
}`;

/** Source text of `rand(n)`, a seeded generator (mulberry32) of integers below n: the same
 * sequence on both sides, so a random mix of operations is one fixed scenario. `seed` is source
 * text: a number, or the name of a variable holding one. */
export const randomFrom = (seed) => `let seed = ${seed};
    const rand = (n) => {
      seed = (seed + 0x6d2b79f5) | 0;
      let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
      return ((x ^ (x >>> 14)) >>> 0) % n;
    };`;

export default [
  inside("edges-api: two cursors of the same SQL text, interleaved", "sqlite", `
    const sql = s.sql;
    sql.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
    for (let i = 1; i <= 4; i++) sql.exec("INSERT INTO t VALUES (?, ?)", i, "v" + i);
    const q = "SELECT id FROM t ORDER BY id";
    const a = sql.exec(q);
    const r = { a1: outcomeSync(() => a.next()) };
    const b = sql.exec(q);
    r.b1 = outcomeSync(() => b.next());
    r.a2 = outcomeSync(() => a.next());
    r.b2 = outcomeSync(() => b.next());
    r.aRest = outcomeSync(() => a.toArray());
    r.bRest = outcomeSync(() => b.toArray());
    r.rowsRead = [a.rowsRead, b.rowsRead];
    const c = sql.exec("SELECT id FROM t WHERE id > ? ORDER BY id", 1);
    const d = sql.exec("SELECT id FROM t WHERE id > ? ORDER BY id", 3);
    r.cAfterD = outcomeSync(() => c.toArray());
    r.d = outcomeSync(() => d.toArray());
    const e = sql.exec(q);
    e.next();
    r.oneWhileOpen = outcomeSync(() => sql.exec(q).toArray().length);
    r.eAfterOne = outcomeSync(() => e.toArray());
    return r;`),
  inside("edges-api: a cursor read after the table changed", "sqlite", `
    const sql = s.sql;
    sql.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
    for (let i = 1; i <= 3; i++) sql.exec("INSERT INTO t VALUES (?, ?)", i, "v" + i);
    const r = {};
    const before = sql.exec("SELECT id, v FROM t ORDER BY id");
    sql.exec("INSERT INTO t VALUES (9, 'late')");
    r.insertAfterExec = outcomeSync(() => before.toArray());
    const mid = sql.exec("SELECT id, v FROM t ORDER BY id");
    r.first = outcomeSync(() => mid.next());
    sql.exec("UPDATE t SET v = 'changed' WHERE id = 3");
    sql.exec("DELETE FROM t WHERE id = 2");
    r.rest = outcomeSync(() => mid.toArray());
    const lazy = sql.exec("UPDATE t SET v = 'lazy' RETURNING id");
    r.lazyWrittenBeforeRead = outcomeSync(() => sql.exec("SELECT count(*) AS n FROM t WHERE v = 'lazy'").one().n);
    r.lazyRows = outcomeSync(() => lazy.toArray().length);
    r.lazyWrittenAfterRead = outcomeSync(() => sql.exec("SELECT count(*) AS n FROM t WHERE v = 'lazy'").one().n);
    const dropped = sql.exec("SELECT id FROM t ORDER BY id");
    r.beforeDrop = outcomeSync(() => dropped.next());
    r.drop = outcomeSync(() => sql.exec("DROP TABLE t").toArray());
    r.afterDrop = outcomeSync(() => dropped.next());
    return r;`),
  inside("edges-api: cursor iterator protocol details", "sqlite", `
    const sql = s.sql;
    sql.exec("CREATE TABLE t (a, b)");
    sql.exec("INSERT INTO t VALUES (1, 2), (3, 4)");
    const c = sql.exec("SELECT a, b, a AS b FROM t");
    const r = { columnsBefore: c.columnNames, selfIterator: c[Symbol.iterator]() === c };
    r.first = outcomeSync(() => c.next());
    r.columnsDuring = c.columnNames;
    r.second = outcomeSync(() => c.next());
    r.done = outcomeSync(() => c.next());
    r.doneAgain = outcomeSync(() => c.next());
    r.toArrayAfterDone = outcomeSync(() => c.toArray());
    r.oneAfterDone = outcomeSync(() => c.one());
    r.columnsAfter = c.columnNames;
    const raw = sql.exec("SELECT a, b, a AS b FROM t").raw();
    r.rawFirst = outcomeSync(() => raw.next());
    r.rawRest = outcomeSync(() => [...raw]);
    r.rawColumns = raw.columnNames;
    r.rawHasRaw = typeof raw.raw;
    const both = sql.exec("SELECT a FROM t ORDER BY a");
    const rawOfBoth = both.raw();
    r.mixRow = outcomeSync(() => both.next());
    r.mixRaw = outcomeSync(() => rawOfBoth.next());
    r.mixRowDone = outcomeSync(() => both.next());
    const broken = sql.exec("SELECT a FROM t ORDER BY a");
    for (const row of broken) { r.brokeAt = row.a; break; }
    r.afterBreak = outcomeSync(() => broken.next());
    const returned = sql.exec("SELECT a FROM t ORDER BY a");
    r.returnFn = typeof returned.return;
    r.oneOfTwo = outcomeSync(() => sql.exec("SELECT a FROM t").one());
    r.oneOfNone = outcomeSync(() => sql.exec("SELECT a FROM t WHERE 0").one());
    r.oneAfterNext = outcomeSync(() => { const x = sql.exec("SELECT a FROM t ORDER BY a"); x.next(); return x.one(); });
    return r;`),
  inside("edges-api: statements, parameters and counters", "sqlite", `
    const sql = s.sql;
    sql.exec("CREATE TABLE t (a)");
    const r = {};
    const m = sql.exec("INSERT INTO t VALUES (1); INSERT INTO t VALUES (2), (3); SELECT a FROM t ORDER BY a");
    r.multi = outcomeSync(() => ({ rows: m.toArray(), read: m.rowsRead, written: m.rowsWritten, cols: m.columnNames }));
    const m2 = sql.exec("SELECT a FROM t; DELETE FROM t WHERE a = 1");
    r.multiEndsWithWrite = outcomeSync(() => ({ rows: m2.toArray(), read: m2.rowsRead, written: m2.rowsWritten, cols: m2.columnNames }));
    r.multiBindings = outcomeSync(() => sql.exec("INSERT INTO t VALUES (?); SELECT ? AS x", 7, 8).toArray());
    r.numbered = outcomeSync(() => sql.exec("SELECT ?2 AS b, ?1 AS a", "one", "two").toArray());
    r.numberedRepeat = outcomeSync(() => sql.exec("SELECT ?1 AS a, ?1 AS b", "x").toArray());
    r.numberedGap = outcomeSync(() => sql.exec("SELECT ?3 AS c", 1, 2, 3).toArray());
    r.numberedGapShort = outcomeSync(() => sql.exec("SELECT ?3 AS c", 1).toArray());
    r.named = outcomeSync(() => sql.exec("SELECT :a AS a", 1).toArray());
    r.namedAt = outcomeSync(() => sql.exec("SELECT @a AS a, $b AS b", 1, 2).toArray());
    r.tooMany = outcomeSync(() => sql.exec("SELECT ? AS a", 1, 2).toArray());
    r.tooFew = outcomeSync(() => sql.exec("SELECT ? AS a, ? AS b", 1).toArray());
    r.none = outcomeSync(() => sql.exec("SELECT 1 AS a", 1).toArray());
    r.counters = outcomeSync(() => { const c = sql.exec("UPDATE t SET a = a + 1"); return [c.rowsRead, c.rowsWritten, c.toArray().length, c.rowsRead, c.rowsWritten]; });
    r.countersSelectPartial = outcomeSync(() => { const c = sql.exec("SELECT a FROM t"); const first = [c.rowsRead]; c.next(); first.push(c.rowsRead); c.toArray(); first.push(c.rowsRead); return first; });
    r.createCounters = outcomeSync(() => { const c = sql.exec("CREATE TABLE u (x)"); return [c.rowsRead, c.rowsWritten, c.columnNames]; });
    r.returningColumns = outcomeSync(() => { const c = sql.exec("INSERT INTO u VALUES (5) RETURNING x, x * 2 AS y"); return [c.columnNames, c.toArray(), c.rowsWritten]; });
    r.emptyText = outcomeSync(() => sql.exec(""));
    r.spaceOnly = outcomeSync(() => sql.exec("   "));
    r.commentOnly = outcomeSync(() => sql.exec("-- nothing"));
    r.leadingSemicolon = outcomeSync(() => sql.exec(";SELECT 1 AS a").toArray());
    return r;`),
  insideBoth("edges-api: keys at UTF-8 and UTF-16 order boundaries", `
    const keys = ["\\u007f", "\\u0080", "\\u07ff", "\\u0800", "\\ud7ff", "\\ue000", "\\uffef", "\\uffff", "\\u{10000}", "\\u{10ffff}", "\\u{1f600}", "\\uff61", "a\\u0000b", "a\\u0001", "a"];
    for (const k of keys) await s.put(k, k.codePointAt(0));
    const hexOf = (k) => Array.from(new TextEncoder().encode(k), (b) => b.toString(16).padStart(2, "0")).join("");
    const r = { all: [...(await s.list()).keys()].map(hexOf) };
    r.reverse = [...(await s.list({ reverse: true })).keys()].map(hexOf);
    r.startBmp = [...(await s.list({ start: "\\uffef" })).keys()].map(hexOf);
    r.endAstral = [...(await s.list({ start: "\\ue000", end: "\\u{10000}" })).keys()].map(hexOf);
    r.prefixHighSurrogate = await outcome(async () => [...(await s.list({ prefix: "\\ud83d" })).keys()].map(hexOf));
    r.getMany = [...(await s.get(["\\u{10ffff}", "\\uffff", "a", "\\u0080"])).keys()].map(hexOf);
    r.deleteSurrogatePair = await s.delete("\\ud83d\\ude00");
    r.count = (await s.list()).size;
    return r;`),
  insideBoth("edges-api: multi-key get, put and delete with duplicates", `
    await s.put({ a: 1, b: 2, c: 3 });
    const r = {};
    r.getDup = show(await s.get(["c", "a", "c", "zz", "a"]));
    r.deleteDup = await s.delete(["a", "a", "zz", "b"]);
    r.after = show(await s.list());
    r.get128Dup = await outcome(async () => (await s.get(Array.from({ length: 129 }, () => "c"))).size);
    r.delete129 = await outcome(() => s.delete(Array.from({ length: 129 }, (_, i) => "d" + i)));
    r.put129 = await outcome(() => s.put(Object.fromEntries(Array.from({ length: 129 }, (_, i) => ["p" + i, i]))));
    r.putNumberKeysOrder = await outcome(async () => { await s.put({ 2: "two", 10: "ten", x: "x" }); return [...(await s.list({ start: "1", end: "3" })).keys()]; });
    r.getNonStringArray = await outcome(async () => show(await s.get([1, null, undefined, true])));
    r.deleteNonStringArray = await outcome(() => s.delete([10, 2]));
    return r;`),
  insideBoth("edges-api: stored values of odd kinds read back", `
    class Thing { constructor() { this.own = 1; } get computed() { return 2; } }
    class MyError extends Error { constructor(m) { super(m); this.name = "MyError"; this.extra = "x"; } }
    const shared = new Uint8Array([1, 2, 3, 4]);
    const withSymbol = { plain: 1, [Symbol("s")]: 2 };
    Object.defineProperty(withSymbol, "hidden", { value: 3, enumerable: false });
    const withGetter = { get g() { return "got"; } };
    const regex = /a+/gi; regex.lastIndex = 3;
    const boxed = new String("ab"); boxed.extra = 1;
    const values = {
      nullProto: () => Object.assign(Object.create(null), { a: 1 }),
      proxyObject: () => new Proxy({ a: 1 }, {}),
      proxyArray: () => new Proxy([1, 2], {}),
      classInstance: () => new Thing(),
      withSymbol: () => withSymbol, withGetter: () => withGetter, regex: () => regex, boxed: () => boxed,
      sharedBuffer: () => ({ a: shared, b: new Uint16Array(shared.buffer, 2, 1), c: shared.buffer }),
      resizable: () => new ArrayBuffer(2, { maxByteLength: 8 }),
      url: () => new URL("https://a.example/p?q"), headers: () => new Headers({ a: "1" }),
      response: () => new Response("body"), stream: () => new ReadableStream(), formData: () => new FormData(),
      domException: () => new DOMException("m", "NotFoundError"),
      typeError: () => new TypeError("t"), rangeError: () => new RangeError("r"), evalError: () => new EvalError("e"),
      uriError: () => new URIError("u"), syntaxError: () => new SyntaxError("s"), referenceError: () => new ReferenceError("f"),
      aggregate: () => new AggregateError([new Error("inner")], "agg"), myError: () => new MyError("mine"),
      withCause: () => new Error("outer", { cause: new Error("inner") }), numberMessage: () => { const e = new Error(); e.message = 5; return e; },
      renamed: () => { const e = new Error("n"); e.name = "Custom"; return e; },
      invalidDate: () => new Date(NaN), mapObjectKeys: () => new Map([[{ k: 1 }, "v"], [NaN, "nan"], [-0, "zero"]]),
      setOfSets: () => new Set([new Set([1]), new Set([1])]),
      arrayExtras: () => { const a = [1, , 3]; a.name = "n"; return a; },
      symbolValue: () => Symbol("x"), fn: () => () => 1, weakRef: () => new WeakRef({}),
    };
    const out = {};
    for (const [k, make] of Object.entries(values)) {
      const put = await outcome(() => s.put(k, make()));
      if (put.error) { out[k] = put; continue; }
      const got = await outcome(async () => { const v = await s.get(k); return { v }; });
      if (got.error) { out[k] = { put, get: got }; continue; }
      const v = await s.get(k);
      out[k] = { value: show(v), proto: v === null || typeof v !== "object" ? typeof v : Object.getPrototypeOf(v)?.constructor?.name ?? "null" };
      if (k === "sharedBuffer") out[k].sameBuffer = [v.a.buffer === v.b.buffer, v.a.buffer === v.c];
      if (k === "resizable") out[k].resizable = [v.resizable, v.maxByteLength];
      if (k === "regex") out[k].lastIndex = v.lastIndex;
      if (v instanceof Error) out[k].errorFacts = { name: v.name, ctor: v.constructor.name, own: Object.keys(v).filter((key) => key !== "stack").sort(), cause: show(v.cause), errors: show(v.errors) };
    }
    return out;`),
  insideBoth("edges-api: random storage operations inside and outside transactions", `
    ${randomFrom(20261202)}
    const KEYS = ["", "a", "a\\u0000", "ab", "abc", "b", "b/", "b/1", "é", "\\uff61", "😀", "z"];
    const key = () => KEYS[rand(KEYS.length)];
    const maybe = (v) => (rand(3) === 0 ? undefined : v);
    const listOptions = () => {
      const o = { prefix: maybe(key()), start: maybe(key()), end: maybe(key()), reverse: maybe(rand(2) === 0), limit: maybe(rand(5)) };
      if (rand(4) === 0) { o.startAfter = key(); delete o.start; }
      for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
      return o;
    };
    const keysOf = (m) => [...m.keys()].join("|");
    const step = async (api, log) => {
      switch (rand(7)) {
        case 0: { const k = key(); const v = rand(100); log.push(["put", k, v, await outcome(() => api.put(k, v))]); break; }
        case 1: { const e = {}; for (let i = rand(3) + 1; i > 0; i--) e[key()] = rand(100); log.push(["putMany", Object.keys(e).join("|"), await outcome(() => api.put(e))]); break; }
        case 2: { const k = key(); log.push(["get", k, await outcome(() => api.get(k))]); break; }
        case 3: { const ks = [key(), key(), key()]; log.push(["getMany", ks.join("|"), await outcome(async () => show(await api.get(ks)))]); break; }
        case 4: { const k = key(); log.push(["delete", k, await outcome(() => api.delete(k))]); break; }
        case 5: { const ks = [key(), key()]; log.push(["deleteMany", ks.join("|"), await outcome(() => api.delete(ks))]); break; }
        default: { const o = listOptions(); log.push(["list", JSON.stringify(o), await outcome(async () => keysOf(await api.list(o)))]); }
      }
    };
    const log = [];
    for (let round = 0; round < 150; round++) {
      const what = rand(5);
      if (what === 0) {
        const inner = [];
        const r = await outcome(() => s.transaction(async (txn) => {
          for (let i = rand(6) + 1; i > 0; i--) await step(txn, inner);
          if (rand(3) === 0) txn.rollback();
          else if (rand(4) === 0) throw new Error("abandon");
          return "done";
        }));
        log.push(["txn", inner, r]);
      } else if (what === 1 && rand(6) === 0) {
        log.push(["deleteAll", await outcome(() => s.deleteAll())]);
      } else {
        await step(s, log);
      }
    }
    log.push(["final", keysOf(await s.list())]);
    return log;`),
  // About 420 KB of record whose characters take 1 to 4 UTF-8 bytes: workerd's output arrives
  // in chunks that split some character, which the harness once decoded chunk by chunk (U+FFFD).
  ...insideBoth("edges-api: values of multi-byte characters near the value limit, listed back", `
    const entries = {};
    for (const k of ["a", "b", "c", "d"]) entries[k] = k + "\u00e9\ud83d\ude00".repeat(15000) + k;
    await s.put(entries);
    return [...(await s.list())];`),
  // Found by spec/conformance/fuzz-kv.mjs: the KV backend's txn.delete() of keys it has not seen
  // settles with the reads of its get(): one key with get(key) and getAlarm(), several with
  // list() and get([...]), not ahead of them all as storage.delete() does; with allowConcurrency,
  // as a read allowing concurrency. A getAlarm() after its own deleteAlarm() needs no read.
  ...insideBoth("edges-api: a transaction's deletes among its reads", `
    const cases = {
      // First: the alarm is not yet known (getAlarmThenDelete reads it).
      getAlarmAroundDeleteAlarm: (txn) => [txn.getAlarm(), txn.deleteAlarm(), txn.getAlarm()],
      listThenDeleteMany: (txn, k) => [txn.list({ start: k }), txn.delete([k + "x"])],
      getManyThenDeleteMany: (txn, k) => [txn.get([k + "y"]), txn.delete([k + "x"])],
      getThenDeleteManyThenGet: (txn, k) => [txn.get(k + "q"), txn.delete([k + "x", k + "y"]), txn.get(k + "x"), txn.get(k + "z")],
      getThenDelete: (txn, k) => [txn.get(k + "q"), txn.delete(k + "x"), txn.get(k + "x")],
      getAlarmThenDelete: (txn, k) => [txn.getAlarm(), txn.delete(k + "x")],
      deleteThenDeleteMany: (txn, k) => [txn.delete(k + "x"), txn.delete([k + "y"])],
      deleteManyThenList: (txn, k) => [txn.delete([k + "x"]), txn.list({ start: k })],
      concurrentDeleteThenGet: (txn, k) => [txn.delete(k + "x", { allowConcurrency: true }), txn.get(k + "q")],
    };
    const out = {};
    for (const [name, calls] of Object.entries(cases)) {
      const order = [];
      const values = await s.transaction((txn) => Promise.all(calls(txn, name).map((p, i) => p.then((v) => { order.push(i); return show(v); }))));
      out[name] = { values, order: order.join(",") };
    }
    return out;`),
  insideBoth("edges-api: txn.list() limits over pending deletes and puts", `
    await s.put({ a: 1, b: 1, c: 1, d: 1, e: 1, f: 1 });
    return s.transaction(async (txn) => {
      await txn.delete(["a", "d"]);
      await txn.put({ bb: 2, c: 2 });
      const keys = async (o) => [...(await txn.list(o)).keys()].join(",");
      return { first3: await keys({ limit: 3 }), first1: await keys({ limit: 1 }), last2: await keys({ reverse: true, limit: 2 }),
        fromBb: await keys({ start: "bb", limit: 2 }), last1: await keys({ reverse: true, limit: 1 }), prefixB1: await keys({ prefix: "b", limit: 1 }),
        endD2: await keys({ end: "d", reverse: true, limit: 2 }), all: await keys({}) };
    });`),
  insideBoth("edges-api: random storage operations issued together, their values and settle order", `
    ${randomFrom(7)}
    const KEYS = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"];
    const key = () => KEYS[rand(KEYS.length)];
    const opts = () => [undefined, { allowConcurrency: true }, { noCache: true }, { allowUnconfirmed: true }][rand(4)];
    const rounds = [];
    for (let round = 0; round < 40; round++) {
      const settled = [];
      const issued = [];
      const ops = rand(6) + 2;
      for (let i = 0; i < ops; i++) {
        const o = opts();
        let p, label;
        switch (rand(8)) {
          case 0: { const k = key(); label = "put " + k; p = s.put(k, round * 10 + i, o); break; }
          case 1: { const k = key(); label = "get " + k; p = s.get(k, o); break; }
          case 2: { const k = key(); label = "delete " + k; p = s.delete(k, o); break; }
          case 3: { const ks = [key(), key()]; label = "getMany " + ks; p = s.get(ks, o).then(show); break; }
          // A list() with bounds settles by what the cache knows of its range (KnownRanges).
          case 4: { const lo = key(); const b = [{ start: lo }, { startAfter: lo, limit: 2 }, { end: lo, reverse: true }, { prefix: lo }, { start: lo, end: key(), limit: 1 }][rand(5)]; label = "list " + JSON.stringify(b); p = s.list({ ...b, ...o }).then((m) => [...m.keys()].join(",")); break; }
          case 5: { const e = { [key()]: i, [key()]: -i }; label = "putMany " + Object.keys(e); p = s.put(e, o); break; }
          case 6: { label = "getAlarm"; p = s.getAlarm(o); break; }
          default: { label = "sync"; p = s.sync(); }
        }
        if (o) label += " " + Object.keys(o)[0];
        issued.push(p.then((v) => { settled.push(i); return [label, show(v)]; }, (e) => { settled.push(i); return [label, err(e)]; }));
      }
      if (rand(3) === 0) { await Promise.resolve(); settled.push("microtask"); }
      const values = await Promise.all(issued);
      rounds.push({ values, settled: settled.join(" ") });
    }
    rounds.push([...(await s.list())].join(";"));
    return rounds;`),
  ...both({
    name: "edges-api: reads allowing concurrency, of what the cache holds and of what it does not",
    source: cls(`  log = [];
    async prepare(kind) {
      const s = this.ctx.storage;
      if (kind === "written") await s.put("k", "v");
      if (kind === "deleted") await s.delete("k");
      if (kind === "listed") await s.list();
      if (kind === "read") await s.get("k");
      return "ok";
    }
    async a(op) {
      const s = this.ctx.storage;
      this.log.push("a1");
      let hops = 0; let stop = false;
      const spin = () => { if (!stop && hops < 1000) { hops++; queueMicrotask(spin); } };
      queueMicrotask(spin);
      let timer = false; setTimeout(() => { timer = true; }, 0);
      const order = [];
      const p1 = (op === "getMany" ? s.get(["k"], { allowConcurrency: true }) : op === "list" ? s.list({ allowConcurrency: true }) : op === "delete" ? s.delete("k", { allowConcurrency: true }) : op === "getAlarm" ? s.getAlarm({ allowConcurrency: true }) : s.get("k", { allowConcurrency: true })).then((v) => { order.push("conc"); return v; });
      const p2 = s.get("k").then(() => order.push("plain"));
      const v = await p1;
      stop = true;
      await p2;
      this.log.push("a2");
      return { log: this.log, order, hopsUnder1000: hops < 1000, timerFired: timer };
    }
    async b() { this.log.push("b"); return this.log; }`),
    drive: eachKindAndOp(["none", "written", "deleted", "listed", "read"], ["get", "getMany", "list", "delete", "getAlarm"]),
  }),
  ...insideBoth("edges-api: the option members each storage method reads, in order, each converted before the next", `
      const trace = (log) => new Proxy({}, { get(t, k) { if (typeof k === "string") log.push(k); return undefined; }, has(t, k) { log.push("has " + String(k)); return false; } });
      const out = {};
      const run = async (name, f) => { const log = []; const r = await outcome(() => f(trace(log))); out[name] = { log: log.join(","), r: r.error ? r.error.message : "ok" }; };
      await run("get", (o) => s.get("a", o));
      await run("getMany", (o) => s.get(["a"], o));
      await run("put", (o) => s.put("a", 1, o));
      await run("putMany", (o) => s.put({ a: 1 }, o));
      await run("delete", (o) => s.delete("a", o));
      await run("list", (o) => s.list(o));
      await run("getAlarm", (o) => s.getAlarm(o));
      await run("deleteAlarm", (o) => s.deleteAlarm(o));
      await run("deleteAll", (o) => s.deleteAll(o));
      await run("txnList", (o) => s.transaction((t) => t.list(o)));
      await run("txnGet", (o) => s.transaction((t) => t.get("a", o)));
      const log2 = [];
      const g = (k, v) => ({ get() { log2.push(k); return v; } });
      const traced = Object.defineProperties({}, { start: g("start", { toString() { log2.push("start toString"); return "a"; } }), startAfter: g("startAfter", undefined), end: g("end", { toString() { log2.push("end toString"); return "z"; } }),
        prefix: g("prefix", undefined), reverse: g("reverse", 0), limit: g("limit", { valueOf() { log2.push("limit valueOf"); return 2; } }), allowConcurrency: g("allowConcurrency", 1), noCache: g("noCache", 0) });
      await s.list(traced);
      out.interleaved = log2.join(",");
      out.symbolStartLimit = await outcome(() => s.list({ start: Symbol(), limit: Symbol() }));
      out.symbolEndLimit = await outcome(() => s.list({ limit: Symbol(), end: Symbol() }));
      if (this.ctx.storage.sql) {
        const log3 = [];
        outcomeSync(() => [...s.kv.list(trace(log3))]);
        out.kvList = log3.join(",");
      }
      return out;`),
  ...both({
  name: "edges-api: transaction reads allowing concurrency, of its own writes, of what the cache holds and of what it does not",
  source: cls(`  log = [];
  async prepare(kind) {
    const s = this.ctx.storage;
    if (kind === "written") await s.put("k", "v");
    return "ok";
  }
  async a(op) {
    const s = this.ctx.storage;
    this.log.push("a1");
    let timer = false; setTimeout(() => { timer = true; }, 0);
    const r = await s.transaction(async (txn) => {
      let hops = 0; let stop = false;
      const spin = () => { if (!stop && hops < 1000) { hops++; queueMicrotask(spin); } };
      queueMicrotask(spin);
      const order = [];
      if (op === "ownWrite") await txn.put("k", "txn");
      const p1 = (op === "list" ? txn.list({ allowConcurrency: true }) : txn.get("k", { allowConcurrency: true })).then((v) => { order.push("conc"); return v; });
      const p2 = txn.get("k").then(() => order.push("plain"));
      txn.put("k", "later");
      const v = await p1;
      stop = true;
      await p2;
      return { order, hopsUnder1000: hops < 1000, timerFired: timer, v: show(v) };
    });
    this.log.push("a2");
    return { log: this.log, r };
  }
  async b() { this.log.push("b"); return this.log; }`),
  drive: eachKindAndOp(["none", "written"], ["get", "list", "ownWrite"]),
}),
  inside("edges-api: random SQL statements with cursors left open and read later", "sqlite", `
    ${randomFrom(11)}
    const sql = s.sql;
    sql.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v)");
    sql.exec("CREATE TABLE u (x TEXT UNIQUE)");
    const SELECTS = ["SELECT id, v FROM t ORDER BY id", "SELECT id, v FROM t ORDER BY id DESC", "SELECT count(*) AS n, sum(id) AS s FROM t", "SELECT x FROM u ORDER BY x",
      "SELECT t.id, u.x FROM t JOIN u ON t.id % 3 = length(u.x) % 3 ORDER BY t.id, u.x"];
    const value = () => [1, 2.5, "s" + rand(10), null, new Uint8Array([rand(256)]), 2n ** 40n, -0, ""][rand(8)];
    const open = [];
    const log = [];
    const counters = (c) => [c.rowsRead, c.rowsWritten];
    const step = () => {
      switch (rand(10)) {
        case 0: { const v = value(); log.push(["insert", show(v), outcomeSync(() => counters(sql.exec("INSERT INTO t (v) VALUES (?)", v)))]); break; }
        case 1: { const m = rand(4) + 1; log.push(["update", m, outcomeSync(() => counters(sql.exec("UPDATE t SET v = ? WHERE id % ? = 0", value(), m)))]); break; }
        case 2: { const id = rand(12); log.push(["delete", id, outcomeSync(() => counters(sql.exec("DELETE FROM t WHERE id = ?", id)))]); break; }
        case 3: { const q = rand(SELECTS.length); const c = outcomeSync(() => sql.exec(SELECTS[q])); if (c.ok) open.push([q, sql.exec(SELECTS[q])]); log.push(["open", q]); break; }
        case 4: {
          if (open.length === 0) break;
          const at = rand(open.length); const [q, c] = open[at];
          const how = rand(5);
          const r = outcomeSync(() => how === 0 ? c.next() : how === 1 ? c.raw().next() : how === 2 ? c.toArray() : how === 3 ? c.one() : [...c.raw()]);
          log.push(["read", q, how, r, c.columnNames]);
          break;
        }
        case 5: {
          const fail = rand(3) === 0;
          log.push(["txnSync", fail, outcomeSync(() => s.transactionSync(() => { sql.exec("INSERT INTO u VALUES (?)", "x" + rand(6)); sql.exec("UPDATE t SET v = 'tx' WHERE id = ?", rand(8)); if (fail) throw new Error("undo"); return "kept"; }))]);
          break;
        }
        case 6: { log.push(["multi", outcomeSync(() => { const c = sql.exec("INSERT INTO u VALUES (?); SELECT count(*) AS n FROM u", "m" + rand(6)); return [c.toArray(), counters(c)]; })]); break; }
        case 7: { log.push(["unique", outcomeSync(() => sql.exec("INSERT INTO u VALUES (?)", "x" + rand(3)).rowsWritten)]); break; }
        // DDL's own row counts are not modelled (README "Row counters"), nor those of statements after a DROP INDEX that failed.
        case 8: { log.push(["index", outcomeSync(() => sql.exec("CREATE INDEX IF NOT EXISTS tv ON t (v)").columnNames)]); break; }
        default: { const q = rand(SELECTS.length); log.push(["once", q, outcomeSync(() => sql.exec(SELECTS[q]).toArray())]); }
      }
    };
    for (let i = 0; i < 150; i++) step();
    log.push(["rest", open.map(([q, c]) => [q, outcomeSync(() => c.toArray())])]);
    log.push(["final", outcomeSync(() => sql.exec("SELECT id, v FROM t ORDER BY id").toArray()), outcomeSync(() => [...sql.exec("SELECT x FROM u ORDER BY x").raw()])]);
    return log;`),
  inside("edges-api: a cursor whose statement failed goes on: a row of NULLs, then the statement from its start", "sqlite", `
    const sql = s.sql;
    sql.exec("CREATE TABLE t (x)");
    for (let i = 1; i <= 5; i++) sql.exec("INSERT INTO t VALUES (?)", i);
    const c = sql.exec("SELECT x, x * 2 AS y FROM t WHERE CASE WHEN x = 3 THEN abs(-9223372036854775807 - 1) ELSE 1 END");
    const r = { cols: c.columnNames };
    for (let i = 0; i < 5; i++) r["next" + i] = outcomeSync(() => c.next());
    r.counters = [c.rowsRead, c.rowsWritten];
    r.rest = outcomeSync(() => c.toArray());
    r.counters2 = [c.rowsRead, c.rowsWritten];
    const d = sql.exec("SELECT x FROM t WHERE CASE WHEN x = 2 THEN abs(-9223372036854775807 - 1) ELSE 1 END");
    r.dFirst = outcomeSync(() => d.next());
    r.dRaw = outcomeSync(() => [...d.raw()]);
    r.dOne = outcomeSync(() => d.one());
    r.dArr = outcomeSync(() => d.toArray());
    const e = sql.exec("SELECT x FROM t ORDER BY x");
    e.next();
    r.rollback = outcomeSync(() => s.transactionSync(() => { sql.exec("INSERT INTO t VALUES (9)"); throw new Error("undo"); }));
    for (let i = 0; i < 4; i++) r["e" + i] = outcomeSync(() => e.next());
    r.eRest = outcomeSync(() => e.toArray());
    r.eCounters = [e.rowsRead, e.rowsWritten];
    const f = sql.exec("SELECT x FROM t ORDER BY x");
    f.next();
    r.rollback2 = outcomeSync(() => s.transactionSync(() => { sql.exec("INSERT INTO t VALUES (9)"); throw new Error("undo"); }));
    r.fOne = outcomeSync(() => f.one());
    r.fOneAgain = outcomeSync(() => f.one());
    return r;`),
  inside("edges-api: what a storage.kv.list() iterator holds before its first next(), and after", "sqlite", `
    const kv = s.kv;
    const reset = () => { for (const [k] of [...kv.list()]) kv.delete(k); for (const k of ["b", "c", "d"]) kv.put(k, 1); };
    const run = (change, options) => { reset(); const it = kv.list(options); change(); return [...it].map(([k, v]) => k + ":" + v).join(" "); };
    const out = {};
    out.deleteFirst = run(() => kv.delete("b"));
    out.changeFirst = run(() => kv.put("b", 2));
    out.insertBefore = run(() => kv.put("a", 2));
    out.deleteSecond = run(() => kv.delete("c"));
    out.changeSecond = run(() => kv.put("c", 2));
    out.reverseDeleteFirst = run(() => kv.delete("d"), { reverse: true });
    out.reverseInsertAfter = run(() => kv.put("e", 2), { reverse: true });
    out.deleteAllKeys = run(() => { kv.delete("b"); kv.delete("c"); kv.delete("d"); });
    out.emptyThenPut = (() => { for (const [k] of [...kv.list()]) kv.delete(k); const it = kv.list(); kv.put("x", 1); return [...it].map(([k, v]) => k + ":" + v).join(" "); })();
    // after a first next(): is the second row held too?
    out.afterNextDeleteNext = (() => { reset(); const it = kv.list(); const first = it.next().value[0]; kv.delete("c"); return first + " " + [...it].map(([k, v]) => k + ":" + v).join(" "); })();
    out.afterNextChangeNext = (() => { reset(); const it = kv.list(); const first = it.next().value[0]; kv.put("c", 5); return first + " " + [...it].map(([k, v]) => k + ":" + v).join(" "); })();
    out.afterNextInsert = (() => { reset(); const it = kv.list(); const first = it.next().value[0]; kv.put("bb", 5); return first + " " + [...it].map(([k, v]) => k + ":" + v).join(" "); })();
    return out;`),
  inside("edges-api: random storage.kv operations with list iterators left open", "sqlite", `
    ${randomFrom(5)}
    const kv = s.kv;
    const KEYS = ["", "a", "a\\u0000", "ab", "b", "b/1", "c", "é", "\\uff61", "😀"];
    const key = () => KEYS[rand(KEYS.length)];
    const open = [];
    const log = [];
    for (let i = 0; i < 200; i++) {
      switch (rand(9)) {
        case 0: case 1: { const k = key(); log.push(["put", k, outcomeSync(() => kv.put(k, i))]); break; }
        case 2: { const k = key(); log.push(["delete", k, outcomeSync(() => kv.delete(k))]); break; }
        case 3: { const k = key(); log.push(["get", k, outcomeSync(() => kv.get(k))]); break; }
        case 4: { const o = [{}, { reverse: true }, { prefix: "a" }, { start: "b", limit: 3 }, { startAfter: "a", end: "c" }, { reverse: true, limit: 2 }][rand(6)]; open.push(kv.list(o)); log.push(["open", JSON.stringify(o)]); break; }
        case 5: { if (!open.length) break; const it = open[rand(open.length)]; log.push(["next", outcomeSync(() => it.next())]); break; }
        case 6: { const fail = rand(2) === 0; log.push(["txn", fail, outcomeSync(() => s.transactionSync(() => { kv.put(key(), -i); kv.delete(key()); if (fail) throw new Error("undo"); return "ok"; }))]); break; }
        case 7: { log.push(["asyncPut", await outcome(() => s.put(key(), "async" + i))]); break; }
        default: { if (!open.length) break; const it = open[rand(open.length)]; log.push(["rest", outcomeSync(() => [...it].map(([k, v]) => k + "=" + v).join(" "))]); }
      }
    }
    log.push(["final", [...kv.list()].map(([k, v]) => k + "=" + v).join(" ")]);
    return log;`),
  ...insideBoth("edges-api: random alarm and key operations, in and out of transactions", `
    ${randomFrom(3)}
    const far = Date.now() + 3600000;
    const sqlite = "sql" in s && (() => { try { return s.sql.databaseSize >= 0; } catch { return false; } })();
    const KEYS = ["a", "b", "c"];
    const key = () => KEYS[rand(KEYS.length)];
    const log = [];
    const alarmOf = (v) => (v === null ? null : v - far);
    const step = async (api, inTxn) => {
      switch (rand(7)) {
        case 0: { const t = far + rand(5) * 1000; log.push(["setAlarm", t - far, await outcome(() => api.setAlarm(t))]); break; }
        case 1: log.push(["deleteAlarm", await outcome(() => api.deleteAlarm())]); break;
        case 2: log.push(["getAlarm", await outcome(async () => alarmOf(await api.getAlarm()))]); break;
        case 3: { const k = key(); log.push(["put", k, await outcome(() => api.put(k, rand(10)))]); break; }
        case 4: { const k = key(); log.push(["delete", k, await outcome(() => api.delete(k))]); break; }
        case 5: log.push(["list", await outcome(async () => [...(await api.list())].join(";"))]); break;
        default: if (!inTxn) log.push(["deleteAll", await outcome(() => s.deleteAll())]);
      }
    };
    for (let round = 0; round < 60; round++) {
      const what = rand(4);
      if (what === 0) {
        log.push(["txn"]);
        log.push(["txnEnd", await outcome(() => s.transaction(async (txn) => { for (let i = rand(4) + 1; i > 0; i--) await step(txn, true); if (rand(3) === 0) txn.rollback(); return "done"; }))]);
      } else if (what === 1 && sqlite) {
        log.push(["txnSync", outcomeSync(() => s.transactionSync(() => { s.kv.put(key(), "sync"); if (rand(2)) s.setAlarm(far + 7000); if (rand(3) === 0) throw new Error("undo"); return "kept"; }))]);
      } else {
        await step(s, false);
      }
    }
    log.push(["final", alarmOf(await s.getAlarm()), [...(await s.list())].join(";")]);
    return log;`, { alarmHandler: true }),
];

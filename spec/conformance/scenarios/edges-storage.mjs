// Audit of reference §3 against the suite (session 7): KV API corners the other files leave
// thin: list() option combinations on every surface that lists (storage.list, txn.list,
// storage.kv.list), the KV-backend limits through a transaction, same-turn write/read/delete
// mixes, options on every call, deleteAll() corners. Bodies run inside the object.
import { both, cls, inside, insideBoth } from "../scenario.mjs";
import { settleProbe } from "./microtasks.mjs";

// Keys around prefix boundaries: "\0" and "\u00ff" successors, multibyte neighbours.
const KEYS = `["a", "a\\u0000", "a\\u00ff", "ab", "abc", "abd", "ac", "b", "b\\u0000", "é", "😀", "~"]`;
const COMBOS = `{
  prefixReverse: { prefix: "ab", reverse: true }, prefixStartAfter: { prefix: "a", startAfter: "ab" },
  prefixStartAfterReverse: { prefix: "a", startAfter: "ab", reverse: true }, prefixStartAfterReverseLimit: { prefix: "a", startAfter: "a", reverse: true, limit: 2 },
  prefixEndReverseLimit: { prefix: "a", end: "abd", reverse: true, limit: 2 }, prefixStartEnd: { prefix: "ab", start: "abc", end: "abd" },
  prefixEndBeyond: { prefix: "ab", end: "zz" }, prefixStartBelow: { prefix: "ab", start: "a" }, prefixStartAfterBelow: { prefix: "ab", startAfter: "a" },
  prefixStartAbove: { prefix: "ab", start: "ac" }, prefixEndBelow: { prefix: "ab", end: "ab" }, prefixFF: { prefix: "a\\u00ff" },
  prefixNul: { prefix: "a\\u0000" }, prefixMultibyte: { prefix: "\\u00e9" }, startAfterReverseLimit: { startAfter: "ab", reverse: true, limit: 3 },
  startEndReverseLimit: { start: "a\\u0000", end: "b", reverse: true, limit: 4 }, endReverseLimit: { end: "abd", reverse: true, limit: 1 },
  startAfterMissing: { startAfter: "aa" }, startAfterNulKey: { startAfter: "a\\u0000" }, startAfterEndSame: { startAfter: "ab", end: "ab" },
  startAfterEndNext: { startAfter: "ab", end: "ab\\u0000" }, startAfterEndNextNext: { startAfter: "ab", end: "ab\\u0000\\u0000" },
  limitOne: { limit: 1 }, limitAll: { limit: 12 }, limitOneReverse: { limit: 1, reverse: true }, reverseFalse: { reverse: false, limit: 2 },
  endEmpty: { end: "" }, startEmpty: { start: "" }, startAfterEmpty: { startAfter: "" }, prefixEmptyReverseLimit: { prefix: "", reverse: true, limit: 2 },
  startAfterLastMultibyte: { startAfter: "😀" }, endMultibyte: { end: "😀" }, startMultibyteReverse: { start: "é", reverse: true },
}`;

export default [
  insideBoth("edges: list() option combinations", `
    await s.put(Object.fromEntries(${KEYS}.map((k, i) => [k, i])));
    const out = {};
    for (const [k, o] of Object.entries(${COMBOS})) out[k] = await outcome(async () => [...(await s.list(o)).keys()]);
    return out;`),
  insideBoth("edges: txn.list() option combinations over committed keys", `
    await s.put(Object.fromEntries(${KEYS}.map((k, i) => [k, i])));
    return await s.transaction(async (txn) => {
      const out = {};
      for (const [k, o] of Object.entries(${COMBOS})) out[k] = await outcome(async () => [...(await txn.list(o)).keys()]);
      out.both = await outcome(() => txn.list({ start: "a", startAfter: "a" }));
      out.limit0 = await outcome(() => txn.list({ limit: 0 }));
      return out;
    });`),
  inside("edges: storage.kv.list() option combinations", "sqlite", `
    for (const k of ${KEYS}) s.kv.put(k, 1);
    const out = {};
    for (const [k, o] of Object.entries(${COMBOS})) out[k] = outcomeSync(() => [...s.kv.list(o)].map(([key]) => key));
    out.limitFraction = outcomeSync(() => [...s.kv.list({ limit: 1.5 })].map(([key]) => key));
    out.limitNaN = outcomeSync(() => [...s.kv.list({ limit: NaN })].map(([key]) => key));
    out.limitNegative = outcomeSync(() => [...s.kv.list({ limit: -1 })].map(([key]) => key));
    out.startNumber = outcomeSync(() => [...s.kv.list({ start: 1 })].map(([key]) => key));
    return out;`),
  inside("edges: storage.kv values, keys and coercions", "sqlite", `
    const kv = s.kv;
    kv.put(12, "num");
    kv.put("o", { m: new Map([["x", 1]]), d: new Date(0), b: new Uint8Array([1]), big: 5n });
    const a = kv.get("o");
    a.m.set("y", 2);
    return {
      numberKey: show(kv.get("12")), getNumber: show(kv.get(12)), deleteNumber: kv.delete(12),
      value: show(kv.get("o")), freshCopy: kv.get("o").m.size,
      fn: outcomeSync(() => kv.put("f", () => 1)), symbol: outcomeSync(() => kv.put("s", Symbol("x"))),
      nullValue: outcomeSync(() => { kv.put("n", null); return kv.get("n"); }),
      emptyKey: outcomeSync(() => { kv.put("", "e"); return kv.get(""); }),
      bigKey: outcomeSync(() => { kv.put("k".repeat(5000), 1); return kv.get("k".repeat(5000)); }),
      getUndefinedKey: outcomeSync(() => show(kv.get(undefined))),
      asyncSeesUndefinedPut: await outcome(async () => { kv.put("u", undefined); return show(await s.get("u")); }),
      keys: [...kv.list()].map(([k]) => k.length > 20 ? "long" : k),
    };`),
  insideBoth("edges: KV limits through a transaction", `
    const big = "k".repeat(2049);
    const keys = (n) => Array.from({ length: n }, (_, i) => "k" + i);
    const r = await s.transaction(async (txn) => ({
      putBigKey: await outcome(() => txn.put(big, 1)),
      getBigKey: await outcome(() => txn.get(big)),
      deleteBigKey: await outcome(() => txn.delete(big)),
      putBigValue: await outcome(() => txn.put("v", "x".repeat(131101))),
      putEntriesBigValue: await outcome(() => txn.put({ small: 1, large: "x".repeat(131101) })),
      get129: await outcome(async () => (await txn.get(keys(129))).size),
      put200: await outcome(() => txn.put(Object.fromEntries(keys(200).map((k) => [k, 1])))),
      delete200: await outcome(() => txn.delete(keys(200))),
      putUndefined: await outcome(() => txn.put("u", undefined)),
      putEntriesValue: await outcome(() => txn.put({ a: 1 }, 2)),
      getEmpty: await outcome(async () => show(await txn.get([]))),
      fn: await outcome(() => txn.put("f", () => 1)),
      putBigKey2: await outcome(() => txn.put("kkk" + "k".repeat(3000), 1)),
      bigKeyListed: [...(await txn.list({ prefix: "kkk" })).keys()].map((k) => k.length),
    }));
    const after = {
      keyLengths: [...(await s.list({ prefix: "kkk" })).keys()].map((k) => k.length),
      valueLength: await outcome(async () => (await s.get("v"))?.length),
      large: await outcome(async () => (await s.get("large"))?.length),
      getBigKey: await outcome(() => s.get(big)),
      listedBigValue: await outcome(async () => (await s.list({ prefix: "v" })).get("v")?.length),
    };
    return { r, after };`),
  insideBoth("edges: delete() counts inside a transaction see pending writes", `
    await s.put({ a: 1, b: 2 });
    const r = await s.transaction(async (txn) => {
      await txn.put("c", 3);
      const one = await txn.delete("c");
      const again = await txn.delete("c");
      await txn.put("d", 4);
      const many = await txn.delete(["a", "d", "zz", "a"]);
      return { one, again, many, list: [...(await txn.list()).keys()] };
    });
    return { r, after: [...(await s.list()).keys()] };`),
  insideBoth("edges: same-turn mixes of put, delete and deleteAll", `
    await s.put({ a: 1, b: 2 });
    s.put("c", 3);
    s.deleteAll();
    s.put("d", 4);
    const afterDeleteAll = [...(await s.list()).keys()];
    s.delete("d");
    s.put("d", 5);
    const d = await s.get("d");
    const delMissing = s.delete("zz");
    const delAgain = [await s.delete("d"), await s.delete("d")];
    await s.put({ e: 1, f: 2 });
    const delMany = await s.delete(["e", "f", "e"]);
    return { afterDeleteAll, d, delMissing: await delMissing, delAgain, delMany, left: [...(await s.list()).keys()] };`),
  insideBoth("edges: every write option on every call", `
    const o = { allowUnconfirmed: true, allowConcurrency: true, noCache: true };
    return {
      put: await outcome(() => s.put("a", 1, o)), putEntries: await outcome(() => s.put({ b: 2, c: 3 }, o)),
      del: await outcome(() => s.delete("a", o)), delMany: await outcome(() => s.delete(["b", "x"], o)),
      getMany: await outcome(async () => show(await s.get(["c"], { allowConcurrency: true }))),
      sync: await outcome(() => s.sync()),
      deleteAll: await outcome(() => s.deleteAll(o)),
      afterDeleteAll: [...(await s.list({ allowConcurrency: true })).keys()],
      getAlarm: await outcome(() => s.getAlarm({ allowConcurrency: true })),
      setAlarm: await outcome(async () => { await s.setAlarm(Date.now() + 60000, o); return (await s.getAlarm()) !== null; }),
      deleteAlarm: await outcome(async () => { await s.deleteAlarm(o); return await s.getAlarm(); }),
      syncAgain: await outcome(() => s.sync()),
    };`, { alarmHandler: true }),
  insideBoth("edges: values round-trip through put(entries) and get([...])", `
    const v = { str: "s", num: 1.5, neg: -0, big: 10n, arr: [1, [2]], nul: null, map: new Map([[1, "one"]]), date: new Date(5), buf: new Uint8Array([7, 8]) };
    await s.put(v);
    const m = await s.get(Object.keys(v));
    const single = {};
    for (const k of Object.keys(v)) single[k] = show(await s.get(k));
    return { many: show(m), single, listed: show(await s.list({ prefix: "n" })) };`),
  insideBoth("edges: a Map or Set key order and odd keys in put(entries)", `
    await s.put({ "2": "two", "10": "ten", "1": "one", b: "b", a: "a", "-1": "neg", "1.5": "frac" });
    return { keys: [...(await s.list()).keys()] };`),
  // workerd's kv.list() steps a live SQLite statement: it sees keys written ahead of it and new
  // values, not keys deleted ahead of it, whichever API wrote them, also across turns.
  inside("edges: storage.kv.list() sees writes made while it is open", "sqlite", `
    const kv = s.kv;
    const reset = () => { for (const [k] of [...kv.list()]) kv.delete(k); for (const k of ["a", "b", "c", "d", "e"]) kv.put(k, 1); };
    const out = {};
    reset();
    { const seen = []; for (const [k] of kv.list()) { seen.push(k); if (k === "b") { kv.delete("c"); kv.put("bb", 1); kv.put("z", 1); kv.put("0", 1); } } out.forward = seen; }
    reset();
    { const seen = []; for (const [k] of kv.list()) { seen.push(k); kv.delete(k); } out.deleteEach = { seen, left: [...kv.list()].map(([k]) => k) }; }
    reset();
    { const seen = []; for (const [k] of kv.list({ reverse: true })) { seen.push(k); if (k === "d") { kv.delete("c"); kv.put("cc", 1); kv.put("0", 1); kv.put("z", 1); } } out.reverse = seen; }
    reset();
    { const seen = []; for (const [k] of kv.list({ limit: 3 })) { seen.push(k); if (k === "a") { kv.put("a1", 1); kv.put("a2", 1); } } out.limit = seen; }
    reset();
    { const seen = []; for (const [k, v] of kv.list()) { seen.push(k + ":" + v); if (k === "a") kv.put("b", 2); } out.valueChanged = seen; }
    reset();
    { const seen = []; for (const [k] of kv.list({ end: "c" })) { seen.push(k); if (k === "a") { kv.put("bz", 1); kv.put("c", 1); } } out.endBound = seen; }
    reset();
    { const seen = []; for (const [k] of kv.list({ prefix: "b" })) { seen.push(k); if (k === "b") { kv.put("ba", 1); kv.put("c0", 1); } } out.prefix = seen; }
    reset();
    { const seen = []; for (const [k] of kv.list()) { seen.push(k); if (k === "b") await s.put("bb", 1); if (k === "c") s.delete("d"); } out.viaAsync = seen; }
    reset();
    { const seen = []; for (const [k] of kv.list()) { seen.push(k); if (k === "e") kv.put("f", 1); } out.afterLast = seen; }
    reset();
    { const it = kv.list(); const first = it.next().value[0]; await new Promise((r) => setTimeout(r, 5)); kv.put("aa", 1); out.acrossTurns = [first, ...[...it].map(([k]) => k)]; }
    reset();
    { const seen = []; const r = outcomeSync(() => s.transactionSync(() => { for (const [k] of kv.list()) { seen.push(k); if (k === "a") kv.put("ab", 1); } throw new Error("undo"); })); out.inTransactionSync = { seen, r, after: [...kv.list()].map(([k]) => k) }; }
    reset();
    { const it = kv.list(); it.next(); outcomeSync(() => s.transactionSync(() => { kv.put("aa", 1); throw new Error("undo"); })); out.afterRollback = [...it].map(([k]) => k); }
    reset();
    { const many = []; for (let i = 0; i < 300; i++) kv.put("m" + String(i).padStart(3, "0"), i); const seen = []; for (const [k] of kv.list({ prefix: "m" })) { seen.push(k); if (k === "m200") kv.delete("m201"); if (k === "m250") kv.put("m2500", 1); } out.pages = { count: seen.length, has201: seen.includes("m201"), has2500: seen.includes("m2500") }; }
    return out;`),
  inside("edges: storage.kv.list() iterators across deleteAll()", "sqlite", `
    const kv = s.kv;
    kv.put("a", 1); kv.put("b", 1);
    const started = kv.list();
    started.next();
    await s.deleteAll();
    const out = { started: outcomeSync(() => started.next()), startedAgain: outcomeSync(() => started.next()) };
    kv.put("a", 1); kv.put("b", 1);
    const unstarted = kv.list();
    s.deleteAll();
    out.unstarted = outcomeSync(() => unstarted.next());
    kv.put("a", 1);
    const finished = kv.list();
    const all = [...finished].length;
    await s.deleteAll();
    out.finished = { all, next: outcomeSync(() => finished.next()) };
    kv.put("c", 1);
    out.newList = [...kv.list()].map(([k]) => k);
    return out;`),
  // Several reads in flight at once: on the KV backend a delete() of an unseen key settles
  // first, then get([...]) and list(), then a single get() and getAlarm(), each group in call
  // order; a read in flight does not make its keys known to the next. SQLite: call order.
  both({
    name: "edges: the order in which concurrent storage calls settle",
    source: cls(`  async alarm() {}
  async pair(a, b) {
    const s = this.ctx.storage;
    const OPS = { get: () => s.get("x"), getMany: () => s.get(["x", "y"]), getOne: () => s.get(["z"]), list: () => s.list(), listPrefix: () => s.list({ prefix: "x" }),
      getAlarm: () => s.getAlarm(), getCached: () => s.get("c"), put: () => s.put("w", 1), del: () => s.delete("q"), setAlarm: () => s.setAlarm(Date.now() + 60000) };
    await s.put("c", 1);
    const log = [];
    const pa = OPS[a]().then(() => log.push(a));
    const pb = OPS[b]().then(() => log.push(b));
    await Promise.all([pa, pb]);
    return log.join(" < ");
  }`),
    drive: async (env) => {
      const ops = ["get", "getMany", "getOne", "list", "listPrefix", "getAlarm", "getCached", "put", "del", "setAlarm"];
      const out = {};
      for (const a of ops) for (const b of ops) if (a !== b) out[a + "," + b] = await env.DO.getByName(a + "," + b).pair(a, b);
      return out;
    },
  }),
  // Found by spec/conformance/fuzz-kv.mjs: reads allowing concurrency group as the gated ones
  // do on the KV backend (deletes, then get([...]) and list(), then get(key) and getAlarm()),
  // each group once the awaits of the one before have run; durasim once settled them in call
  // order. SQLite: call order.
  both({
    name: "edges: the order in which reads allowing concurrency settle",
    source: cls(`  async alarm() {}
  async run(names) {
    const s = this.ctx.storage;
    const c = { allowConcurrency: true };
    const OPS = { get: () => s.get("x", c), getMany: () => s.get(["y"], c), list: () => s.list(c), listPrefix: () => s.list({ prefix: "x", ...c }),
      getAlarm: () => s.getAlarm(c), del: () => s.delete("y", c), getCached: () => s.get("c", c),
      // Awaited through an async function: a group's awaits run on before the next group settles.
      listAwaited: async () => [...(await s.list({ end: "b", ...c }))], getAwaited: async () => String(await s.get("x", c)) };
    await s.put("c", 1);
    const log = [];
    await Promise.all(names.map((name, i) => OPS[name]().then(() => log.push(i + ":" + name))));
    return log.join(" < ");
  }`),
    drive: async (env) => {
      const ops = ["get", "getMany", "list", "listPrefix", "getAlarm", "del", "getCached"];
      const runs = [];
      for (const a of ops) for (const b of ops) if (a !== b) runs.push([a, b]);
      runs.push(["get", "getAlarm", "list", "del"], ["getAlarm", "getMany", "get", "del", "listPrefix"], ["listAwaited", "getAlarm"], ["listAwaited", "get", "getMany"], ["getMany", "listAwaited"], ["getAwaited", "getAlarm"], ["getAwaited", "get"]);
      const out = {};
      for (const names of runs) out[names.join(",")] = await env.DO.getByName(names.join(",")).run(names);
      return out;
    },
  }),
  // Found by spec/conformance/fuzz-kv.mjs (seeds 36, 63, 132, 165, 183, 193, 220, 267, 298):
  // on the KV backend gated reads of what the cache does not hold settle one at a time too,
  // in their groups: the code awaiting one runs on, through its own awaits, before the next
  // settles, in a transaction as outside one. durasim settled those of a group together, so a
  // read awaited through fewer hops overtook one called before it. SQLite: no I/O.
  both({
    name: "edges: gated reads settle one at a time",
    source: cls(`  async alarm() {}
  async run(names, inTransaction) {
    const s = this.ctx.storage;
    const go = async (api) => {
      const OPS = { get: () => api.get("x"), getMany: () => api.get(["y"]), list: () => api.list(), listPrefix: () => api.list({ prefix: "x" }),
        getAlarm: () => api.getAlarm(), del: () => api.delete("q"), delMany: () => api.delete(["r", "s"]) };
      // The first is awaited through an async function that goes on awaiting for a while.
      const slowly = async (name) => { await OPS[name](); for (let i = 0; i < 20; i++) await null; };
      const log = [];
      await Promise.all(names.map((name, i) => (i === 0 ? slowly(name) : OPS[name]()).then(() => log.push(i + ":" + name))));
      return log.join(" < ");
    };
    return inTransaction ? s.transaction(go) : go(s);
  }`),
    drive: async (env) => {
      const ops = ["get", "getMany", "list", "listPrefix", "getAlarm", "del", "delMany"];
      const out = {};
      for (const inTransaction of [false, true]) {
        for (const a of ops) for (const b of ops) if (a !== b) {
          const name = (inTransaction ? "txn:" : "") + a + "," + b;
          out[name] = await env.DO.getByName(name).run([a, b], inTransaction);
        }
      }
      return out;
    },
  }),
  // Found by spec/conformance/fuzz-kv.mjs (seeds 137, 148, 180): the alarm a transaction commits
  // (set or deleted) is known to the KV backend's cache, as one setAlarm() wrote: getAlarm()
  // then settles without I/O, before a read of an unseen key. durasim read it as I/O.
  both({
    name: "edges: getAlarm() after a transaction that wrote the alarm",
    source: cls(`  async alarm() {}
  async run(write, rollBack) {
    const s = this.ctx.storage;
    await s.transaction(async (txn) => {
      await (write === "set" ? txn.setAlarm(4102444800000) : txn.deleteAlarm());
      if (rollBack) txn.rollback();
    });
    const log = [];
    await Promise.all([s.get("q").then(() => log.push("get")), s.getAlarm().then((alarm) => log.push("getAlarm=" + alarm))]);
    return log.join(" < ");
  }`),
    drive: async (env) => {
      const out = {};
      for (const write of ["set", "delete"]) for (const rollBack of [false, true]) out[write + (rollBack ? ", rolled back" : "")] = await env.DO.getByName(write + rollBack).run(write, rollBack);
      return out;
    },
  }),
  ...[
    ["a delete of an unseen key", `s.delete("q")`, ""],
    ["a delete of several unseen keys", `s.delete(["q", "r"])`, ""],
    ["getAlarm() after setAlarm()", `s.getAlarm()`, `await s.setAlarm(Date.now() + 60000);`],
    ["getAlarm() after getAlarm()", `s.getAlarm()`, `await s.getAlarm();`],
    ["a get while a list is in flight", `(s.list(), s.get("x"))`, ""],
    ["a get while a get of the same key is in flight", `(s.get("x"), s.get("x"))`, ""],
    ["a get of a key read before", `s.get("x")`, `await s.get("x");`],
  ].map(([name, op, setup]) => both({
    name: `edges: when does ${name} settle?`,
    source: settleProbe(op, { setup, alarmHandler: true, timer: false }),
    drive: async (env) => env.DO.getByName("m").go(),
  })),
];

// When the operations of a transaction() settle, counted in microtask hops from the call as
// the storage's own are: two for what needs no I/O (a KV-backed read of what the cache does not
// hold is I/O), one for getAlarm() on SQLite and for a list() of an empty range, which the
// runtime answers before reaching the store (outside a transaction too). A transaction itself,
// nested or not, settles as I/O, thrown or not; storage.sync() called inside a transaction
// settles rather than waiting for that transaction to commit.
import { insideWithBoth, CALL_HELPERS } from "./webidl-helpers.mjs";

/** `time(call)`: the hop after which `call()`'s promise settled, or "io" once every queued microtask ran. */
const TIME = `
    const time = async (call) => {
      const log = [];
      let chain = Promise.resolve();
      for (let i = 1; i <= 8; i++) chain = chain.then(() => log.push(i));
      const op = call();
      op.then(() => log.push("op"), () => log.push("op!"));
      await op.catch(() => {});
      for (let i = 0; i < 12; i++) await null;
      const at = Math.max(log.indexOf("op"), log.indexOf("op!"));
      return at === log.length - 1 && at >= 8 ? "io" : at;
    };`;

export default [
  insideWithBoth(CALL_HELPERS, "txn timing: each operation of a transaction, of written, known and unknown keys", `${TIME}
    await s.put({ known: 1, k2: 2 });
    const ops = {
      getWritten: async (t) => { await t.put("w", 1); return () => t.get("w"); },
      getKnown: async () => (t) => t.get("known"),
      getUnknown: async () => (t) => t.get("never"),
      getReadBefore: async (t) => { await t.get("never2"); return () => t.get("never2"); },
      getMany: async () => (t) => t.get(["known", "k2"]),
      getManyOneUnknown: async () => (t) => t.get(["known", "nope"]),
      put: async () => (t) => t.put("p", 1),
      putEntries: async () => (t) => t.put({ p1: 1, p2: 2 }),
      deleteKnown: async () => (t) => t.delete("k2"),
      deleteUnknown: async () => (t) => t.delete("nah"),
      deleteWritten: async (t) => { await t.put("dw", 1); return () => t.delete("dw"); },
      list: async () => (t) => t.list(),
      listPrefix: async () => (t) => t.list({ prefix: "k" }),
      listEmptyRange: async () => (t) => t.list({ end: "" }),
      getAlarm: async () => (t) => t.getAlarm(),
      setAlarm: async () => (t) => t.setAlarm(Date.now() + 1e6),
      deleteAlarm: async () => (t) => t.deleteAlarm(),
      refused: async () => (t) => t.put("x", undefined),
      storageGet: async () => () => s.get("known"),
      storagePut: async () => () => s.put("sp", 1),
    };
    const out = {};
    for (const [name, prepare] of Object.entries(ops)) {
      out[name] = await s.transaction(async (t) => { const call = await prepare(t); return time(() => call(t)); });
    }
    return out;`, { alarmHandler: true }),
  insideWithBoth(CALL_HELPERS, "txn timing: list() of an empty range, outside and inside a transaction, rolled back too", `${TIME}
    const out = {};
    out.endEmpty = await time(() => s.list({ end: "" }));
    out.inverted = await time(() => s.list({ start: "b", end: "a" }));
    await s.put("a", 1);
    out.afterPut = await time(() => s.list({ end: "" }));
    out.prefix = await time(() => s.list({ prefix: "a" }));
    out.badLimit = await time(() => s.list({ limit: 0 }));
    out.inTransaction = await s.transaction(async (t) => time(() => t.list({ start: "b", end: "b" })));
    out.rolledBack = await s.transaction(async (t) => { t.rollback(); return time(() => t.list({ end: "" })); });
    return out;`),
  insideWithBoth(CALL_HELPERS, "txn timing: storage.sync() inside a transaction settles, its writes committed or rolled back after", `${TIME}
    s.put("before", 1);
    const out = {};
    out.plain = await how(() => s.transaction(async () => s.sync()));
    out.afterWrite = await how(() => s.transaction(async (t) => { await t.put("a", 1); await s.sync(); return s.get("a"); }));
    out.thenRollback = await how(() => s.transaction(async (t) => { await t.put("b", 1); await s.sync(); t.rollback(); return "rolled back"; }));
    out.seesBefore = await how(() => s.transaction(async (t) => { await s.sync(); return t.get("before"); }));
    out.hops = await s.transaction(async (t) => { await t.put("c", 1); return time(() => s.sync()); });
    out.after = show(await s.get(["a", "b", "c"]));
    return out;`),
  insideWithBoth(CALL_HELPERS, "txn timing: a transaction, nested or not, settles as I/O whether it commits or throws", `${TIME}
    return {
      outer: await time(() => s.transaction(async () => 1)),
      outerThrows: await time(() => s.transaction(async () => { throw new Error("outer"); })),
      nested: await s.transaction(async () => time(() => s.transaction(async () => 1))),
      nestedThrows: await s.transaction(async () => time(() => s.transaction(async () => { throw new Error("nested"); }))),
      nestedWrites: await s.transaction(async () => { await s.transaction(async (u) => u.put("q", 1)); return show(await s.get("q")); }),
    };`),
];

// The storage API's argument handling at its edges: sql.exec() bindings of every type and the
// cursor API, transactionSync() nested and with SQL transaction statements, get/put/delete
// with arrays, and storage writes made beside a transaction's own.
import { cls, inside, insideBoth } from "../scenario.mjs";

/** Helper source: thenables of each kind, and a plain object, made fresh by name. */
const KINDS = `const kinds = {
  getter: () => ({ get then() { throw new RangeError("then getter"); } }),
  throws: () => ({ then() { throw new TypeError("then threw"); } }),
  resolves: () => ({ then(res) { res("resolved"); } }),
  rejects: () => ({ then(res, rej) { rej(new SyntaxError("rejected")); } }),
  plain: () => ({ a: 1 }),
};`;
export default [
  inside("storage corners: sql.exec() binding every type (BigInts in and out of range, booleans, buffers, views, undefined, objects) and the cursor API at its edges (one(), raw(), toArray(), columnNames, counters, next() after the end)", "sqlite", `
    const sql = s.sql;
    const out = {};
    sql.exec("CREATE TABLE t(a, b)");
    const vals = { bigOut: 2n ** 64n, negOut: -(2n ** 63n) - 5n, bool: true, ab: new ArrayBuffer(2), i32: new Int32Array([1]), undef: undefined, obj: {}, arr: [1], date: new Date(0), nan: NaN, inf: Infinity, sym: Symbol("s"), fn: () => 1, nul: null, bigOk: 10n, str: "s" };
    for (const [k, v] of Object.entries(vals)) out["bind_" + k] = outcomeSync(() => sql.exec("INSERT INTO t VALUES (?, ?) RETURNING typeof(a) AS t, a", k, v).toArray());
    for (const [k, v] of Object.entries(vals)) out["sel_" + k] = outcomeSync(() => sql.exec("SELECT ? AS v", v).one());
    const c = sql.exec("SELECT a, b FROM t WHERE a IN ('bool','nul','str')");
    out.cols = c.columnNames;
    out.rr0 = [c.rowsRead, c.rowsWritten];
    out.first = c.next();
    out.rr1 = [c.rowsRead, c.rowsWritten];
    out.rest = c.toArray();
    out.afterDone = c.next();
    out.afterDone2 = c.next();
    out.toArrayAgain = outcomeSync(() => c.toArray());
    out.oneAfter = outcomeSync(() => c.one());
    out.rawAfter = outcomeSync(() => [...c.raw()]);
    out.rr2 = [c.rowsRead, c.rowsWritten];
    out.oneNone = outcomeSync(() => sql.exec("SELECT 1 WHERE 0").one());
    out.oneMany = outcomeSync(() => sql.exec("SELECT 1 UNION ALL SELECT 2").one());
    out.oneInsert = outcomeSync(() => sql.exec("INSERT INTO t VALUES ('x', 1)").one());
    const r = sql.exec("SELECT 1 AS a, 2 AS a, 3 AS b");
    out.dupCols = r.columnNames;
    out.dupRaw = r.raw().toArray();
    out.dupObj = outcomeSync(() => sql.exec("SELECT 1 AS a, 2 AS a").toArray());
    const mixed = sql.exec("SELECT 1 AS x UNION ALL SELECT 2 UNION ALL SELECT 3");
    out.mixedNext = mixed.next();
    out.mixedRaw = mixed.raw().next();
    out.mixedRest = mixed.toArray();
    const it = sql.exec("SELECT 1 AS x UNION ALL SELECT 2");
    out.iterSelf = it[Symbol.iterator]() === it;
    out.rawIterSelf = (() => { const rw = it.raw(); return rw[Symbol.iterator]() === rw; })();
    out.upd = (() => { const u = sql.exec("UPDATE t SET b = 1"); return [u.rowsRead, u.rowsWritten, u.columnNames, u.toArray()]; })();
    out.del = (() => { const u = sql.exec("DELETE FROM t WHERE a = 'x'"); return [u.rowsRead, u.rowsWritten]; })();
    out.emptyStmt = outcomeSync(() => sql.exec("").toArray());
    out.commentOnly = outcomeSync(() => sql.exec("-- hi").toArray());
    out.semicolons = outcomeSync(() => sql.exec(";;").toArray());
    out.nonString = outcomeSync(() => sql.exec(5).toArray());
    out.noArgs = outcomeSync(() => sql.exec().toArray());
    return out;`),
  inside("storage corners: transactionSync() nested with an inner throw, async callbacks, SQL transaction statements inside it, storage.kv rolled back, non-Errors thrown", "sqlite", `
    const sql = s.sql;
    sql.exec("CREATE TABLE t(a)");
    const out = {};
    out.nested = outcomeSync(() => s.transactionSync(() => { sql.exec("INSERT INTO t VALUES (1)"); try { s.transactionSync(() => { sql.exec("INSERT INTO t VALUES (2)"); throw new Error("inner"); }); } catch (e) { out.innerErr = err(e); } return sql.exec("SELECT a FROM t").toArray(); }));
    out.afterNested = sql.exec("SELECT a FROM t").toArray();
    out.returnsPromise = outcomeSync(() => { const r = s.transactionSync(async () => 1); return typeof r?.then; });
    out.beginInside = outcomeSync(() => s.transactionSync(() => sql.exec("BEGIN")));
    out.savepointInside = outcomeSync(() => s.transactionSync(() => sql.exec("SAVEPOINT x")));
    out.releaseInside = outcomeSync(() => s.transactionSync(() => { sql.exec("SAVEPOINT y"); sql.exec("RELEASE y"); return "released"; }));
    out.rollbackToInside = outcomeSync(() => s.transactionSync(() => sql.exec("ROLLBACK")));
    out.kvInside = outcomeSync(() => s.transactionSync(() => { s.kv.put("k", 1); throw new Error("undo kv"); }));
    out.kvAfter = s.kv.get("k") ?? null;
    out.throwNonError = outcomeSync(() => s.transactionSync(() => { throw 7; }));
    out.rows = sql.exec("SELECT a FROM t").toArray();
    return out;`),
  insideBoth("storage corners: get, put and delete with arrays: mixed and nested keys, duplicates and their order, counts, undefined values, no arguments, the empty key, a Map of entries", `
    const out = {};
    out.getMixed = await outcome(async () => show(await s.get(["a", 1, null])));
    out.putArrayKey = await outcome(() => s.put(["a", "b"], 1));
    out.getNested = await outcome(() => s.get([["a"]]));
    out.deleteCount = await outcome(async () => { await s.put({ x: 1, y: 2 }); return s.delete(["x", "y", "z", "x"]); });
    out.getDupOrder = await outcome(async () => { await s.put({ b: 1, a: 2 }); return show(await s.get(["b", "a", "b", "missing"])); });
    out.putUndefVal = await outcome(() => s.put("u", undefined));
    out.putEntriesUndef = await outcome(() => s.put({ u: undefined }));
    out.putNoArgs = await outcome(() => s.put());
    out.getNoArgs = await outcome(() => s.get());
    out.deleteNoArgs = await outcome(() => s.delete());
    out.emptyKey = await outcome(async () => { await s.put("", "e"); return show(await s.get("")); });
    out.putMap = await outcome(() => s.put(new Map([["m", 1]])));
    out.listAfter = [...(await s.list()).keys()];
    return out;`),
  insideBoth("storage corners: storage writes made beside txn inside transaction(), rolled back or thrown; keys that are no strings", `
    const out = {};
    out.rolled = await outcome(() => s.transaction(async (t) => { await s.put("outer", 1); await t.put("inner", 1); t.rollback(); return "done"; }));
    out.thrown = await outcome(() => s.transaction(async (t) => { await s.put("outer2", 1); await t.put("inner2", 1); throw new Error("x"); }));
    out.left = [...(await s.list()).keys()];
    out.txnGetOuter = await outcome(() => s.transaction(async (t) => { await s.put("o3", 3); return show(await t.get("o3")); }));
    out.keyCoercion = await outcome(async () => { await s.put(1, "one"); await s.put({ toString() { return "obj"; } }, "o"); await s.put(null, "n"); await s.put(undefined, "u"); return [...(await s.list()).keys()]; });
    out.getNum = await outcome(async () => show(await s.get(1)));
    out.delBool = await outcome(async () => show(await s.delete(1)));
    out.delAgain = await outcome(async () => show(await s.delete(1)));
    return out;`),
  {
    name: "storage corners: blockConcurrencyWhile(), transaction() and transactionSync() callbacks returning thenables whose then throws, resolves or rejects",
    backend: "sqlite",
    timeoutMs: 9000,
    source: cls(`
  async bcw(k) { try { const r = await this.ctx.blockConcurrencyWhile(() => kinds[k]()); return { ok: show(r) }; } catch (e) { return { error: err(e) }; } }
  async txn(k) { try { const r = await this.ctx.storage.transaction(async (t) => { await t.put("k" + k, 1); return kinds[k](); }); return { ok: show(r), kept: (await this.ctx.storage.get("k" + k)) ?? null }; } catch (e) { return { error: err(e), kept: (await this.ctx.storage.get("k" + k)) ?? null }; } }
  txnSyncRet(k) { try { const r = this.ctx.storage.transactionSync(() => kinds[k]()); return { type: typeof r, then: typeof r?.then }; } catch (e) { return { error: err(e) }; } }
  ping() { return "alive"; }
`, { extra: KINDS }),
    drive: async (env) => {
      const out = {};
      for (const k of ["getter", "throws", "resolves", "rejects", "plain"]) {
        const stub = env.DO.getByName("b-" + k);
        out["bcw_" + k] = await outcome(() => stub.bcw(k));
        out["bcwAfter_" + k] = await outcome(() => stub.ping());
        const t = env.DO.getByName("t-" + k);
        out["txn_" + k] = await outcome(() => t.txn(k));
        out["txnSync_" + k] = await outcome(() => t.txnSyncRet(k));
      }
      return out;
    },
  },
];

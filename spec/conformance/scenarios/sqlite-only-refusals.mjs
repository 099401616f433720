// A KV-backed object's ctx.storage still has the SQLite-only surfaces (kv, sql,
// transactionSync, bookmarks). Each converts its arguments as WebIDL says and then refuses
// with its "not SQLite" text: checks that belong to the SQLite implementation (list()'s
// option combinations, key and value sizes, SQL text and bindings) come after the refusal,
// so a wrong combination on a KV-backed object still reads as the refusal.
import { insideWith, CALL_HELPERS } from "./webidl-helpers.mjs";

export default [
  insideWith(CALL_HELPERS, "sqlite-only refusals: a KV-backed object refuses before checking option combinations, sizes and SQL", "kv", `
    const bad = { toString() { throw new RangeError("converted"); } };
    return await howAll({
      listStartAndStartAfter: () => s.kv.list({ start: "a", startAfter: "b" }),
      listLimitZero: () => s.kv.list({ limit: 0 }),
      listLimitNegative: () => s.kv.list({ limit: -1 }),
      listLimitNaN: () => s.kv.list({ limit: NaN }),
      listLimitInfinite: () => s.kv.list({ limit: Infinity }),
      listEmptyRange: () => s.kv.list({ start: "b", end: "a" }),
      listNotAnObject: () => s.kv.list(5),
      listLimitNotANumber: () => s.kv.list({ limit: "x" }),
      listPrefixThrows: () => s.kv.list({ prefix: bad }),
      getKeyThrows: () => s.kv.get(bad),
      putHugeKey: () => s.kv.put("k".repeat(3000), 1),
      putHugeValue: () => s.kv.put("k", "x".repeat(3 * 1024 * 1024)),
      putFunction: () => s.kv.put("k", () => 1),
      putNoValue: () => s.kv.put("k"),
      deleteKeyThrows: () => s.kv.delete(bad),
      execSyntaxError: () => s.sql.exec("SELEC"),
      execTooManyBindings: () => s.sql.exec("SELECT ?", 1, 2),
      execSymbolBinding: () => s.sql.exec("SELECT ?", Symbol()),
      execTextThrows: () => s.sql.exec(bad),
      transactionSyncNotAFunction: () => s.transactionSync(5),
      bookmarkForNaN: () => s.getBookmarkForTime(NaN),
      restoreUnknownBookmark: () => s.onNextSessionRestoreBookmark("nope"),
    });`),
];

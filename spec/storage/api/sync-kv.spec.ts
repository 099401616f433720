import { describe, expect, it } from "vitest";
import { transactionSync } from "../../../lib/storage/api/transaction-sync.js";
import { tokenize } from "../../../lib/sqlite/tokenizer.js";
import { thrown } from "../../helpers.js";
import { sqliteStorage } from "./sql-fixture.js";

describe("storage.kv", () => {
  it("keeps lone-surrogate keys distinct, ordered and bounded by their WTF-8 bytes, listed as three U+FFFD", () => {
    const { kv } = sqliteStorage();
    for (const key of ["\uE000", "\uDFFF", "\uD800", "\uD7FF"]) kv.put(key, key.charCodeAt(0).toString(16));
    expect(kv.get("\uD800")).toBe("d800");
    expect([...kv.list()].map(([, v]) => v)).toEqual(["d7ff", "d800", "dfff", "e000"]);
    expect([...kv.list({ start: "\uD801", end: "\uE000" })]).toEqual([["\uFFFD\uFFFD\uFFFD", "dfff"]]);
  });

  it("reads and writes the same _cf_KV rows as the backend, as fresh copies", () => {
    const { backend, kv } = sqliteStorage();
    const value = { n: 1 };
    kv.put("a", value);
    value.n = 2;
    expect(kv.get("a")).toEqual({ n: 1 });
    expect(backend.get("a")).toBeDefined();
    expect(kv.delete("a")).toBe(true);
    expect(kv.delete("a")).toBe(false);
  });

  it("stores undefined, which get() cannot tell from a missing key but list() shows", () => {
    const { kv } = sqliteStorage();
    kv.put("u", undefined);
    expect(kv.get("u")).toBeUndefined();
    expect([...kv.list()]).toEqual([["u", undefined]]);
  });

  it("lists lazily with the async API's option rules", () => {
    const { kv } = sqliteStorage();
    for (let i = 0; i < 300; i++) kv.put(`k${String(i).padStart(3, "0")}`, i);
    kv.put("a", 0);
    kv.put("a\u0000", 0);
    expect([...kv.list({ prefix: "k" })].length).toBe(300);
    expect([...kv.list({ startAfter: "a" })][0]![0]).toBe("a\u0000");
    expect([...kv.list({ prefix: "k", reverse: true, limit: 130 })].map(([k]) => k).at(-1)).toBe("k170");
    expect([...kv.list({ start: "z", end: "a" })]).toEqual([]);
    expect(thrown(() => kv.list({ start: "a", startAfter: "b" })).message).toBe(
      "list() cannot be called with both start and startAfter values.",
    );
    expect(thrown(() => kv.list({ limit: 0 }))).toBeInstanceOf(TypeError);
  });

  it("sees writes made while an iterator is open, past the last key it returned, as workerd's live statement does", () => {
    const { kv } = sqliteStorage();
    for (const key of ["a", "b", "c", "d"]) kv.put(key, 1);
    const seen: string[] = [];
    for (const [key, value] of kv.list()) {
      seen.push(`${key}:${String(value)}`);
      if (key === "a") {
        kv.delete("b");
        kv.put("aa", 1);
        kv.put("0", 1); // behind the iterator: not seen
        kv.put("c", 2);
      }
      if (key === "d") kv.put("e", 1);
    }
    expect(seen).toEqual(["a:1", "aa:1", "c:2", "d:1", "e:1"]);
    // Across pages too, and with a limit counting what was returned.
    for (let i = 0; i < 200; i++) kv.put(`p${String(i).padStart(3, "0")}`, i);
    const paged: string[] = [];
    for (const [key] of kv.list({ prefix: "p", limit: 150 })) {
      paged.push(key);
      if (key === "p100") kv.delete("p101");
    }
    expect(paged).toHaveLength(150);
    expect(paged.includes("p101")).toBe(false);
    expect(paged.at(-1)).toBe("p150");
  });

  it("fails an unfinished iterator with workerd's internal error after deleteAll() deleted the database", () => {
    const { kv, backend, commit } = sqliteStorage();
    kv.put("a", 1);
    kv.put("b", 1);
    const open = kv.list();
    open.next();
    backend.deleteAll();
    expect(thrown(() => open.next()).message).toMatch(/^internal error; reference = /);
    commit();
  });

  it("invalidates an iterator when a new list() starts", () => {
    const { kv } = sqliteStorage();
    kv.put("a", 1);
    const first = kv.list();
    kv.list();
    expect(thrown(() => first.next()).message).toBe(
      "kv.list() iterator was invalidated because a new call to kv.list() was started. Only one kv.list() iterator can exist at a time.",
    );
  });

  it("invalidates an iterator over a range without rows until its next() reported the end", () => {
    const { kv } = sqliteStorage();
    kv.put("a", 1);
    const unread = kv.list({ prefix: "z" });
    kv.list();
    expect(thrown(() => unread.next()).message).toMatch(/^kv\.list\(\) iterator was invalidated/);
    const read = kv.list({ prefix: "z" });
    expect(read.next()).toEqual({ done: true, value: undefined });
    kv.list();
    expect(read.next()).toEqual({ done: true, value: undefined });
  });

  it("lets a list() over an empty range, or before any KV write, leave the list cursor where it is, finished at once", () => {
    const { kv } = sqliteStorage();
    const beforeWrites = kv.list();
    kv.put("a", 1);
    kv.put("b", 2);
    kv.list();
    expect(beforeWrites.next()).toEqual({ done: true, value: undefined });
    const open = kv.list();
    open.next();
    const empty = kv.list({ start: "b", end: "a" });
    expect(open.next()).toEqual({ done: false, value: ["b", 2] });
    kv.list();
    expect(empty.next()).toEqual({ done: true, value: undefined });
  });

  it("keeps an exhausted iterator done after a new list() starts", () => {
    const { kv } = sqliteStorage();
    kv.put("a", 1);
    const first = kv.list();
    expect([...first]).toHaveLength(1);
    kv.list();
    expect(first.next()).toEqual({ done: true, value: undefined });
  });
});

describe("storage.kv.list()'s statements", () => {
  const everything = { start: "" };

  it("lends the connection's cached statement, taken back for the next list of the same shape", () => {
    const { backend, kv } = sqliteStorage();
    kv.put("a", 1);
    const first = backend.openList(everything)!;
    backend.connection.release(first);
    const again = backend.openList(everything)!;
    expect(again).toBe(first);
    // While it is lent, a second cursor of the same text gets its own.
    const second = backend.openList(everything)!;
    expect(second).not.toBe(again);
    backend.connection.release(again);
    backend.connection.release(second);
    expect(again.finalized).toBe(false);
    expect(second.finalized).toBe(true);
    expect(backend.openList(everything)).toBe(again);
  });

  it("keeps an open iterator in place while the async API lists the same range, and starts a later list from the top", () => {
    const { backend, kv } = sqliteStorage();
    for (const key of ["a", "b", "c"]) kv.put(key, 1);
    const open = kv.list();
    expect(open.next().value![0]).toBe("a");
    expect(backend.list(everything).map(([key]) => key)).toEqual(["a", "b", "c"]);
    expect([...open].map(([key]) => key)).toEqual(["b", "c"]);
    // A list given up half read hands its statement back rewound.
    kv.list().next();
    expect([...kv.list()].map(([key]) => key)).toEqual(["a", "b", "c"]);
  });

  it("ends a lent statement with the connection's live cursors; the next list prepares afresh", () => {
    const { backend, kv } = sqliteStorage();
    kv.put("a", 1);
    const lent = backend.openList(everything)!;
    backend.connection.finalizeLive();
    expect(lent.finalized).toBe(true);
    backend.connection.release(lent);
    const next = backend.openList(everything)!;
    expect(next).not.toBe(lent);
    expect(next.step()).toBe(true);
    backend.connection.release(next);
  });
});

describe("transactionSync", () => {
  it("commits on return, rolls back on throw, and nests", () => {
    const { backend, kv, sql, openBatch, meter } = sqliteStorage();
    const writer = { beginWrite: openBatch, usable: true };
    sql.exec("CREATE TABLE t(a)");
    const result = transactionSync(backend, writer, meter, () => {
      kv.put("outer", 1);
      thrown(() =>
        transactionSync(backend, writer, meter, () => {
          kv.put("inner", 1);
          sql.exec("INSERT INTO t VALUES (1)");
          throw new Error("boom");
        }),
      );
      return "done";
    });
    expect(result).toBe("done");
    expect(kv.get("outer")).toBe(1);
    expect(kv.get("inner")).toBeUndefined();
    expect(sql.exec("SELECT count(*) AS n FROM t").one()).toEqual({ n: 0 });
  });

  it("a deleteAll() inside wipes the database at once; ending the savepoint is then workerd's internal error", () => {
    const { backend, kv, sql, openBatch, meter, commit } = sqliteStorage();
    const writer = { beginWrite: openBatch, usable: true };
    sql.exec("CREATE TABLE t(a)");
    kv.put("k", 1);
    const names = () => sql.exec("SELECT name FROM sqlite_master").toArray();
    let inside: unknown;
    const returned = thrown(() =>
      transactionSync(backend, writer, meter, () => {
        backend.deleteAll();
        inside = names();
        return "ret";
      }),
    );
    expect(returned.message).toMatch(/^internal error; reference = [0-9a-v]{24}$/);
    expect(inside).toEqual([]);
    kv.put("k2", 1);
    // The callback's own error is replaced too, and nested calls fail the same way.
    const rethrown = thrown(() =>
      transactionSync(backend, writer, meter, () =>
        transactionSync(backend, writer, meter, () => {
          backend.deleteAll();
          throw new Error("undo");
        }),
      ),
    );
    expect(rethrown.message).toMatch(/^internal error; reference = /);
    // Savepoints made after the wipe work as usual, and the wipe is committed.
    expect(transactionSync(backend, writer, meter, () => kv.put("after", 1))).toBeUndefined();
    commit();
    expect(names()).toEqual([{ name: "_cf_KV" }]);
    expect([...kv.list()].map(([key]) => key)).toEqual(["after"]);
  });

  it("passes an async callback's promise through", async () => {
    const { backend, openBatch, meter } = sqliteStorage();
    const promise = transactionSync(backend, { beginWrite: openBatch, usable: true }, meter, async () => 5);
    expect(await promise).toBe(5);
  });
});

describe("tokenizer", () => {
  it("keeps literals, quoted names and comments whole", () => {
    const tokens = tokenize(`SELECT 'it''s -- no' AS "a""b", [c d], \`e\`, x'0A', ?1, :n /* BEGIN */ -- END\n;`);
    expect(tokens.map((t) => [t.kind, t.text])).toEqual([
      ["word", "SELECT"], ["string", "'it''s -- no'"], ["word", "AS"], ["quoted", '"a""b"'], ["punct", ","],
      ["quoted", "[c d]"], ["punct", ","], ["quoted", "`e`"], ["punct", ","], ["blob", "x'0A'"], ["punct", ","],
      ["variable", "?1"], ["punct", ","], ["variable", ":n"], ["punct", ";"],
    ]);
  });
});

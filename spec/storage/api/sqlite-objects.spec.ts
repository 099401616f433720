import { describe, expect, it } from "vitest";
import { DurableObject } from "../../../lib/modules/workers.js";
import { type AnyStub, emulator, errorShape, rejection } from "../../helpers.js";

// SQLite-backed objects driven through the emulator: the implicit transaction, transaction()
// as a savepoint, deleteAll(), point-in-time recovery, and what KV-backed classes refuse.

interface SqlCursor {
  toArray(): Record<string, unknown>[];
  one(): Record<string, unknown>;
}
interface Storage {
  sql: { exec(query: string, ...bindings: unknown[]): SqlCursor; databaseSize: number };
  kv: { get(key: string): unknown; put(key: string, value: unknown): void; list(options?: object): Iterator<[string, unknown]> };
  get(key: string): Promise<unknown>;
  list(options?: object): Promise<Map<string, unknown>>;
  put(key: string, value: unknown): Promise<void>;
  deleteAll(): Promise<void>;
  setAlarm(time: number): Promise<void>;
  getAlarm(): Promise<number | null>;
  transaction<T>(fn: (txn: { rollback(): void; put(k: string, v: unknown): Promise<void> }) => Promise<T>): Promise<T>;
  transactionSync<T>(fn: () => T): T;
  getCurrentBookmark(): Promise<string>;
  getBookmarkForTime(time: number): Promise<string>;
  onNextSessionRestoreBookmark(bookmark: string): Promise<string>;
}
const storageOf = (object: DurableObject): Storage => (object.ctx as { storage: Storage }).storage;

class Notes extends DurableObject {
  constructor(ctx: unknown, env: unknown) {
    super(ctx, env);
    storageOf(this).sql.exec(
      "CREATE TABLE IF NOT EXISTS parent (id INTEGER PRIMARY KEY); " +
        "CREATE TABLE IF NOT EXISTS child (pid INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED); " +
        "CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, body TEXT)",
    );
  }
  add(body: string) {
    storageOf(this).sql.exec("INSERT INTO notes (body) VALUES (?)", body);
  }
  notes() {
    return storageOf(this).sql.exec("SELECT body FROM notes ORDER BY id").toArray().map((row) => row.body);
  }
  async snapshot() {
    const s = storageOf(this);
    return { notes: this.notes(), kv: await s.get("k"), syncKv: s.kv.get("k") ?? null };
  }
  /** What an open kv.list() iterator returns after an empty-range kv.list(), then after an async list(). */
  async listCursor() {
    const s = storageOf(this);
    s.kv.put("a", 1);
    s.kv.put("b", 2);
    const open = s.kv.list();
    open.next();
    s.kv.list({ start: "b", end: "a" });
    const afterEmptyRange = open.next().value;
    await s.list({ prefix: "none" });
    try {
      return { afterEmptyRange, afterAsyncList: open.next() };
    } catch (error) {
      return { afterEmptyRange, afterAsyncList: (error as Error).message };
    }
  }
  /** KV, SQL and an FK violation that only fails at commit: the whole batch must vanish. */
  async brokenBatch() {
    const s = storageOf(this);
    await s.put("k", "from the batch");
    await s.get("k");
    this.add("from the batch");
    s.sql.exec("INSERT INTO child VALUES (42)");
    return "returned";
  }
  async failingTransaction() {
    const s = storageOf(this);
    await s.transaction(async () => {
      this.add("inside");
      s.kv.put("k", "inside");
      await s.put("k2", "inside");
      throw new Error("undo everything");
    });
  }
  async rolledBackTransaction() {
    const s = storageOf(this);
    return s.transaction(async (txn) => {
      this.add("rolled back");
      txn.rollback();
      return "done";
    });
  }
  nestedTransactionSync() {
    const s = storageOf(this);
    return s.transactionSync(() => {
      this.add("outer");
      try {
        s.transactionSync(() => {
          this.add("inner");
          throw new Error("inner fails");
        });
      } catch {
        // the inner savepoint is rolled back; the outer one continues
      }
      return this.notes();
    });
  }
  tables() {
    return storageOf(this).sql.exec("SELECT name FROM sqlite_master WHERE name NOT LIKE '_cf_%'").toArray();
  }
  async wipe() {
    await storageOf(this).deleteAll();
    return storageOf(this).sql.exec("SELECT name FROM sqlite_master WHERE name NOT LIKE '_cf_%'").toArray();
  }
  /** deleteAll(), then a write, then a reset, all in one turn. */
  wipeWriteAndAbort() {
    void storageOf(this).deleteAll();
    storageOf(this).sql.exec("CREATE TABLE later (a)");
    (this.ctx as { abort(reason: string): never }).abort("reset after deleteAll()");
  }
  async deleteAllInTransaction() {
    const s = storageOf(this);
    return s.transaction(async () => s.deleteAll());
  }
  async bookmark() {
    return storageOf(this).getCurrentBookmark();
  }
  async bookmarkAt(time: number) {
    return storageOf(this).getBookmarkForTime(time);
  }
  /** A bookmark asked for inside a transactionSync() that then throws, and one inside a transaction() that commits. */
  async bookmarksInTransactions() {
    const s = storageOf(this);
    let inSync: Promise<string> | undefined;
    try {
      s.transactionSync(() => {
        this.add("rolled back");
        inSync = s.getCurrentBookmark();
        throw new Error("undo");
      });
    } catch {
      // the savepoint is rolled back: the bookmark must not have committed the write
    }
    const inTransaction = await s.transaction(async () => {
      this.add("committed");
      return s.getCurrentBookmark();
    });
    return { inSync: await inSync!, inTransaction, notes: this.notes() };
  }
  async restoreAndRestart(bookmark: string) {
    await storageOf(this).onNextSessionRestoreBookmark(bookmark);
    (this.ctx as { abort(): never }).abort();
  }
  /**
   * Writes whose row (key and serialised value) is one byte past SQLite's length limit, by
   * every path (a one-byte string of n characters serialises to n + 7 bytes). The boundaries
   * are workerd's, found by bisection there (conformance "faults: the largest value SQLite
   * stores"; the row at the limit, which is stored, is checked there and in sql-exec.spec.ts).
   */
  async rowLimit() {
    const s = storageOf(this);
    const attempt = (write: () => Promise<void>) => write().then(() => "stored", (error: Error) => error.message);
    return {
      pastLimit: await attempt(() => s.put("t", "x".repeat(8_388_629))),
      longKeyPastLimit: await attempt(() => s.put("l".repeat(1000), "x".repeat(8_387_629))),
      entries: await attempt(() => (s.put as unknown as (entries: object) => Promise<void>)({ small: 1, big: "x".repeat(8_388_629) })),
      inTransaction: await attempt(() => s.transaction((txn) => txn.put("u", "x".repeat(8_388_629)))),
      syncKv: await attempt(async () => s.kv.put("v", "x".repeat(8_388_629))),
      // Refused unserialised (its length alone passes the limit), still behind the value that cannot be cloned.
      hugeThenUncloneable: await attempt(() => (s.put as unknown as (entries: object) => Promise<void>)({ h: "x".repeat(9_000_000), f: () => 1 })),
      huge: await attempt(() => s.put("h", "x".repeat(9_000_000))),
      smallOfEntries: (await s.get("small")) ?? "not written",
    };
  }
  /** Recurses until the stack runs out, writing at every level (nobody awaits the writes). */
  overflowWhileWriting() {
    const s = storageOf(this);
    const recurse = (depth: number): number => {
      void s.put(`level${depth % 3}`, depth);
      return recurse(depth + 1) + 1;
    };
    return recurse(0);
  }
  async levels() {
    return Promise.all(["level0", "level1", "level2"].map(async (key) => typeof (await storageOf(this).get(key))));
  }
  /**
   * A transaction whose savepoint SQLite cannot end: an INSERT ... RETURNING cursor of two rows
   * read once is still running under it (whether the callback returns or throws). Writes made
   * before it in the same turn belong to the implicit batch, not to the savepoint.
   */
  async unendableTransaction(kind: "sync" | "async", ending: "return" | "throw") {
    const s = storageOf(this);
    this.add("before");
    let cursor: SqlCursor & { next(): unknown };
    const callback = () => {
      this.add("inside");
      cursor = s.sql.exec("INSERT INTO notes (body) VALUES ('returning 1'), ('returning 2') RETURNING body") as typeof cursor;
      cursor.next();
      if (ending === "throw") throw new Error("the callback's own error");
      return "returned";
    };
    let outcome: Record<string, unknown>;
    try {
      outcome = { result: kind === "sync" ? s.transactionSync(callback) : await s.transaction(async () => callback()) };
    } catch (error) {
      outcome = { error: (error as Error).message.replace(/reference = \w+/, "reference = R") };
    }
    // The cursor still yields its last row; read to its end, it lets the batch commit.
    return { ...outcome, rest: cursor!.toArray(), notes: this.notes() };
  }
  async bigValue() {
    await storageOf(this).put("x".repeat(5000), "y".repeat(200_000));
    return ((await storageOf(this).get("x".repeat(5000))) as string).length;
  }
}

class Plain extends DurableObject {
  /** Uses a SQLite-only feature: `sql` and `kv` exist on every storage, and refuse when used. */
  probe(feature: string) {
    const s = storageOf(this);
    if (feature === "sql") return s.sql.exec("SELECT 1").toArray();
    if (feature === "kv") return s.kv.get("k");
    return feature === "transactionSync" ? s.transactionSync(() => 1) : (s as unknown as Record<string, unknown>)[feature];
  }
}

function notesStub(name = "n"): AnyStub {
  const emu = emulator({ module: { Notes }, durableObjects: { NOTES: { className: "Notes", sqlite: true } } });
  return (emu.env.NOTES as AnyStub).getByName(name);
}

describe("SQLite-backed objects", () => {
  it("commit SQL and KV writes of one turn together; a failing commit rolls all back and resets", async () => {
    const emu = emulator({ module: { Notes }, durableObjects: { NOTES: { className: "Notes", sqlite: true } } });
    const ns = emu.env.NOTES as AnyStub;
    const stub = ns.getByName("batch");
    const error = await rejection(stub.brokenBatch());
    expect(errorShape(error)).toEqual({
      name: "Error",
      message:
        "Durable Object was reset and rolled back to its last known good state because the application left the database in a state where constraints were violated: FOREIGN KEY constraint failed: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_FOREIGNKEY)",
      remote: undefined,
      durableObjectReset: undefined,
    });
    expect((await rejection(stub.notes())).message).toBe(error.message);
    expect(await ns.getByName("batch").snapshot()).toEqual({ notes: [], kv: undefined, syncKv: null });
  });

  it("transaction() rolls back SQL, storage.kv and KV writes made inside it, without a reset", async () => {
    const stub = notesStub();
    stub.add("before");
    expect((await rejection(stub.failingTransaction())).message).toBe("undo everything");
    expect(await stub.snapshot()).toEqual({ notes: ["before"], kv: undefined, syncKv: null });
    expect(await stub.rolledBackTransaction()).toBe("done");
    expect(await stub.notes()).toEqual(["before"]);
  });

  it("transactionSync() nests: an inner rollback keeps the outer writes", async () => {
    expect(await notesStub().nestedTransactionSync()).toEqual(["outer"]);
  });

  it("async list() takes storage.kv.list()'s one list cursor; a list over an empty range takes none", async () => {
    expect(await notesStub().listCursor()).toEqual({
      afterEmptyRange: ["b", 2],
      afterAsyncList:
        "kv.list() iterator was invalidated because a new call to kv.list() was started. Only one kv.list() iterator can exist at a time.",
    });
  });

  it("deleteAll() wipes the whole database, and is refused inside transaction()", async () => {
    const stub = notesStub();
    stub.add("gone");
    expect(await stub.wipe()).toEqual([]);
    expect((await rejection(stub.deleteAllInTransaction())).message).toBe("Cannot call deleteAll() within a transaction");
  });

  it("deleteAll() is durable at once: a reset in the same turn keeps the wipe and drops the writes after it (workerd)", async () => {
    const emu = emulator({ module: { Notes }, durableObjects: { NOTES: { className: "Notes", sqlite: true } } });
    const stub = () => (emu.env.NOTES as AnyStub).getByName("wipe-then-abort");
    await stub().add("before");
    expect((await rejection(stub().wipeWriteAndAbort())).message).toBe("reset after deleteAll()");
    // The new instance's constructor made its tables again, empty; the one made after the wipe is gone.
    expect(await stub().notes()).toEqual([]);
    expect(await stub().tables()).toEqual([{ name: "parent" }, { name: "child" }, { name: "notes" }]);
  });

  it("transactionSync() whose savepoint SQLite cannot end throws workerd's internal error and undoes its writes; the object goes on", async () => {
    for (const ending of ["return", "throw"] as const) {
      const stub = notesStub(`sync-${ending}`);
      expect(await stub.unendableTransaction("sync", ending)).toEqual({
        error: "internal error; reference = R",
        rest: [{ body: "returning 2" }],
        notes: ["before"],
      });
      expect(await stub.notes()).toEqual(["before"]);
    }
  });

  it("transaction() whose savepoint SQLite cannot end resets the object: the caller gets the internal error as a reset", async () => {
    const emu = emulator({ module: { Notes }, durableObjects: { NOTES: { className: "Notes", sqlite: true } } });
    const ns = emu.env.NOTES as AnyStub;
    for (const ending of ["return", "throw"] as const) {
      const error = await rejection(ns.getByName(ending).unendableTransaction("async", ending));
      expect({ ...errorShape(error), message: error.message.replace(/reference = \w+/, "reference = R") }).toEqual({
        name: "Error",
        message: "internal error; reference = R",
        remote: undefined,
        durableObjectReset: true,
      });
      // transaction() commits the writes before it first; nothing of its own is kept.
      expect(await ns.getByName(ending).notes()).toEqual(["before"]);
    }
  });

  it("does not apply the KV backend's key and value limits", async () => {
    expect(await notesStub().bigValue()).toBe(200_000);
  });

  it("refuses a write whose row passes SQLite's length limit, as workerd's SQLite does, and writes nothing of it", async () => {
    const tooBig = "string or blob too big: SQLITE_TOOBIG";
    expect(await notesStub().rowLimit()).toEqual({
      pastLimit: tooBig,
      longKeyPastLimit: tooBig,
      entries: tooBig,
      inTransaction: tooBig,
      syncKv: tooBig,
      hugeThenUncloneable: "() => 1 could not be cloned.",
      huge: tooBig,
      smallOfEntries: "not written",
    });
  });

  it("a stack overflow in a recursion that writes at every level throws, and its writes commit", async () => {
    // The overflow can strike inside a write, between its statement's step and its reset; the
    // runtime's never does (conformance "faults: a stack overflow in object code, ...").
    const stub = notesStub("overflow");
    expect((await rejection(stub.overflowWhileWriting())).name).toBe("RangeError");
    expect(await stub.levels()).toEqual(["number", "number", "number"]);
  });

  it("restores a bookmark when the object restarts", async () => {
    const emu = emulator({ module: { Notes }, durableObjects: { NOTES: { className: "Notes", sqlite: true } } });
    const ns = emu.env.NOTES as AnyStub;
    const stub = ns.getByName("pitr");
    await stub.add("kept");
    const bookmark = await stub.bookmark();
    expect(bookmark).toMatch(/^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/);
    await stub.add("undone");
    expect(await stub.bookmark() > bookmark).toBe(true);
    expect((await rejection(stub.restoreAndRestart(bookmark))).durableObjectReset).toBe(true);
    expect(await ns.getByName("pitr").notes()).toEqual(["kept"]);
  });

  it("a bookmark asked for inside a transaction names the state its batch ends with, and commits nothing early", async () => {
    const emu = emulator({ module: { Notes }, durableObjects: { NOTES: { className: "Notes", sqlite: true } } });
    const ns = emu.env.NOTES as AnyStub;
    const stub = ns.getByName("pitr-txn");
    await stub.add("first");
    const { inSync, inTransaction, notes } = await stub.bookmarksInTransactions();
    expect(notes).toEqual(["first", "committed"]);
    expect(inTransaction > inSync).toBe(true);
    await stub.add("later");
    await rejection(stub.restoreAndRestart(inSync));
    expect(await ns.getByName("pitr-txn").notes()).toEqual(["first"]);
    await rejection(ns.getByName("pitr-txn").restoreAndRestart(inTransaction));
    expect(await ns.getByName("pitr-txn").notes()).toEqual(["first", "committed"]);
  });

  it("resolves a time to the bookmark of the state committed by then", async () => {
    const emu = emulator({ module: { Notes }, durableObjects: { NOTES: { className: "Notes", sqlite: true } } });
    const ns = emu.env.NOTES as AnyStub;
    const stub = ns.getByName("pitr-time");
    await stub.add("early");
    const early = await stub.bookmark();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const between = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await stub.add("late");
    expect(await stub.bookmarkAt(between)).toBe(early);
    expect(await stub.bookmarkAt(Date.now())).toBe(await stub.bookmark());
    await rejection(stub.restoreAndRestart(await stub.bookmarkAt(between)));
    expect(await ns.getByName("pitr-time").notes()).toEqual(["early"]);
  });
});

describe("KV-backed classes refuse the SQLite-only API with production's errors", () => {
  const probe = async (feature: string) => {
    const emu = emulator({ module: { Plain }, durableObjects: { PLAIN: "Plain" } });
    return rejection((emu.env.PLAIN as AnyStub).getByName("p").probe(feature));
  };

  it("ctx.storage.sql", async () => {
    expect((await probe("sql")).message).toMatch(/^This Durable Object is not backed by SQLite storage, so the SQL API is not available\./);
  });

  it("ctx.storage.kv", async () => {
    expect((await probe("kv")).message).toMatch(/^The storage\.kv \(synchronous KV\) API is only available for SQLite-backed Durable Objects/);
  });

  it("transactionSync()", async () => {
    expect((await probe("transactionSync")).message).toBe("Durable Object is not backed by SQL.");
  });
});

/**
 * Storage usage as production bills it: request units of 4 KB on the KV backend (the pricing
 * page's own examples: a 9 KB write is 3 write units, a list returning 80 KB of keys and values
 * is 20 read units, an empty list is 1, deleting a 100 KB value is one delete request), rows on
 * the SQLite backend (what the cursors report, and the KV API's rows), and what coalescing did.
 *
 * Value sizes are hand-computed: a value is stored as V8's serialization of it, so a one-byte
 * string of L characters (128 <= L < 16,384) takes L + 5 bytes (2 header bytes, a tag, a
 * two-byte length).
 */
import { describe, expect, it } from "vitest";
import { DurableObject } from "../../../lib/modules/workers.js";
import { type AnyStub, emulator } from "../../helpers.js";

/** A one-byte string whose stored value is exactly `bytes` long. */
const storedAs = (bytes: number) => "x".repeat(bytes - 5);

class Store extends DurableObject {
  declare ctx: AnyStub;
  async put(key: string, value: unknown) {
    await this.ctx.storage.put(key, value);
  }
  async putMany(entries: Record<string, unknown>) {
    await this.ctx.storage.put(entries);
  }
  async get(key: string | string[]) {
    const value = await this.ctx.storage.get(key as string);
    return value instanceof Map ? [...value.keys()] : typeof value;
  }
  async list(options?: { prefix?: string }) {
    return (await this.ctx.storage.list(options)).size;
  }
  async delete(keys: string | string[]) {
    return this.ctx.storage.delete(keys as string);
  }
  async alarmTwice() {
    await this.ctx.storage.setAlarm(Date.now() + 60_000);
    await this.ctx.storage.deleteAlarm();
  }
  /** getAlarm() twice, deleteAlarm() with no alarm set. */
  async alarmReads() {
    await this.ctx.storage.getAlarm();
    await this.ctx.storage.setAlarm(Date.now() + 60_000);
    await this.ctx.storage.getAlarm();
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAlarm(); // nothing left to delete
  }
  /** Three keys and an alarm, then deleteAll(). */
  async fillThenDeleteAll() {
    await this.ctx.storage.put({ a: 1, b: 2, c: 3 });
    await this.ctx.storage.setAlarm(Date.now() + 60_000);
    await this.ctx.storage.deleteAll();
    return this.ctx.storage.getAlarm();
  }
  /**
   * A transaction that reads one key, writes two, deletes one and sets the alarm, then rolls
   * back; meanwhile a write on ctx.storage itself (not part of the transaction on the KV backend).
   */
  async rolledBackTransaction(how: "rollback" | "throw") {
    await this.ctx.storage
      .transaction(async (txn: AnyStub) => {
        await txn.get("r");
        await txn.put("t1", storedAs(9 * 1024));
        await txn.put("t2", 1);
        await txn.delete("r");
        await txn.setAlarm(Date.now() + 60_000);
        void this.ctx.storage.put("outside", 1);
        if (how === "rollback") txn.rollback();
        else throw new Error("undo");
      })
      .catch(() => undefined);
  }
  /** The same transaction, committed. */
  async committedTransaction() {
    await this.ctx.storage.transaction(async (txn: AnyStub) => {
      await txn.get("r");
      await txn.put("t1", storedAs(9 * 1024));
      await txn.put("t2", 1);
      await txn.delete(["r", "missing"]);
      await txn.setAlarm(Date.now() + 60_000);
    });
  }
  async alarm() {}
  /** Five writes in one turn, awaited or not: one batch. */
  async fiveWrites() {
    void this.ctx.storage.put("a", 1);
    void this.ctx.storage.put("b", 2);
    await this.ctx.storage.put("c", 3);
    await this.ctx.storage.put({ d: 4, e: 5 });
  }
  /** A write, real I/O (the turn ends: the batch commits), another write. */
  async writesAcrossTurns() {
    await this.ctx.storage.put("x", 1);
    await new Promise((resolve) => setImmediate(resolve));
    await this.ctx.storage.put("y", 2);
  }
  /** A transaction that rolls back (2 writes undone), then one that commits (1 write), then a write. */
  async transactions() {
    await this.ctx.storage.transaction(async (txn: AnyStub) => {
      await txn.put("gone1", 1);
      await txn.put("gone2", 2);
      txn.rollback();
    });
    await this.ctx.storage
      .transaction(async (txn: AnyStub) => {
        await txn.put("gone3", 3);
        throw new Error("undo");
      })
      .catch(() => undefined);
    await this.ctx.storage.transaction(async (txn: AnyStub) => {
      await txn.put("kept", 1);
    });
    await this.ctx.storage.put("after", 1);
  }
  /** transactionSync: an inner rollback undoes 2 writes, the outer keeps 1 (SQLite-backed). */
  syncTransactions() {
    const { storage } = this.ctx;
    storage.transactionSync(() => {
      storage.kv.put("kept", 1);
      try {
        storage.transactionSync(() => {
          storage.kv.put("gone1", 1);
          storage.kv.put("gone2", 2);
          throw new Error("undo");
        });
      } catch {}
    });
  }
  async unconfirmed() {
    await this.ctx.storage.put("u", 1, { allowUnconfirmed: true });
  }
  sql(query: string, ...bindings: unknown[]) {
    const cursor = this.ctx.storage.sql.exec(query, ...bindings);
    const rows = cursor.toArray().length;
    return { rows, rowsRead: cursor.rowsRead, rowsWritten: cursor.rowsWritten };
  }
  fill(rows: number) {
    for (let i = 1; i <= rows; i++) this.ctx.storage.sql.exec("INSERT INTO t VALUES (?, ?)", i, `v${i}`);
  }
  databaseSize() {
    return this.ctx.storage.sql.databaseSize;
  }
  syncKv() {
    const kv = this.ctx.storage.kv;
    kv.put("s1", 1);
    kv.put("s2", 2);
    kv.get("s1");
    kv.get("missing");
    kv.delete("s2");
    kv.delete("missing");
    return [...kv.list()].length;
  }
}

/** delete_all_preserves_alarm: deleteAll() keeps the alarm (as before 2026-02-24). */
const PRESERVES_ALARM = { compatibilityFlags: ["delete_all_preserves_alarm"] };

function kvWorld(options = {}) {
  const emu = emulator({ module: { Store }, durableObjects: { NS: "Store" }, ...options });
  const stub = (emu.env.NS as AnyStub).getByName("kv");
  return { emu, stub, usage: () => emu.usage(stub) };
}

function sqliteWorld(options = {}) {
  const emu = emulator({ module: { Store }, durableObjects: { NS: { className: "Store", sqlite: true } }, ...options });
  const stub = (emu.env.NS as AnyStub).getByName("sql");
  return { emu, stub, usage: () => emu.usage(stub) };
}

describe("usage: KV-backed storage in request units", () => {
  it("bills a 9 KB write as 3 write units, a small write as 1", async () => {
    const { stub, usage } = kvWorld();
    await stub.put("k", storedAs(9 * 1024)); // 1 + 9,216 bytes: 3 units of 4 KB
    expect(usage().kv.writeUnits).toBe(3);
    await stub.put("small", 1);
    expect(usage().kv.writeUnits).toBe(4);
    await stub.putMany({ a: 1, b: 2, c: 3 }); // one unit per key
    expect(usage().kv.writeUnits).toBe(7);
  });

  it("bills a list returning 80 KB as 20 read units and an empty list as 1", async () => {
    const { stub, usage } = kvWorld();
    const entries: Record<string, string> = {};
    for (let i = 0; i < 20; i++) entries[`k${String(i).padStart(2, "0")}`] = storedAs(4096 - 3); // 3-byte key + value = 4 KB
    await stub.putMany(entries);
    expect(await stub.list()).toBe(20); // 20 × 4,096 bytes = 80 KB
    expect(usage().kv).toMatchObject({ readUnits: 20, lists: 1 });
    expect(await stub.list({ prefix: "none" })).toBe(0);
    expect(usage().kv).toMatchObject({ readUnits: 21, lists: 2 });
  });

  it("bills reads per key asked for (found or not) and deletes per key named, whatever the value's size", async () => {
    const { stub, usage } = kvWorld();
    await stub.put("big", storedAs(100 * 1024));
    await stub.put("small", 1);
    expect(await stub.get("missing")).toBe("undefined");
    expect(await stub.get(["small", "missing", "other"])).toEqual(["small"]);
    expect(usage().kv.readUnits).toBe(4);
    expect(await stub.get("big")).toBe("string"); // 3 + 102,400 bytes: 26 units
    expect(usage().kv.readUnits).toBe(30);
    expect(await stub.delete("big")).toBe(true); // one delete request for 100 KB
    expect(await stub.delete(["small", "gone"])).toBe(1);
    expect(usage().kv.deletes).toBe(3);
  });

  it("bills setAlarm and deleteAlarm as one write unit each", async () => {
    const { stub, usage } = kvWorld();
    await stub.alarmTwice();
    expect(usage().kv.writeUnits).toBe(2);
  });

  it("bills getAlarm() one read unit, deleteAlarm() one write unit even with no alarm set", async () => {
    const { stub, usage } = kvWorld();
    await stub.alarmReads();
    // 2 getAlarm: 2 read units; setAlarm + 2 deleteAlarm: 3 write units
    expect(usage().kv).toMatchObject({ readUnits: 2, writeUnits: 3, deletes: 0 });
  });

  it("bills deleteAll() one delete request per key it removes, and a write unit for the alarm it removes", async () => {
    const { emu, stub, usage } = kvWorld();
    expect(await stub.fillThenDeleteAll()).toBe(null);
    // put: 3 write units; setAlarm: 1; deleteAll: 3 deletes + 1 write unit (the alarm); getAlarm: 1 read unit
    expect(usage().kv).toMatchObject({ writeUnits: 5, deletes: 3, readUnits: 1, keys: 0 });
    emu.resetUsage();
    expect(await stub.fillThenDeleteAll()).toBe(null);
    expect(usage().kv).toMatchObject({ writeUnits: 5, deletes: 3 });
  });

  it("bills no alarm deletion when deleteAll() keeps the alarm (delete_all_preserves_alarm)", async () => {
    const { stub, usage } = kvWorld(PRESERVES_ALARM);
    expect(await stub.fillThenDeleteAll()).not.toBe(null);
    // put: 3 write units; setAlarm: 1; deleteAll: 3 deletes, no write unit (the alarm stays); getAlarm: 1 read unit
    expect(usage().kv).toMatchObject({ writeUnits: 4, deletes: 3, readUnits: 1, keys: 0 });
  });

  for (const how of ["rollback", "throw"] as const) {
    it(`bills the reads of a transaction that rolled back (${how}), not its writes`, async () => {
      const { stub, usage } = kvWorld();
      await stub.put("r", 1);
      await stub.rolledBackTransaction(how);
      // Billed: put r (1 write unit), txn.get r (1 read unit), ctx.storage.put outside (1 write unit).
      expect(usage().kv).toMatchObject({ readUnits: 1, writeUnits: 2, deletes: 0, keys: 2 });
      expect(usage().commits.writes).toBe(2);
    });
  }

  it("bills a committed transaction's writes when it commits", async () => {
    const { stub, usage } = kvWorld();
    await stub.put("r", 1);
    await stub.committedTransaction();
    // put r: 1; t1 (2 + 9,216 bytes): 3; t2: 1; setAlarm: 1 write units. get: 1 read unit; delete: 2 keys named.
    expect(usage().kv).toMatchObject({ readUnits: 1, writeUnits: 6, deletes: 2, keys: 2 });
    // Committed: r, then t1, t2, the delete of r and the alarm.
    expect(usage().commits.writes).toBe(5);
  });

  it("reports the keys and bytes stored now", async () => {
    const { stub, usage } = kvWorld();
    await stub.put("ab", storedAs(1000));
    await stub.put("c", storedAs(200));
    expect(usage().kv).toMatchObject({ keys: 2, bytes: 2 + 1000 + 1 + 200 });
    await stub.delete("ab");
    expect(usage().kv).toMatchObject({ keys: 1, bytes: 201 });
  });
});

describe("usage: SQLite-backed storage in rows", () => {
  it("sums what the cursors report: an indexed lookup reads 1 row, a full scan every row", async () => {
    const { emu, stub, usage } = sqliteWorld();
    await stub.sql("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
    await stub.fill(100);
    // CREATE TABLE writes its two sqlite_master rows; each insert one row (no index) and reads the key it checks.
    expect(usage().sqlite).toMatchObject({ rowsWritten: 102, rowsRead: 101 });
    emu.resetUsage();
    const lookup = await stub.sql("SELECT * FROM t WHERE id = ?", 42);
    expect(lookup).toEqual({ rows: 1, rowsRead: 1, rowsWritten: 0 });
    expect(usage().sqlite.rowsRead).toBe(1);
    const scan = await stub.sql("SELECT * FROM t");
    expect(scan).toEqual({ rows: 100, rowsRead: 100, rowsWritten: 0 });
    expect(usage().sqlite.rowsRead).toBe(101);
    await stub.sql("CREATE INDEX t_v ON t (v)");
    emu.resetUsage();
    const insert = await stub.sql("INSERT INTO t VALUES (101, 'new')"); // the row and its index entry
    expect(insert.rowsWritten).toBe(2);
    expect(usage().sqlite).toMatchObject({ rowsWritten: 2, statements: 1 });
  });

  it("counts every statement of a multi-statement exec, and the rows of the ones before the last", async () => {
    const { emu, stub, usage } = sqliteWorld();
    await stub.sql("CREATE TABLE t (x)");
    emu.resetUsage();
    const last = await stub.sql("INSERT INTO t VALUES (1); INSERT INTO t VALUES (2); SELECT * FROM t");
    expect(last).toEqual({ rows: 2, rowsRead: 2, rowsWritten: 0 });
    expect(usage().sqlite).toMatchObject({ statements: 3, rowsWritten: 2, rowsRead: 2 });
  });

  it("bills the KV API in rows: a key found is a row read, a key written or deleted a row written, setAlarm one row", async () => {
    const { stub, usage } = sqliteWorld();
    await stub.putMany({ a: 1, b: 2, c: 3 });
    expect(usage().sqlite).toMatchObject({ rowsRead: 0, rowsWritten: 3 });
    await stub.get("a");
    await stub.get("missing");
    expect(usage().sqlite.rowsRead).toBe(1);
    expect(await stub.list()).toBe(3);
    expect(usage().sqlite.rowsRead).toBe(4);
    expect(await stub.delete(["a", "missing"])).toBe(1); // the row found is read, then deleted
    expect(usage().sqlite).toMatchObject({ rowsRead: 5, rowsWritten: 4 });
    await stub.alarmTwice(); // setAlarm: 1 row; deleting the alarm it set: 1 row
    expect(usage().sqlite.rowsWritten).toBe(6);
    expect(usage().kv).toMatchObject({ readUnits: 0, writeUnits: 0, deletes: 0 });
  });

  it("bills deleteAlarm() a row only when an alarm is set, getAlarm() no row", async () => {
    const { stub, usage } = sqliteWorld();
    await stub.alarmReads();
    // setAlarm: 1 row; the first deleteAlarm: 1 row; the second (no alarm): none; getAlarm: none
    expect(usage().sqlite).toMatchObject({ rowsRead: 0, rowsWritten: 2 });
    expect(usage().commits.writes).toBe(2);
  });

  it("bills deleteAll() a row read per key (workerd counts them first), no row written: the database goes whole", async () => {
    const { stub, usage } = sqliteWorld();
    expect(await stub.fillThenDeleteAll()).toBe(null);
    // put: 3 rows written; setAlarm: 1; deleteAll: SELECT count(*) FROM _cf_KV reads the 3 keys; getAlarm: none
    expect(usage().sqlite).toMatchObject({ rowsRead: 3, rowsWritten: 4 });
  });

  it("bills deleteAll() the same rows when it keeps the alarm (delete_all_preserves_alarm)", async () => {
    const { stub, usage } = sqliteWorld(PRESERVES_ALARM);
    expect(await stub.fillThenDeleteAll()).not.toBe(null);
    expect(usage().sqlite).toMatchObject({ rowsRead: 3, rowsWritten: 4 });
  });

  it("bills the rows of a transaction that rolled back: its statements ran", async () => {
    const { stub, usage } = sqliteWorld();
    await stub.put("r", 1);
    await stub.rolledBackTransaction("rollback");
    // put r: 1 written; txn get r: 1 read; t1, t2: 2 written; delete r: 1 read + 1 written;
    // setAlarm: 1 written; outside: 1 written (inside the savepoint on SQLite, undone with it)
    expect(usage().sqlite).toMatchObject({ rowsRead: 2, rowsWritten: 6 });
    expect(usage().commits.writes).toBe(1);
  });

  it("bills ctx.storage.kv the same way", async () => {
    const { stub, usage } = sqliteWorld();
    expect(await stub.syncKv()).toBe(1);
    // puts: 2 written; get found: 1 read; delete found: 1 read + 1 written; list: 1 read
    expect(usage().sqlite).toMatchObject({ rowsRead: 3, rowsWritten: 3 });
  });

  it("reports the database's size as sql.databaseSize does", async () => {
    const { stub, usage } = sqliteWorld();
    await stub.sql("CREATE TABLE t (v)");
    await stub.sql("INSERT INTO t VALUES (?)", "x".repeat(10_000));
    const size = await stub.databaseSize();
    expect(size).toBeGreaterThan(10_000);
    expect(usage().sqlite.databaseBytes).toBe(size);
  });
});

describe("usage: commits, coalescing and the gates", () => {
  for (const [backend, world] of [
    ["KV", kvWorld],
    ["SQLite", sqliteWorld],
  ] as const) {
    it(`${backend}: writes in one turn coalesce into one commit, which the result waits for`, async () => {
      const { stub, usage } = world();
      await stub.fiveWrites();
      expect(usage().commits).toEqual({ count: 1, writes: 5, largest: 5, rolledBack: 0 });
      expect(usage().gates.outputWaits).toBe(1);
      await stub.writesAcrossTurns();
      expect(usage().commits).toEqual({ count: 3, writes: 7, largest: 5, rolledBack: 0 });
    });
  }

  for (const [backend, world] of [
    ["KV", kvWorld],
    ["SQLite", sqliteWorld],
  ] as const) {
    it(`${backend}: writes of a transaction that rolled back never reach a commit`, async () => {
      const { stub, usage } = world();
      await stub.transactions();
      // Of five writes, "kept" and "after" are the only ones committed.
      expect(usage().commits).toMatchObject({ writes: 2 });
    });
  }

  it("SQLite: writes an inner transactionSync() rolled back never reach a commit", async () => {
    const { stub, usage } = sqliteWorld();
    await stub.syncTransactions();
    expect(usage().commits).toEqual({ count: 1, writes: 1, largest: 1, rolledBack: 0 });
  });

  it("totals a namespace's objects: counters add up, the largest commit is the largest of any", async () => {
    const { emu, stub } = kvWorld();
    const other = (emu.env.NS as AnyStub).getByName("other");
    await stub.fiveWrites(); // one commit of 5 writes: 5 write units, 1 output wait
    await other.put("k", 1); // one commit of 1 write: 1 write unit, 1 output wait
    await other.get("k"); // 1 read unit
    const totals = emu.usage(emu.env.NS);
    expect(totals.commits).toEqual({ count: 2, writes: 6, largest: 5, rolledBack: 0 });
    expect(totals.kv).toMatchObject({ readUnits: 1, writeUnits: 6, keys: 6 });
    expect(totals.requests).toMatchObject({ rpc: 3, billed: 3 });
    expect(totals.gates.outputWaits).toBe(2);
  });

  it("an unconfirmed write does not hold the result", async () => {
    const { stub, usage } = kvWorld();
    await stub.unconfirmed();
    expect(usage().gates.outputWaits).toBe(0);
    expect(usage().commits.count).toBe(0); // the result did not wait for the commit...
    await new Promise((resolve) => setImmediate(resolve));
    expect(usage().commits.count).toBe(1); // ...which followed at the end of the turn
  });

  it("counts a failed commit as rolled back and the reset it causes", async () => {
    const { emu, stub, usage } = kvWorld();
    emu.failNextCommit(stub);
    await expect(stub.fiveWrites()).rejects.toThrow();
    expect(usage().commits).toEqual({ count: 0, writes: 0, largest: 0, rolledBack: 1 });
    expect(usage().resets).toBe(1);
  });

  it("measures how long events queued behind a locked gate, on the emulator's clock", async () => {
    let release!: () => void;
    class Slow extends DurableObject {
      constructor(ctx: AnyStub, env: unknown) {
        super(ctx, env);
        void ctx.blockConcurrencyWhile(() => new Promise<void>((resolve) => (release = resolve)));
      }
      ping() {
        return "pong";
      }
    }
    const emu = emulator({ module: { Slow }, durableObjects: { NS: "Slow" }, clock: "manual" });
    const stub = (emu.env.NS as AnyStub).getByName("s");
    const first = stub.ping();
    const second = stub.ping();
    await new Promise((resolve) => setImmediate(resolve));
    await emu.advanceTime(3_000);
    release();
    expect(await Promise.all([first, second])).toEqual(["pong", "pong"]);
    expect(emu.usage(stub).gates).toEqual({ outputWaits: 0, queuedEvents: 2, queuedMs: 6_000 });
    await stub.ping(); // the gate is free: no wait
    expect(emu.usage(stub).gates.queuedEvents).toBe(2);
  });
});

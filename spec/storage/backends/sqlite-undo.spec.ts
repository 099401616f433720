/**
 * Restoring a SQLite-backed object's snapshot, as per-test isolation does after every test: a
 * test's KV and alarm writes are undone in place (the database is not reloaded), and whatever
 * the journal cannot undo exactly (SQL writes, DDL, deleteAll, a new KV table, statistics)
 * loads the snapshot's file. Either way the object must be exactly as it was: KV entries, alarm,
 * schema, rows and `databaseSize`.
 */
import { describe, expect, it } from "vitest";
import { loadSqlEngine } from "../../../lib/sqlite/engine.js";
import { SqliteBackend } from "../../../lib/storage/backends/sqlite.js";
import { DurableObject } from "../../../lib/modules/workers.js";
import { type AnyStub, emulator } from "../../helpers.js";

type Storage = { sql: any; [method: string]: any };

class Store extends DurableObject {
  get storage(): Storage {
    return (this.ctx as unknown as { storage: Storage }).storage;
  }
  alarm() {}
  /** Everything a test could observe of the storage. */
  async fingerprint() {
    const storage = this.storage;
    const schema = storage.sql.exec("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE '_cf_%' ORDER BY name").toArray();
    const rows: Record<string, unknown[]> = {};
    for (const { name } of schema.filter((entry: { type: string }) => entry.type === "table")) {
      rows[name] = storage.sql.exec(`SELECT * FROM "${name}"${name === "sqlite_stat1" ? "" : " ORDER BY rowid"}`).toArray();
    }
    return { kv: [...(await storage.list())], alarm: await storage.getAlarm(), schema, rows, size: storage.sql.databaseSize };
  }
  async fill(count: number) {
    const entries: Record<string, unknown> = {};
    for (let i = 0; i < count; i++) entries[`key-${String(i).padStart(4, "0")}`] = { n: i, text: "x".repeat(40) };
    for (let i = 0; i < count; i += 128) {
      await this.storage.put(Object.fromEntries(Object.entries(entries).slice(i, i + 128)));
    }
    this.storage.sql.exec("CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY AUTOINCREMENT, label TEXT)");
    this.storage.sql.exec("INSERT INTO items (label) VALUES ('first'), ('second')");
    await this.storage.setAlarm(1_000_000);
  }
  /** One kind of change a test might make. */
  async change(kind: string): Promise<void> {
    await this.#change(kind);
  }

  async #change(kind: string): Promise<unknown> {
    const storage = this.storage;
    switch (kind) {
      case "update a key":
        return storage.put("key-0001", { n: -1 });
      case "add and delete keys":
        await storage.put({ "new-a": 1, "new-b": "x".repeat(3000) });
        return storage.delete(["key-0002", "key-0003"]);
      case "sync KV":
        storage.kv.put("key-0004", "sync");
        return storage.kv.delete("key-0005");
      case "set the alarm":
        return storage.setAlarm(2_000_000);
      case "delete the alarm":
        return storage.deleteAlarm();
      case "write many keys":
        for (let i = 0; i < 1_200; i += 200) {
          await storage.put(Object.fromEntries(Array.from({ length: 200 }, (_, j) => [`many-${i + j}`, i + j])));
        }
        return;
      case "SQL insert":
        return storage.sql.exec("INSERT INTO items (label) VALUES ('third')");
      case "SQL update through a KV write's batch":
        await storage.put("key-0006", 6);
        return storage.sql.exec("UPDATE items SET label = 'changed' WHERE id = 1");
      case "DDL":
        storage.sql.exec("CREATE TABLE extra (x)");
        return storage.sql.exec("CREATE INDEX items_label ON items (label)");
      case "drop a table":
        return storage.sql.exec("DROP TABLE items");
      case "statistics":
        return storage.sql.exec("ANALYZE");
      case "deleteAll":
        return storage.deleteAll();
      case "a transaction that rolls back, then a write":
        await storage.transaction(async (txn: Storage) => {
          await txn.put("key-0007", "in txn");
          txn.rollback();
        });
        return storage.put("key-0008", 8);
      default:
        throw new Error(`unknown change ${kind}`);
    }
  }
}

const KINDS = [
  "update a key",
  "add and delete keys",
  "sync KV",
  "set the alarm",
  "delete the alarm",
  "write many keys",
  "SQL insert",
  "SQL update through a KV write's batch",
  "DDL",
  "drop a table",
  "statistics",
  "deleteAll",
  "a transaction that rolls back, then a write",
];

/** An emulator with one SQLite-backed object holding `keys` keys, a table of two rows and an alarm. */
async function filledObject(keys: number): Promise<{ emu: ReturnType<typeof emulator>; stub: AnyStub }> {
  const emu = emulator({ module: { Store }, durableObjects: { NS: { className: "Store", sqlite: true } }, clock: "manual" });
  const stub: AnyStub = emu.env.NS.getByName("a");
  await stub.fill(keys);
  return { emu, stub };
}

describe("restoring a SQLite-backed object's snapshot", () => {
  it("puts back exactly what each kind of change altered, cycle after cycle (as per-test isolation does)", async () => {
    const { emu, stub } = await filledObject(100);
    const base = await stub.fingerprint();
    const snapshot = await emu.snapshot();
    // Twice round, each change alone and then after the others were undone: a restore by undo
    // must leave the journal ready for the next test.
    for (const kind of [...KINDS, ...KINDS]) {
      await stub.change(kind);
      expect(await stub.fingerprint(), `changed by "${kind}"`).not.toEqual(base);
      await emu.restore(snapshot);
      expect(await stub.fingerprint(), `after undoing "${kind}"`).toEqual(base);
    }
    await emu.dispose();
  });

  it("puts statistics back that ANALYZE rewrote without changing a row (it counts none)", async () => {
    const { emu, stub } = await filledObject(10);
    await stub.change("DDL");
    await stub.change("statistics");
    await stub.change("SQL insert"); // after ANALYZE: the statistics are stale when the snapshot is taken
    const base = await stub.fingerprint();
    const snapshot = await emu.snapshot();
    await stub.change("update a key");
    await stub.change("statistics");
    expect((await stub.fingerprint()).rows.sqlite_stat1).not.toEqual(base.rows.sqlite_stat1);
    await emu.restore(snapshot);
    expect(await stub.fingerprint()).toEqual(base);
    await emu.dispose();
  });

  it("keeps a suite's snapshot and a test's apart (nested, restored out of order)", async () => {
    const { emu, stub } = await filledObject(50);
    const suite = await emu.snapshot();
    const suiteState = await stub.fingerprint();
    await stub.change("update a key");
    const test = await emu.snapshot();
    const testState = await stub.fingerprint();
    await stub.change("add and delete keys");
    await emu.restore(test);
    expect(await stub.fingerprint()).toEqual(testState);
    await stub.change("set the alarm");
    await emu.restore(suite);
    expect(await stub.fingerprint()).toEqual(suiteState);
    await emu.restore(test);
    expect(await stub.fingerprint()).toEqual(testState);
    await emu.dispose();
  });

  it("undoes KV writes in place, without reloading the database file", async () => {
    await loadSqlEngine();
    const backend = new SqliteBackend();
    const value = (n: number) => new Uint8Array([n]);
    backend.begin();
    for (let i = 0; i < 1_000; i++) backend.put(`key-${i}`, value(i % 256));
    backend.setAlarm(1_000);
    backend.commit();
    const snapshot = backend.snapshot();
    const opens = backend.connection.opens;
    for (let test = 0; test < 3; test++) {
      backend.begin();
      backend.put("key-1", value(99));
      backend.put("added", value(1));
      backend.setAlarm(5_000);
      backend.commit();
      backend.restore(snapshot);
      expect([backend.get("key-1"), backend.get("added"), backend.getAlarm()]).toEqual([value(1), undefined, 1_000]);
    }
    expect(backend.connection.opens).toBe(opens);
    backend.close();
  });
});

import { describe, expect, it } from "vitest";
import { openDatabaseCount, setOpenDatabaseLimit } from "../../../lib/sqlite/connection-pool.js";
import { SqliteBackend } from "../../../lib/storage/backends/sqlite.js";
import { thrown } from "../../helpers.js";
import { sqliteStorage } from "../api/sql-fixture.js";

const bytes = (...values: number[]) => new Uint8Array(values);

function backendWith(keys: string[]) {
  const backend = new SqliteBackend();
  backend.begin();
  keys.forEach((key, i) => backend.put(key, bytes(i)));
  backend.commit();
  return backend;
}

describe("SqliteBackend: a transaction SQLite ended itself", () => {
  it("rolls back a batch whose transaction a trigger's RAISE(ROLLBACK) already ended, instead of throwing", () => {
    const { backend, sql, commit } = sqliteStorage();
    sql.exec("CREATE TABLE t(x); CREATE TRIGGER r BEFORE INSERT ON t WHEN new.x = 3 BEGIN SELECT raise(ROLLBACK, 'three'); END");
    commit();
    expect(() => sql.exec("INSERT INTO t VALUES (3)")).toThrow("three");
    expect(backend.inBatch).toBe(true);
    expect(() => backend.commit()).toThrow("cannot commit - no transaction is active: SQLITE_ERROR");
    expect(backend.inBatch).toBe(false);
  });
});

describe("SqliteBackend: a critical SQLite error", () => {
  it("fails the commit with that error, flagged as a reset, though the code caught it", () => {
    const { backend, sql, commit } = sqliteStorage();
    sql.exec("CREATE TABLE a(id INTEGER PRIMARY KEY AUTOINCREMENT); INSERT INTO a VALUES (9223372036854775807)");
    commit();
    expect(() => sql.exec("INSERT INTO a DEFAULT VALUES")).toThrow("database or disk is full: SQLITE_FULL");
    const error = thrown(() => backend.commit()) as Error & { durableObjectReset?: boolean };
    expect([error.message, error.durableObjectReset]).toEqual(["database or disk is full: SQLITE_FULL", true]);
    // A later batch starts clean.
    sql.exec("DELETE FROM a");
    expect(() => commit()).not.toThrow();
  });
});

describe("SqliteBackend: KV", () => {
  it("stores entries in workerd's _cf_KV table, created on first write", () => {
    const { backend, sql } = sqliteStorage();
    expect(sql.exec("SELECT name FROM sqlite_master").toArray()).toEqual([]);
    backend.begin();
    backend.put("k", bytes(1, 2));
    const table = backend.connection.database().exec("SELECT sql FROM sqlite_master WHERE name = '_cf_KV'");
    expect(table[0]!.values[0]![0]).toBe("CREATE TABLE _cf_KV (\n        key TEXT PRIMARY KEY,\n        value BLOB\n      ) WITHOUT ROWID");
    expect(backend.get("k")).toEqual(bytes(1, 2));
    expect(backend.get("missing")).toBeUndefined();
  });

  it("lists in UTF-8 byte order with ranges, reverse and limit", () => {
    const keys = ["😀", "｡", "é", "aa", "a\u0000", "a", "B", ""];
    const backend = backendWith(keys);
    const order = ["", "B", "a", "a\u0000", "aa", "é", "｡", "😀"];
    expect(backend.list({}).map(([k]) => k)).toEqual(order);
    expect(backend.list({ start: "a", end: "é" }).map(([k]) => k)).toEqual(["a", "a\u0000", "aa"]);
    expect(backend.list({ reverse: true, limit: 2 }).map(([k]) => k)).toEqual(["😀", "｡"]);
    expect(backend.list({ limit: 0 })).toEqual([]);
  });

  it("delete() tells whether the key existed", () => {
    const backend = backendWith(["a"]);
    backend.begin();
    expect(backend.delete("a")).toBe(true);
    expect(backend.delete("a")).toBe(false);
    backend.commit();
  });

  it("commits when one of durasim's own cached statements is still in progress", () => {
    // What a stack overflow between a write's step and its reset leaves (see #commitStatement):
    // a writing statement half stepped, which COMMIT alone refuses.
    const backend = new SqliteBackend();
    backend.begin();
    backend.put("a", bytes(1));
    const statement = backend.connection.cached("INSERT INTO _cf_KV VALUES ('b', x'02') RETURNING key");
    expect(statement.step()).toBe(true);
    backend.commit();
    expect(backend.get("a")).toEqual(bytes(1));
    expect(backend.get("b")).toEqual(bytes(2));
  });

  it("refuses writes outside a batch", () => {
    const backend = new SqliteBackend();
    expect(thrown(() => backend.put("a", bytes())).message).toMatch(/outside a batch/);
  });
});

describe("SqliteBackend: alarm", () => {
  it("stores the alarm as INTEGER nanoseconds in _cf_METADATA key 1", () => {
    const backend = new SqliteBackend();
    backend.begin();
    expect(backend.getAlarm()).toBeNull();
    backend.setAlarm(4102444800000);
    expect(backend.getAlarm()).toBe(4102444800000);
    const row = backend.connection.database().exec("SELECT key, typeof(value), CAST(value AS TEXT) FROM _cf_METADATA");
    expect(row[0]!.values).toEqual([[1, "integer", "4102444800000000000"]]);
    backend.setAlarm(null);
    expect(backend.getAlarm()).toBeNull();
    backend.commit();
  });
});

describe("SqliteBackend: batches", () => {
  it("rolls back KV, alarm and SQL writes together", () => {
    const { backend, sql, commit } = sqliteStorage();
    sql.exec("CREATE TABLE t(a)");
    commit();
    backend.begin();
    backend.put("k", bytes(1));
    backend.setAlarm(1000);
    sql.exec("INSERT INTO t VALUES (1)");
    backend.rollback();
    expect(backend.get("k")).toBeUndefined();
    expect(backend.getAlarm()).toBeNull();
    expect(sql.exec("SELECT count(*) AS n FROM t").one()).toEqual({ n: 0 });
  });

  it("nests savepoints; rollbackTo keeps outer writes, release after it is harmless", () => {
    const backend = new SqliteBackend();
    backend.begin();
    backend.put("outer", bytes(1));
    const outer = backend.savepoint();
    backend.put("middle", bytes(2));
    const inner = backend.savepoint();
    backend.put("inner", bytes(3));
    backend.rollbackTo(inner);
    backend.release(inner);
    backend.release(outer);
    backend.commit();
    expect(backend.list({}).map(([k]) => k)).toEqual(["middle", "outer"]);
  });

  it("commit() throws workerd's message and undoes the batch when a deferred foreign key fails", () => {
    const { backend, sql, commit } = sqliteStorage();
    sql.exec("CREATE TABLE p(id INTEGER PRIMARY KEY); CREATE TABLE c(pid REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED)");
    commit();
    backend.begin();
    backend.put("k", bytes(1));
    sql.exec("INSERT INTO c VALUES (5)");
    expect(thrown(() => backend.commit()).message).toBe(
      "FOREIGN KEY constraint failed: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_FOREIGNKEY)",
    );
    expect(backend.inBatch).toBe(false);
    expect(backend.get("k")).toBeUndefined();
    expect(sql.exec("SELECT count(*) AS n FROM c").one()).toEqual({ n: 0 });
  });

  it("commit() fails while a writing statement is still in progress", () => {
    const { backend, sql } = sqliteStorage();
    sql.exec("CREATE TABLE t(a)");
    const cursor = sql.exec("INSERT INTO t VALUES (1), (2) RETURNING a");
    cursor.next();
    expect(thrown(() => backend.commit()).message).toBe(
      "cannot commit transaction - SQL statements in progress: SQLITE_BUSY",
    );
  });

  it("commit() names the result code SQLite's message stands for (a damaged file's SQLITE_CORRUPT or SQLITE_NOTADB, not SQLITE_ERROR) and undoes the batch", () => {
    // No statement durasim lets code run makes COMMIT read pages (auto_vacuum is refused), so
    // COMMIT is made to meet the damage as a file whose pages went bad under it would.
    for (const [finding, code] of [
      ["database disk image is malformed", "SQLITE_CORRUPT"],
      ["malformed database schema (t)", "SQLITE_CORRUPT"],
      ["file is not a database", "SQLITE_NOTADB"],
      ["disk I/O error", "SQLITE_IOERR"],
      ["SQL logic error", "SQLITE_ERROR"],
      // The extended code is the one SQLite recorded, which here is no foreign key's.
      ["FOREIGN KEY constraint failed", "SQLITE_CONSTRAINT"],
    ]) {
      const { backend, sql, commit } = sqliteStorage();
      sql.exec("CREATE TABLE t(a)");
      commit();
      const database = backend.connection.database();
      const exec = database.exec.bind(database);
      database.exec = (text: string, ...rest: unknown[]) => {
        if (text === "COMMIT") throw new Error(finding);
        return exec(text, ...(rest as []));
      };
      backend.begin();
      backend.put("k", bytes(1));
      sql.exec("INSERT INTO t VALUES (1)");
      expect(thrown(() => backend.commit()).message).toBe(`${finding}: ${code}`);
      database.exec = exec;
      expect([backend.inBatch, backend.get("k"), sql.exec("SELECT count(*) AS n FROM t").one()]).toEqual([false, undefined, { n: 0 }]);
    }
  });

  it("recovers after that failure: the abandoned statement ends and later batches commit", () => {
    const { backend, sql, commit } = sqliteStorage();
    sql.exec("CREATE TABLE t(a)");
    commit();
    const cursor = sql.exec("INSERT INTO t VALUES (1), (2) RETURNING a");
    cursor.next();
    thrown(() => backend.commit());
    expect(sql.exec("SELECT count(*) AS n FROM t").one()).toEqual({ n: 0 });
    commit();
    expect(backend.inBatch).toBe(false);
  });
});

describe("SqliteBackend: deleteAll", () => {
  it("wipes tables, KV and alarm", () => {
    const { backend, sql, commit } = sqliteStorage();
    sql.exec("CREATE TABLE t(a); INSERT INTO t VALUES (1)");
    backend.put("k", bytes(1));
    backend.setAlarm(5000);
    backend.deleteAll();
    commit();
    expect(sql.exec("SELECT name FROM sqlite_master").toArray()).toEqual([]);
    expect(backend.get("k")).toBeUndefined();
    expect(backend.getAlarm()).toBeNull();
  });

  it("is durable, as workerd recreates the file: rollback keeps the wipe and undoes the writes after it, which join the batch", () => {
    const { backend, sql, commit } = sqliteStorage();
    sql.exec("CREATE TABLE t(a); INSERT INTO t VALUES (1)");
    backend.put("k", bytes(1));
    commit();
    backend.begin();
    backend.put("before", bytes(2));
    backend.deleteAll();
    backend.put("after", bytes(3));
    backend.rollback();
    expect(backend.list({})).toEqual([]);
    expect(() => sql.exec("SELECT a FROM t").toArray()).toThrow("no such table: t");
    commit();
    backend.begin();
    backend.deleteAll();
    backend.put("after", bytes(3));
    backend.commit();
    expect(backend.list({}).map(([k]) => k)).toEqual(["after"]);
  });
});

describe("SqliteBackend: snapshot and restore", () => {
  it("exports committed bytes and restores them", () => {
    const { backend, sql, commit } = sqliteStorage();
    sql.exec("CREATE TABLE t(a); INSERT INTO t VALUES (1)");
    backend.put("k", bytes(1));
    commit();
    const snapshot = backend.snapshot();
    const file = backend.fileBytes();
    backend.begin();
    backend.deleteAll();
    backend.commit();
    backend.restore(snapshot);
    expect(backend.get("k")).toEqual(bytes(1));
    expect(sql.exec("SELECT a FROM t").one()).toEqual({ a: 1 });
    const copy = new SqliteBackend(file);
    expect(copy.get("k")).toEqual(bytes(1));
  });
});

describe("connection pool", () => {
  it("parks idle databases and reopens them on demand, never holding more open than the limit", () => {
    // The pool is what lets an emulator hold more objects than sql.js's ~4,093 open databases:
    // with a limit of 50, six times as many databases each get parked and reopened with their
    // data, and no more than 50 are ever open. (Thousands of databases prove nothing more and
    // cost seconds of CPU.)
    setOpenDatabaseLimit(50);
    const openBefore = openDatabaseCount();
    try {
      const backends = Array.from({ length: 300 }, (_, i) => backendWith([`key${i}`]));
      expect(openDatabaseCount()).toBe(50);
      backends.forEach((backend, i) => {
        expect(backend.list({})).toEqual([[`key${i}`, bytes(0)]]);
        expect(openDatabaseCount()).toBeLessThanOrEqual(50);
      });
      backends.forEach((backend) => backend.close());
      expect(openDatabaseCount()).toBeLessThanOrEqual(openBefore);
    } finally {
      setOpenDatabaseLimit(1000);
    }
  });

  it("never parks a database with an open batch or a live cursor, and replays connection PRAGMAs", () => {
    setOpenDatabaseLimit(1);
    try {
      const busy = sqliteStorage();
      busy.sql.exec("CREATE TABLE t(a); INSERT INTO t VALUES (1), (2)");
      busy.sql.exec("PRAGMA case_sensitive_like = ON");
      busy.commit();
      const cursor = busy.sql.exec("SELECT a FROM t");
      busy.commit();
      const other = backendWith(["x"]);
      expect(other.get("x")).toEqual(bytes(0));
      expect(cursor.toArray()).toEqual([{ a: 1 }, { a: 2 }]);
      other.get("x"); // parks `busy`, now idle
      expect(busy.sql.exec("SELECT 'a' LIKE 'A' AS same").one()).toEqual({ same: 0 });
    } finally {
      setOpenDatabaseLimit(1000);
    }
  });

  it("parks a database whose multi-statement texts left reads busy: workerd's statement cache holds them as long as the object lives, not a cursor", () => {
    setOpenDatabaseLimit(2);
    const openBefore = openDatabaseCount();
    const storages: ReturnType<typeof sqliteStorage>[] = [];
    try {
      for (let i = 0; i < 6; i++) {
        const storage = sqliteStorage();
        storages.push(storage);
        storage.sql.exec("CREATE TABLE t(a); INSERT INTO t VALUES (1), (2)");
        storage.commit();
        expect(storage.sql.exec("SELECT a FROM t; SELECT count(*) AS n FROM t; SELECT 1 AS one").one()).toEqual({ one: 1 });
        expect(openDatabaseCount()).toBeLessThanOrEqual(2);
      }
      // Each reopens with its rows, and its text runs again.
      for (const { sql } of storages) {
        expect(sql.exec("SELECT count(*) AS n FROM t").one()).toEqual({ n: 2 });
        expect(sql.exec("SELECT a FROM t; SELECT count(*) AS n FROM t; SELECT 1 AS one").one()).toEqual({ one: 1 });
      }
    } finally {
      storages.forEach(({ backend }) => backend.close());
      setOpenDatabaseLimit(1000);
    }
    expect(openDatabaseCount()).toBeLessThanOrEqual(openBefore);
  });
});

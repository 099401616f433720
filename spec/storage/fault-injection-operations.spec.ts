/**
 * emu.failNextCommit() on one operation of many parts: a put() of many keys, a deleteAll() (which
 * deletes the alarm too), a multi-statement exec(), a transaction(). The caller gets the reset
 * error, the object resets (a field of the instance is gone), and none of the operation's parts
 * reaches the next instance: all or nothing, on both backends. The one exception is workerd's:
 * a SQLite-backed object's deleteAll() takes effect at once, outside the commit, so the wipe
 * (alarm included) outlives the failed commit, as it outlives a reset later in the same call
 * (conformance "storage interplay"). (The randomised workloads are fault-injection.spec.ts.)
 */
import { describe, expect, it } from "vitest";
import { DurableObject } from "../../lib/modules/workers.js";
import { type AnyStub, emulator, rejection } from "../helpers.js";

class Parts extends DurableObject {
  declare ctx: { storage: any };
  calls = 0;
  alarm() {}
  async seed() {
    this.calls++;
    await this.ctx.storage.put(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`seed-${i}`, i])));
    await this.ctx.storage.setAlarm(Date.now() + 3_600_000);
    return this.calls;
  }
  async putMany() {
    this.calls++;
    await this.ctx.storage.put(Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`many-${i}`, i])));
  }
  async deleteAll() {
    this.calls++;
    await this.ctx.storage.deleteAll();
  }
  async transaction() {
    this.calls++;
    await this.ctx.storage.transaction(async (txn: any) => {
      await txn.delete("seed-0");
      for (let i = 0; i < 20; i++) await txn.put(`txn-${i}`, i);
      await txn.deleteAlarm();
    });
  }
  exec() {
    this.calls++;
    this.ctx.storage.sql.exec("CREATE TABLE t (a); INSERT INTO t VALUES (1); CREATE INDEX i ON t (a); INSERT INTO t VALUES (2); INSERT INTO t VALUES (3)");
  }
  /** What the object holds: its keys (by prefix), its alarm, its tables; and the instance's call count. */
  async state() {
    const prefixes: Record<string, number> = {};
    for (const key of (await this.ctx.storage.list()).keys()) prefixes[key.split("-")[0]] = (prefixes[key.split("-")[0]] ?? 0) + 1;
    let tables: string[] = [];
    try {
      tables = this.ctx.storage.sql.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '_cf_%'").toArray().map((row: { name: string }) => row.name);
    } catch {
      // KV-backed: no SQL.
    }
    return { keys: prefixes, alarm: (await this.ctx.storage.getAlarm()) !== null, tables, calls: this.calls };
  }
}

const RESET = "Internal error in Durable Object storage write caused object to be reset.";

describe("emu.failNextCommit() on an operation of many parts", () => {
  for (const backend of ["KV-backed", "SQLite-backed"] as const) {
    const operations = ["putMany", "deleteAll", "transaction", ...(backend === "SQLite-backed" ? ["exec"] : [])];
    for (const operation of operations) {
      const wipesAtOnce = backend === "SQLite-backed" && operation === "deleteAll";
      it(`${backend}: ${operation}() fails with the reset error and ${wipesAtOnce ? "its wipe, made at once, stays" : "none of its parts lands"}`, async () => {
        const emu = emulator({ module: { Parts }, durableObjects: { NS: { className: "Parts", sqlite: backend === "SQLite-backed" } } });
        const stub = (emu.env.NS as AnyStub).getByName("a");
        expect(await stub.seed()).toBe(1);
        const before = await stub.state();
        emu.failNextCommit(stub);
        const error = await rejection(stub[operation]());
        expect({ message: error.message, durableObjectReset: error.durableObjectReset }).toEqual({ message: RESET, durableObjectReset: true });
        // The stub saw its object reset: it stays broken, as in production.
        expect((await rejection(stub.state())).message).toBe(RESET);
        // A new stub reaches a new instance (its count starts again), on the storage as it was (or wiped).
        const after = wipesAtOnce ? { keys: {}, alarm: false, tables: [] } : before;
        expect(await (emu.env.NS as AnyStub).getByName("a").state()).toEqual({ ...after, calls: 0 });
      });
    }
  }
});

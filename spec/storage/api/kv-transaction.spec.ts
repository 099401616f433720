/**
 * `ctx.storage.transaction()` on the KV backend, driven through a Durable Object's RPC methods.
 * On this backend only operations on `txn` are transactional. Error messages were checked
 * against workerd (`inMemory` storage).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Emulator } from "../../../lib/index.js";
import type { DurableObjectStorage } from "../../../lib/storage/api/storage.js";
import type { DurableObjectTransaction } from "../../../lib/storage/api/transaction.js";
import { DurableObject } from "../../../lib/modules/workers.js";

type Outcome = { name: string; message: string } | "ok";

/** Runs `op` and records how it ended, so several failures can be asserted at once. */
async function outcome(op: () => unknown): Promise<Outcome> {
  try {
    await op();
    return "ok";
  } catch (error) {
    const { name, message } = error as Error;
    return { name, message };
  }
}

/** Calls each storage operation once on `txn`, with valid arguments. */
async function everyOperation(txn: DurableObjectTransaction): Promise<Record<string, Outcome>> {
  return {
    get: await outcome(() => txn.get("k")),
    put: await outcome(() => txn.put("k", 1)),
    delete: await outcome(() => txn.delete("k")),
    list: await outcome(() => txn.list()),
    getAlarm: await outcome(() => txn.getAlarm()),
    setAlarm: await outcome(() => txn.setAlarm(Date.now() + 3_600_000)),
    deleteAlarm: await outcome(() => txn.deleteAlarm()),
  };
}

class TxnStore extends DurableObject {
  #note: string | undefined;

  get storage(): DurableObjectStorage {
    return (this.ctx as { storage: DurableObjectStorage }).storage;
  }

  putEntries(entries: Record<string, unknown>) {
    return this.storage.put(entries);
  }
  async list() {
    return this.storage.list();
  }
  getAlarm() {
    return this.storage.getAlarm();
  }
  alarm() {}

  /** In-memory state, which survives only while the object is not reset. */
  setNote(note: string) {
    this.#note = note;
  }
  note() {
    return this.#note;
  }

  putInTransaction(entries: Record<string, unknown>, result: unknown) {
    return this.storage.transaction(async (txn) => {
      await txn.put(entries);
      return result;
    });
  }

  failingTransaction() {
    return this.storage.transaction(async (txn) => {
      await txn.put("written in txn", 1);
      await txn.setAlarm(Date.now() + 3_600_000);
      throw new Error("tboom");
    });
  }

  setAlarmInTransaction(time: number) {
    return this.storage.transaction((txn) => txn.setAlarm(time));
  }

  rollBackTwiceThenUse() {
    return this.storage.transaction(async (txn) => {
      await txn.put("rolled back", 1);
      txn.rollback();
      txn.rollback();
      return everyOperation(txn);
    });
  }

  async useTxnAfterClosure() {
    let leaked: DurableObjectTransaction | undefined;
    await this.storage.transaction(async (txn) => {
      leaked = txn;
    });
    return { ...(await everyOperation(leaked!)), rollback: await outcome(() => leaked!.rollback()) };
  }

  async rollbackAfterRollbackOutsideClosure() {
    let leaked: DurableObjectTransaction | undefined;
    await this.storage.transaction(async (txn) => {
      leaked = txn;
      txn.rollback();
    });
    return { rollback: await outcome(() => leaked!.rollback()), get: await outcome(() => leaked!.get("k")) };
  }

  deleteAllInTransaction() {
    return this.storage.transaction((txn) => txn.deleteAll());
  }

  /** Over stored a..f: deletes a and d, adds bb, overwrites c, then reads through txn. */
  readYourWrites() {
    return this.storage.transaction(async (txn) => {
      await txn.delete(["a", "d"]);
      await txn.put({ bb: "txn", c: "txn" });
      const keys = async (options: Parameters<typeof txn.list>[0]) => [...(await txn.list(options)).keys()];
      return {
        getDeleted: await txn.get("a"),
        getOverwritten: await txn.get("c"),
        getMany: await txn.get(["a", "bb", "c", "d", "e"]),
        list: await txn.list(),
        first3: await keys({ limit: 3 }),
        first1: await keys({ limit: 1 }),
        last2: await keys({ reverse: true, limit: 2 }),
        fromBb: await keys({ start: "bb", limit: 2 }),
        deleteExisted: await txn.delete("b"),
        deleteDeleted: await txn.delete("a"),
      };
    });
  }

  async directWritesInsideClosure() {
    const error = await outcome(() =>
      this.storage.transaction(async (txn) => {
        await this.storage.put("direct", "kept");
        await txn.put("via txn", "rolled back");
        throw new Error("tboom");
      }),
    );
    return { error, stored: await this.storage.list() };
  }

  /** Two transactions started together: the second starts once the first has committed. */
  async concurrentTransactions() {
    const log: string[] = [];
    const run = (name: string) =>
      this.storage.transaction(async (txn) => {
        log.push(`${name} starts`);
        await txn.put(name, 1);
        await new Promise((resolve) => setTimeout(resolve, 5));
        log.push(`${name} sees ${[...(await txn.list()).keys()].join(",")}`);
      });
    await Promise.all([run("A"), run("B")]);
    return log;
  }

  /** A transaction started inside another one's closure commits on its own, straight to storage. */
  nestedTransactions() {
    return this.storage.transaction(async (outer) => {
      await outer.put("outer", 1);
      const inner = await this.storage.transaction(async (txn) => {
        await txn.put("inner", 1);
        return { innerSeesOuter: await txn.get("outer") };
      });
      const failed = await outcome(() =>
        this.storage.transaction(async (txn) => {
          await txn.put("failed inner", 1);
          throw new Error("inner failed");
        }),
      );
      return { ...inner, failed, outerSeesInner: await outer.get("inner") };
    });
  }

  directReadsInsideClosure() {
    return this.storage.transaction(async (txn) => {
      await txn.put("k", "txn value");
      return { direct: await this.storage.get("k"), txn: await txn.get("k") };
    });
  }
}

let emu: Emulator;
let objects = 0;

function freshStore(): TxnStore {
  const namespace = emu.env.TXN as { getByName(name: string): unknown };
  return namespace.getByName(`txn-${++objects}`) as TxnStore;
}

beforeAll(() => {
  emu = new Emulator({ module: { TxnStore }, durableObjects: { TXN: "TxnStore" } });
});

afterAll(async () => {
  await emu.dispose();
});

const IN_AN_HOUR = () => Date.now() + 3_600_000;

describe("transaction() on the KV backend", () => {
  it("commits txn writes when the closure resolves, and returns the closure's value", async () => {
    const store = freshStore();
    expect(await store.putInTransaction({ a: 1, b: 2 }, { result: "value" })).toEqual({ result: "value" });
    expect(await store.list()).toEqual(new Map([["a", 1], ["b", 2]]));
  });

  it("commits txn.setAlarm()", async () => {
    const store = freshStore();
    const time = IN_AN_HOUR();
    await store.setAlarmInTransaction(time);
    expect(await store.getAlarm()).toBe(time);
  });

  it("rolls back and rethrows when the closure throws, without resetting the object", async () => {
    const store = freshStore();
    await store.setNote("in memory");
    const error = (await store.failingTransaction().catch((e: unknown) => e)) as Error & Record<string, unknown>;
    expect({ name: error.name, message: error.message, remote: error.remote }).toEqual({
      name: "Error",
      message: "tboom",
      remote: true,
    });
    expect(error.durableObjectReset).toBeUndefined();
    expect(await store.list()).toEqual(new Map());
    expect(await store.getAlarm()).toBeNull();
    // Same instance: its in-memory state is intact, and the stub still works.
    expect(await store.note()).toBe("in memory");
  });

  it("txn.rollback() discards the writes, may be called twice, and makes later operations fail", async () => {
    const store = freshStore();
    const rolledBack = (op: string) => ({ name: "Error", message: `Cannot ${op} on rolled back transaction` });
    expect(await store.rollBackTwiceThenUse()).toEqual({
      get: rolledBack("get()"),
      put: rolledBack("put()"),
      delete: rolledBack("delete()"),
      list: rolledBack("list()"),
      getAlarm: rolledBack("getAlarm()"),
      setAlarm: rolledBack("setAlarm()"),
      deleteAlarm: rolledBack("deleteAlarm()"),
    });
    expect(await store.list()).toEqual(new Map());
  });

  it("a txn used after its closure finished fails, naming the mistake", async () => {
    const leaked = (op: string) => ({
      name: "Error",
      message: `Cannot call ${op} on transaction that has already committed: did you move \`txn\` outside of the closure?`,
    });
    expect(await freshStore().useTxnAfterClosure()).toEqual({
      get: leaked("get()"),
      put: leaked("put()"),
      delete: leaked("delete()"),
      list: leaked("list()"),
      getAlarm: leaked("getAlarm()"),
      setAlarm: leaked("setAlarm()"),
      deleteAlarm: leaked("deleteAlarm()"),
      rollback: leaked("rollback()"),
    });
  });

  it("a rolled-back txn stays rolled back after its closure: rollback() is still a no-op", async () => {
    expect(await freshStore().rollbackAfterRollbackOutsideClosure()).toEqual({
      rollback: "ok",
      get: { name: "Error", message: "Cannot get() on rolled back transaction" },
    });
  });

  it("txn.deleteAll() is not allowed", async () => {
    const store = freshStore();
    const error = (await store.deleteAllInTransaction().catch((e: unknown) => e)) as Error;
    expect({ name: error.name, message: error.message }).toEqual({
      name: "Error",
      message: "Cannot call deleteAll() within a transaction",
    });
  });

  it("reads through txn see the transaction's own writes and deletes", async () => {
    const store = freshStore();
    await store.putEntries({ a: "stored", b: "stored", c: "stored", d: "stored", e: "stored", f: "stored" });
    expect(await store.readYourWrites()).toEqual({
      getDeleted: undefined,
      getOverwritten: "txn",
      getMany: new Map([["bb", "txn"], ["c", "txn"], ["e", "stored"]]),
      list: new Map([["b", "stored"], ["bb", "txn"], ["c", "txn"], ["e", "stored"], ["f", "stored"]]),
      // A limit over pending and stored keys is workerd's ActorCache merge: the pending writes
      // up to `limit` puts, the store listed to `limit` plus the deletes taken, the union not
      // cut back (so "d", deleted but past the writes taken, is listed from the store).
      first3: ["b", "bb", "c", "e"],
      first1: ["b", "bb"],
      last2: ["f", "e", "c", "bb"],
      fromBb: ["bb", "c", "d"],
      deleteExisted: true,
      deleteDeleted: false,
    });
    expect([...((await store.list()) as Map<string, unknown>).keys()]).toEqual(["bb", "c", "e", "f"]);
  });

  it("ctx.storage.put() inside the closure is applied at once and not rolled back", async () => {
    expect(await freshStore().directWritesInsideClosure()).toEqual({
      error: { name: "Error", message: "tboom" },
      stored: new Map([["direct", "kept"]]),
    });
  });

  it("transactions started together run one after the other", async () => {
    expect(await freshStore().concurrentTransactions()).toEqual(["A starts", "A sees A", "B starts", "B sees A,B"]);
  });

  it("a transaction nested in another's closure runs and commits independently", async () => {
    const store = freshStore();
    expect(await store.nestedTransactions()).toEqual({
      innerSeesOuter: undefined,
      failed: { name: "Error", message: "inner failed" },
      outerSeesInner: 1,
    });
    expect(await store.list()).toEqual(new Map([["inner", 1], ["outer", 1]]));
  });

  it("ctx.storage.get() inside the closure does not see the transaction's writes", async () => {
    expect(await freshStore().directReadsInsideClosure()).toEqual({ direct: undefined, txn: "txn value" });
  });

  it("does not hold txn's writes to the key and value size limits, as workerd's KV backend does not", async () => {
    const store = freshStore();
    const bigKey = "k".repeat(2049);
    const bigValue = "x".repeat(131_101);
    expect(await store.putInTransaction({ [bigKey]: 1, big: bigValue }, "committed")).toBe("committed");
    const stored = (await store.list()) as Map<string, unknown>;
    expect(stored.get(bigKey)).toBe(1);
    expect(stored.get("big")).toBe(bigValue);
    // Outside a transaction the same key is still refused.
    expect(await outcome(() => store.putEntries({ [bigKey]: 2 }))).toEqual({
      name: "RangeError",
      message: "Keys cannot be larger than 2048 bytes. A key of size 2049 was provided.",
    });
  });
});

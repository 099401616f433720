import { describe, expect, it } from "vitest";
import { DurableObject } from "../../../lib/modules/workers.js";
import { type AnyStub, emulator } from "../../helpers.js";

/** A promise and its resolver, so the test decides when each piece of object code goes on. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

interface Storage {
  get(key: string): Promise<unknown>;
  put(key: string, value: unknown): Promise<void>;
  transaction<T>(closure: (txn: { put(key: string, value: unknown): Promise<void> }) => Promise<T>): Promise<T>;
}

const gates = { writer: deferred(), txn: deferred(), writerWaiting: deferred(), txnOpen: deferred() };

class Held extends DurableObject {
  get storage(): Storage {
    return (this.ctx as { storage: Storage }).storage;
  }
  /** Waits on I/O of the test's choosing, then writes and returns without awaiting the write. */
  async writeLater() {
    gates.writerWaiting.resolve();
    await gates.writer.promise;
    void this.storage.put("other", "written");
    return "writer done";
  }
  async longTransaction() {
    await this.storage.transaction(async (txn) => {
      await txn.put("inTxn", 1);
      gates.txnOpen.resolve();
      await gates.txn.promise;
    });
    return "transaction done";
  }
  async read(key: string) {
    return this.storage.get(key);
  }
}

describe("the output gate under a transaction that spans turns (SQLite backend)", () => {
  it("holds another event's result until the transaction its writes joined has committed", async () => {
    const emu = emulator({ module: { Held }, durableObjects: { NS: { className: "Held", sqlite: true } } });
    const ns = emu.env.NS as AnyStub;
    const order: string[] = [];
    const writer = ns.getByName("held").writeLater().then((v: string) => order.push(v));
    await gates.writerWaiting.promise;
    const txn = ns.getByName("held").longTransaction().then((v: string) => order.push(v));
    await gates.txnOpen.promise;
    // The writer resumes inside the open transaction and writes; its result may not leave yet.
    gates.writer.resolve();
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    expect(order).toEqual([]);
    gates.txn.resolve();
    await Promise.all([writer, txn]);
    expect(order).toEqual(["transaction done", "writer done"]);
    expect(await ns.getByName("held").read("other")).toBe("written");
  });
});

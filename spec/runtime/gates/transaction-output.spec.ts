import { afterEach, describe, expect, it, vi } from "vitest";
import { DurableObject } from "../../../lib/modules/workers.js";
import { type AnyStub, emulator, until } from "../../helpers.js";

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

/** Events of one object: a writer that resumes after a timer, and a transaction the test ends. */
const timed = { log: [] as string[], timersSet: 0, end: deferred() };

class Timed extends DurableObject {
  get storage(): Storage {
    return (this.ctx as { storage: Storage }).storage;
  }
  async writeAfterTimer() {
    const fired = new Promise((resolve) => setTimeout(resolve, 10));
    timed.timersSet++;
    await fired;
    timed.log.push("writer resumes");
    await this.storage.put("other", "written");
    return "writer done";
  }
  async transact(fail: boolean) {
    try {
      await this.storage.transaction(async (txn) => {
        await txn.put("inTxn", 1);
        // A timer the transaction's own code sets fires while it is open.
        const fired = new Promise((resolve) => setTimeout(resolve, 10));
        timed.timersSet++;
        await fired;
        timed.log.push("transaction's own timer fired");
        await timed.end.promise;
        timed.log.push("transaction ends");
        if (fail) throw new Error("undo");
      });
    } catch {
      return "rolled back";
    }
    return "committed";
  }
  async read(key: string) {
    return this.storage.get(key);
  }
}

describe("another event's timer under a critical section", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  for (const sqlite of [true, false]) {
    it(`fires, but its code resumes only once the transaction has ended, so a rollback leaves its write (${sqlite ? "SQLite" : "KV"} backend)`, async () => {
      // Object code's timers are fake (the test fires them); the test's own turns are real.
      vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
      Object.assign(timed, { log: [], timersSet: 0, end: deferred() });
      const emu = emulator({ module: { Timed }, durableObjects: { NS: { className: "Timed", sqlite } } });
      const stub = (emu.env.NS as AnyStub).getByName("timed");
      // The writer's timer is set first; the transaction opens while it is pending.
      const writer = stub.writeAfterTimer();
      await until(() => timed.timersSet === 1, 200);
      const txn = stub.transact(true);
      await until(() => timed.timersSet === 2, 200);
      // Both timers fire: the transaction's own code goes on, the writer's waits at the gate.
      await vi.advanceTimersByTimeAsync(10);
      await until(() => timed.log.length > 0, 200);
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
      expect(timed.log).toEqual(["transaction's own timer fired"]);
      timed.end.resolve();
      expect(await txn).toBe("rolled back");
      expect(await writer).toBe("writer done");
      expect(timed.log).toEqual(["transaction's own timer fired", "transaction ends", "writer resumes"]);
      expect([await stub.read("inTxn"), await stub.read("other")]).toEqual([undefined, "written"]);
    });
  }
});

/** What the object and its caller saw, in order. */
const confirmed = { log: [] as string[] };

class Confirmed extends DurableObject {
  get storage(): Storage {
    return (this.ctx as { storage: Storage }).storage;
  }
  async write(how: "transaction" | "put") {
    if (how === "transaction") await this.storage.transaction(async (txn) => txn.put("key", how));
    else await this.storage.put("key", how);
    confirmed.log.push(`${how} returns`);
    return how;
  }
  ping() {
    confirmed.log.push("ping behind");
  }
}

describe("a finished transaction's result (SQLite backend)", () => {
  for (const how of ["transaction", "put"] as const) {
    it(`waits for its commit's confirmation, so the event queued behind starts first, as after a put() (${how})`, async () => {
      confirmed.log = [];
      const emu = emulator({ module: { Confirmed }, durableObjects: { NS: { className: "Confirmed", sqlite: true } } });
      const stub = (emu.env.NS as AnyStub).getByName("confirmed");
      const result = stub.write(how).then((v: string) => confirmed.log.push(`${v} result`));
      const ping = stub.ping();
      await Promise.all([result, ping]);
      expect(confirmed.log).toEqual([`${how} returns`, "ping behind", `${how} result`]);
    });
  }
});

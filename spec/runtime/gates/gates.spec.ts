import { describe, expect, it, vi } from "vitest";
import { DurableObject, WorkerEntrypoint } from "../../../lib/modules/workers.js";
import { type AnyStub, emulator, errorShape, namespaceOf, nextTurn, rejection, sleep } from "../../helpers.js";

interface Storage {
  get(key: string): Promise<unknown>;
  put(key: string, value: unknown, options?: { allowUnconfirmed?: boolean }): Promise<void>;
  sync(): Promise<void>;
}
const storageOf = (object: DurableObject): Storage => (object.ctx as { storage: Storage }).storage;

/** Counter.slow() tells the test it started and answers when the test lets it, not after a time a loaded machine can outlast. */
let slowEntered = (): void => {};
let releaseSlow = (): void => {};

/** What Counter code logs beside its instance. */
const moduleLog: string[] = [];

class Counter extends DurableObject {
  memory = 0;
  log: string[] = [];
  async incrementStored() {
    const value = ((await storageOf(this).get("n")) as number | undefined) ?? 0;
    await storageOf(this).put("n", value + 1);
    return value + 1;
  }
  async incrementStoredAcrossTimer() {
    const value = ((await storageOf(this).get("n")) as number | undefined) ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 20));
    await storageOf(this).put("n", value + 1);
    return value + 1;
  }
  async writeMany(keys: string[], options?: { allowUnconfirmed?: boolean }) {
    for (const key of keys) {
      await storageOf(this).put(key, key, options);
      await storageOf(this).get(key);
    }
    return "returned";
  }
  async read(key: string) {
    return storageOf(this).get(key);
  }
  async block(ms: number) {
    return (this.ctx as { blockConcurrencyWhile<T>(fn: () => Promise<T>): Promise<T> }).blockConcurrencyWhile(async () => {
      this.log.push("block start");
      await sleep(ms);
      this.log.push("block end");
      return "blocked";
    });
  }
  async note(entry: string) {
    this.log.push(entry);
    return this.log.slice();
  }
  async waitForCommits() {
    await storageOf(this).sync();
    return "committed";
  }
  async writeThenSync() {
    await storageOf(this).put("synced", true);
    await storageOf(this).sync();
    return "after sync";
  }
  async callOther(other: AnyStub) {
    this.log.push("calling other");
    const result = await other.slow();
    this.log.push("other answered");
    return result;
  }
  /** callOther() logging to module state, which outlives the instance. */
  async callOtherLogged(other: AnyStub) {
    try {
      moduleLog.push(`answered ${await other.slow()}`);
    } catch (error) {
      moduleLog.push(`caught ${(error as Error).message}`);
    } finally {
      moduleLog.push("finally");
    }
  }
  async slow() {
    slowEntered();
    await new Promise<void>((resolve) => (releaseSlow = resolve));
    return "slow done";
  }
  /** Writes (not awaited), then calls another object and the RECORDER service in the same turn. */
  async writeThenCall(other: AnyStub) {
    void storageOf(this).put("x", 1);
    const env = this.env as { RECORDER: AnyStub };
    return Promise.all([other.note("called"), env.RECORDER.record("called")]);
  }
}

/** What the Recorder service received. */
const recorded: string[] = [];

class Recorder extends WorkerEntrypoint {
  record(entry: string) {
    recorded.push(entry);
    return recorded.length;
  }
}

const counter = (name = "c"): AnyStub => namespaceOf(Counter).getByName(name);

describe("the input gate", () => {
  it("keeps concurrent get-then-put increments from interleaving (storage awaits hold the gate)", async () => {
    const stub = counter();
    expect(await Promise.all([stub.incrementStored(), stub.incrementStored(), stub.incrementStored()])).toEqual([1, 2, 3]);
  });

  it("lets other calls in while one awaits a timer, losing updates as production does", async () => {
    const stub = counter();
    const results = await Promise.all([
      stub.incrementStoredAcrossTimer(),
      stub.incrementStoredAcrossTimer(),
      stub.incrementStoredAcrossTimer(),
    ]);
    expect(results).toEqual([1, 1, 1]);
    expect(await stub.read("n")).toBe(1);
  });

  it("lets other calls in while one awaits another object", async () => {
    const ns = namespaceOf(Counter);
    const a = ns.getByName("a");
    const entered = new Promise<void>((resolve) => (slowEntered = resolve));
    const calling = a.callOther(ns.getByName("b"));
    await entered;
    expect(await a.note("meanwhile")).toEqual(["calling other", "meanwhile"]);
    releaseSlow();
    expect(await calling).toBe("slow done");
  });

  it("blockConcurrencyWhile holds every other call until it finishes, and returns the value", async () => {
    const stub = counter();
    const blocked = stub.block(30);
    await sleep(5);
    const other = stub.note("other");
    expect(await blocked).toBe("blocked");
    expect(await other).toEqual(["block start", "block end", "other"]);
  });

  it("does not hang when fake timers are installed", async () => {
    const stub = counter("fake-timers");
    vi.useFakeTimers();
    try {
      expect(await Promise.all([stub.incrementStored(), stub.incrementStored()])).toEqual([1, 2]);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("the output gate and write coalescing", () => {
  it("replaces a result with the reset error when its writes fail to commit, and keeps none of the batch", async () => {
    const emu = emulator({ module: { Counter }, durableObjects: { NS: "Counter" } });
    const ns = emu.env.NS as AnyStub;
    const stub = ns.getByName("fail");
    await stub.writeMany(["kept"]);
    emu.failNextCommit(stub);
    const error = await rejection(stub.writeMany(["a", "b", "c"]));
    expect(errorShape(error)).toEqual({
      name: "Error",
      message: "Internal error in Durable Object storage write caused object to be reset.",
      remote: undefined,
      durableObjectReset: true,
    });
    // The stub that saw the reset stays broken; a new stub reaches a fresh instance.
    expect((await rejection(stub.read("kept"))).durableObjectReset).toBe(true);
    const fresh = ns.getByName("fail");
    expect(await Promise.all(["kept", "a", "b", "c"].map((key) => fresh.read(key)))).toEqual(["kept", undefined, undefined, undefined]);
  });

  it("lets a result through before an allowUnconfirmed write commits", async () => {
    const emu = emulator({ module: { Counter }, durableObjects: { NS: "Counter" } });
    const stub = (emu.env.NS as AnyStub).getByName("unconfirmed");
    emu.failNextCommit(stub);
    expect(await stub.writeMany(["x"], { allowUnconfirmed: true })).toBe("returned");
    // The failed commit still resets the object and loses the write: sync() waits for that
    // commit and reports its failure.
    expect((await rejection(stub.waitForCommits())).durableObjectReset).toBe(true);
    expect(await (emu.env.NS as AnyStub).getByName("unconfirmed").read("x")).toBeUndefined();
  });

  it("lets a result through as its allowUnconfirmed writes commit (SQLite): their failure resets the object after, and none of them lands", async () => {
    const emu = emulator({ module: { Counter }, durableObjects: { NS: { className: "Counter", sqlite: true } } });
    const ns = emu.env.NS as AnyStub;
    const stub = ns.getByName("unconfirmed");
    expect(await stub.writeMany(["kept"])).toBe("returned");
    emu.failNextCommit(stub);
    // The commit runs as the result leaves (before the calls queued behind it start), and the
    // result was let through already: it holds for none of these writes.
    expect(await stub.writeMany(["x", "y"], { allowUnconfirmed: true })).toBe("returned");
    expect((await rejection(stub.read("x"))).durableObjectReset).toBe(true);
    const fresh = ns.getByName("unconfirmed");
    expect(await Promise.all(["kept", "x", "y"].map((key) => fresh.read(key)))).toEqual(["kept", undefined, undefined]);
  });

  it("holds the object's calls to other objects and Workers until its writes commit: never sent if the commit fails", async () => {
    const emu = emulator({
      module: { Counter, Recorder },
      durableObjects: { NS: "Counter" },
      serviceBindings: { RECORDER: { name: "worker", entrypoint: "Recorder" } },
    });
    const ns = emu.env.NS as AnyStub;
    recorded.length = 0;
    const caller = ns.getByName("caller");
    emu.failNextCommit(caller);
    expect((await rejection(caller.writeThenCall(ns.getByName("callee")))).durableObjectReset).toBe(true);
    expect(await ns.getByName("callee").note("later")).toEqual(["later"]);
    expect(recorded).toEqual([]);
    // Without the failure both calls go out (after the commit) and answer.
    expect(await ns.getByName("caller").writeThenCall(ns.getByName("callee"))).toEqual([["later", "called"], 1]);
    expect(recorded).toEqual(["called"]);
  });

  it("never resumes the code of an instance whose commit failed: the answer to a call it awaits is dropped, and no catch or finally of it runs", async () => {
    const emu = emulator({ module: { Counter }, durableObjects: { NS: "Counter" } });
    const ns = emu.env.NS as AnyStub;
    const caller = ns.getByName("caller");
    moduleLog.length = 0;
    const entered = new Promise<void>((resolve) => (slowEntered = resolve));
    const calling = rejection(caller.callOtherLogged(ns.getByName("callee")));
    await entered;
    emu.failNextCommit(caller);
    expect((await rejection(caller.writeMany(["a"]))).durableObjectReset).toBe(true);
    expect((await calling).durableObjectReset).toBe(true);
    releaseSlow();
    // The callee answers, and the answer crosses in a few turns (I/O completes a turn later).
    for (let turn = 0; turn < 5; turn++) await nextTurn();
    expect(moduleLog).toEqual([]);
  });

  it("sync() resolves once the writes before it are committed", async () => {
    const stub = counter("sync");
    expect(await stub.writeThenSync()).toBe("after sync");
    expect(await stub.read("synced")).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { SettlementModel } from "../../../lib/storage/api/settlement.js";
import { MemoryBackend } from "../../../lib/storage/backends/memory.js";
import { KV_POLICY } from "../../../lib/storage/policy.js";

/** A single-key get that is I/O; a get([...]) or list(); a delete of an unseen key. */
const KEY_IO = "key";
const RANGE_IO = "range";
const DELETE_IO = "delete";
/** Until every read in flight has completed (and taught the cache what it read): they all do within the turn. */
const readsDone = () => new Promise((resolve) => setImmediate(resolve));

/** A model over a store, writing through it as ctx.storage does (each put its own batch). */
function cacheOver(store = new MemoryBackend()) {
  const model = new SettlementModel();
  const settle = (op: "get" | "put" | "delete", keys: string[]) => {
    // One key is given apart, as get(key), put(key, value) and delete(key) give theirs.
    const timing = keys.length === 1 ? model.cachedSettlement(op, {}, KV_POLICY, store, keys[0]) : model.cachedSettlement(op, { keys }, KV_POLICY, store);
    if (op !== "get") {
      store.begin();
      for (const key of keys) {
        if (op === "put") store.put(key, new Uint8Array([1]));
        else store.delete(key);
      }
      store.commit();
    }
    return timing;
  };
  return { model, store, settle };
}

describe("SettlementModel: the read cache of a KV-backed instance", () => {
  it("serves every key it has seen without I/O, however many, and reads an unseen one as I/O", async () => {
    const { settle } = cacheOver();
    const keys = Array.from({ length: 40 }, (_, i) => `k${i}`);
    for (const key of keys.slice(0, 30)) settle("put", [key]);
    for (const key of keys.slice(30)) expect(settle("get", [key])).toBe(KEY_IO);
    // A read in flight does not make its keys known yet: the same read again is I/O too.
    expect(settle("get", ["k35"])).toBe(KEY_IO);
    await readsDone();
    // Seen by a write or by a completed read: cached from then on.
    for (const key of keys) expect(settle("get", [key])).toBe(2);
    expect(settle("get", ["k0", "never"])).toBe(RANGE_IO);
    await readsDone();
    expect(settle("get", ["never"])).toBe(2);
  });

  it("knows the keys it wrote to an empty store, those it deleted since, and no other", async () => {
    const { settle } = cacheOver();
    settle("put", ["a", "b"]);
    settle("put", ["c"]);
    expect(settle("delete", ["a", "c"])).toBe(2);
    for (const key of ["a", "b", "c"]) expect(settle("get", [key])).toBe(2);
    expect(settle("get", ["d"])).toBe(KEY_IO);
    await readsDone();
    expect(settle("get", ["d"])).toBe(2);
    // delete() of a key it has not seen asks whether it existed; the key is known at once.
    expect(settle("delete", ["gone"])).toBe(DELETE_IO);
    expect(settle("get", ["gone"])).toBe(2);
  });

  it("reads the keys a store held before the instance wrote as I/O until it has seen them", async () => {
    const store = new MemoryBackend();
    cacheOver(store).settle("put", ["old"]);
    // A new instance (a new cache) over the same store.
    const { settle } = cacheOver(store);
    settle("put", ["new"]);
    expect(settle("get", ["new"])).toBe(2);
    expect(settle("get", ["old"])).toBe(KEY_IO);
    await readsDone();
    expect(settle("get", ["old"])).toBe(2);
  });

  it("knows the keys a transaction committed, deleted ones included, besides those it wrote itself", () => {
    const { model, store, settle } = cacheOver();
    settle("put", ["mine"]);
    store.begin();
    store.put("theirs", new Uint8Array([1]));
    store.delete("mine");
    store.commit();
    model.learnAgainst(["theirs", "mine"], store);
    expect(settle("get", ["mine"])).toBe(2);
    expect(settle("get", ["theirs"])).toBe(2);
    expect(settle("get", ["other"])).toBe(KEY_IO);
  });

  it("knows the keys of a write that failed, as a write it settled", () => {
    const { model, store, settle } = cacheOver();
    settle("put", ["a"]);
    model.cachedSettlement("put", { keys: ["lost"] }, KV_POLICY, store);
    model.learnAgainst(["lost"], store);
    expect(settle("get", ["lost"])).toBe(2);
  });

  it("settles a known alarm in one hop and an unknown one after the batched reads", async () => {
    const { model, store } = cacheOver();
    expect(model.cachedSettlement("getAlarm", {}, KV_POLICY, store)).toBe(KEY_IO);
    expect(model.cachedSettlement("list", { range: {} }, KV_POLICY, store)).toBe(RANGE_IO);
    await readsDone();
    expect(model.cachedSettlement("getAlarm", {}, KV_POLICY, store)).toBe(1);
    expect(model.cachedSettlement("list", {}, KV_POLICY, store)).toBe(2);
  });

  it("learns nothing from a read with noCache, and forgets nothing known through one", async () => {
    const { model, store, settle } = cacheOver(new MemoryBackend());
    store.begin();
    store.put("cold", new Uint8Array([1]));
    store.commit();
    settle("put", ["warm"]);
    const read = (op: "get" | "list", detail: object, key?: string) => model.cachedSettlement(op, { ...detail, noCache: true }, KV_POLICY, store, key);
    expect(read("get", {}, "cold")).toBe(KEY_IO);
    expect(read("list", { range: { start: "a", end: "z" } })).toBe(RANGE_IO);
    expect(read("list", { range: {} })).toBe(RANGE_IO);
    await readsDone();
    expect(settle("get", ["cold"])).toBe(KEY_IO);
    expect(model.cachedSettlement("list", { range: { start: "a", end: "z" } }, KV_POLICY, store)).toBe(RANGE_IO);
    expect(read("get", {}, "warm")).toBe(2);
  });

  it("knows the whole range a list read, whatever its limit, once the list completed", async () => {
    const { model, store, settle } = cacheOver(new MemoryBackend());
    store.begin();
    for (const key of ["a", "b", "c", "x"]) store.put(key, new Uint8Array([1]));
    store.commit();
    const list = (range: object) => model.cachedSettlement("list", { range }, KV_POLICY, store);
    expect(list({ start: "a", end: "d", limit: 1 })).toBe(RANGE_IO);
    expect(settle("get", ["b"])).toBe(KEY_IO);
    await readsDone();
    expect(settle("get", ["c"])).toBe(2);
    expect(settle("get", ["cz"])).toBe(2);
    expect(settle("get", ["d"])).toBe(KEY_IO);
    expect(list({ start: "b", end: "c" })).toBe(2);
    // From a key it holds the cache counts what it holds: a, b and c are within [a, d).
    expect(list({ start: "a", limit: 3 })).toBe(2);
    expect(list({ start: "a", limit: 4 })).toBe(RANGE_IO);
    // A list of one key starting at a stored key the cache holds (x, once written), outside any range.
    expect(list({ start: "x", limit: 1 })).toBe(RANGE_IO);
    settle("put", ["x"]);
    expect(list({ start: "x", limit: 1 })).toBe(2);
    expect(list({ start: "x", limit: 2 })).toBe(RANGE_IO);
    // Every key, with a limit too: everything is known.
    expect(list({ reverse: true, limit: 1 })).toBe(RANGE_IO);
    await readsDone();
    expect(list({ start: "q" })).toBe(2);
    expect(settle("get", ["zz"])).toBe(2);
  });
});

import { describe, expect, it } from "vitest";
import { MemoryBackend } from "../../../lib/storage/backends/memory.js";
import { compareKeys } from "../../../lib/storage/keys.js";

const everyByte = () => Uint8Array.from({ length: 256 }, (_, i) => i);

function backendWith(entries: Record<string, Uint8Array>) {
  const backend = new MemoryBackend();
  backend.begin();
  for (const [key, value] of Object.entries(entries)) backend.put(key, value);
  backend.commit();
  return backend;
}

describe("MemoryBackend: values", () => {
  it("gives back every byte value as written, by get() and list(), from any view of a buffer", () => {
    const whole = everyByte();
    const backend = backendWith({ a: whole, b: whole.subarray(250, 256), empty: new Uint8Array(0) });
    expect([...backend.get("a")!]).toEqual([...everyByte()]);
    expect([...backend.get("b")!]).toEqual([250, 251, 252, 253, 254, 255]);
    expect(backend.get("empty")!.byteLength).toBe(0);
    expect(backend.list({}).map(([key, value]) => [key, [...value].length])).toEqual([
      ["a", 256],
      ["b", 6],
      ["empty", 0],
    ]);
  });

  it("hands out copies: changing what was written or read changes nothing stored", () => {
    const written = everyByte();
    const backend = backendWith({ k: written });
    written.fill(0);
    backend.get("k")!.fill(0);
    backend.list({})[0]![1].fill(0);
    expect([...backend.get("k")!]).toEqual([...everyByte()]);
  });

  it("puts back the bytes a rolled-back batch replaced or deleted", () => {
    const backend = backendWith({ k: Uint8Array.of(1, 2, 255), gone: Uint8Array.of(0) });
    backend.begin();
    backend.put("k", Uint8Array.of(9));
    backend.put("k", Uint8Array.of(8));
    backend.delete("gone");
    backend.rollback();
    expect([...backend.get("k")!]).toEqual([1, 2, 255]);
    expect([...backend.get("gone")!]).toEqual([0]);
  });
});

describe("MemoryBackend: the undo log", () => {
  const bytes = (n: number) => Uint8Array.of(n);
  const contents = (backend: MemoryBackend) => backend.list({}).map(([key, value]) => `${key}=${[...value].join(",")}`);

  it("rolls a batch that began on an empty store back to empty, and a savepoint taken inside it back to that point", () => {
    const backend = new MemoryBackend();
    backend.begin();
    backend.put("a", bytes(1));
    backend.put("b", bytes(2));
    const savepoint = backend.savepoint();
    backend.put("a", bytes(3));
    backend.delete("b");
    backend.put("c", bytes(4));
    backend.rollbackTo(savepoint);
    expect(contents(backend)).toEqual(["a=1", "b=2"]);
    backend.put("d", bytes(5));
    backend.rollback();
    expect(contents(backend)).toEqual([]);
  });

  it("puts many entries in one call as put() one by one: sorted, the last of a repeated key kept, a snapshot and a rollback unchanged", () => {
    const backend = new MemoryBackend();
    backend.begin();
    backend.put("m", bytes(1));
    backend.put("b", bytes(2));
    backend.commit();
    const snapshot = backend.snapshot();
    backend.begin();
    const savepoint = backend.savepoint();
    backend.putAll([["z", bytes(3)], ["b", bytes(4)], ["a", bytes(5)], ["z", bytes(6)]]);
    expect(contents(backend)).toEqual(["a=5", "b=4", "m=1", "z=6"]);
    backend.putAll([["c", bytes(7)], ["a", bytes(8)]]);
    expect(contents(backend)).toEqual(["a=8", "b=4", "c=7", "m=1", "z=6"]);
    backend.rollbackTo(savepoint);
    expect(contents(backend)).toEqual(["b=2", "m=1"]);
    backend.putAll([["y", bytes(9)], ["x", bytes(10)]]);
    backend.commit();
    expect(contents(backend)).toEqual(["b=2", "m=1", "x=10", "y=9"]);
    backend.restore(snapshot);
    expect(contents(backend)).toEqual(["b=2", "m=1"]);
  });

  it("puts many entries in one call whatever object code put on Array.prototype: its accessors neither run nor refuse", () => {
    const touched: string[] = [];
    for (const index of [3, 5]) Object.defineProperty(Array.prototype, index, { get: () => touched.push(`get ${index}`), configurable: true });
    const backend = new MemoryBackend();
    try {
      backend.begin();
      backend.putAll([["b", bytes(1)], ["a", bytes(2)], ["c", bytes(3)]]);
      backend.putAll([["a", bytes(4)], ["d", bytes(5)]]);
      backend.commit();
    } finally {
      for (const index of [3, 5]) delete (Array.prototype as unknown as Record<number, unknown>)[index];
    }
    expect(touched).toEqual([]);
    expect(contents(backend)).toEqual(["a=4", "b=1", "c=3", "d=5"]);
  });

  it("puts many entries into an empty store, and past the few-keys limit, rolling back to empty", () => {
    const backend = new MemoryBackend();
    backend.begin();
    backend.putAll([["b", bytes(1)], ["a", bytes(2)]]);
    backend.putAll(Array.from({ length: 40 }, (_, i) => [`k${String(i).padStart(2, "0")}`, bytes(i)] as [string, Uint8Array]));
    expect(contents(backend)).toHaveLength(42);
    expect(contents(backend).slice(0, 3)).toEqual(["a=2", "b=1", "k00=0"]);
    backend.rollback();
    expect(contents(backend)).toEqual([]);
  });

  it("rolls back to keys written before the store became empty in the same batch", () => {
    const backend = backendWith({ only: bytes(1) });
    backend.begin();
    backend.delete("only");
    backend.put("new", bytes(2));
    backend.rollback();
    expect(contents(backend)).toEqual(["only=1"]);
  });

  it("rolls back writes made after deleteAll(), and a savepoint taken after it", () => {
    const backend = backendWith({ a: bytes(1), b: bytes(2) });
    backend.begin();
    backend.put("a", bytes(9));
    backend.deleteAll();
    backend.put("b", bytes(8));
    const savepoint = backend.savepoint();
    backend.put("b", bytes(7));
    backend.put("c", bytes(6));
    backend.rollbackTo(savepoint);
    expect(contents(backend)).toEqual(["b=8"]);
    backend.rollback();
    expect(contents(backend)).toEqual(["a=1", "b=2"]);
  });

  it("puts back each key's value from before the batch when a long batch writes keys again and again", () => {
    const backend = backendWith({ k0: bytes(100), k1: bytes(101) });
    backend.begin();
    for (let round = 0; round < 50; round++) for (let key = 0; key < 4; key++) backend.put(`k${key}`, bytes(round));
    const savepoint = backend.savepoint();
    for (let round = 50; round < 100; round++) backend.put("k2", bytes(round));
    backend.rollbackTo(savepoint);
    expect(contents(backend)).toEqual(["k0=49", "k1=49", "k2=49", "k3=49"]);
    backend.rollback();
    expect(contents(backend)).toEqual(["k0=100", "k1=101"]);
  });
});

describe("MemoryBackend: few keys and many", () => {
  /** A deterministic pseudo-random sequence (xorshift32). */
  function random(seed: number): () => number {
    let state = seed;
    return () => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) / 2 ** 32;
    };
  }
  const KEYS = ["a", "b", "ba", "c", "z", "｡", "😀", "\uD800", "\uDFFF", "", "aa", "ab"].concat(Array.from({ length: 40 }, (_, i) => `k${i}`));
  // The storage's key order (UTF-8, a lone surrogate as its own code point: see keys.ts).
  const utf8Order = compareKeys;

  function expectSame(backend: MemoryBackend, model: Map<string, number>, next: () => number) {
    const sorted = [...model.keys()].sort(utf8Order);
    const listed = (range: object) => backend.list(range).map(([key, value]) => [key, value[0]]);
    expect(listed({})).toEqual(sorted.map((key) => [key, model.get(key)]));
    for (let probe = 0; probe < 4; probe++) {
      const start = KEYS[Math.floor(next() * KEYS.length)]!;
      const end = KEYS[Math.floor(next() * KEYS.length)]!;
      const limit = 1 + Math.floor(next() * 5);
      const inRange = sorted.filter((key) => utf8Order(key, start) >= 0 && utf8Order(key, end) < 0);
      expect(listed({ start, end })).toEqual(inRange.map((key) => [key, model.get(key)]));
      expect(listed({ start, end, reverse: true, limit })).toEqual(
        inRange.reverse().slice(0, limit).map((key) => [key, model.get(key)]),
      );
      expect(listed({ end, reverse: true })).toEqual(
        sorted.filter((key) => utf8Order(key, end) < 0).reverse().map((key) => [key, model.get(key)]),
      );
    }
    for (const key of KEYS) expect(backend.get(key)?.[0]).toBe(model.get(key));
  }

  it("reads, lists and rolls back as a sorted map in UTF-8 order, below and beyond the few-keys limit", () => {
    for (const seed of [1, 7, 42]) {
      const next = random(seed);
      const backend = new MemoryBackend();
      let model = new Map<string, number>();
      for (let batch = 0; batch < 30; batch++) {
        const before = new Map(model);
        const snapshot = backend.snapshot();
        backend.begin();
        const writes = 1 + Math.floor(next() * 12);
        for (let write = 0; write < writes; write++) {
          const key = KEYS[Math.floor(next() * KEYS.length)]!;
          if (next() < 0.25) {
            expect(backend.delete(key)).toBe(model.delete(key));
          } else {
            const value = Math.floor(next() * 256);
            backend.put(key, Uint8Array.of(value));
            model.set(key, value);
          }
        }
        if (next() < 0.3) {
          backend.rollback();
          model = before;
        } else {
          backend.commit();
        }
        expectSame(backend, model, next);
        if (next() < 0.1) {
          backend.restore(snapshot);
          model = before;
          expectSame(backend, model, next);
        }
      }
    }
  });

  it("reads every key's latest value among thousands read, written, deleted and rolled back in turn", () => {
    const count = 5_000;
    const key = (i: number) => `key${String(i).padStart(5, "0")}`;
    const model = new Map<string, number>();
    const backend = new MemoryBackend();
    backend.begin();
    for (let i = 0; i < count; i++) {
      backend.put(key(i), Uint8Array.of(i % 256));
      model.set(key(i), i % 256);
    }
    backend.commit();
    const expectModel = () => {
      for (let i = 0; i < count; i++) expect(backend.get(key(i))?.[0]).toBe(model.get(key(i)));
    };
    expectModel();
    const snapshot = backend.snapshot();
    const atSnapshot = new Map(model);
    // Every key was just read; each pass writes or deletes a different part of them.
    for (const [from, step, rollBack] of [[0, 3, true], [1, 7, false], [2, 5, true], [4, 11, false]] as const) {
      const before = new Map(model);
      backend.begin();
      for (let i = from; i < count; i += step) {
        if (i % 2 === 0) {
          backend.delete(key(i));
          model.delete(key(i));
        } else {
          backend.put(key(i), Uint8Array.of(255 - (i % 256)));
          model.set(key(i), 255 - (i % 256));
        }
        expect(backend.get(key(i))?.[0]).toBe(model.get(key(i)));
      }
      if (rollBack) {
        backend.rollback();
        model.clear();
        for (const [k, v] of before) model.set(k, v);
      } else {
        backend.commit();
      }
      expectModel();
      expect(backend.list({}).length).toBe(model.size);
    }
    backend.restore(snapshot);
    model.clear();
    for (const [k, v] of atSnapshot) model.set(k, v);
    expectModel();
  });

  it("keeps a snapshot as it was while the store grows past few keys and shrinks", () => {
    const backend = backendWith({ a: Uint8Array.of(1) });
    const snapshot = backend.snapshot();
    backend.begin();
    for (let i = 0; i < 40; i++) backend.put(`k${i}`, Uint8Array.of(i));
    backend.put("a", Uint8Array.of(2));
    backend.commit();
    expect(backend.list({}).length).toBe(41);
    backend.restore(snapshot);
    expect(backend.list({}).map(([key, value]) => [key, value[0]])).toEqual([["a", 1]]);
  });

  it("keeps a snapshot, and the store restored from it, as they were while keys written again and again are written on", () => {
    const values = () => backend.list({}).map(([, value]) => value[0]);
    const backend = new MemoryBackend();
    const writeAll = (value: number) => {
      backend.begin();
      for (let i = 0; i < 40; i++) backend.put(`k${i}`, Uint8Array.of(value));
      backend.commit();
    };
    writeAll(1);
    writeAll(2);
    const snapshot = backend.snapshot();
    writeAll(3);
    expect(backend.get("k7")?.[0]).toBe(3);
    expect(values()).toEqual(Array(40).fill(3));
    backend.restore(snapshot);
    expect(values()).toEqual(Array(40).fill(2));
    writeAll(4);
    writeAll(5);
    backend.restore(snapshot);
    expect(backend.get("k7")?.[0]).toBe(2);
    expect(values()).toEqual(Array(40).fill(2));
  });
});

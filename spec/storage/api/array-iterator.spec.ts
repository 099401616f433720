import { describe, expect, it } from "vitest";
import { DurableObject } from "../../../lib/modules/workers.js";
import { type AnyStub, emulator } from "../../helpers.js";

const ArrayIteratorPrototype = Object.getPrototypeOf([][Symbol.iterator]()) as { next: () => unknown };

class Patching extends DurableObject {
  /** Writes with the array iterator patched to throw: storage must not call it for its own arrays. */
  async write() {
    const storage = (this.ctx as unknown as { storage: { put(...args: unknown[]): Promise<void>; delete(keys: unknown): Promise<unknown>; get(keys: string[]): Promise<Map<string, unknown>> } }).storage;
    await storage.put("warm", 0); // the database opens first (sql.js's own code iterates)
    const next = ArrayIteratorPrototype.next;
    ArrayIteratorPrototype.next = () => {
      throw new Error("the array iterator was called: " + new Error().stack!.split("\n").slice(2, 6).join(" | "));
    };
    try {
      await storage.put("one", 1);
      await storage.put({ two: 2, three: 3 });
      await storage.delete("three");
    } finally {
      ArrayIteratorPrototype.next = next;
    }
    return Object.fromEntries(await storage.get(["one", "two", "three"]));
  }
}

describe("storage writes under a patched %ArrayIteratorPrototype%.next", () => {
  for (const sqlite of [false, true]) {
    it(`never call it (${sqlite ? "SQLite" : "KV"} backend)`, async () => {
      const emu = emulator({ module: { Patching }, durableObjects: { NS: { className: "Patching", sqlite } } });
      expect(await (emu.env.NS as AnyStub).getByName("p").write()).toEqual({ one: 1, two: 2 });
    });
  }
});

/**
 * An accessor at an index of Array.prototype, as Worker code may define one (it shares the realm):
 * a [[Set]] of that index on an array that lacks it calls the setter. This one stores the element
 * as the array's own (so everything else keeps working) and notes every value of this test's keys
 * it is handed: storage's own arrays must never reach it.
 */
function watchIndexSetters(): { seen: unknown[]; restore(): void } {
  const seen: unknown[] = [];
  const isMarked = (value: unknown) =>
    (typeof value === "string" && value.startsWith("mark")) || (Array.isArray(value) && typeof value[0] === "string" && value[0].startsWith("mark"));
  for (let index = 0; index < 8; index++) {
    Object.defineProperty(Array.prototype, index, {
      configurable: true,
      get: () => undefined,
      set(this: unknown[], value: unknown) {
        Reflect.defineProperty(this, index, { value, writable: true, enumerable: true, configurable: true });
        if (isMarked(value)) Reflect.defineProperty(seen, seen.length, { value, enumerable: true });
      },
    });
  }
  return {
    seen,
    restore() {
      for (let index = 0; index < 8; index++) delete (Array.prototype as unknown as Record<number, unknown>)[index];
    },
  };
}

class Watching extends DurableObject {
  async run(sqlite: boolean) {
    const storage = (this.ctx as unknown as { storage: Record<string, (...args: unknown[]) => Promise<unknown>> }).storage;
    await storage.put("warm", 0);
    const watch = watchIndexSetters();
    const results: unknown[] = [];
    try {
      await storage.put("mark-a", 1);
      await storage.put({ "mark-b": 2, "mark-c": 3 });
      await storage.delete(["mark-c"]);
      // (The SQLite backend's rows are read by sql.js, whose Statement.get() pushes: not yet immune.)
      if (!sqlite) results.push(Object.fromEntries((await storage.list({ prefix: "mark" })) as Map<string, unknown>));
      if (!sqlite) results.push(Object.fromEntries((await storage.list({ prefix: "mark", reverse: true })) as Map<string, unknown>));
    } finally {
      watch.restore();
    }
    return { seen: watch.seen, results };
  }
}

describe("storage calls under an accessor at an index of Array.prototype", () => {
  for (const sqlite of [false, true]) {
    it(`never hand storage's own elements to it (${sqlite ? "SQLite" : "KV"} backend)`, async () => {
      const emu = emulator({ module: { Watching }, durableObjects: { NS: { className: "Watching", sqlite } } });
      const listed = { "mark-a": 1, "mark-b": 2 };
      expect(await (emu.env.NS as AnyStub).getByName("w").run(sqlite)).toEqual({
        seen: [],
        results: sqlite ? [] : [listed, listed],
      });
    });
  }
});

/**
 * Array.prototype's push and includes replaced by Worker code (it shares the realm), noting each
 * call made while storage writes: storage's walk of a value (what it refuses, whether it must be
 * copied) keeps what it visits and has seen in arrays of its own, and must not hand them to
 * either.
 */
class PatchingPush extends DurableObject {
  async write() {
    const storage = (this.ctx as unknown as { storage: { put(key: string, value: unknown): Promise<void>; get(key: string): Promise<unknown> } }).storage;
    await storage.put("warm", 0);
    const value = { inner: { depth: 1 }, list: [{ depth: 2 }, [3]], map: new Map([["k", { depth: 3 }]]), set: new Set([{ depth: 4 }]) };
    const prototype = Array.prototype as unknown as Record<string, unknown>;
    const originals = { push: prototype.push, includes: prototype.includes };
    const calls: string[] = [];
    for (const name of ["push", "includes"] as const) {
      const original = originals[name] as (...args: unknown[]) => unknown;
      prototype[name] = function (this: unknown[], ...args: unknown[]) {
        Reflect.defineProperty(calls, calls.length, { value: name, enumerable: true });
        return Reflect.apply(original, this, args);
      };
    }
    try {
      await storage.put("value", value);
    } finally {
      prototype.push = originals.push;
      prototype.includes = originals.includes;
    }
    const read = (await storage.get("value")) as typeof value;
    return { calls, read: { inner: read.inner, list: read.list, map: [...read.map], set: [...read.set] } };
  }
}

describe("storage writes under a patched Array.prototype.push and includes", () => {
  for (const sqlite of [false, true]) {
    it(`never call them for the value's walk (${sqlite ? "SQLite" : "KV"} backend)`, async () => {
      const emu = emulator({ module: { PatchingPush }, durableObjects: { NS: { className: "PatchingPush", sqlite } } });
      expect(await (emu.env.NS as AnyStub).getByName("p").write()).toEqual({
        calls: [],
        read: { inner: { depth: 1 }, list: [{ depth: 2 }, [3]], map: [["k", { depth: 3 }]], set: [{ depth: 4 }] },
      });
    });
  }
});

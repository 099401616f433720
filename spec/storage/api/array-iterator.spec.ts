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

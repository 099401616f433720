import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DurableObject } from "../../lib/modules/workers.js";
import { Emulator, type EmulatorOptions } from "../../lib/index.js";
import type { AnyStub } from "../helpers.js";
import { configError } from "./config-error.js";

/** Counts in storage, and in a field: the field shows whether the same instance still answers. */
class Counter extends DurableObject {
  #calls = 0;
  async increment(): Promise<{ stored: number; calls: number }> {
    const storage = (this.ctx as unknown as { storage: { get(k: string): Promise<unknown>; put(k: string, v: unknown): Promise<void> } }).storage;
    const stored = (((await storage.get("n")) as number | undefined) ?? 0) + 1;
    await storage.put("n", stored);
    return { stored, calls: ++this.#calls };
  }
}

const v1 = { tag: "v1", new_classes: ["Counter", "Notes"] };
const base: EmulatorOptions = { module: { Counter, Notes: Counter }, durableObjects: { COUNTER: "Counter", NOTES: "Notes" }, migrations: [v1] };

/** The next deploy's migration deletes Notes (and its binding goes). */
const deletingNotes = { durableObjects: { COUNTER: "Counter" }, migrations: [v1, { tag: "v2", deleted_classes: ["Notes"] }] };

/** Configurations reconfigure() refuses at once, each with the error it names. */
const refused: Array<[string, EmulatorOptions, string]> = [
  [
    "a namespace's class the new module does not export",
    { ...base, module: { Notes: Counter }, ...deletingNotes },
    'durasim: Worker "worker" does not export a class named "Counter" (exported classes: Notes). Export the class from the Worker\'s module, or fix the binding\'s "className" ("class_name" in a wrangler file).',
  ],
  [
    "an export that is not a class",
    { ...base, module: { Counter: { count: 42 }, Notes: Counter }, ...deletingNotes },
    'durasim: export "Counter" of Worker "worker" is not a class (it is object). Durable Objects must be exported classes, e.g. export class Counter extends DurableObject {}.',
  ],
  [
    "a bad option", { ...base, ...deletingNotes, idleTimeout: -1 },
    'durasim: option "idleTimeout" is -1; use a number of milliseconds above 0, or Infinity to never evict idle objects.',
  ],
  ["another clock", { ...base, ...deletingNotes, clock: "manual" }, 'durasim: reconfigure() cannot change "clock" (this emulator\'s clock is real).'],
];

describe("a reconfigure() the configuration check refuses", () => {
  for (const [what, options, message] of refused) {
    it(`${what}: throws the ConfigError and leaves the emulator as it was`, async () => {
      const dir = mkdtempSync(join(tmpdir(), "durasim-reconfigure-"));
      try {
        const first = new Emulator({ ...base, persist: dir });
        const counter = first.env.COUNTER.getByName("a") as AnyStub;
        const notes = first.env.NOTES.getByName("n") as AnyStub;
        expect(await counter.increment()).toEqual({ stored: 1, calls: 1 });
        expect(await notes.increment()).toEqual({ stored: 1, calls: 1 });
        expect(configError(() => first.reconfigure({ ...options, persist: dir }))).toBe(message);
        // The same live instances answer, over the same storage; a deleted_classes migration was not applied.
        expect(await counter.increment()).toEqual({ stored: 2, calls: 2 });
        expect(await notes.increment()).toEqual({ stored: 2, calls: 2 });
        expect(await (first.env.COUNTER.getByName("a") as AnyStub).increment()).toEqual({ stored: 3, calls: 3 });
        await first.dispose();
        // Nor was that migration recorded: the next run on the directory applies it, as a deploy would.
        const next = new Emulator({ ...base, ...deletingNotes, persist: dir });
        try {
          expect(await (next.env.COUNTER.getByName("a") as AnyStub).increment()).toEqual({ stored: 4, calls: 1 });
        } finally {
          await next.dispose();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

describe("a reconfigure() whose record of applied migrations cannot be written", () => {
  it("throws the file system's error and leaves the emulator as it was: no object deleted, no instance restarted", async () => {
    const dir = mkdtempSync(join(tmpdir(), "durasim-reconfigure-"));
    try {
      const first = new Emulator({ ...base, persist: dir });
      const notes = first.env.NOTES.getByName("n") as AnyStub;
      expect(await notes.increment()).toEqual({ stored: 1, calls: 1 });
      // The record's file becomes a directory, which a file cannot replace.
      const record = join(dir, "v3", "do", ".durasim", "migrations.json");
      rmSync(record);
      mkdirSync(join(record, "blocked"), { recursive: true });
      expect(() => first.reconfigure({ ...base, ...deletingNotes, persist: dir })).toThrow(expect.objectContaining({ code: "EISDIR" }));
      expect(await notes.increment()).toEqual({ stored: 2, calls: 2 });
      await first.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * A failed write never half-applies: the file system refuses a write in the middle of an
 * operation (fault injection through a wrapped node:fs, which works as root too, where
 * permissions stop nothing), and the operation either rejects with the file system's error,
 * leaving memory, the disk and what a new emulator on the directory sees as they were, or
 * completes. Black-box through the Emulator.
 */
import { randomUUID } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Emulator, type EmulatorOptions } from "../lib/index.js";
import { reset, useEmulator } from "../lib/modules/test/index.js";
import { DurableObject } from "../lib/modules/workers.js";
import { type AnyStub, rejection, thrown } from "./helpers.js";
import { fsFaults } from "./storage/persist/fs-faults.js";
import { loadSqlEngine } from "../lib/sqlite/engine.js";
import type { Database } from "sql.js";
import { ScratchDirectories } from "./scratch-directories.js";

vi.mock("node:fs", async (real) => (await import("./storage/persist/fs-faults.js")).faultyFs(await real()));

/** Counts in storage, and in a field: the field shows whether the same instance still answers. */
class Counter extends DurableObject {
  #calls = 0;
  get storage(): any {
    return (this.ctx as unknown as { storage: unknown }).storage;
  }
  async increment(): Promise<{ stored: number; calls: number }> {
    const stored = (((await this.storage.get("n")) as number | undefined) ?? 0) + 1;
    await this.storage.put("n", stored);
    return { stored, calls: ++this.#calls };
  }
  async read(): Promise<number | undefined> {
    return this.storage.get("n");
  }
}

const directories = new ScratchDirectories("durasim-faults-");
const open: Emulator[] = [];

// Whatever failed, disposed emulators leave no file open.
afterEach(async () => {
  fsFaults.clear();
  await Promise.all(open.splice(0).map((emu) => emu.dispose()));
  const used = directories.removeAll();
  expect(fsFaults.openPaths().filter((path) => used.some((dir) => path.startsWith(dir)))).toEqual([]);
});

function emulator(options: EmulatorOptions): Emulator {
  const emu = new Emulator(options);
  open.push(emu);
  return emu;
}

const v1 = { tag: "v1", new_classes: ["Counter", "Notes"] };
const both: EmulatorOptions = { name: "app", module: { Counter, Notes: Counter }, durableObjects: { COUNTER: "Counter", NOTES: "Notes" }, migrations: [v1] };
/** The next deploy deletes Notes (its binding goes with it). */
const deletingNotes: EmulatorOptions = { ...both, durableObjects: { COUNTER: "Counter" }, migrations: [v1, { tag: "v2", deleted_classes: ["Notes"] }] };

/** Paths inside the Notes namespace's directory (and that directory itself). */
const notesDirectory = (dir: string) => (path: string) => path.startsWith(join(dir, "v3", "do", "app-Notes"));
const recordPath = (dir: string) => join(dir, "v3", "do", ".durasim", "migrations.json");

/** An emulator on `dir` with one Counter and one Notes object written once each. */
async function written(dir: string, options: Partial<EmulatorOptions> = {}) {
  const emu = emulator({ ...both, ...options, persist: dir });
  const counter = emu.env.COUNTER.getByName("a") as AnyStub;
  const notes = emu.getClassNamespace("Notes")!.getByName("n") as AnyStub;
  expect(await counter.increment()).toEqual({ stored: 1, calls: 1 });
  expect(await notes.increment()).toEqual({ stored: 1, calls: 1 });
  return { emu, counter, notes, record: readFileSync(recordPath(dir), "utf8") };
}

/** What a new emulator on `dir` (with Notes still configured) finds: Notes' stored count. */
async function notesOnDisk(dir: string): Promise<number | undefined> {
  const emu = emulator({ ...both, persist: dir });
  try {
    return await (emu.env.NOTES.getByName("n") as AnyStub).read();
  } finally {
    open.splice(open.indexOf(emu), 1);
    await emu.dispose();
  }
}

describe("a migration that deletes a class, when the file system refuses part of it", () => {
  it("reconfigure(): a deleted class's directory that cannot be moved or removed throws the file system's error and leaves the emulator, its instances and the directory as they were", async () => {
    const dir = directories.make();
    const { emu, counter, notes, record } = await written(dir);
    fsFaults.fail({ calls: ["renameSync", "rmSync"], path: notesDirectory(dir) });
    expect(thrown(() => emu.reconfigure({ ...deletingNotes, persist: dir })).message).toMatch(/^EIO: injected fault/);
    fsFaults.clear();
    // The same instances answer over the same storage; the record still lacks v2.
    expect(await counter.increment()).toEqual({ stored: 2, calls: 2 });
    expect(await notes.increment()).toEqual({ stored: 2, calls: 2 });
    expect(readFileSync(recordPath(dir), "utf8")).toBe(record);
    // Tried again once the disk lets it, the migration applies as if for the first time.
    const next = emu.reconfigure({ ...deletingNotes, persist: dir });
    open.push(next);
    expect(await (next.env.COUNTER.getByName("a") as AnyStub).increment()).toEqual({ stored: 3, calls: 1 });
    expect(existsSync(join(dir, "v3", "do", "app-Notes"))).toBe(false);
  });

  it("emu.migrate(): the same, and a rename in the same migration is not applied either", async () => {
    const dir = directories.make();
    // Notes is declared by the migration alone (emu.migrate() cannot remove a binding).
    const { emu, counter, notes, record } = await written(dir, { module: { Counter, Notes: Counter, Renamed: Counter }, durableObjects: { COUNTER: "Counter" } });
    const next = [v1, { tag: "v2", renamed_classes: [{ from: "Counter", to: "Renamed" }], deleted_classes: ["Notes"] }];
    fsFaults.fail({ calls: ["renameSync", "rmSync"], path: notesDirectory(dir) });
    expect((await rejection(emu.migrate(next))).message).toMatch(/^EIO: injected fault/);
    fsFaults.clear();
    expect(await counter.increment()).toEqual({ stored: 2, calls: 2 });
    expect(await notes.increment()).toEqual({ stored: 2, calls: 2 });
    expect(emu.getClassNamespace("Renamed")).toBeUndefined();
    expect(readFileSync(recordPath(dir), "utf8")).toBe(record);
    await emu.migrate(next);
    // The binding follows the rename: the object is now a new instance of Renamed; Notes' objects are gone.
    expect(await counter.increment()).toEqual({ stored: 3, calls: 1 });
    expect(existsSync(join(dir, "v3", "do", "app-Notes"))).toBe(false);
  });

  it("a new emulator whose configuration deletes a class: the same refusal throws, leaves the directory unlocked, its objects and its record as they were", async () => {
    const dir = directories.make();
    const { emu, record } = await written(dir);
    await emu.dispose();
    fsFaults.fail({ calls: ["renameSync", "rmSync"], path: notesDirectory(dir) });
    expect(thrown(() => emulator({ ...deletingNotes, persist: dir })).message).toMatch(/^EIO: injected fault/);
    fsFaults.clear();
    expect(readFileSync(recordPath(dir), "utf8")).toBe(record);
    expect(await notesOnDisk(dir)).toBe(1);
  });

  for (const [how, apply] of [
    ["reconfigure()", (emu: Emulator, dir: string) => void open.push(emu.reconfigure({ ...deletingNotes, persist: dir }))],
    ["emu.migrate()", (emu: Emulator) => emu.migrate([v1, { tag: "v2", deleted_classes: ["Notes"] }])],
  ] as const) {
    for (const [what, fault] of [
      // The first write (the record as it was, proving the directory writable) passes; the new record's fails.
      ["cannot be written", (dir: string) => ({ calls: ["openSync"], path: (path: string) => path.startsWith(`${recordPath(dir)}.`), after: 1, code: "ENOSPC" })],
      // The directory's syncs: the old record's rename, the moved directory's arrival, then the new record's rename.
      ["is renamed in place but its directory's sync fails", (dir: string) => ({ calls: ["fsyncSync"], path: (path: string) => path === join(dir, "v3", "do", ".durasim"), after: 2, code: "ENOSPC" })],
    ] as const) {
      it(`${how}: a record that ${what} once the directories moved puts them back: nothing is deleted, the same instances answer`, async () => {
        const dir = directories.make();
        const migrateOnly = how === "emu.migrate()" ? { durableObjects: { COUNTER: "Counter" } } : {};
        const { emu, counter, notes, record } = await written(dir, migrateOnly);
        fsFaults.fail(fault(dir));
        const error = await rejection(Promise.resolve().then(() => apply(emu, dir)));
        expect(error.code).toBe("ENOSPC");
        expect(fsFaults.injected).toHaveLength(1);
        fsFaults.clear();
        expect(readdirSync(join(dir, "v3", "do", ".durasim")).sort()).toEqual(["lock", "migrations.json"]);
        expect(readFileSync(recordPath(dir), "utf8")).toBe(record);
        expect(await counter.increment()).toEqual({ stored: 2, calls: 2 });
        expect(await notes.increment()).toEqual({ stored: 2, calls: 2 });
        await emu.dispose();
        expect(await notesOnDisk(dir)).toBe(2);
      });
    }
  }

  for (const [how, apply] of [
    ["reconfigure()", (emu: Emulator, dir: string) => void open.push(emu.reconfigure({ ...deletingNotes, persist: dir }))],
    ["emu.migrate()", (emu: Emulator) => emu.migrate([v1, { tag: "v2", deleted_classes: ["Notes"] }])],
  ] as const) {
    it(`${how}: a record that cannot be written, when the moved directory cannot go back either, leaves it to the next emulator, which puts it back: the deletion was never recorded`, async () => {
      const dir = directories.make();
      const migrateOnly = how === "emu.migrate()" ? { durableObjects: { COUNTER: "Counter" } } : {};
      const { emu } = await written(dir, migrateOnly);
      const notes = join(dir, "v3", "do", "app-Notes");
      fsFaults.fail({ calls: ["openSync"], path: (path) => path.startsWith(`${recordPath(dir)}.`), after: 1, code: "ENOSPC" });
      // The move aside passes; the move back fails.
      fsFaults.fail({ calls: ["renameSync"], path: (path) => path === notes, after: 1 });
      expect((await rejection(Promise.resolve().then(() => apply(emu, dir)))).code).toBe("ENOSPC");
      expect(fsFaults.injected).toEqual([expect.stringMatching(/^openSync /), `renameSync ${notes}`]);
      fsFaults.clear();
      expect(existsSync(notes)).toBe(false);
      await emu.dispose();
      expect(await notesOnDisk(dir)).toBe(1);
    });
  }

  it("a trash directory whose marker cannot be removed loses it before a later migration's record is written: the next emulator does not put the deleted class's objects back", async () => {
    const dir = directories.make();
    const { emu } = await written(dir);
    fsFaults.fail({ calls: ["rmSync"], path: (path) => basename(path) === ".uncommitted" });
    const next = emu.reconfigure({ ...deletingNotes, persist: dir });
    open.push(next);
    expect(fsFaults.injected).toHaveLength(1);
    fsFaults.clear();
    // v3 creates a class under the deleted one's name: it must start empty, now and after a reopen.
    const recreated = [v1, { tag: "v2", deleted_classes: ["Notes"] }, { tag: "v3", new_classes: ["Notes"] }];
    await next.migrate(recreated);
    expect(readdirSync(join(dir, "v3", "do", ".durasim")).sort()).toEqual(["lock", "migrations.json"]);
    await next.dispose();
    const reopened = emulator({ ...both, migrations: recreated, persist: dir });
    expect(await (reopened.env.NOTES.getByName("n") as AnyStub).read()).toBe(undefined);
    expect(await (reopened.env.COUNTER.getByName("a") as AnyStub).read()).toBe(1);
  });

  it("a later migration's record is written only once the removal of a marker that stayed is on disk: a trash directory that cannot be synced makes it fail, and nothing is recorded", async () => {
    const dir = directories.make();
    const { emu } = await written(dir);
    fsFaults.fail({ calls: ["rmSync"], path: (path) => basename(path) === ".uncommitted", times: 1 });
    const next = emu.reconfigure({ ...deletingNotes, persist: dir });
    open.push(next);
    const record = readFileSync(recordPath(dir), "utf8");
    const trash = readdirSync(join(dir, "v3", "do", ".durasim")).find((name) => name.startsWith("trash-"))!;
    fsFaults.fail({ calls: ["fsyncSync"], path: (path) => path === join(dir, "v3", "do", ".durasim", trash) });
    const recreated = [v1, { tag: "v2", deleted_classes: ["Notes"] }, { tag: "v3", new_classes: ["Notes"] }];
    expect((await rejection(Promise.resolve().then(() => next.migrate(recreated)))).code).toBe("EIO");
    fsFaults.clear();
    expect(readFileSync(recordPath(dir), "utf8")).toBe(record);
    await next.dispose();
    const reopened = emulator({ ...both, migrations: recreated, persist: dir });
    expect(await (reopened.env.NOTES.getByName("n") as AnyStub).read()).toBe(undefined);
    expect(readdirSync(join(dir, "v3", "do", ".durasim")).sort()).toEqual(["lock", "migrations.json"]);
  });

  for (const [what, refused] of [
    ["a moved directory that cannot be removed afterwards", (path: string) => basename(dirname(path)) === ".durasim"],
    // Then the record on disk is the one the marker names: the deletion is committed all the same.
    ["a trash directory whose marker cannot be removed afterwards", (path: string) => basename(path) === ".uncommitted"],
  ] as const) {
    it(`${what} does not fail the migration: it waits outside the data, and the next emulator on the directory removes it`, async () => {
      const dir = directories.make();
      const { emu } = await written(dir);
      const trash = (path: string) => path.startsWith(join(dir, "v3", "do", ".durasim", "trash-"));
      fsFaults.fail({ calls: ["rmSync"], path: (path) => trash(path) && refused(path) });
      const next = emu.reconfigure({ ...deletingNotes, persist: dir });
      open.push(next);
      expect(fsFaults.injected).toHaveLength(1);
      fsFaults.clear();
      expect(existsSync(join(dir, "v3", "do", "app-Notes"))).toBe(false);
      expect(readdirSync(join(dir, "v3", "do", ".durasim")).filter((name) => trash(join(dir, "v3", "do", ".durasim", name)))).toHaveLength(1);
      expect(await (next.env.COUNTER.getByName("a") as AnyStub).increment()).toEqual({ stored: 2, calls: 1 });
      await next.dispose();
      const reopened = emulator({ ...deletingNotes, persist: dir });
      expect(readdirSync(join(dir, "v3", "do", ".durasim")).sort()).toEqual(["lock", "migrations.json"]);
      expect(existsSync(join(dir, "v3", "do", "app-Notes"))).toBe(false);
      expect(await (reopened.env.COUNTER.getByName("a") as AnyStub).increment()).toEqual({ stored: 3, calls: 1 });
    });
  }
});

/** Writes and reads of every persisted store, for the probes below. */
class Store extends DurableObject {
  get storage(): any {
    return (this.ctx as unknown as { storage: unknown }).storage;
  }
  put(key: string, value: unknown) {
    return this.storage.put(key, value);
  }
  get(key: string) {
    return this.storage.get(key);
  }
  setAlarm(time: number) {
    return this.storage.setAlarm(time);
  }
  deleteAlarm() {
    return this.storage.deleteAlarm();
  }
  deleteAll() {
    return this.storage.deleteAll();
  }
  getAlarm() {
    return this.storage.getAlarm();
  }
  /** A write to a table of its own: restoring past it loads the database's file whole. */
  createTable() {
    this.storage.sql.exec("CREATE TABLE IF NOT EXISTS t (x)");
  }
  alarm() {
    fired.push((this.ctx as unknown as { id: { name?: string } }).id.name);
  }
}
const fired: Array<string | undefined> = [];

const stores = (dir: string): EmulatorOptions => ({
  name: "app",
  module: { Store, SqlStore: Store },
  durableObjects: { KV: "Store", SQL: { className: "SqlStore", sqlite: true } },
  kvNamespaces: ["NS"],
  r2Buckets: ["BUCKET"],
  persist: dir,
});

/** The namespaces' alarm indexes (metadata.sqlite and its WAL) refuse every write. */
const refuseAlarmIndexWrites = () =>
  fsFaults.fail({ calls: ["openSync", "writeSync"], path: (path) => path.endsWith("metadata.sqlite") || path.endsWith("metadata.sqlite-wal") });

/** No alarm fires while the manual clock advances `ms`. */
async function expectNoAlarmWithin(emu: Emulator, ms: number): Promise<void> {
  fired.length = 0;
  await emu.advanceTime(ms);
  expect(fired).toEqual([]);
}

/** Files under `dir` (relative paths), sorted. */
const filesUnder = (dir: string) => (readdirSync(dir, { recursive: true }) as string[]).sort();

describe("a write the disk refuses rejects, and leaves memory, the disk and the next emulator with the state before it", () => {
  for (const binding of ["KV", "SQL"] as const) {
    for (const call of ["writeSync", "fsyncSync", "openSync"]) {
      it(`a ${binding === "KV" ? "KV-backed" : "SQLite-backed"} Durable Object's commit whose ${call} fails`, async () => {
        const dir = directories.make();
        let emu = emulator(stores(dir));
        await (emu.env[binding].getByName("a") as AnyStub).put("k", 1);
        // The object's database files (not the namespace's alarm index).
        fsFaults.fail({ calls: [call], path: (path) => /[0-9a-f]{64}\.sqlite(-wal)?$/.test(path) });
        const error = await rejection((emu.env[binding].getByName("a") as AnyStub).put("k", 2));
        expect(fsFaults.injected.length).toBeGreaterThan(0);
        fsFaults.clear();
        expect(error.message).toMatch(binding === "KV" ? "Internal error in Durable Object storage write caused object to be reset." : /^internal error; reference = /);
        expect(await (emu.env[binding].getByName("a") as AnyStub).get("k")).toBe(1);
        await emu.dispose();
        emu = emulator(stores(dir));
        expect(await (emu.env[binding].getByName("a") as AnyStub).get("k")).toBe(1);
      });
    }
  }

  for (const binding of ["KV", "SQL"] as const) {
    // A new file (the object's first, its WAL started over after a checkpoint) is durable only
    // once its directory is synced: a commit whose directory sync fails is undone, though its
    // bytes were written and synced.
    for (const [which, before] of [["first commit", []], ["first commit after its database was created", [1]]] as const) {
      it(`a ${binding === "KV" ? "KV-backed" : "SQLite-backed"} Durable Object's ${which}, whose directory's sync fails`, async () => {
        const dir = directories.make();
        let emu = emulator(stores(dir));
        const stub = () => emu.env[binding].getByName("a") as AnyStub;
        for (const value of before) await stub().put("k", value);
        const namespace = join(dir, "v3", "do", binding === "KV" ? "app-Store" : "app-SqlStore");
        fsFaults.fail({ calls: ["fsyncSync"], path: (path) => path === namespace });
        const error = await rejection(stub().put("k", 2));
        expect(fsFaults.injected).toEqual([`fsyncSync ${namespace}`]);
        fsFaults.clear();
        expect(error.message).toMatch(binding === "KV" ? "Internal error in Durable Object storage write caused object to be reset." : /^internal error; reference = /);
        expect(await stub().get("k")).toBe(before[0]);
        await emu.dispose();
        emu = emulator(stores(dir));
        expect(await stub().get("k")).toBe(before[0]);
      });
    }

    it(`a ${binding === "KV" ? "KV-backed" : "SQLite-backed"} Durable Object's deleteAll() whose main database file the disk refuses after the WAL has the change succeeds: it is durable`, async () => {
      const dir = directories.make();
      let emu = emulator(stores(dir));
      const stub = () => emu.env[binding].getByName("a") as AnyStub;
      await stub().put("k", 1);
      await stub().put("k", 2);
      fsFaults.fail({ calls: ["openSync"], path: (path) => /[0-9a-f]{64}\.sqlite$/.test(path) });
      await stub().deleteAll();
      expect(fsFaults.injected.length).toBeGreaterThan(0);
      fsFaults.clear();
      expect(await stub().get("k")).toBe(undefined);
      await emu.dispose();
      emu = emulator(stores(dir));
      expect(await stub().get("k")).toBe(undefined);
    });
  }

  const bindingStores = (dir: string) => [join(dir, "v3", "kv", "miniflare-KVNamespaceObject"), join(dir, "v3", "r2", "miniflare-R2BucketObject")];
  const bindingWal = (dir: string) => (path: string) => path.endsWith(".sqlite-wal") && bindingStores(dir).some((store) => path.startsWith(store));
  for (const [what, reopen, fault] of [
    ["database write fails", false, (dir: string) => ({ calls: ["writeSync"], path: bindingWal(dir) })],
    // Half the append stays in the log: the disk refuses to cut it back too, as a crash would leave it.
    ["database write is torn, and its cut back refused", false, (dir: string) => [{ calls: ["writeSync"], torn: true, path: bindingWal(dir) }, { calls: ["ftruncateSync"], path: bindingWal(dir) }]],
    // A new WAL: the first write since the store opened. Its directory entry is part of the commit.
    ["database's directory sync fails (a new WAL)", true, (dir: string) => ({ calls: ["fsyncSync"], path: (path: string) => bindingStores(dir).includes(path) })],
    ["value file's directory sync fails", false, (dir: string) => ({ calls: ["fsyncSync"], path: (path: string) => path.startsWith(dir) && path.endsWith("blobs") })],
  ] as const) {
    it(`a KV or R2 binding's put whose ${what} rejects, and leaves the rows, the value files and the next emulator as before`, async () => {
      const dir = directories.make();
      let emu = emulator(stores(dir));
      await emu.env.NS.put("k", "v1");
      await emu.env.BUCKET.put("o", "b1");
      if (reopen) {
        await emu.dispose();
        emu = emulator(stores(dir));
      }
      const files = filesUnder(dir);
      const faults = [fault(dir)].flat();
      for (const one of faults) fsFaults.fail(one);
      expect((await rejection(emu.env.NS.put("k", "v2"))).code).toBe("EIO");
      expect((await rejection(emu.env.BUCKET.put("o", "b2"))).code).toBe("EIO");
      // Each put meets each fault once.
      expect(fsFaults.injected).toHaveLength(2 * faults.length);
      fsFaults.clear();
      expect(filesUnder(dir)).toEqual(files);
      expect(await emu.env.NS.get("k")).toBe("v1");
      expect(await (await emu.env.BUCKET.get("o")).text()).toBe("b1");
      await emu.dispose();
      emu = emulator(stores(dir));
      expect(await emu.env.NS.get("k")).toBe("v1");
      expect(await (await emu.env.BUCKET.get("o")).text()).toBe("b1");
    });
  }

  it("emu.restore() whose KV or R2 database write fails rejects, and the binding keeps what its disk holds", async () => {
    const dir = directories.make();
    let emu = emulator(stores(dir));
    await emu.env.NS.put("k", "before");
    await emu.env.BUCKET.put("o", "before");
    const snapshot = await emu.snapshot();
    await emu.env.NS.put("k", "after");
    await emu.env.BUCKET.put("o", "after");
    for (const kind of ["kv", "r2"]) {
      fsFaults.fail({ calls: ["writeSync"], path: (path) => path.startsWith(join(dir, "v3", kind)) && path.endsWith(".sqlite-wal") });
      expect((await rejection(emu.restore(snapshot))).code).toBe("EIO");
      fsFaults.clear();
      expect(await emu.env.NS.get("k")).toBe(kind === "kv" ? "after" : "before");
      expect(await (await emu.env.BUCKET.get("o")).text()).toBe("after");
    }
    await emu.dispose();
    emu = emulator(stores(dir));
    expect(await emu.env.NS.get("k")).toBe("before");
    expect(await (await emu.env.BUCKET.get("o")).text()).toBe("after");
  });

  for (const binding of ["KV", "SQL"] as const) {
    it(`a ${binding === "KV" ? "KV-backed" : "SQLite-backed"} object's deleteAlarm() whose alarm index the disk will not update still succeeds: the deleted alarm never fires, before or after a reopen`, async () => {
      const dir = directories.make();
      const options = { ...stores(dir), clock: "manual" as const };
      let emu = emulator(options);
      const stub = () => emu.env[binding].getByName("a") as AnyStub;
      await stub().setAlarm(Date.now() + 60_000);
      refuseAlarmIndexWrites();
      await stub().deleteAlarm();
      expect(fsFaults.injected.length).toBeGreaterThan(0);
      fsFaults.clear();
      expect(await stub().getAlarm()).toBe(null);
      await emu.dispose();
      emu = emulator(options);
      expect(await stub().getAlarm()).toBe(null);
      await expectNoAlarmWithin(emu, 120_000);
    });
  }
});

/** Many keys (and rows) of 3 KB: a commit of them spans many pages, so its append is long enough to tear. */
class Bulk extends DurableObject {
  get storage(): any {
    return (this.ctx as unknown as { storage: unknown }).storage;
  }
  async put(tag: string, count: number) {
    await this.storage.put(Object.fromEntries(Array.from({ length: count }, (_, i) => [`${tag}-${i}`, tag.repeat(1000)])));
  }
  async transaction(tag: string, count: number) {
    await this.storage.transaction(async (txn: any) => {
      for (let i = 0; i < count; i++) await txn.put(`${tag}-${i}`, tag.repeat(1000));
    });
  }
  /** Several statements in one exec(), each a row of 3 KB (SQLite-backed only; `tag` a word). */
  exec(tag: string, count: number) {
    this.storage.sql.exec("CREATE TABLE IF NOT EXISTS t (tag, v);" + `INSERT INTO t VALUES ('${tag}', zeroblob(3000));`.repeat(count));
  }
  deleteAll() {
    return this.storage.deleteAll();
  }
  /** How many keys and rows of each tag the object holds. */
  async held() {
    const tags: Record<string, number> = {};
    for (const key of (await this.storage.list()).keys()) tags[key.split("-")[0]] = (tags[key.split("-")[0]] ?? 0) + 1;
    let rows: Array<{ tag: string; n: number }> = [];
    try {
      rows = this.storage.sql.exec("SELECT tag, count(*) AS n FROM t GROUP BY tag").toArray();
    } catch {
      // KV-backed, or no table (yet, or deleted).
    }
    return { keys: tags, rows: Object.fromEntries(rows.map((row) => [row.tag, row.n])) };
  }
}

describe("a KV-backed object reset by a commit the disk refused, whose files the disk will not read either as eviction drops it", () => {
  it("the eviction keeps its record, the process goes on (the failed read escaped the eviction's timer: an uncaught exception), and the next event, once the disk reads again, finds what was committed", async () => {
    const dir = directories.make();
    const emu = emulator({ ...stores(dir), idleTimeout: 1 });
    const stub = () => emu.env.KV.getByName("a") as AnyStub;
    await stub().put("k", 1);
    const files = (path: string) => /[0-9a-f]{64}\.sqlite(-wal)?$/.test(path);
    fsFaults.fail({ calls: ["openSync", "readFileSync"], path: files });
    const reset = await rejection(stub().put("k", 2));
    // The eviction that tries to read may come in a timer of its own.
    await vi.waitFor(() => expect(fsFaults.injected.some((call) => call.startsWith("readFileSync"))).toBe(true));
    await new Promise((resolve) => setImmediate(resolve));
    fsFaults.clear();
    expect({ reset: reset.durableObjectReset, stored: await stub().get("k") }).toEqual({ reset: true, stored: 1 });
  });
});

describe("a commit the disk tears part-way (half its write on disk, then the disk is full)", () => {
  const bulk = (dir: string): EmulatorOptions => ({ module: { Bulk, SqlBulk: Bulk }, durableObjects: { KV: "Bulk", SQL: { className: "SqlBulk", sqlite: true } }, persist: dir });
  const cases = [
    ["KV", "put() of 60 keys", (stub: AnyStub) => stub.put("b", 60)],
    ["KV", "transaction() of 60 puts", (stub: AnyStub) => stub.transaction("b", 60)],
    ["KV", "deleteAll()", (stub: AnyStub) => stub.deleteAll()],
    ["SQL", "put() of 60 keys", (stub: AnyStub) => stub.put("b", 60)],
    ["SQL", "exec() of 60 statements", (stub: AnyStub) => stub.exec("b", 60)],
    ["SQL", "deleteAll()", (stub: AnyStub) => stub.deleteAll()],
  ] as const;
  for (const [binding, what, failing] of cases) {
    it(`${binding === "KV" ? "KV-backed" : "SQLite-backed"}: ${what} rejects and applies nothing; the commits after it land, and the next emulator finds exactly those`, async () => {
      const dir = directories.make();
      let emu = emulator(bulk(dir));
      const stub = () => emu.env[binding].getByName("a") as AnyStub;
      await stub().put("a", 20);
      if (binding === "SQL") await stub().exec("a", 20);
      const before = await stub().held();
      // The log keeps the torn frames: the cut back to its last commit is refused too, as a crash
      // right after the write would leave it.
      const wal = (path: string) => /[0-9a-f]{64}\.sqlite-wal$/.test(path);
      fsFaults.fail({ calls: ["writeSync"], code: "ENOSPC", torn: true, times: 1, path: wal });
      fsFaults.fail({ calls: ["ftruncateSync"], code: "ENOSPC", times: 1, path: wal });
      const error = await rejection(failing(stub()));
      expect(fsFaults.injected).toHaveLength(2);
      fsFaults.clear();
      expect(error.message).toMatch(binding === "KV" ? "Internal error in Durable Object storage write caused object to be reset." : /^internal error; reference = /);
      expect(await stub().held()).toEqual(before);
      // A commit after the torn one: its append starts where the last whole commit ended.
      await stub().put("c", 2);
      const after = await stub().held();
      expect(after).toEqual({ ...before, keys: { ...before.keys, c: 2 } });
      await emu.dispose();
      emu = emulator(bulk(dir));
      expect(await stub().held()).toEqual(after);
    });
  }
});

describe("emu.failNextCommit() on a persisted SQLite-backed object's exec() of 60 statements", () => {
  it("rejects with the reset error, and none of its statements is in memory, on disk, or in the next emulator; the next commit lands", async () => {
    const dir = directories.make();
    const options: EmulatorOptions = { module: { SqlBulk: Bulk }, durableObjects: { SQL: { className: "SqlBulk", sqlite: true } }, persist: dir };
    let emu = emulator(options);
    const stub = () => emu.env.SQL.getByName("a") as AnyStub;
    await stub().exec("a", 3);
    const before = await stub().held();
    emu.failNextCommit(stub());
    expect((await rejection(stub().exec("b", 60))).message).toBe("Internal error in Durable Object storage write caused object to be reset.");
    expect(await stub().held()).toEqual(before);
    await stub().exec("c", 2);
    const after = { ...before, rows: { ...before.rows, c: 2 } };
    expect(await stub().held()).toEqual(after);
    await emu.dispose();
    emu = emulator(options);
    expect(await stub().held()).toEqual(after);
  });
});

describe("dispose() whose removal of the directory's lock the disk refuses", () => {
  it("rejects with the file system's error once everything else has ended: no file stays open, and the next emulator of this process opens the directory and finds every write", async () => {
    const dir = directories.make();
    let emu = emulator(stores(dir));
    for (const binding of ["KV", "SQL"] as const) await (emu.env[binding].getByName("a") as AnyStub).put("k", binding);
    await emu.env.NS.put("k", "v");
    await emu.env.BUCKET.put("o", "b");
    const kv = emu.env.NS;
    const lock = join(dir, "v3", "do", ".durasim", "lock");
    fsFaults.fail({ calls: ["rmSync"], path: (path) => path === lock });
    const error = await rejection(emu.dispose());
    expect({ code: error.code, injected: fsFaults.injected }).toEqual({ code: "EIO", injected: [`rmSync ${lock}`] });
    fsFaults.clear();
    expect(fsFaults.openPaths().filter((path) => path.startsWith(dir))).toEqual([]);
    // Disposed all the same: its bindings refuse, and a second dispose() resolves.
    expect((await rejection(kv.get("k"))).message).toBe("durasim: this Emulator has been disposed; create a new Emulator to run more Durable Object code.");
    await emu.dispose();
    emu = emulator(stores(dir));
    const found = [await (emu.env.KV.getByName("a") as AnyStub).get("k"), await (emu.env.SQL.getByName("a") as AnyStub).get("k"), await emu.env.NS.get("k"), await (await emu.env.BUCKET.get("o")).text()];
    expect(found).toEqual(["KV", "SQL", "v", "b"]);
  });
});

describe("dispose() while writes are in flight", () => {
  // The same writes with dispose() called 0 to 4 turns after them: at some turn each write has
  // not started, at another it is part-way (the object's commit, the binding's value file and
  // row), at another it is done.
  const options = (dir: string): EmulatorOptions => ({
    module: { Bulk, SqlBulk: Bulk },
    durableObjects: { KV: "Bulk", SQL: { className: "SqlBulk", sqlite: true } },
    kvNamespaces: ["NS"],
    r2Buckets: ["BUCKET"],
    persist: dir,
  });
  const writes = [
    ["KV", "put() of 60 keys", (stub: AnyStub) => stub.put("b", 60)],
    ["SQL", "put() of 60 keys", (stub: AnyStub) => stub.put("b", 60)],
    ["SQL", "exec() of 60 statements", (stub: AnyStub) => stub.exec("b", 60)],
  ] as const;
  for (const [binding, what, write] of writes) {
    it(`${binding === "KV" ? "KV-backed" : "SQLite-backed"}: ${what}, a KV put and an R2 put each land whole or not at all, and one that resolved is on disk`, async () => {
      const landed = new Set<string>();
      for (let turns = 0; turns < 5; turns++) {
        const dir = directories.make();
        let emu = emulator(options(dir));
        const stub = () => emu.env[binding].getByName("a") as AnyStub;
        await stub().put("a", 2);
        await emu.env.NS.put("k", "old");
        await emu.env.BUCKET.put("o", "old");
        const before = await stub().held();
        const settled = (promise: Promise<unknown>) => promise.then(() => true, () => false);
        const calls = Promise.all([settled(write(stub())), settled(emu.env.NS.put("k", "new".repeat(10_000))), settled(emu.env.BUCKET.put("o", "new".repeat(10_000)))]);
        for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
        await emu.dispose();
        const [wrote, put, uploaded] = await calls;
        emu = emulator(options(dir));
        const held = await stub().held();
        const value = await emu.env.NS.get("k");
        const object = await (await emu.env.BUCKET.get("o")).text();
        const applied = [JSON.stringify(held) !== JSON.stringify(before), value !== "old", object !== "old"];
        expect(held).toEqual(applied[0] ? (what.startsWith("exec") ? { ...before, rows: { ...before.rows, b: 60 } } : { ...before, keys: { ...before.keys, b: 60 } }) : before);
        expect([value, object]).toEqual([applied[1] ? "new".repeat(10_000) : "old", applied[2] ? "new".repeat(10_000) : "old"]);
        // A write that resolved landed (one that rejected may have too: its reply was cut, README).
        expect([wrote && !applied[0], put && !applied[1], uploaded && !applied[2]]).toEqual([false, false, false]);
        landed.add(applied.join());
      }
      // The turns covered writes that had not started and writes that had landed.
      expect([...landed]).toEqual(expect.arrayContaining(["false,false,false", "true,true,true"]));
    });
  }
});

describe("an R2 multipart upload whose writes the disk refuses", () => {
  const bucketOptions = (dir: string): EmulatorOptions => ({ module: {}, r2Buckets: ["BUCKET"], persist: dir });
  /** The first part at the 5 MiB every part but the last needs; the last a small one. */
  const part = (n: 1 | 2) => String(n).repeat(n === 1 ? 5 * 1024 * 1024 : 1024);
  const size = 5 * 1024 * 1024 + 1024;
  const database = (dir: string) => (path: string) => path.startsWith(join(dir, "v3", "r2", "miniflare-R2BucketObject")) && path.endsWith(".sqlite-wal");
  const blobs = (dir: string) => (path: string) => path.startsWith(join(dir, "v3", "r2", "BUCKET", "blobs"));
  const faults = [
    ["its database write fails", (dir: string) => [{ calls: ["writeSync"], path: database(dir) }]],
    ["its database write is torn, and its cut back refused", (dir: string) => [{ calls: ["writeSync"], torn: true, path: database(dir) }, { calls: ["ftruncateSync"], path: database(dir) }]],
    ["its part's file cannot be written", (dir: string) => [{ calls: ["writeSync"], path: blobs(dir) }]],
    ["its part file's directory cannot be synced", (dir: string) => [{ calls: ["fsyncSync"], path: (path: string) => path === join(dir, "v3", "r2", "BUCKET", "blobs") }]],
  ] as const;
  for (const step of ["uploadPart", "complete", "abort"] as const) {
    for (const [what, fault] of faults) {
      if (step !== "uploadPart" && what.startsWith("its part")) continue;
      it(`${step === "uploadPart" ? "uploadPart()" : step === "complete" ? "complete()" : "abort()"} whose ${what.slice(4)} rejects, leaves the files and the upload as they were, and the upload can go on, in this emulator and the next`, async () => {
        const dir = directories.make();
        let emu = emulator(bucketOptions(dir));
        const upload = await emu.env.BUCKET.createMultipartUpload("big");
        const first = await upload.uploadPart(1, part(1));
        const files = filesUnder(dir);
        for (const one of fault(dir)) fsFaults.fail(one);
        const failing =
          step === "uploadPart" ? upload.uploadPart(2, part(2)) : step === "complete" ? upload.complete([first]) : upload.abort();
        expect((await rejection(failing)).code).toBe("EIO");
        expect(fsFaults.injected.length).toBeGreaterThan(0);
        fsFaults.clear();
        expect(filesUnder(dir)).toEqual(files);
        expect(await emu.env.BUCKET.head("big")).toBe(null);
        // The upload goes on where it was, after a reopen too.
        await emu.dispose();
        emu = emulator(bucketOptions(dir));
        const resumed = emu.env.BUCKET.resumeMultipartUpload("big", upload.uploadId);
        const second = await resumed.uploadPart(2, part(2));
        const object = await resumed.complete([first, second]);
        expect(object.size).toBe(size);
        const body = await (await emu.env.BUCKET.get("big")).text();
        expect([body.slice(0, 1), body.slice(-1), body.length]).toEqual(["1", "2", size]);
      });
    }
  }
});

describe("a full disk, which refuses every write of data (not the directory's lock)", () => {
  const fillDisk = (dir: string) =>
    fsFaults.fail({ calls: ["writeSync", "writeFileSync"], code: "ENOSPC", path: (path) => path.startsWith(dir) && !path.endsWith(join(".durasim", "lock")) });

  it("still lets an emulator with the same configuration open the directory and read every object (their WAL left unmerged), fails writes until space returns, and loses nothing", async () => {
    const dir = directories.make();
    let emu = emulator(stores(dir));
    // Two commits each: the second is in the object's WAL, which the next load merges.
    for (const value of [1, 2]) for (const binding of ["KV", "SQL"] as const) await (emu.env[binding].getByName("a") as AnyStub).put("k", value);
    await emu.dispose();
    fillDisk(dir);
    // Nothing changed in the configuration: the open writes nothing (no record rewritten).
    emu = emulator(stores(dir));
    for (const binding of ["KV", "SQL"] as const) {
      const stub = () => emu.env[binding].getByName("a") as AnyStub;
      expect(await stub().get("k")).toBe(2);
      expect((await rejection(stub().put("k", 3))).message).toMatch(binding === "KV" ? "Internal error in Durable Object storage write caused object to be reset." : /^internal error; reference = /);
      expect(await stub().get("k")).toBe(2);
    }
    expect(fsFaults.injected.length).toBeGreaterThan(0);
    fsFaults.clear();
    for (const binding of ["KV", "SQL"] as const) await (emu.env[binding].getByName("a") as AnyStub).put("k", 3);
    await emu.dispose();
    emu = emulator(stores(dir));
    for (const binding of ["KV", "SQL"] as const) expect(await (emu.env[binding].getByName("a") as AnyStub).get("k")).toBe(3);
  });
});

describe("a persistence directory whose lock cannot be written", () => {
  it("refuses the emulator with an error naming the directory and the persist option, leaves no lock file, and the next emulator opens once space returns", async () => {
    const dir = directories.make();
    const lock = join(dir, "v3", "do", ".durasim", "lock");
    fsFaults.fail({ calls: ["writeSync"], code: "ENOSPC", path: (path) => path === lock });
    const error = (() => {
      try {
        emulator(stores(dir));
      } catch (thrown) {
        return thrown as Error;
      }
    })();
    expect(error?.message).toMatch(new RegExp(`^durasim: cannot lock the persistence directory .*${basename(dir)}/v3/do \\(the \`persist\` option\\): writing .*lock failed: .*ENOSPC`));
    expect((error?.cause as NodeJS.ErrnoException | undefined)?.code).toBe("ENOSPC");
    expect(existsSync(lock)).toBe(false);
    fsFaults.clear();
    const emu = emulator(stores(dir));
    await (emu.env.KV.getByName("a") as AnyStub).put("k", 1);
    expect(await (emu.env.KV.getByName("a") as AnyStub).get("k")).toBe(1);
  });
});

describe("emu.restore() of a SQLite-backed object's whole file, when the alarm index refuses the file's alarm", () => {
  it("rejects, and memory, the disk and the next emulator keep the object as it was: no alarm the index never heard of", async () => {
    const dir = directories.make();
    const options = { ...stores(dir), clock: "manual" as const };
    let emu = emulator(options);
    const stub = () => emu.env.SQL.getByName("a") as AnyStub;
    const time = Date.now() + 60_000;
    await stub().setAlarm(time);
    const snapshot = await emu.snapshot();
    await stub().deleteAlarm();
    await stub().createTable();
    refuseAlarmIndexWrites();
    expect((await rejection(emu.restore(snapshot))).code).toBe("EIO");
    fsFaults.clear();
    expect(await stub().getAlarm()).toBe(null);
    await emu.dispose();
    emu = emulator(options);
    await expectNoAlarmWithin(emu, 120_000);
  });
});

describe("cloudflare:test's reset() (deleteAllDurableObjects), when the disk refuses to let one namespace's data go", () => {
  it("rejects with the file system's error and deletes no object of any namespace", async () => {
    const dir = directories.make();
    const { emu, counter, notes } = await written(dir);
    useEmulator(emu);
    try {
      fsFaults.fail({ calls: ["renameSync", "rmSync"], path: notesDirectory(dir) });
      expect((await rejection(reset())).message).toMatch(/^EIO: injected fault/);
      fsFaults.clear();
      expect(await counter.increment()).toEqual({ stored: 2, calls: 2 });
      expect(await notes.increment()).toEqual({ stored: 2, calls: 2 });
      await emu.dispose();
      expect(await notesOnDisk(dir)).toBe(2);
    } finally {
      useEmulator(undefined);
    }
  });

  it("a reset whose deletion the disk will not commit rejects and deletes nothing", async () => {
    const dir = directories.make();
    const { emu, counter, notes } = await written(dir);
    useEmulator(emu);
    try {
      // The marker whose removal commits the deletion.
      fsFaults.fail({ calls: ["rmSync"], path: (path) => path.startsWith(join(dir, "v3", "do", ".durasim", "trash-")) && basename(path) === ".uncommitted" });
      expect((await rejection(reset())).message).toMatch(/^EIO: injected fault/);
      fsFaults.clear();
      expect(await counter.increment()).toEqual({ stored: 2, calls: 2 });
      expect(await notes.increment()).toEqual({ stored: 2, calls: 2 });
      expect(readdirSync(join(dir, "v3", "do", ".durasim")).sort()).toEqual(["lock", "migrations.json"]);
    } finally {
      useEmulator(undefined);
    }
  });

  it("a namespace moved aside that cannot go back after another refused is put back by the next emulator: no object of any namespace is deleted", async () => {
    const dir = directories.make();
    const { emu } = await written(dir);
    const counterDirectory = join(dir, "v3", "do", "app-Counter");
    useEmulator(emu);
    try {
      fsFaults.fail({ calls: ["renameSync", "rmSync"], path: notesDirectory(dir) });
      // Counter's directory moves aside first; its move back fails.
      fsFaults.fail({ calls: ["renameSync"], path: (path) => path === counterDirectory, after: 1 });
      expect((await rejection(reset())).message).toMatch(/^EIO: injected fault/);
      expect(fsFaults.injected).toContain(`renameSync ${counterDirectory}`);
      fsFaults.clear();
      expect(existsSync(counterDirectory)).toBe(false);
      await emu.dispose();
    } finally {
      useEmulator(undefined);
    }
    const reopened = emulator({ ...both, persist: dir });
    expect(await (reopened.env.COUNTER.getByName("a") as AnyStub).read()).toBe(1);
    expect(await (reopened.env.NOTES.getByName("n") as AnyStub).read()).toBe(1);
    expect(readdirSync(join(dir, "v3", "do", ".durasim")).sort()).toEqual(["lock", "migrations.json"]);
  });
});

describe("a deletion a crash left in the trash after its record was written, when the next emulator cannot remove it", () => {
  const recreated = [v1, { tag: "v2", deleted_classes: ["Notes"] }, { tag: "v3", new_classes: ["Notes"] }];

  /**
   * The state a crash between a deleting migration's record and the removal of what it deleted
   * leaves: Notes' directory (one object, stored 1) in a trash directory whose marker names the
   * record on disk. Returns that trash directory.
   */
  async function crashedAfterRecord(dir: string): Promise<string> {
    await (await written(dir)).emu.dispose();
    const saved = join(directories.make(), "app-Notes");
    cpSync(join(dir, "v3", "do", "app-Notes"), saved, { recursive: true });
    await emulator({ ...deletingNotes, persist: dir }).dispose();
    const trash = join(dir, "v3", "do", ".durasim", `trash-${randomUUID()}`);
    mkdirSync(trash);
    writeFileSync(join(trash, ".uncommitted"), JSON.stringify({ committedBy: readFileSync(recordPath(dir), "utf8") }));
    renameSync(saved, join(trash, "app-Notes"));
    return trash;
  }

  /** What an emulator whose v3 re-creates Notes finds on `dir`: Notes' and Counter's stored counts. */
  async function recreatedOnDisk(dir: string): Promise<Array<number | undefined>> {
    const emu = emulator({ ...both, migrations: recreated, persist: dir });
    return [await (emu.env.NOTES.getByName("n") as AnyStub).read(), await (emu.env.COUNTER.getByName("a") as AnyStub).read()];
  }

  it("a trash directory that cannot be removed loses its marker first: a later migration's record does not make the emulator after it put the deleted class's objects back", async () => {
    const dir = directories.make();
    const trash = await crashedAfterRecord(dir);
    fsFaults.fail({ calls: ["rmSync"], path: (path) => path === trash });
    const next = emulator({ ...both, migrations: recreated, persist: dir });
    expect(fsFaults.injected).toEqual([`rmSync ${trash}`]);
    fsFaults.clear();
    expect(await (next.env.NOTES.getByName("n") as AnyStub).read()).toBe(undefined);
    await next.dispose();
    expect(await recreatedOnDisk(dir)).toEqual([undefined, 1]);
    expect(readdirSync(join(dir, "v3", "do", ".durasim")).sort()).toEqual(["lock", "migrations.json"]);
  });

  it("a trash directory whose marker cannot be removed either makes the later record's write fail: nothing is recorded, and the emulator after it removes the trash", async () => {
    const dir = directories.make();
    const trash = await crashedAfterRecord(dir);
    const record = readFileSync(recordPath(dir), "utf8");
    fsFaults.fail({ calls: ["rmSync"], path: (path) => path.startsWith(trash) });
    const error = thrown(() => emulator({ ...both, migrations: recreated, persist: dir }));
    expect(error.code).toBe("EIO");
    expect(error.path).toBe(join(trash, ".uncommitted"));
    fsFaults.clear();
    expect(readFileSync(recordPath(dir), "utf8")).toBe(record);
    expect(await recreatedOnDisk(dir)).toEqual([undefined, 1]);
    expect(readdirSync(join(dir, "v3", "do", ".durasim")).sort()).toEqual(["lock", "migrations.json"]);
  });
});

describe("a SQLite database whose pages (not its header) are damaged on disk", () => {
  class Rows extends DurableObject {
    get storage(): any {
      return (this.ctx as unknown as { storage: unknown }).storage;
    }
    fill() {
      this.storage.sql.exec("CREATE TABLE t (a)");
      for (let i = 0; i < 200; i++) this.storage.sql.exec("INSERT INTO t VALUES (?)", "x".repeat(100)); // several pages
    }
    count() {
      return this.storage.sql.exec("SELECT count(*) AS n FROM t").one().n;
    }
    add() {
      this.storage.sql.exec("INSERT INTO t VALUES ('y')");
      return this.storage.put("k", 1);
    }
    get(key: string) {
      return this.storage.get(key);
    }
  }
  const options = (dir: string): EmulatorOptions => ({ name: "app", module: { Rows }, durableObjects: { ROWS: { className: "Rows", sqlite: true } }, persist: dir });

  it("fails the uses that meet them with a DamagedFileError naming the file and the fix (SQLite's finding in its problem), leaves the file as it was, and other objects go on", async () => {
    const dir = directories.make();
    let emu = emulator(options(dir));
    const damage = {
      // The table's pages, past page 2 (sqlite_master is page 1, the table's root page 2).
      tablePages: { from: 2 * 4096, finding: "database disk image is malformed: SQLITE_CORRUPT" },
      // Page 1 past the header: sqlite_master, which opening the database reads.
      schemaPage: { from: 100, to: 4096, finding: "database disk image is malformed" },
    };
    const files: Record<string, { path: string; bytes?: Buffer }> = {};
    for (const name of [...Object.keys(damage), "fine"]) {
      await (emu.env.ROWS.getByName(name) as AnyStub).fill();
      files[name] = { path: join(dir, "v3", "do", "app-Rows", `${emu.env.ROWS.idFromName(name)}.sqlite`) };
    }
    await emu.dispose();
    for (const [name, { from, to }] of Object.entries(damage) as [string, { from: number; to?: number }][]) {
      const bytes = readFileSync(files[name]!.path);
      bytes.fill(0xff, from, to ?? bytes.byteLength);
      writeFileSync(files[name]!.path, bytes);
      files[name]!.bytes = bytes;
    }
    emu = emulator(options(dir));
    for (const [name, { finding }] of Object.entries(damage)) {
      const { path } = files[name]!;
      const error = await rejection((emu.env.ROWS.getByName(name) as AnyStub).count());
      expect([error.name, error.path, error.message]).toEqual([
        "DamagedFileError",
        path,
        `durasim: the SQLite database ${path} is damaged: SQLite finds its pages damaged ("${finding}"). durasim leaves it untouched; ` +
          `move it (and ${path}-wal, if there is one) out of the directory, or restore it from a backup; without it the storage it held starts empty.`,
      ]);
    }
    // Damage in the schema page fails every use, the KV API's too.
    expect((await rejection((emu.env.ROWS.getByName("schemaPage") as AnyStub).get("k"))).name).toBe("DamagedFileError");
    expect(await (emu.env.ROWS.getByName("fine") as AnyStub).count()).toBe(200);
    await emu.dispose();
    for (const name of Object.keys(damage)) expect(readFileSync(files[name]!.path).equals(files[name]!.bytes!)).toBe(true);
  });
  it("fails a commit that meets them with the runtime's internal error, logs the DamagedFileError beside it, and applies none of the batch", async () => {
    // No statement durasim lets code run makes COMMIT read pages (auto_vacuum is refused), so
    // COMMIT is made to meet the damage as a file whose pages went bad under it would.
    const dir = directories.make();
    const emu = emulator(options(dir));
    const stub = emu.env.ROWS.getByName("c") as AnyStub;
    await stub.fill();
    const path = join(dir, "v3", "do", "app-Rows", `${emu.env.ROWS.idFromName("c")}.sqlite`);
    const before = readFileSync(path);
    const { Database } = await loadSqlEngine();
    const exec = Database.prototype.exec;
    const commit = vi.spyOn(Database.prototype, "exec").mockImplementation(function (this: Database, sql, ...rest) {
      if (sql === "COMMIT") throw new Error("database disk image is malformed");
      return exec.call(this, sql, ...rest);
    });
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const error = await rejection(stub.add());
      commit.mockRestore();
      expect([error.name, error.message]).toEqual(["Error", expect.stringMatching(/^internal error; reference = [0-9a-v]{24}$/)]);
      expect(log.mock.calls.map((call) => call.join(" "))).toEqual([
        `durasim: a Durable Object's commit failed (durasim: the SQLite database ${path} is damaged: SQLite finds its pages damaged ("database disk image is malformed: SQLITE_CORRUPT"). ` +
          `durasim leaves it untouched; move it (and ${path}-wal, if there is one) out of the directory, or restore it from a backup; without it the storage it held starts empty.); its caller sees "${error.message}".`,
      ]);
    } finally {
      commit.mockRestore();
      log.mockRestore();
    }
    // The batch (a row, a key) is gone: the object, reached by a new stub (the reset broke
    // this one, as production's), goes on with what it had.
    const again = emu.env.ROWS.getByName("c") as AnyStub;
    expect([await again.count(), await again.get("k")]).toEqual([200, undefined]);
    await emu.dispose();
    expect(readFileSync(path).equals(before)).toBe(true);
  });
});

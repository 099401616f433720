/**
 * `persist`: storage on disk, black-box through the Emulator. A new emulator on the same
 * directory sees every committed write of both kinds of class, SQL tables, alarms (due ones
 * fire), applied migrations; one writer per directory; names cannot escape it.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DamagedFileError, Emulator, type EmulatorOptions } from "../lib/index.js";
import { setOpenDatabaseLimit } from "../lib/sqlite/connection-pool.js";
import { reset, useEmulator } from "../lib/modules/test/index.js";
import { DurableObject } from "../lib/modules/workers.js";
import { type AnyStub, rejection } from "./helpers.js";
import { ScratchDirectories } from "./scratch-directories.js";

type Ctx = { storage: any; id: { name?: string } };
const fired: string[] = [];

class Store extends DurableObject {
  get s() {
    return (this.ctx as unknown as Ctx).storage;
  }
  put(key: string, value: unknown) {
    return this.s.put(key, value);
  }
  async entries() {
    return [...(await this.s.list())];
  }
  deleteAll() {
    return this.s.deleteAll();
  }
  setAlarm(at: number) {
    return this.s.setAlarm(at);
  }
  getAlarm() {
    return this.s.getAlarm();
  }
  alarm() {
    fired.push((this.ctx as unknown as Ctx).id.name ?? "?");
  }
  sql(query: string, ...args: unknown[]) {
    return this.s.sql.exec(query, ...args).toArray();
  }
}
class SqlStore extends Store {}

const directories = new ScratchDirectories("durasim-persist-");
const open: Emulator[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((emu) => emu.dispose()));
  directories.removeAll();
});

function emulator(persist: EmulatorOptions["persist"], extra: Partial<EmulatorOptions> = {}): Emulator {
  const emu = new Emulator({
    name: "app",
    module: { Store, SqlStore },
    durableObjects: { KV: "Store", SQL: { className: "SqlStore", sqlite: true } },
    persist,
    ...extra,
  });
  open.push(emu);
  return emu;
}

async function reopen(emu: Emulator, persist: EmulatorOptions["persist"], extra: Partial<EmulatorOptions> = {}): Promise<Emulator> {
  await emu.dispose();
  return emulator(persist, extra);
}

describe("persist", () => {
  it("keeps KV-backed and SQLite-backed storage, SQL tables included, for the next emulator", async () => {
    const dir = directories.make();
    let emu = emulator(dir);
    await emu.env.KV.getByName("a").put("k", { nested: [1, 2n, new Map([[1, "x"]])] });
    const sql: AnyStub = emu.env.SQL.getByName("b");
    await sql.sql("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
    await sql.sql("INSERT INTO t(v) VALUES ('one'), ('two')");
    await sql.put("kv", "on sqlite");
    emu = await reopen(emu, dir);
    expect(await emu.env.KV.getByName("a").entries()).toEqual([["k", { nested: [1, 2n, new Map([[1, "x"]])] }]]);
    expect(await emu.env.SQL.getByName("b").sql("SELECT v FROM t ORDER BY id")).toEqual([{ v: "one" }, { v: "two" }]);
    expect(await emu.env.SQL.getByName("b").entries()).toEqual([["kv", "on sqlite"]]);
    expect((await emu.listIds("KV")).map(String)).toEqual([emu.env.KV.idFromName("a").toString()]);
  });

  it("keeps KV namespaces and R2 buckets too", async () => {
    const dir = directories.make();
    let emu = emulator(dir, { kvNamespaces: ["CACHE"], r2Buckets: ["FILES"] });
    await emu.env.CACHE.put("k", "v");
    await emu.env.FILES.put("f", "body");
    emu = await reopen(emu, dir, { kvNamespaces: ["CACHE"], r2Buckets: ["FILES"] });
    expect(await emu.env.CACHE.get("k")).toBe("v");
    expect(await (await emu.env.FILES.get("f")).text()).toBe("body");
  });

  it("lays files out as wrangler dev does, under <dir>/v3/do/<script>-<Class>/", async () => {
    const dir = directories.make();
    const emu = emulator(dir);
    await emu.env.KV.getByName("a").put("k", 1);
    await emu.env.SQL.getByName("b").put("k", 1);
    expect(readdirSync(join(dir, "v3", "do")).sort()).toEqual([".durasim", "app-SqlStore", "app-Store"]);
    expect(readdirSync(join(dir, "v3", "do", "app-Store"))).toContain(`${emu.env.KV.idFromName("a")}.sqlite`);
  });

  it("keeps deleteAll(): the next emulator finds the object empty", async () => {
    const dir = directories.make();
    let emu = emulator(dir);
    await emu.env.SQL.getByName("d").sql("CREATE TABLE t(x)");
    await emu.env.SQL.getByName("d").put("k", 1);
    await emu.env.SQL.getByName("d").deleteAll();
    emu = await reopen(emu, dir);
    expect(await emu.env.SQL.getByName("d").entries()).toEqual([]);
    expect(await emu.env.SQL.getByName("d").sql("SELECT name FROM sqlite_master")).toEqual([]);
  });

  it("fires persisted alarms: when due, and at once when overdue on open, with ctx.id.name", async () => {
    const dir = directories.make();
    let emu = emulator(dir, { clock: "manual" });
    await emu.env.KV.getByName("later").setAlarm(Date.now() + 60_000);
    await emu.env.SQL.getByName("soon").setAlarm(Date.now() + 1_000);
    emu = await reopen(emu, dir, { clock: "manual" });
    fired.length = 0;
    await emu.ready;
    await emu.advanceTime(2_000);
    expect(fired).toEqual(["soon"]);
    await emu.advanceTime(60_000);
    expect(fired).toEqual(["soon", "later"]);
    expect(await emu.env.KV.getByName("later").getAlarm()).toBeNull();
  });

  it("keeps a leading U+FEFF (byte-order mark) of what it reads back from its SQLite files: an alarm's object name, KV keys, R2 keys", async () => {
    const dir = directories.make();
    const options: Partial<EmulatorOptions> = { clock: "manual", kvNamespaces: ["CACHE"], r2Buckets: ["FILES"] };
    let emu = emulator(dir, options);
    // Two objects whose names differ only by the mark, so a lost mark names the other one.
    await emu.env.KV.getByName("\uFEFFx").setAlarm(Date.now() + 1_000);
    // A minute apart: the manual clock of the reopened emulator starts at the real time of its
    // construction, so the time a loaded machine takes to reopen counts toward both alarms.
    await emu.env.KV.getByName("x").setAlarm(Date.now() + 60_000);
    await emu.env.CACHE.put("\uFEFFk", "marked");
    await emu.env.FILES.put("\uFEFFf", "marked");
    emu = await reopen(emu, dir, options);
    fired.length = 0;
    await emu.ready;
    await emu.advanceTime(1_500);
    expect(fired).toEqual(["\uFEFFx"]);
    await emu.advanceTime(60_000);
    expect(fired).toEqual(["\uFEFFx", "x"]);
    expect((await emu.env.CACHE.list()).keys.map((key: { name: string }) => key.name)).toEqual(["\uFEFFk"]);
    expect(await emu.env.CACHE.get("\uFEFFk")).toBe("marked");
    expect((await emu.env.FILES.list()).objects.map((object: { key: string }) => object.key)).toEqual(["\uFEFFf"]);
    expect(await (await emu.env.FILES.get("\uFEFFf")).text()).toBe("marked");
  });

  it("a directory the file system refuses is a ConfigError naming persist, the directory and the fix, with the refusal as its cause", () => {
    const dir = directories.make();
    writeFileSync(join(dir, "v3"), "a file where the data directory goes");
    let error = new Error("nothing thrown");
    try {
      emulator(dir);
    } catch (thrown) {
      error = thrown as Error;
    }
    expect([error.name, (error.cause as NodeJS.ErrnoException | undefined)?.code]).toEqual(["ConfigError", "ENOTDIR"]);
    expect(error.message).toBe(
      `durasim: option "persist": cannot use ${join(dir, "v3", "do")} as the persistence directory (ENOTDIR: not a directory, mkdir '${join(dir, "v3", "do")}'). ` +
        "Give a directory this process can create and write to, or persist: false to keep storage in memory.",
    );
    // Nothing was taken: once the path is usable the same directory opens.
    rmSync(join(dir, "v3"));
    expect(() => emulator(dir)).not.toThrow();
  });

  it("a KV or R2 persistence directory the file system refuses is a ConfigError at construction too, naming its option (not a raw error at the first write)", () => {
    const dir = directories.make();
    writeFileSync(join(dir, "file"), "a file where a directory goes");
    for (const kind of ["kv", "r2"] as const) {
      const path = join(dir, "file", kind);
      let error = new Error("nothing thrown");
      try {
        emulator({ path: dir, [kind]: path });
      } catch (thrown) {
        error = thrown as Error;
      }
      expect([error.name, (error.cause as NodeJS.ErrnoException | undefined)?.code]).toEqual(["ConfigError", "ENOTDIR"]);
      expect(error.message).toBe(
        `durasim: option "persist": cannot use ${path} as the ${kind.toUpperCase()} bindings' persistence directory (persist.${kind}) (ENOTDIR: not a directory, mkdir '${path}'). ` +
          "Give a directory this process can create and write to, or persist: false to keep storage in memory.",
      );
    }
    // Nothing was taken (the Durable Objects directory's lock): with usable paths the same directory opens.
    expect(() => emulator({ path: dir, kv: false, r2: false })).not.toThrow();
  });

  it("a disk error while committing: the caller gets production's internal error, the cause is logged with it, nothing of the batch is applied or lost", async () => {
    const dir = directories.make();
    let emu = emulator(dir);
    const sql = emu.env.SQL.getByName("s") as AnyStub;
    await sql.sql("CREATE TABLE t(x)");
    await sql.sql("INSERT INTO t VALUES (1)");
    // The object's directory becomes a file: its next commit cannot write.
    const objects = join(dir, "v3", "do", "app-SqlStore");
    renameSync(objects, `${objects}.moved`);
    writeFileSync(objects, "");
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      // Two statements of one batch (a single multi-row INSERT is atomic by itself).
      const error = await rejection(sql.sql("INSERT INTO t VALUES (2); INSERT INTO t VALUES (3)"));
      expect(error.message).toMatch(/^internal error; reference = [0-9a-v]{24}$/);
      expect(logged.mock.calls).toEqual([[expect.stringMatching(/^durasim: a Durable Object's commit failed \(ENOTDIR: not a directory, .*: SQLITE_IOERR\); its caller sees "internal error; reference = /)]]);
      expect(logged.mock.calls[0]![0]).toContain(error.message);
    } finally {
      logged.mockRestore();
    }
    rmSync(objects);
    renameSync(`${objects}.moved`, objects);
    expect(await (emu.env.SQL.getByName("s") as AnyStub).sql("SELECT x FROM t")).toEqual([{ x: 1 }]);
    emu = await reopen(emu, dir);
    expect(await (emu.env.SQL.getByName("s") as AnyStub).sql("SELECT x FROM t")).toEqual([{ x: 1 }]);
  });

  it("a commit failure a test injects (emu.failNextCommit with its error) is not logged: the caller gets production's wording, stderr stays quiet", async () => {
    const emu = emulator(directories.make());
    const sql = emu.env.SQL.getByName("i") as AnyStub;
    await sql.sql("CREATE TABLE t(x)");
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      emu.failNextCommit(sql, new Error("boom"));
      expect((await rejection(sql.sql("INSERT INTO t VALUES (1)"))).message).toMatch(/^internal error; reference = [0-9a-v]{24}$/);
      expect(logged.mock.calls).toEqual([]);
    } finally {
      logged.mockRestore();
    }
    expect(await (emu.env.SQL.getByName("i") as AnyStub).sql("SELECT x FROM t")).toEqual([]);
    await emu.dispose();
  });

  it("removes what a crash left of an atomic file write (`<file>.<pid>.tmp`, `<file>.<pid>.previous`) by a process that is gone, long ago, and only that", async () => {
    const dir = directories.make();
    const bindings = { kvNamespaces: ["CACHE"], r2Buckets: ["FILES"] };
    let emu = emulator(dir, bindings);
    await emu.env.KV.getByName("a").put("k", 1);
    await emu.env.SQL.getByName("b").put("k", 2);
    await emu.env.CACHE.put("k", "v");
    await emu.env.FILES.put("f", "body");
    await emu.dispose();
    const files = (readdirSync(dir, { recursive: true }) as string[]).filter((name) => /(\.sqlite|migrations\.json)$/.test(name));
    expect(files.filter((name) => name.includes(join("v3", "kv")) || name.includes(join("v3", "r2"))).length).toBeGreaterThan(0);
    const gone = 999_999_999; // no process has this pid
    const stray = files.flatMap((name) => [`${name}.${gone}.tmp`, `${name}.${gone}.previous`]);
    // Kept: another live process's write in progress, and a kept file whose own name is missing (it may be the one copy).
    // Kept too: a recent write of a pid that looks gone (a process in another pid namespace, a
    // container sharing the directory, may be writing it now).
    const recent = files.map((name) => `${name}.${gone + 1}.tmp`);
    const kept = [...files.map((name) => `${name}.${process.ppid}.tmp`), join("v3", "do", "app-Store", `${"0".repeat(64)}.sqlite.${gone}.previous`)];
    const longAgo = new Date(Date.now() - 60 * 60_000);
    for (const name of [...stray, ...kept]) {
      writeFileSync(join(dir, name), "left by a crash");
      utimesSync(join(dir, name), longAgo, longAgo);
    }
    for (const name of recent) writeFileSync(join(dir, name), "being written in another pid namespace");
    emu = emulator(dir, bindings);
    expect(await emu.env.KV.getByName("a").entries()).toEqual([["k", 1]]);
    expect(await emu.env.SQL.getByName("b").entries()).toEqual([["k", 2]]);
    expect(await emu.env.CACHE.get("k")).toBe("v");
    expect(await (await emu.env.FILES.get("f")).text()).toBe("body");
    const after = readdirSync(dir, { recursive: true }) as string[];
    expect(stray.filter((name) => after.includes(name))).toEqual([]);
    expect([...kept, ...recent].filter((name) => !after.includes(name))).toEqual([]);
  });

  it("refuses a second emulator on the same directory until the first is disposed", async () => {
    const dir = directories.make();
    const first = emulator(dir);
    expect(() => emulator(dir)).toThrow(/already used by another Emulator in this process/);
    await first.dispose();
    expect(() => emulator(dir)).not.toThrow();
  });

  it("remembers applied migrations: the next emulator refuses a list that rewrites them", async () => {
    const dir = directories.make();
    const migrations = [{ tag: "v1", new_classes: ["Store"], new_sqlite_classes: ["SqlStore"] }];
    let emu = emulator(dir, { migrations, durableObjects: { KV: "Store", SQL: "SqlStore" } });
    await emu.env.SQL.getByName("m").sql("CREATE TABLE t(x)");
    emu = await reopen(emu, dir, { migrations, durableObjects: { KV: "Store", SQL: "SqlStore" } });
    expect(await emu.env.SQL.getByName("m").sql("SELECT name FROM sqlite_master")).toEqual([{ name: "t" }]);
    await emu.dispose();
    const rewritten = [{ tag: "other", new_classes: ["Store", "SqlStore"] }];
    expect(() => emulator(dir, { migrations: rewritten, durableObjects: { KV: "Store", SQL: "SqlStore" } })).toThrow(/v1/);
  });

  it("snapshot() and restore() cover the state on disk: the next emulator sees the restored state", async () => {
    const dir = directories.make();
    let emu = emulator(dir);
    await emu.env.KV.getByName("a").put("k", "kept");
    await emu.env.SQL.getByName("a").sql("CREATE TABLE t(x)");
    const snapshot = await emu.snapshot();
    await emu.env.KV.getByName("a").put("k", "undone");
    await emu.env.KV.getByName("new").put("k", "undone");
    await emu.env.SQL.getByName("a").sql("DROP TABLE t");
    await emu.restore(snapshot);
    expect(await emu.env.KV.getByName("a").entries()).toEqual([["k", "kept"]]);
    emu = await reopen(emu, dir);
    expect(await emu.env.KV.getByName("a").entries()).toEqual([["k", "kept"]]);
    expect(await emu.env.KV.getByName("new").entries()).toEqual([]);
    expect(await emu.env.SQL.getByName("a").sql("SELECT name FROM sqlite_master WHERE name = 't'")).toEqual([{ name: "t" }]);
  });

  it("snapshot() and restore() cycles over persisted KV and R2 leave no files behind: values written after the latest snapshot go once nothing names them, values a snapshot names stay readable", async () => {
    const dir = directories.make();
    const emu = emulator(dir, { kvNamespaces: ["CACHE"], r2Buckets: ["FILES"] });
    const env = emu.env as AnyStub;
    const blobs = () => ["kv/CACHE", "r2/FILES"].map((store) => readdirSync(join(dir, "v3", ...store.split("/"), "blobs")).length);
    const write = async (value: string) => {
      await env.CACHE.put("k", value);
      await env.FILES.put("f", value);
    };
    const read = async () => [await env.CACHE.get("k"), await (await env.FILES.get("f"))?.text()];
    await write("one");
    const first = await emu.snapshot();
    for (let i = 0; i < 20; i++) {
      await write(`test ${i}`);
      await write(`test ${i}, again`);
      await emu.restore(first);
    }
    expect(blobs()).toEqual([1, 1]);
    expect(await read()).toEqual(["one", "one"]);
    await write("two");
    const second = await emu.snapshot();
    await write("three");
    await emu.restore(first);
    expect(await read()).toEqual(["one", "one"]);
    expect(blobs()).toEqual([2, 2]); // "one" and "two": "three" came after the latest snapshot
    await emu.restore(second);
    expect(await read()).toEqual(["two", "two"]);
    await env.CACHE.delete("k");
    await env.FILES.delete("f");
    expect(blobs()).toEqual([2, 2]);
  });

  it("reports the stored size of a persisted SQLite database parked on disk", async () => {
    const emu = emulator(directories.make());
    const stub = emu.env.SQL.getByName("sized");
    await stub.sql("CREATE TABLE t(x)");
    await stub.sql("INSERT INTO t VALUES (randomblob(20000))");
    const open = emu.usage(stub).sqlite.databaseBytes;
    expect(open).toBeGreaterThan(20000);
    // With one database open at a time, using another object parks this one (its bytes on disk only).
    setOpenDatabaseLimit(1);
    try {
      await emu.env.SQL.getByName("other").sql("SELECT 1");
      expect(emu.usage(stub).sqlite.databaseBytes).toBe(open);
    } finally {
      setOpenDatabaseLimit(1000);
    }
  });

  it("applies each migration once: a restart does not re-run a delete over data written after it", async () => {
    const dir = directories.make();
    const bound = { durableObjects: { KV: "Store", SQL: { className: "SqlStore", sqlite: true } } };
    const created = [{ tag: "v1", new_classes: ["Store"], new_sqlite_classes: ["SqlStore"] }];
    let emu = emulator(dir, { migrations: created, ...bound });
    await emu.env.KV.getByName("m").put("k", "before the delete");
    // v2 deletes the classes' data, v3 brings the classes back empty.
    const recreated = [...created, { tag: "v2", deleted_classes: ["Store", "SqlStore"] }, { tag: "v3", new_classes: ["Store"], new_sqlite_classes: ["SqlStore"] }];
    emu = await reopen(emu, dir, { migrations: recreated, ...bound });
    expect(await emu.env.KV.getByName("m").entries()).toEqual([]);
    await emu.env.KV.getByName("m").put("k", "after the delete");
    await emu.env.SQL.getByName("m").sql("CREATE TABLE t(x)");
    emu = await reopen(emu, dir, { migrations: recreated, ...bound });
    expect(await emu.env.KV.getByName("m").entries()).toEqual([["k", "after the delete"]]);
    expect(await emu.env.SQL.getByName("m").sql("SELECT name FROM sqlite_master WHERE name = 't'")).toEqual([{ name: "t" }]);
  });

  it("a migration that deletes a class its configuration no longer binds deletes the class's objects on disk: a class created later under the name starts empty", async () => {
    const dir = directories.make();
    const created = { tag: "v1", new_classes: ["Store"], new_sqlite_classes: ["SqlStore"] };
    let emu = emulator(dir, { migrations: [created] });
    await emu.env.KV.getByName("m").put("k", "before the delete");
    await (emu.env.SQL.getByName("m") as AnyStub).sql("CREATE TABLE t(x)");
    const deleted = { tag: "v2", deleted_classes: ["Store"] };
    emu = await reopen(emu, dir, { migrations: [created, deleted], durableObjects: { SQL: "SqlStore" } });
    expect(readdirSync(join(dir, "v3", "do")).sort()).toEqual([".durasim", "app-SqlStore"]);
    emu = await reopen(emu, dir, { migrations: [created, deleted, { tag: "v3", new_classes: ["Store"] }] });
    expect(await emu.env.KV.getByName("m").entries()).toEqual([]);
    expect(await (emu.env.SQL.getByName("m") as AnyStub).sql("SELECT name FROM sqlite_master WHERE name = 't'")).toEqual([{ name: "t" }]);
  });

  it("emu.migrate() records what it applied on disk: the next emulator knows those tags, as after migrations given at construction", async () => {
    const dir = directories.make();
    const created = { tag: "v1", new_classes: ["Store"], new_sqlite_classes: ["SqlStore"] };
    const emu = emulator(dir, { migrations: [created], durableObjects: { KV: "Store" } });
    await emu.migrate([created, { tag: "v2", deleted_classes: ["SqlStore"] }]);
    await emu.dispose();
    expect(() => emulator(dir, { migrations: [created], durableObjects: { KV: "Store" } })).toThrow(/v2/);
  });

  it("an emu.migrate() whose record cannot be written changes nothing: no object deleted or moved, the recorded tags as before", async () => {
    const dir = directories.make();
    const created = { tag: "v1", new_classes: ["Store"], new_sqlite_classes: ["SqlStore"] };
    // The SQLite class is declared by the migration alone (emu.migrate() cannot remove a binding).
    const emu = emulator(dir, { module: { Store, SqlStore, Renamed: Store }, migrations: [created], durableObjects: { KV: "Store" } });
    await emu.env.KV.getByName("m").put("k", "kept");
    await (emu.getClassNamespace("SqlStore")!.getByName("m") as AnyStub).put("k", "kept");
    // The record's file becomes a directory, which a file cannot replace.
    const record = join(dir, "v3", "do", ".durasim", "migrations.json");
    const before = readFileSync(record, "utf8");
    rmSync(record);
    mkdirSync(join(record, "blocked"), { recursive: true });
    const next = [created, { tag: "v2", renamed_classes: [{ from: "Store", to: "Renamed" }], deleted_classes: ["SqlStore"] }];
    expect((await rejection(emu.migrate(next))).code).toBe("EISDIR");
    // No temporary file is left behind either.
    expect(readdirSync(join(dir, "v3", "do", ".durasim")).sort()).toEqual(["lock", "migrations.json"]);
    expect(await emu.env.KV.getByName("m").entries()).toEqual([["k", "kept"]]);
    expect(await (emu.getClassNamespace("SqlStore")!.getByName("m") as AnyStub).entries()).toEqual([["k", "kept"]]);
    expect(emu.getClassNamespace("Renamed")).toBeUndefined();
    // Once the file is back, the same migration applies as if tried for the first time.
    rmSync(record, { recursive: true });
    writeFileSync(record, before);
    await emu.migrate(next);
    expect(await emu.env.KV.getByName("m").entries()).toEqual([["k", "kept"]]);
    expect(await (emu.getClassNamespace("SqlStore")!.getByName("m") as AnyStub).entries()).toEqual([]);
  });

  it("keeps hostile script and class names inside the directory", async () => {
    const dir = join(directories.make(), "state");
    class Evil extends Store {}
    const emu = new Emulator({
      name: "../../escape",
      module: { "..": Evil, Evil },
      durableObjects: { A: "Evil" },
      persist: dir,
    });
    open.push(emu);
    await emu.env.A.getByName("x").put("k", 1);
    expect(readdirSync(join(dir, "..")).sort()).toEqual(["state"]);
  });

  it("a damaged database file (cut short, or not SQLite at all) fails every use of its object with a DamagedFileError naming the file and the fix; the file is left as it was, other objects go on", async () => {
    const dir = directories.make();
    let emu = emulator(dir);
    const damage = {
      short: { cut: (bytes: Buffer) => bytes.subarray(0, 100), problem: /^its length, 100 bytes, is not a whole number of 4096-byte pages$/ },
      pages: { cut: (bytes: Buffer) => bytes.subarray(0, 4096), problem: /^it holds 1 pages where its header declares \d+ \(cut short\)$/ },
      foreign: { cut: (bytes: Buffer) => Buffer.alloc(bytes.byteLength, "not a database "), problem: /^it does not start with SQLite's header$/ },
    };
    const damaged: Array<{ binding: "KV" | "SQL"; name: string; path: string; bytes?: Buffer; problem: RegExp }> = [];
    for (const [binding, folder] of [["KV", "app-Store"], ["SQL", "app-SqlStore"]] as const) {
      for (const [name, { problem }] of Object.entries(damage)) {
        await (emu.env[binding].getByName(name) as AnyStub).put("k", "x".repeat(10_000)); // several pages
        damaged.push({ binding, name, path: join(dir, "v3", "do", folder, `${emu.env[binding].idFromName(name)}.sqlite`), problem });
      }
      await (emu.env[binding].getByName("fine") as AnyStub).put("k", 1);
    }
    await emu.dispose();
    for (const file of damaged) {
      writeFileSync(file.path, damage[file.name as keyof typeof damage].cut(readFileSync(file.path)));
      file.bytes = readFileSync(file.path);
    }
    emu = emulator(dir);
    for (const { binding, name, path, problem } of damaged) {
      const stub = emu.env[binding].getByName(name) as AnyStub;
      for (const call of [() => stub.entries(), () => stub.put("k2", 1)]) {
        const error = await rejection(call());
        expect(error.name).toBe("DamagedFileError");
        const [, said, rest] = error.message.match(/^durasim: the SQLite database (.*?) is damaged: (.*)$/) ?? [];
        expect(said).toBe(path);
        expect(rest).toMatch(
          `. durasim leaves it untouched; move it (and ${path}-wal, if there is one) out of the directory, or restore it from a backup; without it the storage it held starts empty.`,
        );
        expect(rest!.slice(0, rest!.indexOf(". durasim leaves"))).toMatch(problem);
      }
    }
    for (const binding of ["KV", "SQL"] as const) expect(await (emu.env[binding].getByName("fine") as AnyStub).entries()).toEqual([["k", 1]]);
    await emu.dispose();
    for (const { path, bytes } of damaged) expect(readFileSync(path).equals(bytes!)).toBe(true);
  });

  it("a damaged record of applied migrations is a DamagedFileError at construction naming it, and leaves the directory unlocked", async () => {
    const dir = directories.make();
    await emulator(dir).dispose();
    const record = join(dir, "v3", "do", ".durasim", "migrations.json");
    for (const [text, problem] of [
      ["{cut", /it is not JSON \(.+\)/],
      ['{"app":{"tags":"v1"}}', /its JSON does not have the shape durasim writes/],
    ] as const) {
      writeFileSync(record, text);
      let error: unknown;
      try {
        emulator(dir);
      } catch (thrown) {
        error = thrown;
      }
      expect(error).toBeInstanceOf(DamagedFileError);
      expect((error as Error).message).toMatch(`durasim: durasim's record of applied migrations, ${record} is damaged: `);
      expect((error as Error).message).toMatch(problem);
      expect((error as Error).message).toContain("restore it from a backup, or delete it: the next emulator then applies the whole migrations list again");
      expect(readFileSync(record, "utf8")).toBe(text);
    }
    rmSync(record);
    await emulator(dir).dispose();
  });

  it("a constructor that fails after opening the directory (a config error the module reveals) leaves it unlocked for the fixed configuration", async () => {
    const dir = directories.make();
    expect(() => emulator(dir, { durableObjects: { KV: "Stor" } })).toThrow(/does not export a class named "Stor"/);
    expect(() => emulator(dir, { module: { Store: { size: 5 } } })).toThrow(/export "Store" of Worker "app" is not a class/);
    const emu = emulator(dir);
    await emu.env.KV.getByName("a").put("k", 1);
    expect(await emu.env.KV.getByName("a").entries()).toEqual([["k", 1]]);
  });

  it("rejects a malformed persist option with a ConfigError naming it", async () => {
    const error = await rejection(Promise.resolve().then(() => emulator({ path: 7 } as never)));
    expect(error.name).toBe("ConfigError");
    expect(error.message).toContain('option "persist.path"');
  });
});

describe("a deletion a crash left uncommitted, whose namespace's place was written again before the next emulator could put it back", () => {
  const doDir = (dir: string) => join(dir, "v3", "do");
  const place = (dir: string) => join(doDir(dir), "app-SqlStore");
  // Pages of its own (overflow pages), which a later commit's WAL frames do not hold.
  const first = "x".repeat(20_000);

  /**
   * A directory where a deletion left SqlStore's directory in an uncommitted trash directory
   * (objects "a", "stale-a", and "b", "only-in-trash", each written twice, so each has a WAL
   * beside its file that needs its file, and b an alarm a minute on), and whose place holds what `newer` wrote
   * there since (as the run whose open could not put it back, or wrangler dev, would).
   * Returns the directory and the trash's copy of the namespace.
   */
  async function detachedByCrash(newer: (emu: Emulator) => Promise<unknown>): Promise<{ dir: string; detached: string }> {
    const old = directories.make();
    const emu = emulator(old, { clock: "manual" });
    for (const [name, value] of [["a", "stale-a"], ["b", "only-in-trash"]]) {
      await (emu.env.SQL.getByName(name) as AnyStub).put("first", first);
      await (emu.env.SQL.getByName(name) as AnyStub).put("v", value);
    }
    await (emu.env.SQL.getByName("b") as AnyStub).setAlarm(Date.now() + 60_000);
    await emu.dispose();
    const dir = directories.make();
    const writer = emulator(dir, { clock: "manual" });
    await newer(writer);
    await writer.dispose();
    mkdirSync(place(dir), { recursive: true });
    const trash = join(doDir(dir), ".durasim", "trash-00000000-0000-4000-8000-000000000001");
    mkdirSync(trash);
    writeFileSync(join(trash, ".uncommitted"), JSON.stringify({ committedBy: '["a record never written"]' }));
    renameSync(place(old), join(trash, "app-SqlStore"));
    return { dir, detached: join(trash, "app-SqlStore") };
  }

  async function seen(emu: Emulator) {
    return { a: await (emu.env.SQL.getByName("a") as AnyStub).entries(), b: await (emu.env.SQL.getByName("b") as AnyStub).entries() };
  }

  it("merges object by object: an object written again keeps its newer copy, one only the trash holds comes back with its alarm, and the trash goes", async () => {
    // a written again, with an alarm of its own: the place has an alarm index too.
    const { dir } = await detachedByCrash(async (emu) => {
      await (emu.env.SQL.getByName("a") as AnyStub).put("v", "current-a");
      await (emu.env.SQL.getByName("a") as AnyStub).setAlarm(Date.now() + 600_000);
    });
    const emu = emulator(dir, { clock: "manual" });
    fired.length = 0;
    await emu.ready;
    expect(readdirSync(join(doDir(dir), ".durasim")).sort()).toEqual(["lock", "migrations.json"]);
    // b's alarm fires without b being reached first: the index knows it.
    await emu.advanceTime(61_000);
    expect(fired).toEqual(["b"]);
    expect(await seen(emu)).toEqual({ a: [["v", "current-a"]], b: [["first", first], ["v", "only-in-trash"]] });
    expect(readdirSync(place(dir)).filter((name) => name.startsWith("metadata.sqlite.returned-"))).toEqual([]);
    // Nothing of the trash's a comes back once the place is emptied.
    useEmulator(emu);
    try {
      await reset();
    } finally {
      useEmulator(undefined);
    }
    const next = await reopen(emu, dir);
    expect(await seen(next)).toEqual({ a: [], b: [] });
  });

  it("a damaged alarm index put back beside the place's fails the open with a DamagedFileError naming it and the fix; the file stays as it was", async () => {
    const dir = directories.make();
    const writer = emulator(dir, { clock: "manual" });
    await (writer.env.SQL.getByName("a") as AnyStub).setAlarm(Date.now() + 60_000);
    await writer.dispose();
    const returned = join(place(dir), "metadata.sqlite.returned-00000000-0000-4000-8000-000000000002");
    const bytes = Buffer.alloc(8192, "not a database ");
    writeFileSync(returned, bytes);
    let error: unknown;
    try {
      await emulator(dir, { clock: "manual" }).ready;
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(DamagedFileError);
    expect((error as DamagedFileError).path).toBe(returned);
    expect((error as Error).message).toBe(
      `durasim: the alarm index of objects put back from a deletion that never committed, ${returned} is damaged: it does not start with SQLite's header. ` +
        "durasim leaves it untouched; move it out of the directory, or restore it from a backup; without it the objects it lists keep their alarms, but each is armed only once its object is next used.",
    );
    expect(readFileSync(returned).equals(bytes)).toBe(true);
  });

  it("puts every object back into an empty place", async () => {
    const { dir } = await detachedByCrash(async () => undefined);
    const emu = emulator(dir);
    expect(await seen(emu)).toEqual({ a: [["first", first], ["v", "stale-a"]], b: [["first", first], ["v", "only-in-trash"]] });
    expect(readdirSync(join(doDir(dir), ".durasim")).sort()).toEqual(["lock", "migrations.json"]);
  });

  it("finishes a merge a crash cut short: an object whose WAL was back in its place, its file still in the trash, comes back whole", async () => {
    const { dir, detached } = await detachedByCrash((emu) => (emu.env.SQL.getByName("a") as AnyStub).put("v", "current-a"));
    // b's: the place holds no file of b.
    const wal = readdirSync(detached).find((name) => /^[0-9a-f]{64}\.sqlite-wal$/.test(name) && !existsSync(join(place(dir), name.slice(0, 64) + ".sqlite")))!;
    renameSync(join(detached, wal), join(place(dir), wal));
    const emu = emulator(dir);
    expect(await seen(emu)).toEqual({ a: [["v", "current-a"]], b: [["first", first], ["v", "only-in-trash"]] });
  });
});

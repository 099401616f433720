/**
 * A database on disk as main file + SQLite WAL: what a commit writes, what load() reads back,
 * torn and corrupt logs, checkpoints, and that real SQLite (node:sqlite in the Node 24 binary
 * the project ships for CI) reads durasim's files and durasim reads real SQLite's WAL.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { SqlJsStatic } from "sql.js";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { FileWriteTap } from "../../../lib/sqlite/file-writes.js";
import { DatabaseFile } from "../../../lib/storage/persist/database-file.js";
import { DURABLE } from "../../../lib/storage/persist/durability.js";
import { FRAME_HEADER_BYTES, WAL_HEADER_BYTES } from "../../../lib/storage/persist/wal.js";
import { fsFaults } from "./fs-faults.js";
import { tappedSqlJs, watchedDatabase } from "./tapped-engine.js";
import { ScratchDirectories } from "../../scratch-directories.js";

// A pass-through until a test arms a fault (see fs-faults.ts).
vi.mock("node:fs", async (real) => (await import("./fs-faults.js")).faultyFs(await real()));

const NODE_24 = join(import.meta.dirname, "../../../node_modules/.bin/node");
const FRAME = FRAME_HEADER_BYTES + 4096;

let sqlJs: SqlJsStatic;
let tap: FileWriteTap;
const directories = new ScratchDirectories("durasim-dbfile-");
const opened: { close(): void }[] = [];

beforeAll(async () => {
  ({ sqlJs, tap } = await tappedSqlJs());
});

afterEach(() => {
  fsFaults.clear();
  for (const database of opened.splice(0)) database.close();
  directories.removeAll();
});

function tempPath(name = "object.sqlite"): string {
  const dir = directories.make();
  return join(dir, name);
}

/** A new database file and a watched engine database; `run(sql)` commits one transaction to both. */
function freshDatabase(options?: { checkpointFrames: number }) {
  const path = tempPath();
  const file = new DatabaseFile(path, DURABLE, options);
  expect(file.load()).toBeUndefined();
  const db = watchedDatabase(sqlJs, tap);
  opened.push(db.database);
  const run = (sql: string) => {
    const { pages, pageCount } = db.transaction(sql);
    file.commit(pages, pageCount);
    return pages;
  };
  return { path, file, run, reload: () => new DatabaseFile(path, DURABLE).load() };
}

/** Rows of `sql` from a database image, read by a fresh sql.js database. */
function rowsOf(image: Uint8Array | undefined, sql: string): unknown[][] {
  if (image === undefined) return [];
  const database = new sqlJs.Database(image);
  try {
    return database.exec(sql)[0]?.values ?? [];
  } finally {
    database.close();
  }
}

/** Runs SQL with the real SQLite inside Node 24 (node:sqlite), on a copy of the files. */
function realSqlite(path: string, statements: string[]): unknown[] {
  const copyDir = directories.make("durasim-realsqlite-");
  const copy = join(copyDir, "copy.sqlite");
  for (const suffix of ["", "-wal"]) if (existsSync(path + suffix)) cpSync(path + suffix, copy + suffix);
  const script = `const { DatabaseSync } = require("node:sqlite");
    const db = new DatabaseSync(${JSON.stringify(copy)});
    const out = ${JSON.stringify(statements)}.map((sql) => db.prepare(sql).all().map((row) => Object.values(row)));
    process.stdout.write(JSON.stringify(out));`;
  const result = spawnSync(NODE_24, ["--no-warnings", "-e", script], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`node:sqlite failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

describe("DatabaseFile", () => {
  it("starts empty, and reads back every committed transaction", () => {
    const { run, reload } = freshDatabase();
    run("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
    for (let i = 0; i < 20; i++) run(`INSERT INTO t(v) VALUES ('row ${i}')`);
    expect(rowsOf(reload(), "SELECT count(*), max(v) FROM t")).toEqual([[20, "row 9"]]);
  });

  it("appends only the pages a transaction changed, however large the database", () => {
    const { path, run, reload } = freshDatabase();
    run(
      "CREATE TABLE kv(k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID; " +
        "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 8000) " +
        "INSERT INTO kv SELECT printf('key%06d', i), randomblob(200) FROM c",
    );
    expect(statSync(path).size).toBeGreaterThan(1024 * 1024);
    const pages = run("UPDATE kv SET v = x'00' WHERE k = 'key004000'");
    expect(pages.size).toBeLessThanOrEqual(4);
    expect(statSync(`${path}-wal`).size).toBe(WAL_HEADER_BYTES + pages.size * FRAME);
    expect(rowsOf(reload(), "SELECT hex(v) FROM kv WHERE k = 'key004000'")).toEqual([["00"]]);
  });

  it("ignores a torn last append: load() returns the last whole transaction", () => {
    const { path, run, reload } = freshDatabase();
    run("CREATE TABLE t(v)");
    run("INSERT INTO t VALUES (1)");
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(WAL_HEADER_BYTES);
    expect(run("INSERT INTO t VALUES (2); INSERT INTO t SELECT randomblob(9000)").size).toBeGreaterThan(1);
    // Cut inside the second transaction's last frame: none of its frames may apply.
    truncateSync(`${path}-wal`, statSync(`${path}-wal`).size - 100);
    expect(rowsOf(reload(), "SELECT count(*) FROM t")).toEqual([[1]]);
    // load() dropped the torn tail for good: the files now hold exactly that state.
    expect(statSync(`${path}-wal`).size).toBe(0);
  });

  it("ignores a transaction whose frame was damaged, and everything after it", () => {
    const { path, run, reload } = freshDatabase();
    run("CREATE TABLE t(v)");
    const sizes: number[] = [];
    for (let i = 1; i <= 3; i++) {
      run(`INSERT INTO t VALUES (${i})`);
      sizes.push(statSync(`${path}-wal`).size);
    }
    const wal = readFileSync(`${path}-wal`);
    wal[sizes[0]! + FRAME_HEADER_BYTES + 50]! ^= 0xff; // inside the second insert's page
    writeFileSync(`${path}-wal`, wal);
    expect(rowsOf(reload(), "SELECT group_concat(v) FROM t")).toEqual([["1"]]);
  });

  it("checkpoints the WAL into the main file once it holds enough frames", () => {
    const { path, file, run } = freshDatabase({ checkpointFrames: 10 });
    run("CREATE TABLE t(v)");
    let sawWal = false;
    for (let i = 0; i < 12; i++) {
      run(`INSERT INTO t VALUES (${i})`);
      sawWal ||= statSync(`${path}-wal`).size > 0;
    }
    expect(sawWal).toBe(true);
    file.checkpoint();
    expect(statSync(`${path}-wal`).size).toBe(0);
    expect(rowsOf(new Uint8Array(readFileSync(path)), "SELECT count(*) FROM t")).toEqual([[12]]);
  });

  it("replace() swaps the whole database atomically, even to a smaller one", () => {
    const { file, run, reload } = freshDatabase();
    run("CREATE TABLE t(v); INSERT INTO t SELECT randomblob(50000)");
    const other = new sqlJs.Database();
    other.exec("CREATE TABLE u(w); INSERT INTO u VALUES ('replaced')");
    file.replace(other.export());
    other.close();
    const image = reload();
    expect(rowsOf(image, "SELECT w FROM u")).toEqual([["replaced"]]);
    expect(rowsOf(image, "SELECT name FROM sqlite_master WHERE name = 't'")).toEqual([]);
  });

  it("writes files real SQLite opens in WAL mode and reads in full", () => {
    const { path, run } = freshDatabase();
    run("CREATE TABLE _cf_KV (key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID");
    run("INSERT INTO _cf_KV VALUES ('a', x'ff0f4902')");
    run("INSERT INTO _cf_KV VALUES ('b', randomblob(20000))");
    run("DELETE FROM _cf_KV WHERE key = 'b'");
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(0); // the last transactions are only in the WAL
    const [journal, check, rows] = realSqlite(path, [
      "PRAGMA journal_mode",
      "PRAGMA integrity_check",
      "SELECT key, hex(value) FROM _cf_KV",
    ]) as unknown[][][];
    expect(journal).toEqual([["wal"]]);
    expect(check).toEqual([["ok"]]);
    expect(rows).toEqual([["a", "FF0F4902"]]);
  });

  it("reads a WAL real SQLite wrote, including data that never reached the main file", () => {
    const path = tempPath("real.sqlite");
    const script = `const { DatabaseSync } = require("node:sqlite");
      const db = new DatabaseSync(${JSON.stringify(path)});
      db.exec("PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
      for (let i = 0; i < 50; i++) db.exec("INSERT INTO t(v) VALUES ('" + "x".repeat(i * 40) + "')");
      db.exec("DELETE FROM t WHERE id % 2 = 0");
      process.kill(process.pid, "SIGKILL");`;
    spawnSync(NODE_24, ["--no-warnings", "-e", script]);
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(statSync(path).size);
    const image = new DatabaseFile(path, DURABLE).load();
    expect(rowsOf(image, "SELECT count(*), sum(length(v)) FROM t")).toEqual([[25, 40 * 600]]);
    expect(existsSync(`${path}-shm`)).toBe(false);
  });
});

describe("DatabaseFile under disk faults: a commit either returns, and every later load() has it, or throws, and none has it", () => {
  it("a checkpoint the disk refuses after the commit reached the WAL does not fail the commit: it is durable, and the next commit checkpoints", () => {
    const { path, run, reload } = freshDatabase({ checkpointFrames: 1 });
    run("CREATE TABLE t(v TEXT)");
    fsFaults.fail({ calls: ["openSync"], path: (p) => p === path });
    expect(() => run("INSERT INTO t VALUES ('kept')")).not.toThrow();
    expect(fsFaults.injected).toEqual([`openSync ${path}`]);
    fsFaults.clear();
    // (Read only once the writer is done: a load() checkpoints, as the one owner of the files.)
    run("INSERT INTO t VALUES ('next')");
    expect(rowsOf(reload(), "SELECT v FROM t ORDER BY rowid")).toEqual([["kept"], ["next"]]);
  });

  for (const call of ["writeSync", "fsyncSync"]) {
    it(`a commit whose WAL ${call} fails throws, and no later load() has it (after a failed fsync, though its frames were written in full)`, () => {
      const { path, run, reload } = freshDatabase();
      run("CREATE TABLE t(v TEXT)");
      run("INSERT INTO t VALUES ('before')");
      fsFaults.fail({ calls: [call], path: (p) => p === `${path}-wal` });
      expect(() => run("INSERT INTO t VALUES ('failed')")).toThrow(/^EIO: injected fault/);
      fsFaults.clear();
      expect(rowsOf(reload(), "SELECT v FROM t ORDER BY rowid")).toEqual([["before"]]);
    });
  }

  // A new file (the database's main file, or a WAL started over after a checkpoint) is durable
  // only once its directory is synced: before that, a failure is the commit's, and undone.
  it("a commit that starts a new WAL (the first after a checkpoint) whose directory sync fails throws, and no later load() has it", () => {
    const { path, run, reload } = freshDatabase({ checkpointFrames: 1 });
    run("CREATE TABLE t(v TEXT)");
    run("INSERT INTO t VALUES ('before')");
    fsFaults.fail({ calls: ["fsyncSync"], path: (p) => p === dirname(path) });
    expect(() => run("INSERT INTO t VALUES ('failed')")).toThrow(/^EIO: injected fault/);
    expect(fsFaults.injected).toEqual([`fsyncSync ${dirname(path)}`]);
    fsFaults.clear();
    expect(rowsOf(reload(), "SELECT v FROM t ORDER BY rowid")).toEqual([["before"]]);
  });

  it("a new database's first commit whose rename the directory sync does not confirm throws, and leaves no file", () => {
    const { path, run, reload } = freshDatabase();
    fsFaults.fail({ calls: ["fsyncSync"], path: (p) => p === dirname(path) });
    expect(() => run("CREATE TABLE t(v TEXT)")).toThrow(/^EIO: injected fault/);
    fsFaults.clear();
    expect(readdirSync(dirname(path))).toEqual([]);
    expect(reload()).toBeUndefined();
  });

  it("replace() whose checkpoint the disk refuses after the new image reached the WAL returns: every later load() has the new image", () => {
    const { path, file, run, reload } = freshDatabase();
    run("CREATE TABLE t(v TEXT); INSERT INTO t VALUES ('old')");
    fsFaults.fail({ calls: ["openSync"], path: (p) => p === path });
    expect(() => file.replace(imageOf("CREATE TABLE t(v TEXT); INSERT INTO t VALUES ('new')"))).not.toThrow();
    expect(fsFaults.injected).toEqual([`openSync ${path}`]);
    fsFaults.clear();
    expect(rowsOf(reload(), "SELECT v FROM t")).toEqual([["new"]]);
  });

  const refusals = [
    ["its checkpoint cannot open the main file", (path: string) => [{ calls: ["openSync"], path: (p: string) => p === path }]],
    ["the new main file cannot be written", (path: string) => [{ calls: ["writeSync"], path: (p: string) => p.startsWith(`${path}.`) }]],
    ["the directory sync does not confirm the new main file", (path: string) => [{ calls: ["fsyncSync"], path: (p: string) => p === dirname(path) }]],
    // Then nothing could put the old main file back after an unconfirmed rename.
    [
      "neither a hard link nor a copy can keep the old main file, and the directory sync would fail",
      (path: string) => [
        { calls: ["linkSync", "copyFileSync"], path: (p: string) => p === path },
        // (The first sync confirms the WAL's removal; the second would confirm the new main file.)
        { calls: ["fsyncSync"], path: (p: string) => p === dirname(path), after: 1 },
      ],
    ],
  ] as const;
  for (const [what, faults] of refusals) {
    it(`replace() with another page size, when ${what}, throws: every later load() has the old database, WAL included, and no file is left over`, () => {
      const { path, file, run, reload } = freshDatabase();
      run("CREATE TABLE t(v TEXT); INSERT INTO t VALUES ('old')");
      run("INSERT INTO t VALUES ('in the WAL')");
      for (const fault of faults(path)) fsFaults.fail(fault);
      expect(() => file.replace(imageOf("PRAGMA page_size = 8192; CREATE TABLE t(v TEXT); INSERT INTO t VALUES ('new')"))).toThrow(/^EIO: injected fault/);
      expect(fsFaults.injected.length).toBeGreaterThan(0);
      fsFaults.clear();
      expect(readdirSync(dirname(path)).filter((name) => !name.endsWith(".sqlite") && !name.endsWith(".sqlite-wal"))).toEqual([]);
      expect(rowsOf(reload(), "SELECT v FROM t ORDER BY rowid")).toEqual([["old"], ["in the WAL"]]);
    });
  }

  it("replace() with another page size returns with the new database in place, its page size on disk", () => {
    const { path, file, run, reload } = freshDatabase();
    run("CREATE TABLE t(v TEXT); INSERT INTO t VALUES ('old')");
    run("INSERT INTO t VALUES ('in the WAL')");
    file.replace(imageOf("PRAGMA page_size = 8192; CREATE TABLE t(v TEXT); INSERT INTO t VALUES ('new')"));
    expect(readdirSync(dirname(path)).sort()).toEqual(["object.sqlite"]);
    expect(rowsOf(reload(), "SELECT v FROM t")).toEqual([["new"]]);
    expect(rowsOf(reload(), "PRAGMA page_size")).toEqual([[8192]]);
  });

  it("a checkpoint syncs the WAL's emptying; when that sync fails the commit still returns, and the next commits and every later load() go on from the emptied WAL", () => {
    const { path, run, reload } = freshDatabase({ checkpointFrames: 1 });
    run("CREATE TABLE t(v TEXT)");
    // The commit's own sync of the WAL passes; the next one, after the checkpoint, fails.
    fsFaults.fail({ calls: ["fsyncSync"], path: (p) => p === `${path}-wal`, after: 1, times: 1 });
    expect(() => run("INSERT INTO t VALUES ('kept')")).not.toThrow();
    expect(fsFaults.injected).toEqual([`fsyncSync ${path}-wal`]);
    fsFaults.clear();
    expect(statSync(`${path}-wal`).size).toBe(0);
    run("INSERT INTO t VALUES ('next')");
    expect(rowsOf(reload(), "SELECT v FROM t ORDER BY rowid")).toEqual([["kept"], ["next"]]);
  });

  it("load() returns the database when the sync of the WAL's emptying fails (its commits are already in the synced main file), and commits go on from there", () => {
    const { path, run } = freshDatabase();
    run("CREATE TABLE t(v TEXT)");
    run("INSERT INTO t VALUES ('in the WAL')");
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(0);
    fsFaults.fail({ calls: ["fsyncSync"], path: (p) => p === `${path}-wal` });
    const file = new DatabaseFile(path, DURABLE);
    const image = file.load();
    expect(fsFaults.injected).toEqual([`fsyncSync ${path}-wal`]);
    fsFaults.clear();
    expect(rowsOf(image, "SELECT v FROM t")).toEqual([["in the WAL"]]);
    expect(statSync(`${path}-wal`).size).toBe(0);
    const database = new sqlJs.Database(image);
    opened.push(database);
    database.exec("INSERT INTO t VALUES ('after')");
    file.replace(database.export());
    expect(rowsOf(new DatabaseFile(path, DURABLE).load(), "SELECT v FROM t ORDER BY rowid")).toEqual([["in the WAL"], ["after"]]);
  });

  it("load() that cannot empty the WAL at all fails, and a later load() reads the same database", () => {
    const { path, run, reload } = freshDatabase();
    run("CREATE TABLE t(v TEXT)");
    run("INSERT INTO t VALUES ('in the WAL')");
    fsFaults.fail({ calls: ["ftruncateSync"], path: (p) => p === `${path}-wal` });
    expect(() => new DatabaseFile(path, DURABLE).load()).toThrow();
    fsFaults.clear();
    expect(rowsOf(reload(), "SELECT v FROM t")).toEqual([["in the WAL"]]);
  });

  it("a checkpoint that keeps failing is tried again as the WAL doubles, not at every commit (each try reads the whole WAL)", () => {
    const { path, run, reload } = freshDatabase({ checkpointFrames: 2 });
    run("CREATE TABLE t(v)");
    fsFaults.fail({ calls: ["openSync"], path: (p) => p === path });
    for (let i = 0; i < 64; i++) run(`INSERT INTO t VALUES (${i})`);
    // Tries at 2, 4, 8, ... frames: one per doubling of the 64 or more frames written.
    expect(fsFaults.injected.length).toBeGreaterThan(2);
    expect(fsFaults.injected.length).toBeLessThanOrEqual(8);
    fsFaults.clear();
    expect(rowsOf(reload(), "SELECT count(*) FROM t")).toEqual([[64]]);
  });
});

/** The image of a new database made by `sql`. */
function imageOf(sql: string): Uint8Array {
  const database = new sqlJs.Database();
  try {
    database.exec(sql);
    return database.export();
  } finally {
    database.close();
  }
}

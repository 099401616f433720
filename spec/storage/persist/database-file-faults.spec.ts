/**
 * DatabaseFile when the disk refuses a write (fault injection through a wrapped node:fs): a
 * commit either returns, and every later load() has it, or throws, and no later load() has it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SqlJsStatic } from "sql.js";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { FileWriteTap } from "../../../lib/sqlite/file-writes.js";
import { DatabaseFile } from "../../../lib/storage/persist/database-file.js";
import { DURABLE } from "../../../lib/storage/persist/durability.js";
import { fsFaults } from "./fs-faults.js";
import { tappedSqlJs, watchedDatabase } from "./tapped-engine.js";

vi.mock("node:fs", async (real) => (await import("./fs-faults.js")).faultyFs(await real()));

let sqlJs: SqlJsStatic;
let tap: FileWriteTap;
const dirs: string[] = [];
const opened: { close(): void }[] = [];

beforeAll(async () => {
  ({ sqlJs, tap } = await tappedSqlJs());
});

afterEach(() => {
  fsFaults.clear();
  for (const database of opened.splice(0)) database.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A database file checkpointed after every `checkpointFrames` frames, with a table `t`. */
function database(checkpointFrames: number) {
  const dir = mkdtempSync(join(tmpdir(), "durasim-dbfile-faults-"));
  dirs.push(dir);
  const path = join(dir, "object.sqlite");
  const file = new DatabaseFile(path, DURABLE, { checkpointFrames });
  file.load();
  const db = watchedDatabase(sqlJs, tap);
  opened.push(db.database);
  const run = (sql: string) => {
    const { pages, pageCount } = db.transaction(sql);
    file.commit(pages, pageCount);
  };
  run("CREATE TABLE t(v TEXT)");
  const rows = () => {
    const image = new DatabaseFile(path, DURABLE).load();
    const reader = new sqlJs.Database(image);
    try {
      return reader.exec("SELECT v FROM t ORDER BY rowid")[0]?.values.flat() ?? [];
    } finally {
      reader.close();
    }
  };
  return { path, run, rows };
}

describe("DatabaseFile under disk faults", () => {
  it("a checkpoint the disk refuses after the commit reached the WAL does not fail the commit: it is durable, and the next commit checkpoints", () => {
    const { path, run, rows } = database(1);
    fsFaults.fail({ calls: ["openSync"], path: (p) => p === path });
    expect(() => run("INSERT INTO t VALUES ('kept')")).not.toThrow();
    expect(fsFaults.injected).toEqual([`openSync ${path}`]);
    fsFaults.clear();
    // (Read only once the writer is done: a load() checkpoints, as the one owner of the files.)
    run("INSERT INTO t VALUES ('next')");
    expect(rows()).toEqual(["kept", "next"]);
  });

  for (const call of ["writeSync", "fsyncSync"]) {
    it(`a commit whose WAL ${call} fails throws, and no later load() has it, though its frames were written in full`, () => {
      const { path, run, rows } = database(1000);
      run("INSERT INTO t VALUES ('before')");
      fsFaults.fail({ calls: [call], path: (p) => p === `${path}-wal` });
      expect(() => run("INSERT INTO t VALUES ('failed')")).toThrow(/^EIO: injected fault/);
      fsFaults.clear();
      expect(rows()).toEqual(["before"]);
    });
  }
});
